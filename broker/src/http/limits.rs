//! Limits on the request head, checked before routing so every endpoint gets them: the path,
//! the query string and the headers, each answered with a 4xx that names the limit. (Bodies are
//! limited by `--max-body-bytes` in `http::extract`; JSON nesting by serde_json's depth limit
//! of 128; names by the domain's validation.)

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::http::error::ApiError;

/// The longest path, in bytes (percent-encoded, as sent).
pub const MAX_PATH_BYTES: usize = 2048;
/// The longest query string, in bytes.
pub const MAX_QUERY_BYTES: usize = 8192;
/// The longest single header value, in bytes.
pub const MAX_HEADER_BYTES: usize = 8192;
/// The most header bytes (names and values) of one request.
pub const MAX_HEADERS_TOTAL_BYTES: usize = 16384;

/// Which limit a request head exceeds, if any: the pure rule the middleware applies.
pub fn check_head<'a>(
    path: &str,
    query: &str,
    headers: impl IntoIterator<Item = (&'a str, usize)>,
) -> Result<(), ApiError> {
    if path.len() > MAX_PATH_BYTES {
        return Err(ApiError::UriTooLong(format!(
            "the path is {} bytes long; the limit is {MAX_PATH_BYTES}",
            path.len()
        )));
    }
    if query.len() > MAX_QUERY_BYTES {
        return Err(ApiError::UriTooLong(format!(
            "the query string is {} bytes long; the limit is {MAX_QUERY_BYTES}: ask about fewer versions at once",
            query.len()
        )));
    }
    let mut total = 0;
    for (name, value_length) in headers {
        if value_length > MAX_HEADER_BYTES {
            return Err(ApiError::HeadersTooLarge(format!(
                "the {name} header is {value_length} bytes long; the limit is {MAX_HEADER_BYTES}"
            )));
        }
        total += name.len() + value_length;
    }
    if total > MAX_HEADERS_TOTAL_BYTES {
        return Err(ApiError::HeadersTooLarge(format!(
            "the headers are {total} bytes in all; the limit is {MAX_HEADERS_TOTAL_BYTES}"
        )));
    }
    Ok(())
}

/// Middleware for `actix_web::middleware::from_fn`.
pub async fn limit_head(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let checked = check_head(
        request.path(),
        request.query_string(),
        request
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.len())),
    );
    match checked {
        Ok(()) => Ok(next.call(request).await?.map_into_left_body()),
        Err(error) => Ok(request.error_response(error).map_into_right_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_of_the_head_has_its_limit() {
        let long = |n: usize| "a".repeat(n);
        let status = |result: Result<(), ApiError>| {
            result.map_or_else(
                |error| actix_web::ResponseError::status_code(&error).as_u16(),
                |()| 0,
            )
        };
        let path_at_limit = format!("/{}", long(MAX_PATH_BYTES - 1));
        let path_over = format!("/{}", long(MAX_PATH_BYTES));
        assert_eq!(status(check_head(&path_at_limit, "", [])), 0);
        assert_eq!(status(check_head(&path_over, "", [])), 414);
        assert_eq!(status(check_head("/", &long(MAX_QUERY_BYTES), [])), 0);
        assert_eq!(status(check_head("/", &long(MAX_QUERY_BYTES + 1), [])), 414);
        assert_eq!(status(check_head("/", "", [("x-a", MAX_HEADER_BYTES)])), 0);
        assert_eq!(
            status(check_head("/", "", [("x-a", MAX_HEADER_BYTES + 1)])),
            431
        );
        let many = [("x-a", 6000), ("x-b", 6000), ("x-c", 6000)];
        assert_eq!(status(check_head("/", "", many)), 431);
    }
}
