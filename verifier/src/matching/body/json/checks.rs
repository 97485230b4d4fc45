//! The quick checks of the JSON matcher: value equality against an actual node, rules that
//! plainly pass without the evaluator, and the rules in force at one location.

use serde_json::Value;
use treaty_schemas::{Combine, MatchingRule};

use crate::matching::body::actual_json::Node;
use crate::matching::regex_cache;
use crate::matching::rules::cascades;

/// `rules::values_equal` between a contract value and an actual node, without converting it.
pub(super) fn equal_to_node(expected: &Value, actual: &Node<'_>) -> bool {
    match (expected, actual) {
        (Value::Number(left), Node::Number(right)) => match (left.as_i64(), right.as_i64()) {
            (Some(left), Some(right)) => left == right,
            _ => left.as_f64() == right.as_f64(),
        },
        (Value::Null, Node::Null) => true,
        (Value::Bool(left), Node::Bool(right)) => left == right,
        (Value::String(left), Node::String(right)) => left.as_str() == right.as_ref(),
        (Value::Array(left), Node::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(l, r)| equal_to_node(l, r))
        }
        (Value::Object(left), Node::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, l)| right.get(key).is_some_and(|r| equal_to_node(l, r)))
        }
        _ => false,
    }
}

/// True when the evaluator would certainly accept `actual` under `rule` (see
/// [`Evaluator::check`]); false when it might not, and then the evaluator decides and words
/// the failure. Covers the rules that decide on kind, length or text alone.
///
/// [`Evaluator::check`]: crate::matching::rules::Evaluator::check
pub(super) fn plainly_passes(
    rule: &MatchingRule,
    expected: &Value,
    actual: &Node<'_>,
    cascaded: bool,
) -> bool {
    if cascaded && !cascades(rule) {
        return true;
    }
    match rule {
        MatchingRule::Equality => equal_to_node(expected, actual),
        MatchingRule::Regex(pattern) => matches!(
            actual,
            Node::String(text) if regex_cache::matches_whole(pattern, text) == Ok(true)
        ),
        MatchingRule::Type { min, max } => {
            let (min, max) = if cascaded { (None, None) } else { (*min, *max) };
            same_kind(expected, actual)
                && match actual {
                    Node::Array(items) => {
                        min.is_none_or(|min| items.len() >= min)
                            && max.is_none_or(|max| items.len() <= max)
                    }
                    _ => true,
                }
        }
        MatchingRule::Include(text) => {
            matches!(actual, Node::String(actual) if actual.contains(text.as_str()))
        }
        MatchingRule::Integer => {
            matches!(actual, Node::Number(number) if number.is_i64() || number.is_u64())
        }
        MatchingRule::Decimal => matches!(actual, Node::Number(number) if number.is_f64()),
        MatchingRule::Number => matches!(actual, Node::Number(_)),
        MatchingRule::Boolean => match actual {
            Node::Bool(_) => true,
            Node::String(text) => text == "true" || text == "false",
            _ => false,
        },
        MatchingRule::Null => matches!(actual, Node::Null),
        MatchingRule::NotEmpty => {
            let empty = match actual {
                Node::Null => true,
                Node::String(text) => text.is_empty(),
                Node::Array(items) => items.is_empty(),
                Node::Object(object) => object.is_empty(),
                Node::Bool(_) | Node::Number(_) => false,
            };
            !empty && same_kind(expected, actual)
        }
        MatchingRule::Values | MatchingRule::EachKey(_) => matches!(actual, Node::Object(_)),
        MatchingRule::EachValue(_) => actual.is_container(),
        MatchingRule::ArrayContains(_) => matches!(actual, Node::Array(_)),
        _ => false,
    }
}

/// The same JSON kind (the `type` rule on JSON values).
fn same_kind(expected: &Value, actual: &Node<'_>) -> bool {
    matches!(
        (expected, actual),
        (Value::Null, Node::Null)
            | (Value::Bool(_), Node::Bool(_))
            | (Value::Number(_), Node::Number(_))
            | (Value::String(_), Node::String(_))
            | (Value::Array(_), Node::Array(_))
            | (Value::Object(_), Node::Object(_))
    )
}

/// The rules in force at one location and how they combine.
#[derive(Clone, Copy)]
pub(super) struct Applied<'r> {
    /// The list as the contract wrote it.
    pub(super) list: &'r [MatchingRule],
    pub(super) combine: Combine,
    /// True when the rules were written for an ancestor.
    pub(super) cascaded: bool,
}

impl<'r> Applied<'r> {
    /// The rules that apply here: all of them, or those that cascade when they were written
    /// for an ancestor.
    pub(super) fn rules(self) -> impl Iterator<Item = &'r MatchingRule> + Clone {
        self.list
            .iter()
            .filter(move |rule| !self.cascaded || cascades(rule))
    }

    /// The rules that check a container itself.
    pub(super) fn own(self) -> impl Iterator<Item = &'r MatchingRule> + Clone {
        self.rules()
            .filter(move |rule| !(self.cascaded && is_leaf_rule(rule)))
    }
}

/// Rules about single values, which say nothing about a container they cascade through.
fn is_leaf_rule(rule: &MatchingRule) -> bool {
    !matches!(rule, MatchingRule::Type { .. } | MatchingRule::NotEmpty)
}
