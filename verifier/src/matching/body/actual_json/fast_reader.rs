//! The fast path of [`Node::parse_str`]: a JSON reader for the documents providers usually
//! send, without serde's machinery.
//!
//! It reads exactly what `serde_json::from_str::<Value>` reads, or gives up (`None`) so that
//! `serde_json` reads the document again: on every error (so that `serde_json` decides and
//! words it), on nesting deeper than [`MAX_DEPTH`] and on `\u` escapes of lone surrogates.
//! Numbers it cannot be sure to round as `serde_json` does (exponents, long ones) are read by
//! `serde_json`'s own number parser, without giving up the document.
//!
//! Entries and items are gathered on two stacks shared by the whole document and moved into
//! a slice of the exact size when their object or array closes, so a container costs one
//! allocation whatever its length.

use std::borrow::Cow;

use serde_json::Number;

use super::{Node, Object};

/// Reads `text` as one JSON document, or `None` where `serde_json` must decide.
pub(super) fn read(text: &str) -> Option<Node<'_>> {
    let mut reader = Reader {
        text,
        at: 0,
        depth: 0,
        // Room for a typical document's open containers, so that the stacks rarely grow, in
        // blocks of at most 1 KiB, which the allocator serves from its per-thread cache.
        entries: Vec::with_capacity(16),
        items: Vec::with_capacity(16),
    };
    reader.document()
}

/// Nesting the fast reader handles; deeper documents go to `serde_json` (whose limit is 128).
const MAX_DEPTH: usize = 64;

/// The most digits that always fit in a `u64` (`u64::MAX` has 20).
const MAX_U64_DIGITS: usize = 19;

/// The largest integer below which every integer is exact in an `f64` (2^53).
const MAX_EXACT_SIGNIFICAND: u64 = 1 << 53;

/// Powers of ten that are exact in an `f64`.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The reader's state. Its loops keep their position in a local variable, which stays in a
/// register; `at` is only where the reading of a nested container ends.
struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    items: Vec<Node<'a>>,
}

