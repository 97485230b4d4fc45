//! Sending one request and reading its answer, for replay and for provider-state calls.
//!
//! A [`Session`] belongs to one replay worker and is used for one request at a time. Plain
//! `http` endpoints go through [`super::http1`] on the session's own keep-alive connections;
//! anything else (`https`) goes through the run's shared `reqwest` client. Both give the same
//! [`Received`] and the same errors, described in a few words ("connection refused", "timed
//! out after 2s") so that a report line says what the network said without a wall of causes.

use std::borrow::Cow;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use super::http1::{Connection, Http1Error, io_kind_words, plain_words};
pub(crate) use super::http1::{Received, Wanted};

/// A URL requests are sent to (the provider's base URL, the state change URL), parsed once
/// per run.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// The URL as given, for messages.
    text: String,
    url: Url,
    /// The URL's own path and query.
    own_target: String,
    /// `scheme://host[:port]`, for messages.
    origin: String,
    /// Where a plain-`http` endpoint connects; `None` for other schemes.
    plain: Option<PlainHost>,
}

/// The parts of a plain-`http` endpoint that its requests need.
#[derive(Debug, Clone)]
struct PlainHost {
    /// The host to connect to (an IPv6 address without brackets).
    connect_host: String,
    port: u16,
    /// The `Host` header: the host as written in the URL, with the port when the URL has one.
    host_header: String,
    /// `host:port`, naming the session's idle connections (shared with them: a connection is
    /// put back without a copy of its name).
    key: Arc<str>,
    /// [`json_post`] to the endpoint's own URL, written up to its `content-length` line: the
    /// same for every state change call, so written once.
    json_post_head: Vec<u8>,
}

impl Endpoint {
    /// Parses an absolute `http` or `https` URL.
    pub(crate) fn parse(text: &str) -> Result<Endpoint, String> {
        let url = Url::parse(text).map_err(|error| format!("{text:?} is not a URL: {error}"))?;
        let origin = url.origin().ascii_serialization();
        let env = |name: &str| std::env::var(name).ok();
        // Credentials in the URL become an Authorization header in reqwest; the lean client
        // leaves those URLs to it.
        let credentials = !url.username().is_empty() || url.password().is_some();
        let plain = if url.scheme() == "http" && !credentials && !proxy_may_apply(&url, env) {
            let Some(host) = url.host_str() else {
                return Err(format!("{text:?} has no host"));
            };
            let connect_host = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned();
            let port = url.port_or_known_default().unwrap_or(80);
            let host_header = match url.port() {
                Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
                None => url.host_str().unwrap_or_default().to_owned(),
            };
            let own_target = own_target_of(&url);
            let mut json_post_head = Vec::new();
            write_head(
                &mut json_post_head,
                &json_post(&own_target, b""),
                &host_header,
            );
            Some(PlainHost {
                key: Arc::from(format!("{connect_host}:{port}")),
                connect_host,
                port,
                host_header,
                json_post_head,
            })
        } else {
            None
        };
        Ok(Endpoint {
            text: text.to_owned(),
            own_target: own_target_of(&url),
            url,
            origin,
            plain,
        })
    }

    /// The URL as given.
    pub(crate) fn url(&self) -> &str {
        &self.text
    }

    /// `scheme://host[:port]`.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    /// Names `other`'s connections as this endpoint's own when both go to the same `host:port`
    /// (they would be reused either way; with one name, finding them compares no text).
    pub(crate) fn share_connections_with(&mut self, other: &Endpoint) {
        if let (Some(mine), Some(theirs)) = (&mut self.plain, &other.plain)
            && mine.key == theirs.key
        {
            mine.key = Arc::clone(&theirs.key);
        }
    }

    /// The URL's path without a trailing slash (`""` for the root), to put contract paths
    /// under.
    pub(crate) fn base_path(&self) -> &str {
        self.url.path().trim_end_matches('/')
    }
}

