//! What of a webhook is never shown: the values of secret-looking headers, the password, and
//! secret query parameters, in the webhook's API representation and in delivery logs.
//!
//! The Pact Broker redacts headers whose name contains `authorization` or `token`
//! (`webhook_request.rb`, `http_request_with_redacted_headers.rb`) and the password; this
//! redacts more names (cookies, `secret`, `password`, `key`, `auth`, `session`,
//! `credential`), and redacts them even when the value holds a template variable (the Pact
//! Broker shows those, which would show `Bearer abc${pactbroker.x}` whole).

/// What a secret is shown as (the Pact Broker's ten stars).
pub const REDACTED: &str = "**********";

/// Header names that are secret as a whole.
const SECRET_NAMES: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Parts of a header or parameter name that make it secret.
const SECRET_PARTS: &[&str] = &[
    "auth",
    "token",
    "secret",
    "password",
    "passwd",
    "key",
    "cookie",
    "session",
    "credential",
    "signature",
];

/// Whether a header (or query parameter) of this name carries a secret, case-insensitively:
/// `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and any name containing
/// `auth`, `token`, `secret`, `password`, `passwd`, `key` (so `api-key`, `apikey`,
/// `x-functions-key`), `cookie`, `session`, `credential` or `signature`.
pub fn is_secret_header(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    SECRET_NAMES.contains(&name.as_str()) || SECRET_PARTS.iter().any(|part| name.contains(part))
}

/// The value to show for a header: [`REDACTED`] for a secret one, else the value.
pub fn redact_header_value(name: &str, value: &str) -> String {
    if is_secret_header(name) {
        REDACTED.to_owned()
    } else {
        value.to_owned()
    }
}

/// The password to show: [`REDACTED`] when there is one (the Pact Broker's `display_password`
/// shows a password holding a template variable; this does not).
pub fn redact_password(password: Option<&str>) -> Option<&'static str> {
    password.map(|_| REDACTED)
}

/// Whether a value sent back in an update is the redacted placeholder (only `*`s), meaning
/// "keep the stored value", as the Pact Broker's `maintain_redacted_params` reads it; an empty
/// value is not (it clears).
pub fn is_redacted_placeholder(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|byte| byte == b'*')
}

/// `text` (a delivery log, a response body) with every occurrence of each non-blank secret
/// (the password, secret header values) replaced by [`REDACTED`], as the Pact Broker's
/// `RedactLogs` does with its values; longer secrets first, so one inside another cannot
/// leave a part showing.
pub fn redact_secrets(text: &str, secrets: &[&str]) -> String {
    let mut secrets: Vec<&str> = secrets
        .iter()
        .copied()
        .filter(|secret| !secret.trim().is_empty())
        .collect();
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    secrets.into_iter().fold(text.to_owned(), |text, secret| {
        text.replace(secret, REDACTED)
    })
}

/// A URL to show in a read or a log: the password of any user info and the value of each query
/// parameter whose name [`is_secret_header`] are replaced by [`REDACTED`]; everything else is
/// left byte for byte as it was (a template keeps its `${pactbroker.*}` variables), so a URL
/// that needs no redaction comes back unchanged. Text without `://` is returned as it is.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return url.to_owned();
    };
    let (before_fragment, fragment) = match url.find('#') {
        Some(at) => url.split_at(at),
        None => (url, ""),
    };
    let (base, query) = match before_fragment.find('?') {
        Some(at) => (&before_fragment[..at], Some(&before_fragment[at + 1..])),
        None => (before_fragment, None),
    };
    let authority_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |at| scheme_end + at);
    let authority = &base[scheme_end..authority_end];
    let mut redacted = base[..scheme_end].to_owned();
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            match userinfo.split_once(':') {
                Some((user, _)) => redacted.push_str(&format!("{user}:{REDACTED}")),
                None => redacted.push_str(userinfo),
            }
            redacted.push('@');
            redacted.push_str(host);
        }
        None => redacted.push_str(authority),
    }
    redacted.push_str(&base[authority_end..]);
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if is_secret_header(&decode(name)) => {
                    format!("{name}={REDACTED}")
                }
                _ => pair.to_owned(),
            })
            .collect();
        redacted.push('?');
        redacted.push_str(&pairs.join("&"));
    }
    redacted.push_str(fragment);
    redacted
}

