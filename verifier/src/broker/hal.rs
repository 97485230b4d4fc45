//! HAL link discovery and following: finding a relation's href in a document, expanding its
//! `{name}` placeholders with percent-encoded values, and resolving the href against the base URL
//! the user gave.
//!
//! Like the Pact clients, only the path and query of an absolute href are kept; scheme, host and
//! port always come from `--broker-base-url`, so a broker behind a proxy that renders its
//! internal host name in links still works.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Url;
use serde_json::Value;

/// Characters kept as they are in an expanded path segment (RFC 3986 unreserved); everything
/// else, `/`, `+` and space included, is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment (`feat/x` -> `feat%2Fx`, `1.0.0+b 7` -> `1.0.0%2Bb%207`).
pub fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// The href of relation `relation` in a HAL document's `_links`; the first one when the relation
/// is an array.
pub fn find_link<'a>(document: &'a Value, relation: &str) -> Option<&'a str> {
    let link = document.get("_links")?.get(relation)?;
    let link = match link {
        Value::Array(links) => links.first()?,
        other => other,
    };
    link.get("href")?.as_str()
}

/// Replaces every `{name}` placeholder in `template` with the percent-encoded value given for
/// `name`; placeholders without a value are left as they are.
pub fn expand(template: &str, values: &[(&str, &str)]) -> String {
    let mut expanded = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        expanded.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            rest = after;
            break;
        };
        let name = &after[1..close];
        match values.iter().find(|(key, _)| *key == name) {
            Some((_, value)) => expanded.push_str(&encode_segment(value)),
            None => expanded.push_str(&after[..=close]),
        }
        rest = &after[close + 1..];
    }
    expanded.push_str(rest);
    expanded
}

/// Resolves an href from the broker against the user's base URL.
///
/// An absolute href keeps only its path and query; a path starting with `/` is appended to the
/// base URL's path (so a context path such as `http://host/broker` is kept) unless it already
/// starts with it; anything else is taken relative to the base URL.
pub fn resolve(base: &Url, href: &str) -> Option<Url> {
    let path_and_query = match Url::parse(href) {
        Ok(absolute) => {
            let mut rest = absolute.path().to_owned();
            if let Some(query) = absolute.query() {
                rest.push('?');
                rest.push_str(query);
            }
            rest
        }
        Err(_) => href.to_owned(),
    };
    let base_path = base.path().trim_end_matches('/');
    let full = if !path_and_query.starts_with('/') {
        format!("{base_path}/{path_and_query}")
    } else if base_path.is_empty() || path_and_query.starts_with(&format!("{base_path}/")) {
        path_and_query
    } else {
        format!("{base_path}{path_and_query}")
    };
    let mut origin = base.clone();
    origin.set_path("");
    origin.set_query(None);
    origin.set_fragment(None);
    origin.join(&full).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expand_percent_encodes_each_value() {
        let href = expand(
            "/pacticipants/{pacticipant}/versions/{version}",
            &[("pacticipant", "Foo App"), ("version", "1.0.0+b/7 x")],
        );
        assert_eq!(href, "/pacticipants/Foo%20App/versions/1.0.0%2Bb%2F7%20x");
    }

    #[test]
    fn expand_leaves_unknown_placeholders() {
        assert_eq!(expand("/a/{b}/{c}", &[("c", "x")]), "/a/{b}/x");
        assert_eq!(expand("/a/{unclosed", &[]), "/a/{unclosed");
    }

    #[test]
    fn find_link_reads_objects_and_arrays() {
        let doc = json!({"_links": {
            "pb:publish-contracts": {"href": "/contracts/publish"},
            "pb:pacts": [{"href": "/first"}, {"href": "/second"}]
        }});
        assert_eq!(
            find_link(&doc, "pb:publish-contracts"),
            Some("/contracts/publish")
        );
        assert_eq!(find_link(&doc, "pb:pacts"), Some("/first"));
        assert_eq!(find_link(&doc, "missing"), None);
    }

    #[test]
    fn resolve_keeps_the_base_origin_and_context_path() {
        let base = Url::parse("http://127.0.0.1:9292").unwrap();
        let url = resolve(&base, "http://internal:80/contracts/publish?x=1").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9292/contracts/publish?x=1");

        let base = Url::parse("http://h/broker/").unwrap();
        assert_eq!(
            resolve(&base, "/contracts/publish").unwrap().as_str(),
            "http://h/broker/contracts/publish"
        );
        assert_eq!(
            resolve(&base, "http://h/broker/contracts/publish")
                .unwrap()
                .as_str(),
            "http://h/broker/contracts/publish"
        );
        assert_eq!(resolve(&base, "").unwrap().as_str(), "http://h/broker/");
    }
}
