//! One function per matcher kind: each checks one actual value against one rule and, when it
//! fails, says what it expected and what it got (`expected a number, got "12.50"`).
//!
//! Rules that shape a whole object or array (`values`, `eachKey`, `eachValue`,
//! `arrayContains`) are walked by the body matchers; here they only check the value's kind.
//! Regexes are compiled once per process (`regex_cache`) and JSON Schemas once per evaluation run
//! (cached in [`Evaluator`]);
//! a regex or schema the contract gets wrong is reported as a mismatch, never a panic.

use serde_json::Value;
use treaty_schemas::{Combine, MatchingRule, RuleList};

use super::datetime::{DateTimeKind, check_date_time};
use super::json_schema::SchemaCache;
use super::kinds::{
    boolean, decimal, integer, kind_is_array, kind_is_container, kind_is_object, not_empty, null,
    number, type_of,
};
use super::mismatch::show;
use super::regex_cache;

/// How actual values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// JSON values: a number rule needs a JSON number.
    Json,
    /// Text from headers, query, paths, XML or form bodies: `"12"` may stand for a number and
    /// `"true"` for a boolean.
    Text,
}

/// Evaluates rules; holds the compiled schemas of one matching run (regexes are cached
/// process-wide in [`regex_cache`]).
#[derive(Default)]
pub(crate) struct Evaluator {
    schemas: SchemaCache,
}

impl Evaluator {
    /// Checks `actual` against every rule of `list`, combined with AND or OR; returns the
    /// failures (empty when the list passes). `cascaded` is true when the list was written for
    /// an ancestor of this value: length limits and container rules then do not apply.
    pub(crate) fn check_list(
        &self,
        list: &RuleList,
        expected: &Value,
        actual: &Value,
        form: Form,
        cascaded: bool,
    ) -> Vec<String> {
        self.check_rules(&list.rules, list.combine, expected, actual, form, cascaded)
    }

    /// [`Evaluator::check_list`] over a bare slice of rules.
    pub(crate) fn check_rules(
        &self,
        rules: &[MatchingRule],
        combine: Combine,
        expected: &Value,
        actual: &Value,
        form: Form,
        cascaded: bool,
    ) -> Vec<String> {
        self.check_each(rules, combine, expected, actual, form, cascaded)
    }

    /// [`Evaluator::check_rules`] over any sequence of rules, so that callers can filter a
    /// contract's list without copying it.
    pub(crate) fn check_each<'r>(
        &self,
        rules: impl IntoIterator<Item = &'r MatchingRule>,
        combine: Combine,
        expected: &Value,
        actual: &Value,
        form: Form,
        cascaded: bool,
    ) -> Vec<String> {
        let mut failures = Vec::new();
        for rule in rules {
            match self.check(rule, expected, actual, form, cascaded) {
                Ok(()) if combine == Combine::Or => return Vec::new(),
                Ok(()) => {}
                Err(failure) => failures.push(failure),
            }
        }
        if combine == Combine::Or && failures.len() > 1 {
            return vec![format!("no alternative matched ({})", failures.join("; "))];
        }
        failures
    }

    /// Checks `actual` against one rule.
    pub(crate) fn check(
        &self,
        rule: &MatchingRule,
        expected: &Value,
        actual: &Value,
        form: Form,
        cascaded: bool,
    ) -> Result<(), String> {
        if cascaded && !cascades(rule) {
            return Ok(());
        }
        match rule {
            MatchingRule::Equality => equality(expected, actual),
            MatchingRule::Regex(pattern) => self.regex(pattern, actual),
            MatchingRule::Type { min, max } => type_of(
                expected,
                actual,
                form,
                if cascaded { (None, None) } else { (*min, *max) },
            ),
            MatchingRule::Include(text) => include(text, actual),
            MatchingRule::Integer => integer(actual, form),
            MatchingRule::Decimal => decimal(actual, form),
            MatchingRule::Number => number(actual, form),
            MatchingRule::Boolean => boolean(actual),
            MatchingRule::Null => null(actual),
            MatchingRule::Date(format) => date_time(DateTimeKind::Date, format.as_deref(), actual),
            MatchingRule::Time(format) => date_time(DateTimeKind::Time, format.as_deref(), actual),
            MatchingRule::Timestamp(format) => {
                date_time(DateTimeKind::Timestamp, format.as_deref(), actual)
            }
            MatchingRule::ContentType(content_type) => content_type_of(content_type, actual),
            MatchingRule::Values | MatchingRule::EachKey(_) => kind_is_object(actual),
            MatchingRule::EachValue(_) => kind_is_container(actual),
            MatchingRule::ArrayContains(_) => kind_is_array(actual),
            MatchingRule::NotEmpty => not_empty(expected, actual, form),
            MatchingRule::Semver => semver(actual),
            MatchingRule::StatusCode(codes) => status_code(codes, actual),
            MatchingRule::JsonSchema(schema) => self.schemas.check(schema, actual),
            MatchingRule::Unknown(definition) => Err(format!(
                "the contract uses a matcher Treaty does not know: {definition}"
            )),
        }
    }

    fn regex(&self, pattern: &str, actual: &Value) -> Result<(), String> {
        // Pact regexes match the whole value (Java's `matches()`), so anchor the pattern.
        let matched = match actual {
            Value::String(text) => regex_cache::matches_whole(pattern, text),
            other => regex_cache::matches_whole(pattern, &other.to_string()),
        };
        match matched {
            Err(error) => Err(format!(
                "the contract's regex /{pattern}/ is invalid: {error}"
            )),
            Ok(true) => Ok(()),
            Ok(false) => Err(format!(
                "expected a value matching /{pattern}/, got {}",
                show(actual)
            )),
        }
    }
}

