//! A webhook receiver for the webhook tests: an HTTP/1.1 server on 127.0.0.1:0 that records
//! every request (method, target, headers, body, arrival time, the status it answered) and can
//! be told to answer 500 to the first N calls, or to every call until told otherwise.
//!
//! It answers 200 with `{"received": "<METHOD> <target>"}`, or 500 with
//! `{"error": "failing on purpose"}`. A request whose path starts with `/echo` is answered with
//! its own headers in the body (as an echo service such as httpbin does), to see whether the
//! broker shows a secret a receiver sends back.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    /// `POST`, `GET`, …
    pub(crate) method: String,
    /// The request target as sent: path and query, percent-encoding kept.
    pub(crate) target: String,
    /// Headers as sent (names as written).
    pub(crate) headers: Vec<(String, String)>,
    /// The body, as text.
    pub(crate) body: String,
    /// When its head arrived.
    pub(crate) at: Instant,
    /// The status the receiver answered.
    pub(crate) answered: u16,
}

impl Call {
    /// The value of header `name` (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(own, _)| own.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON (`Value::Null` when it is not JSON).
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The path without the query.
    pub(crate) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

#[derive(Debug, Default)]
struct State {
    calls: Vec<Call>,
    /// Calls still to answer with 500.
    fail_next: usize,
    /// Answer every call with 500.
    fail_always: bool,
}

/// A running receiver; its threads end with the test process.
#[derive(Debug, Clone)]
pub(crate) struct Receiver {
    /// `http://127.0.0.1:<port>`.
    pub(crate) url: String,
    /// The port it listens on.
    pub(crate) port: u16,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    /// Starts a receiver on a free port.
    pub(crate) fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a receiver port");
        let port = listener.local_addr().expect("a local address").port();
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Receiver {
            url: format!("http://127.0.0.1:{port}"),
            port,
            state,
        }
    }

    /// Answers the next `n` calls with 500.
    pub(crate) fn fail_next(&self, n: usize) {
        self.lock().fail_next = n;
    }

    /// Answers every call with 500 (`true`) or as usual again (`false`).
    pub(crate) fn fail_always(&self, fail: bool) {
        self.lock().fail_always = fail;
    }

    /// Every call so far, in order of arrival.
    pub(crate) fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// Waits until `done` holds for the calls so far, for at most `timeout`; returns the calls
    /// and whether it held.
    pub(crate) fn wait_until(
        &self,
        timeout: Duration,
        done: impl Fn(&[Call]) -> bool,
    ) -> (Vec<Call>, bool) {
        let deadline = Instant::now() + timeout;
        loop {
            let calls = self.calls();
            if done(&calls) {
                return (calls, true);
            }
            if Instant::now() >= deadline {
                return (calls, false);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The calls as lines (`METHOD target → status`), for assertion messages.
pub(crate) fn list(calls: &[Call]) -> String {
    calls
        .iter()
        .map(|call| format!("{} {} → {}\n", call.method, call.target, call.answered))
        .collect()
}

/// Serves one keep-alive connection until the client closes it.
fn serve(stream: TcpStream, state: &Mutex<State>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(mut call) = read_request(&mut reader) {
        let status = {
            let mut state = state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let fail = if state.fail_always {
                true
            } else if state.fail_next > 0 {
                state.fail_next -= 1;
                true
            } else {
                false
            };
            let status = if fail { 500 } else { 200 };
            call.answered = status;
            state.calls.push(call.clone());
            status
        };
        let body = if status == 500 {
            json!({ "error": "failing on purpose" })
        } else if call.path().starts_with("/echo") {
            let headers: serde_json::Map<String, Value> = call
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), Value::String(value.clone())))
                .collect();
            json!({ "headers": headers })
        } else {
            json!({ "received": format!("{} {}", call.method, call.target) })
        }
        .to_string();
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            if status == 200 {
                "OK"
            } else {
                "Internal Server Error"
            },
            body.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(body.as_bytes()).is_err()
        {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Call> {
    let request = read_http_request(reader)?;
    Some(Call {
        method: request.method,
        target: request.target,
        headers: request.headers,
        body: String::from_utf8_lossy(&request.body).into_owned(),
        at: request.at,
        answered: 0,
    })
}

/// One HTTP/1.1 request as read off a connection (no chunked bodies: the clients of these
/// tests send `Content-Length`).
pub(crate) struct RawRequest {
    /// `POST`, `GET`, …
    pub(crate) method: String,
    /// The request target as sent.
    pub(crate) target: String,
    /// Headers as sent.
    pub(crate) headers: Vec<(String, String)>,
    /// The body bytes.
    pub(crate) body: Vec<u8>,
    /// When its head arrived.
    pub(crate) at: Instant,
}

/// Reads the next request of a keep-alive connection; `None` when the client closed it or sent
/// something unreadable.
pub(crate) fn read_http_request(reader: &mut BufReader<TcpStream>) -> Option<RawRequest> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let at = Instant::now();
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok()?;
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some(RawRequest {
        method,
        target,
        headers,
        body,
        at,
    })
}
