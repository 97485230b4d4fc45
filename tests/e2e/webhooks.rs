//! Webhooks end to end: real `treaty-broker` processes (SQLite, and PostgreSQL when
//! `TREATY_TEST_DATABASE_URL` is set) calling a receiver on 127.0.0.1 that records every
//! request. Which webhooks each event fires and what their rendered templates say; secrets
//! kept out of reads and logs; retries with growing delays and giving up; the target policy at
//! creation and at delivery; the test execution.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::broker::{Broker, Database};
use crate::support::receiver::{self, Call, Receiver};
use crate::support::webhooks::{
    DEADLINE, PERMISSIVE, Publication, call, create, deliveries, ok, pact, pacticipant, verify,
    wait_settled,
};

/// A template URL under the receiver with `prefix`, naming the event, the consumer and its
/// version in the path and the branch, tags and provider in the query.
fn contract_url(receiver: &Receiver, prefix: &str) -> String {
    format!(
        "{}/{prefix}/${{pactbroker.eventName}}/${{pactbroker.consumerName}}/${{pactbroker.consumerVersionNumber}}?branch=${{pactbroker.consumerVersionBranch}}&tags=${{pactbroker.consumerVersionTags}}&provider=${{pactbroker.providerName}}",
        receiver.url
    )
}

/// A webhook for contract events with a JSON body of every contract variable.
fn contract_webhook(
    receiver: &Receiver,
    prefix: &str,
    events: &[&str],
    consumer: Option<&str>,
    provider: Option<&str>,
) -> Value {
    let mut webhook = json!({
        "description": format!("{prefix} webhook"),
        "events": events.iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
        "request": {
            "method": "POST",
            "url": contract_url(receiver, prefix),
            "headers": {
                "Content-Type": "application/json",
                "X-Event": "${pactbroker.eventName}",
                "X-Consumer": "${pactbroker.consumerName}",
            },
            "body": {
                "event": "${pactbroker.eventName}",
                "consumer": "${pactbroker.consumerName}",
                "provider": "${pactbroker.providerName}",
                "version": "${pactbroker.consumerVersionNumber}",
                "branch": "${pactbroker.consumerVersionBranch}",
                "tags": "${pactbroker.consumerVersionTags}",
                "pactUrl": "${pactbroker.pactUrl}",
                "buildUrl": "${pactbroker.buildUrl}",
            },
        },
    });
    if let Some(consumer) = consumer {
        webhook["consumer"] = json!({ "name": consumer });
    }
    if let Some(provider) = provider {
        webhook["provider"] = json!({ "name": provider });
    }
    webhook
}

/// What one contract call must carry.
struct Expected<'a> {
    prefix: &'a str,
    event: &'a str,
    consumer: &'a str,
    version: &'a str,
    branch: &'a str,
    tags: &'a str,
    build_url: &'a str,
    /// A word of the pact's content (its interaction's description).
    variant: &'a str,
}

impl Expected<'_> {
    /// The request target the receiver must see: every value percent-encoded.
    fn target(&self) -> String {
        let encode = |text: &str| -> String {
            text.bytes()
                .map(|byte| {
                    if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                        (byte as char).to_string()
                    } else {
                        format!("%{byte:02X}")
                    }
                })
                .collect()
        };
        format!(
            "/{}/{}/{}/{}?branch={}&tags={}&provider=orders",
            self.prefix,
            self.event,
            encode(self.consumer),
            encode(self.version),
            encode(self.branch),
            encode(self.tags)
        )
    }
}

/// Checks one contract call against what it must carry, and fetches its `pactUrl`.
fn check_contract_call(backend: &str, call: &Call, expected: &Expected<'_>) {
    let context = format!("[{backend}] {} {}", call.method, call.target);
    assert_eq!(call.method, "POST", "{context}");
    assert_eq!(call.header("X-Event"), Some(expected.event), "{context}");
    assert_eq!(
        call.header("X-Consumer"),
        Some(expected.consumer),
        "{context}"
    );
    assert_eq!(
        call.header("Content-Type"),
        Some("application/json"),
        "{context}"
    );
    let body = call.json();
    assert_eq!(body["event"], expected.event, "{context}: {body}");
    assert_eq!(body["consumer"], expected.consumer, "{context}: {body}");
    assert_eq!(body["provider"], "orders", "{context}: {body}");
    assert_eq!(body["version"], expected.version, "{context}: {body}");
    assert_eq!(body["branch"], expected.branch, "{context}: {body}");
    assert_eq!(body["tags"], expected.tags, "{context}: {body}");
    assert_eq!(body["buildUrl"], expected.build_url, "{context}: {body}");
    let pact_url = body["pactUrl"].as_str().expect("a pactUrl");
    let (status, pact) = call_get(pact_url);
    assert_eq!(status, 200, "{context}: GET pactUrl {pact_url}: {pact}");
    assert_eq!(pact["consumer"]["name"], expected.consumer, "{context}");
    assert_eq!(pact["provider"]["name"], "orders", "{context}");
    let description = pact["interactions"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        description.contains(expected.variant),
        "{context}: pactUrl {pact_url} is another pact: {pact}"
    );
}

