//! A lean HTTP/1.1 client for plain-`http` providers: one keep-alive connection per replay
//! worker and origin, the request written with one `write`, the response head parsed with
//! `httparse` and the body framed as RFC 9112 section 6.3 says.
//!
//! Replay spends most of its time sending small requests to a provider on the same machine or
//! network, so this is its hot path: no connection pool shared between threads, no per-request
//! tasks or channels, no URL parsing. `https` providers go through `reqwest` instead (see
//! [`super::transport`]). A response reads exactly as `reqwest` would give it: header names in
//! lowercase, obsolete folded header lines read as spaces, and no content decoding.

use std::borrow::Cow;
use std::io;
use std::task::Poll;

use tokio::net::TcpStream;

/// How large a response head may grow before the response is refused.
const MAX_HEAD_BYTES: usize = 256 * 1024;
/// How many header lines are parsed without growing the header array.
const USUAL_HEADERS: usize = 24;
/// How many header lines a response may have at all.
const MAX_HEADERS: usize = 1024;
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

/// Which headers of a response an exchange keeps in [`Received::headers`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Wanted<'a> {
    /// Every header (replay itself never needs them all).
    #[cfg(test)]
    Everything,
    /// `Content-Type` and the headers named in this list (case-insensitively): all that
    /// matching a response against a contract's reads, since extra headers are allowed and
    /// header rules only apply to the headers the contract names.
    Matching(&'a [(String, Vec<String>)]),
    /// None: status and body only (state change calls).
    StatusAndBody,
}

impl Wanted<'_> {
    /// True when the header `name` (a token, as every parsed header name is) is kept.
    pub(crate) fn keeps(&self, name: &[u8]) -> bool {
        match self {
            #[cfg(test)]
            Wanted::Everything => true,
            Wanted::Matching(named) => {
                token_is(name, b"content-type")
                    || named
                        .iter()
                        .any(|(expected, _)| expected.as_bytes().eq_ignore_ascii_case(name))
            }
            Wanted::StatusAndBody => false,
        }
    }
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
                    // first moving it to the front of the buffer.
                    let body = self.buf[head.length..head.length + length].to_vec();
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

/// A parsed response head.
#[derive(Debug)]
#[cfg_attr(test, derive(PartialEq))]
struct Head {
    status: u16,
    /// How the body is delimited, or why that cannot be told.
    framing: Result<Framing, String>,
    /// Whether the provider lets the connection carry another request.
    keep_alive: bool,
    /// The header lines, grouped; empty when they were not asked for.
    headers: Vec<(String, Vec<String>)>,
    /// Bytes taken by the head, its empty line included.
    length: usize,
}

/// How the body of a response is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Chunked,
    Length(usize),
    UntilClose,
}

/// The header fields that decide framing and keep-alive.
#[derive(Clone, Copy)]
enum FramingField {
    TransferEncoding,
    ContentLength,
    Connection,
}

/// A value of nothing but ASCII digits as a number (`None` for anything else, or too large);
/// such a value parses the same as text.
fn plain_decimal(value: &[u8]) -> Option<usize> {
    if value.is_empty() {
        return None;
    }
    value.iter().try_fold(0usize, |number, &byte| {
        if byte.is_ascii_digit() {
            number
                .checked_mul(10)?
                .checked_add(usize::from(byte - b'0'))
        } else {
            None
        }
    })
}

/// What the framing and connection headers say, gathered in one pass over the lines.
#[derive(Default)]
struct FramingHeaders {
    /// The last transfer coding named, if any.
    last_coding_is_chunked: Option<bool>,
    content_length: Option<Result<usize, String>>,
    close: bool,
    keep_alive: bool,
}

