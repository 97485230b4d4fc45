//! The response status: equal to the contract's, or satisfying its `status` rules
//! (`statusCode` classes such as `success`, or a list of codes).

use std::collections::BTreeMap;

use serde_json::Value;
use treaty_schemas::RuleList;

use super::mismatch::{Mismatch, MismatchKind};
use super::rules::{Evaluator, Form};

/// Compares the actual status with the expected one (`None`: any status will do).
pub(crate) fn match_status(
    expected: Option<u16>,
    actual: u16,
    rules: Option<&BTreeMap<String, RuleList>>,
    evaluator: &Evaluator,
) -> Vec<Mismatch> {
    let rule = rules.and_then(|rules| rules.get("").or_else(|| rules.values().next()));
    let expected_value = expected.map(Value::from);
    let failures = match (rule, expected) {
        (Some(list), _) => {
            let example = expected_value.clone().unwrap_or(Value::Null);
            evaluator.check_list(list, &example, &Value::from(actual), Form::Json, false)
        }
        (None, Some(expected)) if expected != actual => {
            vec![format!("expected {expected}, got {actual}")]
        }
        (None, _) => Vec::new(),
    };
    failures
        .into_iter()
        .map(|failure| {
            Mismatch::whole(
                MismatchKind::Status,
                expected_value.clone(),
                Some(Value::from(actual)),
                failure,
            )
        })
        .collect()
}
