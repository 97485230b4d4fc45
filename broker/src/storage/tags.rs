//! Queries on `tags`.

use diesel::prelude::*;

use crate::storage::heads::{self, HeadScope};
use crate::storage::models::TagRow;
use crate::storage::schema::{tags, versions};
use crate::storage::{AnyConnection, StorageResult, now};

/// The tag `name` on a version.
pub fn find_tag(
    conn: &mut AnyConnection,
    version_id: i64,
    name: &str,
) -> StorageResult<Option<TagRow>> {
    Ok(tags::table
        .filter(tags::version_id.eq(version_id))
        .filter(tags::name.eq(name))
        .select(TagRow::as_select())
        .first(conn)
        .optional()?)
}

/// The tag, created when missing (moving the tag's version and pact heads to the version unless
/// a newer version holds them); `true` if created.
pub fn find_or_insert_tag(
    conn: &mut AnyConnection,
    version_id: i64,
    name: &str,
) -> StorageResult<(TagRow, bool)> {
    if let Some(existing) = find_tag(conn, version_id, name)? {
        return Ok((existing, false));
    }
    diesel::insert_into(tags::table)
        .values((
            tags::version_id.eq(version_id),
            tags::name.eq(name),
            tags::created_at.eq(now()),
        ))
        .execute(conn)?;
    let created = find_tag(conn, version_id, name)?.ok_or(diesel::result::Error::NotFound)?;
    heads::on_version_scoped(conn, version_id, HeadScope::Tag, name)?;
    Ok((created, true))
}

/// Removes the tag (recomputing the tag's heads of the version's pacticipant); `true` if there
/// was one.
pub fn delete_tag(conn: &mut AnyConnection, version_id: i64, name: &str) -> StorageResult<bool> {
    let deleted = diesel::delete(
        tags::table
            .filter(tags::version_id.eq(version_id))
            .filter(tags::name.eq(name)),
    )
    .execute(conn)?;
    if deleted > 0 {
        let pacticipant_id: i64 = versions::table
            .find(version_id)
            .select(versions::pacticipant_id)
            .first(conn)?;
        heads::on_tag_removed(conn, pacticipant_id, name)?;
    }
    Ok(deleted > 0)
}

/// The tags on a version, oldest first.
pub fn list_tags_for_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<TagRow>> {
    Ok(tags::table
        .filter(tags::version_id.eq(version_id))
        .order(tags::id.asc())
        .select(TagRow::as_select())
        .load(conn)?)
}
