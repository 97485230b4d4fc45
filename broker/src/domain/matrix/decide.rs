//! The matrix verdict, as a pure function of loaded facts: `latestby` and `ignore` applied to the
//! rows, then the Pact Broker's tri-state `deployable` (`false` when a named version does not
//! exist, `null` when any considered row is unverified or a required integration has no row,
//! else whether every considered row passed), the counts and the reasons.
//!
//! No IO: [`super::load`] gathers the facts; the tests below are tables of facts and answers.

use crate::domain::matrix::query::{Destination, LatestBy, VersionSpec};
use crate::domain::matrix::{
    Integration, MatrixFacts, MatrixRow, ResolvedIgnore, ResolvedSelector, Selection,
};

/// The answer to a matrix question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `Some(true)` deployable, `Some(false)` not, `None` unknown (also not deployable).
    pub deployable: Option<bool>,
    /// Row counts.
    pub counts: Counts,
    /// The Pact Broker's reasons, in its order (warnings, then errors or successes).
    pub reasons: Vec<Reason>,
    /// The rows that count, after `latestby`.
    pub considered: Vec<DecidedRow>,
    /// The rows left out by `ignore[]`.
    pub ignored: Vec<DecidedRow>,
    /// Required integrations without any row.
    pub missing: Vec<Integration>,
    /// Integrations whose counterpart has no selected version and that are not required (a
    /// provider's consumers that are not in the environment): nothing to check.
    pub absent_counterparts: Vec<Integration>,
}

/// `summary`'s counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Considered rows that passed.
    pub success: usize,
    /// Considered rows that failed.
    pub failed: usize,
    /// Unverified considered rows plus required integrations without a row.
    pub unknown: usize,
    /// Ignored rows, when the query ignored anything.
    pub ignored: Option<usize>,
}

/// One side of a reason: a pacticipant, the selector that brought its version in (if one did),
/// and the version number (if the row has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The pacticipant's name.
    pub pacticipant: String,
    /// The selector, and whether it selected several versions.
    pub selector: Option<(ResolvedSelector, bool)>,
    /// The version number, if known.
    pub version: Option<String>,
}

/// A reason, as the Pact Broker classifies it (worded by [`super::explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `ignore[]` names a pacticipant or version that does not exist.
    IgnoreSelectorDoesNotExist(ResolvedIgnore),
    /// One selector and no destination.
    NoEnvironmentSpecified,
    /// Selectors with a tag or branch but none with a version number.
    SelectorWithoutVersionNumber,
    /// A named selector matches no version.
    SpecifiedVersionDoesNotExist(ResolvedSelector),
    /// A pact without a verification by the selected provider versions.
    PactNotVerified {
        /// The consumer side.
        consumer: Side,
        /// The provider side.
        provider: Side,
    },
    /// A failed verification.
    VerificationFailed {
        /// The consumer side.
        consumer: Side,
        /// The provider side.
        provider: Side,
    },
    /// Every considered row passed.
    Successful,
    /// No rows, and nothing required is missing.
    NoDependenciesMissing,
}

impl Reason {
    /// The notice type the Pact Broker gives this reason.
    pub fn notice_type(&self) -> &'static str {
        match self {
            Self::IgnoreSelectorDoesNotExist(_)
            | Self::NoEnvironmentSpecified
            | Self::SelectorWithoutVersionNumber => "warning",
            Self::SpecifiedVersionDoesNotExist(_)
            | Self::PactNotVerified { .. }
            | Self::VerificationFailed { .. } => "error",
            Self::Successful | Self::NoDependenciesMissing => "success",
        }
    }
}

/// A row with what selected each of its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedRow {
    /// The row.
    pub row: MatrixRow,
    /// What selected the consumer version.
    pub consumer_selection: Option<Selection>,
    /// What selected the provider version (when the row has one).
    pub provider_selection: Option<Selection>,
    /// The provider's selector, for rows without a provider version: which versions were
    /// expected to verify the pact.
    pub provider_selector: Option<ResolvedSelector>,
}

