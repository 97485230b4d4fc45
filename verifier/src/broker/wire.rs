//! Serde types of the broker API, exactly as they travel on the wire (see the team's
//! `pact-broker-api.md` §3.1): request bodies Treaty sends and the parts of response bodies it
//! reads. Nothing here holds logic beyond reading error bodies into lines of text.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Body of `POST /contracts/publish`: one consumer version and its contracts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PublishContractsRequest {
    /// The consumer's name.
    pub pacticipant_name: String,
    /// The consumer version the contracts belong to.
    pub pacticipant_version_number: String,
    /// The branch the version was built from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The tags to put on the version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// The CI build that produced the contracts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_url: Option<String>,
    /// The contracts, one per provider.
    pub contracts: Vec<ContractToPublish>,
}

/// One contract inside a [`PublishContractsRequest`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ContractToPublish {
    /// The consumer's name (equal to the request's `pacticipantName`).
    pub consumer_name: String,
    /// The provider's name.
    pub provider_name: String,
    /// Always `"pact"`.
    pub specification: String,
    /// Always `"application/json"`.
    pub content_type: String,
    /// Standard base64 of the contract's JSON.
    pub content: String,
    /// `"overwrite"` or `"merge"`.
    pub on_conflict: String,
}

/// A broker notice: `{type, text}`, where type is success, info, debug, prompt, warning or error.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Notice {
    /// The kind of notice.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// What the broker says.
    #[serde(default)]
    pub text: String,
}

/// The parts of a publish response Treaty reads; the whole body is kept for `--output json`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct PublishContractsResponse {
    /// What the broker says about the publication.
    #[serde(default)]
    pub notices: Vec<Notice>,
}

/// Reads a broker error body into lines: the `errors` (an object of field -> message or
/// messages, an array of strings or of problem objects, or a string), then problem+json's
/// `detail`, then the `notices`, each as `[type] text`.
pub fn error_lines(body: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    match body.get("errors") {
        Some(Value::Object(fields)) => {
            for (field, messages) in fields {
                for message in strings(messages) {
                    lines.push(format!("{field}: {message}"));
                }
            }
        }
        Some(other) => lines.extend(strings(other)),
        None => {}
    }
    // Problem details say it in `detail`; Treaty's and the Pact Broker's 401, 403 and 404
    // bodies in `error`.
    if lines.is_empty()
        && let Some(detail) = ["detail", "error"]
            .into_iter()
            .find_map(|key| body.get(key).and_then(Value::as_str))
    {
        lines.push(detail.to_owned());
    }
    if let Some(notices) = body.get("notices").and_then(Value::as_array) {
        for notice in notices {
            // The Pact Broker repeats its error as an `error` notice; say it once.
            if let Ok(notice) = serde_json::from_value::<Notice>(notice.clone())
                && !notice.text.is_empty()
                && !lines.iter().any(|line| line.ends_with(&notice.text))
            {
                lines.push(format!("[{}] {}", notice.kind, notice.text));
            }
        }
    }
    lines
}

/// Every message in a value that is a string, an array of strings, or problem objects with a
/// `detail` (and maybe a `pointer`).
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(problem) => {
            let text = problem
                .get("detail")
                .or_else(|| problem.get("message"))
                .or_else(|| problem.get("title"))
                .and_then(Value::as_str);
            let pointer = problem.get("pointer").and_then(Value::as_str);
            match (pointer, text) {
                (Some(pointer), Some(text)) => vec![format!("{pointer}: {text}")],
                (None, Some(text)) => vec![text.to_owned()],
                _ => vec![value.to_string()],
            }
        }
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn publish_request_omits_absent_optional_keys() {
        let request = PublishContractsRequest {
            pacticipant_name: "web".into(),
            pacticipant_version_number: "1.0.0".into(),
            branch: None,
            tags: None,
            build_url: None,
            contracts: vec![],
        };
        let value = serde_json::to_value(&request).unwrap();
        assert_eq!(
            value,
            json!({"pacticipantName": "web", "pacticipantVersionNumber": "1.0.0", "contracts": []})
        );
    }

    #[test]
    fn error_lines_read_every_shape_clients_know() {
        let body = json!({
            "errors": {"contracts": ["content changed"], "branch": "blank"},
            "notices": [{"type": "error", "text": "cannot change the content"},
                        {"type": "error", "text": "content changed"}]
        });
        assert_eq!(
            error_lines(&body),
            vec![
                "contracts: content changed",
                "branch: blank",
                "[error] cannot change the content"
            ]
        );
        assert_eq!(error_lines(&json!({"errors": ["a", "b"]})), vec!["a", "b"]);
        assert_eq!(error_lines(&json!({"errors": "boom"})), vec!["boom"]);
        let problem = json!({"detail": "invalid", "errors": [{"pointer": "/contracts/0", "detail": "bad base64"}]});
        assert_eq!(error_lines(&problem), vec!["/contracts/0: bad base64"]);
        assert_eq!(
            error_lines(&json!({"detail": "only detail"})),
            vec!["only detail"]
        );
        assert_eq!(
            error_lines(&json!({"error": "`ci` has the read role"})),
            vec!["`ci` has the read role"]
        );
    }
}
