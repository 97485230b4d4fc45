//! The crate's error type.

use crate::diagnostic::Diagnostic;

/// Why a contract could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The bytes are not JSON.
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is not a valid contract; every fault is listed.
    #[error("invalid contract: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Diagnostic>),
}
