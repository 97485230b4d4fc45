//! The pacts-for-verification request: `consumerVersionSelectors`, `providerVersionBranch`,
//! `providerVersionTags`, `includePendingStatus`, `includeWipPactsSince`, validated with the
//! Pact Broker's rules (§5.3) and normalised into [`Selector`]s.
//!
//! Every fault is reported with where it is: a selector by its index
//! (`consumerVersionSelectors/1`), a top-level field by its name. Unknown keys are refused,
//! because a misspelt selector key (`mainbranch`) would otherwise select something else.

use serde_json::{Map, Value};

use crate::domain::{DomainError, FieldError};

/// What a selector selects, after normalisation (`branch` and `mainBranch` imply latest,
/// `matchingBranch` is resolved against the provider branch, `deployedOrReleased` is split).
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
        /// Set by `matchingBranch`: the provider's own branch name.
        matching: bool,
    },
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

const BRANCH_KEYS: [&str; 7] = [
    "latest",
    "tag",
    "fallbackTag",
    "branch",
    "fallbackBranch",
    "matchingBranch",
    "mainBranch",
];
const ENVIRONMENT_KEYS: [&str; 4] = ["environment", "deployed", "released", "deployedOrReleased"];

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
                    match parse_selector(index, item, provider_branch.as_deref()) {
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

/// One selector's raw keys, type-checked.
#[derive(Debug, Default)]
struct RawSelector {
    main_branch: bool,
    tag: Option<String>,
    branch: Option<String>,
    all_branches: bool,
    matching_branch: bool,
    latest: Option<bool>,
    fallback_tag: Option<String>,
    fallback_branch: Option<String>,
    consumer: Option<String>,
    deployed: bool,
    released: bool,
    deployed_or_released: bool,
    environment: Option<String>,
}

fn read_raw(fields: &Map<String, Value>, errors: &mut Vec<String>) -> RawSelector {
    let mut raw = RawSelector::default();
    for (key, value) in fields {
        let expect_true = |errors: &mut Vec<String>| match value {
            Value::Bool(true) => true,
            other => {
                errors.push(format!("{key} must be true, found {}", describe(other)));
                false
            }
        };
        let expect_name = |errors: &mut Vec<String>| match value {
            Value::String(name) if !name.trim().is_empty() => Some(name.clone()),
            other => {
                errors.push(format!(
                    "{key} must be a non-blank string, found {}",
                    describe(other)
                ));
                None
            }
        };
        match key.as_str() {
            "mainBranch" => raw.main_branch = expect_true(errors),
            "matchingBranch" => raw.matching_branch = expect_true(errors),
            "deployed" => raw.deployed = expect_true(errors),
            "released" => raw.released = expect_true(errors),
            "deployedOrReleased" => raw.deployed_or_released = expect_true(errors),
            "tag" => raw.tag = expect_name(errors),
            "fallbackTag" => raw.fallback_tag = expect_name(errors),
            "fallbackBranch" => raw.fallback_branch = expect_name(errors),
            "consumer" => raw.consumer = expect_name(errors),
            "environment" => raw.environment = expect_name(errors),
            "branch" => match value {
                Value::Bool(true) => raw.all_branches = true,
                _ => raw.branch = expect_name(errors),
            },
            "latest" => match value {
                Value::Bool(latest) => raw.latest = Some(*latest),
                other => errors.push(format!("latest must be true or false, found {}", describe(other))),
            },
            unknown => errors.push(format!(
                "unknown key `{unknown}`: expected one of mainBranch, branch, fallbackBranch, matchingBranch, tag, fallbackTag, latest, consumer, deployed, released, deployedOrReleased, environment"
            )),
        }
    }
    raw
}

/// A JSON value as an error message shows it.
fn describe(value: &Value) -> String {
    match value {
        Value::Bool(_) | Value::Number(_) | Value::Null => format!("`{value}`"),
        other => kind_of(other).to_owned(),
    }
}

fn plural(word: &str, count: usize) -> String {
    if count == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// Validates one selector with the Pact Broker's rules, then normalises it.
fn parse_selector(
    index: usize,
    item: &Value,
    provider_branch: Option<&str>,
) -> Result<Vec<Selector>, Vec<String>> {
    let Value::Object(fields) = item else {
        return Err(vec![format!(
            "expected a selector object such as {{\"mainBranch\": true}}, found {}",
            kind_of(item)
        )]);
    };
    let mut errors = Vec::new();
    let raw = read_raw(fields, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let present = |key: &str| fields.contains_key(key);
    if !raw.main_branch
        && raw.tag.is_none()
        && raw.branch.is_none()
        && !raw.all_branches
        && raw.environment.is_none()
        && !raw.matching_branch
        && !raw.deployed
        && !raw.released
        && !raw.deployed_or_released
        && raw.latest != Some(true)
    {
        errors.push("must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, latest=true, deployed=true, released=true or deployedOrReleased=true".to_owned());
    }
    let others = |allowed: &[&str]| {
        fields
            .keys()
            .any(|key| key != "consumer" && !allowed.contains(&key.as_str()))
    };
    if raw.main_branch && others(&["mainBranch", "latest"]) {
        errors.push(
            "cannot specify mainBranch=true with any other criteria apart from consumer".to_owned(),
        );
    }
    if raw.main_branch && raw.latest == Some(false) {
        errors.push("cannot specify mainBranch=true with latest=false".to_owned());
    }
    if raw.matching_branch && others(&["matchingBranch"]) {
        errors.push(
            "cannot specify matchingBranch=true with any other criteria apart from consumer"
                .to_owned(),
        );
    }
    if raw.matching_branch && provider_branch.is_none() {
        errors.push("the providerVersionBranch must be specified when the selector matchingBranch=true is used".to_owned());
    }
    if raw.tag.is_some() && (raw.branch.is_some() || raw.all_branches) {
        errors.push("cannot specify both a tag and a branch".to_owned());
    }
    let mut branch_fields: Vec<&str> = BRANCH_KEYS
        .iter()
        .copied()
        .filter(|key| present(key))
        .collect();
    let mut environment_fields: Vec<&str> = ENVIRONMENT_KEYS
        .iter()
        .copied()
        .filter(|key| present(key))
        .collect();
    if !branch_fields.is_empty() && !environment_fields.is_empty() {
        branch_fields.sort_unstable();
        environment_fields.sort_unstable();
        errors.push(format!(
            "cannot specify the {} {} with the {} {}",
            plural("field", branch_fields.len()),
            branch_fields.join("/"),
            plural("field", environment_fields.len()),
            environment_fields.join("/")
        ));
    }
    if raw.fallback_tag.is_some() && raw.latest != Some(true) {
        errors.push("fallbackTag can only be set if latest is true".to_owned());
    }
    if raw.fallback_tag.is_some() && raw.tag.is_none() {
        errors.push("a tag must be specified when a fallbackTag is specified".to_owned());
    }
    if raw.fallback_branch.is_some() && raw.branch.is_none() {
        errors.push("a branch must be specified when a fallbackBranch is specified".to_owned());
    }
    if raw.fallback_branch.is_some() && raw.latest == Some(false) {
        errors.push("fallbackBranch can only be set if latest is true".to_owned());
    }
    if (raw.branch.is_some() || raw.all_branches) && raw.latest == Some(false) {
        errors.push("cannot specify a branch with latest=false".to_owned());
    }
    if raw.deployed && raw.released {
        errors.push("cannot specify both deployed=true and released=true".to_owned());
    }
    if raw.deployed && raw.deployed_or_released {
        errors.push("cannot specify both deployed=true and deployedOrReleased=true".to_owned());
    }
    if raw.released && raw.deployed_or_released {
        errors.push("cannot specify both released=true and deployedOrReleased=true".to_owned());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let selector = |kind| Selector {
        kind,
        consumer: raw.consumer.clone(),
        index: Some(index),
    };
    let kinds = if raw.main_branch {
        vec![SelectorKind::MainBranch]
    } else if raw.matching_branch {
        vec![SelectorKind::Branch {
            name: provider_branch.unwrap_or_default().to_owned(),
            fallback: None,
            matching: true,
        }]
    } else if let Some(name) = &raw.branch {
        vec![SelectorKind::Branch {
            name: name.clone(),
            fallback: raw.fallback_branch.clone(),
            matching: false,
        }]
    } else if raw.all_branches {
        vec![SelectorKind::AllBranches]
    } else if let Some(name) = &raw.tag {
        vec![SelectorKind::Tag {
            name: name.clone(),
            latest: raw.latest == Some(true),
            fallback: raw.fallback_tag.clone(),
        }]
    } else if raw.deployed_or_released {
        vec![
            SelectorKind::Deployed {
                environment: raw.environment.clone(),
            },
            SelectorKind::Released {
                environment: raw.environment.clone(),
            },
        ]
    } else if raw.deployed {
        vec![SelectorKind::Deployed {
            environment: raw.environment.clone(),
        }]
    } else if raw.released {
        vec![SelectorKind::Released {
            environment: raw.environment.clone(),
        }]
    } else if let Some(environment) = &raw.environment {
        vec![SelectorKind::InEnvironment {
            environment: environment.clone(),
        }]
    } else {
        vec![SelectorKind::Latest]
    };
    Ok(kinds.into_iter().map(selector).collect())
}

#[cfg(test)]
mod tests;
