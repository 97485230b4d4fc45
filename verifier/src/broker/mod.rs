//! The broker client: one base URL, optional credentials, HAL discovery from the index, and
//! retries with bounded exponential back-off and jitter on 5xx, 408 and 429 (honouring
//! `Retry-After`; the schedule is in [`retry`]).
//!
//! It speaks to any broker that answers the Pact Broker HTTP API (Treaty's or the Ruby one).
//! Status codes are turned into [`Error`]s in one place, [`BrokerClient::expect_success`], so
//! that a 409 or 400 is a refusal (exit 1) and anything else unexpected is a failure to run
//! (exit 2). Credentials are never printed: [`Secret`] has no readable `Debug`.

pub mod deployments;
pub mod environments;
pub mod hal;
pub mod matrix;
pub mod pacts;
pub mod publish;
pub mod retry;
pub mod verification_results;
pub mod webhooks;
pub mod wire;

use std::fmt;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;

use crate::error::Error;

/// A credential that must not appear in logs or error messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How requests authenticate to the broker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
}

/// How often and how patiently to retry a request the broker answered with 5xx, 408 or 429, or
/// could not be connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first one included (1 means no retry).
    pub attempts: u32,
    /// The wait before the second attempt; it doubles after each attempt.
    pub first_delay: Duration,
    /// No wait is longer than this, whatever `Retry-After` says.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// A broker's answer: status, final URL and body (JSON when it is JSON, else a JSON string).
#[derive(Debug, Clone)]
pub struct BrokerResponse {
    /// The URL that answered.
    pub url: Url,
    /// The HTTP status.
    pub status: StatusCode,
    /// The body as JSON; a non-JSON body becomes a JSON string, an empty one `null`.
    pub body: Value,
    /// How many attempts it took (more than one after retries on 5xx, 408 or 429).
    pub attempts: u32,
}

/// A client for one broker.
#[derive(Debug, Clone)]
pub struct BrokerClient {
    http: reqwest::Client,
    base: Url,
    auth: Option<Auth>,
    retry: RetryPolicy,
}

