//! Queries on `webhooks`, `webhook_deliveries` and `webhook_attempts`: the webhook definitions,
//! the durable queue of triggered webhooks and the record of every attempt.
//!
//! A delivery is claimed by one worker at a time: [`claim_due_deliveries`] sets a claim token and
//! a lease in one transaction (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so replicas claiming
//! at the same moment take different rows; SQLite has one writer), and [`finish_attempt`] only
//! moves a delivery on while that claim is still held.

use diesel::prelude::*;

use crate::storage::models::{WebhookAttemptRow, WebhookDeliveryRow, WebhookRow};
use crate::storage::schema::{webhook_attempts, webhook_deliveries, webhooks};
use crate::storage::{AnyConnection, StorageResult, now};

/// A delivery waiting for an attempt.
pub const PENDING: &str = "pending";
/// A delivery the receiver accepted.
pub const DELIVERED: &str = "delivered";
/// A delivery given up on.
pub const FAILED: &str = "failed";

/// A webhook to store (every column but the id and the times; `None` stores NULL).
#[derive(Debug, Clone, PartialEq, Eq, Insertable, AsChangeset)]
#[diesel(table_name = webhooks, treat_none_as_null = true)]
pub struct NewWebhook {
    /// The public identifier.
    pub uuid: String,
    /// What it is for.
    pub description: Option<String>,
    /// Consumer scope by name.
    pub consumer_name: Option<String>,
    /// Consumer scope by label.
    pub consumer_label: Option<String>,
    /// Provider scope by name.
    pub provider_name: Option<String>,
    /// Provider scope by label.
    pub provider_label: Option<String>,
    /// Event names, a JSON array.
    pub events: String,
    /// The request template, JSON.
    pub request: String,
    /// Whether events trigger it.
    pub enabled: bool,
}

/// Inserts a webhook (its uuid must be free) and returns it.
pub fn insert_webhook(conn: &mut AnyConnection, webhook: &NewWebhook) -> StorageResult<WebhookRow> {
    let timestamp = now();
    diesel::insert_into(webhooks::table)
        .values((
            webhook,
            webhooks::created_at.eq(&timestamp),
            webhooks::updated_at.eq(&timestamp),
        ))
        .execute(conn)?;
    find_webhook(conn, &webhook.uuid)?.ok_or_else(|| {
        crate::storage::StorageError::Corrupt(format!(
            "webhook {} vanished after insert",
            webhook.uuid
        ))
    })
}

/// Replaces everything but the creation time of the webhook `id` (its uuid stays the same).
pub fn update_webhook(
    conn: &mut AnyConnection,
    id: i64,
    webhook: &NewWebhook,
) -> StorageResult<()> {
    diesel::update(webhooks::table.filter(webhooks::id.eq(id)))
        .set((webhook, webhooks::updated_at.eq(now())))
        .execute(conn)?;
    Ok(())
}

/// The webhook with this uuid. Index: `webhooks_uuid_key`.
pub fn find_webhook(conn: &mut AnyConnection, uuid: &str) -> StorageResult<Option<WebhookRow>> {
    Ok(webhooks::table
        .filter(webhooks::uuid.eq(uuid))
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()?)
}

/// The webhooks with these ids.
pub fn find_webhooks_by_ids(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> StorageResult<Vec<WebhookRow>> {
    Ok(webhooks::table
        .filter(webhooks::id.eq_any(ids))
        .select(WebhookRow::as_select())
        .load(conn)?)
}

/// Every webhook, oldest first (a short configuration table, not history).
pub fn list_webhooks(conn: &mut AnyConnection) -> StorageResult<Vec<WebhookRow>> {
    Ok(webhooks::table
        .order(webhooks::id.asc())
        .select(WebhookRow::as_select())
        .load(conn)?)
}

/// Every enabled webhook, oldest first: the candidates an event is matched against.
pub fn list_enabled_webhooks(conn: &mut AnyConnection) -> StorageResult<Vec<WebhookRow>> {
    Ok(webhooks::table
        .filter(webhooks::enabled.eq(true))
        .order(webhooks::id.asc())
        .select(WebhookRow::as_select())
        .load(conn)?)
}

/// Deletes the webhook `id` with its deliveries and their attempts.
pub fn delete_webhook(conn: &mut AnyConnection, id: i64) -> StorageResult<()> {
    let deliveries = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(id))
        .select(webhook_deliveries::id);
    diesel::delete(
        webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(deliveries)),
    )
    .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhooks::table.filter(webhooks::id.eq(id))).execute(conn)?;
    Ok(())
}

/// Queues a delivery of the webhook `webhook_id`, due at once.
pub fn insert_delivery(
    conn: &mut AnyConnection,
    webhook_id: i64,
    event_name: &str,
    variables: &str,
) -> StorageResult<()> {
    let timestamp = now();
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::webhook_id.eq(webhook_id),
            webhook_deliveries::event_name.eq(event_name),
            webhook_deliveries::variables.eq(variables),
            webhook_deliveries::status.eq(PENDING),
            webhook_deliveries::attempt_count.eq(0),
            webhook_deliveries::next_attempt_at.eq(&timestamp),
            webhook_deliveries::created_at.eq(&timestamp),
            webhook_deliveries::updated_at.eq(&timestamp),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether any pending delivery is due at `at` (a read, so that an idle worker takes no write
/// lock). Index: `webhook_deliveries_status_next_attempt_at_idx`.
pub fn any_due(conn: &mut AnyConnection, at: &str) -> StorageResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        webhook_deliveries::table
            .filter(webhook_deliveries::status.eq(PENDING))
            .filter(webhook_deliveries::next_attempt_at.le(at))
            .filter(
                webhook_deliveries::claimed_until
                    .is_null()
                    .or(webhook_deliveries::claimed_until.lt(at)),
            ),
    ))
    .get_result(conn)?)
}

