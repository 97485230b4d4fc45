//! The matrix's reads: what can-i-deploy needs, as a few indexed lookups whose cost does not grow
//! with old versions, old publications or old verifications.
//!
//! Each function names the index it relies on. The indexes come from the migrations:
//! `versions_pacticipant_id_id_idx` (pacticipant_id, id) (migration 2026-12-04-010100),
//! `versions_pacticipant_id_number_key`, `version_heads_pacticipant_scope_key`,
//! `tags_name_idx`, `branches_pacticipant_id_name_key`, `branch_versions_branch_id_version_id_key`,
//! `publications_consumer_version_id_provider_id_revision_key`,
//! `pact_heads_provider_scope_consumer_key`, `pact_heads_consumer_id_idx`,
//! `verifications_content_id_provider_version_id_idx`,
//! `verifications_provider_id_content_id_idx`, `deployed_versions_environment_current_idx`,
//! `released_versions_environment_current_idx`, `deployed_versions_version_id_idx` and
//! `released_versions_version_id_environment_id_key`.

use std::collections::HashSet;

use diesel::prelude::*;

use crate::storage::models::{
    EnvironmentRow, PacticipantRow, PublicationRow, VerificationRow, VersionRow,
};
use crate::storage::schema::{
    branch_versions, branches, contents, deployed_versions, environments, pact_heads, pacticipants,
    publications, released_versions, tags, verifications, version_heads, versions,
};
use crate::storage::{AnyConnection, StorageResult};

/// The scope of `pact_heads` rows that hold the newest publication of each integration.
const LATEST_SCOPE: &str = "latest";

/// The head version of a pacticipant's branch (`scope = "branch"`) or tag (`scope = "tag"`),
/// as `version_heads` keeps it. Index: `version_heads_pacticipant_scope_key`.
pub fn find_head_version(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: &str,
    name: &str,
) -> StorageResult<Option<VersionRow>> {
    Ok(version_heads::table
        .inner_join(versions::table)
        .filter(version_heads::pacticipant_id.eq(pacticipant_id))
        .filter(version_heads::scope.eq(scope))
        .filter(version_heads::scope_name.eq(name))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Up to `limit` versions of a pacticipant carrying `tag`, newest first. Index: `tags_name_idx`,
/// then the version's primary key.
pub fn list_tagged_versions(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    tag: &str,
    limit: i64,
) -> StorageResult<Vec<VersionRow>> {
    Ok(versions::table
        .inner_join(tags::table)
        .filter(tags::name.eq(tag))
        .filter(versions::pacticipant_id.eq(pacticipant_id))
        .order(versions::id.desc())
        .limit(limit)
        .select(VersionRow::as_select())
        .load(conn)?)
}

/// Up to `limit` versions on a pacticipant's branch, newest first, for a `branch` selector
/// without `latest` (the matrix page). Indexes: `branches_pacticipant_id_name_key`, then
/// `branch_versions_branch_id_version_id_key`; the branch's memberships are read before the
/// cut at `limit` (a `latest` branch selector reads `version_heads` instead).
pub fn list_branch_versions(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    branch: &str,
    limit: i64,
) -> StorageResult<Vec<VersionRow>> {
    Ok(versions::table
        .inner_join(branch_versions::table.inner_join(branches::table))
        .filter(branches::pacticipant_id.eq(pacticipant_id))
        .filter(branches::name.eq(branch))
        .order(versions::id.desc())
        .limit(limit)
        .select(VersionRow::as_select())
        .load(conn)?)
}

/// A version currently in an environment, and how it got there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInEnvironment {
    /// The version.
    pub version: VersionRow,
    /// `Some(instance)` when deployed (the instance may be absent); `None` when released.
    pub deployed_as: Option<Option<String>>,
}

/// The versions of the given pacticipants currently deployed to or supported in an environment
/// (each entry's version names its pacticipant), deployments first, each in the order they
/// happened. Two queries whatever the number of pacticipants. Indexes:
/// `deployed_versions_environment_current_idx` (environment_id, currently_deployed,
/// pacticipant_id) and `released_versions_environment_current_idx`.
pub fn list_versions_in_environment(
    conn: &mut AnyConnection,
    environment_id: i64,
    pacticipant_ids: &[i64],
) -> StorageResult<Vec<VersionInEnvironment>> {
    if pacticipant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let deployed: Vec<(VersionRow, Option<String>)> = deployed_versions::table
        .inner_join(versions::table)
        .filter(deployed_versions::environment_id.eq(environment_id))
        .filter(deployed_versions::currently_deployed.eq(true))
        .filter(deployed_versions::pacticipant_id.eq_any(pacticipant_ids))
        .order(deployed_versions::id.asc())
        .select((
            VersionRow::as_select(),
            deployed_versions::application_instance,
        ))
        .load(conn)?;
    let released: Vec<VersionRow> = released_versions::table
        .inner_join(versions::table)
        .filter(released_versions::environment_id.eq(environment_id))
        .filter(released_versions::currently_supported.eq(true))
        .filter(released_versions::pacticipant_id.eq_any(pacticipant_ids))
        .order(released_versions::id.asc())
        .select(VersionRow::as_select())
        .load(conn)?;
    Ok(deployed
        .into_iter()
        .map(|(version, instance)| VersionInEnvironment {
            version,
            deployed_as: Some(instance),
        })
        .chain(released.into_iter().map(|version| VersionInEnvironment {
            version,
            deployed_as: None,
        }))
        .collect())
}

/// The providers the given consumer versions published pacts for. Index:
/// `publications_consumer_version_id_provider_id_revision_key`.
pub fn list_providers_of_consumer_versions(
    conn: &mut AnyConnection,
    consumer_version_ids: &[i64],
) -> StorageResult<Vec<PacticipantRow>> {
    if consumer_version_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(publications::table
        .inner_join(pacticipants::table.on(pacticipants::id.eq(publications::provider_id)))
        .filter(publications::consumer_version_id.eq_any(consumer_version_ids))
        .select(PacticipantRow::as_select())
        .distinct()
        .load(conn)?)
}

/// The providers a consumer has ever had a pact with: one `pact_heads` row per integration.
/// Index: `pact_heads_consumer_id_idx`.
pub fn list_providers_of_consumer(
    conn: &mut AnyConnection,
    consumer_id: i64,
) -> StorageResult<Vec<PacticipantRow>> {
    Ok(pact_heads::table
        .inner_join(pacticipants::table.on(pacticipants::id.eq(pact_heads::provider_id)))
        .filter(pact_heads::consumer_id.eq(consumer_id))
        .filter(pact_heads::scope.eq(LATEST_SCOPE))
        .select(PacticipantRow::as_select())
        .load(conn)?)
}

/// The consumers that have ever had a pact with a provider: one `pact_heads` row per
/// integration. Index: `pact_heads_provider_scope_consumer_key` (provider_id, scope, …).
pub fn list_consumers_of_provider(
    conn: &mut AnyConnection,
    provider_id: i64,
) -> StorageResult<Vec<PacticipantRow>> {
    Ok(pact_heads::table
        .inner_join(pacticipants::table.on(pacticipants::id.eq(pact_heads::consumer_id)))
        .filter(pact_heads::provider_id.eq(provider_id))
        .filter(pact_heads::scope.eq(LATEST_SCOPE))
        .select(PacticipantRow::as_select())
        .load(conn)?)
}

/// A consumer version's pact with a provider: its newest revision and the content's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactOfVersion {
    /// The newest publication of the (consumer version, provider).
    pub publication: PublicationRow,
    /// The content's hash.
    pub sha: String,
}

