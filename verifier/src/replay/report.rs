//! The data a verification run produces and every reporter reads: per contract, per
//! interaction, the outcome with its mismatches, the time it took and whether it is pending.
//!
//! These are plain values in contract order; nothing here prints or serialises.

use std::time::Duration;

pub use crate::source::Selection;

/// The result of verifying every selected interaction of every contract.
#[derive(Debug, Clone, PartialEq)]
pub struct VerificationReport {
    /// The provider name given on the command line, if any.
    pub provider: Option<String>,
    /// The provider base URL the requests went to.
    pub provider_base_url: String,
    /// One entry per contract, in the order the sources were given.
    pub contracts: Vec<ContractReport>,
    /// Wall-clock time of the whole replay.
    pub duration: Duration,
}

/// One contract's results.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractReport {
    /// The consumer's name.
    pub consumer: String,
    /// The provider's name, as the contract says.
    pub provider: String,
    /// The file path or URL the contract came from.
    pub source: String,
    /// The consumer version, when the source knows it.
    pub consumer_version: Option<String>,
    /// True when the whole contract is pending (its failures do not fail the run).
    pub pending: bool,
    /// Why the broker selected it (pacts for verification only).
    pub selection: Option<Selection>,
    /// The selected interactions, in contract order.
    pub interactions: Vec<InteractionReport>,
}

/// One interaction's result.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionReport {
    /// The interaction's description.
    pub description: String,
    /// The names of its provider states, in order.
    pub provider_states: Vec<String>,
    /// `METHOD /path` of the request, or the kind of a message interaction.
    pub request: String,
    /// What happened.
    pub outcome: InteractionOutcome,
    /// Time from the first state setup call to the last teardown call.
    pub duration: Duration,
    /// True when the interaction (or its contract) is pending.
    pub pending: bool,
    /// The broker's id of the interaction (its `_id`), when known; verification results
    /// name interactions by it.
    pub interaction_id: Option<String>,
}

/// What happened to one interaction.
#[derive(Debug, Clone, PartialEq)]
pub enum InteractionOutcome {
    /// The provider's response satisfied the contract.
    Passed,
    /// The provider answered, and the answer does not satisfy the contract.
    Failed {
        /// Every difference found.
        mismatches: Vec<MismatchReport>,
    },
    /// The interaction could not be verified (state setup failed, timeout, unreachable).
    Error {
        /// What kind of problem it was.
        kind: ErrorKind,
        /// The reason, in a sentence.
        reason: String,
    },
    /// Not replayed over HTTP (message interactions); reported so that nothing is silently
    /// left out, and does not fail the run.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// Kinds of [`InteractionOutcome::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A provider state setup or teardown call failed.
    ProviderState,
    /// The provider could not be reached at all (connection refused, DNS).
    Unreachable,
    /// The provider did not answer within the request timeout.
    Timeout,
    /// The request could not be built or failed in transit.
    Request,
}

impl ErrorKind {
    /// A stable lowercase name, used by the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::ProviderState => "provider-state",
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Request => "request",
        }
    }
}

/// One difference between the expected and the actual response.
#[derive(Debug, Clone, PartialEq)]
pub struct MismatchReport {
    /// Which part of the response: `status`, `header`, `body`, ...
    pub part: String,
    /// Where in that part: a JSON path for bodies (`$.items[2].price`), the name for headers
    /// and query parameters, empty for the status.
    pub path: String,
    /// What the contract expected, when it can be shown.
    pub expected: Option<String>,
    /// What the provider sent, when it can be shown.
    pub actual: Option<String>,
    /// The matching engine's sentence, which starts with the location
    /// (`$.price: expected a number, got "12.50"`).
    pub message: String,
}

/// Counts of one contract's outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Interactions that passed.
    pub passed: usize,
    /// Interactions that failed or could not be verified.
    pub failed: usize,
    /// Interactions that were skipped.
    pub skipped: usize,
    /// Of the failed ones, those that are pending: reported, but they do not fail the run.
    pub pending_failed: usize,
}

impl InteractionOutcome {
    /// True for [`InteractionOutcome::Failed`] and [`InteractionOutcome::Error`].
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            InteractionOutcome::Failed { .. } | InteractionOutcome::Error { .. }
        )
    }

    /// A stable lowercase name: `passed`, `failed`, `error`, `skipped`.
    pub fn as_str(&self) -> &'static str {
        match self {
            InteractionOutcome::Passed => "passed",
            InteractionOutcome::Failed { .. } => "failed",
            InteractionOutcome::Error { .. } => "error",
            InteractionOutcome::Skipped { .. } => "skipped",
        }
    }
}

impl ContractReport {
    /// How many interactions passed, failed and were skipped.
    pub fn tally(&self) -> Tally {
        let mut tally = Tally::default();
        for interaction in &self.interactions {
            match interaction.outcome {
                InteractionOutcome::Passed => tally.passed += 1,
                InteractionOutcome::Skipped { .. } => tally.skipped += 1,
                _ => {
                    tally.failed += 1;
                    if self.pending || interaction.pending {
                        tally.pending_failed += 1;
                    }
                }
            }
        }
        tally
    }

    /// True when no interaction that counts (not pending) failed.
    pub fn succeeded(&self) -> bool {
        self.pending
            || self
                .interactions
                .iter()
                .all(|interaction| interaction.pending || !interaction.outcome.is_failure())
    }
}

impl VerificationReport {
    /// True when every contract succeeded (pending failures do not count).
    pub fn succeeded(&self) -> bool {
        self.contracts.iter().all(ContractReport::succeeded)
    }

    /// The first "provider unreachable" reason, if any interaction hit one: the run could not
    /// do its job, which is exit code 2 rather than a contract failure.
    pub fn unreachable_reason(&self) -> Option<&str> {
        self.contracts
            .iter()
            .flat_map(|contract| &contract.interactions)
            .find_map(|interaction| match &interaction.outcome {
                InteractionOutcome::Error {
                    kind: ErrorKind::Unreachable,
                    reason,
                } => Some(reason.as_str()),
                _ => None,
            })
    }

    /// The number of interactions that were really verified (not skipped), passed or not.
    pub fn verified_count(&self) -> usize {
        self.contracts
            .iter()
            .flat_map(|contract| &contract.interactions)
            .filter(|interaction| {
                !matches!(interaction.outcome, InteractionOutcome::Skipped { .. })
            })
            .count()
    }

    /// The number of interactions in the report.
    pub fn interaction_count(&self) -> usize {
        self.contracts
            .iter()
            .map(|contract| contract.interactions.len())
            .sum()
    }
}
