//! Provider-state setup and teardown calls, as Pact verifiers make them: a POST of
//! `{"state": name, "params": {...}, "action": "setup"|"teardown"}` to the state change URL.
//!
//! A JSON object in a setup answer is merged into the parameters that `ProviderState`
//! generators read, as the Pact verifiers do.

use serde_json::{Map, Value};
use treaty_schemas::ProviderState;

use super::report::ErrorKind;
use super::transport::{Endpoint, SendError, Session, human_duration};

/// Which side of an interaction a state change call is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateAction {
    /// Before the interaction.
    Setup,
    /// After the interaction.
    Teardown,
}

impl StateAction {
    /// The `action` value the provider receives.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StateAction::Setup => "setup",
            StateAction::Teardown => "teardown",
        }
    }
}

/// Why a state change call failed: the outcome kind it gives the interaction, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StateChangeError {
    /// [`ErrorKind::Unreachable`] when nothing listens at the URL (the run could not do its
    /// job), [`ErrorKind::ProviderState`] otherwise.
    pub(crate) kind: ErrorKind,
    /// What happened, naming the state and the URL.
    pub(crate) reason: String,
}

/// The bodies of one state's change calls: `{"state": …, "params": {…}, "action": …}` in
/// that field order. The part before the action is serialised once, for setup and teardown.
#[derive(Debug)]
pub(crate) struct StateChangeBody {
    bytes: Vec<u8>,
    /// Length of the part before the action's value.
    prefix: usize,
}

