//! JSON bodies: the expected document walked beside the actual one, with matching rules looked
//! up by location.
//!
//! Without a rule, objects must have the expected keys (and, in strict mode, no others),
//! arrays the expected length, and leaves equal values. A rule at a location replaces that
//! default there: a type rule on an array compares every actual item with the first example
//! (so any length fits, within `min`/`max`), and rules cascade to children as Pact's do.

mod checks;

use serde_json::{Map, Value};
use treaty_schemas::{ArrayContainsVariant, Combine, MatchingRule, RuleList};

use self::checks::{Applied, equal_to_node, plainly_passes};
use super::actual_json::{Node, Object};
use crate::matching::kinds::kind_name;
use crate::matching::mismatch::{Mismatch, show};
use crate::matching::path::{Location, RuleSet, Selected};
use crate::matching::rules::{Evaluator, Form};

/// Compares JSON documents under one set of body rules.
pub(crate) struct JsonMatcher<'a> {
    /// The body rules.
    pub(crate) rules: RuleSet<'a>,
    /// Evaluates single rules.
    pub(crate) evaluator: &'a Evaluator,
    /// True for requests: keys the contract does not name are mismatches.
    pub(crate) strict: bool,
}

impl<'a> JsonMatcher<'a> {
    /// Compares `actual` with `expected` at `location`, appending what differs to `out`.
    pub(crate) fn compare(
        &self,
        location: &Location,
        expected: &Value,
        actual: &Node<'_>,
        out: &mut Vec<Mismatch>,
    ) {
        self.compare_selected(location, expected, actual, self.rules.select(location), out)
    }

    /// [`JsonMatcher::compare`] once the rules at `location` are looked up.
    fn compare_selected(
        &self,
        location: &Location,
        expected: &Value,
        actual: &Node<'_>,
        selected: Option<Selected<'_>>,
        out: &mut Vec<Mismatch>,
    ) {
        if let Some(selected) = selected {
            let applied = Applied {
                list: &selected.list.rules,
                combine: selected.list.combine,
                cascaded: selected.cascaded,
            };
            if applied.rules().next().is_some() {
                return self.compare_with(location, expected, actual, applied, out);
            }
        }
        self.compare_plain(location, expected, actual, Below::Rules, out)
    }

    fn compare_with(
        &self,
        location: &Location,
        expected: &Value,
        actual: &Node<'_>,
        applied: Applied<'_>,
        out: &mut Vec<Mismatch>,
    ) {
        let container = expected.is_object() || expected.is_array() || actual.is_container();
        if !container {
            return self.check(applied.rules(), applied, location, expected, actual, out);
        }
        // Checks on the container itself; rules meant for leaves only cascade through it.
        let own = applied.own();
        self.check(own.clone(), applied, location, expected, actual, out);
        let whole_value = own
            .clone()
            .any(|rule| matches!(rule, MatchingRule::Equality | MatchingRule::JsonSchema(_)));
        if whole_value {
            return;
        }
        match (expected, actual) {
            (Value::Object(expected), Node::Object(actual)) => {
                self.object_with(location, expected, actual, applied, out)
            }
            (Value::Array(expected), Node::Array(actual)) => {
                self.array_with(location, expected, actual, applied, out)
            }
            // Different kinds pass only when a rule for this very value accepted them (say,
            // `null` OR `type`); rules cascading from above say nothing about the kind.
            _ if own.clone().next().is_none() => {
                out.push(kind_mismatch(location, expected, actual))
            }
            _ => {}
        }
    }

