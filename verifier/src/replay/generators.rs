//! Request generators: the values a contract asks the verifier to make up at replay time
//! (`RandomInt`, `Uuid`, `DateTime`, `ProviderState`, ...), and where they go in a request.
//!
//! The common generators are supported; an unknown generator, or one whose parameters do not
//! make sense, leaves the value as written in the contract. Everything here is pure apart from
//! the random numbers and the clock.

use std::collections::BTreeMap;

use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Map, Value};

use super::regex_gen;

/// Makes the value one generator describes, or `None` when the generator is unknown or
/// cannot produce a value (the contract's value is then kept).
pub fn generate(generator: &Value, state_params: &Map<String, Value>) -> Option<Value> {
    let kind = generator.get("type")?.as_str()?;
    let mut rng = rand::rng();
    let uint = |key: &str| generator.get(key).and_then(Value::as_u64);
    match kind {
        "RandomInt" => {
            let min = generator.get("min").and_then(Value::as_i64).unwrap_or(0);
            let max = generator
                .get("max")
                .and_then(Value::as_i64)
                .unwrap_or(i64::from(i32::MAX));
            (min <= max).then(|| Value::from(rng.random_range(min..=max)))
        }
        "RandomDecimal" => {
            let digits = uint("digits").unwrap_or(10).clamp(2, 15) as usize;
            let text = random_decimal_text(&mut rng, digits);
            text.parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
        }
        "RandomString" => {
            let size = uint("size").unwrap_or(20) as usize;
            let text: String = (&mut rng)
                .sample_iter(Alphanumeric)
                .take(size)
                .map(char::from)
                .collect();
            Some(Value::String(text))
        }
        "RandomHexadecimal" => {
            let digits = uint("digits").unwrap_or(10) as usize;
            let text: String = (0..digits)
                .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
                .collect();
            Some(Value::String(text))
        }
        "RandomBoolean" => Some(Value::Bool(rng.random())),
        "Uuid" => Some(Value::String(uuid(&mut rng, generator.get("format")))),
        "Date" => Some(Value::String(now_formatted(generator, "%Y-%m-%d"))),
        "Time" => Some(Value::String(now_formatted(generator, "%H:%M:%S"))),
        "DateTime" => Some(Value::String(now_formatted(
            generator,
            "%Y-%m-%dT%H:%M:%S%.3f%:z",
        ))),
        "Regex" => {
            let pattern = generator.get("regex")?.as_str()?;
            regex_gen::generate(pattern, &mut rng).map(Value::String)
        }
        "ProviderState" => {
            let expression = generator.get("expression")?.as_str()?;
            substitute(expression, state_params)
        }
        _ => None,
    }
}

/// Applies body generators (keyed by path: `$.id`, `$.items[*].id`, `$['a-b']`) to a JSON
/// body in place. Paths that do not exist in the body are ignored.
pub fn apply_to_json(
    body: &mut Value,
    generators: &BTreeMap<String, Value>,
    state_params: &Map<String, Value>,
) {
    for (path, generator) in generators {
        let Some(segments) = parse_path(path) else {
            continue;
        };
        for_each_at(body, &segments, &mut |slot| {
            if let Some(value) = generate(generator, state_params) {
                *slot = value;
            }
        });
    }
}

/// A generated value as header, query or path text.
pub fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Substitutes `${name}` placeholders from provider-state parameters. An expression that is
/// exactly one placeholder takes the parameter's JSON type; a missing parameter gives `None`.
pub fn substitute(expression: &str, params: &Map<String, Value>) -> Option<Value> {
    let whole = expression
        .strip_prefix("${")
        .and_then(|rest| rest.strip_suffix('}'));
    if let Some(name) = whole.filter(|name| !name.contains("${")) {
        return params.get(name).cloned();
    }
    let mut output = String::new();
    let mut rest = expression;
    while let Some(start) = rest.find("${") {
        output.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        output.push_str(&as_text(params.get(&after[..end])?));
        rest = &after[end + 1..];
    }
    output.push_str(rest);
    Some(Value::String(output))
}

/// One step of a body generator path.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Field(String),
    Index(usize),
    Wildcard,
}

