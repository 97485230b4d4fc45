//! The server in front of the broker for the client-contract test: it answers the verifier's
//! provider-state calls (see `states`) and forwards every other request to the broker, with the
//! matrix queries the contract file scrambled put back in order and the broker's public address
//! set to `http://example.org`.

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};

use serde_json::json;

use super::states::change_state;
use crate::support::receiver::read_http_request;
use crate::support::{block_on, http_client};

/// The matrix queries as the client sends them (the file lost their order; see the module doc).
const MEANT_QUERIES: [&str; 7] = [
    "q[][pacticipant]=Foo Thing&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=4.5.6&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=4.5.6&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=prod&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.4&q[][pacticipant]=Bar&q[][latest]=true&latestby=cvpv",
    "q[][pacticipant]=Wiffle&q[][version]=1.2.3&q[][pacticipant]=Meep&q[][version]=9.9.9&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=9.9.9&latestby=cvpv",
    "q[][pacticipant]=Bar&q[][version]=4.5.6&q[][pacticipant]=Foo&q[][tag]=prod&latestby=cvpv&ignore[][pacticipant]=Foo&ignore[][version]=3.4.5",
];

/// The path the verifier's provider-state calls go to.
pub(super) const STATES_PATH: &str = "/_states";

/// The server in front of the broker: provider states on [`STATES_PATH`], everything else
/// forwarded to the broker (with the matrix queries put back in order).
pub(super) struct Front {
    /// `http://127.0.0.1:<port>`.
    pub(super) url: String,
}

impl Front {
    /// Starts the server in front of the broker at `broker_url`, whose database is at
    /// `database_url`.
    pub(super) fn start(broker_url: &str, database_url: &str) -> Front {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
        let port = listener.local_addr().expect("a local address").port();
        let broker = broker_url.to_owned();
        let database = database_url.to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (broker, database) = (broker.clone(), database.clone());
                std::thread::spawn(move || serve(stream, &broker, &database));
            }
        });
        Front {
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

/// One request as read off the connection.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Serves one keep-alive connection until the client closes it.
fn serve(stream: TcpStream, broker: &str, database: &str) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let (status, headers, body) = if request.target.starts_with(STATES_PATH) {
            match change_state(broker, database, &request.body) {
                Ok(()) => (200, Vec::new(), b"{}".to_vec()),
                Err(message) => (
                    500,
                    Vec::new(),
                    json!({ "error": message }).to_string().into(),
                ),
            }
        } else {
            forward(broker, request)
        };
        let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&body).is_err() {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let request = read_http_request(reader)?;
    Some(Request {
        method: request.method,
        target: request.target,
        headers: request.headers,
        body: request.body,
    })
}

/// Sends `request` on to the broker and returns its status, headers and body.
fn forward(broker: &str, request: Request) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut url = reqwest::Url::parse(&format!("{broker}{}", request.target)).expect("a URL");
    if let Some(meant) = meant_query(&url) {
        url.set_query(None);
        url.query_pairs_mut().extend_pairs(meant);
    }
    block_on(async {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).expect("a method");
        // The broker's public address is http://example.org, as in the Pact Broker's own
        // verification (`base_urls`): the contract expects some links to start with it.
        let mut outgoing = http_client()
            .request(method, url)
            .header("X-Forwarded-Host", "example.org")
            .header("X-Forwarded-Proto", "http")
            .body(request.body);
        for (name, value) in &request.headers {
            let hop = ["host", "content-length", "connection", "x-forwarded-host"];
            if !hop.contains(&name.to_ascii_lowercase().as_str()) {
                outgoing = outgoing.header(name, value);
            }
        }
        let response = outgoing.send().await.expect("the broker answers");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter(|(name, _)| {
                !["content-length", "transfer-encoding", "connection"].contains(&name.as_str())
            })
            .map(|(name, value)| {
                let value = value.to_str().unwrap_or_default().to_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        let body = response.bytes().await.expect("the broker's body").to_vec();
        (status, headers, body)
    })
}

/// The [`MEANT_QUERIES`] entry with exactly `url`'s query parameters, in its order.
fn meant_query(url: &reqwest::Url) -> Option<Vec<(String, String)>> {
    let sorted = |mut pairs: Vec<(String, String)>| {
        pairs.sort();
        pairs
    };
    let given = sorted(url.query_pairs().into_owned().collect());
    MEANT_QUERIES.iter().find_map(|meant| {
        let pairs: Vec<(String, String)> = meant
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        (sorted(pairs.clone()) == given).then_some(pairs)
    })
}