/// Decides a matrix question from its loaded facts.
pub fn decide(facts: &MatrixFacts) -> Verdict {
    let mut rows = apply_latest_by(&facts.rows, facts.query.latest_by);
    if let Some(wanted) = &facts.query.success {
        rows.retain(|row| wanted.contains(&row.success()));
    }
    let (considered, ignored): (Vec<MatrixRow>, Vec<MatrixRow>) = rows
        .into_iter()
        .partition(|row| !is_ignored(&facts.ignore, row));
    let row_exists = |integration: &Integration| {
        considered.iter().chain(&ignored).any(|row| {
            row.consumer.id == integration.consumer.id && row.provider.id == integration.provider.id
        })
    };
    let ignored_pacticipant = |id: i64| {
        facts
            .ignore
            .iter()
            .any(|ignore| ignore.ignores_pacticipant(id))
    };
    let missing: Vec<Integration> = facts
        .integrations
        .iter()
        .filter(|integration| integration.required)
        .filter(|integration| {
            !ignored_pacticipant(integration.consumer.id)
                && !ignored_pacticipant(integration.provider.id)
        })
        .filter(|integration| !row_exists(integration))
        .cloned()
        .collect();
    let absent_counterparts: Vec<Integration> = facts
        .integrations
        .iter()
        .filter(|integration| !integration.required && !row_exists(integration))
        .cloned()
        .collect();
    let specified_missing: Vec<&ResolvedSelector> = facts
        .specified
        .iter()
        .filter(|selector| selector.selects_nothing())
        .filter(|selector| !ignored_pacticipant(selector.pacticipant.id))
        .collect();

    let deployable = if !specified_missing.is_empty() {
        Some(false)
    } else if considered.iter().any(|row| row.success().is_none()) || !missing.is_empty() {
        None
    } else {
        Some(considered.iter().all(|row| row.success() == Some(true)))
    };
    let counts = Counts {
        success: considered
            .iter()
            .filter(|row| row.success() == Some(true))
            .count(),
        failed: considered
            .iter()
            .filter(|row| row.success() == Some(false))
            .count(),
        unknown: missing.len()
            + considered
                .iter()
                .filter(|row| row.success().is_none())
                .count(),
        ignored: (!facts.ignore.is_empty()).then_some(ignored.len()),
    };

    let mut reasons: Vec<Reason> = facts
        .ignore
        .iter()
        .filter(|ignore| ignore.does_not_exist())
        .map(|ignore| Reason::IgnoreSelectorDoesNotExist(ignore.clone()))
        .collect();
    reasons.extend(bad_practice_warnings(facts));
    let mut errors: Vec<Reason> = Vec::new();
    if specified_missing.is_empty() {
        for integration in &missing {
            errors.push(Reason::PactNotVerified {
                consumer: side(facts, &integration.consumer.name, None),
                provider: side(facts, &integration.provider.name, None),
            });
        }
        for row in considered.iter().filter(|row| row.success() == Some(false)) {
            errors.push(Reason::VerificationFailed {
                consumer: side(
                    facts,
                    &row.consumer.name,
                    Some(&row.consumer_version.number),
                ),
                provider: side(
                    facts,
                    &row.provider.name,
                    row.provider_version.as_ref().map(|v| v.number.as_str()),
                ),
            });
        }
        for row in considered.iter().filter(|row| row.success().is_none()) {
            errors.push(Reason::PactNotVerified {
                consumer: side(
                    facts,
                    &row.consumer.name,
                    Some(&row.consumer_version.number),
                ),
                provider: side(facts, &row.provider.name, None),
            });
        }
    } else {
        errors.extend(
            specified_missing
                .iter()
                .map(|selector| Reason::SpecifiedVersionDoesNotExist((*selector).clone())),
        );
    }
    let mut seen = Vec::new();
    errors.retain(|reason| {
        if seen.contains(reason) {
            false
        } else {
            seen.push(reason.clone());
            true
        }
    });
    if errors.is_empty() {
        if considered.is_empty() {
            reasons.push(Reason::NoDependenciesMissing);
        } else {
            reasons.push(Reason::Successful);
        }
    } else {
        reasons.extend(errors);
    }

    Verdict {
        deployable,
        counts,
        reasons,
        considered: considered
            .into_iter()
            .map(|row| decided(facts, row))
            .collect(),
        ignored: ignored.into_iter().map(|row| decided(facts, row)).collect(),
        missing,
        absent_counterparts,
    }
}

/// Collapses rows per `latestby`: `cvp` keeps the newest provider version per consumer version
/// and provider, `cvpv` one row per consumer version and provider version, `cp` the newest row
/// per integration (newest consumer version, then newest provider version).
fn apply_latest_by(rows: &[MatrixRow], latest_by: Option<LatestBy>) -> Vec<MatrixRow> {
    let Some(latest_by) = latest_by else {
        return rows.to_vec();
    };
    let key = |row: &MatrixRow| -> (i64, i64, i64, i64) {
        let provider_version = row
            .provider_version
            .as_ref()
            .map_or(0, |version| version.id);
        match latest_by {
            LatestBy::ConsumerVersionProvider => {
                (row.consumer.id, row.consumer_version.id, row.provider.id, 0)
            }
            LatestBy::ConsumerVersionProviderVersion => (
                row.consumer.id,
                row.consumer_version.id,
                row.provider.id,
                provider_version,
            ),
            LatestBy::ConsumerProvider => (row.consumer.id, 0, row.provider.id, 0),
        }
    };
    let order = |row: &MatrixRow| {
        (
            row.consumer_version.id,
            row.provider_version
                .as_ref()
                .map_or(0, |version| version.id),
        )
    };
    let mut kept: Vec<MatrixRow> = Vec::new();
    for row in rows {
        match kept.iter_mut().find(|existing| key(existing) == key(row)) {
            Some(existing) => {
                if order(row) > order(existing) {
                    *existing = row.clone();
                }
            }
            None => kept.push(row.clone()),
        }
    }
    kept
}