fn call_get(url: &str) -> (u16, Value) {
    call(Method::GET, url, None)
}

#[test]
fn each_event_fires_the_right_webhooks_with_rendered_templates() {
    for database in Database::all("each_event_fires_the_right_webhooks_with_rendered_templates") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        for name in ["Web App", "mobile", "orders"] {
            pacticipant(&broker, name);
        }
        let published = ["contract_published", "contract_content_changed"];
        let global = create(
            &broker,
            &contract_webhook(&receiver, "global", &published, None, None),
        );
        let consumer = create(
            &broker,
            &contract_webhook(
                &receiver,
                "consumer",
                &["contract_published"],
                Some("Web App"),
                None,
            ),
        );
        let pair = create(
            &broker,
            &contract_webhook(
                &receiver,
                "pair",
                &["contract_content_changed"],
                Some("Web App"),
                Some("orders"),
            ),
        );
        let other = create(
            &broker,
            &contract_webhook(
                &receiver,
                "other",
                &["contract_published"],
                Some("mobile"),
                None,
            ),
        );
        let verification = create(
            &broker,
            &json!({
                "description": "verification webhook",
                "events": [
                    { "name": "provider_verification_published" },
                    { "name": "provider_verification_succeeded" },
                    { "name": "provider_verification_failed" },
                ],
                "request": {
                    "method": "PUT",
                    "url": format!(
                        "{}/verification/${{pactbroker.eventName}}?status=${{pactbroker.githubVerificationStatus}}&pv=${{pactbroker.providerVersionNumber}}&pvb=${{pactbroker.providerVersionBranch}}&c=${{pactbroker.consumerName}}&cv=${{pactbroker.consumerVersionNumber}}",
                        receiver.url
                    ),
                    "headers": { "X-Status": "${pactbroker.githubVerificationStatus}" },
                    "body": {
                        "providerVersion": "${pactbroker.providerVersionNumber}",
                        "providerBranch": "${pactbroker.providerVersionBranch}",
                        "verificationResultUrl": "${pactbroker.verificationResultUrl}",
                        "status": "${pactbroker.githubVerificationStatus}",
                    },
                },
            }),
        );

        // 1. A first publication: content changed (there was none) and published.
        Publication {
            branch: Some("feat/x"),
            tags: &["v1", "beta"],
            build_url: Some("https://ci.example.com/builds/1?job=a b"),
            ..Publication::new("Web App", "1.0.0")
        }
        .publish(&broker, &[("orders", pact("Web App", "orders", "A"))]);
        // 2. The same content from the next version: published, content unchanged.
        Publication {
            branch: Some("feat/x"),
            ..Publication::new("Web App", "1.0.1")
        }
        .publish(&broker, &[("orders", pact("Web App", "orders", "A"))]);
        // 3. Another consumer's first publication.
        Publication {
            branch: Some("main"),
            tags: &["prod"],
            ..Publication::new("mobile", "3.0.0")
        }
        .publish(&broker, &[("orders", pact("mobile", "orders", "M"))]);
        // 4. Two verification results of Web App's content, by provider versions on branch
        //    develop: one passes, one fails.
        for provider_version in ["2.0.0", "2.0.1"] {
            ok(
                &broker,
                Method::PUT,
                &format!("/pacticipants/orders/branches/develop/versions/{provider_version}"),
                Some(&json!({})),
            );
        }
        let passed = verify(&broker, ("orders", "Web%20App", "1.0.1"), "2.0.0", true);
        let failed = verify(&broker, ("orders", "Web%20App", "1.0.1"), "2.0.1", false);

        let web = |prefix, event, version, tags, build_url| Expected {
            prefix,
            event,
            consumer: "Web App",
            version,
            branch: "feat/x",
            tags,
            build_url,
            variant: "(A)",
        };
        let first_build = "https://ci.example.com/builds/1?job=a b";
        let mobile = |prefix, event| Expected {
            prefix,
            event,
            consumer: "mobile",
            version: "3.0.0",
            branch: "main",
            tags: "prod",
            build_url: "",
            variant: "(M)",
        };
        let expected = [
            web(
                "global",
                "contract_published",
                "1.0.0",
                "v1, beta",
                first_build,
            ),
            web(
                "global",
                "contract_content_changed",
                "1.0.0",
                "v1, beta",
                first_build,
            ),
            web(
                "consumer",
                "contract_published",
                "1.0.0",
                "v1, beta",
                first_build,
            ),
            web(
                "pair",
                "contract_content_changed",
                "1.0.0",
                "v1, beta",
                first_build,
            ),
            web("global", "contract_published", "1.0.1", "", ""),
            web("consumer", "contract_published", "1.0.1", "", ""),
            mobile("global", "contract_published"),
            mobile("global", "contract_content_changed"),
            mobile("other", "contract_published"),
        ];
        let total = expected.len() + 4;
        let (calls, arrived) = receiver.wait_until(DEADLINE, |calls| calls.len() >= total);
        assert!(
            arrived,
            "[{backend}] {} of {total} calls arrived:\n{}\nbroker log:\n{}",
            calls.len(),
            receiver::list(&calls),
            broker.log()
        );
        // Nothing more is on its way: every delivery is settled, and there are as many.
        let counts = [
            (&global, 5),
            (&consumer, 2),
            (&pair, 1),
            (&other, 1),
            (&verification, 4),
        ];
        for (uuid, count) in counts {
            let settled = wait_settled(&broker, uuid, count, DEADLINE);
            for delivery in &settled {
                assert_eq!(delivery["status"], "delivered", "[{backend}] {delivery}");
                assert_eq!(delivery["attemptCount"], 1, "[{backend}] {delivery}");
            }
        }
        let calls = receiver.calls();
        assert_eq!(
            calls.len(),
            total,
            "[{backend}] calls:\n{}",
            receiver::list(&calls)
        );

        let contract_calls: Vec<&Call> = calls
            .iter()
            .filter(|call| !call.target.starts_with("/verification/"))
            .collect();
        let targets: BTreeSet<String> = contract_calls
            .iter()
            .map(|call| call.target.clone())
            .collect();
        let wanted: BTreeSet<String> = expected.iter().map(Expected::target).collect();
        assert_eq!(
            targets,
            wanted,
            "[{backend}] the contract calls (URLs rendered and percent-encoded):\n{}",
            receiver::list(&calls)
        );
        for expectation in &expected {
            let call = contract_calls
                .iter()
                .find(|call| call.target == expectation.target())
                .expect("matched above");
            check_contract_call(backend, call, expectation);
        }

        // The verification events: published plus succeeded or failed, with the provider
        // version, its branch, the result's URL and the GitHub status.
        let verification_calls: Vec<&Call> = calls
            .iter()
            .filter(|call| call.target.starts_with("/verification/"))
            .collect();
        let targets: BTreeSet<String> = verification_calls
            .iter()
            .map(|call| call.target.clone())
            .collect();
        let mut wanted = BTreeSet::new();
        for (event, status, version) in [
            ("provider_verification_published", "success", "2.0.0"),
            ("provider_verification_succeeded", "success", "2.0.0"),
            ("provider_verification_published", "failure", "2.0.1"),
            ("provider_verification_failed", "failure", "2.0.1"),
        ] {
            wanted.insert(format!(
                "/verification/{event}?status={status}&pv={version}&pvb=develop&c=Web%20App&cv=1.0.1"
            ));
        }
        assert_eq!(
            targets,
            wanted,
            "[{backend}] verification calls:\n{}",
            receiver::list(&calls)
        );
        for call in verification_calls {
            let context = format!("[{backend}] {}", call.target);
            assert_eq!(call.method, "PUT", "{context}");
            let body = call.json();
            let (version, status, result) = if call.target.contains("pv=2.0.0") {
                ("2.0.0", "success", &passed)
            } else {
                ("2.0.1", "failure", &failed)
            };
            assert_eq!(call.header("X-Status"), Some(status), "{context}");
            assert_eq!(body["providerVersion"], version, "{context}: {body}");
            assert_eq!(body["providerBranch"], "develop", "{context}: {body}");
            assert_eq!(body["status"], status, "{context}: {body}");
            let url = body["verificationResultUrl"].as_str().expect("a URL");
            assert_eq!(
                Some(url),
                result["_links"]["self"]["href"].as_str(),
                "{context}: the result's own URL"
            );
            let (got, fetched) = call_get(url);
            assert_eq!(got, 200, "{context}: GET {url}: {fetched}");
            assert_eq!(
                fetched["success"],
                status == "success",
                "{context}: {fetched}"
            );
            assert_eq!(fetched["providerApplicationVersion"], version, "{context}");
        }
    }
}

