//! The reads behind pacts for verification that the heads do not answer: versions carrying a
//! tag, the currently deployed and supported versions of the consumers, the pacts of a handful
//! of versions, the WIP candidates (branch and tag heads whose head version has a pact), and
//! what the provider's branch and tags are (when they were created).
//!
//! Each query is bounded by what it selects (the consumers of one provider, the named scopes,
//! the current deployments), never by the length of history; the indexes each relies on are
//! named in its comment.

use diesel::prelude::*;

use crate::storage::schema::{
    branch_versions, branches, contents, deployed_versions, environments, pact_heads, publications,
    tags, version_heads, versions,
};
use crate::storage::{AnyConnection, StorageResult};

/// A consumer version in a named scope (a tag or an environment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedVersionRow {
    /// The consumer.
    pub pacticipant_id: i64,
    /// The tag or environment name.
    pub name: String,
    /// The version.
    pub version_id: i64,
}

/// The provider's pact of a consumer version (its newest revision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionPactRow {
    /// The consumer version.
    pub version_id: i64,
    /// The content.
    pub content_id: i64,
    /// The content hash.
    pub sha: String,
    /// When the revision was published.
    pub published_at: String,
}

/// A branch or tag head of a consumer whose head version has a pact with the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WipCandidateRow {
    /// The consumer.
    pub consumer_id: i64,
    /// `branch` or `tag`.
    pub scope: String,
    /// The branch or tag name.
    pub scope_name: String,
    /// The head version.
    pub version_id: i64,
}

/// Every version of `consumer_ids` carrying `tag` (index `tags_name_idx`).
pub fn list_tagged_versions(
    conn: &mut AnyConnection,
    consumer_ids: &[i64],
    tag: &str,
) -> StorageResult<Vec<ScopedVersionRow>> {
    let rows: Vec<(i64, i64)> = tags::table
        .inner_join(versions::table)
        .filter(tags::name.eq(tag))
        .filter(versions::pacticipant_id.eq_any(consumer_ids))
        .select((versions::pacticipant_id, versions::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(pacticipant_id, version_id)| ScopedVersionRow {
            pacticipant_id,
            name: tag.to_owned(),
            version_id,
        })
        .collect())
}