impl StateChangeBody {
    pub(crate) fn new(state: &ProviderState) -> StateChangeBody {
        // Field by field, as `serde_json` writes a struct of the two.
        let mut bytes = Vec::with_capacity(128 + state.name.len());
        bytes.extend_from_slice(br#"{"state":"#);
        write_json_string(&mut bytes, &state.name);
        bytes.extend_from_slice(br#","params":{"#);
        for (at, (key, value)) in state.params.iter().enumerate() {
            if at > 0 {
                bytes.push(b',');
            }
            write_json_string(&mut bytes, key);
            bytes.push(b':');
            match value {
                Value::String(text) => write_json_string(&mut bytes, text),
                // A JSON value always serialises.
                other => {
                    let _ = serde_json::to_writer(&mut bytes, other);
                }
            }
        }
        bytes.extend_from_slice(br#"},"action":""#);
        // Room for the longest action, so that neither call grows the buffer.
        bytes.reserve(br#"teardown"}"#.len());
        StateChangeBody {
            prefix: bytes.len(),
            bytes,
        }
    }

    /// The whole body for `action`.
    fn for_action(&mut self, action: StateAction) -> &[u8] {
        self.bytes.truncate(self.prefix);
        self.bytes.extend_from_slice(action.as_str().as_bytes());
        self.bytes.extend_from_slice(br#""}"#);
        &self.bytes
    }
}

/// `text` as a JSON string, as `serde_json` writes it: as it is between quotes when nothing in
/// it needs escaping (no quote, backslash or control character), else by `serde_json`.
fn write_json_string(bytes: &mut Vec<u8>, text: &str) {
    let plain = !text.bytes().any(|byte| ESCAPED[usize::from(byte)]);
    if plain {
        let length = bytes.len();
        bytes.resize(length + text.len() + 2, b'"');
        bytes[length + 1..length + 1 + text.len()].copy_from_slice(text.as_bytes());
    } else {
        // A string always serialises.
        let _ = serde_json::to_writer(bytes, text);
    }
}

/// The bytes a JSON string cannot hold as they are: quotes, backslashes, control characters.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte < 0x20 || byte == b'"' as usize || byte == b'\\' as usize;
        byte += 1;
    }
    table
};

/// Calls the state change URL for one state; returns the JSON object it answered when
/// `read_values` (empty when it answered something else, or when not asked), or why the call
/// failed.
pub(crate) async fn change_state(
    session: &mut Session,
    endpoint: &Endpoint,
    state: &ProviderState,
    body: &mut StateChangeBody,
    action: StateAction,
    read_values: bool,
) -> Result<Map<String, Value>, StateChangeError> {
    let what = || format!("provider state {} of {:?}", action.as_str(), state.name);
    let url = endpoint.url();
    let response = session
        .post_json(endpoint, body.for_action(action), read_values)
        .await
        .map_err(|error| match error {
            SendError::Connect(cause) => StateChangeError {
                kind: ErrorKind::Unreachable,
                reason: format!("could not connect to {}: {cause}", endpoint.origin()),
            },
            SendError::Timeout => StateChangeError {
                kind: ErrorKind::ProviderState,
                reason: format!(
                    "{} failed: {url}: no answer within {} (--request-timeout)",
                    what(),
                    human_duration(session.timeout())
                ),
            },
            SendError::Failed(cause) => StateChangeError {
                kind: ErrorKind::ProviderState,
                reason: format!("{} failed: {url}: {cause}", what()),
            },
        })?;
    if !(200..300).contains(&response.status) {
        let detail = String::from_utf8_lossy(&response.body);
        let detail = detail.trim();
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(": {}", shorten(detail))
        };
        return Err(StateChangeError {
            kind: ErrorKind::ProviderState,
            reason: format!(
                "{} failed: {url} answered {}{detail}",
                what(),
                status_line(response.status)
            ),
        });
    }
    if !read_values {
        return Ok(Map::new());
    }
    Ok(match serde_json::from_slice::<Value>(&response.body) {
        Ok(Value::Object(values)) => values,
        _ => Map::new(),
    })
}

/// `500 Internal Server Error`, as `reqwest` prints a status.
fn status_line(status: u16) -> String {
    match reqwest::StatusCode::from_u16(status) {
        Ok(code) => code.to_string(),
        Err(_) => status.to_string(),
    }
}

/// The merged parameters of all states of an interaction (later states win).
pub(crate) fn merged_params(states: &[ProviderState]) -> Map<String, Value> {
    let mut params = Map::new();
    for state in states {
        params.extend(
            state
                .params
                .iter()
                .map(|(key, value)| (key.clone(), value.clone())),
        );
    }
    params
}

/// At most 200 characters of a provider's error answer, on one line.
fn shorten(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn state_change_bodies_are_pact_s_json_for_both_actions() {
        let state = ProviderState {
            name: "user \"1\" exists".to_owned(),
            params: json!({"id": 1, "tags": ["a"]})
                .as_object()
                .cloned()
                .unwrap(),
        };
        let mut body = StateChangeBody::new(&state);
        for action in [
            StateAction::Setup,
            StateAction::Teardown,
            StateAction::Setup,
        ] {
            let sent: Value = serde_json::from_slice(body.for_action(action)).unwrap();
            assert_eq!(
                sent,
                json!({"state": "user \"1\" exists", "params": {"id": 1, "tags": ["a"]}, "action": action.as_str()})
            );
        }
        let text = String::from_utf8(body.for_action(StateAction::Teardown).to_vec()).unwrap();
        assert!(text.starts_with(r#"{"state":"#) && text.ends_with(r#""action":"teardown"}"#));
        // Byte for byte what `serde_json` makes of the fields in that order.
        #[derive(serde::Serialize)]
        struct Fields<'a> {
            state: &'a str,
            params: &'a Map<String, Value>,
            action: &'a str,
        }
        for state in [
            state,
            ProviderState {
                name: "tab\t, quote \", é, \u{1}".to_owned(),
                params: json!({
                    "nested": {"a": [1.5, null, "x\ny"]},
                    "big": 12345678901234567890u64,
                    "k\"ey\\": "v\u{7f}\u{1f}",
                    "plain": "é ok",
                    "t": true,
                    "n": -3,
                    "e": []
                })
                .as_object()
                .cloned()
                .unwrap(),
            },
            ProviderState {
                name: String::new(),
                params: Map::new(),
            },
        ] {
            let mut body = StateChangeBody::new(&state);
            for action in [StateAction::Setup, StateAction::Teardown] {
                let fields = Fields {
                    state: &state.name,
                    params: &state.params,
                    action: action.as_str(),
                };
                assert_eq!(
                    body.for_action(action),
                    serde_json::to_vec(&fields).unwrap().as_slice()
                );
            }
        }
    }
}
