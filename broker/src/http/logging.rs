//! Request logging and counting: one line per request with its method, route pattern, path, status,
//! duration and request id (the client's `X-Request-Id` when it is sane, a new one otherwise,
//! returned in the response's `X-Request-Id`), and for a 5xx answer the cause, logged here once
//! (the response body says nothing internal); each request is also counted in
//! [`crate::http::metrics`].

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The header that carries the request id both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The client's request id if it is short plain text, else a new random one.
pub fn request_id(given: Option<&str>) -> String {
    let sane = |id: &&str| {
        !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match given.filter(sane) {
        Some(id) => id.to_owned(),
        None => format!("{:016x}", rand::random::<u64>()),
    }
}

/// Middleware for `actix_web::middleware::from_fn`.
pub async fn log_request(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    // A fixed set, so that a client cannot grow the metrics with methods of its own.
    let method: &'static str = match request.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let path = request.path().to_owned();
    let id = request_id(
        request
            .headers()
            .get(&REQUEST_ID)
            .and_then(|value| value.to_str().ok()),
    );
    let metrics = request
        .app_data::<actix_web::web::Data<crate::app::AppState>>()
        .map(|state| state.metrics.clone());
    let mut response = next.call(request).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(no route)".to_owned());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if let Some(metrics) = metrics {
        metrics.observe_request(method, &route, status, elapsed);
    }
    let duration_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    match response.response().error() {
        Some(error) if status == 503 => {
            tracing::warn!(http.method = %method, http.route = %route, http.path = %path, http.status = status, duration_ms, request_id = %id, error = %error, "database unavailable");
        }
        Some(error) if status >= 500 => {
            tracing::error!(http.method = %method, http.route = %route, http.path = %path, http.status = status, duration_ms, request_id = %id, error = %error, "request failed");
        }
        _ if path == "/health" || path == "/ready" => {
            tracing::debug!(http.method = %method, http.route = %route, http.path = %path, http.status = status, duration_ms, request_id = %id, "request");
        }
        _ => {
            tracing::info!(http.method = %method, http.route = %route, http.path = %path, http.status = status, duration_ms, request_id = %id, "request");
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_client_id_is_kept_and_anything_else_replaced() {
        assert_eq!(request_id(Some("abc-123_x.y")), "abc-123_x.y");
        for odd in [None, Some(""), Some("has space"), Some("a\u{e9}")] {
            let id = request_id(odd);
            assert_eq!(id.len(), 16, "{odd:?} → {id}");
            assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        }
        assert_eq!(request_id(Some(&"x".repeat(65))).len(), 16);
    }
}
