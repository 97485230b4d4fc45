//! The broker half of [`super::VerifyConfig`]: the broker client, the broker as a contract
//! source, and the publishing settings, checked once. Flag combinations that cannot work are
//! usage errors (exit 2) that say which flags and what to do.
//!
//! The broker is a source only when no SOURCE, `--file`, `--dir` or `--url` is given, so that a
//! CI job with `PACT_BROKER_BASE_URL` set that verifies a webhook's pact URL verifies that one
//! contract. Credentials go only to the broker's origin; with pact URLs and no
//! `--broker-base-url`, the first URL's origin is the broker.

use reqwest::Url;
use serde_json::{Value, json};

use super::broker_args::VerifyBrokerArgs;
use crate::broker::{Auth, BrokerClient, RetryPolicy, Secret};
use crate::error::Error;
use crate::source::{BrokerSelection, ContractSource};

/// What `treaty verify` does with a broker, validated.
#[derive(Debug, Clone, Default)]
pub struct BrokerConfig {
    /// The broker client, when there is a broker: `--broker-base-url`, or the origin of the
    /// first pact URL.
    pub client: Option<BrokerClient>,
    /// Set with `--publish`.
    pub publish: Option<PublishConfig>,
    /// `--ignore-no-pacts-error`: a run that verifies nothing passes.
    pub ignore_no_pacts_error: bool,
}

/// How to publish verification results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishConfig {
    /// The provider version verified.
    pub provider_app_version: String,
    /// Its branch.
    pub provider_version_branch: Option<String>,
    /// Its tags.
    pub provider_version_tags: Vec<String>,
    /// The CI build.
    pub build_url: Option<String>,
}

/// What the other flags tell the broker half.
#[derive(Debug, Clone, Copy)]
pub(super) struct Context<'a> {
    /// The contract sources given explicitly (SOURCE, `--file`, `--dir`, `--url`).
    pub sources: &'a [ContractSource],
    /// `--provider`.
    pub provider: Option<&'a str>,
    /// True when `--filter-description` or `--filter-state` leave out part of a contract.
    pub filters_interactions: bool,
}

/// Checks the broker flags; returns the broker source to add (when the broker is the source)
/// and the broker settings.
pub(super) fn broker_config(
    args: VerifyBrokerArgs,
    context: Context<'_>,
) -> Result<(Option<ContractSource>, BrokerConfig), Error> {
    let from_broker = context.sources.is_empty() && args.broker_base_url.is_some();
    let selectors = selectors(&args)?;
    if !from_broker {
        only_with_the_broker_source(&args, !selectors.is_empty(), context.sources.is_empty())?;
    }
    if let Some(since) = &args.include_wip_pacts_since {
        check_date(since)?;
        if args.provider_version_branch.is_none() && args.provider_version_tag.is_empty() {
            return Err(usage(
                "--include-wip-pacts-since needs --provider-version-branch (or \
                 --provider-version-tag): work-in-progress contracts are those the provider's \
                 branch has not verified yet",
            ));
        }
    }
    let publish = publish_config(&args, context)?;
    let client = client(&args, context.sources)?;
    let source = if from_broker {
        let provider = context.provider.ok_or_else(|| {
            usage(
                "--provider NAME is needed to fetch contracts from the broker: the broker \
                 selects the contracts of one provider",
            )
        })?;
        Some(ContractSource::Broker(BrokerSelection {
            provider: provider.to_owned(),
            consumer_version_selectors: selectors,
            provider_version_branch: args.provider_version_branch.clone(),
            provider_version_tags: args.provider_version_tag.clone(),
            include_pending_status: args.enable_pending,
            include_wip_pacts_since: args.include_wip_pacts_since.clone(),
        }))
    } else {
        None
    };
    Ok((
        source,
        BrokerConfig {
            client,
            publish,
            ignore_no_pacts_error: args.ignore_no_pacts_error,
        },
    ))
}

/// The selectors from `--consumer-version-selectors` (objects, or arrays of them) followed by
/// one `{"tag": T, "latest": true}` per `--consumer-version-tags`.
fn selectors(args: &VerifyBrokerArgs) -> Result<Vec<Value>, Error> {
    let mut selectors = Vec::new();
    for (position, raw) in args.consumer_version_selectors.iter().enumerate() {
        let invalid = |why: String| {
            usage(format!(
                "invalid --consumer-version-selectors #{} `{raw}`: {why}; expected a JSON object \
                 such as '{{\"mainBranch\": true}}' or an array of them",
                position + 1
            ))
        };
        let value: Value = serde_json::from_str(raw).map_err(|e| invalid(e.to_string()))?;
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            if !item.is_object() {
                return Err(invalid(format!("found {item}")));
            }
            selectors.push(item);
        }
    }
    for tag in &args.consumer_version_tags {
        selectors.push(json!({ "tag": tag, "latest": true }));
    }
    Ok(selectors)
}

