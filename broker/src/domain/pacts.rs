//! Pacts of an integration: fetching by consumer version, latest, latest by tag or branch, or
//! content hash; the old single-pact publish (`PUT`/`PATCH`); listings of latest pacts.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::domain::contracts::document_for_integration;
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::publish::{
    ContractOutcome, OnConflict, PreparedContract, PublishSettings, store_contract,
};
use crate::domain::versions::require_version;
use crate::domain::webhooks::Origin;
use crate::domain::webhooks::trigger::{self, ContractStored};
use crate::domain::{BranchName, DomainError, PacticipantName, TagName, VersionNumber};
use crate::storage::publications::{
    HeadSelection, HistorySelection, PactListing, PactLookup, PactRecord,
};
use crate::storage::{
    AnyConnection, Db, StorageError, branches, pacticipants, publications, versions,
};

/// Which pact of an integration.
#[derive(Debug, Clone)]
pub enum PactSelector {
    /// The one a consumer version published.
    ForVersion(VersionNumber),
    /// The latest consumer version's.
    Latest,
    /// The latest consumer version with this tag.
    LatestWithTag(TagName),
    /// The head of this consumer branch.
    LatestOnBranch(BranchName),
    /// By content hash (pact version).
    ContentSha(String),
}

/// A pact ready to render.
#[derive(Debug, Clone)]
pub struct Pact {
    /// Consumer name.
    pub consumer: String,
    /// Provider name.
    pub provider: String,
    /// Consumer version number.
    pub consumer_version: String,
    /// Content hash.
    pub sha: String,
    /// When this revision was published.
    pub created_at: String,
    /// The document, with `_id` per interaction and the integration's names.
    pub document: Map<String, Value>,
}

/// A line of a latest-pacts listing.
#[derive(Debug, Clone)]
pub struct PactSummary {
    /// Consumer name.
    pub consumer: String,
    /// Provider name.
    pub provider: String,
    /// Consumer version number.
    pub consumer_version: String,
    /// Content hash.
    pub sha: String,
    /// When it was published.
    pub created_at: String,
}

fn render(record: PactRecord, consumer: &str, provider: &str) -> Result<Pact, DomainError> {
    let document =
        document_for_integration(&record.content.content, consumer, provider).map_err(|error| {
            StorageError::Corrupt(format!(
                "content {} is not JSON: {error}",
                record.content.sha
            ))
        })?;
    Ok(Pact {
        consumer: consumer.to_owned(),
        provider: provider.to_owned(),
        consumer_version: record.consumer_version.number,
        sha: record.content.sha,
        created_at: record.publication.created_at,
        document,
    })
}

fn find(
    conn: &mut AnyConnection,
    provider: &str,
    consumer: &str,
    selector: &PactSelector,
) -> Result<Pact, DomainError> {
    let provider_row = require_pacticipant(conn, provider)?;
    let consumer_row = require_pacticipant(conn, consumer)?;
    let lookup = match selector {
        PactSelector::ForVersion(number) => {
            PactLookup::ForVersion(require_version(conn, &consumer_row, number.as_str())?.id)
        }
        PactSelector::Latest => PactLookup::Latest,
        PactSelector::LatestWithTag(tag) => PactLookup::LatestWithTag(tag.as_str()),
        PactSelector::LatestOnBranch(branch) => PactLookup::LatestOnBranch(branch.as_str()),
        PactSelector::ContentSha(sha) => PactLookup::WithContentSha(sha),
    };
    let found = publications::find_pact(conn, consumer_row.id, provider_row.id, lookup)?;
    if found.is_none()
        && let PactSelector::LatestOnBranch(branch) = selector
        && branches::find_branch(conn, consumer_row.id, branch.as_str())?.is_none()
    {
        return Err(DomainError::NotFound(format!(
            "branch `{branch}` of pacticipant `{consumer}` not found"
        )));
    }
    let record = found.ok_or_else(|| {
        let which = match selector {
            PactSelector::ForVersion(number) => format!("for consumer version `{number}`"),
            PactSelector::Latest => "at all".to_owned(),
            PactSelector::LatestWithTag(tag) => {
                format!("for a consumer version tagged `{tag}`")
            }
            PactSelector::LatestOnBranch(branch) => format!("on consumer branch `{branch}`"),
            PactSelector::ContentSha(sha) => format!("with pact version `{sha}`"),
        };
        DomainError::NotFound(format!(
            "no pact between consumer `{consumer}` and provider `{provider}` {which}"
        ))
    })?;
    render(record, consumer, provider)
}

/// One pact of the integration (consumer, provider).
pub async fn get_pact(
    db: &Db,
    provider: PacticipantName,
    consumer: PacticipantName,
    selector: PactSelector,
) -> Result<Pact, DomainError> {
    db.run(move |conn| find(conn, provider.as_str(), consumer.as_str(), &selector))
        .await
}

/// One pact sent to `/pacts/provider/P/consumer/C/version/V`.
#[derive(Debug, Clone)]
pub struct PutPact {
    /// The provider.
    pub provider: PacticipantName,
    /// The consumer.
    pub consumer: PacticipantName,
    /// The consumer version.
    pub version: VersionNumber,
    /// The pact document.
    pub document: Value,
    /// Replace (`PUT`) or merge (`PATCH`).
    pub on_conflict: OnConflict,
}

