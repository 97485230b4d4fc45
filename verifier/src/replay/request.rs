//! A contract's request turned into the HTTP request sent to the provider: method, path,
//! query, headers and body exactly as written, with generators applied where the contract has
//! them, then the custom `--header`s added or replacing contract headers.
//!
//! Custom header values are secrets (auth tokens): they go into the request and nowhere else.

use std::borrow::Cow;

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde_json::{Map, Value};
use treaty_schemas::{Body, BodyContent, Generators, HttpRequest};

use super::generators::{apply_to_json, as_text, generate};
use super::transport::Outgoing;

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

/// The bytes of a path that [`PATH_ENCODE`] leaves as they are and that cannot start a `.`
/// or `..` segment or a backslash (see [`needs_url_normalisation`]): visible ASCII but for the
/// encoded delimiters, `.`, `%` and `\\`.
static PLAIN_PATH: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0x21;
    while byte < 0x7f {
        table[byte] = !matches!(
            byte as u8,
            b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}' | b'.' | b'%' | b'\\'
        );
        byte += 1;
    }
    table
};

/// Builds the request for one interaction, its path under `base_path` (the provider base
/// URL's path, without a trailing slash).
pub(crate) fn build(
    base_path: &str,
    request: &HttpRequest,
    custom_headers: &[(HeaderName, HeaderValue)],
    state_params: &Map<String, Value>,
) -> Result<Outgoing<'static>, String> {
    let generators = &request.generators;
    let method = match request.method.as_str() {
        "GET" | "get" => Method::GET,
        "POST" | "post" => Method::POST,
        other => Method::from_bytes(other.to_ascii_uppercase().as_bytes()).map_err(|_| {
            format!(
                "the contract's method {:?} is not a valid HTTP method",
                request.method
            )
        })?,
    };

    let generated_path = generated_single(generators, "path", state_params);
    let path = generated_path.as_deref().unwrap_or(&request.path);
    let mut target = String::with_capacity(base_path.len() + path.len() + 16);
    target.push_str(base_path);
    if !path.starts_with('/') {
        target.push('/');
    }
    if path.bytes().all(|byte| PLAIN_PATH[usize::from(byte)]) && !needs_url_normalisation(base_path)
    {
        // Nothing to encode and nothing a URL parser would rewrite: the usual path, as it is.
        target.push_str(path);
    } else {
        target.extend(percent_encoding::utf8_percent_encode(path, PATH_ENCODE));
        if needs_url_normalisation(&target) {
            target = normalised_path(&target)?;
        }
    }
    if let Some(query) = &request.query {
        let mut first = true;
        for (name, values) in query {
            let generated = generated_named(generators, "query", name, state_params);
            for value in values {
                target.push(if first { '?' } else { '&' });
                first = false;
                target.extend(form_urlencoded::byte_serialize(name.as_bytes()));
                target.push('=');
                let value = generated.as_deref().unwrap_or(value);
                target.extend(form_urlencoded::byte_serialize(value.as_bytes()));
            }
        }
    }

    // Room for the contract's headers, a content type and the custom headers.
    let contract_headers = request.headers.as_ref().map_or(0, Vec::len);
    let mut headers: Vec<(HeaderName, HeaderValue)> =
        Vec::with_capacity(contract_headers + 1 + custom_headers.len());
    for (name, values) in request.headers.iter().flatten() {
        let generated = generated_named(generators, "header", name, state_params);
        let value = match (&generated, values.as_slice()) {
            (Some(generated), _) => HeaderValue::from_str(generated),
            (None, [one]) => HeaderValue::from_str(one),
            (None, _) => HeaderValue::from_str(&values.join(", ")),
        };
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("the contract's header name {name:?} is not valid"))?;
        let header_value = value.map_err(|_| {
            format!("the contract's value of header {name} is not a valid header value")
        })?;
        headers.push((header_name, header_value));
    }
    let mut body = None;
    if let Some((bytes, content_type)) = body_bytes(&request.body, generators, state_params) {
        let missing_type = !headers.iter().any(|(name, _)| name == CONTENT_TYPE);
        if let Some(value) = content_type
            .filter(|_| missing_type)
            .and_then(|content_type| HeaderValue::from_str(&content_type).ok())
        {
            headers.push((CONTENT_TYPE, value));
        }
        body = Some(bytes);
    }
    for (name, value) in custom_headers {
        headers.retain(|(existing, _)| existing != name);
        headers.push((name.clone(), value.clone()));
    }
    Ok(Outgoing {
        method,
        target: target.into(),
        headers: headers.into(),
        body: body.map(Cow::Owned),
    })
}

/// True when a URL parser would rewrite the encoded path: a backslash (a slash in `http`
/// URLs) or a `.` or `..` segment, written plainly or percent-encoded.
fn needs_url_normalisation(path: &str) -> bool {
    if !path.bytes().any(|byte| matches!(byte, b'\\' | b'.' | b'%')) {
        return false;
    }
    path.contains('\\')
        || path.split('/').any(|segment| {
            let segment = segment.to_ascii_lowercase().replace("%2e", ".");
            segment == "." || segment == ".."
        })
}

/// The path as a URL parser normalises it (`/a/./b/../c` is `/a/c`), for the rare contract
/// path that needs it; what a provider receives is then what `reqwest` would have sent.
fn normalised_path(path: &str) -> Result<String, String> {
    let url = Url::parse(&format!("http://normalise.invalid{path}"))
        .map_err(|error| format!("cannot build a URL from path {path:?}: {error}"))?;
    Ok(url.path().to_owned())
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