/// A URL's own path and query.
fn own_target_of(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The one header of a JSON POST.
static JSON_CONTENT: [(HeaderName, HeaderValue); 1] = [(
    reqwest::header::CONTENT_TYPE,
    HeaderValue::from_static("application/json"),
)];

/// A POST of a JSON `body` to `target`, as state change calls are.
fn json_post<'a>(target: &'a str, body: &'a [u8]) -> Outgoing<'a> {
    Outgoing {
        method: Method::POST,
        target: Cow::Borrowed(target),
        headers: Cow::Borrowed(&JSON_CONTENT),
        body: Some(Cow::Borrowed(body)),
    }
}

/// True when the environment names an HTTP proxy (`http_proxy`, `all_proxy`, in either case)
/// that `no_proxy` does not rule out for `url`'s host. Such requests go through `reqwest`,
/// which applies the proxy rules as it always has; the lean client never uses a proxy.
fn proxy_may_apply(url: &Url, env: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|value| !value.trim().is_empty());
    let proxied = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
        .iter()
        .any(|name| set(name));
    if !proxied {
        return false;
    }
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let excluded = ["no_proxy", "NO_PROXY"]
        .iter()
        .filter_map(|name| env(name))
        .flat_map(|list| {
            list.split(',')
                .map(|entry| entry.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .any(|entry| {
            let domain = entry.trim_start_matches('.');
            entry == "*"
                || (!domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}"))))
        });
    !excluded
}

/// A request ready to send: method, target (path and query, already encoded), headers as sent,
/// and the body.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing<'a> {
    pub(crate) method: Method,
    /// The request target in origin form: `/path?query`.
    pub(crate) target: Cow<'a, str>,
    pub(crate) headers: Cow<'a, [(HeaderName, HeaderValue)]>,
    pub(crate) body: Option<Cow<'a, [u8]>>,
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SendError {
    /// Nothing arrived within the request timeout.
    Timeout,
    /// No connection could be opened; the cause in a few words.
    Connect(String),
    /// The exchange failed after connecting; the cause in a few words.
    Failed(String),
}

/// One replay worker's way to the network: its keep-alive connections per plain-`http` origin,
/// and the run's `reqwest` client for everything else.
///
/// A session is used by one task on one runtime, as a worker's is: its connections and its
/// timer belong to the runtime it first sent on.
#[derive(Debug)]
pub(crate) struct Session {
    client: reqwest::Client,
    timeout: Duration,
    /// Idle connections, by `host:port`.
    idle: Vec<(Arc<str>, Connection)>,
    /// The bytes of the request being sent, kept to reuse the allocation.
    wire: Vec<u8>,
    /// The one timer that enforces the timeout of the session's plain-`http` requests (see
    /// [`within`]); made on the first request.
    timer: Option<Timer>,
}

/// The timer of [`within`], and the waker its last poll left with it.
#[derive(Debug)]
struct Timer {
    sleep: Pin<Box<tokio::time::Sleep>>,
    /// The waker the timer wakes when it fires, while it has one.
    waker: Option<Waker>,
}

const USER_AGENT: &str = concat!("treaty/", env!("CARGO_PKG_VERSION"));

impl Session {
    /// A session with no connections yet; `timeout` bounds each request, connecting included.
    pub(crate) fn new(client: reqwest::Client, timeout: Duration) -> Session {
        Session {
            client,
            timeout,
            idle: Vec::new(),
            wire: Vec::new(),
            timer: None,
        }
    }

    /// How long one request may take.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `request` to `endpoint` and reads the whole response; its headers are read into
    /// [`Received::headers`] only when `wanted` says so.
    pub(crate) async fn send(
        &mut self,
        endpoint: &Endpoint,
        request: &Outgoing<'_>,
        wanted: Wanted<'_>,
    ) -> Result<Received, SendError> {
        let Some(plain) = &endpoint.plain else {
            return self.send_with_reqwest(endpoint, request, wanted).await;
        };
        let deadline = deadline_after(self.timeout);
        self.wire.clear();
        write_request(&mut self.wire, request, &plain.host_header);
        let exchange = exchange_plain(&mut self.idle, plain, request, &self.wire, wanted);
        within(&mut self.timer, deadline, exchange).await
    }

    /// POSTs the JSON `body` to `endpoint`'s own URL, as a state change call does, and reads
    /// the status and body of the answer (the body of a success only when
    /// `body_of_success`): [`Session::send`] of [`json_post`], with the request's head as
    /// written when the endpoint was parsed.
    pub(crate) async fn post_json(
        &mut self,
        endpoint: &Endpoint,
        body: &[u8],
        body_of_success: bool,
    ) -> Result<Received, SendError> {
        let request = json_post(&endpoint.own_target, body);
        let wanted = if body_of_success {
            Wanted::StatusAndBody
        } else {
            Wanted::Status
        };
        let Some(plain) = &endpoint.plain else {
            return self.send_with_reqwest(endpoint, &request, wanted).await;
        };
        let deadline = deadline_after(self.timeout);
        self.wire.clear();
        self.wire.extend_from_slice(&plain.json_post_head);
        write_length_and_body(&mut self.wire, Some(body), &request.method);
        let exchange = exchange_plain(&mut self.idle, plain, &request, &self.wire, wanted);
        within(&mut self.timer, deadline, exchange).await
    }

    async fn send_with_reqwest(
        &self,
        endpoint: &Endpoint,
        request: &Outgoing<'_>,
        wanted: Wanted<'_>,
    ) -> Result<Received, SendError> {
        let text = format!("{}{}", endpoint.origin, request.target);
        let url = Url::parse(&text).map_err(|error| {
            SendError::Failed(format!("cannot build a URL from {text}: {error}"))
        })?;
        let mut headers = HeaderMap::with_capacity(request.headers.len());
        for (name, value) in request.headers.iter() {
            headers.append(name.clone(), value.clone());
        }
        let mut builder = self
            .client
            .request(request.method.clone(), url)
            .headers(headers);
        if let Some(body) = &request.body {
            builder = builder.body(body.to_vec());
        }
        let classify = |error: reqwest::Error| {
            if error.is_timeout() {
                SendError::Timeout
            } else if error.is_connect() {
                SendError::Connect(describe(&error))
            } else {
                SendError::Failed(describe(&error))
            }
        };
        let response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let mut headers: Vec<(String, Vec<String>)> = Vec::new();
        for (name, value) in response.headers() {
            if !wanted.keeps(name.as_str().as_bytes()) {
                continue;
            }
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            match headers
                .iter_mut()
                .find(|(existing, _)| existing == name.as_str())
            {
                Some((_, values)) => values.push(value),
                None => headers.push((name.as_str().to_owned(), vec![value])),
            }
        }
        let body = response.bytes().await.map_err(classify)?;
        Ok(Received {
            status,
            headers,
            body: body.to_vec(),
        })
    }
}

/// When a request starting now must have its answer: `timeout` from now (or as far as a
/// timer goes).
fn deadline_after(timeout: Duration) -> tokio::time::Instant {
    let now = tokio::time::Instant::now();
    now.checked_add(timeout)
        .unwrap_or_else(|| now + Duration::from_secs(86_400 * 365 * 30))
}

/// Runs `exchange` until `deadline`, then gives up with [`SendError::Timeout`].
///
/// `tokio::time::timeout` would put a new timer in the runtime's timer wheel for every request
/// and take it out again, which costs more than the rest of a small exchange on the client
/// side. Instead a session keeps one timer that is only ever early: its deadline is that of an
/// earlier request of the session (deadlines only grow), and when it fires before the current
/// request's deadline it is moved to that deadline and waited for again. So the wheel is
/// touched about once per timeout period instead of twice per request, and a request still
/// times out at its own deadline. The exchange is polled first, the timer only when the
/// exchange waits.
async fn within(
    timer: &mut Option<Timer>,
    deadline: tokio::time::Instant,
    exchange: impl Future<Output = Result<Received, SendError>>,
) -> Result<Received, SendError> {
    let mut exchange = pin!(exchange);
    std::future::poll_fn(|context| {
        if let Poll::Ready(result) = exchange.as_mut().poll(context) {
            return Poll::Ready(result);
        }
        let timer = timer.get_or_insert_with(|| Timer {
            sleep: Box::pin(tokio::time::sleep_until(deadline)),
            waker: None,
        });
        loop {
            // A timer that has not fired and will wake this same task need not be polled again
            // (a poll would only hand it the same waker).
            let armed_for_this_task = timer
                .waker
                .as_ref()
                .is_some_and(|waker| waker.will_wake(context.waker()));
            if armed_for_this_task && !timer.sleep.is_elapsed() {
                return Poll::Pending;
            }
            // Polled outside tokio's task budget, as `tokio::time::timeout` polls its delay: a
            // sleep polled with the budget spent returns `Pending` without registering the
            // waker, and the shortcut above would then never poll it again.
            let sleep = pin!(tokio::task::unconstrained(timer.sleep.as_mut()));
            if sleep.poll(context).is_pending() {
                timer.waker = Some(context.waker().clone());
                return Poll::Pending;
            }
            // Fired: it has no waker until polled again.
            timer.waker = None;
            if timer.sleep.deadline() >= deadline {
                return Poll::Ready(Err(SendError::Timeout));
            }
            timer.sleep.as_mut().reset(deadline);
        }
    })
    .await
}

/// One exchange on an idle connection to the endpoint, or a new one. A request that finds
/// its reused connection closed by the provider before any answer is sent again on a new
/// connection when its method is idempotent.
async fn exchange_plain(
    idle: &mut Vec<(Arc<str>, Connection)>,
    plain: &PlainHost,
    request: &Outgoing<'_>,
    wire: &[u8],
    wanted: Wanted<'_>,
) -> Result<Received, SendError> {
    let mut reusable = take_idle(idle, &plain.key);
    loop {
        let mut connection = match reusable.take() {
            Some(connection) => connection,
            None => Connection::open(&plain.connect_host, plain.port)
                .await
                .map_err(|error| SendError::Connect(error.describe()))?,
        };
        let head_only = request.method == Method::HEAD;
        match connection.exchange(wire, head_only, wanted).await {
            Ok((received, keep_alive)) => {
                if keep_alive {
                    put_idle(idle, &plain.key, connection);
                }
                return Ok(received);
            }
            Err(error) => {
                let stale = connection.reused
                    && request.method.is_idempotent()
                    && matches!(
                        error,
                        Http1Error::Closed { started: false } | Http1Error::Io(_)
                    );
                if !stale {
                    return Err(SendError::Failed(error.describe()));
                }
            }
        }
    }
}

/// An idle connection to `key` that is still open, if there is one; closed ones are dropped.
fn take_idle(idle: &mut Vec<(Arc<str>, Connection)>, key: &Arc<str>) -> Option<Connection> {
    while let Some(at) = idle
        .iter()
        .position(|(idle_key, _)| Arc::ptr_eq(idle_key, key) || idle_key == key)
    {
        let (_, mut connection) = idle.swap_remove(at);
        if connection.is_idle_and_open() {
            return Some(connection);
        }
    }
    None
}

/// Keeps `connection` as an idle connection to `key`.
fn put_idle(idle: &mut Vec<(Arc<str>, Connection)>, key: &Arc<str>, connection: Connection) {
    idle.push((Arc::clone(key), connection));
}

/// Writes `request` as HTTP/1.1 bytes: the request line, a `Host` header unless the request
/// has one, its headers as given, `user-agent` and `accept: */*` unless it has them (as
/// `reqwest` adds them), and a `content-length` computed from the body (one the contract
/// wrote would be the consumer's, and a wrong one breaks the framing).
fn write_request(wire: &mut Vec<u8>, request: &Outgoing<'_>, host_header: &str) {
    write_head(wire, request, host_header);
    write_length_and_body(wire, request.body.as_deref(), &request.method);
}

/// The part of [`write_request`] before the `content-length` line: the request line and the
/// headers.
fn write_head(wire: &mut Vec<u8>, request: &Outgoing<'_>, host_header: &str) {
    let has = |name: &HeaderName| request.headers.iter().any(|(header, _)| header == name);
    wire.extend_from_slice(request.method.as_str().as_bytes());
    wire.push(b' ');
    wire.extend_from_slice(request.target.as_bytes());
    wire.extend_from_slice(b" HTTP/1.1\r\n");
    if !has(&reqwest::header::HOST) {
        header_line(wire, "host", host_header.as_bytes());
    }
    for (name, value) in request.headers.iter() {
        if name == reqwest::header::CONTENT_LENGTH || name == reqwest::header::TRANSFER_ENCODING {
            continue;
        }
        header_line(wire, name.as_str(), value.as_bytes());
    }
    if !has(&reqwest::header::USER_AGENT) {
        header_line(wire, "user-agent", USER_AGENT.as_bytes());
    }
    if !has(&reqwest::header::ACCEPT) {
        header_line(wire, "accept", b"*/*");
    }
}

/// The rest of [`write_request`] after [`write_head`]: the `content-length` line, the empty
/// line and the body.
fn write_length_and_body(wire: &mut Vec<u8>, body: Option<&[u8]>, method: &Method) {
    match body {
        Some(body) => {
            let mut digits = [0u8; 20];
            header_line(wire, "content-length", decimal(body.len(), &mut digits));
            wire.extend_from_slice(b"\r\n");
            wire.extend_from_slice(body);
        }
        None => {
            if matches!(*method, Method::POST | Method::PUT | Method::PATCH) {
                header_line(wire, "content-length", b"0");
            }
            wire.extend_from_slice(b"\r\n");
        }
    }
}

/// `number` in decimal, written at the end of `digits`.
fn decimal(mut number: usize, digits: &mut [u8; 20]) -> &[u8] {
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (number % 10) as u8;
        number /= 10;
        if number == 0 {
            return &digits[at..];
        }
    }
}

fn header_line(wire: &mut Vec<u8>, name: &str, value: &[u8]) {
    wire.extend_from_slice(name.as_bytes());
    wire.extend_from_slice(b": ");
    wire.extend_from_slice(value);
    wire.extend_from_slice(b"\r\n");
}

/// The innermost useful cause of a reqwest failure, lowercase, without the OS error number.
pub fn describe(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        if let Some(words) = next
            .downcast_ref::<std::io::Error>()
            .and_then(io_kind_words)
        {
            return words.to_owned();
        }
        cause = next;
    }
    plain_words(&cause.to_string())
}

/// A duration as people write it: `500ms`, `2s`, `1.5s`.
pub fn human_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1000 {
        format!("{millis}ms")
    } else if millis.is_multiple_of(1000) {
        format!("{}s", millis / 1000)
    } else {
        format!("{:.1}s", duration.as_secs_f64())
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
