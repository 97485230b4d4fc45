//! The JSON report, valid against `schemas/json/verification-report.schema.json`. Field names
//! are camelCase like the Pact formats; durations are whole milliseconds.

use serde_json::{Value, json};

use super::contract_verdict;
use crate::replay::{ContractReport, InteractionOutcome, InteractionReport, VerificationReport};

/// The report as a pretty-printed JSON document.
pub fn render(report: &VerificationReport) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    text.push('\n');
    text
}

/// The report as a JSON value.
pub fn to_value(report: &VerificationReport) -> Value {
    let (mut passed, mut failed, mut skipped, mut pending_failed) = (0, 0, 0, 0);
    for contract in &report.contracts {
        let tally = contract.tally();
        (passed, failed, skipped, pending_failed) = (
            passed + tally.passed,
            failed + tally.failed,
            skipped + tally.skipped,
            pending_failed + tally.pending_failed,
        );
    }
    json!({
        "treatyVersion": env!("CARGO_PKG_VERSION"),
        "provider": { "name": report.provider, "baseUrl": report.provider_base_url },
        "result": if report.succeeded() { "passed" } else { "failed" },
        "durationMs": millis(report.duration),
        "summary": {
            "contracts": report.contracts.len(),
            "interactions": report.interaction_count(),
            "passed": passed,
            "failed": failed,
            "skipped": skipped,
            "pendingFailed": pending_failed,
        },
        "contracts": report.contracts.iter().map(contract_value).collect::<Vec<_>>(),
    })
}

fn contract_value(contract: &ContractReport) -> Value {
    let tally = contract.tally();
    json!({
        "consumer": contract.consumer,
        "provider": contract.provider,
        "source": contract.source,
        "consumerVersion": contract.consumer_version,
        "pending": contract.pending,
        "result": contract_verdict(contract),
        "selection": contract.selection.as_ref().map(|selection| json!({
            "reasons": selection.reasons,
            "notices": selection.notices,
            "wip": selection.wip,
        })),
        "summary": {
            "passed": tally.passed,
            "failed": tally.failed,
            "skipped": tally.skipped,
            "pendingFailed": tally.pending_failed,
        },
        "interactions": contract.interactions.iter().map(interaction_value).collect::<Vec<_>>(),
    })
}

fn interaction_value(interaction: &InteractionReport) -> Value {
    let mut value = json!({
        "description": interaction.description,
        "providerStates": interaction.provider_states,
        "request": interaction.request,
        "outcome": interaction.outcome.as_str(),
        "pending": interaction.pending,
        "interactionId": interaction.interaction_id,
        "durationMs": millis(interaction.duration),
    });
    let extra = match &interaction.outcome {
        InteractionOutcome::Passed => None,
        InteractionOutcome::Failed { mismatches } => Some((
            "mismatches",
            mismatches
                .iter()
                .map(|mismatch| {
                    json!({
                        "part": mismatch.part,
                        "path": mismatch.path,
                        "expected": mismatch.expected,
                        "actual": mismatch.actual,
                        "message": mismatch.message,
                    })
                })
                .collect(),
        )),
        InteractionOutcome::Error { kind, reason } => {
            Some(("error", json!({ "kind": kind.as_str(), "reason": reason })))
        }
        InteractionOutcome::Skipped { reason } => Some(("skipReason", json!(reason))),
    };
    if let (Some((key, extra)), Some(object)) = (extra, value.as_object_mut()) {
        object.insert(key.to_owned(), extra);
    }
    value
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
