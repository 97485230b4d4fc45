//! Heads: what every "latest" answer reads, kept in `pact_heads` and `version_heads` so that it
//! is one indexed row however long the history grows.
//!
//! A pact head is the newest consumer version (highest version id, which is creation order) in a
//! scope that has a publication for a provider, with that version's newest revision: per
//! integration overall ([`HeadScope::Latest`]), per consumer branch and per consumer tag. A
//! version head is the newest version of a pacticipant on a branch or with a tag, with or without
//! a pact.
//!
//! The heads are maintained by the storage functions that write what they summarise, inside the
//! caller's transaction: inserting a publication, adding a version to a branch and creating a tag
//! move heads forward (never backwards: an older version gaining a tag leaves a newer head in
//! place); the rare removals (a tag, a branch, a version, a pacticipant) recompute the affected
//! scope from history ([`recompute`]). Nothing outside this module writes the two tables.

mod maintain;
mod recompute;

use diesel::prelude::*;

pub(crate) use maintain::{on_publication_inserted, on_version_scoped};
pub(crate) use recompute::{
    detach_version, on_branch_deleted, on_pacticipant_deleted, on_tag_removed, recompute_scopes,
};

use crate::storage::models::{PactHeadRow, VersionHeadRow};
use crate::storage::schema::{pact_heads, pacticipants, version_heads};
use crate::storage::{AnyConnection, StorageResult};

/// Which kind of head: stored as the text `latest`, `branch` or `tag` in the `scope` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadScope {
    /// The newest overall (pact heads only; its scope name is always `""`).
    Latest,
    /// The newest on a branch (scope name: the branch name).
    Branch,
    /// The newest with a tag (scope name: the tag name).
    Tag,
}

impl HeadScope {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Latest => "latest",
            Self::Branch => "branch",
            Self::Tag => "tag",
        }
    }

    /// The stored scope name: `name` for branches and tags, always `""` for [`Self::Latest`].
    pub(crate) fn scope_name(self, name: &str) -> &str {
        match self {
            Self::Latest => "",
            Self::Branch | Self::Tag => name,
        }
    }
}

/// The pact head of the integration (consumer, provider) in a scope (`name` is ignored for
/// [`HeadScope::Latest`]). One row, by the unique key.
pub fn find_pact_head(
    conn: &mut AnyConnection,
    provider_id: i64,
    consumer_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<Option<PactHeadRow>> {
    Ok(pact_heads::table
        .filter(pact_heads::provider_id.eq(provider_id))
        .filter(pact_heads::scope.eq(scope.as_str()))
        .filter(pact_heads::scope_name.eq(scope.scope_name(name)))
        .filter(pact_heads::consumer_id.eq(consumer_id))
        .select(PactHeadRow::as_select())
        .first(conn)
        .optional()?)
}

/// The pact heads of a scope, optionally of one provider and optionally of one scope name (all
/// branch heads of every consumer when `name` is `None`), ordered by provider, scope name and
/// consumer id.
pub fn list_pact_heads(
    conn: &mut AnyConnection,
    provider_id: Option<i64>,
    scope: HeadScope,
    name: Option<&str>,
) -> StorageResult<Vec<PactHeadRow>> {
    let mut query = pact_heads::table
        .filter(pact_heads::scope.eq(scope.as_str()))
        .into_boxed();
    if let Some(provider_id) = provider_id {
        query = query.filter(pact_heads::provider_id.eq(provider_id));
    }
    if let Some(name) = name {
        query = query.filter(pact_heads::scope_name.eq(scope.scope_name(name).to_owned()));
    }
    Ok(query
        .order((
            pact_heads::provider_id.asc(),
            pact_heads::scope_name.asc(),
            pact_heads::consumer_id.asc(),
        ))
        .select(PactHeadRow::as_select())
        .load(conn)?)
}

/// The pact heads of a provider on each consumer's main branch (the branch named by the
/// consumer's `main_branch`), by consumer id.
pub fn list_main_branch_pact_heads(
    conn: &mut AnyConnection,
    provider_id: i64,
) -> StorageResult<Vec<PactHeadRow>> {
    Ok(pact_heads::table
        .inner_join(pacticipants::table.on(pacticipants::id.eq(pact_heads::consumer_id)))
        .filter(pact_heads::provider_id.eq(provider_id))
        .filter(pact_heads::scope.eq(HeadScope::Branch.as_str()))
        .filter(pact_heads::scope_name.eq_any(main_branch_names(conn)?))
        .filter(pacticipants::main_branch.eq(pact_heads::scope_name.nullable()))
        .order(pact_heads::consumer_id.asc())
        .select(PactHeadRow::as_select())
        .load(conn)?)
}

/// The version head of a pacticipant on a branch or with a tag. One row, by the unique key.
/// [`HeadScope::Latest`] has no version heads (the latest version is the highest id).
pub fn find_version_head(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<Option<VersionHeadRow>> {
    Ok(version_heads::table
        .filter(version_heads::pacticipant_id.eq(pacticipant_id))
        .filter(version_heads::scope.eq(scope.as_str()))
        .filter(version_heads::scope_name.eq(scope.scope_name(name)))
        .select(VersionHeadRow::as_select())
        .first(conn)
        .optional()?)
}

/// The version heads of the branch or tag `name` of each of `pacticipant_ids` that has one, in
/// any order (for example the head of `main` of every consumer of a provider).
pub fn list_version_heads_named(
    conn: &mut AnyConnection,
    pacticipant_ids: &[i64],
    scope: HeadScope,
    name: &str,
) -> StorageResult<Vec<VersionHeadRow>> {
    Ok(version_heads::table
        .filter(version_heads::pacticipant_id.eq_any(pacticipant_ids))
        .filter(version_heads::scope.eq(scope.as_str()))
        .filter(version_heads::scope_name.eq(scope.scope_name(name)))
        .select(VersionHeadRow::as_select())
        .load(conn)?)
}

/// Every version head of a pacticipant in a scope (the head of each of its branches, or of each
/// of its tags), by name.
pub fn list_version_heads(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: HeadScope,
) -> StorageResult<Vec<VersionHeadRow>> {
    Ok(version_heads::table
        .filter(version_heads::pacticipant_id.eq(pacticipant_id))
        .filter(version_heads::scope.eq(scope.as_str()))
        .order(version_heads::scope_name.asc())
        .select(VersionHeadRow::as_select())
        .load(conn)?)
}

/// The distinct main branch names of all pacticipants (a handful: `main`, `master`, …). A
/// main-branch head lookup filters on them first, so that it reads the index range of those
/// names instead of every branch head of a provider.
pub(crate) fn main_branch_names(conn: &mut AnyConnection) -> StorageResult<Vec<String>> {
    let names: Vec<Option<String>> = pacticipants::table
        .filter(pacticipants::main_branch.is_not_null())
        .select(pacticipants::main_branch)
        .distinct()
        .load(conn)?;
    Ok(names.into_iter().flatten().collect())
}
