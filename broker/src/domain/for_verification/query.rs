//! The pacts-for-verification request: `consumerVersionSelectors`, `providerVersionBranch`,
//! `providerVersionTags`, `includePendingStatus`, `includeWipPactsSince`, validated with the
//! Pact Broker's rules (§5.3) and normalised into [`Selector`]s.
//!
//! Every fault is reported with where it is: a selector by its index
//! (`consumerVersionSelectors/1`), a top-level field by its name. Unknown keys are refused,
//! because a misspelt selector key (`mainbranch`) would otherwise select something else.

use serde_json::Value;

use crate::domain::{DomainError, FieldError};

/// What a selector selects, after normalisation (`branch` and `mainBranch` imply latest,
/// `deployedOrReleased` is split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectorKind {
    /// The head of each consumer's main branch.
    MainBranch,
    /// The head of branch `name`; `fallback` is used when no consumer has a pact there.
    Branch {
        /// The branch.
        name: String,
        /// The branch used when `name` selects nothing.
        fallback: Option<String>,
    },
    /// The head of the consumer branch named like the provider's branch (`matchingBranch`).
    MatchingBranch,
    /// The head of every branch of each consumer (`branch: true`).
    AllBranches,
    /// The newest version tagged `name` (`latest: true`), or every tagged version.
    Tag {
        /// The tag.
        name: String,
        /// Only the newest tagged version.
        latest: bool,
        /// The tag used when `name` selects nothing (requires `latest`).
        fallback: Option<String>,
    },
    /// The newest version of each consumer that has a pact with the provider.
    Latest,
    /// Versions currently deployed (to `environment`, or to any).
    Deployed {
        /// The environment, if given.
        environment: Option<String>,
    },
    /// Versions released and still supported (in `environment`, or in any).
    Released {
        /// The environment, if given.
        environment: Option<String>,
    },
    /// Versions deployed or released in an environment (`{environment: E}` alone).
    InEnvironment {
        /// The environment.
        environment: String,
    },
}

/// One normalised consumer version selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// What it selects.
    pub kind: SelectorKind,
    /// Only this consumer's versions.
    pub consumer: Option<String>,
    /// Its index in `consumerVersionSelectors` (for error messages); `None` for defaults.
    pub index: Option<usize>,
}

impl Selector {
    /// A selector the broker chose (no index).
    pub fn default_for(kind: SelectorKind, consumer: Option<&str>) -> Self {
        Self {
            kind,
            consumer: consumer.map(str::to_owned),
            index: None,
        }
    }
}

/// A validated pacts-for-verification request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerificationQuery {
    /// The selectors, normalised; empty means the Pact Broker's defaults.
    pub selectors: Vec<Selector>,
    /// The provider branch the results will be published for.
    pub provider_branch: Option<String>,
    /// The provider tags the results will be published with.
    pub provider_tags: Vec<String>,
    /// Whether to compute `pending` (the Pact Broker defaults to true).
    pub include_pending_status: bool,
    /// WIP pacts created at or after this instant (RFC 3339, UTC, milliseconds).
    pub include_wip_pacts_since: Option<String>,
}