fn decode(component: &str) -> String {
    percent_encoding::percent_decode_str(&component.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_headers_are_recognised_case_insensitively() {
        let table = [
            ("Authorization", true),
            ("authorization", true),
            ("AUTHORIZATION", true),
            ("Proxy-Authorization", true),
            ("X-Authorization", true),
            ("X-Auth-Token", true),
            ("X-Authorization-Token", true),
            ("Token", true),
            ("X-Custom-Token", true),
            ("PRIVATE-TOKEN", true),
            ("Cookie", true),
            ("Set-Cookie", true),
            ("X-Api-Key", true),
            ("apikey", true),
            ("X-Functions-Key", true),
            ("Ocp-Apim-Subscription-Key", true),
            ("X-Client-Secret", true),
            ("X-Password", true),
            ("X-Session-Id", true),
            ("X-Hub-Signature-256", true),
            (" authorization ", true),
            ("Content-Type", false),
            ("Accept", false),
            ("User-Agent", false),
            ("X-Request-Id", false),
            ("", false),
        ];
        for (name, secret) in table {
            assert_eq!(is_secret_header(name), secret, "{name}");
            let shown = redact_header_value(name, "Bearer abc${pactbroker.consumerName}");
            let expected = if secret {
                REDACTED
            } else {
                "Bearer abc${pactbroker.consumerName}"
            };
            assert_eq!(shown, expected, "{name}");
        }
        assert_eq!(REDACTED, "**********");
    }

    #[test]
    fn passwords_and_placeholders() {
        assert_eq!(redact_password(Some("hunter2")), Some(REDACTED));
        assert_eq!(redact_password(Some("${pactbroker.x}")), Some(REDACTED));
        assert_eq!(redact_password(None), None);
        let table = [
            ("**********", true),
            ("*", true),
            ("", false),
            ("**x*", false),
            ("secret", false),
        ];
        for (value, placeholder) in table {
            assert_eq!(is_redacted_placeholder(value), placeholder, "{value:?}");
        }
    }

    #[test]
    fn secrets_are_redacted_in_text() {
        let table: [(&str, &[&str], &str); 4] = [
            (
                "blahfoo\nbar wiffle",
                &["foo", "bar"],
                "blah**********\n********** wiffle",
            ),
            (
                "token abcdef and abc",
                &["abc", "abcdef"],
                "token ********** and **********",
            ),
            ("nothing to hide", &["", "  "], "nothing to hide"),
            (
                "Authorization: Bearer s3cr3t",
                &["Bearer s3cr3t"],
                "Authorization: **********",
            ),
        ];
        for (text, secrets, expected) in table {
            assert_eq!(redact_secrets(text, secrets), expected, "{text}");
        }
    }

    #[test]
    fn urls_lose_passwords_and_secret_parameters() {
        let table = [
            (
                "https://ci.example/build?job=x",
                "https://ci.example/build?job=x",
            ),
            (
                "https://ci.example/build?token=abc&job=x&api_key=k&Auth=1",
                "https://ci.example/build?token=**********&job=x&api_key=**********&Auth=**********",
            ),
            (
                "https://ci.example/b?%74oken=abc",
                "https://ci.example/b?%74oken=**********",
            ),
            (
                "https://u:pw@ci.example/",
                "https://u:**********@ci.example/",
            ),
            (
                "https://ci.example/#token=abc",
                "https://ci.example/#token=abc",
            ),
            ("not a url token=abc", "not a url token=abc"),
            (
                "http://127.0.0.1:9/cli/${pactbroker.consumerName}?token=${pactbroker.buildUrl}&a=${pactbroker.eventName}",
                "http://127.0.0.1:9/cli/${pactbroker.consumerName}?token=**********&a=${pactbroker.eventName}",
            ),
        ];
        for (url, expected) in table {
            assert_eq!(redact_url(url), expected, "{url}");
        }
    }
}
