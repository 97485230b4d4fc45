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
    /// An array.
    Array(Vec<Node<'a>>),
    /// An object.
    Object(Object<'a>),
}

/// An object's entries in document order, keys unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Object<'a> {
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    /// Entry positions sorted by key, for objects too large to search one by one.
    sorted: Vec<u32>,
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
            entries,
            sorted: Vec::new(),
        };
        object.index();
        object
    }

    /// Entries as parsed: a repeated key keeps its first position and its last value.
    fn from_parsed(entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Object<'a> {
        let mut object = Object::from_unique(entries);
        if object.has_duplicates() {
            let mut unique: Vec<(Cow<'a, str>, Node<'a>)> = Vec::with_capacity(object.len());
            for (key, value) in object.entries {
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
        self.sorted.clear();
        if self.entries.len() > LINEAR_LOOKUP_MAX {
            let entries = &self.entries;
            self.sorted = (0..entries.len())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            self.sorted
                .sort_by(|a, b| entries[*a as usize].0.cmp(&entries[*b as usize].0));
        }
    }

    fn has_duplicates(&self) -> bool {
        if self.sorted.is_empty() {
            // This runs for every object of every body, so keys are compared only when a key
            // of the same length (modulo 64) came before, which is rare.
            let mut lengths = 0u64;
            self.entries.iter().enumerate().any(|(i, (key, _))| {
                let bit = 1u64 << (key.len() % 64);
                let seen_length = lengths & bit != 0;
                lengths |= bit;
                seen_length && self.entries[..i].iter().any(|(seen, _)| seen == key)
            })
        } else {
            self.sorted
                .windows(2)
                .any(|pair| self.entries[pair[0] as usize].0 == self.entries[pair[1] as usize].0)
        }
    }

    /// The value under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        if self.sorted.is_empty() {
            return self
                .entries
                .iter()
                .find(|(candidate, _)| candidate.as_ref() == key)
                .map(|(_, value)| value);
        }
        self.sorted
            .binary_search_by(|i| self.entries[*i as usize].0.as_ref().cmp(key))
            .ok()
            .map(|found| &self.entries[self.sorted[found] as usize].1)
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
/// in strings, numbers that are not plain `u64`/`i64` or that `serde_json` reads as floats
/// (which it then parses on their own, as `serde_json` would), deep nesting, and any error.
struct FastReader<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

/// Nesting the fast reader handles; deeper documents go to `serde_json` (whose limit is 128).
const FAST_MAX_DEPTH: usize = 64;

impl<'a> FastReader<'a> {
    fn read(text: &'a str) -> Option<Node<'a>> {
        let mut reader = FastReader {
            text,
            at: 0,
            depth: 0,
        };
        let node = reader.value()?;
        reader.skip_whitespace();
        (reader.at == text.len()).then_some(node)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Option<Node<'a>> {
        self.skip_whitespace();
        match self.peek()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string().map(Node::String),
            b't' => self.literal("true", Node::Bool(true)),
            b'f' => self.literal("false", Node::Bool(false)),
            b'n' => self.literal("null", Node::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, node: Node<'a>) -> Option<Node<'a>> {
        let end = self.at + word.len();
        (self.text.as_bytes().get(self.at..end)? == word.as_bytes()).then(|| {
            self.at = end;
            node
        })
    }

    fn object(&mut self) -> Option<Node<'a>> {
        self.enter()?;
        let mut entries = Vec::with_capacity(8);
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.at += 1;
        } else {
            loop {
                self.skip_whitespace();
                if self.peek()? != b'"' {
                    return None;
                }
                let key = self.string()?;
                self.skip_whitespace();
                if self.peek()? != b':' {
                    return None;
                }
                self.at += 1;
                let value = self.value()?;
                entries.push((key, value));
                self.skip_whitespace();
                match self.peek()? {
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
        Some(Node::Object(Object::from_parsed(entries)))
    }

    fn array(&mut self) -> Option<Node<'a>> {
        self.enter()?;
        let mut items = Vec::with_capacity(4);
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.at += 1;
        } else {
            loop {
                items.push(self.value()?);
                self.skip_whitespace();
                match self.peek()? {
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
        Some(Node::Array(items))
    }

    fn enter(&mut self) -> Option<()> {
        self.at += 1;
        self.depth += 1;
        (self.depth <= FAST_MAX_DEPTH).then_some(())
    }

    /// A string without escapes or control characters, borrowed; the reader stands on `"`.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let start = self.at + 1;
        let bytes = self.text.as_bytes();
        let length = bytes
            .get(start..)?
            .iter()
            .position(|byte| matches!(byte, b'"' | b'\\' | 0..=0x1f))?;
        let end = start + length;
        if bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        // `"` is ASCII, so both ends are character boundaries.
        self.text.get(start..end).map(Cow::Borrowed)
    }

    fn number(&mut self) -> Option<Node<'a>> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let negative = bytes.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let digits = |reader: &mut FastReader<'_>| {
            let from = reader.at;
            while let Some(b'0'..=b'9') = reader.peek() {
                reader.at += 1;
            }
            reader.at - from
        };
        let integer_start = self.at;
        let integer_digits = digits(self);
        // JSON forbids leading zeros (`01`); `serde_json` says so.
        if integer_digits == 0 || (integer_digits > 1 && bytes.get(integer_start) == Some(&b'0')) {
            return None;
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.at += 1;
            float = true;
            if digits(self) == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if digits(self) == 0 {
                return None;
            }
        }
        let text = self.text.get(start..self.at)?;
        if float {
            // Floats are parsed by `serde_json` itself, so they round exactly as it does.
            return serde_json::from_str::<Number>(text).ok().map(Node::Number);
        }
        if negative {
            // `-0` and integers below `i64::MIN` become floats in `serde_json`: left to it.
            match text.parse::<i64>() {
                Ok(value) if value != 0 => Some(Node::Number(value.into())),
                _ => None,
            }
        } else {
            text.parse::<u64>()
                .ok()
                .map(|value| Node::Number(value.into()))
        }
    }
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
        Ok(Node::Array(items))
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

    #[test]
    fn errors_are_serde_json_errors() {
        for text in ["{", "[1,]", "{\"a\" 1}", "1 2", ""] {
            let ours = Node::parse_str(text).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