#[test]
fn contract_requiring_verification_published_fires_once_per_required_provider_version() {
    for database in Database::all(
        "contract_requiring_verification_published_fires_once_per_required_provider_version",
    ) {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        pacticipant(&broker, "web");
        pacticipant(&broker, "orders");
        ok(
            &broker,
            Method::PATCH,
            "/pacticipants/orders",
            Some(&json!({ "mainBranch": "main" })),
        );
        // The main branch's head is 5.1.0; 4.0.0 (on branch release) is deployed to production.
        for version in ["5.0.0", "5.1.0"] {
            ok(
                &broker,
                Method::PUT,
                &format!("/pacticipants/orders/branches/main/versions/{version}"),
                Some(&json!({})),
            );
        }
        ok(
            &broker,
            Method::PUT,
            "/pacticipants/orders/branches/release/versions/4.0.0",
            Some(&json!({})),
        );
        let environment = ok(
            &broker,
            Method::POST,
            "/environments",
            Some(&json!({ "name": "production", "displayName": "Production", "production": true })),
        );
        let environment = environment["uuid"].as_str().expect("an environment uuid");
        ok(
            &broker,
            Method::POST,
            &format!(
                "/pacticipants/orders/versions/4.0.0/deployed-versions/environment/{environment}"
            ),
            Some(&json!({})),
        );
        let uuid = create(
            &broker,
            &json!({
                "events": [{ "name": "contract_requiring_verification_published" }],
                "request": {
                    "method": "POST",
                    "url": format!(
                        "{}/requires/${{pactbroker.providerVersionNumber}}?cv=${{pactbroker.consumerVersionNumber}}&branch=${{pactbroker.providerVersionBranch}}",
                        receiver.url
                    ),
                    "body": {
                        "event": "${pactbroker.eventName}",
                        "providerVersion": "${pactbroker.providerVersionNumber}",
                        "descriptions": "${pactbroker.providerVersionDescriptions}",
                        "pactUrl": "${pactbroker.pactUrl}",
                    },
                },
            }),
        );

        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        let settled = wait_settled(&broker, &uuid, 2, DEADLINE);
        assert!(
            settled
                .iter()
                .all(|delivery| delivery["status"] == "delivered"
                    && delivery["event"] == "contract_requiring_verification_published"),
            "[{backend}] {settled:?}"
        );
        let calls = receiver.calls();
        let targets: BTreeSet<&str> = calls.iter().map(|call| call.target.as_str()).collect();
        assert_eq!(
            targets,
            BTreeSet::from([
                "/requires/5.1.0?cv=1.0.0&branch=main",
                "/requires/4.0.0?cv=1.0.0&branch=release",
            ]),
            "[{backend}] one call per provider version that must verify:\n{}",
            receiver::list(&calls)
        );
        for call in &calls {
            let body = call.json();
            let context = format!("[{backend}] {}: {body}", call.target);
            assert_eq!(
                body["event"], "contract_requiring_verification_published",
                "{context}"
            );
            let descriptions = if body["providerVersion"] == "5.1.0" {
                "latest from main branch"
            } else {
                "deployed in production"
            };
            assert_eq!(body["descriptions"], descriptions, "{context}");
            let (status, _) = call_get(body["pactUrl"].as_str().expect("a pactUrl"));
            assert_eq!(status, 200, "{context}");
        }

        // 4.0.0 verifies the content; the same content from the next consumer version needs
        // only the main branch's head.
        verify(&broker, ("orders", "web", "1.0.0"), "4.0.0", true);
        Publication::new("web", "1.0.1")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        wait_settled(&broker, &uuid, 3, DEADLINE);
        let calls = receiver.calls();
        let later: Vec<&str> = calls
            .iter()
            .map(|call| call.target.as_str())
            .filter(|target| target.contains("cv=1.0.1"))
            .collect();
        assert_eq!(
            later,
            ["/requires/5.1.0?cv=1.0.1&branch=main"],
            "[{backend}] 4.0.0 has verified this content:\n{}",
            receiver::list(&calls)
        );
    }
}

