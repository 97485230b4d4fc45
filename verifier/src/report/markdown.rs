//! The Markdown report, sized for a CI job summary or a pull-request comment: a verdict line, a
//! table per contract, a line on pending failures, why the broker selected each contract, then
//! one section per failed interaction with its mismatches.

use std::fmt::Write;

use super::{contract_verdict, contract_version, interaction_title, problem_lines};
use crate::replay::VerificationReport;

/// The report as Markdown.
pub fn render(report: &VerificationReport) -> String {
    let mut out = String::new();
    let provider = report.provider.as_deref().unwrap_or("provider");
    let verdict = if report.succeeded() {
        "✅ passed"
    } else {
        "❌ failed"
    };
    let _ = writeln!(
        out,
        "## Contract verification of {}: {verdict}\n",
        cell(provider)
    );
    let _ = writeln!(
        out,
        "| Consumer | Contract version | Passed | Failed | Result |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---|");
    for contract in &report.contracts {
        let tally = contract.tally();
        let result = match contract_verdict(contract) {
            "passed" => "✅ passed",
            "pending" => "⏳ pending",
            _ => "❌ failed",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {result} |",
            cell(&contract.consumer),
            cell(contract_version(contract)),
            tally.passed,
            tally.failed
        );
    }
    let _ = writeln!(
        out,
        "\n{} against `{}`.",
        super::counts(report),
        report.provider_base_url
    );
    if let Some(line) = super::pending_failures_line(report) {
        let _ = writeln!(out, "\n⏳ {}.", cell(&line));
    }
    let explained: Vec<_> = report
        .contracts
        .iter()
        .filter(|contract| contract.selection.is_some() || contract.pending)
        .collect();
    if !explained.is_empty() {
        let _ = writeln!(out, "\n### Why these contracts\n");
        for contract in explained {
            let _ = writeln!(
                out,
                "- **{}** {}",
                cell(&contract.consumer),
                cell(contract_version(contract))
            );
            for line in super::selection_lines(contract) {
                let _ = writeln!(out, "  - {}", cell(&line));
            }
        }
    }
    let failures: Vec<_> = report
        .contracts
        .iter()
        .flat_map(|contract| contract.interactions.iter().map(move |i| (contract, i)))
        .filter(|(_, interaction)| interaction.outcome.is_failure())
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\n### Failures\n");
        for (contract, interaction) in failures {
            let pending = if interaction.pending || contract.pending {
                " (pending)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "- **{}** — {}{pending}: `{}`",
                cell(&contract.consumer),
                cell(&interaction_title(interaction)),
                interaction.request.replace('`', "'")
            );
            for line in problem_lines(interaction) {
                let _ = writeln!(out, "  - {}", cell(&line));
            }
        }
    }
    out
}

/// Text safe inside a table cell or a list item: no pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}
