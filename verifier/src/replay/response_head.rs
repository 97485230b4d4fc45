//! Reading an HTTP/1.x response head: the status, what the framing and connection headers
//! say, and the header lines replay keeps. The usual head is read by a parser of its own, and
//! anything else by `httparse`, to the same result.

use std::borrow::Cow;

use super::header_names::{KnownName, is_lowercase, is_token, known_name, token_is};
use super::http1::Http1Error;

/// How many header lines are parsed without growing the header array.
pub(super) const USUAL_HEADERS: usize = 24;
/// How many header lines a response may have at all.
const MAX_HEADERS: usize = 1024;

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
    /// None: status and body only (state change calls that read values).
    StatusAndBody,
    /// None, and the body only when the status is not a success (2xx): state change calls
    /// that read no values, and only show an answer when it says the call failed.
    Status,
}

impl Wanted<'_> {
    /// True when no header is kept.
    fn no_headers(&self) -> bool {
        matches!(self, Wanted::StatusAndBody | Wanted::Status)
    }

    /// True when the body of a response with `status` is not wanted.
    pub(crate) fn skips_body(&self, status: u16) -> bool {
        matches!(self, Wanted::Status) && (200..300).contains(&status)
    }
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
            Wanted::StatusAndBody | Wanted::Status => false,
        }
    }
}

/// A parsed response head.
#[derive(Debug)]
#[cfg_attr(test, derive(PartialEq))]
pub(super) struct Head {
    pub(super) status: u16,
    /// How the body is delimited, or why that cannot be told.
    pub(super) framing: Result<Framing, String>,
    /// Whether the provider lets the connection carry another request.
    pub(super) keep_alive: bool,
    /// The header lines, grouped; empty when they were not asked for.
    pub(super) headers: Vec<(String, Vec<String>)>,
    /// Bytes taken by the head, its empty line included.
    pub(super) length: usize,
}

/// How the body of a response is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    Chunked,
    Length(usize),
    UntilClose,
}

/// The header fields that decide framing and keep-alive.
#[derive(Clone, Copy)]
pub(super) enum FramingField {
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
        self.read_field(field, value);
    }

    /// Takes in the value of one line of the framing header `field`.
    fn read_field(&mut self, field: FramingField, value: &[u8]) {
        // The usual values, read without going through text: one length, one option.
        match field {
            FramingField::ContentLength => {
                if let Some(length) = plain_decimal(value) {
                    if self.content_length.is_none() {
                        self.content_length = Some(Ok(length));
                    } else {
                        self.length_item(Ok(length));
                    }
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
pub(super) fn parse_head(bytes: &[u8], wanted: Wanted<'_>) -> Result<Option<Head>, Http1Error> {
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
        let known = known_name(rest);
        let colon = match known {
            Some((lower, _)) => lower.len(),
            None => {
                let colon = rest.iter().position(|&byte| !is_token(byte))?;
                if colon == 0 || rest[colon] != b':' {
                    return None;
                }
                colon
            }
        };
        // The value starts after the spaces and tabs that follow the colon (usually one space).
        let mut start = colon + 1;
        while let Some(b' ' | b'\t') = rest.get(start) {
            start += 1;
        }
        let end = start + plain_line_end(rest.get(start..)?)?;
        // CRLF, then a byte that does not fold the line: not a space, not a tab, not missing.
        match rest.get(end + 1..end + 3)? {
            [b'\n', next] if *next != b' ' && *next != b'\t' => {}
            _ => return None,
        }
        let mut value = &rest[start..end];
        while let [before @ .., b' ' | b'\t'] = value {
            value = before;
        }
        match known {
            Some((lower, kind)) => reader.known_line(lower, kind, &rest[..colon], value),
            None => reader.line(&rest[..colon], value),
        }
        at += end + 2;
    }
}

/// Where the first CR in `bytes` is, when every byte before it is visible ASCII, a space or a
/// tab; `None` when another byte comes first or there is no CR.
///
/// Eight bytes at a time while none of them is below a space (CR, tab, other controls) or
/// above `~` (DEL, bytes outside ASCII): the usual header value goes by in a few steps, and the
/// word where the line ends, or anything unusual, is read byte by byte.
#[inline(always)]
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
        if !self.wanted.no_headers() && self.wanted.keeps(name) {
            self.keep(name, value);
        }
    }

    /// A line whose name [`known_name`] recognised as `lower`, in a head of the usual shape
    /// (its value has no line breaks).
    #[inline(always)]
    fn known_line(&mut self, lower: &'static str, kind: KnownName, name: &[u8], value: &[u8]) {
        if let KnownName::Framing(field) = kind {
            self.framing.read_field(field, value);
        }
        let kept = match kind {
            _ if self.wanted.no_headers() => false,
            KnownName::ContentType => true,
            _ => self.wanted.keeps(name),
        };
        if kept {
            self.keep_lowercase(lower.to_owned(), text_of(value).into_owned());
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
        self.keep_lowercase(name, value);
    }

    /// Keeps a wanted header line, its name in lowercase.
    #[inline(never)]
    fn keep_lowercase(&mut self, name: String, value: String) {
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

#[cfg(test)]
#[path = "response_head_tests.rs"]
mod tests;