/// The header secret, the password and the basic-auth credential they make.
const HEADER_SECRET: &str = "Bearer hdr-s3cr3t-7f1d";
const PASSWORD: &str = "pw-s3cr3t-91ac";

fn secrets() -> [String; 4] {
    use base64::Engine;
    [
        HEADER_SECRET.to_owned(),
        "hdr-s3cr3t-7f1d".to_owned(),
        PASSWORD.to_owned(),
        base64::engine::general_purpose::STANDARD.encode(format!("hook-user:{PASSWORD}")),
    ]
}

fn assert_no_secret(backend: &str, what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "[{backend}] {what} shows the secret {secret:?}:\n{text}"
        );
    }
}

/// Two webhooks with secrets (an `Authorization` header; a basic-auth password) to `path`.
fn secret_webhooks(broker: &Broker, receiver: &Receiver, path: &str) -> (String, String) {
    let header = create(
        broker,
        &json!({
            "description": "header secret",
            "events": [{ "name": "contract_published" }],
            "request": {
                "method": "POST",
                "url": format!("{}{path}/header", receiver.url),
                "headers": { "Authorization": HEADER_SECRET, "X-Plain": "visible" },
                "body": { "consumer": "${pactbroker.consumerName}" },
            },
        }),
    );
    let basic = create(
        broker,
        &json!({
            "description": "basic auth",
            "events": [{ "name": "contract_published" }],
            "request": {
                "method": "POST",
                "url": format!("{}{path}/basic", receiver.url),
                "username": "hook-user",
                "password": PASSWORD,
            },
        }),
    );
    (header, basic)
}

