//! The canonical JSON form of a contract and its content hash: the broker's storage key.

use serde_json::Value;

/// A contract's content hash: lowercase hex SHA-256 of its canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub String);

/// The canonical JSON text of a contract document.
pub fn canonical_json(_document: &Value) -> String {
    String::new()
}

/// The content hash of a contract document.
pub fn content_hash(document: &Value) -> ContentHash {
    ContentHash(canonical_json(document))
}
