//! A lean HTTP/1.1 client for plain-`http` providers: one keep-alive connection per replay
//! worker and origin, the request written with one `write`, the response head read by
//! [`super::response_head`] and the body framed as RFC 9112 section 6.3 says.
//!
//! Replay spends most of its time sending small requests to a provider on the same machine or
//! network, so this is its hot path: no connection pool shared between threads, no per-request
//! tasks or channels, no URL parsing. `https` providers go through `reqwest` instead (see
//! [`super::transport`]). A response reads exactly as `reqwest` would give it: header names in
//! lowercase, obsolete folded header lines read as spaces, and no content decoding.

use std::io;
use std::task::Poll;

use tokio::net::TcpStream;

pub(crate) use super::response_head::Wanted;
use super::response_head::{Framing, parse_head};

/// How large a response head may grow before the response is refused.
const MAX_HEAD_BYTES: usize = 256 * 1024;
/// How much room is made for a read when less than [`MIN_ROOM`] is left.
const READ_CHUNK: usize = 16 * 1024;
/// The room made for a connection's first read: most answers fit, and less is zeroed for
/// connections that never need more.
const FIRST_ROOM: usize = 4 * 1024;
/// Less room than this left for a read, [`READ_CHUNK`] more is made.
const MIN_ROOM: usize = 1024;

/// A response as it came off the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Received {
    pub(crate) status: u16,
    /// Header names in lowercase, in the order received, repeated names grouped.
    pub(crate) headers: Vec<(String, Vec<String>)>,
    pub(crate) body: Vec<u8>,
}

/// Why an exchange failed.
#[derive(Debug)]
pub(crate) enum Http1Error {
    /// The connection could not be opened.
    Connect(io::Error),
    /// Reading or writing failed.
    Io(io::Error),
    /// The provider closed the connection before the response was complete; `started` is true
    /// when some of the response had arrived.
    Closed { started: bool },
    /// What arrived is not an HTTP/1.x response.
    Invalid(String),
}

impl Http1Error {
    /// The error in a few lowercase words, as a report line shows it.
    pub(crate) fn describe(&self) -> String {
        match self {
            Http1Error::Connect(error) | Http1Error::Io(error) => describe_io(error),
            Http1Error::Closed { started: false } => {
                "the connection closed before a response arrived".to_owned()
            }
            Http1Error::Closed { started: true } => {
                "the connection closed in the middle of the response".to_owned()
            }
            Http1Error::Invalid(reason) => format!("invalid response: {reason}"),
        }
    }
}

/// An I/O error in a few lowercase words, as [`io_kind_words`] or its own text says it.
fn describe_io(error: &io::Error) -> String {
    io_kind_words(error).map_or_else(|| plain_words(&error.to_string()), str::to_owned)
}

/// The words for the I/O failures a report names by kind: refused, reset, timed out.
pub(crate) fn io_kind_words(error: &io::Error) -> Option<&'static str> {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => Some("connection refused"),
        io::ErrorKind::ConnectionReset => Some("connection reset"),
        io::ErrorKind::TimedOut => Some("timed out"),
        _ => None,
    }
}

/// An error message lowercase and without its OS error number.
pub(crate) fn plain_words(text: &str) -> String {
    text.split(" (os error")
        .next()
        .unwrap_or(text)
        .to_lowercase()
}

/// One open connection and what has been read on it.
#[derive(Debug)]
pub(crate) struct Connection {
    stream: TcpStream,
    /// Read buffer; `buf[..filled]` holds bytes read and not consumed. Its length only grows,
    /// so the zeroing of new room happens once per connection, not per read.
    buf: Vec<u8>,
    filled: usize,
    /// True once a response has been read on it: a failure may then mean the provider closed
    /// an idle keep-alive connection.
    pub(crate) reused: bool,
}

impl Connection {
    /// Opens a connection to `host:port` (a name is resolved; every address is tried in turn).
    pub(crate) async fn open(host: &str, port: u16) -> Result<Connection, Http1Error> {
        let stream = TcpStream::connect((host, port))
            .await
            .map_err(Http1Error::Connect)?;
        stream.set_nodelay(true).map_err(Http1Error::Connect)?;
        Ok(Connection {
            stream,
            buf: Vec::new(),
            filled: 0,
            reused: false,
        })
    }

