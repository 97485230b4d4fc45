//! Headers: names are case-insensitive, values case-sensitive, extra actual headers allowed.
//!
//! Values of headers known to be comma-separated lists (`Accept`, `Cache-Control`…) are
//! compared item by item, so the space after a comma does not matter but the order does; other
//! headers are compared whole, since splitting `Date` or `Set-Cookie` on commas would be wrong.
//! `Content-Type` (and media types in `Accept`) are compared as media types: type and subtype
//! case-insensitively, parameters in any order, extra actual parameters allowed, `charset`
//! case-insensitive.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;
use treaty_schemas::RuleList;

use super::mismatch::Mismatch;
use super::rules::{Evaluator, Form};

/// Headers whose values are comma-separated lists, lower-case.
const LIST_HEADERS: &[&str] = &[
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "accept-patch",
    "accept-ranges",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-expose-headers",
    "access-control-request-headers",
    "allow",
    "cache-control",
    "connection",
    "content-encoding",
    "content-language",
    "if-match",
    "if-none-match",
    "pragma",
    "prefer",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "vary",
    "via",
];

/// Compares the expected headers with the actual ones; header rules are keyed by name.
pub(crate) fn match_headers(
    expected: Option<&[(String, Vec<String>)]>,
    actual: &[(String, Vec<String>)],
    rules: Option<&BTreeMap<String, RuleList>>,
    evaluator: &Evaluator,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (name, expected_values) in expected.unwrap_or_default() {
        let expected_value: Cow<'_, str> = match expected_values.as_slice() {
            [one] => Cow::Borrowed(one),
            several => Cow::Owned(several.join(", ")),
        };
        // The values joined with ", ", borrowed when there is one (the usual case).
        let single = single_value(actual, name);
        let actual_value: Cow<'_, str> = match single {
            Some(one) => Cow::Borrowed(one),
            None => {
                let values: Vec<&str> = values_of(actual, name).collect();
                if values.is_empty() {
                    let detail = format!(
                        "expected {}, but the header is missing",
                        readable(&expected_value)
                    );
                    out.push(Mismatch::header(
                        name,
                        Some(Value::String(expected_value.into_owned())),
                        None,
                        detail,
                    ));
                    continue;
                }
                Cow::Owned(values.join(", "))
            }
        };
        let rule = rules.and_then(|rules| rules.iter().find(|(key, _)| same_name(key, name)));
        let failures: Vec<String> = match rule {
            Some((_, list)) => {
                let expected_json = Value::String(expected_value.clone().into_owned());
                let check = |value: &str| {
                    evaluator.check_list(
                        list,
                        &expected_json,
                        &Value::String(value.to_owned()),
                        Form::Text,
                        false,
                    )
                };
                // Each value on its own; the one value without looking the header up again.
                if let Some(one) = single {
                    check(one)
                } else {
                    values_of(actual, name).flat_map(check).collect()
                }
            }
            None => compare_value(name, &expected_value, &actual_value)
                .err()
                .into_iter()
                .collect(),
        };
        for failure in failures {
            let (e, a) = (
                Value::String(expected_value.clone().into_owned()),
                Value::String(actual_value.clone().into_owned()),
            );
            out.push(Mismatch::header(name, Some(e), Some(a), failure));
        }
    }
    out
}

/// True when two header names are the same in any case; the same bytes (the usual case: a
/// contract's rules and headers are written alike) are seen without folding case.
fn same_name(one: &str, other: &str) -> bool {
    one == other || one.eq_ignore_ascii_case(other)
}

/// The value of a header, matched case-insensitively by name, when it has exactly one: one
/// line with the name, with one value.
fn single_value<'h>(headers: &'h [(String, Vec<String>)], name: &str) -> Option<&'h str> {
    let mut lines = headers
        .iter()
        .filter(|(candidate, _)| candidate.eq_ignore_ascii_case(name));
    match (lines.next(), lines.next()) {
        (Some((_, values)), None) => match values.as_slice() {
            [one] => Some(one),
            _ => None,
        },
        _ => None,
    }
}

