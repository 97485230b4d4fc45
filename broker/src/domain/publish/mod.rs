//! Publishing contracts: validation of the all-in-one publish request ([`validate`]), then, in
//! one transaction, the pacticipants, version, branch, tags and each contract's publication
//! ([`store`]).
//!
//! Contracts are immutable: the same content again is an idempotent success, different content
//! for an existing consumer version and provider is refused unless the operator allowed
//! overwriting or the client asked to merge.

mod store;
mod validate;

use std::sync::Arc;

use serde_json::Value;

pub use store::store_contract;
pub use validate::validate_publish;

use crate::domain::contracts::{content_sha, validate_contract};
use crate::domain::pacticipants::Pacticipant;
use crate::domain::versions::{VersionSummary, attach_branch, attach_tag};
use crate::domain::webhooks::Origin;
use crate::domain::webhooks::trigger::{self, ContractStored};
use crate::domain::{BranchName, DomainError, FieldError, PacticipantName, TagName, VersionNumber};
use crate::storage::{AnyConnection, Db, pacticipants, versions};

/// Operator settings that change publishing rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublishSettings {
    /// Let different content replace an existing publication (`--allow-contract-overwrite`).
    pub allow_contract_overwrite: bool,
}

/// What to do when a consumer version already published other content for the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Refuse with a conflict (or replace, when the operator allowed overwriting).
    Replace,
    /// Merge the new interactions into the existing contract.
    Merge,
}

/// The all-in-one publish request as received, before validation.
#[derive(Debug, Clone, Default)]
pub struct PublishInput {
    /// `pacticipantName`.
    pub pacticipant_name: Option<String>,
    /// `pacticipantVersionNumber`.
    pub version_number: Option<String>,
    /// `branch`.
    pub branch: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `buildUrl`.
    pub build_url: Option<String>,
    /// `contracts`; `None` when the key is missing.
    pub contracts: Option<Vec<ContractInput>>,
}

/// One entry of `contracts`, before validation.
#[derive(Debug, Clone, Default)]
pub struct ContractInput {
    /// `consumerName`.
    pub consumer_name: Option<String>,
    /// `providerName`.
    pub provider_name: Option<String>,
    /// `specification`.
    pub specification: Option<String>,
    /// `contentType`.
    pub content_type: Option<String>,
    /// `content` (base64).
    pub content: Option<String>,
    /// `onConflict`.
    pub on_conflict: Option<String>,
}

/// A validated contract, ready to store.
#[derive(Debug, Clone)]
pub struct PreparedContract {
    /// The provider.
    pub provider: PacticipantName,
    /// The document as JSON text, stored as is when the content is new.
    pub text: String,
    /// The parsed document.
    pub document: Value,
    /// Its content hash.
    pub sha: String,
    /// Conflict handling.
    pub on_conflict: OnConflict,
}

impl PreparedContract {
    /// Validates a contract document and computes its identity. The names inside the document,
    /// when present, must be the integration's.
    pub fn new(
        field: &str,
        consumer: Option<&PacticipantName>,
        provider: PacticipantName,
        document: Value,
        on_conflict: OnConflict,
    ) -> Result<Self, Vec<FieldError>> {
        let mut faults = Vec::new();
        for (role, expected) in [("consumer", consumer), ("provider", Some(&provider))] {
            let named = document
                .get(role)
                .and_then(|party| party.get("name"))
                .and_then(Value::as_str);
            if let (Some(named), Some(expected)) = (named, expected)
                && named != expected.as_str()
            {
                faults.push(FieldError {
                    field: field.to_owned(),
                    pointer: Some(format!("/{role}/name")),
                    message: format!("/{role}/name: the contract names {role} `{named}`, but it is published for `{expected}`"),
                });
            }
        }
        if !faults.is_empty() {
            return Err(faults);
        }
        validate_contract(field, &document)?;
        let text = serde_json::to_string(&document).map_err(|error| {
            vec![FieldError::new(
                field,
                format!("cannot serialise the contract: {error}"),
            )]
        })?;
        let sha = content_sha(&document);
        Ok(Self {
            provider,
            text,
            document,
            sha,
            on_conflict,
        })
    }
}