impl FramingHeaders {
    /// Takes in one header line; `name` is a token, as every parsed header name is.
    #[inline(never)]
    fn read(&mut self, name: &[u8], value: &[u8]) {
        // The lengths first: most lines are none of the three.
        let field = match name.len() {
            17 if token_is(name, b"transfer-encoding") => FramingField::TransferEncoding,
            14 if token_is(name, b"content-length") => FramingField::ContentLength,
            10 if token_is(name, b"connection") => FramingField::Connection,
            _ => return,
        };
        // The usual values, read without going through text: one length, one option.
        match field {
            FramingField::ContentLength => {
                if let Some(length) = plain_decimal(value) {
                    self.length_item(Ok(length));
                    return;
                }
            }
            FramingField::Connection => {
                if value == b"keep-alive" || is_lowercase(value, b"keep-alive") {
                    self.keep_alive = true;
                    return;
                }
                if value == b"close" || is_lowercase(value, b"close") {
                    self.close = true;
                    return;
                }
            }
            FramingField::TransferEncoding => {}
        }
        let value = String::from_utf8_lossy(value);
        let mut items = value
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty());
        match field {
            FramingField::TransferEncoding => {
                if let Some(last) = items.next_back() {
                    self.last_coding_is_chunked = Some(last.eq_ignore_ascii_case("chunked"));
                }
            }
            FramingField::ContentLength => {
                for item in items {
                    let parsed = item
                        .parse::<usize>()
                        .map_err(|_| format!("bad Content-Length {item:?}"));
                    self.length_item(parsed);
                }
            }
            FramingField::Connection => {
                for item in items {
                    self.close |= item.eq_ignore_ascii_case("close");
                    self.keep_alive |= item.eq_ignore_ascii_case("keep-alive");
                }
            }
        }
    }

    /// Takes in one `Content-Length` value: lengths that disagree, or one that does not parse,
    /// make the framing an error.
    fn length_item(&mut self, parsed: Result<usize, String>) {
        self.content_length = match (self.content_length.take(), parsed) {
            (Some(Err(error)), _) | (_, Err(error)) => Some(Err(error)),
            (Some(Ok(seen)), Ok(length)) if seen != length => {
                Some(Err("Content-Length headers that disagree".to_owned()))
            }
            (_, Ok(length)) => Some(Ok(length)),
        };
    }

    /// RFC 9112 section 6.3: chunked when it is the last transfer coding, the close of the
    /// connection for any other transfer coding, else `Content-Length`, else the close.
    fn framing(self) -> Result<Framing, String> {
        match (self.last_coding_is_chunked, self.content_length) {
            (Some(true), _) => Ok(Framing::Chunked),
            (Some(false), _) | (None, None) => Ok(Framing::UntilClose),
            (None, Some(length)) => length.map(Framing::Length),
        }
    }
}

/// Parses a response head from the start of `bytes`; `None` when more bytes are needed. The
/// header lines are kept as `wanted` says.
fn parse_head(bytes: &[u8], wanted: Wanted<'_>) -> Result<Option<Head>, Http1Error> {
    if let Some(head) = parse_plain_head(bytes, wanted) {
        return Ok(Some(head));
    }
    let mut usual = [httparse::EMPTY_HEADER; USUAL_HEADERS];
    match parse_head_with(bytes, &mut usual, wanted) {
        Err(httparse::Error::TooManyHeaders) => {}
        other => return other.map_err(|error| Http1Error::Invalid(error.to_string())),
    }
    let mut many = vec![httparse::EMPTY_HEADER; MAX_HEADERS];
    parse_head_with(bytes, &mut many, wanted).map_err(|error| match error {
        httparse::Error::TooManyHeaders => {
            Http1Error::Invalid(format!("more than {MAX_HEADERS} header lines"))
        }
        error => Http1Error::Invalid(error.to_string()),
    })
}

fn parse_head_with<'bytes>(
    bytes: &'bytes [u8],
    slots: &mut [httparse::Header<'bytes>],
    wanted: Wanted<'_>,
) -> Result<Option<Head>, httparse::Error> {
    let mut response = httparse::Response::new(slots);
    let parsed = httparse::ParserConfig::default()
        .allow_obsolete_multiline_headers_in_responses(true)
        .parse_response(&mut response, bytes)?;
    let httparse::Status::Complete(length) = parsed else {
        return Ok(None);
    };
    let mut reader = HeadReader::new(wanted);
    for line in response.headers.iter() {
        reader.line(line.name.as_bytes(), line.value);
    }
    Ok(Some(reader.head(
        response.code.unwrap_or(0),
        response.version.unwrap_or(1) >= 1,
        length,
    )))
}

