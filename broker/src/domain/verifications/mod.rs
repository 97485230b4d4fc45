//! Verification results: a provider version's verdict on one contract content of one
//! integration (consumer, provider, sha).
//!
//! A result belongs to the content, not to a consumer version: every consumer version that
//! published identical content for the provider is verified by it. The provider version is
//! created when missing (the Pact Broker does the same). A result posted through a WIP pact URL
//! (its metadata says so) is stored with `wip = true`, which the WIP rule reads.

pub mod input;

use std::collections::HashMap;

use serde_json::Value;

pub use input::VerificationInput;

use crate::domain::pact_metadata::PactMetadata;
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::webhooks::Origin;
use crate::domain::webhooks::trigger::{self, VerificationStored};
use crate::domain::{DomainError, PacticipantName, VersionNumber};
use crate::storage::models::{PacticipantRow, VerificationRow};
use crate::storage::verifications::{
    self as stored, NewVerification, VerificationLookup, VerificationRecord,
};
use crate::storage::{AnyConnection, Db, StorageError, pacticipants, versions};

/// A pact version: the content `sha` of the integration (consumer, provider).
#[derive(Debug, Clone)]
pub struct PactVersionRef {
    /// The provider.
    pub provider: PacticipantName,
    /// The consumer.
    pub consumer: PacticipantName,
    /// The content hash.
    pub sha: String,
}

/// A verification result ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct VerificationResult {
    /// The consumer of the integration.
    pub consumer: String,
    /// The provider of the integration.
    pub provider: String,
    /// The verified content's hash.
    pub sha: String,
    /// 1, 2, … per integration and content.
    pub number: i64,
    /// The provider version that verified.
    pub provider_version: String,
    /// Whether it passed.
    pub success: bool,
    /// Whether the pact was verified as work in progress.
    pub wip: bool,
    /// The provider's CI build URL.
    pub build_url: Option<String>,
    /// `testResults` as posted.
    pub test_results: Option<Value>,
    /// `verifiedBy` as posted.
    pub verified_by: Option<Value>,
    /// When the result was published (RFC 3339, UTC).
    pub verified_at: String,
}

/// The integration and content a pact version names, with the pacticipants' rows.
struct ResolvedPact {
    consumer: PacticipantRow,
    provider: PacticipantRow,
    content_id: i64,
}

fn resolve(conn: &mut AnyConnection, pact: &PactVersionRef) -> Result<ResolvedPact, DomainError> {
    let provider = require_pacticipant(conn, pact.provider.as_str())?;
    let consumer = require_pacticipant(conn, pact.consumer.as_str())?;
    let content_id =
        stored::find_integration_content_id(conn, consumer.id, provider.id, &pact.sha)?
            .ok_or_else(|| {
                DomainError::NotFound(format!(
                    "no pact between consumer `{}` and provider `{}` with pact version `{}`",
                    consumer.name, provider.name, pact.sha
                ))
            })?;
    Ok(ResolvedPact {
        consumer,
        provider,
        content_id,
    })
}

/// Parses stored JSON text; stored text that no longer parses is corrupt data, not a client
/// mistake.
fn stored_json(text: Option<&str>, what: &str) -> Result<Option<Value>, DomainError> {
    text.map(|text| {
        serde_json::from_str(text).map_err(|error| {
            DomainError::Storage(StorageError::Corrupt(format!(
                "stored {what} is not JSON: {error}"
            )))
        })
    })
    .transpose()
}

fn result_of(
    row: VerificationRow,
    provider_version: String,
    consumer: &str,
    provider: &str,
    sha: &str,
) -> Result<VerificationResult, DomainError> {
    Ok(VerificationResult {
        consumer: consumer.to_owned(),
        provider: provider.to_owned(),
        sha: sha.to_owned(),
        number: row.number,
        provider_version,
        success: row.success,
        wip: row.wip,
        build_url: row.build_url,
        test_results: stored_json(row.test_results.as_deref(), "testResults")?,
        verified_by: stored_json(row.verified_by.as_deref(), "verifiedBy")?,
        verified_at: row.created_at,
    })
}

fn record_result(
    record: VerificationRecord,
    pact: &ResolvedPact,
    sha: &str,
) -> Result<VerificationResult, DomainError> {
    result_of(
        record.verification,
        record.provider_version_number,
        &pact.consumer.name,
        &pact.provider.name,
        sha,
    )
}

