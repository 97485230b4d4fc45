//! Matching rules: which part of a request, response or message a rule applies to, and what the
//! rule requires. V2's flat `$.body…`/`$.headers…` rules and V3/V4's per-category rules are
//! both parsed into these types.

use std::collections::BTreeMap;

use serde_json::Value;

/// The part of an interaction a set of rules applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleCategory {
    /// The body (V4 message `content` rules are stored here too).
    Body,
    /// Headers; the rule key is the header name.
    Header,
    /// Query parameters; the rule key is the parameter name.
    Query,
    /// The request path; the rule key is the empty string.
    Path,
    /// The response status; the rule key is the empty string.
    Status,
    /// Message metadata; the rule key is the metadata key.
    Metadata,
}

impl RuleCategory {
    /// The category as V3/V4 files spell it (`"header"`, not `"headers"`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleCategory::Body => "body",
            RuleCategory::Header => "header",
            RuleCategory::Query => "query",
            RuleCategory::Path => "path",
            RuleCategory::Status => "status",
            RuleCategory::Metadata => "metadata",
        }
    }
}

/// All the rules of one request, response or message.
///
/// For [`RuleCategory::Body`] the key is a JSONPath-like expression rooted at the body (`$`,
/// `$.items[*].price`, `$.a['b-c']`); for headers, query and metadata it is the name; for path
/// and status it is the empty string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchingRules {
    /// Rules by category, then by path or name.
    pub categories: BTreeMap<RuleCategory, BTreeMap<String, RuleList>>,
}

impl MatchingRules {
    /// True when no category holds any rule.
    pub fn is_empty(&self) -> bool {
        self.categories.values().all(BTreeMap::is_empty)
    }

    /// The rules of one category (empty when it has none).
    pub fn category(&self, category: RuleCategory) -> Option<&BTreeMap<String, RuleList>> {
        self.categories.get(&category)
    }
}

/// The matchers at one path and how their results combine.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleList {
    /// The matchers, in the order written.
    pub rules: Vec<MatchingRule>,
    /// `AND` (every matcher must pass, the default) or `OR` (one is enough).
    pub combine: Combine,
}

/// How the matchers of a [`RuleList`] combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Combine {
    /// Every matcher must pass (the default).
    #[default]
    And,
    /// At least one matcher must pass.
    Or,
}

/// One matcher.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchingRule {
    /// The value must equal the expected one.
    Equality,
    /// The value's string form must match the whole regular expression.
    Regex(String),
    /// The value must have the expected one's type; arrays may be bounded in length.
    Type {
        /// Minimum array length, if any.
        min: Option<usize>,
        /// Maximum array length, if any.
        max: Option<usize>,
    },
    /// The string form must contain this text.
    Include(String),
    /// An integer.
    Integer,
    /// A number with a fractional part.
    Decimal,
    /// Any number.
    Number,
    /// A boolean (or the strings `"true"`/`"false"` in headers and query).
    Boolean,
    /// JSON null.
    Null,
    /// A date in the given format (Java `DateTimeFormatter`/ICU style), ISO 8601 by default.
    Date(Option<String>),
    /// A time in the given format, ISO 8601 by default.
    Time(Option<String>),
    /// A timestamp (date-time) in the given format, ISO 8601 by default.
    Timestamp(Option<String>),
    /// The body's content type must be this one.
    ContentType(String),
    /// Map values are matched, keys are ignored.
    Values,
    /// Every key of the map must satisfy these rules.
    EachKey(Vec<MatchingRule>),
    /// Every value of the map or array must satisfy these rules.
    EachValue(Vec<MatchingRule>),
    /// The array must contain, for each variant, an element matching it.
    ArrayContains(Vec<ArrayContainsVariant>),
    /// Not empty (and of the expected type).
    NotEmpty,
    /// A semantic version string.
    Semver,
    /// A status code in the class or list (`"success"`, `"clientError"`, `[200, 201]`…).
    StatusCode(Value),
    /// Treaty's addition: the value must satisfy this JSON Schema (draft 2020-12).
    JsonSchema(Value),
    /// A matcher this version of Treaty does not know, kept as written so that it can be reported.
    Unknown(Value),
}

/// One variant of an `arrayContains` matcher.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrayContainsVariant {
    /// The index of the expected element this variant describes.
    pub index: usize,
    /// Rules for that element, by path relative to it.
    pub rules: BTreeMap<String, RuleList>,
    /// Generators for that element, kept as JSON.
    pub generators: BTreeMap<String, Value>,
}
