//! Sending one rendered webhook request: the target is checked against the policy (an IP
//! literal here, a host name by the client's resolver, so the address connected to is the
//! address checked), redirects are not followed, no proxy is used, the whole exchange has a
//! timeout and only the first [`EXCERPT_BYTES`] of the response body are kept.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};

use crate::domain::webhooks::RenderedRequest;
use crate::domain::webhooks::deliveries::AttemptResult;
use crate::domain::webhooks::redact::redact_secrets;
use crate::domain::webhooks::target::{GuardedResolver, TargetPolicy};

/// How much of a response body is kept.
pub const EXCERPT_BYTES: usize = 4096;

/// Why the HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the webhook HTTP client: {0}")]
pub struct ClientError(#[from] reqwest::Error);

/// The client every delivery goes through.
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
    policy: Arc<TargetPolicy>,
    timeout: Duration,
}

impl Sender {
    /// A sender that only reaches what `policy` allows, giving up after `timeout`.
    pub fn new(policy: Arc<TargetPolicy>, timeout: Duration) -> Result<Self, ClientError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("treaty-broker/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver::new(Arc::clone(&policy))))
            .build()?;
        Ok(Self {
            client,
            policy,
            timeout,
        })
    }

    /// The send timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `request` once and says what happened; never fails (a failure is the result).
    pub async fn send(&self, request: &RenderedRequest) -> AttemptResult {
        let started_at = chrono::Utc::now();
        let clock = Instant::now();
        let refused = |error: String| AttemptResult {
            started_at,
            duration: clock.elapsed(),
            status: None,
            excerpt: None,
            error: Some(error),
            retryable: false,
        };
        if let Err(error) = self.policy.check_url(&request.url) {
            return refused(error.to_string());
        }
        let method = match reqwest::Method::from_bytes(request.method.as_bytes()) {
            Ok(method) => method,
            Err(_) => return refused(format!("`{}` is not an HTTP method", request.method)),
        };
        let mut builder = self.client.request(method, &request.url);
        let mut has_content_type = false;
        for (name, value) in &request.headers {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) else {
                return refused(format!(
                    "header `{name}` does not make a valid HTTP header once rendered"
                ));
            };
            has_content_type |= name == CONTENT_TYPE;
            builder = builder.header(name, value);
        }
        if let Some((user, password)) = &request.basic_auth {
            builder = builder.basic_auth(user, password.as_ref());
        }
        if let Some(body) = &request.body {
            if request.json_body && !has_content_type {
                builder = builder.header(CONTENT_TYPE, "application/json");
            }
            builder = builder.body(body.clone());
        }
        match builder.send().await {
            Err(error) => AttemptResult {
                started_at,
                duration: clock.elapsed(),
                status: None,
                excerpt: None,
                retryable: !refused_by_policy(&error),
                error: Some(redact(&describe(&error), request)),
            },
            Ok(mut response) => {
                let status = response.status().as_u16();
                // Read a little more than is kept, so that a secret the receiver echoes across
                // the cut is still found whole and redacted.
                let mut body = Vec::new();
                let mut read_error = None;
                while body.len() < EXCERPT_BYTES + READ_MARGIN {
                    match response.chunk().await {
                        Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                        Ok(None) => break,
                        Err(error) => {
                            read_error = Some(describe(&error));
                            break;
                        }
                    }
                }
                let excerpt = cut(
                    &redact(&String::from_utf8_lossy(&body), request),
                    EXCERPT_BYTES,
                );
                let error = match read_error {
                    Some(error) => Some(redact(&error, request)),
                    None if !(200..300).contains(&status) => {
                        Some(format!("the receiver answered {status}"))
                    }
                    None => None,
                };
                AttemptResult {
                    started_at,
                    duration: clock.elapsed(),
                    status: Some(status),
                    excerpt: (!excerpt.is_empty()).then_some(excerpt),
                    error,
                    retryable: true,
                }
            }
        }
    }
}

/// How much more than [`EXCERPT_BYTES`] is read before redacting.
const READ_MARGIN: usize = 1024;

/// `text` with every secret of `request` replaced.
fn redact(text: &str, request: &RenderedRequest) -> String {
    let secrets = request.secrets();
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    redact_secrets(text, &secrets)
}

/// At most `limit` bytes of `text`, cut at a character boundary.
fn cut(text: &str, limit: usize) -> String {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// Whether the client refused because the resolver refused the target's addresses.
fn refused_by_policy(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause
            .downcast_ref::<crate::domain::webhooks::target::TargetError>()
            .is_some_and(|error| {
                !matches!(
                    error,
                    crate::domain::webhooks::target::TargetError::Unresolvable { .. }
                )
            })
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The error with its causes, on one line, without the URL (it may carry a secret; the
/// webhook it belongs to is known).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        error.to_string()
    };
    if let Some(url) = error.url() {
        text = text
            .replace(&format!(" for url ({url})"), "")
            .replace(url.as_str(), "the target");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