/// Records a verification result for a pact version, creating the provider version when it is
/// missing, in one transaction.
/// The webhooks it triggers are queued in that transaction.
pub async fn publish_verification(
    db: &Db,
    pact: PactVersionRef,
    metadata: PactMetadata,
    input: VerificationInput,
    origin: Origin,
) -> Result<VerificationResult, DomainError> {
    let test_results = input.test_results.as_ref().map(Value::to_string);
    let verified_by = input.verified_by.as_ref().map(Value::to_string);
    db.write(move |conn| {
        let resolved = resolve(conn, &pact)?;
        let (provider_version, _) = versions::find_or_insert_version(
            conn,
            resolved.provider.id,
            input.provider_version.as_str(),
            None,
        )?;
        let row = stored::insert_verification(
            conn,
            &NewVerification {
                consumer_id: resolved.consumer.id,
                provider_id: resolved.provider.id,
                content_id: resolved.content_id,
                provider_version_id: provider_version.id,
                success: input.success,
                wip: metadata.wip,
                build_url: input.build_url.as_deref(),
                test_results: test_results.as_deref(),
                verified_by: verified_by.as_deref(),
            },
        )?;
        trigger::verification_stored(
            conn,
            &origin,
            VerificationStored {
                consumer: &resolved.consumer,
                provider: &resolved.provider,
                content_id: resolved.content_id,
                sha: &pact.sha,
                provider_version: &provider_version,
                number: row.number,
                success: row.success,
                build_url: row.build_url.as_deref(),
            },
        )?;
        tracing::info!(
            consumer.name = %resolved.consumer.name,
            provider.name = %resolved.provider.name,
            version.number = %provider_version.number,
            verification.number = row.number,
            verification.success = row.success,
            "verification result published"
        );
        result_of(
            row,
            provider_version.number,
            &resolved.consumer.name,
            &resolved.provider.name,
            &pact.sha,
        )
    })
    .await
}

/// Which result of a pact version to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichVerification {
    /// The result with this number.
    Number(i64),
    /// The newest.
    Latest,
}

/// One verification result of a pact version.
pub async fn get_verification(
    db: &Db,
    pact: PactVersionRef,
    which: WhichVerification,
) -> Result<VerificationResult, DomainError> {
    db.run(move |conn| {
        let resolved = resolve(conn, &pact)?;
        let lookup = match which {
            WhichVerification::Number(number) => VerificationLookup::Number(number),
            WhichVerification::Latest => VerificationLookup::Latest,
        };
        let record = stored::find_verification(
            conn,
            resolved.consumer.id,
            resolved.provider.id,
            resolved.content_id,
            lookup,
        )?
        .ok_or_else(|| {
            let which = match which {
                WhichVerification::Number(number) => format!("verification result {number}"),
                WhichVerification::Latest => "verification result".to_owned(),
            };
            DomainError::NotFound(format!(
                "no {which} for the pact between consumer `{}` and provider `{}` with pact version `{}`: publish one to its pb:publish-verification-results link",
                resolved.consumer.name, resolved.provider.name, pact.sha
            ))
        })?;
        record_result(record, &resolved, &pact.sha)
    })
    .await
}

/// Every verification result of a pact version, newest first.
pub async fn list_verifications_for_pact_version(
    db: &Db,
    pact: PactVersionRef,
) -> Result<Vec<VerificationResult>, DomainError> {
    db.run(move |conn| {
        let resolved = resolve(conn, &pact)?;
        stored::list_verifications_of_content(
            conn,
            resolved.consumer.id,
            resolved.provider.id,
            resolved.content_id,
        )?
        .into_iter()
        .map(|record| record_result(record, &resolved, &pact.sha))
        .collect()
    })
    .await
}

/// Every verification result a provider version published, oldest first.
pub async fn list_verifications_for_provider_version(
    db: &Db,
    provider: PacticipantName,
    number: VersionNumber,
) -> Result<Vec<VerificationResult>, DomainError> {
    db.run(move |conn| {
        let provider = require_pacticipant(conn, provider.as_str())?;
        let version =
            versions::find_version(conn, provider.id, number.as_str())?.ok_or_else(|| {
                DomainError::NotFound(format!(
                    "version `{number}` of pacticipant `{}` not found",
                    provider.name
                ))
            })?;
        let rows = stored::list_verifications_by_provider_version(conn, version.id)?;
        let mut consumer_ids: Vec<i64> = rows.iter().map(|(row, _)| row.consumer_id).collect();
        consumer_ids.sort_unstable();
        consumer_ids.dedup();
        let consumers: HashMap<i64, String> =
            pacticipants::find_pacticipants_by_ids(conn, &consumer_ids)?
                .into_iter()
                .map(|row| (row.id, row.name))
                .collect();
        rows.into_iter()
            .map(|(row, sha)| {
                let consumer = consumers.get(&row.consumer_id).cloned().unwrap_or_default();
                result_of(row, version.number.clone(), &consumer, &provider.name, &sha)
            })
            .collect()
    })
    .await
}
