//! Words for a verdict: the Pact Broker's notice texts, which clients and people already know
//! (`There is no verified pact between …`), and Treaty's explanation, one line per row or
//! integration, saying which versions were compared, why each was chosen, and what would fix a
//! failed or unknown answer. Pure.

mod pact_broker;

pub use pact_broker::{describe, reason_text, version_does_not_exist};

use crate::domain::matrix::decide::{DecidedRow, Verdict};
use crate::domain::matrix::query::{Destination, VersionSpec};
use crate::domain::matrix::{Integration, MatrixFacts, Selection, SelectorOrigin};

/// How an explanation line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The compared versions are compatible.
    Compatible,
    /// The verification failed.
    Failed,
    /// Nothing says whether they are compatible.
    Unknown,
    /// Left out by `ignore[]`, or nothing to compare.
    Info,
}

impl Outcome {
    /// The notice type for this line.
    pub fn notice_type(self) -> &'static str {
        match self {
            Self::Compatible => "success",
            Self::Failed | Self::Unknown => "error",
            Self::Info => "info",
        }
    }
}

/// One line of Treaty's explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The consumer of the integration the line is about.
    pub consumer: String,
    /// The provider.
    pub provider: String,
    /// How it came out.
    pub outcome: Outcome,
    /// The line: which versions, why, what happened and, when it matters, what would fix it.
    pub text: String,
}

/// Why a version was chosen, in a few words (`deployed to production`).
pub fn selection_phrase(selection: &Selection) -> Option<String> {
    Some(match selection {
        Selection::Named => "the version asked about".to_owned(),
        Selection::Deployed {
            environment,
            instance: None,
        } => format!("deployed to {environment}"),
        Selection::Deployed {
            environment,
            instance: Some(instance),
        } => format!("deployed to {environment} as {instance}"),
        Selection::Released { environment } => format!("released to {environment}"),
        Selection::Latest => "its latest version".to_owned(),
        Selection::LatestWithTag(tag) => format!("latest with tag {tag}"),
        Selection::LatestOnBranch(branch) => format!("latest on branch {branch}"),
        Selection::LatestOnMainBranch(branch) => format!("latest on main branch {branch}"),
        Selection::OnBranch(branch) => format!("on branch {branch}"),
        Selection::WithTag(tag) => format!("tagged {tag}"),
        Selection::Any => return None,
    })
}

fn labelled(name: &str, number: &str, selection: Option<&Selection>) -> String {
    match selection.and_then(selection_phrase) {
        Some(phrase) => format!("{name} {number} ({phrase})"),
        None => format!("{name} {number}"),
    }
}

/// Where the question puts the versions, for fixes (`in production`).
fn destination_phrase(destination: &Destination) -> String {
    match destination {
        Destination::Environment(environment) => format!("in {environment}"),
        Destination::Tag { tag, .. } => format!("with tag {tag}"),
        Destination::MainBranch => "on its main branch".to_owned(),
        Destination::Latest => "at all".to_owned(),
        Destination::None => "selected".to_owned(),
    }
}

/// Treaty's explanation of a verdict: one line per considered and ignored row, per required
/// integration without a row, per counterpart with nothing to compare, and per named version
/// that does not exist.
pub fn explain(facts: &MatrixFacts, verdict: &Verdict) -> Vec<Explanation> {
    let mut lines = Vec::new();
    for selector in facts
        .specified
        .iter()
        .filter(|selector| selector.selects_nothing())
    {
        let name = &selector.pacticipant.name;
        let text = match &selector.spec {
            VersionSpec::Number(number) => format!(
                "{name} has no version {number}: publish its pacts or verification results for that version first, or check the number"
            ),
            _ => format!(
                "{}: check the selector for {name}",
                version_does_not_exist(selector)
            ),
        };
        lines.push(Explanation {
            consumer: name.clone(),
            provider: name.clone(),
            outcome: Outcome::Failed,
            text,
        });
    }
    for decided in &verdict.considered {
        lines.push(explain_row(facts, decided));
    }
    for integration in &verdict.missing {
        lines.push(Explanation {
            consumer: integration.consumer.name.clone(),
            provider: integration.provider.name.clone(),
            outcome: Outcome::Unknown,
            text: format!(
                "{consumer} needs {provider}, and no pact of the selected {consumer} versions was verified by a {provider} version {where_}: verify it and publish the result, or --ignore {provider}",
                consumer = integration.consumer.name,
                provider = integration.provider.name,
                where_ = destination_phrase(&facts.query.destination),
            ),
        });
    }
    for integration in &verdict.absent_counterparts {
        lines.push(absent_counterpart(facts, integration));
    }
    for decided in &verdict.ignored {
        let row = &decided.row;
        let provider = row.provider_version.as_ref().map_or_else(
            || row.provider.name.clone(),
            |version| {
                labelled(
                    &row.provider.name,
                    &version.number,
                    decided.provider_selection.as_ref(),
                )
            },
        );
        lines.push(Explanation {
            consumer: row.consumer.name.clone(),
            provider: row.provider.name.clone(),
            outcome: Outcome::Info,
            text: format!(
                "ignored as asked: {} with {provider}",
                labelled(
                    &row.consumer.name,
                    &row.consumer_version.number,
                    decided.consumer_selection.as_ref()
                )
            ),
        });
    }
    if lines.is_empty() && facts.integrations.is_empty() {
        let names: Vec<&str> = facts
            .specified
            .iter()
            .map(|selector| selector.pacticipant.name.as_str())
            .collect();
        lines.push(Explanation {
            consumer: names.join(", "),
            provider: String::new(),
            outcome: Outcome::Info,
            text: format!(
                "{} has no integrations that this question involves: nothing to check",
                names.join(", ")
            ),
        });
    }
    lines
}

