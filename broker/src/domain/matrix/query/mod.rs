//! The matrix query: the query string parsed the way Rack parses nested parameters (what the
//! Pact Broker does, so `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B` is two
//! selectors), then validated into a typed [`MatrixQuery`]. Pure: no database.
//!
//! Contradictory queries are refused with the Pact Broker's messages, each attached to the
//! parameters that conflict.

mod rack;

use rack::field;
pub use rack::{NestedParams, decode_pairs};

use crate::domain::{FieldError, PacticipantName, VersionNumber};

/// The most rows a query returns when it gives no `limit` (the Pact Broker's default).
pub const DEFAULT_LIMIT: usize = 100;

/// Which versions of a pacticipant a `q[]` selector asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// `version`: that version.
    Number(VersionNumber),
    /// `latest=true`, with an optional `tag` or `branch`: the newest such version.
    Latest {
        /// Only versions with this tag.
        tag: Option<String>,
        /// Only versions on this branch.
        branch: Option<String>,
    },
    /// `mainBranch=true` (with or without `latest`): the newest version of the main branch.
    MainBranch,
    /// `branch` without `latest`: every version on the branch.
    Branch(String),
    /// `tag` without `latest`: every version with the tag.
    Tag(String),
    /// `environment`: every version currently deployed or released there.
    Environment(String),
    /// The pacticipant's name only: every version.
    All,
}

/// A `q[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorQuery {
    /// The pacticipant.
    pub pacticipant: PacticipantName,
    /// Which of its versions.
    pub spec: VersionSpec,
}

/// An `ignore[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreQuery {
    /// The pacticipant to leave out.
    pub pacticipant: PacticipantName,
    /// Only this version of it.
    pub version: Option<VersionNumber>,
}

/// Where the selected versions would go: the versions of the other applications they are
/// checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// No destination: only the rows between the selected versions.
    None,
    /// `latest=true`: the latest version of each counterpart.
    Latest,
    /// `tag=T` (`latest=true` makes it the latest with the tag, else every tagged version).
    Tag {
        /// The tag.
        tag: String,
        /// Only the latest tagged version.
        latest: bool,
    },
    /// `environment=E`: the versions currently deployed or released to E.
    Environment(String),
    /// `mainBranch=true`: the latest version of each counterpart's main branch.
    MainBranch,
}

/// How rows are collapsed (`latestby`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatestBy {
    /// One row per consumer version and provider: the newest provider version's.
    ConsumerVersionProvider,
    /// One row per consumer version and provider version.
    ConsumerVersionProviderVersion,
    /// One row per integration: the newest.
    ConsumerProvider,
}

/// A validated matrix question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixQuery {
    /// The `q[]` selectors, in query order.
    pub selectors: Vec<SelectorQuery>,
    /// The `ignore[]` entries.
    pub ignore: Vec<IgnoreQuery>,
    /// The destination.
    pub destination: Destination,
    /// `latestby`, if given.
    pub latest_by: Option<LatestBy>,
    /// `success` filter: keep only rows with these verdicts (`None` = unverified).
    pub success: Option<Vec<Option<bool>>>,
    /// The most rows loaded per integration.
    pub limit: usize,
}

/// Parses `GET /matrix`'s query string.
pub fn parse_matrix_query(raw: &str) -> Result<MatrixQuery, Vec<FieldError>> {
    let params = NestedParams::parse(&decode_pairs(raw));
    let mut faults = Vec::new();
    let selectors: Vec<SelectorQuery> = params
        .q
        .iter()
        .enumerate()
        .filter_map(|(index, hash)| parse_selector(index, hash, &mut faults))
        .collect();
    if params.q.is_empty() {
        faults.push(FieldError::new(
            "q",
            "Please provide 1 or more version selectors.",
        ));
    }
    let ignore = parse_ignores(&params.ignore, &mut faults);
    let destination = parse_destination(
        params.get("tag"),
        params.get("environment"),
        params.get("mainBranch").map(|value| value == "true"),
        params.get("latest").map(|value| value == "true"),
        &mut faults,
    );
    let latest_by = match params.get("latestby") {
        None => None,
        Some("cvp") => Some(LatestBy::ConsumerVersionProvider),
        Some("cvpv") => Some(LatestBy::ConsumerVersionProviderVersion),
        Some("cp") => Some(LatestBy::ConsumerProvider),
        Some(other) => {
            faults.push(FieldError::new(
                "latestby",
                format!("latestby must be one of cvp, cvpv or cp, found `{other}`"),
            ));
            None
        }
    };
    let success = params
        .top
        .iter()
        .find(|(key, _)| key == "success" || key == "success[]")
        .map(|(_, value)| vec![(!value.is_empty()).then(|| value == "true")]);
    let limit = match params.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(limit) if limit >= 1 => limit,
            _ => {
                faults.push(FieldError::new(
                    "limit",
                    format!("The limit must be 1 or greater, found `{raw}`"),
                ));
                DEFAULT_LIMIT
            }
        },
    };
    if !faults.is_empty() {
        return Err(faults);
    }
    Ok(MatrixQuery {
        selectors,
        ignore,
        destination,
        latest_by,
        success,
        limit,
    })
}

