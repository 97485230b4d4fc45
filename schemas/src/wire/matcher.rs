//! One matcher object (`{"match": "regex", "regex": "\\d+"}`) converted into a
//! [`MatchingRule`], including the nested forms (`eachKey`/`eachValue` rules and
//! `arrayContains` variants). Matchers written without `match` get the kind their keys imply
//! (V2's `{"min": 1}` is a type matcher with a bound; legacy `{"regex": …}` is a regex).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::findings::{Findings, child, index};
use super::rules::parse_rule_list;
use crate::model::{ArrayContainsVariant, MatchingRule};

pub(crate) fn parse_matcher_array(
    matchers: &[Value],
    pointer: &str,
    findings: &mut Findings,
) -> Vec<MatchingRule> {
    matchers
        .iter()
        .enumerate()
        .map(|(position, matcher)| parse_matcher(matcher, &index(pointer, position), findings))
        .collect()
}

/// Converts one matcher object (`{"match": "regex", "regex": "\\d+"}`).
pub(crate) fn parse_matcher(value: &Value, pointer: &str, findings: &mut Findings) -> MatchingRule {
    let Value::Object(object) = value else {
        findings.wrong_type(pointer, "object", value);
        return MatchingRule::Unknown(value.clone());
    };
    let kind = match object.get("match") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(other) => {
            findings.wrong_type(&child(pointer, "match"), "string", other);
            return MatchingRule::Unknown(value.clone());
        }
        None => implied_kind(object),
    };
    let mut reader = MatcherReader {
        object,
        pointer,
        findings,
    };
    match kind {
        "equality" => MatchingRule::Equality,
        "regex" => reader
            .required_string("regex")
            .map_or_else(|| MatchingRule::Unknown(value.clone()), MatchingRule::Regex),
        "type" | "min" | "max" => MatchingRule::Type {
            min: reader.bound("min"),
            max: reader.bound("max"),
        },
        "include" => reader.required_string("value").map_or_else(
            || MatchingRule::Unknown(value.clone()),
            MatchingRule::Include,
        ),
        "integer" => MatchingRule::Integer,
        "decimal" => MatchingRule::Decimal,
        "number" => MatchingRule::Number,
        "boolean" => MatchingRule::Boolean,
        "null" => MatchingRule::Null,
        "date" => MatchingRule::Date(reader.format("date")),
        "time" => MatchingRule::Time(reader.format("time")),
        "timestamp" | "datetime" => MatchingRule::Timestamp(reader.format("timestamp")),
        "contentType" => reader.required_string("value").map_or_else(
            || MatchingRule::Unknown(value.clone()),
            MatchingRule::ContentType,
        ),
        "values" => MatchingRule::Values,
        "eachKey" => MatchingRule::EachKey(reader.nested_rules()),
        "eachValue" => MatchingRule::EachValue(reader.nested_rules()),
        "arrayContains" => MatchingRule::ArrayContains(reader.variants()),
        "notEmpty" => MatchingRule::NotEmpty,
        "semver" => MatchingRule::Semver,
        "statusCode" => match object.get("status") {
            Some(status) => MatchingRule::StatusCode(status.clone()),
            None => {
                reader
                    .findings
                    .error(pointer, "missing required key `status`");
                MatchingRule::Unknown(value.clone())
            }
        },
        "jsonSchema" => match object.get("schema") {
            Some(schema @ (Value::Object(_) | Value::Bool(_))) => {
                MatchingRule::JsonSchema(schema.clone())
            }
            Some(other) => {
                reader
                    .findings
                    .wrong_type(&child(pointer, "schema"), "object", other);
                MatchingRule::Unknown(value.clone())
            }
            None => {
                reader
                    .findings
                    .error(pointer, "missing required key `schema`");
                MatchingRule::Unknown(value.clone())
            }
        },
        _ => {
            reader.findings.warning(
                pointer,
                format!("unknown matcher kind \"{kind}\": kept, but the verifier cannot apply it"),
            );
            MatchingRule::Unknown(value.clone())
        }
    }
}

