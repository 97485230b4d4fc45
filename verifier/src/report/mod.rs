//! Reporters: each renders a [`crate::replay::VerificationReport`] in one format and does
//! nothing else.
//!
//! The console reporter writes for people (colour only on a terminal); the JSON, JUnit XML and
//! Markdown reporters produce documents for machines and CI pages. Shared wording (a verdict's
//! name, an interaction's title) lives here so that every format says the same thing.

pub mod console;
pub mod json;
pub mod junit;
pub mod markdown;

use crate::replay::{ContractReport, InteractionOutcome, InteractionReport, VerificationReport};

/// `description (given state A, state B)`.
/// `1 interaction in 1 contract`, `4 interactions in 2 contracts`.
pub fn counts(report: &VerificationReport) -> String {
    let plural =
        |count: usize, noun: &str| format!("{count} {noun}{}", if count == 1 { "" } else { "s" });
    format!(
        "{} in {}",
        plural(report.interaction_count(), "interaction"),
        plural(report.contracts.len(), "contract")
    )
}

pub fn interaction_title(interaction: &InteractionReport) -> String {
    if interaction.provider_states.is_empty() {
        interaction.description.clone()
    } else {
        format!(
            "{} (given {})",
            interaction.description,
            interaction.provider_states.join(", ")
        )
    }
}

/// One line per problem of a failed or erroneous interaction; empty for the others.
pub fn problem_lines(interaction: &InteractionReport) -> Vec<String> {
    match &interaction.outcome {
        InteractionOutcome::Failed { mismatches } => mismatches
            .iter()
            .map(|mismatch| mismatch.message.clone())
            .collect(),
        InteractionOutcome::Error { reason, .. } => vec![reason.clone()],
        InteractionOutcome::Skipped { reason } => vec![reason.clone()],
        InteractionOutcome::Passed => Vec::new(),
    }
}

/// What the console and Markdown show under a contract's title: why the broker selected it,
/// whether it is pending (and work in progress), and the broker's notices.
pub fn selection_lines(contract: &ContractReport) -> Vec<String> {
    let mut lines = Vec::new();
    let wip = contract.selection.as_ref().is_some_and(|s| s.wip);
    if let Some(selection) = &contract.selection
        && !selection.reasons.is_empty()
    {
        lines.push(format!("selected: {}", selection.reasons));
    }
    match (contract.pending, wip) {
        (true, true) => lines.push(
            "pending, work in progress: its failures are reported and do not fail the run"
                .to_owned(),
        ),
        (true, false) => {
            lines.push("pending: its failures are reported and do not fail the run".to_owned());
        }
        (false, true) => lines.push("work in progress".to_owned()),
        (false, false) => {}
    }
    if let Some(selection) = &contract.selection {
        lines.extend(
            selection
                .notices
                .iter()
                .map(|notice| format!("broker: {notice}")),
        );
    }
    lines
}

/// `2 pending failures do not fail the run (mobile 1.2.0)`, when there are any.
pub fn pending_failures_line(report: &VerificationReport) -> Option<String> {
    let mut count = 0;
    let mut names: Vec<String> = Vec::new();
    for contract in &report.contracts {
        let pending_failed = contract.tally().pending_failed;
        if pending_failed > 0 {
            count += pending_failed;
            let name = match &contract.consumer_version {
                Some(version) => format!("{} {version}", contract.consumer),
                None => contract.consumer.clone(),
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    if count == 0 {
        return None;
    }
    let noun = if count == 1 {
        "pending failure does"
    } else {
        "pending failures do"
    };
    Some(format!(
        "{count} {noun} not fail the run ({})",
        names.join(", ")
    ))
}

/// `passed`, `failed`, or `pending` (failed, but pending) for a contract.
pub fn contract_verdict(contract: &ContractReport) -> &'static str {
    let any_failure = contract.interactions.iter().any(|i| i.outcome.is_failure());
    match (any_failure, contract.succeeded()) {
        (false, _) => "passed",
        (true, true) => "pending",
        (true, false) => "failed",
    }
}

/// The contract version for tables: the consumer version when known, `-` otherwise.
pub fn contract_version(contract: &ContractReport) -> &str {
    contract.consumer_version.as_deref().unwrap_or("-")
}

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod snapshot_tests;
