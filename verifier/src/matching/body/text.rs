//! Plain-text bodies (and any body that is neither JSON, XML nor a form): equal text, or the
//! rules at `$` applied to the whole text (a regex must match all of it).

use serde_json::Value;

use crate::matching::mismatch::Mismatch;
use crate::matching::path::{Location, RuleSet};
use crate::matching::rules::{Evaluator, Form};

/// Compares two texts; rules at `$` replace the equality check.
pub(crate) fn compare_text(
    expected: &str,
    actual: &str,
    rules: &RuleSet<'_>,
    evaluator: &Evaluator,
) -> Vec<Mismatch> {
    compare_text_at(
        &Location::root(),
        expected,
        actual,
        rules,
        evaluator,
        "the text ",
    )
}

/// Compares two texts found at `location` (a whole text body, or an XML element's text or
/// attribute): the rules selected there replace the equality check. Without rules, unequal texts
/// give `expected {noun}"a", got "b"`.
pub(crate) fn compare_text_at(
    location: &Location,
    expected: &str,
    actual: &str,
    rules: &RuleSet<'_>,
    evaluator: &Evaluator,
    noun: &str,
) -> Vec<Mismatch> {
    let expected = Value::String(expected.to_owned());
    let actual = Value::String(actual.to_owned());
    let failures = match rules.select(location) {
        Some(selected) => evaluator.check_list(
            selected.list,
            &expected,
            &actual,
            Form::Text,
            selected.cascaded,
        ),
        None if expected == actual => Vec::new(),
        None => vec![format!("expected {noun}{expected}, got {actual}")],
    };
    failures
        .into_iter()
        .map(|failure| {
            Mismatch::body(
                location.to_string(),
                Some(expected.clone()),
                Some(actual.clone()),
                failure,
            )
        })
        .collect()
}
