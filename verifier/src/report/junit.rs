//! The JUnit XML report: one `<testsuite>` per consumer (its contracts together), one
//! `<testcase>` per interaction, `<failure>` for mismatches, `<error>` for interactions that
//! could not be verified, `<skipped>` for skipped and pending-failed ones (which do not fail
//! the run); a `selection` property per contract says why the broker selected it and whether it
//! is pending.

use std::fmt::Write;

use super::{contract_version, interaction_title, problem_lines};
use crate::replay::{ContractReport, InteractionOutcome, VerificationReport};

/// The report as a JUnit XML document.
pub fn render(report: &VerificationReport) -> String {
    let mut consumers: Vec<(&str, Vec<&ContractReport>)> = Vec::new();
    for contract in &report.contracts {
        match consumers
            .iter_mut()
            .find(|(name, _)| *name == contract.consumer)
        {
            Some((_, contracts)) => contracts.push(contract),
            None => consumers.push((&contract.consumer, vec![contract])),
        }
    }
    let mut suites = String::new();
    let mut totals = Counts::default();
    for (consumer, contracts) in &consumers {
        let counts = suite(&mut suites, consumer, contracts);
        totals = totals.add(counts);
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"treaty verify\" tests=\"{}\" \
         failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n{suites}</testsuites>\n",
        totals.tests,
        totals.failures,
        totals.errors,
        totals.skipped,
        report.duration.as_secs_f64()
    )
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    seconds: f64,
}

impl Counts {
    fn add(self, other: Counts) -> Counts {
        Counts {
            tests: self.tests + other.tests,
            failures: self.failures + other.failures,
            errors: self.errors + other.errors,
            skipped: self.skipped + other.skipped,
            seconds: self.seconds + other.seconds,
        }
    }
}

/// Appends one consumer's `<testsuite>` and returns its counts.
fn suite(out: &mut String, consumer: &str, contracts: &[&ContractReport]) -> Counts {
    let mut cases = String::new();
    let mut counts = Counts::default();
    for contract in contracts {
        let classname = escape(&format!("{}.{}", contract.consumer, contract.provider));
        for interaction in &contract.interactions {
            counts.tests += 1;
            counts.seconds += interaction.duration.as_secs_f64();
            let _ = write!(
                cases,
                "    <testcase name=\"{}\" classname=\"{classname}\" time=\"{:.3}\"",
                escape(&interaction_title(interaction)),
                interaction.duration.as_secs_f64()
            );
            let detail = escape(&problem_lines(interaction).join("\n"));
            let first = escape(
                problem_lines(interaction)
                    .first()
                    .map_or("", String::as_str),
            );
            let pending = interaction.pending || contract.pending;
            let body = match &interaction.outcome {
                InteractionOutcome::Passed => None,
                InteractionOutcome::Skipped { .. } => {
                    counts.skipped += 1;
                    Some(format!("<skipped message=\"{first}\"/>"))
                }
                _ if pending => {
                    counts.skipped += 1;
                    Some(format!(
                        "<skipped message=\"pending, does not fail the run: {first}\"/>"
                    ))
                }
                InteractionOutcome::Failed { .. } => {
                    counts.failures += 1;
                    Some(format!(
                        "<failure message=\"{first}\" type=\"mismatch\">{detail}</failure>"
                    ))
                }
                InteractionOutcome::Error { kind, .. } => {
                    counts.errors += 1;
                    Some(format!(
                        "<error message=\"{first}\" type=\"{}\">{detail}</error>",
                        kind.as_str()
                    ))
                }
            };
            match body {
                Some(body) => {
                    let _ = writeln!(cases, ">\n      {body}\n    </testcase>");
                }
                None => {
                    let _ = writeln!(cases, "/>");
                }
            }
        }
    }
    let mut selections = String::new();
    for contract in contracts {
        let lines = super::selection_lines(contract);
        if !lines.is_empty() {
            let _ = writeln!(
                selections,
                "      <property name=\"selection\" value=\"{}\"/>",
                escape(&format!(
                    "{}: {}",
                    contract_version(contract),
                    lines.join("; ")
                ))
            );
        }
    }
    let sources: Vec<&str> = contracts.iter().map(|c| c.source.as_str()).collect();
    let versions: Vec<&str> = contracts.iter().map(|c| contract_version(c)).collect();
    let _ = write!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" \
         time=\"{:.3}\">\n    <properties>\n      <property name=\"source\" value=\"{}\"/>\n      \
         <property name=\"contractVersion\" value=\"{}\"/>\n{selections}    </properties>\n{cases}  </testsuite>\n",
        escape(consumer),
        counts.tests,
        counts.failures,
        counts.errors,
        counts.skipped,
        counts.seconds,
        escape(&sources.join(", ")),
        escape(&versions.join(", "))
    );
    counts
}

/// Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' => escaped.push_str("&#10;"),
            '\t' | '\r' => escaped.push(' '),
            c if (c as u32) < 0x20 => {}
            c => escaped.push(c),
        }
    }
    escaped
}
