//! Query parameters: V1/V2 raw query strings (parsed and percent-decoded) and V3/V4 maps of
//! name to values, converted into ordered `(name, values)` pairs.

use serde_json::Value;

use super::findings::{Findings, string_lists_from};

/// Converts a `query` value. A string is parsed as a query string in every version (V3/V4 files
/// written by older tools still carry one); an object maps each name to an array of strings or
/// one string. The empty string gives `Some(vec![])`: no parameters expected.
pub(crate) fn parse_query(
    value: Option<&Value>,
    pointer: &str,
    findings: &mut Findings,
) -> Option<Vec<(String, Vec<String>)>> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(parse_query_string(text)),
        Value::Object(object) => Some(string_lists_from(
            object,
            "array of strings",
            pointer,
            findings,
        )),
        other => {
            findings.wrong_type(pointer, "string or object", other);
            None
        }
    }
}

/// Parses `a=1&b=2&a=3` into `[("a", ["1", "3"]), ("b", ["2"])]`: names in order of first
/// appearance, repeated values in order, `+` as a space, `%XX` decoded, empty segments (a
/// trailing `&`) skipped. A name without `=` has one empty value.
pub fn parse_query_string(text: &str) -> Vec<(String, Vec<String>)> {
    let mut parameters: Vec<(String, Vec<String>)> = Vec::new();
    for segment in text
        .trim_start_matches('?')
        .split('&')
        .filter(|segment| !segment.is_empty())
    {
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        push_value(&mut parameters, percent_decode(name), percent_decode(value));
    }
    parameters
}

fn push_value(parameters: &mut Vec<(String, Vec<String>)>, name: String, value: String) {
    match parameters
        .iter_mut()
        .find(|(existing, _)| *existing == name)
    {
        Some((_, values)) => values.push(value),
        None => parameters.push((name, vec![value])),
    }
}

/// Decodes `%XX` escapes and `+`; an invalid escape is kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        let byte = bytes[position];
        if byte == b'+' {
            decoded.push(b' ');
        } else if byte == b'%'
            && let Some(escaped) = bytes.get(position + 1..position + 3).and_then(hex_byte)
        {
            decoded.push(escaped);
            position += 2;
        } else {
            decoded.push(byte);
        }
        position += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_byte(digits: &[u8]) -> Option<u8> {
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let text = std::str::from_utf8(digits).ok()?;
    u8::from_str_radix(text, 16).ok()
}
