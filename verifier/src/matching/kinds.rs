//! Checks of what kind a value is: the `type` rule (with `min`/`max` on arrays), `integer`,
//! `decimal`, `number`, `boolean`, `null`, `notEmpty`, and the kind checks of the rules that
//! shape objects and arrays. Each returns the failure as `expected …, got …`.

use serde_json::Value;

use super::mismatch::show;
use super::rules::Form;

/// The JSON kind as messages name it, with an article.
pub(crate) fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn same_kind(expected: &Value, actual: &Value, form: Form) -> bool {
    match (expected, actual) {
        (Value::Null, Value::Null)
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Array(_), Value::Array(_))
        | (Value::Object(_), Value::Object(_)) => true,
        // In text (headers, XML), every value is a string whatever the example looked like.
        (_, Value::String(_)) => form == Form::Text,
        _ => false,
    }
}

pub(super) fn type_of(
    expected: &Value,
    actual: &Value,
    form: Form,
    (min, max): (Option<usize>, Option<usize>),
) -> Result<(), String> {
    if !same_kind(expected, actual, form) {
        return Err(format!(
            "expected {}, got {}",
            kind_name(expected),
            show(actual)
        ));
    }
    if let Value::Array(items) = actual {
        if let Some(min) = min.filter(|min| items.len() < *min) {
            return Err(format!(
                "expected at least {min} item(s), got {}",
                items.len()
            ));
        }
        if let Some(max) = max.filter(|max| items.len() > *max) {
            return Err(format!(
                "expected at most {max} item(s), got {}",
                items.len()
            ));
        }
    }
    Ok(())
}

pub(super) fn integer(actual: &Value, form: Form) -> Result<(), String> {
    let ok = match actual {
        Value::Number(number) => number.is_i64() || number.is_u64(),
        Value::String(text) if form == Form::Text => text.trim().parse::<i128>().is_ok(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected an integer, got {}", show(actual)))
    }
}

pub(super) fn decimal(actual: &Value, form: Form) -> Result<(), String> {
    let ok = match actual {
        Value::Number(number) => number.is_f64(),
        Value::String(text) if form == Form::Text => {
            text.contains('.') && text.trim().parse::<f64>().is_ok_and(f64::is_finite)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected a decimal number, got {}", show(actual)))
    }
}

pub(super) fn number(actual: &Value, form: Form) -> Result<(), String> {
    let ok = match actual {
        Value::Number(_) => true,
        Value::String(text) if form == Form::Text => {
            text.trim().parse::<f64>().is_ok_and(f64::is_finite)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected a number, got {}", show(actual)))
    }
}

pub(super) fn boolean(actual: &Value) -> Result<(), String> {
    match actual {
        Value::Bool(_) => Ok(()),
        Value::String(text) if text == "true" || text == "false" => Ok(()),
        _ => Err(format!("expected a boolean, got {}", show(actual))),
    }
}

pub(super) fn null(actual: &Value) -> Result<(), String> {
    if actual.is_null() {
        Ok(())
    } else {
        Err(format!("expected null, got {}", show(actual)))
    }
}

pub(super) fn kind_is_object(actual: &Value) -> Result<(), String> {
    if actual.is_object() {
        Ok(())
    } else {
        Err(format!("expected an object, got {}", show(actual)))
    }
}

pub(super) fn kind_is_array(actual: &Value) -> Result<(), String> {
    if actual.is_array() {
        Ok(())
    } else {
        Err(format!("expected an array, got {}", show(actual)))
    }
}

pub(super) fn kind_is_container(actual: &Value) -> Result<(), String> {
    if actual.is_object() || actual.is_array() {
        Ok(())
    } else {
        Err(format!(
            "expected an object or an array, got {}",
            show(actual)
        ))
    }
}

pub(super) fn not_empty(expected: &Value, actual: &Value, form: Form) -> Result<(), String> {
    let empty = match actual {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    };
    if empty {
        return Err(format!("expected a non-empty value, got {}", show(actual)));
    }
    type_of(expected, actual, form, (None, None))
}