impl<'a> Reader<'a> {
    /// The whole text as one value, with nothing but whitespace after it.
    fn document(&mut self) -> Option<Node<'a>> {
        let bytes = self.text.as_bytes();
        let mut at = 0;
        let node = match next_token(bytes, &mut at)? {
            b'{' => self.object(at)?,
            b'[' => self.array(at)?,
            b'"' => {
                let (value, end) = string(self.text, at)?;
                self.at = end;
                Node::String(value)
            }
            first => {
                let (node, end) = scalar(self.text, at, first)?;
                self.at = end;
                node
            }
        };
        let mut at = self.at;
        next_token(bytes, &mut at).is_none().then_some(node)
    }

    /// The object whose `{` is at `open`; the reader's position is then past its `}`.
    #[inline(never)]
    fn object(&mut self, open: usize) -> Option<Node<'a>> {
        self.enter()?;
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = open + 1;
        let start = self.entries.len();
        // One bit per key (see `key_bit`): a key is compared with the keys before it only
        // when its bit is already set.
        let mut key_bits = 0u64;
        let mut repeated = false;
        let mut byte = next_token(bytes, &mut at)?;
        if byte != b'}' {
            loop {
                if byte != b'"' {
                    return None;
                }
                let (key, end) = string(text, at)?;
                at = end;
                let bit = key_bit(&key);
                if key_bits & bit != 0 && !repeated {
                    repeated = self
                        .entries
                        .get(start..)
                        .is_some_and(|entries| entries.iter().any(|(seen, _)| *seen == key));
                }
                key_bits |= bit;
                if next_token(bytes, &mut at)? != b':' {
                    return None;
                }
                at += 1;
                // Each kind of value is pushed where it is read, so that it is built in place.
                match next_token(bytes, &mut at)? {
                    b'"' => {
                        let (value, end) = string(text, at)?;
                        at = end;
                        self.entries.push((key, Node::String(value)));
                    }
                    b'{' => {
                        let value = self.object(at)?;
                        at = self.at;
                        self.entries.push((key, value));
                    }
                    b'[' => {
                        let value = self.array(at)?;
                        at = self.at;
                        self.entries.push((key, value));
                    }
                    first => {
                        let (value, end) = scalar(text, at, first)?;
                        at = end;
                        self.entries.push((key, value));
                    }
                }
                match next_token(bytes, &mut at)? {
                    b',' => {
                        at += 1;
                        byte = next_token(bytes, &mut at)?;
                    }
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.at = at + 1;
        self.depth -= 1;
        let entries = self.entries.split_off(start);
        Some(Node::Object(if repeated {
            Object::from_parsed(entries)
        } else {
            Object::from_unique(entries)
        }))
    }

    /// The array whose `[` is at `open`; the reader's position is then past its `]`.
    #[inline(never)]
    fn array(&mut self, open: usize) -> Option<Node<'a>> {
        self.enter()?;
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = open + 1;
        let start = self.items.len();
        let mut byte = next_token(bytes, &mut at)?;
        if byte != b']' {
            loop {
                match byte {
                    b'"' => {
                        let (item, end) = string(text, at)?;
                        at = end;
                        self.items.push(Node::String(item));
                    }
                    b'{' => {
                        let item = self.object(at)?;
                        at = self.at;
                        self.items.push(item);
                    }
                    b'[' => {
                        let item = self.array(at)?;
                        at = self.at;
                        self.items.push(item);
                    }
                    first => {
                        let (item, end) = scalar(text, at, first)?;
                        at = end;
                        self.items.push(item);
                    }
                }
                match next_token(bytes, &mut at)? {
                    b',' => {
                        at += 1;
                        byte = next_token(bytes, &mut at)?;
                    }
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.at = at + 1;
        self.depth -= 1;
        Some(Node::Array(self.items.split_off(start).into_boxed_slice()))
    }

    #[inline(always)]
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }
}

/// Skips whitespace from `*at` on and returns the byte after it, `None` at the end.
#[inline(always)]
fn next_token(bytes: &[u8], at: &mut usize) -> Option<u8> {
    let byte = *bytes.get(*at)?;
    if byte > b' ' {
        return Some(byte);
    }
    skip_whitespace(bytes, at)
}

#[inline(never)]
fn skip_whitespace(bytes: &[u8], at: &mut usize) -> Option<u8> {
    while let Some(&byte) = bytes.get(*at) {
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => *at += 1,
            _ => return Some(byte),
        }
    }
    None
}

/// The string whose `"` is at `open` and the position past its closing `"`; borrowed from the
/// text unless it has escapes.
#[inline(always)]
fn string(text: &str, open: usize) -> Option<(Cow<'_, str>, usize)> {
    let start = open + 1;
    let rest = text.get(start..)?;
    let length = special_byte(rest.as_bytes())?;
    if rest.as_bytes().get(length) == Some(&b'"') {
        // Before a `"`, which is ASCII, is a character boundary.
        return Some((Cow::Borrowed(rest.get(..length)?), start + length + 1));
    }
    escaped_string(text, start, start + length).map(|(decoded, end)| (Cow::Owned(decoded), end))
}

/// The string starting at `start` whose first escape (or control character, which JSON
/// forbids) is at `at`, decoded as `serde_json` decodes it, and the position past it.
#[cold]
#[inline(never)]
fn escaped_string(text: &str, start: usize, mut at: usize) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    let mut decoded = String::with_capacity(at - start + 16);
    decoded.push_str(text.get(start..at)?);
    loop {
        match *bytes.get(at)? {
            b'"' => return Some((decoded, at + 1)),
            b'\\' => {
                let (character, length) = unescape(bytes.get(at + 1..)?)?;
                decoded.push(character);
                at += 1 + length;
            }
            // A control character: `serde_json` says which.
            _ => return None,
        }
        let plain = special_byte(bytes.get(at..)?)?;
        decoded.push_str(text.get(at..at + plain)?);
        at += plain;
    }
}

/// The number or literal starting with `first` at `at`, and the position past it.
#[inline(never)]
fn scalar(text: &str, at: usize, first: u8) -> Option<(Node<'_>, usize)> {
    match first {
        b'-' | b'0'..=b'9' => number(text, at),
        b't' => literal(text, at, b"true", Node::Bool(true)),
        b'f' => literal(text, at, b"false", Node::Bool(false)),
        b'n' => literal(text, at, b"null", Node::Null),
        _ => None,
    }
}

/// `node` if `word` is at `at`, and the position past it.
#[inline(always)]
fn literal<'a>(text: &str, at: usize, word: &[u8], node: Node<'a>) -> Option<(Node<'a>, usize)> {
    let end = at + word.len();
    (text.as_bytes().get(at..end)? == word).then_some((node, end))
}