/// The pacts the given consumer versions published for any of the given providers, the newest
/// revision of each (consumer version, provider): one query for every integration of a
/// question. Index: `publications_consumer_version_id_provider_id_revision_key`; the rows read
/// are the revisions of these versions only.
pub fn list_pacts_of_consumer_versions(
    conn: &mut AnyConnection,
    consumer_version_ids: &[i64],
    provider_ids: &[i64],
) -> StorageResult<Vec<PactOfVersion>> {
    if consumer_version_ids.is_empty() || provider_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(PublicationRow, String)> = publications::table
        .inner_join(contents::table)
        .filter(publications::consumer_version_id.eq_any(consumer_version_ids))
        .filter(publications::provider_id.eq_any(provider_ids))
        .order((
            publications::consumer_version_id.asc(),
            publications::provider_id.asc(),
            publications::revision.desc(),
        ))
        .select((PublicationRow::as_select(), contents::sha))
        .load(conn)?;
    Ok(newest_revision_per_version(rows))
}

/// The newest `limit` pacts of an integration (newest consumer versions first), for a selector
/// that names only the consumer (the matrix page; can-i-deploy never asks this). Index:
/// `publications_provider_id_idx`; this one reads the provider's publications before cutting
/// at `limit`, so it grows with that history, which is why can-i-deploy does not use it.
pub fn list_recent_pacts_of_integration(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    limit: i64,
) -> StorageResult<Vec<PactOfVersion>> {
    let rows: Vec<(PublicationRow, String)> = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(publications::provider_id.eq(provider_id))
        .filter(versions::pacticipant_id.eq(consumer_id))
        .order((
            publications::consumer_version_id.desc(),
            publications::revision.desc(),
        ))
        .limit(limit)
        .select((PublicationRow::as_select(), contents::sha))
        .load(conn)?;
    Ok(newest_revision_per_version(rows))
}

/// The first row of each (consumer version, provider) in `rows`, which come newest revision
/// first within each.
fn newest_revision_per_version(rows: Vec<(PublicationRow, String)>) -> Vec<PactOfVersion> {
    let mut seen = HashSet::new();
    rows.into_iter()
        .filter(|(publication, _)| {
            seen.insert((publication.consumer_version_id, publication.provider_id))
        })
        .map(|(publication, sha)| PactOfVersion { publication, sha })
        .collect()
}