/// Parses `GET /can-i-deploy?pacticipant=&version=&environment=|to=` (the same question as the
/// matrix with one selector; `environment` uses `cvpv`, `to` uses `cvp`).
pub fn parse_can_i_deploy_query(raw: &str) -> Result<MatrixQuery, Vec<FieldError>> {
    let params = NestedParams::parse(&decode_pairs(raw));
    let mut faults = Vec::new();
    let pacticipant = required_name(&params, "pacticipant", PacticipantName::parse, &mut faults);
    let version = required_name(&params, "version", VersionNumber::parse, &mut faults);
    let (to, environment) = (params.get("to"), params.get("environment"));
    let destination = match (to, environment) {
        (Some(_), Some(_)) => {
            let message = "Cannot specify both a 'to' tag and an environment.";
            faults.push(FieldError::new("to", message));
            faults.push(FieldError::new("environment", message));
            Destination::None
        }
        (None, None) => {
            let message = "Must specify either an environment or a 'to' tag.";
            faults.push(FieldError::new("environment", message));
            Destination::None
        }
        (Some(tag), None) => Destination::Tag {
            tag: tag.to_owned(),
            latest: true,
        },
        (None, Some(environment)) => Destination::Environment(environment.to_owned()),
    };
    let ignore = parse_ignores(&params.ignore, &mut faults);
    match (pacticipant, version) {
        (Some(pacticipant), Some(version)) if faults.is_empty() => {
            let latest_by = if matches!(destination, Destination::Environment(_)) {
                LatestBy::ConsumerVersionProviderVersion
            } else {
                LatestBy::ConsumerVersionProvider
            };
            Ok(MatrixQuery {
                selectors: vec![SelectorQuery {
                    pacticipant,
                    spec: VersionSpec::Number(version),
                }],
                ignore,
                destination,
                latest_by: Some(latest_by),
                success: None,
                limit: DEFAULT_LIMIT,
            })
        }
        _ => Err(faults),
    }
}

fn required_name<T>(
    params: &NestedParams,
    key: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    faults: &mut Vec<FieldError>,
) -> Option<T> {
    match params.get(key) {
        None => {
            faults.push(FieldError::new(key, format!("{key} is missing")));
            None
        }
        Some(raw) => parse(raw)
            .map_err(|message| faults.push(FieldError::new(key, message)))
            .ok(),
    }
}

