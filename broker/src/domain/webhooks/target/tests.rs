//! The target rules as tables: allow-list entries, wildcard and exact matching, URL checks,
//! address checks, and resolution through the system resolver and through reqwest.

use super::*;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

/// A URL check's expected host, port and IP literal, or error message.
type Expected = Result<(&'static str, u16, Option<&'static str>), &'static str>;

fn policy(hosts: &[&str], schemes: &[&str]) -> TargetPolicy {
    TargetPolicy::new(&strings(hosts), &strings(schemes)).unwrap()
}

#[test]
fn host_entries_are_parsed_or_refused_by_name() {
    let good = [
        (
            "hooks.example.com",
            HostEntry::Exact("hooks.example.com".to_owned()),
        ),
        (
            "Hooks.Example.COM.",
            HostEntry::Exact("hooks.example.com".to_owned()),
        ),
        ("localhost", HostEntry::Exact("localhost".to_owned())),
        (
            "*.example.com",
            HostEntry::Wildcard("example.com".to_owned()),
        ),
        (
            "bücher.example",
            HostEntry::Exact("xn--bcher-kva.example".to_owned()),
        ),
        (
            "10.1.2.3",
            HostEntry::Network("10.1.2.3/32".parse().unwrap()),
        ),
        ("::1", HostEntry::Network("::1/128".parse().unwrap())),
        ("[::1]", HostEntry::Network("::1/128".parse().unwrap())),
        (
            "10.0.0.0/8",
            HostEntry::Network("10.0.0.0/8".parse().unwrap()),
        ),
        ("fd00::/8", HostEntry::Network("fd00::/8".parse().unwrap())),
    ];
    for (entry, expected) in good {
        assert_eq!(parse_host_entry(entry), Ok(expected), "{entry}");
    }
    for entry in [
        "",
        " ",
        "*",
        "*.",
        "a.*.com",
        "*example.com",
        "https://x.com",
        "x.com:443",
        "a b",
        "10.0.0.1/8",
        "0x7f.1",
        "user@x.com",
    ] {
        let error = parse_host_entry(entry).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "webhook host allow-list entry `{entry}` is not valid: "
            )),
            "{entry}: {error}"
        );
    }
    assert_eq!(
        TargetPolicy::new(&strings(&["ok.com", "bad host"]), &[]).unwrap_err(),
        PolicyError::InvalidHost {
            entry: "bad host".to_owned(),
            reason: "a host name holds only letters, digits, `-` and `.`, and a wildcard only a leading `*.`".to_owned()
        }
    );
    assert_eq!(
        parse_host_entry("10.0.0.1/8").unwrap_err().to_string(),
        "webhook host allow-list entry `10.0.0.1/8` is not valid: it has host bits set; did you \
         mean 10.0.0.0/8?; expected a host name (hooks.example.com), a wildcard \
         (*.example.com), an IP address (10.1.2.3) or a CIDR network (10.0.0.0/8)"
    );
    assert_eq!(
        TargetPolicy::new(&[], &strings(&["ftp"]))
            .unwrap_err()
            .to_string(),
        "webhook scheme allow-list entry `ftp` is not valid; expected http or https"
    );
}

#[test]
fn wildcards_match_any_depth_below_but_not_the_domain_itself() {
    let policy = policy(&["*.example.com"], &[]);
    let table = [
        ("a.example.com", true),
        ("a.b.example.com", true),
        ("A.Example.Com", true),
        ("a.example.com.", true),
        ("example.com", false),
        ("badexample.com", false),
        (".example.com", false),
        ("example.com.evil.org", false),
        ("a.example.co", false),
    ];
    for (host, allowed) in table {
        assert_eq!(
            policy.check_address(host, ip("8.8.8.8")).is_ok(),
            allowed,
            "{host}"
        );
    }
}

