//! One consumer version selector's rules: each key type-checked, then the Pact Broker's
//! combination rules (§5.3, `consumer_version_selector_contract.rb`, worded as it words them),
//! then normalisation into [`SelectorKind`]s.

use serde_json::{Map, Value};

use super::{Selector, SelectorKind, kind_of};

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
pub(super) fn parse_selector(
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
        vec![SelectorKind::MatchingBranch]
    } else if let Some(name) = &raw.branch {
        vec![SelectorKind::Branch {
            name: name.clone(),
            fallback: raw.fallback_branch.clone(),
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
