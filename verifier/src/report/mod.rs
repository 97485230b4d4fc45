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