#[test]
fn urls_are_checked_before_resolution() {
    let open = TargetPolicy::default();
    let listed = policy(
        &[
            "Hooks.Example.com",
            "*.ci.example",
            "10.0.0.0/8",
            "192.168.1.5",
        ],
        &["http", "https"],
    );
    let cases: [(&TargetPolicy, &str, Expected); 20] = [
        (
            &open,
            "https://hooks.example.com/x?y=1",
            Ok(("hooks.example.com", 443, None)),
        ),
        (
            &open,
            "HTTPS://HOOKS.Example.COM:8443/x",
            Ok(("hooks.example.com", 8443, None)),
        ),
        (
            &open,
            "https://8.8.8.8/x",
            Ok(("8.8.8.8", 443, Some("8.8.8.8"))),
        ),
        (
            &open,
            "https://[2606:4700::1111]/",
            Ok(("2606:4700::1111", 443, Some("2606:4700::1111"))),
        ),
        (
            &open,
            "http://hooks.example.com/",
            Err("scheme `http` is not allowed; allowed: https (add --webhook-scheme-allow http)"),
        ),
        (
            &open,
            "ftp://hooks.example.com/",
            Err(
                "scheme `ftp` is not allowed; allowed: https (webhooks can only use http or https)",
            ),
        ),
        (
            &open,
            "https://user:pw@hooks.example.com/",
            Err(
                "the webhook URL must not contain a user name or password; put credentials in the webhook's username and password fields",
            ),
        ),
        (
            &open,
            "https://user@hooks.example.com/",
            Err(
                "the webhook URL must not contain a user name or password; put credentials in the webhook's username and password fields",
            ),
        ),
        (
            &open,
            "hooks.example.com/x",
            Err(
                "the webhook URL is not a valid URL (relative URL without a base); expected an absolute URL such as https://hooks.example.com/pact",
            ),
        ),
        (
            &open,
            "https://127.0.0.1/",
            Err(
                "`127.0.0.1` is a loopback address; webhooks may only call public addresses unless the host is allowed with --webhook-host-allow",
            ),
        ),
        (
            &open,
            "https://0x7f.1/",
            Err(
                "`127.0.0.1` is a loopback address; webhooks may only call public addresses unless the host is allowed with --webhook-host-allow",
            ),
        ),
        (
            &open,
            "https://[::ffff:169.254.169.254]/",
            Err(
                "`::ffff:169.254.169.254` is a link-local address; webhooks may only call public addresses unless the host is allowed with --webhook-host-allow",
            ),
        ),
        (
            &listed,
            "http://hooks.example.com/",
            Ok(("hooks.example.com", 80, None)),
        ),
        (
            &listed,
            "https://a.b.ci.example/",
            Ok(("a.b.ci.example", 443, None)),
        ),
        (
            &listed,
            "https://10.9.8.7/",
            Ok(("10.9.8.7", 443, Some("10.9.8.7"))),
        ),
        (
            &listed,
            "https://[::ffff:10.9.8.7]/",
            Ok(("::ffff:10.9.8.7", 443, Some("::ffff:10.9.8.7"))),
        ),
        (
            &listed,
            "https://192.168.1.5/",
            Ok(("192.168.1.5", 443, Some("192.168.1.5"))),
        ),
        (
            &listed,
            "https://192.168.1.6/",
            Err(
                "host `192.168.1.6` is not allowed; allowed: Hooks.Example.com, *.ci.example, 10.0.0.0/8, 192.168.1.5 (add --webhook-host-allow 192.168.1.6)",
            ),
        ),
        (
            &listed,
            "https://8.8.8.8/",
            Err(
                "host `8.8.8.8` is not allowed; allowed: Hooks.Example.com, *.ci.example, 10.0.0.0/8, 192.168.1.5 (add --webhook-host-allow 8.8.8.8)",
            ),
        ),
        (
            &listed,
            "https://other.example.com/",
            Err(
                "host `other.example.com` is not allowed; allowed: Hooks.Example.com, *.ci.example, 10.0.0.0/8, 192.168.1.5 (add --webhook-host-allow other.example.com)",
            ),
        ),
    ];
    for (policy, url, expected) in cases {
        let result = policy.check_url(url);
        match expected {
            Ok((host, port, literal)) => {
                let target = result.unwrap_or_else(|e| panic!("{url}: {e}"));
                assert_eq!(
                    (target.host.as_str(), target.port, target.ip_literal),
                    (host, port, literal.map(ip)),
                    "{url}"
                );
            }
            Err(message) => {
                assert_eq!(
                    result.map_err(|e| e.to_string()),
                    Err(message.to_owned()),
                    "{url}"
                );
            }
        }
    }
}

#[test]
fn templated_hosts_are_refused_at_creation() {
    let open = TargetPolicy::default();
    let table = [
        (
            "https://ci.example/job?pact=${pactbroker.pactUrl}",
            Ok("ci.example"),
        ),
        (
            "https://${pactbroker.consumerName}.ci.example/",
            Err(TargetError::TemplatedHost),
        ),
        (
            "https://ci.example${pactbroker.buildUrl}/",
            Err(TargetError::TemplatedHost),
        ),
    ];
    for (template, expected) in table {
        assert_eq!(
            open.check_url_template(template).map(|t| t.host),
            expected.map(str::to_owned),
            "{template}"
        );
    }
}