/// Parses a response head of the usual shape without `httparse`; `None` for anything else
/// (an incomplete head included), which [`parse_head`] then gives to `httparse`.
///
/// The usual shape is a strict part of what `httparse` accepts, read to the same result: a
/// status line `HTTP/1.0` or `HTTP/1.1`, one space, three digits, and either nothing or a
/// space and a reason of visible ASCII, spaces and tabs; then at most [`USUAL_HEADERS`] lines
/// of a token name, a colon and a value of visible ASCII, spaces and tabs (the spaces and tabs
/// around it dropped), each line ended by CRLF and not followed by a folded line; then an
/// empty line. Bare line feeds, bytes outside ASCII, folded lines and everything malformed
/// take the `httparse` path, so its errors stay its own.
fn parse_plain_head(bytes: &[u8], wanted: Wanted<'_>) -> Option<Head> {
    let http_1_1 = match bytes.get(..9)? {
        b"HTTP/1.1 " => true,
        b"HTTP/1.0 " => false,
        _ => return None,
    };
    let mut status = 0u16;
    for &digit in bytes.get(9..12)? {
        if !digit.is_ascii_digit() {
            return None;
        }
        status = status * 10 + u16::from(digit - b'0');
    }
    let mut at = 12;
    if *bytes.get(at)? == b' ' {
        at += 1 + plain_line_end(bytes.get(at + 1..)?)?;
    }
    if bytes.get(at..at + 2)? != b"\r\n" {
        return None;
    }
    at += 2;
    let mut reader = HeadReader::new(wanted);
    let mut lines = 0;
    loop {
        let rest = bytes.get(at..)?;
        if rest.starts_with(b"\r\n") {
            return Some(reader.head(status, http_1_1, at + 2));
        }
        lines += 1;
        if lines > USUAL_HEADERS {
            return None;
        }
        let colon = rest.iter().position(|&byte| !is_token(byte))?;
        if colon == 0 || rest[colon] != b':' {
            return None;
        }
        // The value starts after the spaces and tabs that follow the colon.
        let mut start = colon + 1;
        while let Some(b' ' | b'\t') = rest.get(start) {
            start += 1;
        }
        let end = start + plain_line_end(&rest[start..])?;
        // CRLF, then a byte that does not fold the line: not a space, not a tab, not missing.
        match rest.get(end + 1..end + 3)? {
            [b'\n', next] if *next != b' ' && *next != b'\t' => {}
            _ => return None,
        }
        let mut value = &rest[start..end];
        while let [before @ .., b' ' | b'\t'] = value {
            value = before;
        }
        reader.line(&rest[..colon], value);
        at += end + 2;
    }
}

/// Where the first CR in `bytes` is, when every byte before it is visible ASCII, a space or a
/// tab; `None` when another byte comes first or there is no CR.
///
/// Eight bytes at a time while none of them is below a space (CR, tab, other controls) or
/// above `~` (DEL, bytes outside ASCII): the usual header value goes by in a few steps, and the
/// word where the line ends, or anything unusual, is read byte by byte.
fn plain_line_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        // The high bit of each byte below 0x20 ("has less than", for n <= 0x80), …
        let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        // … of each byte equal to 0x7F ("has zero" of the word xor 0x7F…), …
        let del = word ^ (ONES * 0x7F);
        let del = del.wrapping_sub(ONES) & !del & HIGHS;
        // … and of each byte above 0x7F. A borrow only runs towards higher bytes, so the lowest
        // bit set is exactly the first such byte (the bits above it may be false alarms).
        let special = below_space | del | (word & HIGHS);
        if special == 0 {
            at += 8;
            continue;
        }
        let first = at + special.trailing_zeros() as usize / 8;
        match bytes[first] {
            b'\r' => return Some(first),
            b'\t' => at = first + 1,
            _ => return None,
        }
    }
    for (offset, &byte) in bytes.get(at..)?.iter().enumerate() {
        match byte {
            b'\r' => return Some(at + offset),
            b'\t' | b' '..=b'~' => {}
            _ => return None,
        }
    }
    None
}

