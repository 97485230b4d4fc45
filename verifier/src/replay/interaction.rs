//! Verifying one interaction: provider states set up, the request sent, the response compared
//! by the matching engine, the states torn down, and the outcome recorded. Nothing here
//! returns an error: every failure becomes the interaction's outcome, and the run goes on.

use std::time::Instant;

use treaty_schemas::{Interaction, InteractionKind};

use super::report::{ErrorKind, InteractionOutcome, InteractionReport};
use super::states::{StateAction, StateChangeBody, change_state, merged_params};
use super::transport::{SendError, Session, Wanted, human_duration};
use super::{Replayer, request, verdict};
use crate::matching::ActualResponse;

/// Verifies one interaction against the provider.
pub(super) async fn verify(
    replayer: &Replayer,
    session: &mut Session,
    interaction: &Interaction,
    pending: bool,
) -> InteractionReport {
    let started = Instant::now();
    let outcome = match &interaction.kind {
        InteractionKind::Http { request, response } => {
            with_states(replayer, session, interaction, request, response).await
        }
        InteractionKind::AsyncMessage(_) | InteractionKind::SyncMessage { .. } => {
            InteractionOutcome::Skipped {
                reason: "message interactions are not replayed over HTTP".to_owned(),
            }
        }
    };
    InteractionReport {
        description: interaction.description.clone(),
        provider_states: interaction
            .provider_states
            .iter()
            .map(|state| state.name.clone())
            .collect(),
        request: summary(interaction),
        outcome,
        duration: started.elapsed(),
        pending: pending || interaction.pending,
        interaction_id: None,
    }
}

/// `GET /path` for an HTTP interaction, the kind otherwise.
pub(super) fn summary(interaction: &Interaction) -> String {
    match &interaction.kind {
        InteractionKind::Http { request, .. } => {
            let mut summary = String::with_capacity(request.method.len() + 1 + request.path.len());
            summary.push_str(&request.method);
            summary.make_ascii_uppercase();
            summary.push(' ');
            summary.push_str(&request.path);
            summary
        }
        InteractionKind::AsyncMessage(_) => "asynchronous message".to_owned(),
        InteractionKind::SyncMessage { .. } => "synchronous message".to_owned(),
    }
}

/// Sets up the states, replays, and tears the states down; a failed setup fails the
/// interaction with its reason (the request is not sent), and a failed teardown turns a pass
/// into an error.
async fn with_states(
    replayer: &Replayer,
    session: &mut Session,
    interaction: &Interaction,
    request: &treaty_schemas::HttpRequest,
    response: &treaty_schemas::HttpResponse,
) -> InteractionOutcome {
    // State parameters (and values a setup call answers) only feed the request's generators.
    let uses_params = !request.generators.is_empty();
    let mut params = if uses_params {
        merged_params(&interaction.provider_states)
    } else {
        serde_json::Map::new()
    };
    let state_endpoint = match &replayer.state_endpoint {
        None => None,
        Some(Ok(endpoint)) => Some(endpoint),
        Some(Err(reason)) if !interaction.provider_states.is_empty() => {
            return InteractionOutcome::Error {
                kind: ErrorKind::ProviderState,
                reason: reason.clone(),
            };
        }
        Some(Err(_)) => None,
    };
    let mut bodies: Vec<StateChangeBody> = match state_endpoint {
        Some(_) => interaction
            .provider_states
            .iter()
            .map(StateChangeBody::new)
            .collect(),
        None => Vec::new(),
    };
    let mut setup_failure = None;
    if let Some(endpoint) = state_endpoint {
        for (state, body) in interaction.provider_states.iter().zip(&mut bodies) {
            let setup = StateAction::Setup;
            match change_state(session, endpoint, state, body, setup, uses_params).await {
                Ok(values) if values.is_empty() => {}
                Ok(values) => params.extend(values),
                Err(failure) => {
                    setup_failure = Some(failure);
                    break;
                }
            }
        }
    }
    let mut outcome = match setup_failure {
        Some(failure) => InteractionOutcome::Error {
            kind: failure.kind,
            reason: failure.reason,
        },
        None => replay(replayer, session, request, response, &params).await,
    };
    if let Some(endpoint) = state_endpoint {
        for (state, body) in interaction.provider_states.iter().zip(&mut bodies) {
            let teardown = StateAction::Teardown;
            let teardown = change_state(session, endpoint, state, body, teardown, false).await;
            if let (Err(failure), InteractionOutcome::Passed) = (teardown, &outcome) {
                outcome = InteractionOutcome::Error {
                    kind: failure.kind,
                    reason: failure.reason,
                };
            }
        }
    }
    outcome
}

/// Sends the request and compares the response.
async fn replay(
    replayer: &Replayer,
    session: &mut Session,
    request: &treaty_schemas::HttpRequest,
    response: &treaty_schemas::HttpResponse,
    params: &serde_json::Map<String, serde_json::Value>,
) -> InteractionOutcome {
    let options = &replayer.options;
    let endpoint = match &replayer.provider_endpoint {
        Ok(endpoint) => endpoint,
        Err(reason) => {
            return InteractionOutcome::Error {
                kind: ErrorKind::Request,
                reason: reason.clone(),
            };
        }
    };
    let outgoing = match request::build(
        endpoint.base_path(),
        request,
        &options.custom_headers,
        params,
    ) {
        Ok(outgoing) => outgoing,
        Err(reason) => {
            return InteractionOutcome::Error {
                kind: ErrorKind::Request,
                reason,
            };
        }
    };
    // Only the headers the matching reads are collected (see `Wanted::Matching`).
    let wanted = Wanted::Matching(response.headers.as_deref().unwrap_or_default());
    match session.send(endpoint, &outgoing, wanted).await {
        Ok(received) => {
            let received =
                ActualResponse::from_owned_parts(received.status, received.headers, received.body);
            let mismatches = verdict::compare(response, &received);
            if mismatches.is_empty() {
                InteractionOutcome::Passed
            } else {
                InteractionOutcome::Failed { mismatches }
            }
        }
        Err(SendError::Timeout) => InteractionOutcome::Error {
            kind: ErrorKind::Timeout,
            reason: format!(
                "no response from {} within {} (--request-timeout)",
                path_of(&outgoing.target),
                human_duration(options.request_timeout)
            ),
        },
        Err(SendError::Connect(cause)) => InteractionOutcome::Error {
            kind: ErrorKind::Unreachable,
            reason: format!("could not connect to {}: {cause}", endpoint.origin()),
        },
        Err(SendError::Failed(cause)) => InteractionOutcome::Error {
            kind: ErrorKind::Request,
            reason: format!("request to {} failed: {cause}", path_of(&outgoing.target)),
        },
    }
}

/// The path part of a request target.
fn path_of(target: &str) -> &str {
    target.split('?').next().unwrap_or(target)
}