/// The versions of `consumer_ids` currently deployed, with their environment's name
/// (index `deployed_versions_pacticipant_id_currently_deployed_idx`).
pub fn list_currently_deployed(
    conn: &mut AnyConnection,
    consumer_ids: &[i64],
) -> StorageResult<Vec<ScopedVersionRow>> {
    let rows: Vec<(i64, String, i64)> = deployed_versions::table
        .inner_join(environments::table)
        .filter(deployed_versions::pacticipant_id.eq_any(consumer_ids))
        .filter(deployed_versions::currently_deployed.eq(true))
        .select((
            deployed_versions::pacticipant_id,
            environments::name,
            deployed_versions::version_id,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(scoped).collect())
}

/// The versions of `consumer_ids` released and still supported, with their environment's name
/// (index `released_versions_pacticipant_id_currently_supported_idx`).
pub fn list_currently_supported(
    conn: &mut AnyConnection,
    consumer_ids: &[i64],
) -> StorageResult<Vec<ScopedVersionRow>> {
    use crate::storage::schema::released_versions;
    let rows: Vec<(i64, String, i64)> = released_versions::table
        .inner_join(environments::table)
        .filter(released_versions::pacticipant_id.eq_any(consumer_ids))
        .filter(released_versions::currently_supported.eq(true))
        .select((
            released_versions::pacticipant_id,
            environments::name,
            released_versions::version_id,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(scoped).collect())
}

fn scoped((pacticipant_id, name, version_id): (i64, String, i64)) -> ScopedVersionRow {
    ScopedVersionRow {
        pacticipant_id,
        name,
        version_id,
    }
}

/// Which of `names` are environments (unique key `environments_name_key`).
pub fn list_environment_names(
    conn: &mut AnyConnection,
    names: &[&str],
) -> StorageResult<Vec<String>> {
    Ok(environments::table
        .filter(environments::name.eq_any(names))
        .select(environments::name)
        .load(conn)?)
}

/// The provider's pact of each of `version_ids` that has one, newest revision (unique key
/// `publications_consumer_version_id_provider_id_revision_key`).
pub fn list_pacts_of_versions(
    conn: &mut AnyConnection,
    provider_id: i64,
    version_ids: &[i64],
) -> StorageResult<Vec<VersionPactRow>> {
    if version_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, i64, String, String)> = publications::table
        .inner_join(contents::table)
        .filter(publications::provider_id.eq(provider_id))
        .filter(publications::consumer_version_id.eq_any(version_ids))
        .order((
            publications::consumer_version_id.asc(),
            publications::revision.desc(),
        ))
        .select((
            publications::consumer_version_id,
            publications::revision,
            contents::id,
            contents::sha,
            publications::created_at,
        ))
        .load(conn)?;
    let mut newest: Vec<VersionPactRow> = Vec::new();
    for (version_id, _, content_id, sha, published_at) in rows {
        if newest
            .last()
            .is_some_and(|last| last.version_id == version_id)
        {
            continue;
        }
        newest.push(VersionPactRow {
            version_id,
            content_id,
            sha,
            published_at,
        });
    }
    Ok(newest)
}

/// The provider's branch and tag pact heads whose publication was made at or after `since` and
/// whose version is still the head of its branch or tag (`pact_heads` by provider and scope,
/// `version_heads` by its unique key).
pub fn list_wip_candidates(
    conn: &mut AnyConnection,
    provider_id: i64,
    since: &str,
) -> StorageResult<Vec<WipCandidateRow>> {
    let rows: Vec<(i64, String, String, i64)> = pact_heads::table
        .inner_join(publications::table)
        .inner_join(
            version_heads::table.on(version_heads::pacticipant_id
                .eq(pact_heads::consumer_id)
                .and(version_heads::scope.eq(pact_heads::scope))
                .and(version_heads::scope_name.eq(pact_heads::scope_name))
                .and(version_heads::version_id.eq(pact_heads::consumer_version_id))),
        )
        .filter(pact_heads::provider_id.eq(provider_id))
        .filter(pact_heads::scope.eq_any(["branch", "tag"]))
        .filter(publications::created_at.ge(since))
        .select((
            pact_heads::consumer_id,
            pact_heads::scope,
            pact_heads::scope_name,
            pact_heads::consumer_version_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(consumer_id, scope, scope_name, version_id)| WipCandidateRow {
                consumer_id,
                scope,
                scope_name,
                version_id,
            },
        )
        .collect())
}

/// When the provider's branch was created, and when its first version was created (unique keys
/// `branches_pacticipant_id_name_key` and `branch_versions_branch_id_version_id_key`).
pub fn find_branch_times(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    branch: &str,
) -> StorageResult<Option<(String, Option<String>)>> {
    let Some((branch_id, created_at)) = branches::table
        .filter(branches::pacticipant_id.eq(pacticipant_id))
        .filter(branches::name.eq(branch))
        .select((branches::id, branches::created_at))
        .first::<(i64, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let first_version: Option<String> = branch_versions::table
        .inner_join(versions::table)
        .filter(branch_versions::branch_id.eq(branch_id))
        .order(branch_versions::version_id.asc())
        .select(versions::created_at)
        .first(conn)
        .optional()?;
    Ok(Some((created_at, first_version)))
}

/// When each of `tags` was first put on a version of the pacticipant (`tags_name_idx`).
pub fn list_tag_first_uses(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    tag_names: &[String],
) -> StorageResult<Vec<(String, String)>> {
    let mut first_uses = Vec::new();
    for name in tag_names {
        let first: Option<String> = tags::table
            .inner_join(versions::table)
            .filter(tags::name.eq(name))
            .filter(versions::pacticipant_id.eq(pacticipant_id))
            .select(diesel::dsl::min(tags::created_at))
            .first(conn)?;
        if let Some(first) = first {
            first_uses.push((name.clone(), first));
        }
    }
    Ok(first_uses)
}
