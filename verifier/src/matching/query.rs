//! Query parameters: the order of names does not matter, the order of a name's repeated
//! values does; missing and unexpected parameters are mismatches. Values are compared
//! percent-decoded (the contract parser and the caller decode them). Query rules are keyed by
//! parameter name and apply to each value.

use std::collections::BTreeMap;

use serde_json::Value;
use treaty_schemas::{Combine, MatchingRule, RuleList};

use super::mismatch::{Mismatch, show};
use super::rules::{Evaluator, Form};

/// Compares the actual query with the expected one. `None` means the contract says nothing
/// about the query, and any query matches.
pub(crate) fn match_query(
    expected: Option<&[(String, Vec<String>)]>,
    actual: &[(String, Vec<String>)],
    rules: Option<&BTreeMap<String, RuleList>>,
    evaluator: &Evaluator,
) -> Vec<Mismatch> {
    let Some(expected) = expected else {
        return Vec::new();
    };
    let actual = merge(actual);
    let mut out = Vec::new();
    for (name, expected_values) in merge(expected) {
        let expected_json = Value::from(expected_values.clone());
        let Some((_, actual_values)) = actual.iter().find(|(candidate, _)| *candidate == name)
        else {
            let detail = format!(
                "expected {}, but the parameter is missing",
                quoted(&expected_values)
            );
            out.push(Mismatch::query(&name, Some(expected_json), None, detail));
            continue;
        };
        let actual_json = Value::from(actual_values.clone());
        let failures = match rules.and_then(|rules| rules.get(&name)) {
            Some(list) => with_rules(list, &expected_values, actual_values, evaluator),
            None if expected_values == *actual_values => Vec::new(),
            None if expected_values.len() == 1 && actual_values.len() == 1 => {
                vec![format!(
                    "expected {}, got {}",
                    quoted(&expected_values),
                    quoted(actual_values)
                )]
            }
            None => vec![format!(
                "expected the values {}, got {}",
                quoted(&expected_values),
                quoted(actual_values)
            )],
        };
        for failure in failures {
            out.push(Mismatch::query(
                &name,
                Some(expected_json.clone()),
                Some(actual_json.clone()),
                failure,
            ));
        }
    }
    for (name, values) in &actual {
        if !expected.iter().any(|(candidate, _)| candidate == name) {
            let detail = format!("unexpected parameter with value(s) {}", quoted(values));
            out.push(Mismatch::query(
                name,
                None,
                Some(Value::from(values.clone())),
                detail,
            ));
        }
    }
    out
}

/// Each value checked against the rules; the value lists' length is checked by `min`/`max`
/// when a type rule gives them, otherwise it must be the expected one.
fn with_rules(
    list: &RuleList,
    expected: &[String],
    actual: &[String],
    evaluator: &Evaluator,
) -> Vec<String> {
    let mut failures = Vec::new();
    let type_rules: Vec<MatchingRule> = list
        .rules
        .iter()
        .filter(|rule| matches!(rule, MatchingRule::Type { .. }))
        .cloned()
        .collect();
    if !type_rules.is_empty() {
        let (e, a) = (Value::from(expected.to_vec()), Value::from(actual.to_vec()));
        failures.extend(evaluator.check_rules(
            &type_rules,
            Combine::And,
            &e,
            &a,
            Form::Text,
            false,
        ));
    } else if expected.len() != actual.len() {
        failures.push(format!(
            "expected {} value(s), got {}",
            expected.len(),
            actual.len()
        ));
    }
    for (index, value) in actual.iter().enumerate() {
        let example = expected
            .get(index)
            .or_else(|| expected.first())
            .cloned()
            .unwrap_or_default();
        failures.extend(evaluator.check_list(
            list,
            &Value::String(example),
            &Value::String(value.clone()),
            Form::Text,
            true,
        ));
    }
    failures
}

/// Values as messages show them: `"a"`, or `["a", "b"]` for several.
fn quoted(values: &[String]) -> String {
    match values {
        [one] => show(&Value::String(one.clone())),
        several => show(&Value::from(several.to_vec())),
    }
}

/// Folds repeated names together, keeping the order of first appearance and of values.
fn merge(parameters: &[(String, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    let mut merged: Vec<(String, Vec<String>)> = Vec::new();
    for (name, values) in parameters {
        match merged.iter_mut().find(|(existing, _)| existing == name) {
            Some((_, existing)) => existing.extend(values.iter().cloned()),
            None => merged.push((name.clone(), values.clone())),
        }
    }
    merged
}