fn is_ignored(ignore: &[ResolvedIgnore], row: &MatrixRow) -> bool {
    ignore.iter().any(|entry| {
        entry.ignores(row.consumer.id, Some(row.consumer_version.id))
            || entry.ignores(
                row.provider.id,
                row.provider_version.as_ref().map(|version| version.id),
            )
    })
}

fn bad_practice_warnings(facts: &MatrixFacts) -> Vec<Reason> {
    let mut warnings = Vec::new();
    let specified_units: usize = facts
        .specified
        .iter()
        .map(|selector| {
            selector
                .versions
                .as_ref()
                .map_or(1, |versions| versions.len().max(1))
        })
        .sum();
    if specified_units == 1
        && matches!(
            facts.query.destination,
            Destination::None | Destination::Latest
        )
    {
        warnings.push(Reason::NoEnvironmentSpecified);
    }
    let with_more_than_a_name: Vec<&ResolvedSelector> = facts
        .specified
        .iter()
        .filter(|selector| selector.spec != VersionSpec::All)
        .collect();
    if !with_more_than_a_name.is_empty()
        && !with_more_than_a_name
            .iter()
            .any(|selector| matches!(selector.spec, VersionSpec::Number(_)))
    {
        warnings.push(Reason::SelectorWithoutVersionNumber);
    }
    warnings
}

/// The Pact Broker's `selector_for`: the selector of `pacticipant` that brought `version` in,
/// or the only one, or none (then the reason describes the version or "any version").
fn side(facts: &MatrixFacts, pacticipant: &str, version: Option<&str>) -> Side {
    let units: Vec<(ResolvedSelector, bool, Option<String>)> = facts
        .specified
        .iter()
        .chain(&facts.inferred)
        .filter(|selector| selector.pacticipant.name == pacticipant)
        .flat_map(|selector| {
            let many = selector
                .versions
                .as_ref()
                .is_some_and(|versions| versions.len() > 1);
            match &selector.versions {
                Some(versions) if !versions.is_empty() => versions
                    .iter()
                    .map(|version| (selector.clone(), many, Some(version.number.clone())))
                    .collect::<Vec<_>>(),
                _ => vec![(selector.clone(), false, None)],
            }
        })
        .collect();
    let chosen = if units.len() == 1 {
        units.into_iter().next()
    } else {
        version.and_then(|number| {
            units
                .into_iter()
                .find(|(_, _, unit_version)| unit_version.as_deref() == Some(number))
        })
    };
    match chosen {
        Some((selector, many, unit_version)) => Side {
            pacticipant: pacticipant.to_owned(),
            selector: Some((selector, many)),
            version: unit_version.or_else(|| version.map(str::to_owned)),
        },
        None => Side {
            pacticipant: pacticipant.to_owned(),
            selector: None,
            version: version.map(str::to_owned),
        },
    }
}

fn selection_of(facts: &MatrixFacts, pacticipant_id: i64, version_id: i64) -> Option<Selection> {
    facts
        .specified
        .iter()
        .chain(&facts.inferred)
        .filter(|selector| selector.pacticipant.id == pacticipant_id)
        .find_map(|selector| {
            selector
                .versions
                .as_ref()
                .map_or(Some(Selection::Any), |versions| {
                    versions
                        .iter()
                        .find(|version| version.id == version_id)
                        .map(|version| version.selection.clone())
                })
        })
}

fn decided(facts: &MatrixFacts, row: MatrixRow) -> DecidedRow {
    let consumer_selection = selection_of(facts, row.consumer.id, row.consumer_version.id);
    let provider_selection = row
        .provider_version
        .as_ref()
        .and_then(|version| selection_of(facts, row.provider.id, version.id));
    let provider_selector = if row.provider_version.is_none() {
        facts
            .specified
            .iter()
            .chain(&facts.inferred)
            .find(|selector| selector.pacticipant.id == row.provider.id)
            .cloned()
    } else {
        None
    };
    DecidedRow {
        row,
        consumer_selection,
        provider_selection,
        provider_selector,
    }
}
