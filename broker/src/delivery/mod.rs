//! The webhook delivery worker: a background task in every broker process that claims due
//! deliveries from the database, sends them, records each attempt and schedules retries.
//!
//! Deliveries are rows written with the event that caused them, so nothing is lost when a
//! process stops: whatever was pending, or claimed by a process that died, is sent by the next
//! worker to look (a dead worker's claims expire after the send timeout plus a margin). On
//! PostgreSQL any number of replicas run workers side by side, each claiming different rows; on
//! SQLite the one process's worker is the only one.

pub mod send;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinSet;

use crate::domain::webhooks::deliveries::{self, ClaimedDelivery, Next};
use crate::domain::webhooks::schedule::RetryPolicy;
use crate::storage::Db;
pub use send::{ClientError, Sender};

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// When failures are retried.
    pub retry: RetryPolicy,
    /// How many deliveries one process sends at once.
    pub concurrency: u32,
    /// How often an idle worker looks for due deliveries (it is also woken by local events).
    pub poll_interval: Duration,
}

/// Wakes the worker when this process has queued a delivery.
#[derive(Debug, Default)]
pub struct Wake(Notify);

impl Wake {
    /// Tells the worker to look now.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// How long a claim holds: the send timeout plus a margin for recording the attempt.
fn lease(sender: &Sender) -> Duration {
    sender.timeout() * 2 + Duration::from_secs(10)
}

/// Runs the worker until the process ends.
pub async fn run(db: Db, sender: Sender, settings: DeliverySettings, wake: Arc<Wake>) {
    let mut sending: JoinSet<()> = JoinSet::new();
    let concurrency = settings.concurrency.max(1);
    loop {
        let free = concurrency.saturating_sub(u32::try_from(sending.len()).unwrap_or(u32::MAX));
        let mut claimed = 0;
        if free > 0 {
            match deliveries::claim_due(&db, free, lease(&sender)).await {
                Ok(batch) => {
                    claimed = batch.len();
                    for delivery in batch {
                        let db = db.clone();
                        let sender = sender.clone();
                        let retry = settings.retry;
                        sending.spawn(async move { deliver(&db, &sender, retry, delivery).await });
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %error, "cannot claim webhook deliveries; trying again")
                }
            }
        }
        if claimed > 0 && sending.len() < concurrency as usize {
            continue;
        }
        tokio::select! {
            Some(_) = sending.join_next(), if !sending.is_empty() => {}
            () = wake.0.notified() => {}
            () = tokio::time::sleep(settings.poll_interval) => {}
        }
    }
}

/// Sends one claimed delivery and records the attempt.
async fn deliver(db: &Db, sender: &Sender, retry: RetryPolicy, delivery: ClaimedDelivery) {
    let result = if delivery.webhook.enabled {
        let request = delivery.webhook.request.render(&delivery.variables);
        sender.send(&request).await
    } else {
        deliveries::AttemptResult {
            started_at: chrono::Utc::now(),
            duration: Duration::ZERO,
            status: None,
            excerpt: None,
            error: Some("the webhook was disabled before this delivery was sent".to_owned()),
            retryable: false,
        }
    };
    let status = result.status;
    let error = result.error.clone();
    let duration_ms = result.duration.as_millis();
    match deliveries::record_attempt(db, &delivery, result, retry, rand::random::<f64>()).await {
        Ok(next) => {
            let next = match next {
                Next::Delivered => "delivered".to_owned(),
                Next::RetryIn(delay) => format!("retry in {} ms", delay.as_millis()),
                Next::GaveUp => "gave up".to_owned(),
            };
            tracing::info!(
                webhook.uuid = %delivery.webhook.uuid,
                delivery.id = delivery.id,
                event = %delivery.event,
                attempt = delivery.attempt,
                response.status = status,
                error = error.as_deref().unwrap_or(""),
                duration_ms,
                next = %next,
                "webhook attempt"
            );
        }
        Err(error) => tracing::warn!(
            webhook.uuid = %delivery.webhook.uuid,
            delivery.id = delivery.id,
            error = %error,
            "cannot record a webhook attempt; the delivery will be tried again when its claim expires"
        ),
    }
}
