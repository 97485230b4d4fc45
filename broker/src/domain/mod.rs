//! The broker's rules, as plain Rust over validated value types: publishing and content
//! identity, pacts, pacticipants, versions, branches and tags, environments and deployments.
//!
//! This layer must not import actix or diesel (checked by the tidy test): it speaks Treaty's
//! own types, [`crate::storage::Db`] and the synchronous storage functions it runs inside
//! [`crate::storage::Db::write`] transactions.

pub mod access;
pub mod branch_pacts;
pub mod contracts;
pub mod deployments;
pub mod environments;
pub mod for_verification;
pub mod matrix;
pub mod names;
pub mod pact_metadata;
pub mod pacticipants;
pub mod pacts;
pub mod publish;
pub mod verifications;
pub mod versions;
pub mod webhooks;

pub use names::{BranchName, PacticipantName, TagName, VersionNumber};

use crate::storage::{Db, StorageError, TransactionError};

/// How much of the database pool is in use, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// Open connections.
    pub connections: u32,
    /// Of which idle.
    pub idle: u32,
    /// The pool's size.
    pub max: u32,
}

/// The pool's use now.
pub fn pool_use(db: &Db) -> PoolUse {
    let state = db.pool_state();
    PoolUse {
        connections: state.connections,
        idle: state.idle,
        max: state.max,
    }
}

/// One fault in a request, attached to the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The request field, for example `pacticipantVersionNumber` or `contracts/0/content`.
    pub field: String,
    /// A JSON pointer inside that field's value (for contract contents), if any.
    pub pointer: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl FieldError {
    /// A fault of a whole field.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            pointer: None,
            message: message.into(),
        }
    }
}

/// Why a use case did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The request is invalid; every fault is listed.
    #[error("invalid request: {}", .0.iter().map(|fault| format!("{}: {}", fault.field, fault.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// Something named in the request does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A contract with different content was already published for this consumer version and
    /// provider.
    #[error("{message}")]
    ContractConflict {
        /// What happened and how to proceed.
        message: String,
    },
    /// The request conflicts with existing state (for example, a name already taken).
    #[error("{message}")]
    Conflict {
        /// The field in conflict.
        field: String,
        /// What happened and how to proceed.
        message: String,
    },
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The request is well-formed but asks for a change the rules forbid (for example, setting
    /// `currentlyDeployed` back to true); every fault is listed.
    #[error("unprocessable request: {}", .0.iter().map(|fault| format!("{}: {}", fault.field, fault.message)).collect::<Vec<_>>().join("; "))]
    Unprocessable(Vec<FieldError>),
}

impl DomainError {
    /// A single invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }
}

impl TransactionError for DomainError {
    fn as_storage_error(&self) -> Option<&StorageError> {
        match self {
            Self::Storage(error) => Some(error),
            _ => None,
        }
    }
}