#[test]
fn non_public_addresses_need_an_exact_host_or_a_network_entry() {
    let open = TargetPolicy::default();
    let listed = policy(
        &["internal.example", "*.corp.example", "172.20.0.0/16"],
        &[],
    );
    let table = [
        (&open, "hooks.example.com", "8.8.8.8", Ok(())),
        (
            &open,
            "hooks.example.com",
            "10.0.0.1",
            Err(
                "`hooks.example.com` resolves to `10.0.0.1`, a private address; webhooks may only call public addresses unless the host is allowed with --webhook-host-allow",
            ),
        ),
        (
            &open,
            "localhost",
            "::1",
            Err(
                "`localhost` resolves to `::1`, a loopback address; webhooks may only call public addresses unless the host is allowed with --webhook-host-allow",
            ),
        ),
        // An exact host-name entry allows its non-public addresses.
        (&listed, "internal.example", "10.0.0.1", Ok(())),
        (&listed, "INTERNAL.example.", "127.0.0.1", Ok(())),
        // A wildcard entry does not.
        (&listed, "a.corp.example", "8.8.8.8", Ok(())),
        (
            &listed,
            "a.corp.example",
            "192.168.0.1",
            Err(
                "`a.corp.example` resolves to `192.168.0.1`, a private address; webhooks may only call public addresses unless the host is allowed with --webhook-host-allow",
            ),
        ),
        // Unless the address lies in a network entry.
        (&listed, "a.corp.example", "172.20.1.1", Ok(())),
        (&listed, "a.corp.example", "::ffff:172.20.1.1", Ok(())),
        (
            &listed,
            "elsewhere.example",
            "8.8.8.8",
            Err(
                "host `elsewhere.example` is not allowed; allowed: internal.example, *.corp.example, 172.20.0.0/16 (add --webhook-host-allow elsewhere.example)",
            ),
        ),
    ];
    for (policy, host, address, expected) in table {
        assert_eq!(
            policy
                .check_address(host, ip(address))
                .map_err(|e| e.to_string()),
            expected.map_err(str::to_owned),
            "{host} {address}"
        );
    }
}

#[test]
fn one_refused_address_refuses_the_whole_answer() {
    let open = TargetPolicy::default();
    assert_eq!(
        open.check_addresses("a.example", &[ip("8.8.8.8"), ip("1.1.1.1")]),
        Ok(())
    );
    assert_eq!(
        open.check_addresses("a.example", &[ip("8.8.8.8"), ip("127.0.0.1")]),
        Err(TargetError::AddressNotAllowed {
            host: "a.example".to_owned(),
            address: ip("127.0.0.1"),
            class: AddressClass::Loopback,
        })
    );
    assert!(matches!(
        open.check_addresses("a.example", &[]),
        Err(TargetError::Unresolvable { .. })
    ));
}

#[tokio::test]
async fn localhost_resolves_to_loopback_and_is_refused_unless_allowed() {
    let open = TargetPolicy::default();
    let target = open.check_url("https://localhost:8443/hook").unwrap();
    let error = open.resolve_and_check(&target).await.unwrap_err();
    assert!(
        matches!(&error, TargetError::AddressNotAllowed { host, class: AddressClass::Loopback, .. } if host == "localhost"),
        "{error}"
    );
    let allowed = policy(&["localhost"], &[]);
    let addresses = allowed.resolve_and_check(&target).await.unwrap();
    assert!(!addresses.is_empty());
    assert!(
        addresses
            .iter()
            .all(|a| a.ip().is_loopback() && a.port() == 8443),
        "{addresses:?}"
    );
}

#[tokio::test]
async fn ip_literals_are_not_resolved_and_unknown_names_are_unresolvable() {
    let open = TargetPolicy::default();
    let target = open.check_url("https://8.8.8.8:444/").unwrap();
    assert_eq!(
        open.resolve_and_check(&target).await,
        Ok(vec!["8.8.8.8:444".parse().unwrap()])
    );
    let target = open.check_url("https://no-such-host.invalid/").unwrap();
    let error = open.resolve_and_check(&target).await.unwrap_err();
    assert!(
        matches!(&error, TargetError::Unresolvable { host, .. } if host == "no-such-host.invalid"),
        "{error}"
    );
}

#[tokio::test]
async fn the_resolver_refuses_loopback() {
    let resolver = GuardedResolver::new(Arc::new(TargetPolicy::default()));
    let name: Name = "localhost".parse().unwrap();
    let error = match resolver.resolve(name).await {
        Ok(addresses) => panic!("resolved to {:?}", addresses.collect::<Vec<_>>()),
        Err(error) => error,
    };
    let error = error.downcast_ref::<TargetError>().unwrap();
    assert!(
        matches!(
            error,
            TargetError::AddressNotAllowed {
                class: AddressClass::Loopback,
                ..
            }
        ),
        "{error}"
    );

    let allowed = GuardedResolver::new(Arc::new(policy(&["localhost"], &[])));
    let name: Name = "localhost".parse().unwrap();
    let addresses: Vec<SocketAddr> = allowed.resolve(name).await.unwrap().collect();
    assert!(!addresses.is_empty() && addresses.iter().all(|a| a.ip().is_loopback()));
}

#[tokio::test]
async fn a_client_with_the_resolver_does_not_connect_to_loopback() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = reqwest::Client::builder()
        .no_proxy()
        .dns_resolver(Arc::new(GuardedResolver::new(Arc::new(policy(
            &[],
            &["http"],
        )))))
        .build()
        .unwrap();
    let error = client
        .get(format!("http://localhost:{port}/"))
        .send()
        .await
        .unwrap_err();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    let mut found = false;
    while let Some(cause) = source {
        found |= cause.downcast_ref::<TargetError>().is_some();
        source = cause.source();
    }
    assert!(found, "{error:?}");
}
