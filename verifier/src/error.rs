//! The crate's one error type, and the exit code each kind of failure maps to.
//!
//! Exit codes are part of the CLI's contract with CI scripts: 0 everything passed, 1 a contract
//! failed or was refused by the broker (409, validation), nothing was verified, or a webhook's
//! test call failed, 2 Treaty could not do its job (bad flags, an unreadable file, an
//! unreachable or misbehaving broker, results that could not be published). Messages are
//! lowercase, without a trailing period, and say what was expected, what was found and what to
//! do.

use std::fmt;
use std::path::PathBuf;

/// Exit code: everything passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: a contract failed, was refused by the broker, or a version is not deployable.
pub const EXIT_CONTRACT_FAILURE: u8 = 1;
/// Exit code: Treaty could not do its job (bad flags, unreadable file, unreachable broker).
pub const EXIT_COULD_NOT_RUN: u8 = 2;

/// Everything that can go wrong in a `treaty` command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The flags are inconsistent in a way clap cannot express.
    #[error("{0}")]
    Usage(String),
    /// Treaty could not set itself up (the async runtime, the HTTP client): not the user's
    /// flags, the machine (threads, file descriptors, TLS roots).
    #[error("treaty could not start: {0}")]
    Setup(String),
    /// A file or directory could not be read.
    #[error("could not read {}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A path given on the command line holds no contract file.
    #[error("no contract files in {}: expected a Pact file or a directory with *.json files", path.display())]
    NoContracts {
        /// The directory that held no `*.json` file.
        path: PathBuf,
    },
    /// One or more files are not valid contracts; nothing was sent.
    #[error("{}", InvalidContractsDisplay(.0))]
    InvalidContracts(Vec<InvalidContract>),
    /// The broker could not be reached at all.
    #[error("could not connect to {url}: {reason}")]
    Connect {
        /// The broker URL that was tried (scheme, host and port).
        url: String,
        /// What the network said, in a few words (`connection refused`).
        reason: String,
    },
    /// The request failed in transit after connecting (timeout, reset, TLS).
    #[error("request to {url} failed")]
    Transport {
        /// The full URL requested.
        url: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The broker answered with something Treaty cannot use (unexpected status, not JSON,
    /// a missing HAL relation).
    #[error("unexpected answer from the broker at {url}: {detail}")]
    BrokerProtocol {
        /// The URL requested.
        url: String,
        /// What was expected and what came back.
        detail: String,
    },
    /// The broker refused a request because of its content (400, 409, 422, ...): a contract
    /// problem, not an infrastructure one.
    #[error("{}", RefusedDisplay { what, status: *status, messages })]
    Refused {
        /// What was refused (`publication of web -> orders for version 1.0.0`).
        what: String,
        /// The HTTP status.
        status: u16,
        /// The broker's messages (errors first, then notices), one per line.
        messages: Vec<String>,
    },
    /// Several publications were refused; each was already reported as it happened.
    #[error("{refused} of {total} publications were refused by the broker")]
    SomeRefused {
        /// How many were refused.
        refused: usize,
        /// How many were attempted.
        total: usize,
    },
    /// The broker cannot answer the question as asked (400): an unknown pacticipant, version
    /// or environment, or contradictory selectors.
    #[error("{}", CannotAskDisplay(messages))]
    CannotAsk {
        /// The broker's messages, one per line.
        messages: Vec<String>,
    },
    /// `treaty can-i-deploy`/`can-i-merge` asked, and the answer is no (or unknown).
    #[error("{0}")]
    NotDeployable(String),
    /// Writing the command's output failed.
    #[error("could not write output")]
    Output(#[source] std::io::Error),
    /// Contracts to verify could not be loaded (the path or URL is in the message).
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
    /// `treaty verify` could not reach the provider (`could not connect to URL: reason`).
    #[error("{0}")]
    ProviderUnreachable(String),
    /// `treaty verify` ran, and some contracts failed.
    #[error("{failed} of {total} contracts failed verification")]
    VerificationFailed {
        /// Contracts with a failing, non-pending interaction.
        failed: usize,
        /// Contracts verified.
        total: usize,
    },
    /// Something named on the command line (an environment, a pacticipant version, a deployment
    /// to undo) does not exist in the broker; the message says what to do instead.
    #[error("{0}")]
    UnknownInBroker(String),
    /// `treaty verify` verified nothing: no contract came back, or the filters matched no
    /// interaction (`--ignore-no-pacts-error` turns this into a warning).
    #[error("nothing was verified: {0}")]
    NothingVerified(String),
    /// `treaty verify --publish` could not publish some verification results.
    #[error("{failed} of {total} verification results could not be published to the broker")]
    ResultsNotPublished {
        /// How many were not published.
        failed: usize,
        /// How many were attempted.
        total: usize,
    },
    /// `treaty test-webhook` ran the webhook, and its request failed: the target answered
    /// non-2xx or could not be reached.
    #[error("{0}")]
    WebhookFailed(String),
    /// `treaty test-webhook`: the broker would not run the webhook (400, e.g. a target its
    /// allow-list refuses); the message has the broker's reasons.
    #[error("{0}")]
    WebhookNotRun(String),
    /// A report file could not be written.
    #[error("could not write the report {}", path.display())]
    WriteReport {
        /// The report file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Refused { .. }
            | Error::SomeRefused { .. }
            | Error::VerificationFailed { .. }
            | Error::NotDeployable(_)
            | Error::NothingVerified(_)
            | Error::WebhookFailed(_) => EXIT_CONTRACT_FAILURE,
            Error::Usage(_)
            | Error::Setup(_)
            | Error::InvalidContracts(_)
            | Error::Read { .. }
            | Error::NoContracts { .. }
            | Error::Connect { .. }
            | Error::Transport { .. }
            | Error::BrokerProtocol { .. }
            | Error::Output(_)
            | Error::CannotAsk { .. }
            | Error::Source(_)
            | Error::ProviderUnreachable(_)
            | Error::UnknownInBroker(_)
            | Error::ResultsNotPublished { .. }
            | Error::WebhookNotRun(_)
            | Error::WriteReport { .. } => EXIT_COULD_NOT_RUN,
        }
    }

    /// True when the error is a closed standard output (`treaty … | head`): exit quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// A file that is not a valid contract, with every fault found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidContract {
    /// The file, as given or found in a directory.
    pub path: PathBuf,
    /// One line per fault: `pointer: message`, or the JSON syntax error.
    pub problems: Vec<String>,
}

struct InvalidContractsDisplay<'a>(&'a [InvalidContract]);