/// The latest verification of each of the given contents by each of the given provider
/// versions (which imply the provider), per consumer: one query for every integration of a
/// question. Index: `verifications_content_id_provider_version_id_idx`; the rows read are the
/// results of these contents by these versions only.
pub fn list_latest_verifications_by_versions(
    conn: &mut AnyConnection,
    content_ids: &[i64],
    provider_version_ids: &[i64],
) -> StorageResult<Vec<VerificationRow>> {
    if content_ids.is_empty() || provider_version_ids.is_empty() {
        return Ok(Vec::new());
    }
    // No provider filter: the provider version implies the provider, and with one the
    // planner may prefer `verifications_provider_id_content_id_idx`, which reads every result
    // of the content instead of those of the selected versions (SQLite does, checked with
    // EXPLAIN QUERY PLAN).
    let rows: Vec<VerificationRow> = verifications::table
        .filter(verifications::content_id.eq_any(content_ids))
        .filter(verifications::provider_version_id.eq_any(provider_version_ids))
        .order(verifications::id.desc())
        .select(VerificationRow::as_select())
        .load(conn)?;
    Ok(latest_per_provider_version(rows))
}

/// The latest verification of a content by each of the newest provider versions that verified
/// it, at most `limit` results read, for a selector that names only the provider (the matrix
/// page). Index: `verifications_provider_id_content_id_idx`, bounded by `limit`.
pub fn list_recent_verifications_of_content(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    content_id: i64,
    limit: i64,
) -> StorageResult<Vec<VerificationRow>> {
    let rows: Vec<VerificationRow> = verifications::table
        .filter(verifications::provider_id.eq(provider_id))
        .filter(verifications::content_id.eq(content_id))
        .filter(verifications::consumer_id.eq(consumer_id))
        .order(verifications::id.desc())
        .limit(limit)
        .select(VerificationRow::as_select())
        .load(conn)?;
    Ok(latest_per_provider_version(rows))
}

/// The newest row of each (consumer, content, provider version) in `rows_newest_first`.
fn latest_per_provider_version(rows_newest_first: Vec<VerificationRow>) -> Vec<VerificationRow> {
    let mut seen = HashSet::new();
    rows_newest_first
        .into_iter()
        .filter(|row| seen.insert((row.consumer_id, row.content_id, row.provider_version_id)))
        .collect()
}

/// The branch names of each of `version_ids`, as `(version id, branch name)` in branch order.
/// One query whatever the number of versions. Index: `branch_versions_version_id_idx`.
pub fn list_branch_names_of_versions(
    conn: &mut AnyConnection,
    version_ids: &[i64],
) -> StorageResult<Vec<(i64, String)>> {
    Ok(branch_versions::table
        .inner_join(branches::table)
        .filter(branch_versions::version_id.eq_any(version_ids))
        .order(branches::id.asc())
        .select((branch_versions::version_id, branches::name))
        .load(conn)?)
}

/// The tag names of each of `version_ids`, as `(version id, tag name)` in tagging order. One
/// query whatever the number of versions. Index: `tags_version_id_name_key`.
pub fn list_tag_names_of_versions(
    conn: &mut AnyConnection,
    version_ids: &[i64],
) -> StorageResult<Vec<(i64, String)>> {
    Ok(tags::table
        .filter(tags::version_id.eq_any(version_ids))
        .order(tags::id.asc())
        .select((tags::version_id, tags::name))
        .load(conn)?)
}

/// The environments each of `version_ids` is currently deployed or released in, as
/// `(version id, environment)`, each environment once per version, in the order the version
/// went there. Two queries whatever the number of versions. Indexes:
/// `deployed_versions_version_id_idx`, `released_versions_version_id_environment_id_key`.
pub fn list_current_environments_of_versions(
    conn: &mut AnyConnection,
    version_ids: &[i64],
) -> StorageResult<Vec<(i64, EnvironmentRow)>> {
    let mut found: Vec<(i64, EnvironmentRow, String)> = deployed_versions::table
        .inner_join(environments::table)
        .filter(deployed_versions::version_id.eq_any(version_ids))
        .filter(deployed_versions::currently_deployed.eq(true))
        .select((
            deployed_versions::version_id,
            EnvironmentRow::as_select(),
            deployed_versions::created_at,
        ))
        .load(conn)?;
    let released: Vec<(i64, EnvironmentRow, String)> = released_versions::table
        .inner_join(environments::table)
        .filter(released_versions::version_id.eq_any(version_ids))
        .filter(released_versions::currently_supported.eq(true))
        .select((
            released_versions::version_id,
            EnvironmentRow::as_select(),
            released_versions::created_at,
        ))
        .load(conn)?;
    found.extend(released);
    found.sort_by(|a, b| a.2.cmp(&b.2));
    let mut seen = HashSet::new();
    found.retain(|(version_id, environment, _)| seen.insert((*version_id, environment.id)));
    Ok(found
        .into_iter()
        .map(|(version_id, environment, _)| (version_id, environment))
        .collect())
}