/// Selection flags with explicit sources would be silently ignored: refuse them.
fn only_with_the_broker_source(
    args: &VerifyBrokerArgs,
    has_selectors: bool,
    no_sources: bool,
) -> Result<(), Error> {
    let mut given = Vec::new();
    if has_selectors {
        given.push("--consumer-version-selectors/--consumer-version-tags");
    }
    if args.enable_pending {
        given.push("--enable-pending");
    }
    if args.include_wip_pacts_since.is_some() {
        given.push("--include-wip-pacts-since");
    }
    if given.is_empty() {
        return Ok(());
    }
    let what = given.join(", ");
    if no_sources {
        return Err(usage(format!(
            "{what} choose which contracts the broker returns: give --broker-base-url URL (or \
             PACT_BROKER_BASE_URL) and --provider NAME"
        )));
    }
    let fix = if args.broker_base_url.is_some() {
        "drop SOURCE/--file/--dir/--url to verify what the broker selects, or drop them"
    } else {
        "give --broker-base-url (and no SOURCE) to verify what the broker selects, or drop them"
    };
    Err(usage(format!(
        "{what} choose which contracts the broker returns, but the contracts come from \
         SOURCE, --file, --dir or --url: {fix}"
    )))
}

fn publish_config(
    args: &VerifyBrokerArgs,
    context: Context<'_>,
) -> Result<Option<PublishConfig>, Error> {
    if !args.publish {
        return Ok(None);
    }
    let version = args
        .provider_app_version
        .as_deref()
        .map(str::trim)
        .filter(|version| !version.is_empty())
        .ok_or_else(|| {
            usage(
                "--publish needs --provider-app-version VERSION: a verification result \
                 belongs to a provider version",
            )
        })?;
    if let Some(file) = context.sources.iter().find_map(|source| match source {
        ContractSource::File(path) | ContractSource::Directory(path) => Some(path),
        _ => None,
    }) {
        return Err(usage(format!(
            "--publish needs contracts from a broker, but {} is a file: fetch the contracts \
             with --broker-base-url and --provider, or give the pact's broker URL",
            file.display()
        )));
    }
    if context.sources.is_empty() && args.broker_base_url.is_none() {
        return Err(usage(
            "--publish needs a broker: give --broker-base-url (or PACT_BROKER_BASE_URL)",
        ));
    }
    if context.filters_interactions {
        return Err(usage(
            "--publish cannot be combined with --filter-description or --filter-state: the \
             result would say a whole contract was verified when only part of it was",
        ));
    }
    if let Some(url) = &args.build_url {
        check_url("--build-url", url)?;
    }
    Ok(Some(PublishConfig {
        provider_app_version: version.to_owned(),
        provider_version_branch: args.provider_version_branch.clone(),
        provider_version_tags: args.provider_version_tag.clone(),
        build_url: args.build_url.clone(),
    }))
}

/// The broker client: for `--broker-base-url`, else for the first pact URL's origin.
fn client(
    args: &VerifyBrokerArgs,
    sources: &[ContractSource],
) -> Result<Option<BrokerClient>, Error> {
    let base = match &args.broker_base_url {
        Some(base) => base.clone(),
        None => {
            let first_url = sources.iter().find_map(|source| match source {
                ContractSource::Url(url) => Url::parse(url).ok(),
                _ => None,
            });
            match first_url {
                Some(url) => url.origin().ascii_serialization(),
                None => return Ok(None),
            }
        }
    };
    let auth = match (
        &args.broker_token,
        &args.broker_username,
        &args.broker_password,
    ) {
        (Some(token), _, _) => Some(Auth::Bearer(Secret::new(token.clone()))),
        (None, Some(username), Some(password)) => Some(Auth::Basic {
            username: username.clone(),
            password: Secret::new(password.clone()),
        }),
        _ => None,
    };
    let retry = RetryPolicy {
        attempts: args.retries,
        ..RetryPolicy::default()
    };
    BrokerClient::new(&base, auth, retry).map(Some)
}

/// A date (`2026-01-31`) or an RFC 3339 time, as the broker accepts for WIP.
fn check_date(raw: &str) -> Result<(), Error> {
    let date = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").is_ok();
    let time = chrono::DateTime::parse_from_rfc3339(raw).is_ok();
    if date || time {
        return Ok(());
    }
    Err(usage(format!(
        "invalid --include-wip-pacts-since `{raw}`: expected a date such as 2026-01-31 or a time \
         such as 2026-01-31T12:00:00Z"
    )))
}

fn check_url(flag: &str, url: &str) -> Result<(), Error> {
    match Url::parse(url) {
        Ok(parsed) if parsed.has_host() => Ok(()),
        _ => Err(usage(format!(
            "invalid {flag} `{url}`: expected a URL such as https://ci.example.com/builds/42"
        ))),
    }
}

fn usage(message: impl Into<String>) -> Error {
    Error::Usage(message.into())
}

#[cfg(test)]
#[path = "broker_config_tests.rs"]
mod tests;
