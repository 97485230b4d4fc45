//! The actual side of a JSON comparison, parsed into a light tree that borrows its strings
//! from the body.
//!
//! A provider's body is read once and thrown away after matching, so building a
//! [`serde_json::Value`] for it (an `IndexMap` with a SipHash table per object, and a `String`
//! per key and string value) cost more than the matching itself. [`Node`] keeps objects as a
//! vector of entries in document order, borrows every string that has no escapes, and is
//! turned into a `Value` only where a mismatch shows it or a rule needs the whole value.
//! Duplicate keys behave as in `Value`: the last value wins, at the first key's position.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A JSON value from the actual body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Number(Number),
    /// A string, borrowed from the body unless it had escapes.
    String(Cow<'a, str>),
    /// An array (a boxed slice: a node is copied into its container as it is read, so it is
    /// kept small).
    Array(Box<[Node<'a>]>),
    /// An object.
    Object(Object<'a>),
}

/// An object's entries in document order, keys unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Object<'a> {
    entries: Box<[(Cow<'a, str>, Node<'a>)]>,
    /// Entry positions sorted by key, only for objects too large to search one by one.
    sorted: Option<Box<[u32]>>,
}

/// Objects up to this size are searched entry by entry, which beats any index for them.
const LINEAR_LOOKUP_MAX: usize = 16;

impl<'a> Node<'a> {
    /// Parses a JSON document, as `serde_json::from_str::<Value>` would (same errors).
    ///
    /// The common document (no escapes in strings, plain numbers, modest nesting) is read by
    /// [`FastReader`]; anything else, including every malformed document, goes through
    /// `serde_json`, which then decides and words the error.
    pub(crate) fn parse_str(text: &'a str) -> Result<Node<'a>, serde_json::Error> {
        match FastReader::read(text) {
            Some(node) => Ok(node),
            None => serde_json::from_str(text),
        }
    }

    /// Parses a JSON document from bytes, as `serde_json::from_slice::<Value>` would.
    pub(crate) fn parse_slice(bytes: &'a [u8]) -> Result<Node<'a>, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// A view of a `Value` the caller already has (message contents, spec cases).
    pub(crate) fn borrow_value(value: &'a Value) -> Node<'a> {
        match value {
            Value::Null => Node::Null,
            Value::Bool(flag) => Node::Bool(*flag),
            Value::Number(number) => Node::Number(number.clone()),
            Value::String(text) => Node::String(Cow::Borrowed(text)),
            Value::Array(items) => Node::Array(items.iter().map(Node::borrow_value).collect()),
            Value::Object(map) => Node::Object(Object::from_unique(
                map.iter()
                    .map(|(key, value)| (Cow::Borrowed(key.as_str()), Node::borrow_value(value)))
                    .collect(),
            )),
        }
    }

    /// The same value as a `serde_json::Value`, for messages and whole-value rules.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Number(number) => Value::Number(number.clone()),
            Node::String(text) => Value::String(text.as_ref().to_owned()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(object) => {
                let mut map = Map::with_capacity(object.len());
                for (key, value) in object.iter() {
                    map.insert(key.to_owned(), value.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// True for arrays and objects.
    pub(crate) fn is_container(&self) -> bool {
        matches!(self, Node::Array(_) | Node::Object(_))
    }
}

impl<'a> Object<'a> {
    /// Entries whose keys are known to be unique.
    fn from_unique(entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Object<'a> {
        let mut object = Object {
            entries: entries.into_boxed_slice(),
            sorted: None,
        };
        object.index();
        object
    }

    /// Entries as parsed: a repeated key keeps its first position and its last value.
    fn from_parsed(entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Object<'a> {
        let mut object = Object::from_unique(entries);
        if object.has_duplicates() {
            let mut unique: Vec<(Cow<'a, str>, Node<'a>)> = Vec::with_capacity(object.len());
            for (key, value) in object.entries.into_vec() {
                match unique.iter_mut().find(|(seen, _)| *seen == key) {
                    Some((_, slot)) => *slot = value,
                    None => unique.push((key, value)),
                }
            }
            object = Object::from_unique(unique);
        }
        object
    }

    fn index(&mut self) {
        self.sorted = None;
        if self.entries.len() > LINEAR_LOOKUP_MAX {
            let entries = &self.entries;
            let mut sorted: Box<[u32]> = (0..entries.len())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            sorted.sort_by(|a, b| entries[*a as usize].0.cmp(&entries[*b as usize].0));
            self.sorted = Some(sorted);
        }
    }

    fn has_duplicates(&self) -> bool {
        let Some(sorted) = &self.sorted else {
            // This runs for every object of every body, so keys are compared only when a key
            // of the same length (modulo 64) came before, which is rare.
            let mut lengths = 0u64;
            return self.entries.iter().enumerate().any(|(i, (key, _))| {
                let bit = 1u64 << (key.len() % 64);
                let seen_length = lengths & bit != 0;
                lengths |= bit;
                seen_length && self.entries[..i].iter().any(|(seen, _)| seen == key)
            });
        };
        sorted
            .windows(2)
            .any(|pair| self.entries[pair[0] as usize].0 == self.entries[pair[1] as usize].0)
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        let Some(sorted) = &self.sorted else {
            return self
                .entries
                .iter()
                .find(|(candidate, _)| candidate.as_ref() == key)
                .map(|(_, value)| value);
        };
        sorted
            .binary_search_by(|i| self.entries[*i as usize].0.as_ref().cmp(key))
            .ok()
            .map(|found| &self.entries[sorted[found] as usize].1)
    }

    /// The value under `key`, searched from position `*next` on (wrapping round), which is
    /// then set past the entry found: looking a document's keys up in the order the provider
    /// wrote them (the contract's order, usually) finds each at the first try. The same
    /// answer as [`Object::get`] whatever `*next` is.
    #[inline]
    pub(crate) fn get_in_order(&self, key: &str, next: &mut usize) -> Option<&Node<'a>> {
        if self.sorted.is_some() {
            return self.get(key);
        }
        let start = (*next).min(self.entries.len());
        let (before, after) = self.entries.split_at(start);
        let found = after
            .iter()
            .position(|(candidate, _)| candidate.as_ref() == key)
            .map(|offset| start + offset)
            .or_else(|| {
                before
                    .iter()
                    .position(|(candidate, _)| candidate.as_ref() == key)
            })?;
        *next = found + 1;
        self.entries.get(found).map(|(_, value)| value)
    }

    /// Keys and values in document order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Node<'a>)> {
        self.entries
            .iter()
            .map(|(key, value)| (key.as_ref(), value))
    }

    /// The number of keys.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// True without keys.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A JSON reader for the documents providers usually send, without serde's machinery. It
/// gives up (`None`) on anything it is not sure to read exactly as `serde_json` does: escapes
/// in strings, integers that overflow, deep nesting and any error. Floats other than short
/// `integer.fraction` ones (see [`FastReader::simple_float`]) are parsed by `serde_json`'s
/// number parser on their own.
///
/// Entries and items are gathered on two stacks shared by the whole document and moved into
/// a vector of the exact size when their object or array closes, so a container costs one
/// allocation whatever its length.
struct FastReader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    items: Vec<Node<'a>>,
}

/// Nesting the fast reader handles; deeper documents go to `serde_json` (whose limit is 128).
const FAST_MAX_DEPTH: usize = 64;

/// The largest integer below which every integer is exact in an `f64` (2^53).
const MAX_EXACT_SIGNIFICAND: u64 = 1 << 53;

/// Powers of ten that are exact in an `f64`, as in `serde_json`'s table.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

impl<'a> FastReader<'a> {
    fn read(text: &'a str) -> Option<Node<'a>> {
        let mut reader = FastReader {
            text,
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
            // Room for a typical document's open containers, so the stacks rarely grow, and
            // at most 1 KiB each (16 entries of 64 bytes, 16 items of 40): blocks that small
            // come from the allocator's per-thread cache, larger ones take its slow path
            // every time, which costs more than growing the stack once for a big object.
            entries: Vec::with_capacity(16),
            items: Vec::with_capacity(16),
        };
        let node = reader.value()?;
        reader.skip_whitespace();
        (reader.at == text.len()).then_some(node)
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skips whitespace and returns the byte after it.
    #[inline]
    fn next_token(&mut self) -> Option<u8> {
        loop {
            match self.bytes.get(self.at).copied()? {
                b' ' | b'\t' | b'\n' | b'\r' => self.at += 1,
                byte => return Some(byte),
            }
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Option<Node<'a>> {
        match self.next_token()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(Node::String),
            b't' => self.literal(b"true", Node::Bool(true)),
            b'f' => self.literal(b"false", Node::Bool(false)),
            b'n' => self.literal(b"null", Node::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], node: Node<'a>) -> Option<Node<'a>> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| {
            self.at = end;
            node
        })
    }

    fn object(&mut self) -> Option<Node<'a>> {
        self.enter()?;
        let start = self.entries.len();
        if self.next_token()? == b'}' {
            self.at += 1;
        } else {
            loop {
                if self.next_token()? != b'"' {
                    return None;
                }
                let key = self.string()?;
                if self.next_token()? != b':' {
                    return None;
                }
                self.at += 1;
                let value = self.value()?;
                self.entries.push((key, value));
                match self.next_token()? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        let entries = self.entries.split_off(start);
        Some(Node::Object(Object::from_parsed(entries)))
    }

    fn array(&mut self) -> Option<Node<'a>> {
        self.enter()?;
        let start = self.items.len();
        if self.next_token()? == b']' {
            self.at += 1;
        } else {
            loop {
                let item = self.value()?;
                self.items.push(item);
                match self.next_token()? {
                    b',' => self.at += 1,
                    b']' => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(Node::Array(self.items.split_off(start).into_boxed_slice()))
    }

    fn enter(&mut self) -> Option<()> {
        self.at += 1;
        self.depth += 1;
        (self.depth <= FAST_MAX_DEPTH).then_some(())
    }

    /// A string without escapes or control characters, borrowed; the reader stands on `"`.
    #[inline]
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at + 1;
        let end = start + special_byte(self.bytes.get(start..)?)?;
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        // `"` is ASCII, so both ends are character boundaries.
        self.text.get(start..end).map(Cow::Borrowed)
    }

    /// Digits from the reader's position: their count and their value, `None` past `u64`.
    #[inline]
    fn digits(&mut self) -> (usize, Option<u64>) {
        let from = self.at;
        let mut value = Some(0u64);
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            value = value
                .and_then(|value| value.checked_mul(10))
                .and_then(|value| value.checked_add(u64::from(digit - b'0')));
            self.at += 1;
        }
        (self.at - from, value)
    }

    fn number(&mut self) -> Option<Node<'a>> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let integer_start = self.at;
        let (integer_digits, integer) = self.digits();
        // JSON forbids leading zeros (`01`); `serde_json` says so.
        if integer_digits == 0
            || (integer_digits > 1 && self.bytes.get(integer_start) == Some(&b'0'))
        {
            return None;
        }
        let mut fraction = None;
        if self.peek() == Some(b'.') {
            self.at += 1;
            let fraction_start = self.at;
            let (fraction_digits, _) = self.digits();
            if fraction_digits == 0 {
                return None;
            }
            fraction = Some((fraction_start, fraction_digits));
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            exponent = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits().0 == 0 {
                return None;
            }
        }
        if fraction.is_some() || exponent {
            if let (Some((fraction_start, fraction_digits)), false) = (fraction, exponent)
                && let Some(value) =
                    self.simple_float(integer_start, fraction_start, fraction_digits)
            {
                let value = if negative { -value } else { value };
                return Number::from_f64(value).map(Node::Number);
            }
            // Floats are parsed by `serde_json` itself, so they round exactly as it does.
            let text = self.text.get(start..self.at)?;
            return serde_json::from_str::<Number>(text).ok().map(Node::Number);
        }
        let integer = integer?;
        if negative {
            // `-0` and integers below `i64::MIN` become floats in `serde_json`: left to it.
            match 0i64.checked_sub_unsigned(integer) {
                Some(value) if value != 0 => Some(Node::Number(value.into())),
                _ => None,
            }
        } else {
            Some(Node::Number(integer.into()))
        }
    }

    /// `integer.fraction` (no exponent) when its value is plainly the correctly rounded one:
    /// the digits as one integer of at most 53 bits (so exact as an `f64`) divided by an exact
    /// power of ten, one correctly rounded operation. `serde_json` gives that same value
    /// whether it rounds correctly (`float_roundtrip`) or divides the same way (without it).
    /// `None` for every other float.
    fn simple_float(
        &self,
        integer_start: usize,
        fraction_start: usize,
        fraction_digits: usize,
    ) -> Option<f64> {
        let power = EXACT_POWERS_OF_TEN.get(fraction_digits)?;
        let integer = self.bytes.get(integer_start..fraction_start - 1)?;
        let fraction = self
            .bytes
            .get(fraction_start..fraction_start + fraction_digits)?;
        let mut significand: u64 = 0;
        for digit in integer.iter().chain(fraction) {
            significand = significand
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
        }
        (significand <= MAX_EXACT_SIGNIFICAND).then(|| significand as f64 / power)
    }
}

/// The position of the first `"`, `\` or control character in `bytes`, looking at eight bytes
/// at a time.
#[inline]
fn special_byte(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut offset = 0;
    while let Some(chunk) = bytes.get(offset..offset + 8) {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
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
    bytes
        .get(offset..)?
        .iter()
        .position(|byte| matches!(byte, b'"' | b'\\' | 0..=0x1f))
        .map(|position| offset + position)
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node<'de>, E> {
        // As `Value` does: a float JSON cannot hold becomes null.
        Ok(Number::from_f64(value).map_or(Node::Null, Node::Number))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(value)))
    }

    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        Deserialize::deserialize(deserializer)
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items.into_boxed_slice()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Node::Object(Object::from_parsed(entries)))
    }
}

/// Reads an object key, borrowed from the body when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_stay_small() {
        // Every node is moved into its container as it is read: boxed slices and an optional
        // sorted index keep it at 40 bytes (56 with two vectors in an object).
        assert!(size_of::<Node>() <= 40, "{}", size_of::<Node>());
        assert!(size_of::<(Cow<str>, Node)>() <= 64);
    }

    fn round_trip(text: &str) {
        let node = Node::parse_str(text).unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(node.to_value(), value, "{text}");
        assert_eq!(
            serde_json::to_string(&node.to_value()).unwrap(),
            serde_json::to_string(&value).unwrap(),
            "{text}"
        );
        assert_eq!(Node::borrow_value(&value), node, "{text}");
    }

    #[test]
    fn reads_like_serde_json_value() {
        round_trip(r#"{"b":1,"a":[true,null,-2,3.5,1e300,"x\"y"],"c":{"d":"e"}}"#);
        round_trip(r#"{"a":1,"b":2,"a":3}"#);
        round_trip("18446744073709551615");
        round_trip(r#""\u00e9t\u00e9""#);
    }

    #[test]
    fn large_objects_are_found_by_key_and_deduplicated() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\":{i},"));
        }
        text.push_str("\"k7\":\"last\"}");
        let node = Node::parse_str(&text).unwrap();
        let Node::Object(object) = &node else {
            panic!("not an object")
        };
        assert_eq!(object.len(), 40);
        assert_eq!(object.get("k7"), Some(&Node::String("last".into())));
        assert_eq!(object.get("k39"), Some(&Node::Number(39.into())));
        assert_eq!(object.get("k40"), None);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(node.to_value(), value);
    }

    #[test]
    fn keys_found_in_order_are_the_keys_found() {
        let node = Node::parse_str(r#"{"a":1,"b":2,"c":3,"d":4}"#).unwrap();
        let Node::Object(object) = &node else {
            panic!("not an object")
        };
        for keys in [
            ["a", "b", "c", "d", "x"],
            ["d", "c", "b", "a", "x"],
            ["b", "x", "a", "d", "c"],
        ] {
            for start in 0..6 {
                let mut next = start;
                for key in keys {
                    assert_eq!(
                        object.get_in_order(key, &mut next),
                        object.get(key),
                        "{key}"
                    );
                }
            }
        }
    }

    /// The fast reader either gives up or reads exactly what serde does.
    #[test]
    fn the_fast_reader_agrees_with_serde() {
        let documents = [
            r#"{"a":1,"b":[1,2,{"c":null}],"d":"x","e":true,"f":false}"#,
            r#" { "a" : -1 , "b" : 1.5e3 , "c" : [ ] , "d" : { } } "#,
            r#"[0,-0,-0.0,1E2,1e-2,18446744073709551615,18446744073709551616]"#,
            r#"[-9223372036854775808,-9223372036854775809,9223372036854775807]"#,
            r#"{"a":"é","b":"tab	here","c":"x"y"}"#,
            r#"{"a":1,"a":2}"#,
            r#""é""#,
            "[1,]",
            r#"{"a":1,}"#,
            "01",
            "1.",
            "1e",
            "-",
            "[1 2]",
            r#"{"a" 1}"#,
            "{1:2}",
            "tru",
            "nul",
            "[\"a\nb\"]",
            "1e400",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            "",
            "  ",
            "{}x",
        ];
        for text in documents {
            let serde: Result<Node<'_>, String> =
                serde_json::from_str(text).map_err(|error| error.to_string());
            if let Some(fast) = FastReader::read(text) {
                assert_eq!(Ok(fast), serde, "{text}");
            }
            assert_eq!(
                Node::parse_str(text).map_err(|error| error.to_string()),
                serde,
                "{text}"
            );
        }
        assert!(FastReader::read(documents[0]).is_some());
        assert!(FastReader::read(documents[1]).is_some());
    }

    /// The word-at-a-time scan finds the same first special byte as a byte-by-byte one, at
    /// every position and next to multi-byte characters.
    #[test]
    fn special_bytes_are_found_like_one_at_a_time() {
        let specials = [b'"', b'\\', 0u8, 0x1f, b'\n'];
        let fillers = [
            b'a', b' ', 0x20, 0x7f, 0x80, 0xc3, 0xff, b'!', b'#', b'[', b']',
        ];
        for length in 0..40 {
            for filler in fillers {
                for special in specials {
                    for at in 0..=length {
                        let mut bytes = vec![filler; length];
                        if at < length {
                            bytes[at] = special;
                        }
                        let slow = bytes
                            .iter()
                            .position(|byte| matches!(byte, b'"' | b'\\' | 0..=0x1f));
                        assert_eq!(special_byte(&bytes), slow, "{bytes:?}");
                    }
                }
            }
        }
    }

    /// Floats the fast reader computes itself come out as `serde_json` reads them.
    #[test]
    fn simple_floats_are_read_like_serde() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut texts = vec![
            "0.0".to_owned(),
            "-0.0".to_owned(),
            "0.1".to_owned(),
            "1.25".to_owned(),
            "-2.5".to_owned(),
            "9007199254740993.0".to_owned(),
            "9007199254740992.1".to_owned(),
            "900719925474099.3".to_owned(),
            "18446744073709551615.0".to_owned(),
            "1844674407370955161.5".to_owned(),
            "0.0000000000000000000001".to_owned(),
            "0.00000000000000000000001".to_owned(),
            "123456789012345678.9".to_owned(),
        ];
        for _ in 0..20_000 {
            let integer = next() % 10u64.pow((next() % 18) as u32);
            let digits = (next() % 24) as usize + 1;
            let fraction: String = (0..digits)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let sign = if next() % 2 == 0 { "-" } else { "" };
            texts.push(format!("{sign}{integer}.{fraction}"));
        }
        for text in texts {
            let document = format!("[{text}]");
            let serde: Node<'_> = serde_json::from_str(&document).unwrap();
            assert_eq!(FastReader::read(&document), Some(serde), "{text}");
        }
    }

    #[test]
    fn containers_of_every_size_are_read_like_serde() {
        for length in 0..40 {
            let items: Vec<String> = (0..length)
                .map(|i| format!("{{\"k{i}\":[{i},\"v\"]}}"))
                .collect();
            let document = format!("{{\"list\":[{}],\"last\":{{}}}}", items.join(","));
            let serde: Node<'_> = serde_json::from_str(&document).unwrap();
            assert_eq!(FastReader::read(&document), Some(serde), "{document}");
        }
    }

    #[test]
    fn errors_are_serde_json_errors() {
        for text in ["{", "[1,]", "{\"a\" 1}", "1 2", ""] {
            let ours = Node::parse_str(text).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