impl BrokerClient {
    /// A client for the broker at `base_url` (`http://host:9292`, maybe with a context path).
    pub fn new(base_url: &str, auth: Option<Auth>, retry: RetryPolicy) -> Result<Self, Error> {
        let base = Url::parse(base_url)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "invalid broker base URL `{base_url}`: expected an http or https URL such as http://127.0.0.1:9292"
                ))
            })?;
        let http = reqwest::Client::builder()
            .user_agent(concat!("treaty/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|source| Error::Transport {
                url: base.to_string(),
                source,
            })?;
        Ok(BrokerClient {
            http,
            base,
            auth,
            retry,
        })
    }

    /// The base URL requests are resolved against.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Resolves an href from a HAL document (or a path) against the base URL.
    pub fn url_for(&self, href: &str) -> Result<Url, Error> {
        hal::resolve(&self.base, href).ok_or_else(|| Error::BrokerProtocol {
            url: self.base.to_string(),
            detail: format!("the link `{href}` is not a valid URL"),
        })
    }

    /// Fetches the index (`GET /`).
    pub async fn index(&self) -> Result<Value, Error> {
        let url = self.url_for("")?;
        let response = self.send(Method::GET, url, None).await?;
        Ok(Self::expect_success(response, "index request")?.body)
    }

    /// Finds `relation` in the index and expands its `{name}` placeholders with `values`.
    pub async fn discover(&self, relation: &str, values: &[(&str, &str)]) -> Result<Url, Error> {
        let index = self.index().await?;
        let href = hal::find_link(&index, relation).ok_or_else(|| Error::BrokerProtocol {
            url: self.base.to_string(),
            detail: format!("the index has no `{relation}` relation; is this a Pact broker?"),
        })?;
        self.url_for(&hal::expand(href, values))
    }

    /// Sends one request, retrying on 5xx, 408 and 429, and when no connection could be made
    /// (nothing was sent, so even a POST is safe to repeat; a broker restarting in a rolling
    /// deploy), as the [`RetryPolicy`] allows, and returns the last answer whatever its status.
    /// Only a failure to get any answer is an error here.
    pub async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<BrokerResponse, Error> {
        self.send_retrying_only(method, url, body, retry::is_retryable)
            .await
    }

    /// [`Self::send`], retrying only the answers `retryable` accepts (and, as always, a
    /// connection that could not be made): for a request that must not be repeated once the
    /// broker may have acted on it, such as running a webhook.
    pub async fn send_retrying_only(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        retryable: fn(StatusCode) -> bool,
    ) -> Result<BrokerResponse, Error> {
        let mut attempt = 1;
        loop {
            let response = match self.send_once(method.clone(), url.clone(), body).await {
                Ok(response) => response,
                Err(Error::Connect { .. }) if attempt < self.retry.attempts => {
                    let wait = retry::backoff(attempt, &self.retry, None, rand::random());
                    tracing::debug!(url = %url, attempt, wait_ms = wait.as_millis() as u64, "no connection to the broker; retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
                Err(Error::Connect { url, reason }) if attempt > 1 => {
                    return Err(Error::Connect {
                        url,
                        reason: format!("{reason} (after {attempt} attempts)"),
                    });
                }
                Err(error) => return Err(error),
            };
            if !retryable(response.status()) || attempt >= self.retry.attempts {
                return read_response(url, response, attempt).await;
            }
            let wait = retry::backoff(attempt, &self.retry, retry_after(&response), rand::random());
            tracing::debug!(url = %url, status = response.status().as_u16(), attempt, wait_ms = wait.as_millis() as u64, "retrying broker request");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Turns a non-2xx answer into an error: 400, 409 and 422 are refusals of `what` (a
    /// contract problem, exit 1); anything else means Treaty could not do its job (exit 2).
    pub fn expect_success(response: BrokerResponse, what: &str) -> Result<BrokerResponse, Error> {
        let status = response.status;
        if status.is_success() {
            return Ok(response);
        }
        let mut messages = wire::error_lines(&response.body);
        if messages.is_empty()
            && let Some(text) = response.body.as_str()
        {
            messages.push(text.chars().take(500).collect());
        }
        match status {
            StatusCode::BAD_REQUEST | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY => {
                Err(Error::Refused {
                    what: what.to_owned(),
                    status: status.as_u16(),
                    messages,
                })
            }
            _ => {
                let hint = match status {
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                        "; check --broker-token or --broker-username/--broker-password".to_owned()
                    }
                    _ if retry::is_retryable(status) => format!(
                        " after {} attempt{}; try again later, or raise --retries",
                        response.attempts,
                        if response.attempts == 1 { "" } else { "s" }
                    ),
                    _ => String::new(),
                };
                let mut detail = format!("{what} got {status}{hint}");
                for message in messages {
                    detail.push_str("\n  ");
                    detail.push_str(&message);
                }
                Err(Error::BrokerProtocol {
                    url: response.url.to_string(),
                    detail,
                })
            }
        }
    }

    async fn send_once(
        &self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<reqwest::Response, Error> {
        let accept = if method == Method::GET {
            "application/hal+json, application/json"
        } else {
            "application/hal+json"
        };
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .header(ACCEPT, HeaderValue::from_static(accept));
        if let Some(body) = body {
            // A PATCH is a JSON merge patch, as the Pact CLI sends it (the Pact Broker answers
            // 415 to a deployed-version PATCH of plain JSON).
            let content_type = if method == Method::PATCH {
                "application/merge-patch+json"
            } else {
                "application/json"
            };
            request = request
                .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
                .body(body.to_string());
        }
        request = match &self.auth {
            Some(Auth::Bearer(token)) => request.bearer_auth(token.expose()),
            Some(Auth::Basic { username, password }) => {
                request.basic_auth(username, Some(password.expose()))
            }
            None => request,
        };
        request
            .send()
            .await
            .map_err(|source| transport_error(&url, source))
    }
}

/// Reads a response body into JSON (a non-JSON body becomes a string, an empty one `null`).
async fn read_response(
    url: Url,
    response: reqwest::Response,
    attempts: u32,
) -> Result<BrokerResponse, Error> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|source| transport_error(&url, source))?;
    let body = if text.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Ok(BrokerResponse {
        url,
        status,
        body,
        attempts,
    })
}

/// The wait a 429 or 503 asks for in its `Retry-After` header, in seconds or as an HTTP date.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    retry::parse_retry_after(value, chrono::Utc::now())
}

/// Maps a reqwest failure to "could not connect" (with the reason in a few words) or to a
/// transport failure.
fn transport_error(url: &Url, source: reqwest::Error) -> Error {
    if source.is_connect() {
        let origin = url.origin().ascii_serialization();
        return Error::Connect {
            url: origin,
            reason: connect_reason(&source),
        };
    }
    Error::Transport {
        url: url.to_string(),
        source,
    }
}

/// The innermost cause of a connection failure, in a few lowercase words.
fn connect_reason(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        if let Some(io) = next.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return "connection refused".to_owned(),
                std::io::ErrorKind::TimedOut => return "timed out".to_owned(),
                _ => {}
            }
        }
        cause = next;
    }
    let text = cause.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    text.to_lowercase()
}
