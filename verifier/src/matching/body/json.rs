//! JSON bodies: the expected document walked beside the actual one, with matching rules looked
//! up by location.
//!
//! Without a rule, objects must have the expected keys (and, in strict mode, no others),
//! arrays the expected length, and leaves equal values. A rule at a location replaces that
//! default there: a type rule on an array compares every actual item with the first example
//! (so any length fits, within `min`/`max`), and rules cascade to children as Pact's do.

use serde_json::{Map, Value};
use treaty_schemas::{ArrayContainsVariant, Combine, MatchingRule, RuleList};

use crate::matching::kinds::kind_name;
use crate::matching::mismatch::{Mismatch, show};
use crate::matching::path::{Location, RuleSet};
use crate::matching::rules::{Evaluator, Form, cascades, values_equal};

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
        actual: &Value,
        out: &mut Vec<Mismatch>,
    ) {
        let Some(selected) = self.rules.select(location) else {
            return self.compare_plain(location, expected, actual, out);
        };
        let rules: Vec<MatchingRule> = if selected.cascaded {
            selected
                .list
                .rules
                .iter()
                .filter(|rule| cascades(rule))
                .cloned()
                .collect()
        } else {
            selected.list.rules.clone()
        };
        if rules.is_empty() {
            return self.compare_plain(location, expected, actual, out);
        }
        self.compare_with(
            location,
            expected,
            actual,
            Applied {
                rules: &rules,
                combine: selected.list.combine,
                cascaded: selected.cascaded,
            },
            out,
        );
    }

    fn compare_with(
        &self,
        location: &Location,
        expected: &Value,
        actual: &Value,
        applied: Applied<'_>,
        out: &mut Vec<Mismatch>,
    ) {
        let Applied {
            rules,
            combine,
            cascaded,
        } = applied;
        let container = |value: &Value| value.is_object() || value.is_array();
        if !container(expected) && !container(actual) {
            for failure in
                self.evaluator
                    .check_rules(rules, combine, expected, actual, Form::Json, cascaded)
            {
                out.push(Mismatch::body(
                    location.to_string(),
                    Some(expected.clone()),
                    Some(actual.clone()),
                    failure,
                ));
            }
            return;
        }
        // Checks on the container itself; rules meant for leaves only cascade through it.
        let own: Vec<MatchingRule> = rules
            .iter()
            .filter(|rule| !(cascaded && is_leaf_rule(rule)))
            .cloned()
            .collect();
        let failures =
            self.evaluator
                .check_rules(&own, combine, expected, actual, Form::Json, cascaded);
        for failure in failures {
            out.push(Mismatch::body(
                location.to_string(),
                Some(expected.clone()),
                Some(actual.clone()),
                failure,
            ));
        }
        let whole_value = own
            .iter()
            .any(|rule| matches!(rule, MatchingRule::Equality | MatchingRule::JsonSchema(_)));
        if whole_value {
            return;
        }
        match (expected, actual) {
            (Value::Object(expected), Value::Object(actual)) => {
                self.object_with(location, expected, actual, rules, out)
            }
            (Value::Array(expected), Value::Array(actual)) => {
                self.array_with(location, expected, actual, rules, out)
            }
            // Different kinds pass only when a rule for this very value accepted them (say,
            // `null` OR `type`); rules cascading from above say nothing about the kind.
            _ if own.is_empty() => out.push(kind_mismatch(location, expected, actual)),
            _ => {}
        }
    }

    fn object_with(
        &self,
        location: &Location,
        expected: &Map<String, Value>,
        actual: &Map<String, Value>,
        rules: &[MatchingRule],
        out: &mut Vec<Mismatch>,
    ) {
        let mut free_keys = false;
        let mut each_value = None;
        for rule in rules {
            match rule {
                MatchingRule::EachKey(inner) => {
                    free_keys = true;
                    for key in actual.keys() {
                        let key_value = Value::String(key.clone());
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
            return self.compare_keys(location, expected, actual, out);
        }
        let each_value_matcher = each_value.map(|inner| self.for_each_value(location, inner));
        let matcher = each_value_matcher.as_ref().unwrap_or(self);
        for (key, actual_value) in actual {
            let Some(example) = expected.get(key).or_else(|| expected.values().next()) else {
                continue;
            };
            matcher.compare(&location.field(key), example, actual_value, out);
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
        actual: &[Value],
        rules: &[MatchingRule],
        out: &mut Vec<Mismatch>,
    ) {
        if let Some(variants) = rules.iter().find_map(|rule| match rule {
            MatchingRule::ArrayContains(variants) => Some(variants),
            _ => None,
        }) {
            return self.array_contains(location, expected, actual, variants, out);
        }
        let each_value = rules.iter().find_map(|rule| match rule {
            MatchingRule::EachValue(inner) => Some(inner),
            _ => None,
        });
        let any_length = each_value.is_some()
            || rules.iter().any(|rule| {
                matches!(
                    rule,
                    MatchingRule::Type { .. } | MatchingRule::NotEmpty | MatchingRule::Values
                )
            });
        if !any_length {
            return self.compare_arrays(location, expected, actual, out);
        }
        // Items beyond the example are compared with its first item, as Pact pads the list.
        let Some(first) = expected.first() else {
            return;
        };
        let each_value_matcher = each_value.map(|inner| self.for_each_value(location, inner));
        let matcher = each_value_matcher.as_ref().unwrap_or(self);
        for (index, item) in actual.iter().enumerate() {
            let example = expected.get(index).unwrap_or(first);
            matcher.compare(&location.index(index), example, item, out);
        }
    }

    fn array_contains(
        &self,
        location: &Location,
        expected: &[Value],
        actual: &[Value],
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
            let found = actual.iter().any(|item| {
                let mut differences = Vec::new();
                matcher.compare(&Location::root(), example, item, &mut differences);
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

    fn compare_plain(
        &self,
        location: &Location,
        expected: &Value,
        actual: &Value,
        out: &mut Vec<Mismatch>,
    ) {
        match (expected, actual) {
            (Value::Object(expected), Value::Object(actual)) => {
                self.compare_keys(location, expected, actual, out)
            }
            (Value::Array(expected), Value::Array(actual)) => {
                self.compare_arrays(location, expected, actual, out)
            }
            (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => {
                out.push(kind_mismatch(location, expected, actual));
            }
            _ if values_equal(expected, actual) => {}
            _ => {
                let detail = format!("expected {}, got {}", show(expected), show(actual));
                out.push(Mismatch::body(
                    location.to_string(),
                    Some(expected.clone()),
                    Some(actual.clone()),
                    detail,
                ));
            }
        }
    }

    fn compare_keys(
        &self,
        location: &Location,
        expected: &Map<String, Value>,
        actual: &Map<String, Value>,
        out: &mut Vec<Mismatch>,
    ) {
        for (key, expected_value) in expected {
            let child = location.field(key);
            match actual.get(key) {
                Some(actual_value) => self.compare(&child, expected_value, actual_value, out),
                None => {
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
                let detail = format!("unexpected key (with value {})", show(actual_value));
                out.push(Mismatch::body(
                    location.field(key).to_string(),
                    None,
                    Some(actual_value.clone()),
                    detail,
                ));
            }
        }
    }

    fn compare_arrays(
        &self,
        location: &Location,
        expected: &[Value],
        actual: &[Value],
        out: &mut Vec<Mismatch>,
    ) {
        for (index, (expected_item, actual_item)) in expected.iter().zip(actual).enumerate() {
            self.compare(&location.index(index), expected_item, actual_item, out);
        }
        if expected.len() != actual.len() {
            let detail = format!("expected {} item(s), got {}", expected.len(), actual.len());
            let (expected, actual) = (
                Value::Array(expected.to_vec()),
                Value::Array(actual.to_vec()),
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

/// The rules in force at one location and how they combine.
#[derive(Clone, Copy)]
struct Applied<'r> {
    rules: &'r [MatchingRule],
    combine: Combine,
    /// True when the rules were written for an ancestor.
    cascaded: bool,
}

/// Rules about single values, which say nothing about a container they cascade through.
fn is_leaf_rule(rule: &MatchingRule) -> bool {
    !matches!(rule, MatchingRule::Type { .. } | MatchingRule::NotEmpty)
}

fn kind_mismatch(location: &Location, expected: &Value, actual: &Value) -> Mismatch {
    let detail = format!("expected {}, got {}", kind_name(expected), show(actual));
    Mismatch::body(
        location.to_string(),
        Some(expected.clone()),
        Some(actual.clone()),
        detail,
    )
}
