//! Matching rules and generators in every specification layout, converted into
//! [`MatchingRules`] and [`Generators`].
//!
//! V2 writes one flat map keyed by a path that starts with the part it applies to
//! (`$.body.a`, `$.headers.Accept`, `$.query.q`, `$.path`); body paths are re-rooted at `$`.
//! V3 and V4 group rules by category (`body`, `header`, `query`, `path`, `status`, `metadata`,
//! and V4's message `content`, which is stored as the body), each entry a matcher list with a
//! `combine`. Unknown categories are ignored, as the reference implementation does; unknown
//! matcher kinds are kept as [`MatchingRule::Unknown`] so the verifier can report them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::findings::{Findings, child, index};
use crate::model::{
    ArrayContainsVariant, Combine, Generators, MatchingRule, MatchingRules, RuleCategory, RuleList,
    SpecVersion,
};

/// Converts a `matchingRules` value (absent gives no rules).
pub(crate) fn parse_matching_rules(
    value: Option<&Value>,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> MatchingRules {
    let mut rules = MatchingRules::default();
    let object = match value {
        None | Some(Value::Null) => return rules,
        Some(Value::Object(object)) => object,
        Some(other) => {
            findings.wrong_type(pointer, "object", other);
            return rules;
        }
    };
    if version <= SpecVersion::V2 {
        parse_flat(object, &mut rules, pointer, findings);
    } else {
        parse_categories(object, &mut rules, pointer, findings);
    }
    rules
}

/// Converts a `generators` value: category, then path or name, then the generator object.
pub(crate) fn parse_generators(
    value: Option<&Value>,
    pointer: &str,
    findings: &mut Findings,
) -> Generators {
    let mut generators = Generators::new();
    let object = match value {
        None | Some(Value::Null) => return generators,
        Some(Value::Object(object)) => object,
        Some(other) => {
            findings.wrong_type(pointer, "object", other);
            return generators;
        }
    };
    for (category, entries) in object {
        let category_pointer = child(pointer, category);
        let name = if category == "content" {
            "body"
        } else {
            category.as_str()
        };
        let Value::Object(entries_object) = entries else {
            findings.wrong_type(&category_pointer, "object", entries);
            continue;
        };
        let target = generators.entry(name.to_owned()).or_default();
        if entries_object.get("type").is_some_and(Value::is_string) {
            // `path` and `status` hold one generator directly, with no key.
            target.insert(String::new(), entries.clone());
        } else {
            for (key, generator) in entries_object {
                target.insert(key.clone(), generator.clone());
            }
        }
    }
    generators
}

fn parse_flat(
    object: &Map<String, Value>,
    rules: &mut MatchingRules,
    pointer: &str,
    findings: &mut Findings,
) {
    for (path, matcher) in object {
        let matcher_pointer = child(pointer, path);
        let Some((category, key)) = split_v2_path(path) else {
            findings.error(
                &matcher_pointer,
                format!(
                    "expected a rule path starting with $.body, $.headers, $.query, $.path or \
                     $.status, found \"{path}\""
                ),
            );
            continue;
        };
        let list = if matcher.get("matchers").is_some() {
            parse_rule_list(matcher, &matcher_pointer, findings)
        } else {
            RuleList {
                rules: vec![parse_matcher(matcher, &matcher_pointer, findings)],
                combine: Combine::And,
            }
        };
        rules
            .categories
            .entry(category)
            .or_default()
            .insert(key, list);
    }
}

/// Splits a V2 rule path into its category and the key inside it (a body path re-rooted at `$`).
fn split_v2_path(path: &str) -> Option<(RuleCategory, String)> {
    let rest = path.strip_prefix("$.")?;
    let (part, tail) = match rest.find(['.', '[']) {
        Some(position) => (&rest[..position], &rest[position..]),
        None => (rest, ""),
    };
    match part {
        "body" => Some((RuleCategory::Body, format!("${tail}"))),
        "headers" | "header" => Some((RuleCategory::Header, name_from_tail(tail)?)),
        "query" => Some((RuleCategory::Query, name_from_tail(tail)?)),
        "path" if tail.is_empty() => Some((RuleCategory::Path, String::new())),
        "status" if tail.is_empty() => Some((RuleCategory::Status, String::new())),
        _ => None,
    }
}

/// `.Accept` or `['Content-Type']` → the bare name.
fn name_from_tail(tail: &str) -> Option<String> {
    if let Some(name) = tail.strip_prefix('.') {
        return (!name.is_empty()).then(|| name.to_owned());
    }
    let inner = tail.strip_prefix('[')?.strip_suffix(']')?;
    let name = inner
        .strip_prefix('\'')
        .and_then(|name| name.strip_suffix('\''))
        .or_else(|| {
            inner
                .strip_prefix('"')
                .and_then(|name| name.strip_suffix('"'))
        })
        .unwrap_or(inner);
    Some(name.to_owned())
}

fn parse_categories(
    object: &Map<String, Value>,
    rules: &mut MatchingRules,
    pointer: &str,
    findings: &mut Findings,
) {
    for (name, entries) in object {
        let category_pointer = child(pointer, name);
        let category = match name.as_str() {
            "body" | "content" => RuleCategory::Body,
            "header" | "headers" => RuleCategory::Header,
            "query" => RuleCategory::Query,
            "path" => RuleCategory::Path,
            "status" => RuleCategory::Status,
            "metadata" | "metaData" => RuleCategory::Metadata,
            _ => continue,
        };
        let Value::Object(entries_object) = entries else {
            findings.wrong_type(&category_pointer, "object", entries);
            continue;
        };
        let target = rules.categories.entry(category).or_default();
        if entries_object.contains_key("matchers") {
            // `path` (and `status`) hold one matcher list directly, with no key.
            target.insert(
                String::new(),
                parse_rule_list(entries, &category_pointer, findings),
            );
        } else {
            for (key, list) in entries_object {
                target.insert(
                    key.clone(),
                    parse_rule_list(list, &child(&category_pointer, key), findings),
                );
            }
        }
    }
}

/// Converts `{"matchers": [...], "combine": "AND"}` (a bare matcher object is accepted too).
pub(crate) fn parse_rule_list(value: &Value, pointer: &str, findings: &mut Findings) -> RuleList {
    let Value::Object(object) = value else {
        findings.wrong_type(pointer, "object with matchers", value);
        return RuleList {
            rules: Vec::new(),
            combine: Combine::And,
        };
    };
    let combine = match object.get("combine") {
        None | Some(Value::Null) => Combine::And,
        Some(Value::String(text)) if text.eq_ignore_ascii_case("and") => Combine::And,
        Some(Value::String(text)) if text.eq_ignore_ascii_case("or") => Combine::Or,
        Some(other) => {
            findings.error(
                &child(pointer, "combine"),
                format!("expected \"AND\" or \"OR\", found {other}"),
            );
            Combine::And
        }
    };
    let rules = match object.get("matchers") {
        Some(Value::Array(matchers)) => {
            parse_matcher_array(matchers, &child(pointer, "matchers"), findings)
        }
        Some(other) => {
            findings.wrong_type(&child(pointer, "matchers"), "array", other);
            Vec::new()
        }
        None if object.contains_key("match") => vec![parse_matcher(value, pointer, findings)],
        None => {
            findings.error(pointer, "missing required key `matchers`");
            Vec::new()
        }
    };
    RuleList { rules, combine }
}

fn parse_matcher_array(
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
        "timestamp" | "datetime" => MatchingRule::Timestamp(reader.format(kind)),
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
        _ => MatchingRule::Unknown(value.clone()),
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
