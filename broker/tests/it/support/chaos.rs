//! A TCP proxy that can cut every connection and refuse new ones, then come back on the same
//! address: a database outage and recovery, as the broker sees it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A proxy in front of one upstream `host:port`.
pub(crate) struct ChaosProxy {
    address: SocketAddr,
    upstream: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl ChaosProxy {
    /// Starts forwarding 127.0.0.1:<free port> to `upstream`.
    pub(crate) async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let address = listener.local_addr().expect("proxy address");
        let proxy = Self {
            address,
            upstream,
            tasks: Arc::new(Mutex::new(Vec::new())),
        };
        proxy.serve(listener);
        proxy
    }

    /// Where clients connect.
    pub(crate) fn address(&self) -> SocketAddr {
        self.address
    }

    fn serve(&self, listener: TcpListener) {
        let upstream = self.upstream.clone();
        let tasks = Arc::clone(&self.tasks);
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let connection = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().expect("proxy tasks").push(connection);
            }
        });
        self.tasks.lock().expect("proxy tasks").push(accept);
    }

    /// Drops every open connection and stops accepting new ones.
    pub(crate) fn cut(&self) {
        for task in self.tasks.lock().expect("proxy tasks").drain(..) {
            task.abort();
        }
    }

    /// Accepts connections again on the same address.
    pub(crate) async fn restore(&self) {
        let listener = TcpListener::bind(self.address)
            .await
            .expect("re-bind the proxy");
        self.serve(listener);
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.cut();
    }
}

/// The `host:port` of a `postgres://` URL (port 5432 when absent).
pub(crate) fn postgres_address(url: &str) -> Option<String> {
    let (start, end) = authority_bounds(url)?;
    let authority = &url[start..end];
    Some(if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:5432")
    })
}

/// `url` with its `host:port` replaced by `address`.
pub(crate) fn with_address(url: &str, address: &str) -> Option<String> {
    let (start, end) = authority_bounds(url)?;
    Some(format!("{}{address}{}", &url[..start], &url[end..]))
}

/// Byte range of `host[:port]` in a URL: after `scheme://` and any `user@`, up to `/` or `?`.
fn authority_bounds(url: &str) -> Option<(usize, usize)> {
    let after_scheme = url.find("://")? + 3;
    let rest = &url[after_scheme..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let host_start = rest[..authority_end].rfind('@').map_or(0, |at| at + 1);
    Some((after_scheme + host_start, after_scheme + authority_end))
}
