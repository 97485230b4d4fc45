//! The console report: a line per interaction, grouped by contract (after why the broker
//! selected it and whether it is pending), then a summary table per consumer (consumer,
//! contract version, passed, failed, result) and a line naming the pending failures. Colour only when asked
//! (the caller asks only on a terminal without `--no-color`).

use std::io::{self, Write};

use super::{contract_verdict, contract_version, interaction_title, problem_lines};
use crate::replay::transport::human_duration;
use crate::replay::{InteractionOutcome, VerificationReport};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Writes the console report.
pub fn render(report: &VerificationReport, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    for contract in &report.contracts {
        let version = contract
            .consumer_version
            .as_deref()
            .map(|version| format!(" {version}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{} {}{version} -> {} ({})",
            paint(BOLD, "Verifying"),
            contract.consumer,
            contract.provider,
            contract.source
        )?;
        for line in super::selection_lines(contract) {
            writeln!(out, "  {line}")?;
        }
        for interaction in &contract.interactions {
            let (label, code) = match (&interaction.outcome, interaction.pending) {
                (InteractionOutcome::Passed, _) => ("OK", GREEN),
                (InteractionOutcome::Skipped { .. }, _) => ("SKIPPED", YELLOW),
                (_, true) => ("PENDING", YELLOW),
                (InteractionOutcome::Failed { .. }, false) => ("FAILED", RED),
                (InteractionOutcome::Error { .. }, false) => ("ERROR", RED),
            };
            writeln!(
                out,
                "  {:<7} {} - {} ({})",
                paint(code, label),
                interaction.request,
                interaction_title(interaction),
                human_duration(interaction.duration)
            )?;
            for line in problem_lines(interaction) {
                writeln!(out, "          {line}")?;
            }
        }
        if contract.interactions.is_empty() {
            writeln!(out, "  no interaction matched the filters")?;
        }
    }
    writeln!(out)?;
    render_summary(report, &paint, out)
}

/// The summary table, columns padded to their widest cell.
fn render_summary(
    report: &VerificationReport,
    paint: &dyn Fn(&str, &str) -> String,
    out: &mut dyn Write,
) -> io::Result<()> {
    let header = ["consumer", "contract version", "passed", "failed", "result"].map(String::from);
    let rows: Vec<[String; 5]> = report
        .contracts
        .iter()
        .map(|contract| {
            let tally = contract.tally();
            [
                contract.consumer.clone(),
                contract_version(contract).to_owned(),
                tally.passed.to_string(),
                tally.failed.to_string(),
                contract_verdict(contract).to_owned(),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|cell| cell.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 5]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header))?;
    for row in &rows {
        let text = line(row);
        let code = match row[4].as_str() {
            "passed" => GREEN,
            "pending" => YELLOW,
            _ => RED,
        };
        writeln!(out, "{}", paint(code, &text))?;
    }
    if let Some(line) = super::pending_failures_line(report) {
        writeln!(out, "{}", paint(YELLOW, &line))?;
    }
    let verdict = if report.succeeded() {
        "passed"
    } else {
        "failed"
    };
    writeln!(
        out,
        "\n{}, {verdict} in {}",
        super::counts(report),
        human_duration(report.duration)
    )
}
