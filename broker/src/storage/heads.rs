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
//! scope from history. Nothing outside this module writes the two tables.

use diesel::dsl::max;
use diesel::prelude::*;

use crate::storage::models::{PactHeadRow, PublicationRow, VersionHeadRow};
use crate::storage::schema::{
    branch_versions, branches, pact_heads, pacticipants, publications, tags, version_heads,
    versions,
};
use crate::storage::{AnyConnection, StorageResult, now};

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
    fn scope_name(self, name: &str) -> &str {
        match self {
            Self::Latest => "",
            Self::Branch | Self::Tag => name,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reads.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Maintenance, called by the storage functions that write publications, branches and tags.
// ---------------------------------------------------------------------------------------------

/// After a publication (any revision) was inserted: moves the integration's `latest` head and
/// its heads on the version's branches and tags to it, unless a newer version holds them.
pub(crate) fn on_publication_inserted(
    conn: &mut AnyConnection,
    publication: &PublicationRow,
) -> StorageResult<()> {
    let consumer_id: i64 = versions::table
        .find(publication.consumer_version_id)
        .select(versions::pacticipant_id)
        .first(conn)?;
    let target = PactTarget {
        provider_id: publication.provider_id,
        consumer_id,
        consumer_version_id: publication.consumer_version_id,
        publication_id: publication.id,
        content_id: publication.content_id,
    };
    advance_pact_head(conn, &target, HeadScope::Latest, "")?;
    for branch in branch_names_of_version(conn, publication.consumer_version_id)? {
        advance_pact_head(conn, &target, HeadScope::Branch, &branch)?;
    }
    for tag in tag_names_of_version(conn, publication.consumer_version_id)? {
        advance_pact_head(conn, &target, HeadScope::Tag, &tag)?;
    }
    Ok(())
}

/// After a version joined a branch or gained a tag called `name`: moves the pacticipant's
/// version head of that scope, and the pact heads of that scope for every provider the version
/// has a publication for, to the version, unless a newer version holds them.
pub(crate) fn on_version_scoped(
    conn: &mut AnyConnection,
    version_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    let pacticipant_id: i64 = versions::table
        .find(version_id)
        .select(versions::pacticipant_id)
        .first(conn)?;
    advance_version_head(conn, pacticipant_id, scope, name, version_id)?;
    for publication in newest_revisions_of_version(conn, version_id)? {
        let target = PactTarget {
            provider_id: publication.provider_id,
            consumer_id: pacticipant_id,
            consumer_version_id: version_id,
            publication_id: publication.id,
            content_id: publication.content_id,
        };
        advance_pact_head(conn, &target, scope, name)?;
    }
    Ok(())
}

/// After a tag was removed from one version of `pacticipant_id`: recomputes that tag's version
/// head and pact heads of the pacticipant from the versions still carrying it.
pub(crate) fn on_tag_removed(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<()> {
    recompute_version_head(conn, pacticipant_id, HeadScope::Tag, name)?;
    recompute_pact_heads(conn, pacticipant_id, HeadScope::Tag, name)
}

/// Before a branch of `pacticipant_id` is deleted: removes its version head and pact heads
/// (nothing is left to recompute them from).
pub(crate) fn on_branch_deleted(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<()> {
    delete_version_heads_of(conn, pacticipant_id, HeadScope::Branch, name)?;
    delete_pact_heads_of_consumer(conn, pacticipant_id, HeadScope::Branch, name)
}

/// The scopes whose heads point at a version, removed so that the version can be deleted; hand
/// them to [`recompute_scopes`] once the version and its rows are gone.
pub(crate) fn detach_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<(i64, HeadScope, String)>> {
    let version_scopes: Vec<(i64, String, String)> = version_heads::table
        .filter(version_heads::version_id.eq(version_id))
        .select((
            version_heads::pacticipant_id,
            version_heads::scope,
            version_heads::scope_name,
        ))
        .load(conn)?;
    let pact_scopes: Vec<(i64, String, String)> = pact_heads::table
        .filter(pact_heads::consumer_version_id.eq(version_id))
        .select((
            pact_heads::consumer_id,
            pact_heads::scope,
            pact_heads::scope_name,
        ))
        .load(conn)?;
    diesel::delete(version_heads::table.filter(version_heads::version_id.eq(version_id)))
        .execute(conn)?;
    diesel::delete(pact_heads::table.filter(pact_heads::consumer_version_id.eq(version_id)))
        .execute(conn)?;
    let mut scopes: Vec<(i64, HeadScope, String)> = version_scopes
        .into_iter()
        .chain(pact_scopes)
        .filter_map(|(pacticipant_id, scope, name)| {
            parse_scope(&scope).map(|scope| (pacticipant_id, scope, name))
        })
        .collect();
    scopes.sort_by(|a, b| (a.0, a.1.as_str(), &a.2).cmp(&(b.0, b.1.as_str(), &b.2)));
    scopes.dedup();
    Ok(scopes)
}

/// Recomputes the version heads (branch and tag scopes) and pact heads of each scope from
/// history, after [`detach_version`] and the deletion of the version.
pub(crate) fn recompute_scopes(
    conn: &mut AnyConnection,
    scopes: &[(i64, HeadScope, String)],
) -> StorageResult<()> {
    for (pacticipant_id, scope, name) in scopes {
        if *scope != HeadScope::Latest {
            recompute_version_head(conn, *pacticipant_id, *scope, name)?;
        }
        recompute_pact_heads(conn, *pacticipant_id, *scope, name)?;
    }
    Ok(())
}

/// Before a pacticipant is deleted: removes every head it appears in, as pacticipant, consumer
/// or provider.
pub(crate) fn on_pacticipant_deleted(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
) -> StorageResult<()> {
    diesel::delete(version_heads::table.filter(version_heads::pacticipant_id.eq(pacticipant_id)))
        .execute(conn)?;
    diesel::delete(
        pact_heads::table.filter(
            pact_heads::consumer_id
                .eq(pacticipant_id)
                .or(pact_heads::provider_id.eq(pacticipant_id)),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// Where a pact head should point.
struct PactTarget {
    provider_id: i64,
    consumer_id: i64,
    consumer_version_id: i64,
    publication_id: i64,
    content_id: i64,
}

/// Moves the head to `target` when it points at the same or an older version, or inserts it
/// when there is none. A concurrent writer inserting the same head makes the insert fail on the
/// unique key, which [`crate::storage::Db::write`] retries as a whole transaction; the update's
/// condition is re-checked on the locked row, so a head never moves backwards.
fn advance_pact_head(
    conn: &mut AnyConnection,
    target: &PactTarget,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    let scope_name = scope.scope_name(name);
    let timestamp = now();
    let key = pact_heads::table
        .filter(pact_heads::provider_id.eq(target.provider_id))
        .filter(pact_heads::scope.eq(scope.as_str()))
        .filter(pact_heads::scope_name.eq(scope_name))
        .filter(pact_heads::consumer_id.eq(target.consumer_id));
    let moved = diesel::update(
        key.filter(pact_heads::consumer_version_id.le(target.consumer_version_id))
            .filter(pact_heads::publication_id.ne(target.publication_id)),
    )
    .set((
        pact_heads::consumer_version_id.eq(target.consumer_version_id),
        pact_heads::publication_id.eq(target.publication_id),
        pact_heads::content_id.eq(target.content_id),
        pact_heads::updated_at.eq(&timestamp),
    ))
    .execute(conn)?;
    if moved > 0 {
        return Ok(());
    }
    let exists: i64 = key.count().get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    diesel::insert_into(pact_heads::table)
        .values((
            pact_heads::provider_id.eq(target.provider_id),
            pact_heads::consumer_id.eq(target.consumer_id),
            pact_heads::scope.eq(scope.as_str()),
            pact_heads::scope_name.eq(scope_name),
            pact_heads::consumer_version_id.eq(target.consumer_version_id),
            pact_heads::publication_id.eq(target.publication_id),
            pact_heads::content_id.eq(target.content_id),
            pact_heads::updated_at.eq(&timestamp),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the version head to `version_id` when it points at an older version, or inserts it
/// when there is none (concurrency as for [`advance_pact_head`]).
fn advance_version_head(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: HeadScope,
    name: &str,
    version_id: i64,
) -> StorageResult<()> {
    let timestamp = now();
    let key = version_heads::table
        .filter(version_heads::pacticipant_id.eq(pacticipant_id))
        .filter(version_heads::scope.eq(scope.as_str()))
        .filter(version_heads::scope_name.eq(name));
    let moved = diesel::update(key.filter(version_heads::version_id.lt(version_id)))
        .set((
            version_heads::version_id.eq(version_id),
            version_heads::updated_at.eq(&timestamp),
        ))
        .execute(conn)?;
    if moved > 0 {
        return Ok(());
    }
    let exists: i64 = key.count().get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    diesel::insert_into(version_heads::table)
        .values((
            version_heads::pacticipant_id.eq(pacticipant_id),
            version_heads::scope.eq(scope.as_str()),
            version_heads::scope_name.eq(name),
            version_heads::version_id.eq(version_id),
            version_heads::updated_at.eq(&timestamp),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the version head of one scope with the newest version still in it (or none).
fn recompute_version_head(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    delete_version_heads_of(conn, pacticipant_id, scope, name)?;
    let newest: Option<i64> = match scope {
        HeadScope::Latest => None,
        HeadScope::Branch => branch_versions::table
            .inner_join(branches::table)
            .filter(branches::pacticipant_id.eq(pacticipant_id))
            .filter(branches::name.eq(name))
            .select(max(branch_versions::version_id))
            .first(conn)?,
        HeadScope::Tag => tags::table
            .inner_join(versions::table)
            .filter(versions::pacticipant_id.eq(pacticipant_id))
            .filter(tags::name.eq(name))
            .select(max(versions::id))
            .first(conn)?,
    };
    if let Some(version_id) = newest {
        advance_version_head(conn, pacticipant_id, scope, name, version_id)?;
    }
    Ok(())
}

/// Replaces the pact heads of one consumer scope, for every provider, with the newest
/// publications still in it.
fn recompute_pact_heads(
    conn: &mut AnyConnection,
    consumer_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    delete_pact_heads_of_consumer(conn, consumer_id, scope, name)?;
    let mut query = publications::table
        .inner_join(versions::table)
        .filter(versions::pacticipant_id.eq(consumer_id))
        .group_by(publications::provider_id)
        .select((publications::provider_id, max(versions::id)))
        .into_boxed();
    query = match scope {
        HeadScope::Latest => query,
        HeadScope::Branch => query.filter(
            versions::id.eq_any(
                branch_versions::table
                    .inner_join(branches::table)
                    .filter(branches::pacticipant_id.eq(consumer_id))
                    .filter(branches::name.eq(name.to_owned()))
                    .select(branch_versions::version_id),
            ),
        ),
        HeadScope::Tag => query.filter(
            versions::id.eq_any(
                tags::table
                    .filter(tags::name.eq(name.to_owned()))
                    .select(tags::version_id),
            ),
        ),
    };
    let newest: Vec<(i64, Option<i64>)> = query.load(conn)?;
    for (provider_id, version_id) in newest {
        let Some(version_id) = version_id else {
            continue;
        };
        let publication: PublicationRow = publications::table
            .filter(publications::consumer_version_id.eq(version_id))
            .filter(publications::provider_id.eq(provider_id))
            .order(publications::revision.desc())
            .select(PublicationRow::as_select())
            .first(conn)?;
        let target = PactTarget {
            provider_id,
            consumer_id,
            consumer_version_id: version_id,
            publication_id: publication.id,
            content_id: publication.content_id,
        };
        advance_pact_head(conn, &target, scope, name)?;
    }
    Ok(())
}

fn delete_version_heads_of(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    diesel::delete(
        version_heads::table
            .filter(version_heads::pacticipant_id.eq(pacticipant_id))
            .filter(version_heads::scope.eq(scope.as_str()))
            .filter(version_heads::scope_name.eq(scope.scope_name(name))),
    )
    .execute(conn)?;
    Ok(())
}

fn delete_pact_heads_of_consumer(
    conn: &mut AnyConnection,
    consumer_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    diesel::delete(
        pact_heads::table
            .filter(pact_heads::consumer_id.eq(consumer_id))
            .filter(pact_heads::scope.eq(scope.as_str()))
            .filter(pact_heads::scope_name.eq(scope.scope_name(name))),
    )
    .execute(conn)?;
    Ok(())
}

fn parse_scope(text: &str) -> Option<HeadScope> {
    match text {
        "latest" => Some(HeadScope::Latest),
        "branch" => Some(HeadScope::Branch),
        "tag" => Some(HeadScope::Tag),
        _ => None,
    }
}

/// The newest revision of each provider's publication by a version (a handful of rows).
fn newest_revisions_of_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<PublicationRow>> {
    let rows: Vec<PublicationRow> = publications::table
        .filter(publications::consumer_version_id.eq(version_id))
        .order((
            publications::provider_id.asc(),
            publications::revision.desc(),
        ))
        .select(PublicationRow::as_select())
        .load(conn)?;
    let mut newest: Vec<PublicationRow> = Vec::with_capacity(rows.len());
    for row in rows {
        if newest
            .last()
            .is_none_or(|last| last.provider_id != row.provider_id)
        {
            newest.push(row);
        }
    }
    Ok(newest)
}

fn branch_names_of_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<String>> {
    Ok(branches::table
        .inner_join(branch_versions::table)
        .filter(branch_versions::version_id.eq(version_id))
        .select(branches::name)
        .load(conn)?)
}

fn tag_names_of_version(conn: &mut AnyConnection, version_id: i64) -> StorageResult<Vec<String>> {
    Ok(tags::table
        .filter(tags::version_id.eq(version_id))
        .select(tags::name)
        .load(conn)?)
}
