//! Content-addressed contract storage: one row per content hash, never changed once written.

use diesel::prelude::*;

use crate::storage::models::ContentRow;
use crate::storage::schema::contents;
use crate::storage::{AnyConnection, StorageResult, now};

/// The content with this hash.
pub fn find_content_by_sha(
    conn: &mut AnyConnection,
    sha: &str,
) -> StorageResult<Option<ContentRow>> {
    Ok(contents::table
        .filter(contents::sha.eq(sha))
        .select(ContentRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores `content` under `sha` unless a content with that hash exists; returns the stored row
/// (the first publication's text wins).
pub fn insert_content_if_absent(
    conn: &mut AnyConnection,
    sha: &str,
    content: &str,
) -> StorageResult<ContentRow> {
    if let Some(existing) = find_content_by_sha(conn, sha)? {
        return Ok(existing);
    }
    diesel::insert_into(contents::table)
        .values((
            contents::sha.eq(sha),
            contents::content.eq(content),
            contents::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(find_content_by_sha(conn, sha)?.ok_or(diesel::result::Error::NotFound)?)
}

/// The id of the content with this hash, without reading the content. Index: `contents_sha_key`.
pub fn find_content_id_by_sha(conn: &mut AnyConnection, sha: &str) -> StorageResult<Option<i64>> {
    Ok(contents::table
        .filter(contents::sha.eq(sha))
        .select(contents::id)
        .first(conn)
        .optional()?)
}

/// The hash of the content `id`, without reading the content.
pub fn find_content_sha_by_id(conn: &mut AnyConnection, id: i64) -> StorageResult<Option<String>> {
    Ok(contents::table
        .filter(contents::id.eq(id))
        .select(contents::sha)
        .first(conn)
        .optional()?)
}
