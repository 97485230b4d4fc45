//! A contract's request turned into the HTTP request sent to the provider: method, path,
//! query, headers and body exactly as written, with generators applied where the contract has
//! them, then the custom `--header`s added or replacing contract headers.
//!
//! Custom header values are secrets (auth tokens): they go into the request and nowhere else.

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde_json::{Map, Value};
use treaty_schemas::{Body, BodyContent, Generators, HttpRequest};

use super::generators::{apply_to_json, as_text, generate};

/// Characters percent-encoded in a contract path: controls, space and the URL delimiters that
/// would change its meaning. `%` stays, so an already-encoded path is sent as written.
const PATH_ENCODE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Builds the request for one interaction. `base_url` has no trailing slash.
pub fn build(
    client: &reqwest::Client,
    base_url: &str,
    request: &HttpRequest,
    custom_headers: &[(HeaderName, HeaderValue)],
    state_params: &Map<String, Value>,
) -> Result<reqwest::Request, String> {
    let generators = &request.generators;
    let method =
        Method::from_bytes(request.method.to_ascii_uppercase().as_bytes()).map_err(|_| {
            format!(
                "the contract's method {:?} is not a valid HTTP method",
                request.method
            )
        })?;

    let path =
        generated_single(generators, "path", state_params).unwrap_or_else(|| request.path.clone());
    let encoded_path = percent_encoding::utf8_percent_encode(&path, PATH_ENCODE);
    let separator = if path.starts_with('/') { "" } else { "/" };
    let mut url = Url::parse(&format!("{base_url}{separator}{encoded_path}")).map_err(|error| {
        format!("cannot build a URL from {base_url} and path {path:?}: {error}")
    })?;
    if let Some(query) = &request.query {
        let mut pairs = url.query_pairs_mut();
        for (name, values) in query {
            let generated = generated_named(generators, "query", name, state_params);
            for value in values {
                pairs.append_pair(name, generated.as_deref().unwrap_or(value));
            }
        }
    }

    let mut builder = client.request(method, url);
    let mut headers = HeaderMap::new();
    for (name, values) in request.headers.iter().flatten() {
        let joined = generated_named(generators, "header", name, state_params)
            .unwrap_or_else(|| values.join(", "));
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("the contract's header name {name:?} is not valid"))?;
        let header_value = HeaderValue::from_str(&joined).map_err(|_| {
            format!("the contract's value of header {name} is not a valid header value")
        })?;
        headers.append(header_name, header_value);
    }
    if let Some((bytes, content_type)) = body_bytes(&request.body, generators, state_params) {
        let missing_type = !headers.contains_key(CONTENT_TYPE);
        if let Some(value) = content_type
            .filter(|_| missing_type)
            .and_then(|content_type| HeaderValue::from_str(&content_type).ok())
        {
            headers.insert(CONTENT_TYPE, value);
        }
        builder = builder.body(bytes);
    }
    for (name, value) in custom_headers {
        headers.insert(name.clone(), value.clone());
    }
    builder = builder.headers(headers);
    builder
        .build()
        .map_err(|error| format!("cannot build the request: {error}"))
}

/// The body's bytes and the content type to send when the contract has no `Content-Type`
/// header; `None` when the contract has no body.
fn body_bytes(
    body: &Body,
    generators: &Generators,
    state_params: &Map<String, Value>,
) -> Option<(Vec<u8>, Option<String>)> {
    let Body::Present {
        content,
        content_type,
    } = body
    else {
        return None;
    };
    match content {
        BodyContent::Json(value) => {
            let bytes = match generators.get("body").filter(|body| !body.is_empty()) {
                Some(body_generators) => {
                    let mut value = value.clone();
                    apply_to_json(&mut value, body_generators, state_params);
                    serde_json::to_vec(&value)
                }
                None => serde_json::to_vec(value),
            };
            let content_type = content_type
                .clone()
                .or_else(|| Some("application/json".to_owned()));
            Some((bytes.unwrap_or_default(), content_type))
        }
        BodyContent::Text(text) => Some((text.clone().into_bytes(), content_type.clone())),
        BodyContent::Bytes(bytes) => Some((bytes.clone(), content_type.clone())),
    }
}

/// The generated value for a category keyed by name (`header`, `query`), as text.
fn generated_named(
    generators: &Generators,
    category: &str,
    name: &str,
    state_params: &Map<String, Value>,
) -> Option<String> {
    let by_name = generators.get(category)?;
    let generator = by_name.get(name).or_else(|| {
        by_name
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, g)| g)
    })?;
    generate(generator, state_params).map(|value| as_text(&value))
}

/// The generated value for a category with one generator (`path`), as text.
fn generated_single(
    generators: &Generators,
    category: &str,
    state_params: &Map<String, Value>,
) -> Option<String> {
    let generator = generators.get(category)?.values().next()?;
    generate(generator, state_params).map(|value| as_text(&value))
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
