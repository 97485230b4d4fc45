//! The unified contract model: one set of plain Rust types that every Pact specification version
//! (V1, V1.1, V2, V3, V4) is parsed into.
//!
//! The model carries no serde derives on purpose: the JSON shapes of each specification version
//! live in [`crate::wire`], and conversion between the two happens in one place. Bodies and
//! free-form metadata stay `serde_json::Value`, because they are arbitrary JSON by nature.

mod matching;

pub use matching::{
    ArrayContainsVariant, Combine, MatchingRule, MatchingRules, RuleCategory, RuleList,
};

use serde_json::{Map, Value};

/// A Pact specification version, as named by a contract's `metadata.pactSpecification.version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecVersion {
    /// Version 1.0.0.
    V1,
    /// Version 1.1.0.
    V1_1,
    /// Version 2.0.0.
    V2,
    /// Version 3.0.0.
    V3,
    /// Version 4.0 (4.0.0 and later 4.x).
    V4,
}

impl SpecVersion {
    /// The version as Pact metadata spells it (`"2.0.0"`, `"4.0"`).
    pub fn as_metadata_str(self) -> &'static str {
        match self {
            SpecVersion::V1 => "1.0.0",
            SpecVersion::V1_1 => "1.1.0",
            SpecVersion::V2 => "2.0.0",
            SpecVersion::V3 => "3.0.0",
            SpecVersion::V4 => "4.0",
        }
    }
}

/// A whole contract: one consumer, one provider, the interactions the consumer relies on.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    /// The consumer's name (`consumer.name`).
    pub consumer: String,
    /// The provider's name (`provider.name`).
    pub provider: String,
    /// The specification version the file declared (V2 when it declared none).
    pub spec_version: SpecVersion,
    /// HTTP and message interactions, in file order. V3 message pacts put their `messages`
    /// here as [`InteractionKind::AsyncMessage`].
    pub interactions: Vec<Interaction>,
    /// The file's `metadata` object as written (tool versions, plugins, spec version).
    pub metadata: Map<String, Value>,
}

/// One interaction: what the consumer sends or receives, under which provider states.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    /// V4 `key`, or the broker-assigned `_id`, when the file has one.
    pub key: Option<String>,
    /// The interaction's description; unique together with its provider states.
    pub description: String,
    /// Provider states, in order (V2 `providerState` becomes one state without parameters).
    pub provider_states: Vec<ProviderState>,
    /// V4 `pending` flag.
    pub pending: bool,
    /// V4 `comments`, kept as written.
    pub comments: Option<Value>,
    /// What kind of interaction this is, with its contents.
    pub kind: InteractionKind,
}

/// The three kinds of interaction Pact defines.
#[derive(Debug, Clone, PartialEq)]
pub enum InteractionKind {
    /// A request and the response the consumer expects (`Synchronous/HTTP` in V4).
    Http {
        /// The request the consumer sends.
        request: HttpRequest,
        /// The response the consumer needs back.
        response: HttpResponse,
    },
    /// A message the provider publishes (`Asynchronous/Messages` in V4, `messages` in V3).
    AsyncMessage(Message),
    /// A request message and its response messages (`Synchronous/Messages` in V4).
    SyncMessage {
        /// The request message.
        request: Message,
        /// The response messages.
        responses: Vec<Message>,
    },
}

/// A provider state: the name and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderState {
    /// The state's name (`"a user with id 10 exists"`).
    pub name: String,
    /// Its parameters (V3/V4 `params`); empty when it has none.
    pub params: Map<String, Value>,
}

/// An HTTP request as the contract describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// The method, as written (matching compares it case-insensitively).
    pub method: String,
    /// The path, exactly as written.
    pub path: String,
    /// Query parameters: name to its values, in the order written. `None` when the contract
    /// says nothing about the query (any query matches); V1/V2 query strings are parsed.
    pub query: Option<Vec<(String, Vec<String>)>>,
    /// Headers: name (as written) to its values. `None` when the contract has no headers.
    pub headers: Option<Vec<(String, Vec<String>)>>,
    /// The request body.
    pub body: Body,
    /// Matching rules by category (`body`, `header`, `query`, `path`).
    pub matching_rules: MatchingRules,
    /// Generators, by category then path, kept as their JSON objects.
    pub generators: Generators,
}

/// An HTTP response as the contract describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The status code; `None` where the contract leaves it out (spec test cases do).
    pub status: Option<u16>,
    /// Headers: name (as written) to its values. `None` when the contract has no headers.
    pub headers: Option<Vec<(String, Vec<String>)>>,
    /// The response body.
    pub body: Body,
    /// Matching rules by category (`body`, `header`, `status`).
    pub matching_rules: MatchingRules,
    /// Generators, by category then path, kept as their JSON objects.
    pub generators: Generators,
}

/// A message: contents plus metadata (V3 `metaData`, V4 `metadata`).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The message contents.
    pub contents: Body,
    /// Message metadata (`contentType` and any other keys).
    pub metadata: Map<String, Value>,
    /// Matching rules (`body`/`content` rules are stored under [`RuleCategory::Body`]).
    pub matching_rules: MatchingRules,
    /// Generators, by category then path, kept as their JSON objects.
    pub generators: Generators,
}

/// A body and what the contract says about it.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// The contract has no `body` key: any actual body matches.
    Absent,
    /// The contract says `"body": null` (or a V4 wrapper with null content): no or empty body.
    Null,
    /// The contract gives a body.
    Present {
        /// The body's content.
        content: BodyContent,
        /// The V4 wrapper's `contentType`, when it has one (otherwise the `Content-Type`
        /// header decides, then the content itself).
        content_type: Option<String>,
    },
}

/// The content of a present body.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyContent {
    /// A JSON document (object, array, number, boolean, or a string in a JSON body).
    Json(Value),
    /// Text that is not JSON: XML, plain text, form-urlencoded data.
    Text(String),
    /// Binary data (V4 `encoded: "base64"` with a non-text content type).
    Bytes(Vec<u8>),
}

/// Generators by category (`body`, `header`, `query`, `path`, `status`) then by path or name.
/// Each generator is kept as its JSON object (`{"type": "RandomInt", "min": 0, "max": 10}`),
/// because applying them is the verifier's business.
pub type Generators = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Value>>;
