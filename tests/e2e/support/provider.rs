//! A small real provider for the verification flows: an HTTP/1.1 server on 127.0.0.1:0 that
//! answers each request path with a fixed JSON response, accepts provider-state calls on
//! `/_states`, and counts what it served. Its answers can be changed while it runs, so a test
//! can "fix" the provider between two verifications.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::Value;

/// The path provider-state setup and teardown calls go to.
pub(crate) const STATES_PATH: &str = "/_states";

/// A running provider; it stops serving when dropped (its thread ends at the next connection
/// attempt or with the test process).
#[derive(Debug)]
pub(crate) struct Provider {
    /// `http://127.0.0.1:<port>`.
    pub(crate) url: String,
    /// The port it listens on.
    pub(crate) port: u16,
    routes: Arc<Mutex<HashMap<String, (u16, Value)>>>,
}

impl Provider {
    /// Starts a provider answering `GET path` (any method, in fact) with `(status, body)`.
    pub(crate) fn start(routes: &[(&str, u16, Value)]) -> Provider {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a provider port");
        let port = listener.local_addr().expect("a local address").port();
        let routes: HashMap<String, (u16, Value)> = routes
            .iter()
            .map(|(path, status, body)| ((*path).to_owned(), (*status, body.clone())))
            .collect();
        let routes = Arc::new(Mutex::new(routes));
        let shared = Arc::clone(&routes);
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let routes = Arc::clone(&shared);
                std::thread::spawn(move || serve(stream, &routes));
            }
        });
        Provider {
            url: format!("http://127.0.0.1:{port}"),
            port,
            routes,
        }
    }

    /// Changes the answer for `path`.
    pub(crate) fn answer(&self, path: &str, status: u16, body: Value) {
        self.routes
            .lock()
            .expect("the routes lock")
            .insert(path.to_owned(), (status, body));
    }

    /// The state-change URL to give a verifier.
    pub(crate) fn states_url(&self) -> String {
        format!("{}{STATES_PATH}", self.url)
    }
}

/// Serves one keep-alive connection until the client closes it.
fn serve(stream: TcpStream, routes: &Mutex<HashMap<String, (u16, Value)>>) {
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut writer = write_half;
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        match reader.read_line(&mut request_line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .split('?')
            .next()
            .unwrap_or("/")
            .to_owned();
        let mut content_length = 0usize;
        loop {
            let mut header = String::new();
            match reader.read_line(&mut header) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; content_length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (status, json) = if path == STATES_PATH {
            (200, Value::Object(serde_json::Map::new()))
        } else {
            routes
                .lock()
                .expect("the routes lock")
                .get(&path)
                .cloned()
                .unwrap_or((404, serde_json::json!({ "error": "no such route" })))
        };
        let text = json.to_string();
        let response = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{text}",
            text.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}
