//! Storing one contract for a consumer version and provider under the immutability rules:
//! new, unchanged, merged, overwritten (when allowed) or refused with a conflict.

use serde_json::Value;

use crate::domain::DomainError;
use crate::domain::contracts::{content_sha, merge_documents};
use crate::domain::publish::{
    ContractOutcome, OnConflict, PreparedContract, PublishSettings, PublishedContract,
};
use crate::storage::models::{PacticipantRow, VersionRow};
use crate::storage::{AnyConnection, StorageError, contents, publications};

/// Links `contract` to the consumer version and provider, applying the immutability rules.
pub fn store_contract(
    conn: &mut AnyConnection,
    settings: PublishSettings,
    consumer: &PacticipantRow,
    version: &VersionRow,
    provider: &PacticipantRow,
    contract: &PreparedContract,
) -> Result<PublishedContract, DomainError> {
    let published = |sha: &str, content_id: i64, outcome| PublishedContract {
        provider: provider.name.clone(),
        sha: sha.to_owned(),
        content_id,
        outcome,
    };
    let Some((existing, existing_content)) =
        publications::find_latest_revision(conn, version.id, provider.id)?
    else {
        let content = contents::insert_content_if_absent(conn, &contract.sha, &contract.text)?;
        publications::insert_publication(conn, version.id, provider.id, content.id, 1)?;
        return Ok(published(
            &contract.sha,
            content.id,
            ContractOutcome::Created,
        ));
    };
    if existing_content.sha == contract.sha {
        return Ok(published(
            &contract.sha,
            existing_content.id,
            ContractOutcome::Unchanged,
        ));
    }
    let (sha, text, outcome) = match contract.on_conflict {
        OnConflict::Merge => {
            let stored: Value =
                serde_json::from_str(&existing_content.content).map_err(|error| {
                    StorageError::Corrupt(format!(
                        "content {} is not JSON: {error}",
                        existing_content.sha
                    ))
                })?;
            let merged = merge_documents(&stored, &contract.document);
            let sha = content_sha(&merged);
            if sha == existing_content.sha {
                return Ok(published(
                    &sha,
                    existing_content.id,
                    ContractOutcome::Unchanged,
                ));
            }
            let text = serde_json::to_string(&merged).map_err(|error| {
                StorageError::Corrupt(format!("merged content cannot be serialised: {error}"))
            })?;
            (sha, text, ContractOutcome::Merged)
        }
        OnConflict::Replace if settings.allow_contract_overwrite => (
            contract.sha.clone(),
            contract.text.clone(),
            ContractOutcome::Overwritten,
        ),
        OnConflict::Replace => {
            return Err(DomainError::ContractConflict {
                message: format!(
                    "cannot change the pact between consumer `{}` version `{}` and provider `{}`: \
                     that version already published a pact with different content; publish under a \
                     new consumer version, or start the broker with --allow-contract-overwrite",
                    consumer.name, version.number, provider.name
                ),
            });
        }
    };
    let content = contents::insert_content_if_absent(conn, &sha, &text)?;
    publications::insert_publication(
        conn,
        version.id,
        provider.id,
        content.id,
        existing.revision + 1,
    )?;
    Ok(published(&sha, content.id, outcome))
}
