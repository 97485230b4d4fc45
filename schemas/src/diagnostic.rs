//! Findings about a contract: every fault found, each with the JSON pointer to where it is.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The contract is not valid; it must be refused.
    Error,
    /// The contract is accepted, but something is likely a mistake.
    Warning,
}

/// One finding, for example `/interactions/3/response/status: expected integer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// JSON pointer (RFC 6901) to the faulty value; `""` for the whole document.
    pub pointer: String,
    /// How serious it is.
    pub severity: Severity,
    /// What was expected and what was found, lowercase, no trailing period.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)
    }
}
