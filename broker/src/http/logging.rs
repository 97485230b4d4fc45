//! Request logging: one line per request with its method, path, status and duration, and for
//! a 5xx answer the cause, logged here once (the response body says nothing internal).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

/// Middleware for `actix_web::middleware::from_fn`.
pub async fn log_request(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.path().to_owned();
    let response = next.call(request).await?;
    let status = response.status().as_u16();
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match response.response().error() {
        Some(error) if status == 503 => {
            tracing::warn!(http.method = %method, http.path = %path, http.status = status, duration_ms, error = %error, "database unavailable");
        }
        Some(error) if status >= 500 => {
            tracing::error!(http.method = %method, http.path = %path, http.status = status, duration_ms, error = %error, "request failed");
        }
        _ if path == "/health" || path == "/ready" => {
            tracing::debug!(http.method = %method, http.path = %path, http.status = status, duration_ms, "request");
        }
        _ => {
            tracing::info!(http.method = %method, http.path = %path, http.status = status, duration_ms, "request");
        }
    }
    Ok(response)
}