#[test]
fn webhook_secrets_are_redacted_in_reads_deliveries_and_logs() {
    for database in Database::all("webhook_secrets_are_redacted_in_reads_deliveries_and_logs") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        let (header, basic) = secret_webhooks(&broker, &receiver, "/hook");

        let read = ok(&broker, Method::GET, &format!("/webhooks/{header}"), None);
        assert_eq!(
            read["request"]["headers"]["Authorization"], "**********",
            "[{backend}] {read}"
        );
        assert_eq!(
            read["request"]["headers"]["X-Plain"], "visible",
            "[{backend}] {read}"
        );
        let read_basic = ok(&broker, Method::GET, &format!("/webhooks/{basic}"), None);
        assert_eq!(
            read_basic["request"]["username"], "hook-user",
            "[{backend}]"
        );
        assert_eq!(
            read_basic["request"]["password"], "**********",
            "[{backend}] {read_basic}"
        );
        let listing = ok(&broker, Method::GET, "/webhooks", None);
        for (what, text) in [
            ("GET /webhooks/{uuid}", read.to_string()),
            ("GET /webhooks/{uuid} (basic)", read_basic.to_string()),
            ("GET /webhooks", listing.to_string()),
        ] {
            assert_no_secret(backend, what, &text);
        }

        // The receiver gets the secrets; nothing the broker shows or logs has them.
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        for uuid in [&header, &basic] {
            let settled = wait_settled(&broker, uuid, 1, DEADLINE);
            assert_eq!(settled[0]["status"], "delivered", "[{backend}] {settled:?}");
            assert_no_secret(
                backend,
                "the deliveries listing",
                &serde_json::to_string(&settled).unwrap(),
            );
        }
        let calls = receiver.calls();
        let sent = |suffix: &str| {
            calls
                .iter()
                .find(|call| call.path().ends_with(suffix))
                .unwrap_or_else(|| panic!("no call to {suffix}: {}", receiver::list(&calls)))
        };
        assert_eq!(
            sent("/header").header("Authorization"),
            Some(HEADER_SECRET),
            "[{backend}]"
        );
        assert_eq!(
            sent("/basic").header("Authorization"),
            Some(format!("Basic {}", secrets()[3]).as_str()),
            "[{backend}]"
        );
        let executed = ok(
            &broker,
            Method::POST,
            &format!("/webhooks/{header}/execute"),
            None,
        );
        assert_eq!(
            executed["request"]["headers"]["Authorization"], "**********",
            "[{backend}] {executed}"
        );
        assert_no_secret(
            backend,
            "the test execution's answer",
            &executed.to_string(),
        );
        assert_no_secret(backend, "the broker's log", &broker.log());
    }
}