    /// True when the idle connection can carry another request: the provider has neither
    /// closed it nor sent anything unasked. The check is one non-blocking read.
    pub(crate) fn is_idle_and_open(&mut self) -> bool {
        if self.filled != 0 {
            return false;
        }
        let mut probe = [0u8; 1];
        matches!(self.stream.try_read(&mut probe), Err(error) if error.kind() == io::ErrorKind::WouldBlock)
    }

    /// Writes `request` (a complete HTTP/1.1 request) and reads the response to it. Returns the
    /// response and whether the connection may carry another request. `head_only` is true for
    /// `HEAD` requests, whose responses have no body whatever their headers say; the response's
    /// headers are kept as `wanted` says.
    pub(crate) async fn exchange(
        &mut self,
        request: &[u8],
        head_only: bool,
        wanted: Wanted<'_>,
    ) -> Result<(Received, bool), Http1Error> {
        self.write_all(request).await?;
        let result = self.read_response(head_only, wanted).await;
        if result.is_ok() {
            self.reused = true;
        }
        result
    }

    /// Writes all of `bytes`. The write is tried first and readiness only awaited when the
    /// socket's buffer is full: a request almost always fits at once. (`poll_write_ready` and
    /// `poll_read_ready` keep one waker per direction, where `writable()` and `readable()`
    /// add a waiter to a list and remove it, each under a lock.)
    async fn write_all(&mut self, mut bytes: &[u8]) -> Result<(), Http1Error> {
        while !bytes.is_empty() {
            match self.stream.try_write(bytes) {
                Ok(0) => return Err(Http1Error::Closed { started: false }),
                Ok(written) => bytes = &bytes[written..],
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    std::future::poll_fn(|context| self.stream.poll_write_ready(context))
                        .await
                        .map_err(Http1Error::Io)?;
                }
                Err(error) => return Err(Http1Error::Io(error)),
            }
        }
        Ok(())
    }

    /// Reads more bytes into the buffer; false at the end of the stream. The read is tried
    /// first: while tokio knows the socket is not readable, that costs no system call.
    async fn fill(&mut self) -> Result<bool, Http1Error> {
        if self.buf.is_empty() {
            self.buf.resize(FIRST_ROOM, 0);
        } else if self.buf.len() - self.filled < MIN_ROOM {
            self.buf.resize(self.filled + READ_CHUNK, 0);
        }
        let room = self.buf.len() - self.filled;
        // One future for the wait and the read: woken, it reads at once instead of first
        // asking for readiness again.
        let read = std::future::poll_fn(|context| {
            loop {
                match self.stream.try_read(&mut self.buf[self.filled..]) {
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                        match self.stream.poll_read_ready(context) {
                            Poll::Ready(Ok(())) => {}
                            Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                            Poll::Pending => return Poll::Pending,
                        }
                    }
                    other => return Poll::Ready(other),
                }
            }
        })
        .await
        .map_err(Http1Error::Io)?;
        if read == 0 {
            return Ok(false);
        }
        self.filled += read;
        if read < room {
            // A short read drained the socket: forget its readiness now, so that the next wait
            // goes straight to the event loop instead of first spending a read call on EAGAIN.
            // Data arriving later raises a new event.
            let _ = self.stream.try_io(tokio::io::Interest::READABLE, || {
                Err::<(), _>(io::ErrorKind::WouldBlock.into())
            });
        }
        Ok(true)
    }

    /// Like [`Connection::fill`], but the end of the stream is an error.
    async fn fill_or_closed(&mut self) -> Result<(), Http1Error> {
        if self.fill().await? {
            Ok(())
        } else {
            Err(Http1Error::Closed { started: true })
        }
    }

    async fn read_response(
        &mut self,
        head_only: bool,
        wanted: Wanted<'_>,
    ) -> Result<(Received, bool), Http1Error> {
        let head = loop {
            let parsed = if self.filled == 0 {
                None
            } else {
                parse_head(&self.buf[..self.filled], wanted)?
            };
            match parsed {
                Some(head) if (100..200).contains(&head.status) && head.status != 101 => {
                    // An interim response (100 Continue, 103 Early Hints): the real one follows.
                    self.consume(head.length);
                }
                Some(head) => break head,
                None => {
                    if self.filled > MAX_HEAD_BYTES {
                        return Err(Http1Error::Invalid(format!(
                            "the response head is longer than {} KiB",
                            MAX_HEAD_BYTES / 1024
                        )));
                    }
                    let started = self.filled > 0;
                    if !self.fill().await? {
                        return Err(Http1Error::Closed { started });
                    }
                }
            }
        };
        let no_body = head_only || head.status == 204 || head.status == 304 || head.status == 101;
        let (body, framed) = if no_body {
            self.consume(head.length);
            (Vec::new(), true)
        } else {
            match head.framing.map_err(Http1Error::Invalid)? {
                Framing::Length(length)
                    if head
                        .length
                        .checked_add(length)
                        .is_some_and(|end| end <= self.filled) =>
                {
                    // The whole body has arrived with the head: taken from behind it, without
                    // first moving it to the front of the buffer (if it is wanted at all).
                    let body = if wanted.skips_body(head.status) {
                        Vec::new()
                    } else {
                        self.buf[head.length..head.length + length].to_vec()
                    };
                    self.consume(head.length + length);
                    (body, true)
                }
                framing => {
                    self.consume(head.length);
                    match framing {
                        Framing::Chunked => (self.read_chunked().await?, true),
                        Framing::Length(length) => (self.read_exactly(length).await?, true),
                        Framing::UntilClose => (self.read_to_end().await?, false),
                    }
                }
            }
        };
        let keep_alive = framed && head.keep_alive && self.filled == 0 && head.status != 101;
        Ok((
            Received {
                status: head.status,
                headers: head.headers,
                body,
            },
            keep_alive,
        ))
    }

    /// Drops the first `count` buffered bytes.
    fn consume(&mut self, count: usize) {
        self.buf.copy_within(count..self.filled, 0);
        self.filled -= count;
    }

    async fn read_exactly(&mut self, length: usize) -> Result<Vec<u8>, Http1Error> {
        while self.filled < length {
            self.fill_or_closed().await?;
        }
        let body = self.buf[..length].to_vec();
        self.consume(length);
        Ok(body)
    }

    async fn read_to_end(&mut self) -> Result<Vec<u8>, Http1Error> {
        while self.fill().await? {}
        let body = self.buf[..self.filled].to_vec();
        self.filled = 0;
        Ok(body)
    }

    /// Reads a chunked body (RFC 9112 section 7.1); chunk extensions and trailers are read and
    /// dropped.
    async fn read_chunked(&mut self) -> Result<Vec<u8>, Http1Error> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line().await?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16).map_err(|_| {
                Http1Error::Invalid(format!("bad chunk size line {:?}", shorten(&line)))
            })?;
            if size == 0 {
                // Trailer fields up to an empty line.
                while !self.read_line().await?.is_empty() {}
                return Ok(body);
            }
            let needed = size
                .checked_add(2)
                .ok_or_else(|| Http1Error::Invalid("chunk size out of range".to_owned()))?;
            while self.filled < needed {
                self.fill_or_closed().await?;
            }
            if &self.buf[size..needed] != b"\r\n" {
                return Err(Http1Error::Invalid(
                    "a chunk does not end with CRLF".to_owned(),
                ));
            }
            body.extend_from_slice(&self.buf[..size]);
            self.consume(needed);
        }
    }

    /// Reads one CRLF-terminated line (without its end), as text.
    async fn read_line(&mut self) -> Result<String, Http1Error> {
        let mut searched = 0;
        loop {
            if let Some(at) = self.buf[searched..self.filled]
                .windows(2)
                .position(|pair| pair == b"\r\n")
            {
                let end = searched + at;
                let line = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.consume(end + 2);
                return Ok(line);
            }
            if self.filled > MAX_HEAD_BYTES {
                return Err(Http1Error::Invalid("a chunk line is too long".to_owned()));
            }
            searched = self.filled.saturating_sub(1);
            self.fill_or_closed().await?;
        }
    }
}

/// At most 40 characters of a line, for error messages.
fn shorten(line: &str) -> String {
    line.chars().take(40).collect()
}

#[cfg(test)]
#[path = "http1_tests.rs"]
mod tests;
