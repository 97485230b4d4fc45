//! Request extractors with our own rejections: JSON bodies read up to `--max-body-bytes`
//! (413 beyond), parse errors as 400 with the position, and path segments decoded into
//! validated names (the raw path is split on `/` before decoding, so `%2F` survives).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use crate::app::AppState;
use crate::http::error::ApiError;

/// A JSON body of type `T`; any Content-Type is accepted (curl scripts often send none).
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

/// The body limit when no state is registered (never the case outside unit tests).
const FALLBACK_LIMIT: usize = 10 * 1024 * 1024;

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = request
            .app_data::<web::Data<AppState>>()
            .map_or(FALLBACK_LIMIT, |state| state.max_body_bytes);
        let declared: Option<usize> = request
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse().ok());
        let payload = web::Payload::from_request(request, payload);
        Box::pin(async move {
            if declared.is_some_and(|length| length > limit) {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            let payload = payload.await.map_err(|error| {
                ApiError::MalformedBody(format!("cannot read the request body: {error}"))
            })?;
            let bytes = match payload.to_bytes_limited(limit).await {
                Ok(Ok(bytes)) => bytes,
                Ok(Err(error)) => {
                    return Err(ApiError::MalformedBody(format!(
                        "cannot read the request body: {error}"
                    )));
                }
                Err(_) => return Err(ApiError::PayloadTooLarge { limit }),
            };
            let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Err(ApiError::MalformedBody(
                    "the request body is empty: expected a JSON document".into(),
                ));
            }
            serde_json::from_slice(bytes)
                .map(JsonBody)
                .map_err(|error| {
                    ApiError::MalformedBody(format!(
                        "the request body is not the JSON expected: {error}"
                    ))
                })
        })
    }
}

/// Parses a decoded path segment into a validated value, or a 400 naming the segment.
pub fn segment<T>(
    name: &str,
    raw: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ApiError> {
    parse(raw).map_err(|message| ApiError::invalid(name, message))
}

/// The query string as decoded pairs (a repeated key keeps its last value; an empty value is
/// kept, so that `?applicationInstance=` can mean "none"), or a 400.
pub fn query_pairs(request: &HttpRequest) -> Result<HashMap<String, String>, ApiError> {
    web::Query::<HashMap<String, String>>::from_query(request.query_string())
        .map(web::Query::into_inner)
        .map_err(|error| {
            ApiError::invalid("query", format!("cannot read the query string: {error}"))
        })
}
