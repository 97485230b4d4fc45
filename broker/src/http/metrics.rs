//! Prometheus metrics at `GET /metrics` (OpenMetrics text): requests by route pattern, method
//! and status with a latency histogram, the database pool, publications, verification results,
//! and can-i-deploy answers by outcome. Counted where they happen in the HTTP layer (the
//! request log, the publish and verification handlers, the matrix handler); the pool is read
//! at scrape time.

use std::time::Duration;

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpResponse, web};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::app::AppState;
use crate::domain::webhooks::{deliveries, watchdog};
use crate::domain::{PoolUse, pool_use};

/// The OpenMetrics text format's media type.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SuccessLabels {
    success: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

type Durations = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// Every metric the broker exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Durations,
    publications: Counter,
    verification_results: Family<SuccessLabels, Counter>,
    can_i_deploy: Family<OutcomeLabels, Counter>,
    pool_connections: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    deliveries_pending: Gauge,
    verifications_overdue: Gauge,
}

/// What the webhook gauges read at scrape time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookGauges {
    /// Deliveries waiting for an attempt (or being sent), if they could be counted.
    pub pending: Option<i64>,
    /// Required verifications missing for longer than `--verification-overdue-after`, if
    /// they could be counted.
    pub overdue: Option<i64>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("treaty");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        let durations = Durations::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route pattern",
            durations.clone(),
        );
        let publications = Counter::default();
        registry.register(
            "publications",
            "Contracts published (POST /contracts/publish and PUT of a pact)",
            publications.clone(),
        );
        let verification_results = Family::<SuccessLabels, Counter>::default();
        registry.register(
            "verification_results",
            "Verification results published, by success",
            verification_results.clone(),
        );
        let can_i_deploy = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "can_i_deploy_answers",
            "Matrix and can-i-deploy answers, by outcome (deployable, not_deployable, unknown)",
            can_i_deploy.clone(),
        );
        let pool_connections = Gauge::default();
        registry.register(
            "db_pool_connections",
            "Open database connections in the pool",
            pool_connections.clone(),
        );
        let pool_idle = Gauge::default();
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections in the pool",
            pool_idle.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "db_pool_max_connections",
            "The pool's size (--db-pool-size)",
            pool_max.clone(),
        );
        let deliveries_pending = Gauge::default();
        registry.register(
            "webhook_deliveries_pending",
            "Webhook deliveries waiting for an attempt or being sent, in the whole database",
            deliveries_pending.clone(),
        );
        let verifications_overdue = Gauge::default();
        registry.register(
            "verifications_overdue",
            "Required verifications still missing after --verification-overdue-after (see /verifications/overdue)",
            verifications_overdue.clone(),
        );
        Self {
            registry,
            requests,
            durations,
            publications,
            verification_results,
            can_i_deploy,
            pool_connections,
            pool_idle,
            pool_max,
            deliveries_pending,
            verifications_overdue,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels {
                method: method.to_owned(),
                route: route.to_owned(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// Counts published contracts.
    pub fn observe_publications(&self, contracts: usize) {
        self.publications.inc_by(contracts as u64);
    }

    /// Counts a published verification result.
    pub fn observe_verification(&self, success: bool) {
        self.verification_results
            .get_or_create(&SuccessLabels {
                success: success.to_string(),
            })
            .inc();
    }

    /// Counts a matrix or can-i-deploy answer.
    pub fn observe_can_i_deploy(&self, deployable: Option<bool>) {
        let outcome = match deployable {
            Some(true) => "deployable",
            Some(false) => "not_deployable",
            None => "unknown",
        };
        self.can_i_deploy
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    /// The text a scrape gets, with the pool's use and the webhook gauges read now.
    pub fn render(&self, pool: PoolUse, webhooks: WebhookGauges) -> String {
        if let Some(pending) = webhooks.pending {
            self.deliveries_pending.set(pending);
        }
        if let Some(overdue) = webhooks.overdue {
            self.verifications_overdue.set(overdue);
        }
        self.pool_connections.set(i64::from(pool.connections));
        self.pool_idle.set(i64::from(pool.idle));
        self.pool_max.set(i64::from(pool.max));
        let mut text = String::new();
        if let Err(error) = encode(&mut text, &self.registry) {
            // Writing to a String does not fail; say so if it ever does.
            tracing::error!(error = %error, "cannot render the metrics");
        }
        text
    }
}

/// `GET /metrics`. The webhook gauges are two indexed counts; if the database cannot answer
/// they are left at their last value (and the failure is logged) so the scrape still works.
pub async fn get_metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut gauges = WebhookGauges::default();
    match deliveries::count_pending(&state.db).await {
        Ok(pending) => gauges.pending = Some(pending),
        Err(error) => tracing::warn!(error = %error, "cannot count pending webhook deliveries"),
    }
    match watchdog::count_overdue(&state.db, state.webhooks.overdue_after).await {
        Ok(overdue) => gauges.overdue = Some(overdue),
        Err(error) => tracing::warn!(error = %error, "cannot count overdue verifications"),
    }
    let text = state.metrics.render(pool_use(&state.db), gauges);
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, OPENMETRICS))
        .body(text)
}