impl fmt::Display for InvalidContractsDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        let noun = if count == 1 { "file is" } else { "files are" };
        write!(f, "{count} contract {noun} invalid; nothing was published")?;
        for invalid in self.0 {
            write!(f, "\n  {}:", invalid.path.display())?;
            for problem in &invalid.problems {
                write!(f, "\n    {problem}")?;
            }
        }
        Ok(())
    }
}

struct CannotAskDisplay<'a>(&'a [String]);

impl fmt::Display for CannotAskDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the broker cannot answer this question: check the pacticipant, version and environment names"
        )?;
        for message in self.0 {
            write!(f, "\n  {message}")?;
        }
        Ok(())
    }
}

struct RefusedDisplay<'a> {
    what: &'a str,
    status: u16,
    messages: &'a [String],
}

impl fmt::Display for RefusedDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        write!(
            f,
            "the broker refused the {}: {} {reason}",
            self.what, self.status
        )?;
        for message in self.messages {
            write!(f, "\n  {message}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_documented_table() {
        let refused = Error::Refused {
            what: "x".into(),
            status: 409,
            messages: vec![],
        };
        assert_eq!(refused.exit_code(), EXIT_CONTRACT_FAILURE);
        let connect = Error::Connect {
            url: "http://h".into(),
            reason: "refused".into(),
        };
        assert_eq!(connect.exit_code(), EXIT_COULD_NOT_RUN);
        assert_eq!(
            Error::InvalidContracts(vec![]).exit_code(),
            EXIT_COULD_NOT_RUN,
            "an invalid contract file is an unusable input, for publish as for verify"
        );
    }

    #[test]
    fn invalid_contracts_name_each_file_and_fault() {
        let err = Error::InvalidContracts(vec![InvalidContract {
            path: "pacts/a.json".into(),
            problems: vec!["/interactions/0/response/status: expected integer".into()],
        }]);
        let text = err.to_string();
        assert!(text.contains("pacts/a.json:"), "{text}");
        assert!(
            text.contains("/interactions/0/response/status: expected integer"),
            "{text}"
        );
    }
}