/// All values of a header, matched case-insensitively by name, in order.
fn values_of<'h>(
    headers: &'h [(String, Vec<String>)],
    name: &'h str,
) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .iter()
        .filter(move |(candidate, _)| candidate.eq_ignore_ascii_case(name))
        .flat_map(|(_, values)| values.iter().map(String::as_str))
}

/// The first `Content-Type` value, if present; the two usual spellings are recognised before
/// any case-insensitive comparison.
pub(crate) fn content_type_of(headers: &[(String, Vec<String>)]) -> Option<String> {
    headers
        .iter()
        .filter(|(name, _)| {
            name == "Content-Type"
                || name == "content-type"
                || name.eq_ignore_ascii_case("content-type")
        })
        .find_map(|(_, values)| values.first())
        .cloned()
}

fn compare_value(name: &str, expected: &str, actual: &str) -> Result<(), String> {
    // Equal values pass however the header is compared: a media type, a list of media types
    // and a plain value all match themselves.
    if expected == actual {
        return Ok(());
    }
    // `LIST_HEADERS` is lower-case ASCII, so this is comparing the lower-cased name.
    let equal = if name.eq_ignore_ascii_case("content-type") {
        media_types_match(expected, actual)
    } else if LIST_HEADERS
        .iter()
        .any(|list_header| name.eq_ignore_ascii_case(list_header))
    {
        let expected_items: Vec<&str> = expected.split(',').map(str::trim).collect();
        let actual_items: Vec<&str> = actual.split(',').map(str::trim).collect();
        expected_items.len() == actual_items.len()
            && expected_items
                .iter()
                .zip(&actual_items)
                .all(|(e, a)| media_types_match(e, a))
    } else {
        expected.trim() == actual.trim()
    };
    if equal {
        Ok(())
    } else {
        Err(format!(
            "expected {}, got {}",
            readable(expected),
            readable(actual)
        ))
    }
}

/// A header value as messages show it: bare (`application/json`), or quoted when commas or
/// edge spaces would make the sentence ambiguous (`"alligators, hippos"`).
fn readable(value: &str) -> String {
    if value.is_empty() || value.contains(',') || value.trim() != value {
        Value::String(value.to_owned()).to_string()
    } else {
        value.to_owned()
    }
}

/// The `type/subtype` of a media type, lower-case, without parameters (borrowed when it is
/// lower-case already).
pub(crate) fn media_type_essence(value: &str) -> Cow<'_, str> {
    let essence = value.split(';').next().unwrap_or_default().trim();
    if essence.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(essence.to_ascii_lowercase())
    } else {
        Cow::Borrowed(essence)
    }
}

/// True when `actual` satisfies `expected` as a media type; values that are not media types
/// (`alligators`) must be equal.
pub(crate) fn media_types_match(expected: &str, actual: &str) -> bool {
    match (parse_media_type(expected), parse_media_type(actual)) {
        (Some((expected_essence, expected_params)), Some((actual_essence, actual_params))) => {
            expected_essence == actual_essence
                && expected_params.iter().all(|(name, value)| {
                    actual_params.iter().any(|(actual_name, actual_value)| {
                        actual_name == name
                            && if name == "charset" {
                                value.eq_ignore_ascii_case(actual_value)
                            } else {
                                value == actual_value
                            }
                    })
                })
        }
        _ => expected.trim() == actual.trim(),
    }
}

type MediaType<'v> = (String, Vec<(String, &'v str)>);

fn parse_media_type(value: &str) -> Option<MediaType<'_>> {
    let mut parts = split_parameters(value).into_iter();
    let essence = parts.next()?.trim().to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/')?;
    let token = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-*".contains(c))
    };
    if !token(kind) || !token(subtype) {
        return None;
    }
    let mut parameters = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, value) = part.split_once('=')?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        parameters.push((name.trim().to_ascii_lowercase(), value));
    }
    Some((essence, parameters))
}