/// True when the header name `name`, a token (as every parsed header name is), is `lower`
/// (lowercase letters and `-`) in any case. Setting the 0x20 bit lowercases a letter and leaves
/// `-` as it is; the only other byte it turns into a lowercase letter or `-` is a control
/// character, which no token has. Quicker than [`is_lowercase`].
///
/// Names of eight bytes or more are compared eight bytes at a time, the last word overlapping
/// the one before it.
#[inline]
fn token_is(name: &[u8], lower: &[u8]) -> bool {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    let length = name.len();
    if length != lower.len() {
        return false;
    }
    if length < 8 {
        return name
            .iter()
            .zip(lower)
            .all(|(&byte, &want)| byte | 0x20 == want);
    }
    let word = |bytes: &[u8], at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let mut at = 0;
    while at + 8 < length {
        if word(name, at) | FOLD != word(lower, at) {
            return false;
        }
        at += 8;
    }
    word(name, length - 8) | FOLD == word(lower, length - 8)
}

/// True when `bytes` is `lower` (lowercase ASCII letters and `-`) in any case: what
/// `eq_ignore_ascii_case` says, for less. Setting the 0x20 bit lowercases a letter, and only a
/// letter's two cases give that lowercase letter; `-` is compared as it is.
fn is_lowercase(bytes: &[u8], lower: &[u8]) -> bool {
    bytes.len() == lower.len()
        && bytes.iter().zip(lower).all(|(&byte, &want)| {
            if want == b'-' {
                byte == b'-'
            } else {
                byte | 0x20 == want
            }
        })
}

/// True for the characters of an HTTP token (RFC 9110 section 5.6.2), as `httparse` has them.
fn is_token(byte: u8) -> bool {
    TOKEN[usize::from(byte)]
}

/// [`is_token`] as a table.
static TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(
            byte as u8,
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'!' | b'#' | b'$' | b'%' | b'&' | b'\''
                | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
        );
        byte += 1;
    }
    table
};

/// Bytes as text, invalid UTF-8 replaced (`String::from_utf8_lossy`, with a quicker start
/// for the usual valid text).
fn text_of(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// What a response head's lines say, gathered line by line.
struct HeadReader<'w> {
    framing: FramingHeaders,
    wanted: Wanted<'w>,
    /// The wanted lines as `(lowercase name, values)`, repeated names grouped in order of
    /// first appearance.
    headers: Vec<(String, Vec<String>)>,
}

impl<'w> HeadReader<'w> {
    fn new(wanted: Wanted<'w>) -> HeadReader<'w> {
        HeadReader {
            framing: FramingHeaders::default(),
            wanted,
            headers: Vec::new(),
        }
    }

    /// One header line; a value folded over several lines reads with spaces for its line
    /// breaks.
    ///
    /// Kept small, so that it is inlined into the loops over lines: most lines are neither
    /// framing headers nor kept, and cost two comparisons.
    #[inline(always)]
    fn line(&mut self, name: &[u8], value: &[u8]) {
        // Only names of these lengths can be framing headers.
        if matches!(name.len(), 10 | 14 | 17) {
            self.framing.read(name, value);
        }
        if !matches!(self.wanted, Wanted::StatusAndBody) && self.wanted.keeps(name) {
            self.keep(name, value);
        }
    }

    /// Keeps a wanted header line.
    #[inline(never)]
    fn keep(&mut self, name: &[u8], value: &[u8]) {
        let name = text_of(name).to_ascii_lowercase();
        let mut value = text_of(value).into_owned();
        if value.contains(['\r', '\n']) {
            value = value.replace(['\r', '\n'], " ");
        }
        match self
            .headers
            .iter_mut()
            .find(|(existing, _)| *existing == name)
        {
            Some((_, values)) => values.push(value),
            None => self.headers.push((name, vec![value])),
        }
    }

    /// The head, once every line is read.
    fn head(self, status: u16, http_1_1: bool, length: usize) -> Head {
        let keep_alive = !self.framing.close && (http_1_1 || self.framing.keep_alive);
        Head {
            status,
            framing: self.framing.framing(),
            keep_alive,
            headers: self.headers,
            length,
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