/// The number starting at `start`, as `serde_json` reads it, and the position past it.
#[inline(always)]
fn number(text: &str, start: usize) -> Option<(Node<'_>, usize)> {
    let bytes = text.as_bytes();
    let negative = bytes.get(start) == Some(&b'-');
    let integer_start = start + usize::from(negative);
    let (significand, integer_end) = digits(bytes, integer_start, 0);
    let integer_digits = integer_end - integer_start;
    // JSON forbids leading zeros (`01`) and a lone `-`: `serde_json` says so.
    if integer_digits == 0 || (integer_digits > 1 && bytes.get(integer_start) == Some(&b'0')) {
        return None;
    }
    match bytes.get(integer_end) {
        Some(b'.') => {
            let fraction_start = integer_end + 1;
            let (significand, end) = digits(bytes, fraction_start, significand);
            let fraction_digits = end - fraction_start;
            if fraction_digits == 0 {
                return None;
            }
            // `integer.fraction` whose digits, as one integer, are exact in an `f64`: divided
            // by an exact power of ten, one correctly rounded operation, it gives the value
            // `serde_json` gives.
            if integer_digits + fraction_digits <= MAX_U64_DIGITS
                && significand <= MAX_EXACT_SIGNIFICAND
                && !matches!(bytes.get(end), Some(b'e' | b'E'))
                && let Some(power) = EXACT_POWERS_OF_TEN.get(fraction_digits)
            {
                let value = significand as f64 / power;
                let number = Number::from_f64(if negative { -value } else { value })?;
                return Some((Node::Number(number), end));
            }
            serde_number(text, start)
        }
        Some(b'e' | b'E') => serde_number(text, start),
        _ if integer_digits > MAX_U64_DIGITS => serde_number(text, start),
        _ => {
            if !negative {
                return Some((Node::Number(significand.into()), integer_end));
            }
            // As `serde_json` does: `-0` and integers below `i64::MIN` are floats.
            let negated = (significand as i64).wrapping_neg();
            let number = if negated < 0 {
                negated.into()
            } else {
                Number::from_f64(-(significand as f64))?
            };
            Some((Node::Number(number), integer_end))
        }
    }
}

/// The number starting at `start`, read by `serde_json`'s number parser so that it rounds
/// exactly as `serde_json` does, and the position past it.
#[cold]
#[inline(never)]
fn serde_number(text: &str, start: usize) -> Option<(Node<'_>, usize)> {
    let bytes = text.as_bytes();
    let mut end = start + 1;
    while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') = bytes.get(end) {
        end += 1;
    }
    let number = serde_json::from_str::<Number>(text.get(start..end)?).ok()?;
    Some((Node::Number(number), end))
}

/// Reads decimal digits from `at` on into `significand`: its new value (wrapped round past
/// `u64`, so only meaningful up to [`MAX_U64_DIGITS`] digits in all) and the end of the
/// digits.
#[inline(always)]
fn digits(bytes: &[u8], mut at: usize, mut significand: u64) -> (u64, usize) {
    while let Some(&byte) = bytes.get(at) {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        significand = significand.wrapping_mul(10).wrapping_add(u64::from(digit));
        at += 1;
    }
    (significand, at)
}

/// One of 64 bits for a key, from its length and first byte: keys of different bits differ.
#[inline(always)]
fn key_bit(key: &str) -> u64 {
    let first = key.as_bytes().first().copied().unwrap_or(0);
    1 << ((key.len() ^ usize::from(first).wrapping_mul(7)) % 64)
}

/// The escape at the start of `escape` (after its `\`): the character and the escape's
/// length. `None` for an invalid escape and for a lone surrogate, which `serde_json` rejects.
fn unescape(escape: &[u8]) -> Option<(char, usize)> {
    let simple = match *escape.first()? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let first = hex_escape(escape.get(1..5)?)?;
            let (code, length) = match first {
                0xd800..=0xdbff => {
                    if escape.get(5..7)? != b"\\u" {
                        return None;
                    }
                    let second = hex_escape(escape.get(7..11)?)?;
                    if !(0xdc00..=0xdfff).contains(&second) {
                        return None;
                    }
                    (
                        0x1_0000 + (((first - 0xd800) << 10) | (second - 0xdc00)),
                        11,
                    )
                }
                0xdc00..=0xdfff => return None,
                _ => (first, 5),
            };
            return Some((char::from_u32(code)?, length));
        }
        _ => return None,
    };
    Some((simple, 1))
}

/// Four hexadecimal digits (either case), as `serde_json` reads them after `\u`.
fn hex_escape(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, digit| {
        Some((value << 4) | char::from(*digit).to_digit(16)?)
    })
}

/// The position of the first `"`, `\` or control character in `bytes`, looking at eight bytes
/// at a time.
#[inline(always)]
pub(super) fn special_byte(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        // A byte is flagged when it is below 0x20, or equal to `"` or `\` (zero after XOR):
        // the classic "has a byte below n" test, exact for the lowest flagged byte (a borrow
        // can only flag bytes above a true one).
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let flagged = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word))
            & HIGHS;
        if flagged != 0 {
            return Some(offset + (flagged.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|byte| matches!(byte, b'"' | b'\\' | 0..=0x1f))
        .map(|position| offset + position)
}