/// Claims up to `limit` pending deliveries that are due at `at` and not claimed by a live
/// worker, for `token` until `lease_until`, and returns them. Call inside a write transaction.
/// Index: `webhook_deliveries_status_next_attempt_at_idx`.
pub fn claim_due_deliveries(
    conn: &mut AnyConnection,
    at: &str,
    lease_until: &str,
    token: &str,
    limit: i64,
) -> StorageResult<Vec<WebhookDeliveryRow>> {
    // Per-backend: PostgreSQL locks the chosen rows and skips rows another replica is claiming;
    // SQLite's write transaction (BEGIN IMMEDIATE) already excludes every other writer.
    let due = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(PENDING))
        .filter(webhook_deliveries::next_attempt_at.le(at))
        .filter(
            webhook_deliveries::claimed_until
                .is_null()
                .or(webhook_deliveries::claimed_until.lt(at)),
        )
        .order(webhook_deliveries::next_attempt_at.asc())
        .limit(limit)
        .select(webhook_deliveries::id);
    let ids: Vec<i64> = match conn {
        AnyConnection::Pg(pg) => due.for_update().skip_locked().load(pg)?,
        AnyConnection::Sqlite(sqlite) => due.load(sqlite)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
        .set((
            webhook_deliveries::claim_token.eq(token),
            webhook_deliveries::claimed_until.eq(lease_until),
        ))
        .execute(conn)?;
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::id.eq_any(&ids))
        .order(webhook_deliveries::next_attempt_at.asc())
        .select(WebhookDeliveryRow::as_select())
        .load(conn)?)
}

/// One attempt to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttempt {
    /// 1, 2, … per delivery.
    pub number: i32,
    /// When it started.
    pub started_at: String,
    /// How long it took.
    pub duration_ms: i64,
    /// Whether the receiver answered 2xx.
    pub success: bool,
    /// The receiver's status.
    pub response_status: Option<i32>,
    /// The start of its body.
    pub response_excerpt: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// What becomes of a delivery after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterAttempt {
    /// The receiver accepted it.
    Delivered,
    /// Try again at this stored time.
    RetryAt(String),
    /// Give up.
    Failed,
}

/// Records an attempt and moves the delivery on, if `token` still holds its claim; returns
/// whether it did (a worker whose lease ran out must not overwrite its successor's state, but
/// its attempt is recorded either way).
pub fn finish_attempt(
    conn: &mut AnyConnection,
    delivery_id: i64,
    token: &str,
    attempt: &NewAttempt,
    after: &AfterAttempt,
) -> StorageResult<bool> {
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::delivery_id.eq(delivery_id),
            webhook_attempts::number.eq(attempt.number),
            webhook_attempts::started_at.eq(&attempt.started_at),
            webhook_attempts::duration_ms.eq(attempt.duration_ms),
            webhook_attempts::success.eq(attempt.success),
            webhook_attempts::response_status.eq(attempt.response_status),
            webhook_attempts::response_excerpt.eq(&attempt.response_excerpt),
            webhook_attempts::error.eq(&attempt.error),
        ))
        .execute(conn)?;
    let timestamp = now();
    let (status, next_attempt_at) = match after {
        AfterAttempt::Delivered => (DELIVERED, timestamp.clone()),
        AfterAttempt::RetryAt(at) => (PENDING, at.clone()),
        AfterAttempt::Failed => (FAILED, timestamp.clone()),
    };
    let updated = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(delivery_id))
            .filter(webhook_deliveries::claim_token.eq(token)),
    )
    .set((
        webhook_deliveries::status.eq(status),
        webhook_deliveries::attempt_count.eq(attempt.number),
        webhook_deliveries::next_attempt_at.eq(next_attempt_at),
        webhook_deliveries::claim_token.eq(None::<String>),
        webhook_deliveries::claimed_until.eq(None::<String>),
        webhook_deliveries::updated_at.eq(&timestamp),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The newest `limit` deliveries of a webhook, newest first. Index:
/// `webhook_deliveries_webhook_id_idx`.
pub fn list_deliveries_of_webhook(
    conn: &mut AnyConnection,
    webhook_id: i64,
    limit: i64,
) -> StorageResult<Vec<WebhookDeliveryRow>> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .order(webhook_deliveries::id.desc())
        .limit(limit)
        .select(WebhookDeliveryRow::as_select())
        .load(conn)?)
}

/// The attempts of these deliveries, in order. Index: `webhook_attempts_delivery_id_idx`.
pub fn list_attempts(
    conn: &mut AnyConnection,
    delivery_ids: &[i64],
) -> StorageResult<Vec<WebhookAttemptRow>> {
    Ok(webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(delivery_ids))
        .order((
            webhook_attempts::delivery_id.asc(),
            webhook_attempts::number.asc(),
        ))
        .select(WebhookAttemptRow::as_select())
        .load(conn)?)
}

/// How many deliveries are pending.
pub fn count_pending(conn: &mut AnyConnection) -> StorageResult<i64> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(PENDING))
        .count()
        .get_result(conn)?)
}