/// A receiver that echoes the request back (httpbin, postman-echo and many CI test endpoints
/// do) puts the webhook's `Authorization` value and basic-auth credential into its response
/// body; the broker keeps the first 4 KiB of that body as the attempt's `responseExcerpt` and
/// shows it in `GET /webhooks/{uuid}/deliveries` and `POST /webhooks/{uuid}/execute`, with every
/// secret of the request redacted (as the Pact Broker's `RedactLogs` does).
#[test]
fn secrets_echoed_by_the_receiver_are_redacted_in_deliveries_and_executions() {
    for database in Database::all("secrets_echoed_by_the_receiver_are_redacted") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        let (header, basic) = secret_webhooks(&broker, &receiver, "/echo");
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        for uuid in [&header, &basic] {
            let settled = wait_settled(&broker, uuid, 1, DEADLINE);
            assert_eq!(settled[0]["status"], "delivered", "[{backend}] {settled:?}");
            assert_no_secret(
                backend,
                "the deliveries listing (the receiver's echo in responseExcerpt)",
                &serde_json::to_string(&settled).unwrap(),
            );
        }
        let executed = ok(
            &broker,
            Method::POST,
            &format!("/webhooks/{header}/execute"),
            None,
        );
        assert_no_secret(
            backend,
            "the test execution's answer (the receiver's echo in response.body)",
            &executed.to_string(),
        );
    }
}

/// Milliseconds between consecutive arrivals.
fn gaps(calls: &[Call]) -> Vec<u128> {
    calls
        .windows(2)
        .map(|pair| pair[1].at.duration_since(pair[0].at).as_millis())
        .collect()
}

#[test]
fn failing_receivers_are_retried_with_growing_delays() {
    for database in Database::all("failing_receivers_are_retried_with_growing_delays") {
        let backend = database.backend;
        let receiver = Receiver::start();
        receiver.fail_next(3);
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        let uuid = create(
            &broker,
            &json!({
                "events": [{ "name": "contract_published" }],
                "request": { "method": "POST", "url": format!("{}/retry", receiver.url) },
            }),
        );
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        // Retries 200, 800 and 3 200 ms apart (each ±20 %).
        let (calls, arrived) = receiver.wait_until(DEADLINE, |calls| calls.len() >= 4);
        assert!(
            arrived,
            "[{backend}] {}\n{}",
            receiver::list(&calls),
            broker.log()
        );
        let settled = wait_settled(&broker, &uuid, 1, DEADLINE);
        let delivery = &settled[0];
        assert_eq!(delivery["status"], "delivered", "[{backend}] {delivery}");
        assert_eq!(delivery["attemptCount"], 4, "[{backend}] {delivery}");
        let attempts = delivery["attempts"].as_array().expect("attempts");
        let statuses: Vec<&Value> = attempts.iter().map(|a| &a["responseStatus"]).collect();
        assert_eq!(statuses, [500, 500, 500, 200], "[{backend}] {delivery}");
        let numbers: Vec<&Value> = attempts.iter().map(|a| &a["number"]).collect();
        assert_eq!(numbers, [1, 2, 3, 4], "[{backend}] {delivery}");
        assert_eq!(
            attempts
                .iter()
                .map(|a| a["success"].clone())
                .collect::<Vec<_>>(),
            [false, false, false, true],
            "[{backend}] {delivery}"
        );
        assert!(
            delivery.get("nextAttemptAt").is_none(),
            "[{backend}] {delivery}"
        );

        let calls = receiver.calls();
        assert_eq!(calls.len(), 4, "[{backend}] {}", receiver::list(&calls));
        let answered: Vec<u16> = calls.iter().map(|call| call.answered).collect();
        assert_eq!(answered, [500, 500, 500, 200], "[{backend}]");
        let gaps = gaps(&calls);
        for (gap, base) in gaps.iter().zip([200u128, 800, 3200]) {
            // ±20 % jitter; late by at most a poll interval (50 ms) and a slow machine's
            // scheduling.
            assert!(
                *gap >= base * 8 / 10 && *gap <= base * 12 / 10 + 400,
                "[{backend}] gaps {gaps:?} ms: expected about 200, 800, 3200 (±20 %)"
            );
        }
        assert!(
            gaps.windows(2).all(|pair| pair[1] > pair[0]),
            "[{backend}] gaps {gaps:?} do not grow"
        );
    }
}