/// The explanation of one considered row.
pub fn explain_row(facts: &MatrixFacts, decided: &DecidedRow) -> Explanation {
    let row = &decided.row;
    let consumer = labelled(
        &row.consumer.name,
        &row.consumer_version.number,
        decided.consumer_selection.as_ref(),
    );
    let (outcome, text) = match (&row.provider_version, &row.verification) {
        (Some(version), Some(verification)) => {
            let provider = labelled(
                &row.provider.name,
                &version.number,
                decided.provider_selection.as_ref(),
            );
            if verification.success {
                (
                    Outcome::Compatible,
                    format!(
                        "{consumer} with {provider}: verified successfully at {}",
                        verification.verified_at
                    ),
                )
            } else {
                (
                    Outcome::Failed,
                    format!(
                        "{consumer} with {provider}: the verification failed at {}: fix {} (or change {} contract), verify again and publish the result",
                        verification.verified_at, row.provider.name, row.consumer.name
                    ),
                )
            }
        }
        _ => (Outcome::Unknown, unverified_text(facts, decided, &consumer)),
    };
    Explanation {
        consumer: row.consumer.name.clone(),
        provider: row.provider.name.clone(),
        outcome,
        text,
    }
}

fn unverified_text(facts: &MatrixFacts, decided: &DecidedRow, consumer_label: &str) -> String {
    let row = &decided.row;
    let provider = &row.provider.name;
    let consumer_is_candidate = facts
        .specified
        .iter()
        .any(|selector| selector.pacticipant.id == row.consumer.id);
    match decided
        .provider_selector
        .as_ref()
        .map(|selector| (selector, &selector.versions))
    {
        Some((selector, Some(versions))) if versions.is_empty() => {
            let where_ = match &selector.spec {
                VersionSpec::Environment(environment) => {
                    format!("recorded in {environment}: record its deployment or release")
                }
                VersionSpec::MainBranch => {
                    "on its main branch: set its main branch and publish a version there".to_owned()
                }
                VersionSpec::Latest { tag: Some(tag), .. } => {
                    format!("with tag {tag}: tag the version that runs there")
                }
                _ => format!(
                    "{}: check the selector",
                    destination_phrase(&facts.query.destination)
                ),
            };
            format!("{provider} has no version {where_}, or --ignore {provider}")
        }
        Some((selector, Some(versions))) => {
            let providers: Vec<String> = versions
                .iter()
                .map(|version| labelled(provider, &version.number, Some(&version.selection)))
                .collect();
            let hint = if selector.origin == SelectorOrigin::Specified && !consumer_is_candidate {
                let selector_name = match &facts.query.destination {
                    Destination::Environment(_) => "`deployedOrReleased`",
                    Destination::MainBranch => "`mainBranch`",
                    _ => "matching",
                };
                format!(
                    "run {} verification with the {selector_name} selector",
                    possessive(provider)
                )
            } else {
                format!(
                    "check out that version of {0} and run its verification of this pact with `--publish`, or deploy a {0} version that verified it first, then ask again",
                    provider
                )
            };
            format!(
                "no verification of {consumer_label} by {}: {hint}",
                providers.join(" or ")
            )
        }
        _ => format!(
            "no verification of {consumer_label} by any version of {provider}: run {} verification and publish the result",
            possessive(provider)
        ),
    }
}

/// `orders'`, `web's`.
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

fn absent_counterpart(facts: &MatrixFacts, integration: &Integration) -> Explanation {
    let consumer = &integration.consumer.name;
    let specified_provider = facts
        .specified
        .iter()
        .any(|selector| selector.pacticipant.id == integration.provider.id);
    let text = if specified_provider {
        format!(
            "{consumer} has no version {} with a pact with {}: nothing to check (a provider does not need its consumers there first)",
            destination_phrase(&facts.query.destination),
            integration.provider.name
        )
    } else {
        format!(
            "nothing to compare between {consumer} and {}",
            integration.provider.name
        )
    };
    Explanation {
        consumer: consumer.clone(),
        provider: integration.provider.name.clone(),
        outcome: Outcome::Info,
        text,
    }
}