/// True for rules that also apply below the value they were written for; the others shape
/// one object or array (or a whole body) and stop there.
pub(crate) fn cascades(rule: &MatchingRule) -> bool {
    !matches!(
        rule,
        MatchingRule::Values
            | MatchingRule::EachKey(_)
            | MatchingRule::EachValue(_)
            | MatchingRule::ArrayContains(_)
            | MatchingRule::JsonSchema(_)
            | MatchingRule::ContentType(_)
            | MatchingRule::StatusCode(_)
    )
}

/// The string a text rule reads: a string as is, anything else as JSON text.
pub(crate) fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Deep equality, with numbers compared by value (`1` equals `1.0`).
pub(crate) fn values_equal(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(left), Value::Number(right)) => match (left.as_i64(), right.as_i64()) {
            (Some(left), Some(right)) => left == right,
            _ => left.as_f64() == right.as_f64(),
        },
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(l, r)| values_equal(l, r))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, l)| right.get(key).is_some_and(|r| values_equal(l, r)))
        }
        _ => expected == actual,
    }
}

fn equality(expected: &Value, actual: &Value) -> Result<(), String> {
    if values_equal(expected, actual) {
        Ok(())
    } else {
        Err(format!("expected {}, got {}", show(expected), show(actual)))
    }
}

fn include(text: &str, actual: &Value) -> Result<(), String> {
    if text_of(actual).contains(text) {
        Ok(())
    } else {
        Err(format!(
            "expected a value containing {}, got {}",
            show(&Value::from(text)),
            show(actual)
        ))
    }
}

fn date_time(kind: DateTimeKind, format: Option<&str>, actual: &Value) -> Result<(), String> {
    let Value::String(text) = actual else {
        return Err(format!(
            "expected {} as a string, got {}",
            kind.name(),
            show(actual)
        ));
    };
    check_date_time(kind, format, text).map_err(|reason| {
        format!(
            "expected {}, got {} ({reason})",
            kind.describe(format),
            show(actual)
        )
    })
}

fn content_type_of(expected: &str, actual: &Value) -> Result<(), String> {
    let sniffed = match actual {
        Value::String(text) if text.trim_start().starts_with('<') => "application/xml",
        Value::String(text) if serde_json::from_str::<Value>(text).is_err() => "text/plain",
        _ => "application/json",
    };
    let essence = expected
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let same_family = essence == sniffed
        || (sniffed == "application/json"
            && (essence.ends_with("+json") || essence.ends_with("/json")))
        || (sniffed == "application/xml"
            && (essence.ends_with("+xml") || essence.ends_with("/xml")))
        || (sniffed == "text/plain" && essence.starts_with("text/"));
    if same_family {
        Ok(())
    } else {
        Err(format!(
            "expected content of type {expected}, got what looks like {sniffed}"
        ))
    }
}

fn semver(actual: &Value) -> Result<(), String> {
    let Value::String(text) = actual else {
        return Err(format!("expected a semantic version, got {}", show(actual)));
    };
    if super::datetime::is_semver(text) {
        Ok(())
    } else {
        Err(format!("expected a semantic version, got {}", show(actual)))
    }
}

fn status_code(codes: &Value, actual: &Value) -> Result<(), String> {
    let Some(status) = actual
        .as_u64()
        .or_else(|| actual.as_str().and_then(|s| s.parse().ok()))
    else {
        return Err(format!("expected a status code, got {}", show(actual)));
    };
    let ok = match codes {
        Value::String(class) => match class.as_str() {
            "information" => (100..200).contains(&status),
            "success" => (200..300).contains(&status),
            "redirect" => (300..400).contains(&status),
            "clientError" => (400..500).contains(&status),
            "serverError" => (500..600).contains(&status),
            "nonError" => status < 400,
            "error" => status >= 400,
            other => {
                return Err(format!(
                    "the contract's status class \"{other}\" is unknown"
                ));
            }
        },
        Value::Array(list) => list.iter().any(|code| code.as_u64() == Some(status)),
        other => {
            return Err(format!(
                "the contract's statusCode matcher has an unusable value {other}"
            ));
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected a status in {codes}, got {status}"))
    }
}