#[test]
fn a_receiver_that_always_fails_is_given_up_after_max_attempts() {
    for database in Database::all("a_receiver_that_always_fails_is_given_up_after_max_attempts") {
        let backend = database.backend;
        let receiver = Receiver::start();
        receiver.fail_always(true);
        let mut args = PERMISSIVE.to_vec();
        args.extend(["--webhook-max-attempts", "2"]);
        let broker = Broker::start_with_args(&database, "broker", &args);
        let uuid = create(
            &broker,
            &json!({
                "events": [{ "name": "contract_published" }],
                "request": { "method": "POST", "url": format!("{}/down", receiver.url) },
            }),
        );
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        let settled = wait_settled(&broker, &uuid, 1, DEADLINE);
        let delivery = &settled[0];
        assert_eq!(delivery["status"], "failed", "[{backend}] {delivery}");
        assert_eq!(delivery["attemptCount"], 2, "[{backend}] {delivery}");
        let statuses: Vec<&Value> = delivery["attempts"]
            .as_array()
            .expect("attempts")
            .iter()
            .map(|a| &a["responseStatus"])
            .collect();
        assert_eq!(statuses, [500, 500], "[{backend}] {delivery}");
        // No third call comes, even after the next retry would have been due (800 ms ± 20 %).
        std::thread::sleep(Duration::from_millis(1200));
        let calls = receiver.calls();
        assert_eq!(calls.len(), 2, "[{backend}] {}", receiver::list(&calls));
        assert_eq!(
            deliveries(&broker, &uuid)[0]["attemptCount"],
            2,
            "[{backend}]"
        );
    }
}

/// `POST /webhooks` with a webhook calling `url`: the status and the answer.
fn try_create(broker: &Broker, url: &str) -> (u16, Value) {
    call(
        Method::POST,
        &broker.at("/webhooks"),
        Some(&json!({
            "events": [{ "name": "contract_published" }],
            "request": { "method": "POST", "url": url },
        })),
    )
}

fn assert_refused(backend: &str, broker: &Broker, url: &str, mentions: &str) {
    let (status, answer) = try_create(broker, url);
    assert_eq!(status, 400, "[{backend}] {url} was accepted: {answer}");
    let errors = answer["errors"]["request.url"].to_string();
    assert!(
        answer["errors"]["request.url"].is_array() && errors.contains(mentions),
        "[{backend}] {url}: expected errors[\"request.url\"] mentioning {mentions:?}, got {answer}"
    );
}

#[test]
fn disallowed_targets_are_refused_at_creation() {
    for database in Database::all("disallowed_targets_are_refused_at_creation") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let port = receiver.port;
        // Only 127.0.0.1 is allowed, over http.
        let broker = Broker::start_with_args(&database, "permissive", &PERMISSIVE);
        let (status, answer) = try_create(&broker, &format!("http://127.0.0.1:{port}/ok"));
        assert_eq!(status, 201, "[{backend}] {answer}");
        // `localhost` is not on the list, though it resolves to an allowed address.
        assert_refused(
            backend,
            &broker,
            &format!("http://localhost:{port}/x"),
            "localhost",
        );
        assert_refused(
            backend,
            &broker,
            &format!("http://127.0.0.2:{port}/x"),
            "127.0.0.2",
        );
        // https is not allowed here; ftp never is.
        assert_refused(
            backend,
            &broker,
            &format!("https://127.0.0.1:{port}/x"),
            "https",
        );
        assert_refused(
            backend,
            &broker,
            &format!("ftp://127.0.0.1:{port}/x"),
            "ftp",
        );
        drop(broker);

        // No host allow-list, http allowed: only public addresses may be called.
        let broker = Broker::start_with_args(
            &database,
            "public-only",
            &["--webhook-scheme-allow", "http"],
        );
        assert_refused(
            backend,
            &broker,
            &format!("http://127.0.0.1:{port}/x"),
            "127.0.0.1",
        );
        assert_refused(
            backend,
            &broker,
            &format!("http://localhost:{port}/x"),
            "localhost",
        );
        assert_refused(backend, &broker, "http://10.1.2.3/x", "10.1.2.3");
        // A name that does not resolve is accepted now and checked again at delivery.
        let (status, answer) = try_create(&broker, "http://webhook.invalid/x");
        assert_eq!(status, 201, "[{backend}] {answer}");
        drop(broker);

        // The defaults: https only.
        let broker = Broker::start_with_args(&database, "defaults", &[]);
        assert_refused(backend, &broker, "http://example.com/x", "http");
    }
}

