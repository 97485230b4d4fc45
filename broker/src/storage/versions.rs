//! Queries on `versions`. "Latest" means most recently created, which is the highest `id`.

use diesel::prelude::*;

use crate::storage::heads::{self, HeadScope};
use crate::storage::models::VersionRow;
use crate::storage::schema::{
    branch_versions, deployed_versions, publications, released_versions, tags, verifications,
    version_heads, versions,
};
use crate::storage::{AnyConnection, StorageResult, now};

/// The version `number` of a pacticipant.
pub fn find_version(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    number: &str,
) -> StorageResult<Option<VersionRow>> {
    Ok(versions::table
        .filter(versions::pacticipant_id.eq(pacticipant_id))
        .filter(versions::number.eq(number))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Versions by id, in any order.
pub fn find_versions_by_ids(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> StorageResult<Vec<VersionRow>> {
    Ok(versions::table
        .filter(versions::id.eq_any(ids))
        .select(VersionRow::as_select())
        .load(conn)?)
}

/// The version, created when missing; `true` if created. A given `build_url` replaces the
/// stored one.
pub fn find_or_insert_version(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    number: &str,
    build_url: Option<&str>,
) -> StorageResult<(VersionRow, bool)> {
    if let Some(existing) = find_version(conn, pacticipant_id, number)? {
        if build_url.is_some() && existing.build_url.as_deref() != build_url {
            diesel::update(versions::table.filter(versions::id.eq(existing.id)))
                .set(versions::build_url.eq(build_url))
                .execute(conn)?;
            return Ok((
                VersionRow {
                    build_url: build_url.map(str::to_owned),
                    ..existing
                },
                false,
            ));
        }
        return Ok((existing, false));
    }
    diesel::insert_into(versions::table)
        .values((
            versions::pacticipant_id.eq(pacticipant_id),
            versions::number.eq(number),
            versions::build_url.eq(build_url),
            versions::created_at.eq(now()),
        ))
        .execute(conn)?;
    let created = versions::table
        .filter(versions::pacticipant_id.eq(pacticipant_id))
        .filter(versions::number.eq(number))
        .select(VersionRow::as_select())
        .first(conn)?;
    Ok((created, true))
}

/// The pacticipant's most recently created version. Index: `versions_pacticipant_id_id_idx`
/// (one index step, however many versions there are).
pub fn find_latest_version(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
) -> StorageResult<Option<VersionRow>> {
    Ok(versions::table
        .filter(versions::pacticipant_id.eq(pacticipant_id))
        .order(versions::id.desc())
        .select(VersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The pacticipant's most recently created version carrying `tag` (its tag version head).
pub fn find_latest_version_with_tag(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    tag: &str,
) -> StorageResult<Option<VersionRow>> {
    Ok(version_heads::table
        .inner_join(versions::table)
        .filter(version_heads::pacticipant_id.eq(pacticipant_id))
        .filter(version_heads::scope.eq(HeadScope::Tag.as_str()))
        .filter(version_heads::scope_name.eq(tag))
        .select(VersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every version of a pacticipant, newest first.
pub fn list_versions(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
) -> StorageResult<Vec<VersionRow>> {
    Ok(versions::table
        .filter(versions::pacticipant_id.eq(pacticipant_id))
        .order(versions::id.desc())
        .select(VersionRow::as_select())
        .load(conn)?)
}

/// Deletes a version with its tags, branch memberships, publications, the verifications it made
/// as a provider version and its deployment and release records, then recomputes every head
/// that pointed at it from the history that is left.
pub fn delete_version(conn: &mut AnyConnection, version_id: i64) -> StorageResult<()> {
    let scopes = heads::detach_version(conn, version_id)?;
    crate::storage::required_verifications::delete_for_version(conn, version_id)?;
    diesel::delete(verifications::table.filter(verifications::provider_version_id.eq(version_id)))
        .execute(conn)?;
    diesel::delete(deployed_versions::table.filter(deployed_versions::version_id.eq(version_id)))
        .execute(conn)?;
    diesel::delete(released_versions::table.filter(released_versions::version_id.eq(version_id)))
        .execute(conn)?;
    diesel::delete(tags::table.filter(tags::version_id.eq(version_id))).execute(conn)?;
    diesel::delete(branch_versions::table.filter(branch_versions::version_id.eq(version_id)))
        .execute(conn)?;
    diesel::delete(publications::table.filter(publications::consumer_version_id.eq(version_id)))
        .execute(conn)?;
    diesel::delete(versions::table.filter(versions::id.eq(version_id))).execute(conn)?;
    heads::recompute_scopes(conn, &scopes)
}
