//! Verifying one interaction: provider states set up, the request sent, the response compared
//! by the matching engine, the states torn down, and the outcome recorded. Nothing here
//! returns an error: every failure becomes the interaction's outcome, and the run goes on.

use std::time::Instant;

use treaty_schemas::{Interaction, InteractionKind};

use super::report::{ErrorKind, InteractionOutcome, InteractionReport};
use super::states::{StateAction, change_state, merged_params};
use super::transport::{describe, human_duration, origin_of};
use super::{Replayer, request, verdict};

/// Verifies one interaction against the provider.
pub(super) async fn verify(
    replayer: &Replayer,
    interaction: &Interaction,
    pending: bool,
) -> InteractionReport {
    let started = Instant::now();
    let outcome = match &interaction.kind {
        InteractionKind::Http { request, response } => {
            with_states(replayer, interaction, request, response).await
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
    }
}

/// `GET /path` for an HTTP interaction, the kind otherwise.
pub(super) fn summary(interaction: &Interaction) -> String {
    match &interaction.kind {
        InteractionKind::Http { request, .. } => {
            format!("{} {}", request.method.to_ascii_uppercase(), request.path)
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
    interaction: &Interaction,
    request: &treaty_schemas::HttpRequest,
    response: &treaty_schemas::HttpResponse,
) -> InteractionOutcome {
    let mut params = merged_params(&interaction.provider_states);
    let state_url = replayer.options.state_setup_url.as_deref();
    let mut setup_failure = None;
    if let Some(url) = state_url {
        for state in &interaction.provider_states {
            match change_state(
                &replayer.client,
                url,
                replayer.state_target.as_ref(),
                state,
                StateAction::Setup,
            )
            .await
            {
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
        None => replay(replayer, request, response, &params).await,
    };
    if let Some(url) = state_url {
        for state in &interaction.provider_states {
            let teardown = change_state(
                &replayer.client,
                url,
                replayer.state_target.as_ref(),
                state,
                StateAction::Teardown,
            )
            .await;
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
    request: &treaty_schemas::HttpRequest,
    response: &treaty_schemas::HttpResponse,
    params: &serde_json::Map<String, serde_json::Value>,
) -> InteractionOutcome {
    let options = &replayer.options;
    let built = request::build(
        &replayer.client,
        &options.base_url,
        request,
        &options.custom_headers,
        params,
    );
    let built = match built {
        Ok(built) => built,
        Err(reason) => {
            return InteractionOutcome::Error {
                kind: ErrorKind::Request,
                reason,
            };
        }
    };
    let url = built.url().clone();
    let received = match replayer.client.execute(built).await {
        Ok(answer) => verdict::receive(answer).await,
        Err(error) => Err(error),
    };
    match received {
        Ok(received) => {
            let mismatches = verdict::compare(response, &received);
            if mismatches.is_empty() {
                InteractionOutcome::Passed
            } else {
                InteractionOutcome::Failed { mismatches }
            }
        }
        Err(error) if error.is_timeout() => InteractionOutcome::Error {
            kind: ErrorKind::Timeout,
            reason: format!(
                "no response from {} within {} (--request-timeout)",
                url.path(),
                human_duration(options.request_timeout)
            ),
        },
        Err(error) if error.is_connect() => InteractionOutcome::Error {
            kind: ErrorKind::Unreachable,
            reason: format!(
                "could not connect to {}: {}",
                origin_of(&url),
                describe(&error)
            ),
        },
        Err(error) => InteractionOutcome::Error {
            kind: ErrorKind::Request,
            reason: format!("request to {} failed: {}", url.path(), describe(&error)),
        },
    }
}
