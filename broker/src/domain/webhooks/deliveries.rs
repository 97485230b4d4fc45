//! Delivery bookkeeping: claiming due deliveries for one worker, recording each attempt and
//! deciding from the retry schedule what happens next, and reading a webhook's deliveries.
//!
//! A claim is a random token and a lease: while the lease holds, no other worker (in this
//! process or another replica) takes the delivery; a worker that dies mid-send leaves the
//! delivery to be claimed again when its lease runs out, so every delivery is sent at least
//! once. The lease is longer than the send timeout, so a live worker never overlaps another.

use std::time::Duration;

use chrono::Utc;

use crate::domain::DomainError;
use crate::domain::webhooks::definition::Webhook;
use crate::domain::webhooks::schedule::RetryPolicy;
use crate::domain::webhooks::template::Variables;
use crate::storage::webhooks::{self as store, AfterAttempt, NewAttempt};
use crate::storage::{Db, shifted, timestamp};

/// A delivery this worker holds the claim of.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    /// The delivery's id.
    pub id: i64,
    /// The claim.
    token: String,
    /// The number this attempt will have (1 for the first).
    pub attempt: u32,
    /// The event that triggered it.
    pub event: String,
    /// The event's template variables.
    pub variables: Variables,
    /// The webhook, as it is now.
    pub webhook: Webhook,
}

/// Claims up to `limit` due deliveries for `lease`.
pub async fn claim_due(
    db: &Db,
    limit: u32,
    lease: Duration,
) -> Result<Vec<ClaimedDelivery>, DomainError> {
    let due = db
        .run(|conn| store::any_due(conn, &crate::storage::now()))
        .await?;
    if !due {
        return Ok(Vec::new());
    }
    let token = format!("{:032x}", rand::random::<u128>());
    db.write(move |conn| {
        let now = Utc::now();
        let lease_until = shifted(now, lease, true);
        let rows = store::claim_due_deliveries(
            conn,
            &timestamp(now),
            &timestamp(lease_until),
            &token,
            i64::from(limit),
        )?;
        let mut ids: Vec<i64> = rows.iter().map(|row| row.webhook_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut webhooks = Vec::new();
        for row in store::find_webhooks_by_ids(conn, &ids)? {
            let id = row.id;
            match Webhook::from_row(row) {
                Ok(webhook) => webhooks.push(webhook),
                Err(error) => tracing::warn!(webhook.id = id, error = %error, "a stored webhook cannot be read; its deliveries fail"),
            }
        }
        let mut claimed = Vec::with_capacity(rows.len());
        for row in rows {
            let attempt = u32::try_from(row.attempt_count).unwrap_or(0) + 1;
            let webhook = webhooks.iter().find(|w| w.id == row.webhook_id);
            let variables = serde_json::from_str(&row.variables)
                .ok()
                .and_then(|value| Variables::from_json(&value).ok());
            let (Some(webhook), Some(variables)) = (webhook, variables) else {
                // One unreadable row must not stop every other delivery: it fails, with why.
                store::finish_attempt(
                    conn,
                    row.id,
                    &token,
                    &NewAttempt {
                        number: i32::try_from(attempt).unwrap_or(i32::MAX),
                        started_at: timestamp(now),
                        duration_ms: 0,
                        success: false,
                        response_status: None,
                        response_excerpt: None,
                        error: Some(
                            "the stored webhook or the delivery's template variables cannot be read"
                                .to_owned(),
                        ),
                    },
                    &AfterAttempt::Failed,
                )?;
                continue;
            };
            claimed.push(ClaimedDelivery {
                id: row.id,
                token: token.clone(),
                attempt,
                event: row.event_name,
                variables,
                webhook: webhook.clone(),
            });
        }
        Ok(claimed)
    })
    .await
}

/// What one attempt found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptResult {
    /// When it started.
    pub started_at: chrono::DateTime<Utc>,
    /// How long it took.
    pub duration: Duration,
    /// The receiver's status, if it answered.
    pub status: Option<u16>,
    /// The start of its body.
    pub excerpt: Option<String>,
    /// Why it did not succeed.
    pub error: Option<String>,
    /// Whether trying again can help (false when the target is not allowed).
    pub retryable: bool,
}

impl AttemptResult {
    /// Whether the receiver accepted the delivery.
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
            && self
                .status
                .is_some_and(|status| (200..300).contains(&status))
    }
}

