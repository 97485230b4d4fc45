//! Provider-state setup and teardown calls, as Pact verifiers make them: a POST of
//! `{"state": name, "params": {...}, "action": "setup"|"teardown"}` to the state change URL.
//!
//! A JSON object in a setup answer is merged into the parameters that `ProviderState`
//! generators read, as the Pact verifiers do.

use serde::Serialize;
use serde_json::{Map, Value};
use treaty_schemas::ProviderState;

use super::report::ErrorKind;
use super::transport::{describe, origin_of};

/// Which side of an interaction a state change call is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateAction {
    /// Before the interaction.
    Setup,
    /// After the interaction.
    Teardown,
}

impl StateAction {
    /// The `action` value the provider receives.
    pub fn as_str(self) -> &'static str {
        match self {
            StateAction::Setup => "setup",
            StateAction::Teardown => "teardown",
        }
    }
}

/// Why a state change call failed: the outcome kind it gives the interaction, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChangeError {
    /// [`ErrorKind::Unreachable`] when nothing listens at the URL (the run could not do its
    /// job), [`ErrorKind::ProviderState`] otherwise.
    pub kind: ErrorKind,
    /// What happened, naming the state and the URL.
    pub reason: String,
}

/// The body of a state-change call, serialised in this field order: `state`, `params`,
/// `action`.
#[derive(Serialize)]
struct StateChange<'a> {
    state: &'a str,
    params: &'a Map<String, Value>,
    action: &'static str,
}

/// Calls the state change URL for one state; returns the JSON object it answered (empty when
/// it answered something else), or why the call failed. `target` is
/// `url` already parsed, when it parses.
pub async fn change_state(
    client: &reqwest::Client,
    url: &str,
    target: Option<&reqwest::Url>,
    state: &ProviderState,
    action: StateAction,
) -> Result<Map<String, Value>, StateChangeError> {
    let body = StateChange {
        state: &state.name,
        params: &state.params,
        action: action.as_str(),
    };
    // The URL parsed once per run when it parses; otherwise reqwest parses the text and
    // reports why it cannot, as before.
    let builder = match target {
        Some(target) => client.post(target.clone()),
        None => client.post(url),
    };
    let response = builder.json(&body).send().await.map_err(|error| {
        match error.url().filter(|_| error.is_connect()) {
            Some(target) => StateChangeError {
                kind: ErrorKind::Unreachable,
                reason: format!(
                    "could not connect to {}: {}",
                    origin_of(target),
                    describe(&error)
                ),
            },
            None => StateChangeError {
                kind: ErrorKind::ProviderState,
                reason: format!(
                    "provider state {} of {:?} failed: {url}: {}",
                    action.as_str(),
                    state.name,
                    describe(&error)
                ),
            },
        }
    })?;
    let status = response.status();
    if !status.is_success() {
        let what = format!("provider state {} of {:?}", action.as_str(), state.name);
        let detail = response.text().await.unwrap_or_default();
        let detail = detail.trim();
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(": {}", shorten(detail))
        };
        return Err(StateChangeError {
            kind: ErrorKind::ProviderState,
            reason: format!("{what} failed: {url} answered {status}{detail}"),
        });
    }
    let answer = response.json::<Value>().await.ok();
    Ok(match answer {
        Some(Value::Object(values)) => values,
        _ => Map::new(),
    })
}

/// The merged parameters of all states of an interaction (later states win).
pub fn merged_params(states: &[ProviderState]) -> Map<String, Value> {
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