/// Parses `$.a.b[0]['c-d'][*].*` into segments; `None` for anything else.
fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let mut rest = path.strip_prefix('$')?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            segments.push(if name == "*" {
                Segment::Wildcard
            } else {
                Segment::Field(name.into())
            });
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = &after[..end];
            let quoted = inner
                .strip_prefix('\'')
                .and_then(|text| text.strip_suffix('\''));
            segments.push(match (inner, quoted) {
                (_, Some(name)) => Segment::Field(name.into()),
                ("*", None) => Segment::Wildcard,
                (index, None) => Segment::Index(index.parse().ok()?),
            });
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(segments)
}

/// Calls `action` on every value the path reaches.
fn for_each_at(value: &mut Value, segments: &[Segment], action: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = segments.split_first() else {
        action(value);
        return;
    };
    match (first, value) {
        (Segment::Field(name), Value::Object(map)) => {
            if let Some(child) = map.get_mut(name) {
                for_each_at(child, rest, action);
            }
        }
        (Segment::Index(index), Value::Array(items)) => {
            if let Some(child) = items.get_mut(*index) {
                for_each_at(child, rest, action);
            }
        }
        (Segment::Wildcard, Value::Array(items)) => {
            items
                .iter_mut()
                .for_each(|child| for_each_at(child, rest, action));
        }
        (Segment::Wildcard, Value::Object(map)) => {
            map.values_mut()
                .for_each(|child| for_each_at(child, rest, action));
        }
        _ => {}
    }
}

fn random_decimal_text(rng: &mut impl Rng, digits: usize) -> String {
    let mut text: String = (0..digits)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect();
    // A leading non-zero digit keeps the digit count; the point goes somewhere inside.
    text.replace_range(0..1, &rng.random_range(1..10u8).to_string());
    let point = rng.random_range(1..digits);
    text.insert(point, '.');
    text
}

fn uuid(rng: &mut impl Rng, format: Option<&Value>) -> String {
    let mut bytes: [u8; 16] = rng.random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    let hyphenated = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    match format.and_then(Value::as_str) {
        Some("simple") => hex,
        Some("upper-case-hyphenated") => hyphenated.to_uppercase(),
        Some("URN") => format!("urn:uuid:{hyphenated}"),
        _ => hyphenated,
    }
}

fn now_formatted(generator: &Value, default: &str) -> String {
    let now = chrono::Local::now();
    match generator.get("format").and_then(Value::as_str) {
        Some(java) => now.format(&java_to_chrono(java)).to_string(),
        None => now.format(default).to_string(),
    }
}

/// Translates the common letters of a Java `DateTimeFormatter` pattern into chrono's.
fn java_to_chrono(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut output = String::new();
    let mut index = 0;
    while index < chars.len() {
        let letter = chars[index];
        let run = chars[index..]
            .iter()
            .take_while(|&&other| other == letter)
            .count();
        index += run;
        if letter == '\'' {
            let literal: String = chars[index..].iter().take_while(|&&c| c != '\'').collect();
            index += literal.chars().count() + 1;
            output.push_str(&literal.replace('%', "%%"));
            continue;
        }
        let piece = match (letter, run) {
            ('y' | 'u', 2) => "%y".to_owned(),
            ('y' | 'u', _) => "%Y".to_owned(),
            ('M', 1 | 2) => "%m".to_owned(),
            ('M', 3) => "%b".to_owned(),
            ('M', _) => "%B".to_owned(),
            ('d', _) => "%d".to_owned(),
            ('H', _) => "%H".to_owned(),
            ('h', _) => "%I".to_owned(),
            ('m', _) => "%M".to_owned(),
            ('s', _) => "%S".to_owned(),
            ('S', count) => format!("%{}f", count.min(9)),
            ('a', _) => "%p".to_owned(),
            ('E', 1..=3) => "%a".to_owned(),
            ('E', _) => "%A".to_owned(),
            ('X' | 'x', 1) | ('Z', _) => "%z".to_owned(),
            ('X' | 'x', _) => "%:z".to_owned(),
            ('%', count) => "%%".repeat(count),
            (other, count) => other.to_string().repeat(count),
        };
        output.push_str(&piece);
    }
    output
}

#[cfg(test)]
#[path = "generators_tests.rs"]
mod tests;
