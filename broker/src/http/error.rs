//! The one place that turns failures into HTTP statuses and JSON bodies.
//!
//! Client mistakes get a 4xx with `{"errors": {field: [messages]}}` (what the Pact clients
//! print; 422 for a change the rules forbid, 415 for a body type a resource does not take); a
//! publish conflict gets the Pact Broker's 409 shape; missing or wrong credentials get 401 with
//! a `WWW-Authenticate` challenge, a role that may not 403; a database outage gets 503; anything
//! else is a 500 whose body says nothing internal (`http::logging` logs the cause once).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};
use serde_json::{Value, json};

use crate::domain::{DomainError, FieldError};
use crate::http::hal::HAL_JSON;

/// An error as the HTTP layer reports it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A domain or storage failure.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The body is not the JSON expected.
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    /// The body exceeds `--max-body-bytes`.
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Invalid matrix or can-i-deploy parameters: a 400 whose `errors` is a list of messages,
    /// the shape the Pact Broker's matrix resources answer (the Pact clients' contracts expect
    /// an array there).
    #[error("invalid matrix query")]
    InvalidMatrixQuery(Vec<FieldError>),
    /// No route matches.
    #[error("no resource at {0}")]
    NoRoute(String),
    /// Missing or wrong credentials: a 401 with a `WWW-Authenticate` challenge.
    #[error("{message}")]
    Unauthorized {
        /// What to send instead.
        message: String,
        /// The `WWW-Authenticate` value.
        challenge: &'static str,
    },
    /// The caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The client's address sent too many wrong credentials lately.
    #[error("too many wrong credentials from this address: try again in {retry_after_seconds} s")]
    TooManyRequests {
        /// When to try again.
        retry_after_seconds: u64,
    },
    /// The path or query string is over its limit.
    #[error("{0}")]
    UriTooLong(String),
    /// A header, or all of them, over the limit.
    #[error("{0}")]
    HeadersTooLarge(String),
    /// The request body's Content-Type is not one the resource accepts.
    #[error("unsupported media type `{found}`: expected {expected}")]
    UnsupportedMediaType {
        /// What the resource accepts.
        expected: &'static str,
        /// What the client sent.
        found: String,
    },
}

impl ApiError {
    /// This error as the matrix resources answer it: invalid input as
    /// [`ApiError::InvalidMatrixQuery`], anything else unchanged.
    pub fn in_matrix(self) -> Self {
        match self {
            Self::Domain(DomainError::Invalid(faults)) => Self::InvalidMatrixQuery(faults),
            other => other,
        }
    }

    /// A 400 for one invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Domain(DomainError::invalid(field, message))
    }
}

fn errors_body(faults: &[FieldError]) -> Value {
    let mut errors: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for fault in faults {
        errors
            .entry(fault.field.as_str())
            .or_default()
            .push(fault.message.as_str());
    }
    json!({ "errors": errors })
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Domain(DomainError::Invalid(_))
            | Self::InvalidMatrixQuery(_)
            | Self::MalformedBody(_) => StatusCode::BAD_REQUEST,
            Self::Domain(DomainError::NotFound(_)) | Self::NoRoute(_) => StatusCode::NOT_FOUND,
            Self::Domain(DomainError::ContractConflict { .. } | DomainError::Conflict { .. }) => {
                StatusCode::CONFLICT
            }
            Self::Domain(DomainError::Storage(error)) if error.is_unavailable() => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Domain(DomainError::Storage(error)) if error.is_unstorable_text() => {
                StatusCode::BAD_REQUEST
            }
            Self::Domain(DomainError::Storage(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Domain(DomainError::Unprocessable(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let (content_type, body) = match self {
            Self::Domain(DomainError::Invalid(faults) | DomainError::Unprocessable(faults)) => {
                (HAL_JSON, errors_body(faults))
            }
            Self::InvalidMatrixQuery(faults) => {
                let messages: Vec<&str> = faults.iter().map(|f| f.message.as_str()).collect();
                (HAL_JSON, json!({ "errors": messages }))
            }
            Self::UnsupportedMediaType { expected, found } => (
                HAL_JSON,
                json!({ "errors": { "body": [format!(
                    "unsupported Content-Type `{found}`: send {expected}"
                )] } }),
            ),
            Self::Domain(DomainError::NotFound(message))
            | Self::Unauthorized { message, .. }
            | Self::Forbidden(message)
            | Self::UriTooLong(message)
            | Self::HeadersTooLarge(message) => (HAL_JSON, json!({ "error": message })),
            Self::TooManyRequests { .. } => (HAL_JSON, json!({ "error": self.to_string() })),
            Self::NoRoute(path) => (
                HAL_JSON,
                json!({ "error": format!("no resource at `{path}`: see GET / for the API's relations") }),
            ),
            Self::Domain(DomainError::ContractConflict { message }) => (
                "application/json;charset=utf-8",
                json!({
                    "notices": [{ "type": "error", "text": message }],
                    "errors": { "contracts": [message] },
                }),
            ),
            Self::Domain(DomainError::Conflict { field, message }) => {
                (HAL_JSON, json!({ "errors": { field: [message] } }))
            }
            Self::MalformedBody(message) => (HAL_JSON, json!({ "errors": { "body": [message] } })),
            Self::PayloadTooLarge { limit } => (
                HAL_JSON,
                json!({ "errors": { "body": [format!(
                    "the request body is larger than the limit of {limit} bytes: send a smaller body, or raise --max-body-bytes"
                )] } }),
            ),
            // The cause of a 5xx is logged once, by `http::logging`, from the error on the response.
            Self::Domain(DomainError::Storage(error)) if error.is_unavailable() => (
                HAL_JSON,
                json!({ "error": "the database is unavailable: try again later" }),
            ),
            Self::Domain(DomainError::Storage(error)) if error.is_unstorable_text() => (
                HAL_JSON,
                json!({ "errors": { "request": [
                    "a value in the request contains a character that cannot be stored (such as NUL, \\u0000): remove it"
                ] } }),
            ),
            Self::Domain(DomainError::Storage(_)) => (
                HAL_JSON,
                json!({ "error": "internal error: the failure was logged" }),
            ),
        };
        let mut response = HttpResponse::build(status)
            .insert_header((CONTENT_TYPE, content_type))
            .body(body.to_string());
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if let Self::TooManyRequests {
            retry_after_seconds,
        } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_seconds.to_string())
        {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        if let Self::Unauthorized { challenge, .. } = self {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}
