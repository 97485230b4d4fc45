//! Operations endpoints: `/health` (the process is up) and `/ready` (the database answers).

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::app::AppState;
use crate::http::hal::{hal, ok};

/// `GET /health`: 200 while the process runs.
pub async fn get_health() -> HttpResponse {
    ok(json!({ "status": "ok" }))
}

/// `GET /ready`: 200 when the database answers within two seconds, 503 otherwise.
pub async fn get_ready(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping(Duration::from_secs(2)).await {
        Ok(()) => ok(json!({ "status": "ready", "database": "ok" })),
        Err(error) => {
            tracing::warn!(error = %error, "readiness check failed");
            hal(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "status": "unavailable", "database": "the database does not answer" }),
            )
        }
    }
}
