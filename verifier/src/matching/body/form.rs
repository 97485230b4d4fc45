//! `application/x-www-form-urlencoded` bodies: parameters compared by name like a query
//! string (name order free, value order kept), with body rules at `$.name`.

use serde_json::Value;

use crate::matching::mismatch::Mismatch;
use crate::matching::path::{Location, RuleSet};
use crate::matching::rules::{Evaluator, Form};

/// Compares two form bodies; in strict mode (requests) unexpected parameters are mismatches.
pub(crate) fn compare_form(
    expected: &str,
    actual: &str,
    rules: &RuleSet<'_>,
    evaluator: &Evaluator,
    strict: bool,
) -> Vec<Mismatch> {
    let expected = parse_form(expected);
    let actual = parse_form(actual);
    let mut out = Vec::new();
    for (name, expected_values) in &expected {
        let root = Location::root();
        let location = root.field(name);
        let Some((_, actual_values)) = actual.iter().find(|(candidate, _)| candidate == name)
        else {
            let detail = format!("expected the form parameter {name}, but it is missing");
            out.push(Mismatch::body(
                location.to_string(),
                Some(Value::from(expected_values.clone())),
                None,
                detail,
            ));
            continue;
        };
        let selected = rules.select(&location);
        if selected.is_none() && expected_values.len() != actual_values.len() {
            let detail = format!(
                "expected {} value(s), got {}",
                expected_values.len(),
                actual_values.len()
            );
            let (e, a) = (
                Value::from(expected_values.clone()),
                Value::from(actual_values.clone()),
            );
            out.push(Mismatch::body(
                location.to_string(),
                Some(e),
                Some(a),
                detail,
            ));
        }
        for (index, actual_value) in actual_values.iter().enumerate() {
            let Some(expected_value) = expected_values
                .get(index)
                .or_else(|| selected.and(expected_values.first()))
            else {
                break;
            };
            let (e, a) = (
                Value::String(expected_value.clone()),
                Value::String(actual_value.clone()),
            );
            let failures = match selected {
                Some(selected) => {
                    evaluator.check_list(selected.list, &e, &a, Form::Text, selected.cascaded)
                }
                None if e == a => Vec::new(),
                None => vec![format!("expected {e}, got {a}")],
            };
            for failure in failures {
                out.push(Mismatch::body(
                    location.index(index).to_string(),
                    Some(e.clone()),
                    Some(a.clone()),
                    failure,
                ));
            }
        }
    }
    if strict {
        for (name, values) in actual
            .iter()
            .filter(|(name, _)| !expected.iter().any(|(e, _)| e == name))
        {
            let root = Location::root();
            let location = root.field(name);
            out.push(Mismatch::body(
                location.to_string(),
                None,
                Some(Value::from(values.clone())),
                "unexpected form parameter",
            ));
        }
    }
    out
}

/// Parses `a=1&b=2&a=3` into names (in order of first appearance) with their values.
pub(crate) fn parse_form(text: &str) -> Vec<(String, Vec<String>)> {
    let mut parameters: Vec<(String, Vec<String>)> = Vec::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (decode(name), decode(value));
        match parameters
            .iter_mut()
            .find(|(existing, _)| *existing == name)
        {
            Some((_, values)) => values.push(value),
            None => parameters.push((name, vec![value])),
        }
    }
    parameters
}

fn decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}
