//! The crate's error type.

use crate::diagnostic::Diagnostic;

/// Why a contract could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The bytes are not JSON. The parser's message is part of this one and not a separate
    /// cause, so that a cause chain does not print it twice.
    #[error("not valid JSON: {0}")]
    Json(serde_json::Error),
    /// The JSON is not a valid contract; every fault is listed.
    #[error("invalid contract: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Diagnostic>),
}

impl From<serde_json::Error> for SchemaError {
    fn from(error: serde_json::Error) -> Self {
        Self::Json(error)
    }
}