const TOP_LEVEL_KEYS: [&str; 5] = [
    "consumerVersionSelectors",
    "providerVersionBranch",
    "providerVersionTags",
    "includePendingStatus",
    "includeWipPactsSince",
];

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses `includeWipPactsSince`: a date (`2020-01-01`) or an RFC 3339 date-time.
fn parse_since(raw: &str) -> Option<String> {
    let instant = if let Ok(date) = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        date.and_hms_opt(0, 0, 0)?.and_utc()
    } else {
        chrono::DateTime::parse_from_rfc3339(raw)
            .ok()?
            .with_timezone(&chrono::Utc)
    };
    Some(instant.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

impl VerificationQuery {
    /// Validates a POST body; every fault is listed.
    pub fn from_json(body: &Value) -> Result<Self, DomainError> {
        let Value::Object(fields) = body else {
            return Err(DomainError::invalid(
                "body",
                format!(
                    "expected a JSON object such as {{\"consumerVersionSelectors\": [{{\"mainBranch\": true}}]}}, found {}",
                    kind_of(body)
                ),
            ));
        };
        let mut faults = Vec::new();
        for key in fields.keys() {
            if !TOP_LEVEL_KEYS.contains(&key.as_str()) {
                faults.push(FieldError::new(
                    key.clone(),
                    format!("unknown key: expected one of {}", TOP_LEVEL_KEYS.join(", ")),
                ));
            }
        }
        let provider_branch = match fields.get("providerVersionBranch") {
            None | Some(Value::Null) => None,
            Some(Value::String(branch)) => Some(branch.clone()),
            Some(other) => {
                faults.push(FieldError::new(
                    "providerVersionBranch",
                    format!("expected a branch name string, found {}", kind_of(other)),
                ));
                None
            }
        };
        let provider_tags = match fields.get("providerVersionTags") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| match item {
                    Value::String(tag) if !tag.trim().is_empty() => Some(tag.clone()),
                    other => {
                        faults.push(FieldError::new(
                            format!("providerVersionTags/{index}"),
                            format!("expected a non-blank tag name, found {}", kind_of(other)),
                        ));
                        None
                    }
                })
                .collect(),
            Some(other) => {
                faults.push(FieldError::new(
                    "providerVersionTags",
                    format!("expected an array of tag names, found {}", kind_of(other)),
                ));
                Vec::new()
            }
        };
        let include_pending_status = match fields.get("includePendingStatus") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(include)) => *include,
            Some(other) => {
                faults.push(FieldError::new(
                    "includePendingStatus",
                    format!("expected true or false, found {}", kind_of(other)),
                ));
                true
            }
        };
        let include_wip_pacts_since = match fields.get("includeWipPactsSince") {
            None | Some(Value::Null) => None,
            Some(Value::String(raw)) => match parse_since(raw) {
                Some(since) => Some(since),
                None => {
                    faults.push(FieldError::new(
                        "includeWipPactsSince",
                        format!("expected a date such as 2020-01-01 or an RFC 3339 date-time, found `{raw}`"),
                    ));
                    None
                }
            },
            Some(other) => {
                faults.push(FieldError::new(
                    "includeWipPactsSince",
                    format!(
                        "expected a date string such as 2020-01-01, found {}",
                        kind_of(other)
                    ),
                ));
                None
            }
        };
        if let Some(branch) = &provider_branch {
            let uses_branch = include_pending_status || include_wip_pacts_since.is_some();
            if !branch.is_empty() && branch.trim().is_empty() {
                faults.push(FieldError::new(
                    "providerVersionBranch",
                    "must not be blank: give the provider's branch name, or leave it out",
                ));
            } else if branch.is_empty() && provider_tags.is_empty() && uses_branch {
                faults.push(FieldError::new(
                    "providerVersionBranch",
                    "when pending or WIP pacts are enabled and there are no tags provided, the provider version branch must not be an empty string, as it is used in the calculations for WIP/pending. A value must be provided (recommended), or it must not be set at all",
                ));
            }
        }
        let provider_branch = provider_branch.filter(|branch| !branch.is_empty());
        let mut selectors = Vec::new();
        match fields.get("consumerVersionSelectors") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    match selector_rules::parse_selector(index, item, provider_branch.as_deref()) {
                        Ok(parsed) => selectors.extend(parsed),
                        Err(messages) => faults.extend(messages.into_iter().map(|message| {
                            FieldError::new(format!("consumerVersionSelectors/{index}"), message)
                        })),
                    }
                }
            }
            Some(other) => faults.push(FieldError::new(
                "consumerVersionSelectors",
                format!(
                    "expected an array of selectors such as [{{\"mainBranch\": true}}], found {}",
                    kind_of(other)
                ),
            )),
        }
        if !faults.is_empty() {
            return Err(DomainError::Invalid(faults));
        }
        Ok(Self {
            selectors,
            provider_branch,
            provider_tags,
            include_pending_status,
            include_wip_pacts_since,
        })
    }
}

mod selector_rules;

#[cfg(test)]
mod tests;
