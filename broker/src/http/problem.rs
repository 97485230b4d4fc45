//! RFC 9457 problem details, served instead of the legacy `{"errors": …}` body only when the
//! client's `Accept` asks for `application/problem+json` (the Pact clients never do).

use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::middleware::Next;
use serde_json::{Value, json};

use crate::domain::DomainError;
use crate::http::error::ApiError;

/// The problem media type.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Middleware for `actix_web::middleware::from_fn`: rewrites an [`ApiError`] response as problem
/// details when the client asked for them.
pub async fn negotiate_problem(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wants_problem = request
        .headers()
        .get_all(ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.contains(PROBLEM_JSON));
    let base = crate::http::hal::public_base_of(request.request());
    let response = next.call(request).await?;
    if !wants_problem {
        return Ok(response.map_into_boxed_body());
    }
    let problem = response
        .response()
        .error()
        .and_then(|error| error.as_error::<ApiError>())
        .map(|error| problem_body(error, &base, response.request().path()));
    match problem {
        None => Ok(response.map_into_boxed_body()),
        Some(body) => {
            let status = response.status();
            let (request, original) = response.into_parts();
            let mut replaced = HttpResponse::build(status);
            // Keep the headers that say how to proceed (`Retry-After`, `WWW-Authenticate`).
            for (name, value) in original.headers() {
                if name != CONTENT_TYPE && name != CONTENT_LENGTH {
                    replaced.append_header((name.clone(), value.clone()));
                }
            }
            let replaced = replaced
                .insert_header((CONTENT_TYPE, PROBLEM_JSON))
                .body(body.to_string());
            Ok(ServiceResponse::new(request, replaced))
        }
    }
}

/// The problem details of an error: a stable `type` per kind, and for validation errors one
/// entry per fault with a JSON `pointer` into the request body.
pub fn problem_body(error: &ApiError, base: &str, instance: &str) -> Value {
    use actix_web::ResponseError;
    let status = error.status_code().as_u16();
    let (kind, title) = match status {
        400 => ("validation-error", "Validation errors"),
        401 => ("unauthorized", "Credentials required"),
        403 => ("forbidden", "Forbidden"),
        404 => ("not-found", "Not found"),
        409 => ("conflict", "Conflict"),
        413 => ("payload-too-large", "Request body too large"),
        414 => ("uri-too-long", "Path or query too long"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        422 => ("unprocessable-entity", "Unprocessable entity"),
        429 => ("too-many-requests", "Too many wrong credentials"),
        431 => ("headers-too-large", "Request headers too large"),
        503 => ("unavailable", "Service unavailable"),
        _ => ("server-error", "Server error"),
    };
    let problem_type = format!("{base}/problems/{kind}");
    let detail = match error {
        ApiError::Domain(DomainError::Storage(_)) if status == 503 => {
            "the database is unavailable: try again later".to_owned()
        }
        ApiError::Domain(DomainError::Storage(error)) if error.is_unstorable_text() => {
            "a value in the request contains a character that cannot be stored (such as NUL): remove it".to_owned()
        }
        ApiError::Domain(DomainError::Storage(_)) => {
            "internal error: the failure was logged".to_owned()
        }
        other => other.to_string(),
    };
    let errors: Vec<Value> = match error {
        ApiError::Domain(DomainError::Invalid(faults) | DomainError::Unprocessable(faults)) => {
            faults
                .iter()
                .map(|fault| {
                    let mut entry = json!({
                        "type": problem_type,
                        "title": "Validation error",
                        "detail": fault.message,
                        "pointer": format!("/{}", fault.field),
                        "status": status,
                    });
                    if let (Some(pointer), Value::Object(fields)) = (&fault.pointer, &mut entry) {
                        fields.insert("contentPointer".into(), json!(pointer));
                    }
                    entry
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let mut body = json!({ "type": problem_type, "title": title, "status": status, "detail": detail, "instance": instance });
    if let (false, Value::Object(fields)) = (errors.is_empty(), &mut body) {
        fields.insert("errors".into(), Value::Array(errors));
    }
    body
}