/// What became of a delivery after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Delivered.
    Delivered,
    /// Tried again after this long.
    RetryIn(Duration),
    /// Given up (attempts exhausted or not retryable).
    GaveUp,
}

/// Records an attempt and moves the delivery on per the retry schedule (`jitter` in [0, 1)).
pub async fn record_attempt(
    db: &Db,
    claimed: &ClaimedDelivery,
    result: AttemptResult,
    retry: RetryPolicy,
    jitter: f64,
) -> Result<Next, DomainError> {
    let next = if result.succeeded() {
        Next::Delivered
    } else if !result.retryable {
        Next::GaveUp
    } else {
        match retry.next_attempt(claimed.attempt, jitter) {
            Some(delay) => Next::RetryIn(delay),
            None => Next::GaveUp,
        }
    };
    let after = match &next {
        Next::Delivered => AfterAttempt::Delivered,
        Next::GaveUp => AfterAttempt::Failed,
        Next::RetryIn(delay) => AfterAttempt::RetryAt(timestamp(shifted(Utc::now(), *delay, true))),
    };
    let attempt = NewAttempt {
        number: i32::try_from(claimed.attempt).unwrap_or(i32::MAX),
        started_at: timestamp(result.started_at),
        duration_ms: i64::try_from(result.duration.as_millis()).unwrap_or(i64::MAX),
        success: result.succeeded(),
        response_status: result.status.map(i32::from),
        response_excerpt: result.excerpt.clone(),
        error: result.error.clone(),
    };
    let id = claimed.id;
    let token = claimed.token.clone();
    let held = db
        .write(move |conn| store::finish_attempt(conn, id, &token, &attempt, &after))
        .await?;
    if !held {
        tracing::warn!(
            delivery.id = id,
            "the delivery's claim ran out before its attempt was recorded; another worker owns it now"
        );
    }
    Ok(next)
}

/// One attempt as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// 1, 2, …
    pub number: i32,
    /// When it started.
    pub started_at: String,
    /// How long it took, in milliseconds.
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

/// A delivery as the API shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Its id.
    pub id: i64,
    /// The event.
    pub event: String,
    /// `pending`, `delivering` (claimed now), `delivered` or `failed`.
    pub status: String,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<String>,
    /// When the event happened.
    pub created_at: String,
    /// Every attempt, in order.
    pub attempts: Vec<Attempt>,
}

/// The newest `limit` deliveries of the webhook `uuid`, with their attempts.
pub async fn list_deliveries(
    db: &Db,
    uuid: String,
    limit: u32,
) -> Result<Vec<Delivery>, DomainError> {
    db.run(move |conn| {
        let webhook = store::find_webhook(conn, &uuid)?.ok_or_else(|| {
            DomainError::NotFound(format!(
                "webhook `{uuid}` not found: list them with GET /webhooks"
            ))
        })?;
        let rows = store::list_deliveries_of_webhook(conn, webhook.id, i64::from(limit))?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let attempts = store::list_attempts(conn, &ids)?;
        let now = crate::storage::now();
        Ok(rows
            .into_iter()
            .map(|row| {
                let claimed = row
                    .claimed_until
                    .as_deref()
                    .is_some_and(|until| until > now.as_str());
                let status = if row.status == store::PENDING && claimed {
                    "delivering".to_owned()
                } else {
                    row.status.clone()
                };
                Delivery {
                    id: row.id,
                    event: row.event_name,
                    next_attempt_at: (row.status == store::PENDING).then_some(row.next_attempt_at),
                    status,
                    created_at: row.created_at,
                    attempts: attempts
                        .iter()
                        .filter(|attempt| attempt.delivery_id == row.id)
                        .map(|attempt| Attempt {
                            number: attempt.number,
                            started_at: attempt.started_at.clone(),
                            duration_ms: attempt.duration_ms,
                            success: attempt.success,
                            response_status: attempt.response_status,
                            response_excerpt: attempt.response_excerpt.clone(),
                            error: attempt.error.clone(),
                        })
                        .collect(),
                }
            })
            .collect())
    })
    .await
}

/// How many deliveries are waiting, for metrics.
pub async fn count_pending(db: &Db) -> Result<i64, DomainError> {
    db.run(|conn| Ok(store::count_pending(conn)?)).await
}
