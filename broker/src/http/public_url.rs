//! The public address that links are built from. Behind a load balancer or ingress the
//! request's own `Host` is the broker's internal address, so: `--base-url` when set; otherwise
//! the `X-Forwarded-Host`, `-Proto`, `-Port` and `-Prefix` headers, but only from a trusted
//! proxy (anyone else could make the broker hand out links to their own host); otherwise the
//! request's scheme and `Host` (which any client sets: behind a proxy, set `--base-url` or
//! make the proxy send `X-Forwarded-Host`). [`public_base`] decides, as a pure function.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::HOST;
use ipnet::IpNet;

/// The operator's settings for the public address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicAddress {
    /// `--base-url` (`PACT_BROKER_BASE_URL`) without its trailing `/`.
    pub base_url: Option<String>,
    /// `--trusted-proxy`: peers whose `X-Forwarded-*` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for PublicAddress {
    fn default() -> Self {
        Self {
            base_url: None,
            trusted_proxies: default_trusted_proxies(),
        }
    }
}

/// Loopback: a proxy on the same host.
pub fn default_trusted_proxies() -> Vec<IpNet> {
    ["127.0.0.0/8", "::1/128"]
        .iter()
        .filter_map(|net| net.parse().ok())
        .collect()
}

/// Checks and normalises a `--base-url`: `http(s)://host[:port][/prefix]`, no query.
pub fn parse_base_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("must start with http:// or https://, found `{url}`"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || !is_plain_host(host) {
        return Err(format!(
            "must name a host, such as https://broker.example.com, found `{url}`"
        ));
    }
    if trimmed.contains(['?', '#', ' ', '"', '<', '>', '\\']) {
        return Err(format!(
            "must be a plain URL without query or fragment, found `{url}`"
        ));
    }
    Ok(trimmed.to_owned())
}

/// A host, optionally with a port: letters, digits, `.`, `-`, `:` and IPv6 brackets.
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// What a proxy said about the original request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forwarded<'a> {
    /// `X-Forwarded-Host`.
    pub host: Option<&'a str>,
    /// `X-Forwarded-Proto`.
    pub proto: Option<&'a str>,
    /// `X-Forwarded-Port`.
    pub port: Option<&'a str>,
    /// `X-Forwarded-Prefix`.
    pub prefix: Option<&'a str>,
}

/// `scheme://host[:port][/prefix]` that links start with. `scheme` and `host` are the
/// request's own; forwarded values that are not plain are ignored.
pub fn public_base(
    settings: &PublicAddress,
    peer: Option<IpAddr>,
    scheme: &str,
    host: &str,
    forwarded: &Forwarded<'_>,
) -> String {
    if let Some(base) = &settings.base_url {
        return base.clone();
    }
    let trusted = peer.map(|peer| peer.to_canonical()).is_some_and(|peer| {
        settings
            .trusted_proxies
            .iter()
            .any(|net| net.contains(&peer))
    });
    if !trusted {
        return format!("{scheme}://{host}");
    }
    let scheme = match nearest(forwarded.proto)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("https") => "https",
        Some("http") => "http",
        _ => scheme,
    };
    let mut host = nearest(forwarded.host)
        .filter(|h| is_plain_host(h))
        .unwrap_or(host)
        .to_owned();
    if let Some(port) = nearest(forwarded.port).and_then(|port| port.parse::<u16>().ok()) {
        host = with_port(&host, port, scheme);
    }
    let prefix = nearest(forwarded.prefix)
        .map(|prefix| prefix.trim_matches('/'))
        .filter(|prefix| {
            !prefix.is_empty()
                && prefix
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'))
        })
        .map(|prefix| format!("/{prefix}"))
        .unwrap_or_default();
    format!("{scheme}://{host}{prefix}")
}