fn parse_selector(
    index: usize,
    hash: &[(String, String)],
    faults: &mut Vec<FieldError>,
) -> Option<SelectorQuery> {
    let at = |key: &str| format!("q[{index}][{key}]");
    let Some(name) = field(hash, "pacticipant") else {
        faults.push(FieldError::new(
            at("pacticipant"),
            "Please specify the pacticipant name",
        ));
        return None;
    };
    let pacticipant = match PacticipantName::parse(name) {
        Ok(pacticipant) => pacticipant,
        Err(message) => {
            faults.push(FieldError::new(at("pacticipant"), message));
            return None;
        }
    };
    let version = field(hash, "version");
    let latest = field(hash, "latest") == Some("true");
    let tag = field(hash, "tag").map(str::to_owned);
    let branch = field(hash, "branch").map(str::to_owned);
    let main_branch = field(hash, "mainBranch") == Some("true");
    let environment = field(hash, "environment").map(str::to_owned);
    let spec = if let Some(version) = version {
        let mut conflicting: Vec<&str> = Vec::new();
        if latest {
            faults.push(FieldError::new(
                at("latest"),
                format!("A version number and latest flag cannot both be specified for {name}"),
            ));
        }
        for (present, key) in [
            (tag.is_some(), "tag"),
            (branch.is_some(), "branch"),
            (main_branch, "mainBranch"),
            (environment.is_some(), "environment"),
        ] {
            if present {
                conflicting.push(key);
            }
        }
        for key in conflicting {
            faults.push(FieldError::new(
                at(key),
                format!("a version number and {key} cannot both be specified for {name}: give one of them"),
            ));
        }
        match VersionNumber::parse(version) {
            Ok(number) => VersionSpec::Number(number),
            Err(message) => {
                faults.push(FieldError::new(at("version"), message));
                return None;
            }
        }
    } else if main_branch {
        VersionSpec::MainBranch
    } else if latest {
        if tag.is_some() && branch.is_some() {
            faults.push(FieldError::new(
                at("tag"),
                format!("a tag and a branch cannot both be specified for {name}: give one of them"),
            ));
        }
        VersionSpec::Latest { tag, branch }
    } else if let Some(branch) = branch {
        VersionSpec::Branch(branch)
    } else if let Some(tag) = tag {
        VersionSpec::Tag(tag)
    } else if let Some(environment) = environment {
        VersionSpec::Environment(environment)
    } else {
        VersionSpec::All
    };
    Some(SelectorQuery { pacticipant, spec })
}

fn parse_ignores(
    hashes: &[Vec<(String, String)>],
    faults: &mut Vec<FieldError>,
) -> Vec<IgnoreQuery> {
    let mut ignore = Vec::new();
    for (index, hash) in hashes.iter().enumerate() {
        let Some(name) = field(hash, "pacticipant") else {
            faults.push(FieldError::new(
                format!("ignore[{index}][pacticipant]"),
                "Please specify the pacticipant name to ignore",
            ));
            continue;
        };
        let pacticipant = match PacticipantName::parse(name) {
            Ok(pacticipant) => pacticipant,
            Err(message) => {
                faults.push(FieldError::new(
                    format!("ignore[{index}][pacticipant]"),
                    message,
                ));
                continue;
            }
        };
        let version = match field(hash, "version").map(VersionNumber::parse) {
            None => None,
            Some(Ok(version)) => Some(version),
            Some(Err(message)) => {
                faults.push(FieldError::new(
                    format!("ignore[{index}][version]"),
                    message,
                ));
                continue;
            }
        };
        ignore.push(IgnoreQuery {
            pacticipant,
            version,
        });
    }
    ignore
}

fn parse_destination(
    tag: Option<&str>,
    environment: Option<&str>,
    main_branch: Option<bool>,
    latest: Option<bool>,
    faults: &mut Vec<FieldError>,
) -> Destination {
    let given: Vec<&str> = [
        (tag.is_some(), "tag"),
        (environment.is_some(), "environment"),
        (main_branch.is_some(), "mainBranch"),
    ]
    .into_iter()
    .filter_map(|(present, key)| present.then_some(key))
    .collect();
    if given.len() > 1 {
        for key in &given {
            faults.push(FieldError::new(
                *key,
                "Cannot specify more than one of tag, environment and mainBranch.",
            ));
        }
        return Destination::None;
    }
    let latest = latest == Some(true);
    if latest && environment.is_some() {
        for key in ["latest", "environment"] {
            faults.push(FieldError::new(
                key,
                "Cannot specify both latest=true and an environment.",
            ));
        }
        return Destination::None;
    }
    match (tag, environment, main_branch) {
        (Some(tag), _, _) => Destination::Tag {
            tag: tag.to_owned(),
            latest,
        },
        (_, Some(environment), _) => Destination::Environment(environment.to_owned()),
        (_, _, Some(true)) => Destination::MainBranch,
        _ if latest => Destination::Latest,
        _ => Destination::None,
    }
}

#[cfg(test)]
mod tests;
