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
    let expected = Value::String(expected.to_owned());
    let actual = Value::String(actual.to_owned());
    let failures = match rules.select(&Location::root()) {
        Some(selected) => evaluator.check_list(
            selected.list,
            &expected,
            &actual,
            Form::Text,
            selected.cascaded,
        ),
        None if expected == actual => Vec::new(),
        None => vec![format!("expected the text {expected}, got {actual}")],
    };
    failures
        .into_iter()
        .map(|failure| Mismatch::body("$", Some(expected.clone()), Some(actual.clone()), failure))
        .collect()
}
