//! What the matching engine finds: one [`Mismatch`] per difference between what a contract
//! expects and what really happened, with a message that says where and what.
//!
//! Mismatches are plain data; reporters decide how to show them. Messages start with the
//! location (`$.items[2].price: …`, `header Content-Type: …`) so that they read on their own.

use std::fmt;

use serde_json::Value;

/// The part of a request, response or message a mismatch is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MismatchKind {
    /// The response status code.
    Status,
    /// A header (the mismatch's path is the header name).
    Header,
    /// A query parameter (the mismatch's path is the parameter name).
    Query,
    /// The request path.
    Path,
    /// The request method.
    Method,
    /// The body (the mismatch's path is a JSON-path like `$.items[2].price`).
    Body,
    /// Message metadata (the mismatch's path is the metadata key).
    Metadata,
}

impl MismatchKind {
    /// The kind as reports spell it (`"status"`, `"header"`, `"body"`…).
    pub fn as_str(self) -> &'static str {
        match self {
            MismatchKind::Status => "status",
            MismatchKind::Header => "header",
            MismatchKind::Query => "query",
            MismatchKind::Path => "path",
            MismatchKind::Method => "method",
            MismatchKind::Body => "body",
            MismatchKind::Metadata => "metadata",
        }
    }
}

/// One difference between the expected and the actual request, response or message.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Which part it is about.
    pub kind: MismatchKind,
    /// Where: a JSON-path for bodies (`$.items[2].price`), the name for headers, query
    /// parameters and metadata, empty for status, method and path.
    pub path: String,
    /// What the contract expected there, when there is one value to show.
    pub expected: Option<Value>,
    /// What was really there, when there was one.
    pub actual: Option<Value>,
    /// A sentence that says where and what, e.g. `$.price: expected a number, got "12.50"`.
    pub message: String,
}

impl Mismatch {
    /// A body mismatch at `path`; `detail` says what is wrong (`expected a number, got "x"`).
    pub fn body(
        path: impl Into<String>,
        expected: Option<Value>,
        actual: Option<Value>,
        detail: impl fmt::Display,
    ) -> Mismatch {
        let path = path.into();
        Mismatch {
            kind: MismatchKind::Body,
            message: format!("{path}: {detail}"),
            path,
            expected,
            actual,
        }
    }

    /// A header mismatch for the header `name`.
    pub fn header(
        name: &str,
        expected: Option<Value>,
        actual: Option<Value>,
        detail: impl fmt::Display,
    ) -> Mismatch {
        Mismatch {
            kind: MismatchKind::Header,
            path: name.to_owned(),
            expected,
            actual,
            message: format!("header {name}: {detail}"),
        }
    }

    /// A query mismatch for the parameter `name`.
    pub fn query(
        name: &str,
        expected: Option<Value>,
        actual: Option<Value>,
        detail: impl fmt::Display,
    ) -> Mismatch {
        Mismatch {
            kind: MismatchKind::Query,
            path: name.to_owned(),
            expected,
            actual,
            message: format!("query parameter {name}: {detail}"),
        }
    }

    /// A metadata mismatch for the key `key`.
    pub fn metadata(
        key: &str,
        expected: Option<Value>,
        actual: Option<Value>,
        detail: impl fmt::Display,
    ) -> Mismatch {
        Mismatch {
            kind: MismatchKind::Metadata,
            path: key.to_owned(),
            expected,
            actual,
            message: format!("metadata {key}: {detail}"),
        }
    }

    /// A mismatch of the whole status, method or path (`kind` says which).
    pub fn whole(
        kind: MismatchKind,
        expected: Option<Value>,
        actual: Option<Value>,
        detail: impl fmt::Display,
    ) -> Mismatch {
        Mismatch {
            message: format!("{}: {detail}", kind.as_str()),
            kind,
            path: String::new(),
            expected,
            actual,
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A value as messages quote it: JSON text, so strings keep their quotes (`"12.50"`) and
/// numbers do not (`12.5`).
pub(crate) fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(117).collect();
        format!("{cut}...")
    } else {
        text
    }
}
