//! Provider-state setup and teardown calls, as Pact verifiers make them: a POST of
//! `{"state": name, "params": {...}, "action": "setup"|"teardown"}` to the state change URL.
//!
//! A JSON object in a setup answer is merged into the parameters that `ProviderState`
//! generators read, as the Pact verifiers do.

use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde_json::{Map, Value};
use treaty_schemas::ProviderState;

use super::report::ErrorKind;
use super::transport::{Endpoint, Outgoing, SendError, Session, Wanted, human_duration};

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

/// The body of a state-change call, serialised in this field order: `state`, `params`,
/// `action`.
#[derive(Serialize)]
struct StateChange<'a> {
    state: &'a str,
    params: &'a Map<String, Value>,
    action: &'static str,
}

/// Calls the state change URL for one state; returns the JSON object it answered when
/// `read_values` (empty when it answered something else, or when not asked), or why the call
/// failed.
pub(crate) async fn change_state(
    session: &mut Session,
    endpoint: &Endpoint,
    state: &ProviderState,
    action: StateAction,
    read_values: bool,
) -> Result<Map<String, Value>, StateChangeError> {
    let body = StateChange {
        state: &state.name,
        params: &state.params,
        action: action.as_str(),
    };
    let what = || format!("provider state {} of {:?}", action.as_str(), state.name);
    let url = endpoint.url();
    let request = Outgoing {
        method: Method::POST,
        target: endpoint.own_target().to_owned(),
        headers: vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body: Some(serde_json::to_vec(&body).unwrap_or_default()),
    };
    let response = session
        .send(endpoint, &request, Wanted::StatusAndBody)
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