/// The last of a proxy chain's comma-separated values: the one the nearest proxy (the trusted
/// one) added; earlier values may be whatever the client sent.
fn nearest(value: Option<&str>) -> Option<&str> {
    value
        .and_then(|text| text.rsplit(',').next())
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// `host` with its port replaced by `port`, left out when it is the scheme's default.
fn with_port(host: &str, port: u16, scheme: &str) -> String {
    let bare = match host.rfind(']') {
        Some(end) => &host[..=end],
        None => match host.rsplit_once(':') {
            Some((name, old)) if old.chars().all(|c| c.is_ascii_digit()) => name,
            _ => host,
        },
    };
    let default = matches!((scheme, port), ("https", 443) | ("http", 80));
    if default {
        bare.to_owned()
    } else {
        format!("{bare}:{port}")
    }
}

/// The public base of `request`, under the settings the app holds.
pub fn request_base(request: &HttpRequest, settings: &PublicAddress) -> String {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    let host = header(HOST.as_str())
        .filter(|host| is_plain_host(host))
        .map(str::to_owned)
        .unwrap_or_else(|| request.app_config().host().to_owned());
    let scheme = if request.app_config().secure() {
        "https"
    } else {
        "http"
    };
    let forwarded = Forwarded {
        host: header("x-forwarded-host"),
        proto: header("x-forwarded-proto"),
        port: header("x-forwarded-port"),
        prefix: header("x-forwarded-prefix"),
    };
    public_base(
        settings,
        request.peer_addr().map(|a| a.ip()),
        scheme,
        &host,
        &forwarded,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_comes_from_the_setting_then_trusted_proxies_then_the_request() {
        let loopback = Some(IpAddr::from([127, 0, 0, 1]));
        let outsider = Some(IpAddr::from([203, 0, 113, 9]));
        let defaults = PublicAddress::default();
        let configured = PublicAddress {
            base_url: Some("https://broker.example.com/pact".to_owned()),
            ..PublicAddress::default()
        };
        let all = Forwarded {
            host: Some("public.example.com"),
            proto: Some("https"),
            port: Some("8443"),
            prefix: Some("/broker/"),
        };
        let table: [(&PublicAddress, Option<IpAddr>, Forwarded<'_>, &str); 11] = [
            (
                &configured,
                loopback,
                all,
                "https://broker.example.com/pact",
            ),
            (
                &defaults,
                loopback,
                Forwarded::default(),
                "http://internal:9292",
            ),
            (
                &defaults,
                loopback,
                all,
                "https://public.example.com:8443/broker",
            ),
            (&defaults, outsider, all, "http://internal:9292"),
            (&defaults, None, all, "http://internal:9292"),
            (
                &defaults,
                loopback,
                Forwarded {
                    host: Some("evil.example.com, a.example.com"),
                    proto: Some("http, HTTPS"),
                    ..Forwarded::default()
                },
                "https://a.example.com",
            ),
            (
                &defaults,
                loopback,
                Forwarded {
                    host: Some("a.example.com:8080"),
                    proto: Some("https"),
                    port: Some("443"),
                    ..Forwarded::default()
                },
                "https://a.example.com",
            ),
            (
                &defaults,
                loopback,
                Forwarded {
                    host: Some("evil.example.com/x?y"),
                    proto: Some("gopher"),
                    ..Forwarded::default()
                },
                "http://internal:9292",
            ),
            (
                &defaults,
                loopback,
                Forwarded {
                    prefix: Some("/a b"),
                    ..Forwarded::default()
                },
                "http://internal:9292",
            ),
            (
                &defaults,
                loopback,
                Forwarded {
                    port: Some("8080"),
                    ..Forwarded::default()
                },
                "http://internal:8080",
            ),
            (
                &defaults,
                loopback,
                Forwarded {
                    host: Some("[::1]:9000"),
                    port: Some("9001"),
                    ..Forwarded::default()
                },
                "http://[::1]:9001",
            ),
        ];
        for (settings, peer, forwarded, expected) in table {
            assert_eq!(
                public_base(settings, peer, "http", "internal:9292", &forwarded),
                expected,
                "{peer:?} {forwarded:?}"
            );
        }
    }

    #[test]
    fn base_urls_are_checked_and_normalised() {
        assert_eq!(
            parse_base_url("https://b.example.com/"),
            Ok("https://b.example.com".to_owned())
        );
        assert_eq!(
            parse_base_url("http://b:9292/pact/"),
            Ok("http://b:9292/pact".to_owned())
        );
        for bad in [
            "b.example.com",
            "ftp://b",
            "https://",
            "https://b/?q=1",
            "https://b c",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }
}