/// A validated publish request.
#[derive(Debug, Clone)]
pub struct PublishRequest {
    /// The consumer.
    pub pacticipant: PacticipantName,
    /// The consumer version.
    pub version: VersionNumber,
    /// Branch of that version.
    pub branch: Option<BranchName>,
    /// Tags for that version.
    pub tags: Vec<TagName>,
    /// CI build URL.
    pub build_url: Option<String>,
    /// One or more contracts.
    pub contracts: Vec<PreparedContract>,
}

/// What happened to one contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractOutcome {
    /// A new publication.
    Created,
    /// The same content was already published; nothing changed.
    Unchanged,
    /// Merged into the existing contract (new revision).
    Merged,
    /// Replaced the existing content (operator allowed overwriting).
    Overwritten,
}

/// One contract's result.
#[derive(Debug, Clone)]
pub struct PublishedContract {
    /// Provider name.
    pub provider: String,
    /// Content hash now published.
    pub sha: String,
    /// The stored content's id.
    pub content_id: i64,
    /// What happened.
    pub outcome: ContractOutcome,
}

/// The result of a publish.
#[derive(Debug, Clone)]
pub struct PublishOutcome {
    /// The consumer.
    pub pacticipant: Pacticipant,
    /// The consumer version.
    pub version: VersionSummary,
    /// The branch, if one was given.
    pub branch: Option<String>,
    /// The tags given.
    pub tags: Vec<String>,
    /// Per contract, in request order.
    pub contracts: Vec<PublishedContract>,
}

/// Publishes everything in one transaction: nothing is written unless every contract is.
/// Every webhook the publication triggers is queued in that transaction.
pub async fn publish_contracts(
    db: &Db,
    settings: PublishSettings,
    origin: Origin,
    request: PublishRequest,
) -> Result<PublishOutcome, DomainError> {
    let request = Arc::new(request);
    db.write(move |conn| publish_in_transaction(conn, settings, &origin, &request))
        .await
}

fn publish_in_transaction(
    conn: &mut AnyConnection,
    settings: PublishSettings,
    origin: &Origin,
    request: &PublishRequest,
) -> Result<PublishOutcome, DomainError> {
    let (pacticipant, _) =
        pacticipants::find_or_insert_pacticipant(conn, request.pacticipant.as_str())?;
    let (version, _) = versions::find_or_insert_version(
        conn,
        pacticipant.id,
        request.version.as_str(),
        request.build_url.as_deref(),
    )?;
    if let Some(branch) = &request.branch {
        attach_branch(conn, &pacticipant, &version, branch)?;
    }
    for tag in &request.tags {
        attach_tag(conn, &pacticipant, &version, tag)?;
    }
    let tag_names: Vec<String> = request.tags.iter().map(ToString::to_string).collect();
    let mut contracts = Vec::with_capacity(request.contracts.len());
    for contract in &request.contracts {
        let (provider, _) =
            pacticipants::find_or_insert_pacticipant(conn, contract.provider.as_str())?;
        let previous_content_id = trigger::latest_content_id(conn, pacticipant.id, provider.id)?;
        let published =
            store_contract(conn, settings, &pacticipant, &version, &provider, contract)?;
        trigger::contract_stored(
            conn,
            origin,
            ContractStored {
                consumer: &pacticipant,
                version: &version,
                provider: &provider,
                sha: &published.sha,
                content_id: published.content_id,
                previous_content_id,
                unchanged: published.outcome == ContractOutcome::Unchanged,
                branch: request.branch.as_ref().map(|branch| branch.as_str()),
                tags: &tag_names,
            },
        )?;
        contracts.push(published);
    }
    let pacticipant =
        pacticipants::find_pacticipant(conn, request.pacticipant.as_str())?.unwrap_or(pacticipant);
    Ok(PublishOutcome {
        pacticipant: pacticipant.into(),
        version: version.into(),
        branch: request.branch.as_ref().map(ToString::to_string),
        tags: request.tags.iter().map(ToString::to_string).collect(),
        contracts,
    })
}