#[test]
fn a_target_disallowed_since_creation_is_refused_at_delivery() {
    for database in Database::all("a_target_disallowed_since_creation_is_refused_at_delivery") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "permissive", &PERMISSIVE);
        let uuid = create(
            &broker,
            &json!({
                "events": [{ "name": "contract_published" }],
                "request": { "method": "POST", "url": format!("{}/refused", receiver.url) },
            }),
        );
        drop(broker);
        // The same database, loopback no longer allowed.
        let broker = Broker::start_with_args(
            &database,
            "strict",
            &[
                "--webhook-scheme-allow",
                "http",
                "--webhook-retry-delay-ms",
                "200",
                "--webhook-poll-ms",
                "50",
            ],
        );
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        let settled = wait_settled(&broker, &uuid, 1, DEADLINE);
        let delivery = &settled[0];
        assert_eq!(delivery["status"], "failed", "[{backend}] {delivery}");
        assert_eq!(
            delivery["attemptCount"], 1,
            "[{backend}] not retried: {delivery}"
        );
        let error = delivery["attempts"][0]["error"]
            .as_str()
            .unwrap_or_default();
        assert!(
            error.contains("127.0.0.1"),
            "[{backend}] the error names the address: {delivery}"
        );
        assert!(
            delivery["attempts"][0]["responseStatus"].is_null(),
            "[{backend}] {delivery}"
        );
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            receiver.calls().is_empty(),
            "[{backend}] the receiver was called: {}",
            receiver::list(&receiver.calls())
        );
    }
}

#[test]
fn executing_a_webhook_reports_the_receivers_answer() {
    for database in Database::all("executing_a_webhook_reports_the_receivers_answer") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        let uuid = create(
            &broker,
            &json!({
                "consumer": { "name": "web" },
                "provider": { "name": "orders" },
                "events": [{ "name": "contract_content_changed" }],
                "request": {
                    "method": "POST",
                    "url": format!("{}/exec/${{pactbroker.eventName}}/${{pactbroker.consumerVersionNumber}}", receiver.url),
                    "body": { "pact": "${pactbroker.pactUrl}" },
                },
            }),
        );
        let (status, answer) = call(
            Method::POST,
            &broker.at(&format!("/webhooks/{uuid}/execute")),
            None,
        );
        assert_eq!(status, 200, "[{backend}] {answer}");
        assert_eq!(answer["success"], true, "[{backend}] {answer}");
        assert_eq!(answer["response"]["status"], 200, "[{backend}] {answer}");
        assert_eq!(
            answer["response"]["body"],
            json!({ "received": "POST /exec/test/1.0.0" }),
            "[{backend}] the receiver's body: {answer}"
        );
        let calls = receiver.calls();
        assert_eq!(calls.len(), 1, "[{backend}] {}", receiver::list(&calls));
        let pact_url = calls[0].json()["pact"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(call_get(&pact_url).0, 200, "[{backend}] {pact_url}");

        receiver.fail_always(true);
        let (status, answer) = call(
            Method::POST,
            &broker.at(&format!("/webhooks/{uuid}/execute")),
            None,
        );
        assert_eq!(status, 502, "[{backend}] {answer}");
        assert_eq!(answer["success"], false, "[{backend}] {answer}");
        assert_eq!(answer["response"]["status"], 500, "[{backend}] {answer}");
        assert_eq!(
            answer["response"]["body"],
            json!({ "error": "failing on purpose" }),
            "[{backend}] {answer}"
        );
        // A test execution records no delivery and is not retried.
        assert!(deliveries(&broker, &uuid).is_empty(), "[{backend}]");
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(receiver.calls().len(), 2, "[{backend}]");
    }
}
