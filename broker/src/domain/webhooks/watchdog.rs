//! The watchdog (beyond the Pact Broker): contracts that a provider version must verify and that
//! still have no verification from it after a configured time. A provider build that was never
//! triggered, crashed or could not publish leaves can-i-deploy unknown; this says so.

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;

use crate::domain::DomainError;
use crate::storage::{
    Db, contents, pacticipants, required_verifications as store, shifted, timestamp, versions,
};

/// The most overdue verifications one read returns.
pub const MAX_LISTED: u32 = 500;

/// A verification that is overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueVerification {
    /// The consumer.
    pub consumer: String,
    /// The consumer version whose publication required it.
    pub consumer_version: String,
    /// The provider.
    pub provider: String,
    /// The provider version that must verify.
    pub provider_version: String,
    /// The content's hash.
    pub sha: String,
    /// Why that provider version must verify.
    pub descriptions: Vec<String>,
    /// Since when.
    pub required_since: String,
}

/// The time before which an open requirement is overdue.
fn cutoff(after: Duration) -> String {
    timestamp(shifted(Utc::now(), after, false))
}

/// Requirements open for longer than `after`, oldest first, at most `limit`.
pub async fn overdue_verifications(
    db: &Db,
    after: Duration,
    limit: u32,
) -> Result<Vec<OverdueVerification>, DomainError> {
    db.run(move |conn| {
        let rows = store::list_overdue(conn, &cutoff(after), i64::from(limit.min(MAX_LISTED)))?;
        let mut pacticipant_ids: Vec<i64> = rows
            .iter()
            .flat_map(|row| [row.consumer_id, row.provider_id])
            .collect();
        pacticipant_ids.sort_unstable();
        pacticipant_ids.dedup();
        let names: HashMap<i64, String> =
            pacticipants::find_pacticipants_by_ids(conn, &pacticipant_ids)?
                .into_iter()
                .map(|row| (row.id, row.name))
                .collect();
        let version_ids: Vec<i64> = rows
            .iter()
            .flat_map(|row| [row.consumer_version_id, row.provider_version_id])
            .collect();
        let numbers: HashMap<i64, String> = versions::find_versions_by_ids(conn, &version_ids)?
            .into_iter()
            .map(|row| (row.id, row.number))
            .collect();
        let mut overdue = Vec::with_capacity(rows.len());
        for row in rows {
            let name =
                |id: i64, map: &HashMap<i64, String>| map.get(&id).cloned().unwrap_or_default();
            overdue.push(OverdueVerification {
                consumer: name(row.consumer_id, &names),
                consumer_version: name(row.consumer_version_id, &numbers),
                provider: name(row.provider_id, &names),
                provider_version: name(row.provider_version_id, &numbers),
                sha: contents::find_content_sha_by_id(conn, row.content_id)?.unwrap_or_default(),
                descriptions: serde_json::from_str(&row.descriptions).unwrap_or_default(),
                required_since: row.created_at,
            });
        }
        Ok(overdue)
    })
    .await
}

/// How many requirements are open for longer than `after`, for metrics.
pub async fn count_overdue(db: &Db, after: Duration) -> Result<i64, DomainError> {
    db.run(move |conn| Ok(store::count_overdue(conn, &cutoff(after))?))
        .await
}
