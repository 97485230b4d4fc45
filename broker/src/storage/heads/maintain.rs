//! Moving the heads forward inside the writer's transaction after a publication, a branch
//! membership or a tag (never backwards). Called only by the storage functions that make those
//! writes; the removals are in [`super::recompute`].

use diesel::prelude::*;

use crate::storage::heads::HeadScope;
use crate::storage::models::PublicationRow;
use crate::storage::schema::{
    branch_versions, branches, pact_heads, publications, tags, version_heads, versions,
};
use crate::storage::{AnyConnection, StorageResult, now};

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

/// Where a pact head should point.
pub(super) struct PactTarget {
    pub(super) provider_id: i64,
    pub(super) consumer_id: i64,
    pub(super) consumer_version_id: i64,
    pub(super) publication_id: i64,
    pub(super) content_id: i64,
}

/// Moves the head to `target` when it points at the same or an older version, or inserts it
/// when there is none. A concurrent writer inserting the same head makes the insert fail on the
/// unique key, which [`crate::storage::Db::write`] retries as a whole transaction; the update's
/// condition is re-checked on the locked row, so a head never moves backwards.
pub(super) fn advance_pact_head(
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
pub(super) fn advance_version_head(
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
