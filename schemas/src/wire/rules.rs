//! Matching rules and generators in every specification layout, converted into
//! [`MatchingRules`] and [`Generators`].
//!
//! V2 writes one flat map keyed by a path that starts with the part it applies to
//! (`$.body.a`, `$.headers.Accept`, `$.query.q`, `$.path`); body paths are re-rooted at `$`.
//! V3 and V4 group rules by category (`body`, `header`, `query`, `path`, `status`, `metadata`,
//! and V4's message `content`, which is stored as the body), each entry a matcher list with a
//! `combine`. Unknown categories are ignored, as the reference implementation does; unknown
//! matcher kinds are kept as [`MatchingRule::Unknown`](crate::MatchingRule::Unknown) so the
//! verifier can report them.

use serde_json::{Map, Value};

use super::findings::{Findings, child};
use super::matcher::{parse_matcher, parse_matcher_array};
use crate::model::{Combine, Generators, MatchingRules, RuleCategory, RuleList, SpecVersion};

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