/// The old single-pact publish: `PUT` (replace) or `PATCH` (merge) of one consumer version's
/// pact, in one transaction with the webhooks it triggers.
pub async fn put_pact(
    db: &Db,
    settings: PublishSettings,
    origin: Origin,
    put: PutPact,
) -> Result<(Pact, ContractOutcome), DomainError> {
    let PutPact {
        provider,
        consumer,
        version,
        document,
        on_conflict,
    } = put;
    let contract = PreparedContract::new(
        "pact",
        Some(&consumer),
        provider.clone(),
        document,
        on_conflict,
    )
    .map_err(DomainError::Invalid)?;
    db.write(move |conn| {
        let (consumer_row, _) = pacticipants::find_or_insert_pacticipant(conn, consumer.as_str())?;
        let (provider_row, _) = pacticipants::find_or_insert_pacticipant(conn, provider.as_str())?;
        let (version_row, _) =
            versions::find_or_insert_version(conn, consumer_row.id, version.as_str(), None)?;
        let previous_content_id =
            trigger::latest_content_id(conn, consumer_row.id, provider_row.id)?;
        let outcome = store_contract(
            conn,
            settings,
            &consumer_row,
            &version_row,
            &provider_row,
            &contract,
        )?;
        trigger::contract_stored(
            conn,
            &origin,
            ContractStored {
                consumer: &consumer_row,
                version: &version_row,
                provider: &provider_row,
                sha: &outcome.sha,
                content_id: outcome.content_id,
                previous_content_id,
                unchanged: outcome.outcome == ContractOutcome::Unchanged,
                branch: None,
                tags: &[],
            },
        )?;
        let pact = find(
            conn,
            provider.as_str(),
            consumer.as_str(),
            &PactSelector::ForVersion(version.clone()),
        )?;
        Ok((pact, outcome.outcome))
    })
    .await
}

/// The latest pact of every integration, or of every integration of one provider, by consumer
/// and provider name (read from the `latest` pact heads).
pub async fn list_latest_pacts(
    db: &Db,
    provider: Option<PacticipantName>,
) -> Result<Vec<PactSummary>, DomainError> {
    db.run(move |conn| {
        let provider_id = match &provider {
            Some(name) => Some(require_pacticipant(conn, name.as_str())?.id),
            None => None,
        };
        let listings =
            publications::list_head_pacts(conn, provider_id, None, HeadSelection::Latest)?;
        let mut summaries = summarise(conn, listings)?;
        summaries.sort_by(|left, right| {
            (&left.consumer, &left.provider).cmp(&(&right.consumer, &right.provider))
        });
        Ok(summaries)
    })
    .await
}

/// Which of a provider's pacts a provider listing shows.
#[derive(Debug, Clone)]
pub enum ProviderPacts {
    /// Every pact of every consumer version (`pb:provider-pacts`).
    All,
    /// Every pact of consumer versions with this tag (`pb:provider-pacts-with-tag`).
    WithTag(TagName),
    /// The latest pact of each consumer among its versions with this tag
    /// (`pb:latest-provider-pacts-with-tag`), read from the tag's pact heads.
    LatestWithTag(TagName),
}

/// A provider's pacts: all of them, those of a consumer tag, or the latest per consumer of a tag.
/// Newest consumer version first.
pub async fn list_provider_pacts(
    db: &Db,
    provider: PacticipantName,
    which: ProviderPacts,
) -> Result<Vec<PactSummary>, DomainError> {
    db.run(move |conn| {
        let provider_id = require_pacticipant(conn, provider.as_str())?.id;
        let listings = match &which {
            ProviderPacts::All => {
                publications::list_pact_history(conn, provider_id, None, HistorySelection::All)?
            }
            ProviderPacts::WithTag(tag) => publications::list_pact_history(
                conn,
                provider_id,
                None,
                HistorySelection::Tag(tag.as_str()),
            )?,
            ProviderPacts::LatestWithTag(tag) => publications::list_head_pacts(
                conn,
                Some(provider_id),
                None,
                HeadSelection::Tag(tag.as_str()),
            )?,
        };
        summarise(conn, listings)
    })
    .await
}

/// Turns listings into summaries, resolving the pacticipant names in one query.
pub(crate) fn summarise(
    conn: &mut AnyConnection,
    listings: Vec<PactListing>,
) -> Result<Vec<PactSummary>, DomainError> {
    let mut ids: Vec<i64> = listings
        .iter()
        .flat_map(|listing| {
            [
                listing.publication.provider_id,
                listing.consumer_version.pacticipant_id,
            ]
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = pacticipants::find_pacticipants_by_ids(conn, &ids)?
        .into_iter()
        .map(|row| (row.id, row.name))
        .collect();
    let name_of = |id: i64| names.get(&id).cloned().unwrap_or_default();
    Ok(listings
        .into_iter()
        .map(|listing| PactSummary {
            consumer: name_of(listing.consumer_version.pacticipant_id),
            provider: name_of(listing.publication.provider_id),
            consumer_version: listing.consumer_version.number,
            sha: listing.sha,
            created_at: listing.publication.created_at,
        })
        .collect())
}