    /// Checks `rules` on `actual`, appending a mismatch per failure: nothing is built when
    /// every rule (for OR, one rule) plainly passes; otherwise the evaluator decides and words
    /// the failures.
    fn check<'r>(
        &self,
        rules: impl Iterator<Item = &'r MatchingRule> + Clone,
        applied: Applied<'_>,
        location: &Location,
        expected: &Value,
        actual: &Node<'_>,
        out: &mut Vec<Mismatch>,
    ) {
        let cascaded = applied.cascaded;
        if rules.clone().next().is_none() {
            return;
        }
        let mut quick = rules
            .clone()
            .map(|rule| plainly_passes(rule, expected, actual, cascaded));
        let passes = match applied.combine {
            Combine::And => quick.all(|passed| passed),
            Combine::Or => quick.any(|passed| passed),
        };
        if passes {
            return;
        }
        let actual_value = actual.to_value();
        let failures = self.evaluator.check_each(
            rules,
            applied.combine,
            expected,
            &actual_value,
            Form::Json,
            cascaded,
        );
        for failure in failures {
            out.push(Mismatch::body(
                location.to_string(),
                Some(expected.clone()),
                Some(actual_value.clone()),
                failure,
            ));
        }
    }

    fn object_with(
        &self,
        location: &Location,
        expected: &Map<String, Value>,
        actual: &Object<'_>,
        applied: Applied<'_>,
        out: &mut Vec<Mismatch>,
    ) {
        let mut free_keys = false;
        let mut each_value = None;
        for rule in applied.rules() {
            match rule {
                MatchingRule::EachKey(inner) => {
                    free_keys = true;
                    for (key, _) in actual.iter() {
                        let key_value = Value::String(key.to_owned());
                        for failure in self.evaluator.check_rules(
                            inner,
                            Combine::And,
                            &key_value,
                            &key_value,
                            Form::Text,
                            false,
                        ) {
                            let detail = format!("key {}: {failure}", show(&key_value));
                            out.push(Mismatch::body(
                                location.to_string(),
                                None,
                                Some(key_value.clone()),
                                detail,
                            ));
                        }
                    }
                }
                MatchingRule::EachValue(inner) => {
                    free_keys = true;
                    each_value = Some(inner);
                }
                MatchingRule::Values => free_keys = true,
                _ => {}
            }
        }
        if !free_keys {
            return self.compare_keys(location, expected, actual, Below::Rules, out);
        }
        let each_value_matcher = each_value.map(|inner| self.for_each_value(location, inner));
        let matcher = each_value_matcher.as_ref().unwrap_or(self);
        for (key, actual_value) in actual.iter() {
            let Some(example) = expected.get(key).or_else(|| expected.values().next()) else {
                continue;
            };
            matcher.compare(
                &matcher.rules.field(location, key),
                example,
                actual_value,
                out,
            );
        }
    }

    /// A matcher whose rules add `eachValue`'s inner rules for every child of `location`.
    fn for_each_value(&self, location: &Location, inner: &[MatchingRule]) -> JsonMatcher<'a> {
        let list = RuleList {
            rules: inner.to_vec(),
            combine: Combine::And,
        };
        JsonMatcher {
            rules: self.rules.with_rule_for_children(location, list),
            evaluator: self.evaluator,
            strict: self.strict,
        }
    }

    fn array_with(
        &self,
        location: &Location,
        expected: &[Value],
        actual: &[Node<'_>],
        applied: Applied<'_>,
        out: &mut Vec<Mismatch>,
    ) {
        if let Some(variants) = applied.rules().find_map(|rule| match rule {
            MatchingRule::ArrayContains(variants) => Some(variants),
            _ => None,
        }) {
            return self.array_contains(location, expected, actual, variants, out);
        }
        let each_value = applied.rules().find_map(|rule| match rule {
            MatchingRule::EachValue(inner) => Some(inner),
            _ => None,
        });
        let any_length = each_value.is_some()
            || applied.rules().any(|rule| {
                matches!(
                    rule,
                    MatchingRule::Type { .. } | MatchingRule::NotEmpty | MatchingRule::Values
                )
            });
        if !any_length {
            return self.compare_arrays(location, expected, actual, Below::Rules, out);
        }
        // Items beyond the example are compared with its first item, as Pact pads the list.
        let Some(first) = expected.first() else {
            return;
        };
        let each_value_matcher = each_value.map(|inner| self.for_each_value(location, inner));
        let matcher = each_value_matcher.as_ref().unwrap_or(self);
        for (index, item) in actual.iter().enumerate() {
            let example = expected.get(index).unwrap_or(first);
            matcher.compare(&matcher.rules.index(location, index), example, item, out);
        }
    }

    fn array_contains(
        &self,
        location: &Location,
        expected: &[Value],
        actual: &[Node<'_>],
        variants: &[ArrayContainsVariant],
        out: &mut Vec<Mismatch>,
    ) {
        for variant in variants {
            let Some(example) = expected.get(variant.index) else {
                let detail = format!(
                    "the contract's arrayContains names example item {}, but the example has {} item(s)",
                    variant.index,
                    expected.len()
                );
                out.push(Mismatch::body(location.to_string(), None, None, detail));
                continue;
            };
            let matcher = JsonMatcher {
                rules: RuleSet::new(Some(&variant.rules)),
                evaluator: self.evaluator,
                strict: false,
            };
            let root = matcher.rules.root();
            let found = actual.iter().any(|item| {
                let mut differences = Vec::new();
                matcher.compare(&root, example, item, &mut differences);
                differences.is_empty()
            });
            if !found {
                let detail = format!(
                    "expected an item like {}, but no item matched",
                    show(example)
                );
                out.push(Mismatch::body(
                    location.to_string(),
                    Some(example.clone()),
                    None,
                    detail,
                ));
            }
        }
    }

    /// Compares without a rule for this value; `below` says whether its children may have
    /// rules.
    fn compare_plain(
        &self,
        location: &Location,
        expected: &Value,
        actual: &Node<'_>,
        below: Below,
        out: &mut Vec<Mismatch>,
    ) {
        match (expected, actual) {
            (Value::Object(expected), Node::Object(actual)) => {
                self.compare_keys(location, expected, actual, below, out)
            }
            (Value::Array(expected), Node::Array(actual)) => {
                self.compare_arrays(location, expected, actual, below, out)
            }
            (Value::Object(_) | Value::Array(_), _) | (_, Node::Object(_) | Node::Array(_)) => {
                out.push(kind_mismatch(location, expected, actual));
            }
            _ if equal_to_node(expected, actual) => {}
            _ => {
                let actual = actual.to_value();
                let detail = format!("expected {}, got {}", show(expected), show(&actual));
                out.push(Mismatch::body(
                    location.to_string(),
                    Some(expected.clone()),
                    Some(actual),
                    detail,
                ));
            }
        }
    }

    /// Whether the children of a container at `location` may have rules: checked once per
    /// container, so that a subtree no rule reaches is compared without looking anything up.
    fn below(&self, location: &Location, below: Below) -> Below {
        match below {
            Below::Rules if self.rules.none_at_or_below(location) => Below::NoRules,
            below => below,
        }
    }

    /// Compares a child, made by `child` (from the parent's location) only when needed: a
    /// leaf without a rule that equals its example is passed over.
    fn compare_child<'c>(
        &self,
        child: impl FnOnce() -> Location<'c>,
        expected: &Value,
        actual: &Node<'_>,
        below: Below,
        out: &mut Vec<Mismatch>,
    ) {
        match below {
            Below::Rules => {
                let child = child();
                let selected = self.rules.select(&child);
                if selected.is_none() && equal_leaves(expected, actual) {
                    return;
                }
                self.compare_selected(&child, expected, actual, selected, out)
            }
            Below::NoRules => {
                if equal_leaves(expected, actual) {
                    return;
                }
                self.compare_plain(&child(), expected, actual, below, out)
            }
        }
    }

    fn compare_keys(
        &self,
        location: &Location,
        expected: &Map<String, Value>,
        actual: &Object<'_>,
        below: Below,
        out: &mut Vec<Mismatch>,
    ) {
        let below = self.below(location, below);
        let mut next = 0;
        for (key, expected_value) in expected {
            let child = || match below {
                Below::Rules => self.rules.field(location, key),
                Below::NoRules => location.field(key),
            };
            match actual.get_in_order(key, &mut next) {
                Some(actual_value) => {
                    self.compare_child(child, expected_value, actual_value, below, out)
                }
                None => {
                    let child = child();
                    let detail =
                        format!("expected {}, but the key is missing", show(expected_value));
                    out.push(Mismatch::body(
                        child.to_string(),
                        Some(expected_value.clone()),
                        None,
                        detail,
                    ));
                }
            }
        }
        if self.strict {
            for (key, actual_value) in actual
                .iter()
                .filter(|(key, _)| !expected.contains_key(*key))
            {
                let actual_value = actual_value.to_value();
                let detail = format!("unexpected key (with value {})", show(&actual_value));
                out.push(Mismatch::body(
                    location.field(key).to_string(),
                    None,
                    Some(actual_value),
                    detail,
                ));
            }
        }
    }

    fn compare_arrays(
        &self,
        location: &Location,
        expected: &[Value],
        actual: &[Node<'_>],
        below: Below,
        out: &mut Vec<Mismatch>,
    ) {
        let below = self.below(location, below);
        for (index, (expected_item, actual_item)) in expected.iter().zip(actual).enumerate() {
            let child = || match below {
                Below::Rules => self.rules.index(location, index),
                Below::NoRules => location.index(index),
            };
            self.compare_child(child, expected_item, actual_item, below, out);
        }
        if expected.len() != actual.len() {
            let detail = format!("expected {} item(s), got {}", expected.len(), actual.len());
            let (expected, actual) = (
                Value::Array(expected.to_vec()),
                Value::Array(actual.iter().map(Node::to_value).collect()),
            );
            out.push(Mismatch::body(
                location.to_string(),
                Some(expected),
                Some(actual),
                detail,
            ));
        }
    }
}

/// Whether the children of a value compared without a rule may have rules of their own.
#[derive(Clone, Copy)]
enum Below {
    /// They may: each is looked up.
    Rules,
    /// No rule applies anywhere below (the rule set says so): they are compared plainly,
    /// without looking anything up.
    NoRules,
}

/// True for two equal leaves (no container on either side), which [`JsonMatcher::compare_plain`]
/// passes without a word.
#[inline]
fn equal_leaves(expected: &Value, actual: &Node<'_>) -> bool {
    !matches!(expected, Value::Object(_) | Value::Array(_))
        && !actual.is_container()
        && equal_to_node(expected, actual)
}

fn kind_mismatch(location: &Location, expected: &Value, actual: &Node<'_>) -> Mismatch {
    let actual = actual.to_value();
    let detail = format!("expected {}, got {}", kind_name(expected), show(&actual));
    Mismatch::body(
        location.to_string(),
        Some(expected.clone()),
        Some(actual),
        detail,
    )
}

#[cfg(test)]
mod tests;
