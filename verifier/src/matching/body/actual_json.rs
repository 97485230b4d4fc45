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

use crate::matching::path::same_name;

mod fast_reader;
#[cfg(test)]
mod tests;

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
    /// Documents are read by [`fast_reader`]; what it gives up on, including every malformed
    /// document, goes through `serde_json`, which then decides and words the error.
    pub(crate) fn parse_str(text: &'a str) -> Result<Node<'a>, serde_json::Error> {
        match fast_reader::read(text) {
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
    #[inline]
    fn from_unique(entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Object<'a> {
        let entries = entries.into_boxed_slice();
        let sorted = (entries.len() > LINEAR_LOOKUP_MAX).then(|| sorted_positions(&entries));
        Object { entries, sorted }
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
                .find(|(candidate, _)| same_name(candidate, key))
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
            .position(|(candidate, _)| same_name(candidate, key))
            .map(|offset| start + offset)
            .or_else(|| {
                before
                    .iter()
                    .position(|(candidate, _)| same_name(candidate, key))
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

/// Entry positions sorted by key, for [`Object::get`] in a large object.
#[inline(never)]
fn sorted_positions(entries: &[(Cow<'_, str>, Node<'_>)]) -> Box<[u32]> {
    let mut sorted: Box<[u32]> = (0..entries.len())
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    sorted.sort_by(|a, b| entries[*a as usize].0.cmp(&entries[*b as usize].0));
    sorted
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