/// The kind of a matcher written without `match` (V2 `{"min": 1}`, legacy `{"regex": "…"}`).
fn implied_kind(object: &Map<String, Value>) -> &'static str {
    if object.contains_key("regex") {
        "regex"
    } else if object.contains_key("min") || object.contains_key("max") {
        "type"
    } else if object.contains_key("timestamp") {
        "timestamp"
    } else if object.contains_key("date") {
        "date"
    } else if object.contains_key("time") {
        "time"
    } else {
        "unknown"
    }
}

struct MatcherReader<'a> {
    object: &'a Map<String, Value>,
    pointer: &'a str,
    findings: &'a mut Findings,
}

impl MatcherReader<'_> {
    fn required_string(&mut self, key: &str) -> Option<String> {
        match self.object.get(key) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                self.findings
                    .wrong_type(&child(self.pointer, key), "string", other);
                None
            }
            None => {
                self.findings
                    .error(self.pointer, format!("missing required key `{key}`"));
                None
            }
        }
    }

    fn bound(&mut self, key: &str) -> Option<usize> {
        let value = self.object.get(key)?;
        match value.as_u64().and_then(|bound| usize::try_from(bound).ok()) {
            Some(bound) => Some(bound),
            None if value.is_null() => None,
            None => {
                self.findings.error(
                    &child(self.pointer, key),
                    format!("expected non-negative integer, found {value}"),
                );
                None
            }
        }
    }

    /// `format`, or the legacy key named after the matcher (`"date": "yyyy-MM-dd"`).
    fn format(&mut self, legacy_key: &str) -> Option<String> {
        for key in ["format", legacy_key] {
            match self.object.get(key) {
                Some(Value::String(format)) => return Some(format.clone()),
                Some(Value::Null) | None => {}
                Some(other) => self
                    .findings
                    .wrong_type(&child(self.pointer, key), "string", other),
            }
        }
        None
    }

    fn nested_rules(&mut self) -> Vec<MatchingRule> {
        match self.object.get("rules") {
            Some(Value::Array(rules)) => {
                parse_matcher_array(rules, &child(self.pointer, "rules"), self.findings)
            }
            Some(other) => {
                self.findings
                    .wrong_type(&child(self.pointer, "rules"), "array", other);
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn variants(&mut self) -> Vec<ArrayContainsVariant> {
        let variants_pointer = child(self.pointer, "variants");
        let variants = match self.object.get("variants") {
            Some(Value::Array(variants)) => variants,
            Some(other) => {
                self.findings.wrong_type(&variants_pointer, "array", other);
                return Vec::new();
            }
            None => {
                self.findings
                    .error(self.pointer, "missing required key `variants`");
                return Vec::new();
            }
        };
        variants
            .iter()
            .enumerate()
            .map(|(position, variant)| {
                parse_variant(
                    variant,
                    position,
                    &index(&variants_pointer, position),
                    self.findings,
                )
            })
            .collect()
    }
}

fn parse_variant(
    value: &Value,
    position: usize,
    pointer: &str,
    findings: &mut Findings,
) -> ArrayContainsVariant {
    let mut variant = ArrayContainsVariant {
        index: position,
        rules: BTreeMap::new(),
        generators: BTreeMap::new(),
    };
    let Value::Object(object) = value else {
        findings.wrong_type(pointer, "object", value);
        return variant;
    };
    if let Some(index_value) = object.get("index") {
        match index_value
            .as_u64()
            .and_then(|index| usize::try_from(index).ok())
        {
            Some(index) => variant.index = index,
            None => findings.error(
                &child(pointer, "index"),
                format!("expected non-negative integer, found {index_value}"),
            ),
        }
    }
    match object.get("rules") {
        None | Some(Value::Null) => {}
        Some(Value::Object(rules)) => {
            let rules_pointer = child(pointer, "rules");
            for (path, list) in rules {
                variant.rules.insert(
                    path.clone(),
                    parse_rule_list(list, &child(&rules_pointer, path), findings),
                );
            }
        }
        Some(other) => findings.wrong_type(&child(pointer, "rules"), "object", other),
    }
    match object.get("generators") {
        None | Some(Value::Null) => {}
        Some(Value::Object(generators)) => {
            variant.generators = generators
                .iter()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect();
        }
        Some(other) => findings.wrong_type(&child(pointer, "generators"), "object", other),
    }
    variant
}
