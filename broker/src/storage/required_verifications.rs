//! Queries on `required_verifications`: which provider versions must verify a content, written
//! when the content is published and marked when that version's verification arrives; the
//! watchdog reads the ones still open.

use diesel::prelude::*;

use crate::storage::heads::HeadScope;
use crate::storage::models::RequiredVerificationRow;
use crate::storage::schema::{
    deployed_versions, pacticipants, released_versions, required_verifications as required,
    version_heads,
};
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
/// (by key `required_verifications_key`; one statement, so concurrent publications of the same
/// content do not collide).
pub fn insert_required_if_absent(
    conn: &mut AnyConnection,
    row: &NewRequiredVerification,
) -> StorageResult<()> {
    let created_at = now();
    let values = (
        required::consumer_id.eq(row.consumer_id),
        required::provider_id.eq(row.provider_id),
        required::content_id.eq(row.content_id),
        required::consumer_version_id.eq(row.consumer_version_id),
        required::provider_version_id.eq(row.provider_version_id),
        required::descriptions.eq(&row.descriptions),
        required::created_at.eq(&created_at),
    );
    // Per-backend: `ON CONFLICT DO NOTHING` is built per backend by diesel.
    match conn {
        AnyConnection::Pg(pg) => diesel::insert_into(required::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(pg)?,
        AnyConnection::Sqlite(sqlite) => diesel::insert_into(required::table)
            .values(values)
            .on_conflict_do_nothing()
            .execute(sqlite)?,
    };
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

/// The open requirements older than `cutoff` whose provider version still holds a role that
/// requires it (the head of its pacticipant's main branch, or currently deployed or
/// supported): a requirement of a head the branch has moved past, or of a version no longer
/// deployed, has stopped mattering. The role sets are the current state, one row per head or
/// live deployment, never history.
macro_rules! open_and_current {
    ($cutoff:expr) => {{
        let main_heads = version_heads::table
            .inner_join(
                pacticipants::table.on(pacticipants::id
                    .eq(version_heads::pacticipant_id)
                    .and(version_heads::scope.eq(HeadScope::Branch.as_str()))
                    .and(pacticipants::main_branch.eq(version_heads::scope_name.nullable()))),
            )
            .select(version_heads::version_id);
        let deployed = deployed_versions::table
            .filter(deployed_versions::currently_deployed.eq(true))
            .select(deployed_versions::version_id);
        let released = released_versions::table
            .filter(released_versions::currently_supported.eq(true))
            .select(released_versions::version_id);
        required::table
            .filter(required::verified_at.is_null())
            .filter(required::created_at.lt($cutoff))
            .filter(
                required::provider_version_id
                    .eq_any(main_heads)
                    .or(required::provider_version_id.eq_any(deployed))
                    .or(required::provider_version_id.eq_any(released)),
            )
    }};
}

/// Open, still-current requirements older than `cutoff` (a stored time), oldest first, at most
/// `limit`. Index: `required_verifications_verified_at_created_at_idx`.
pub fn list_overdue(
    conn: &mut AnyConnection,
    cutoff: &str,
    limit: i64,
) -> StorageResult<Vec<RequiredVerificationRow>> {
    Ok(open_and_current!(cutoff)
        .order(required::created_at.asc())
        .limit(limit)
        .select(RequiredVerificationRow::as_select())
        .load(conn)?)
}

/// How many open, still-current requirements are older than `cutoff`.
pub fn count_overdue(conn: &mut AnyConnection, cutoff: &str) -> StorageResult<i64> {
    Ok(open_and_current!(cutoff).count().get_result(conn)?)
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