/// Splits on `;` outside double quotes.
fn split_parameters(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    // `"` and `;` are ASCII, so every cut is at a character boundary.
    for (at, byte) in value.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                parts.push(value.get(start..at).unwrap_or_default());
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(value.get(start..).unwrap_or_default());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_split_on_semicolons_outside_quotes() {
        assert_eq!(split_parameters("a/b"), vec!["a/b"]);
        assert_eq!(split_parameters(""), vec![""]);
        assert_eq!(
            split_parameters(r#"a/b; x="1;2" ;y=é;"#),
            vec!["a/b", r#" x="1;2" "#, "y=é", ""]
        );
        assert_eq!(split_parameters(r#"a"b;c"#), vec![r#"a"b;c"#]);
    }

    #[test]
    fn essences_are_lower_case() {
        assert_eq!(
            media_type_essence(" Application/JSON ; charset=UTF-8"),
            "application/json"
        );
        assert!(matches!(
            media_type_essence("text/plain"),
            Cow::Borrowed("text/plain")
        ));
        assert_eq!(
            content_type_of(&[
                ("a".into(), vec![]),
                ("Content-Type".into(), vec![]),
                ("content-type".into(), vec!["x/y".into(), "z".into()])
            ]),
            Some("x/y".into())
        );
        assert_eq!(
            content_type_of(&[("CONTENT-TYPE".into(), vec!["a/b".into()])]),
            Some("a/b".into())
        );
        assert_eq!(
            content_type_of(&[("content-types".into(), vec!["a/b".into()])]),
            None
        );
    }

    #[test]
    fn media_types() {
        assert!(media_types_match(
            "application/json",
            "application/json; charset=UTF-8"
        ));
        assert!(!media_types_match(
            "application/json; charset=UTF-16",
            "application/json; charset=UTF-8"
        ));
        assert!(media_types_match(
            "application/json;charset=utf-8",
            "application/json; charset=UTF-8"
        ));
        assert!(media_types_match(
            "Text/x-Okie; a=1;\n b=\"x;y\"",
            "text/x-okie; b=\"x;y\"; a=1"
        ));
        assert!(!media_types_match("alligators", "Alligators"));
        assert!(!media_types_match("text/plain", "text/html"));
    }

    #[test]
    fn header_values_are_read_across_lines_and_joined() {
        let lines = |pairs: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
            pairs
                .iter()
                .map(|(name, values)| {
                    (
                        (*name).to_owned(),
                        values.iter().map(|value| (*value).to_owned()).collect(),
                    )
                })
                .collect()
        };
        let one = lines(&[("X-A", &["1"])]);
        assert_eq!(single_value(&one, "x-a"), Some("1"));
        let evaluator = Evaluator::default();
        let expect = |value: &str, actual: &[(String, Vec<String>)]| {
            let expected = [("x-a".to_owned(), vec![value.to_owned()])];
            match_headers(Some(&expected), actual, None, &evaluator)
                .into_iter()
                .map(|mismatch| mismatch.message)
                .collect::<Vec<_>>()
        };
        assert!(expect("1", &one).is_empty());
        // An empty line, then the value: one value in all.
        let empty_then_one = lines(&[("x-a", &[]), ("X-A", &["1"])]);
        assert_eq!(single_value(&empty_then_one, "X-A"), None);
        assert!(expect("1", &empty_then_one).is_empty());
        // Two lines, or two values on one: joined.
        let two_lines = lines(&[("x-a", &["1"]), ("X-A", &["2"])]);
        let two_values = lines(&[("x-a", &["1", "2"])]);
        for actual in [&two_lines, &two_values] {
            assert_eq!(single_value(actual, "x-a"), None);
            assert!(expect("1, 2", actual).is_empty());
            assert_eq!(
                expect("1", actual),
                ["header x-a: expected 1, got \"1, 2\""]
            );
        }
        // No value at all: missing.
        let no_value = lines(&[("x-a", &[])]);
        let missing = ["header x-a: expected 1, but the header is missing"];
        assert_eq!(expect("1", &no_value), missing);
        assert_eq!(expect("1", &[]), missing);
    }

    #[test]
    fn list_headers_ignore_space_after_commas_but_keep_order() {
        assert!(compare_value("Accept", "alligators,hippos", "alligators, hippos").is_ok());
        assert!(compare_value("Accept", "alligators, hippos", "hippos, alligators").is_err());
        assert!(compare_value("X-Custom", "a,b", "a, b").is_err());
    }
}
