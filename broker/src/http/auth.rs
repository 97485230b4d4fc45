//! The access-control middleware: asks [`AccessControl::check`] about every request before it
//! is routed, and answers 401 (with `WWW-Authenticate`) or 403 itself. Credentials are never
//! logged; the decision is.
//!
//! [`AccessControl::check`]: crate::domain::access::AccessControl::check

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::AUTHORIZATION;
use actix_web::middleware::Next;
use actix_web::web;

use crate::app::AppState;
use crate::domain::access::Decision;
use crate::http::error::ApiError;

/// Middleware for `actix_web::middleware::from_fn`.
pub async fn authorize(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(request).await?.map_into_left_body());
    };
    let authorization = request
        .headers()
        .get(AUTHORIZATION)
        .map(|value| value.to_str().map_err(|_| ()));
    let peer = request
        .peer_addr()
        .map(|address| address.ip().to_canonical());
    // The path as the router matches it (percent-decoded except `%2F`, `%25` and `%2B`), not
    // the raw one: `/%74okens` routes to `/tokens` and must need what `/tokens` needs.
    let path = request.match_info().as_str().to_owned();
    let decision = state
        .access
        .check(
            &state.db,
            request.method().as_str(),
            &path,
            authorization,
            peer,
        )
        .await;
    let refusal = match decision {
        Ok(Decision::Allow) => return Ok(next.call(request).await?.map_into_left_body()),
        Ok(Decision::Unauthorized(message)) => ApiError::Unauthorized {
            message,
            challenge: state.access.challenge(),
        },
        Ok(Decision::Forbidden(message)) => ApiError::Forbidden(message),
        Ok(Decision::Throttled(pause)) => ApiError::TooManyRequests {
            retry_after_seconds: pause.as_secs().max(1),
        },
        Err(error) => ApiError::Domain(error),
    };
    // `error_response` keeps the error on the response, for problem details and the request log.
    Ok(request.error_response(refusal).map_into_right_body())
}
