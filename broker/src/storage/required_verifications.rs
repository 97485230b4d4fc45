//! Queries on `required_verifications`: which provider versions must verify a content, written
//! when the content is published and marked when that version's verification arrives; the
//! watchdog reads the ones still open.

use diesel::prelude::*;

use crate::storage::models::RequiredVerificationRow;
use crate::storage::schema::required_verifications as required;
use crate::storage::{AnyConnection, StorageResult, now};

/// A required verification to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequiredVerification {
    /// The consumer.
    pub consumer_id: i64,
    /// The provider.
    pub provider_id: i64,
    /// The content.
    pub content_id: i64,
    /// The consumer version that published it.
    pub consumer_version_id: i64,
    /// The provider version that must verify.
    pub provider_version_id: i64,
    /// Why, a JSON array of strings.
    pub descriptions: String,
}

/// Records that a provider version must verify a content, unless that is already recorded
/// (by key `required_verifications_key`).
pub fn insert_required_if_absent(
    conn: &mut AnyConnection,
    row: &NewRequiredVerification,
) -> StorageResult<()> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        required::table
            .filter(required::content_id.eq(row.content_id))
            .filter(required::provider_version_id.eq(row.provider_version_id))
            .filter(required::consumer_id.eq(row.consumer_id)),
    ))
    .get_result(conn)?;
    if !exists {
        diesel::insert_into(required::table)
            .values((
                required::consumer_id.eq(row.consumer_id),
                required::provider_id.eq(row.provider_id),
                required::content_id.eq(row.content_id),
                required::consumer_version_id.eq(row.consumer_version_id),
                required::provider_version_id.eq(row.provider_version_id),
                required::descriptions.eq(&row.descriptions),
                required::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks the open requirements of (consumer, content) on `provider_version_id` verified.
pub fn mark_verified(
    conn: &mut AnyConnection,
    consumer_id: i64,
    content_id: i64,
    provider_version_id: i64,
) -> StorageResult<()> {
    diesel::update(
        required::table
            .filter(required::content_id.eq(content_id))
            .filter(required::provider_version_id.eq(provider_version_id))
            .filter(required::consumer_id.eq(consumer_id))
            .filter(required::verified_at.is_null()),
    )
    .set(required::verified_at.eq(now()))
    .execute(conn)?;
    Ok(())
}

/// Open requirements older than `cutoff` (a stored time), oldest first, at most `limit`.
/// Index: `required_verifications_verified_at_created_at_idx`.
pub fn list_overdue(
    conn: &mut AnyConnection,
    cutoff: &str,
    limit: i64,
) -> StorageResult<Vec<RequiredVerificationRow>> {
    Ok(required::table
        .filter(required::verified_at.is_null())
        .filter(required::created_at.lt(cutoff))
        .order(required::created_at.asc())
        .limit(limit)
        .select(RequiredVerificationRow::as_select())
        .load(conn)?)
}

/// How many open requirements are older than `cutoff`.
pub fn count_overdue(conn: &mut AnyConnection, cutoff: &str) -> StorageResult<i64> {
    Ok(required::table
        .filter(required::verified_at.is_null())
        .filter(required::created_at.lt(cutoff))
        .count()
        .get_result(conn)?)
}

/// Deletes the requirements of versions being deleted (as consumer or provider version).
pub fn delete_for_version(conn: &mut AnyConnection, version_id: i64) -> StorageResult<()> {
    diesel::delete(
        required::table.filter(
            required::consumer_version_id
                .eq(version_id)
                .or(required::provider_version_id.eq(version_id)),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// Deletes the requirements of a pacticipant being deleted.
pub fn delete_for_pacticipant(conn: &mut AnyConnection, pacticipant_id: i64) -> StorageResult<()> {
    diesel::delete(
        required::table.filter(
            required::consumer_id
                .eq(pacticipant_id)
                .or(required::provider_id.eq(pacticipant_id)),
        ),
    )
    .execute(conn)?;
    Ok(())
}
