//! The Pact Broker's words for a verdict (`reason_decorator.rb` and the selectors'
//! descriptions), kept verbatim because people and scripts know them: `There is no verified
//! pact between version 1.0.0 of Foo and a version of Bar currently in production (…)`.

use crate::domain::matrix::ResolvedSelector;
use crate::domain::matrix::decide::{Reason, Side};
use crate::domain::matrix::query::VersionSpec;

/// The Pact Broker's text for a reason.
pub fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::IgnoreSelectorDoesNotExist(ignore) => {
            let description = match (&ignore.pacticipant, &ignore.version_number) {
                (None, _) => format!("any version of {} (no such pacticipant exists)", ignore.name),
                (Some(_), Some(number)) => format!("version {number} of {} (no such version exists)", ignore.name),
                (Some(_), None) => format!("any version of {}", ignore.name),
            };
            format!("WARN: Cannot ignore {description}")
        }
        Reason::NoEnvironmentSpecified => "WARN: It is recommended to specify the environment into which you are deploying. Without the environment, this result will not be reliable.".to_owned(),
        Reason::SelectorWithoutVersionNumber => "WARN: It is recommended to specify the version number (rather than the tag or branch) of the pacticipant you wish to deploy to avoid race conditions. Without a version number, this result will not be reliable.".to_owned(),
        Reason::SpecifiedVersionDoesNotExist(selector) => version_does_not_exist(selector),
        Reason::PactNotVerified { consumer, provider } => format!(
            "There is no verified pact between {} and {}",
            describe(consumer),
            describe(provider)
        ),
        Reason::VerificationFailed { consumer, provider } => format!(
            "The verification for the pact between {} and {} failed",
            describe(consumer),
            describe(provider)
        ),
        Reason::Successful => "All required verification results are published and successful".to_owned(),
        Reason::NoDependenciesMissing => "There are no missing dependencies".to_owned(),
    }
}

/// The Pact Broker's description of a selector's version (`the version of Bar currently in
/// production (2.0.0)`).
pub fn describe(side: &Side) -> String {
    let name = &side.pacticipant;
    let Some((selector, many)) = &side.selector else {
        return match &side.version {
            Some(number) => format!("version {number} of {name}"),
            None => format!("any version of {name}"),
        };
    };
    let number = side.version.as_deref();
    let the_version = if *many {
        "one of the versions"
    } else {
        "the version"
    };
    match (&selector.spec, number) {
        (VersionSpec::Latest { tag: Some(tag), .. }, Some(number)) => {
            format!("the latest version of {name} with tag {tag} ({number})")
        }
        (VersionSpec::Latest { tag: Some(tag), .. }, None) => {
            format!("the latest version of {name} with tag {tag} (no such version exists)")
        }
        (VersionSpec::MainBranch, Some(number)) => {
            format!("the latest version of {name} from the main branch ({number})")
        }
        (VersionSpec::MainBranch, None) => format!(
            "the latest version of {name} from the main branch (no versions exist for this branch)"
        ),
        (
            VersionSpec::Latest {
                branch: Some(branch),
                ..
            },
            Some(number),
        ) => format!("the latest version of {name} from branch {branch} ({number})"),
        (
            VersionSpec::Latest {
                branch: Some(branch),
                ..
            },
            None,
        ) => format!("the latest version of {name} from branch {branch} (no such version exists)"),
        (VersionSpec::Branch(branch), Some(number)) => {
            format!("{the_version} of {name} from branch {branch} ({number})")
        }
        (VersionSpec::Branch(branch), None) => {
            format!("a version of {name} from branch {branch} (no such version exists)")
        }
        (VersionSpec::Latest { .. }, Some(number)) => {
            format!("the latest version of {name} ({number})")
        }
        (VersionSpec::Latest { .. }, None) => {
            format!("the latest version of {name} (no such version exists)")
        }
        (VersionSpec::Tag(tag), Some(number)) => {
            format!("a version of {name} with tag {tag} ({number})")
        }
        (VersionSpec::Tag(tag), None) => {
            format!("a version of {name} with tag {tag} (no such version exists)")
        }
        (VersionSpec::Environment(environment), Some(number)) => {
            format!("{the_version} of {name} currently in {environment} ({number})")
        }
        (VersionSpec::Environment(environment), None) => format!(
            "a version of {name} currently in {environment} (no version is currently recorded as deployed/released in this environment)"
        ),
        (VersionSpec::Number(number), _) if selector.selects_nothing() => {
            format!("version {number} of {name} (no such version exists)")
        }
        (VersionSpec::Number(number), _) => format!("version {number} of {name}"),
        (VersionSpec::All, Some(number)) => format!("version {number} of {name}"),
        (VersionSpec::All, None) => format!("any version of {name}"),
    }
}

/// The Pact Broker's message for a named selector that matches no version.
pub fn version_does_not_exist(selector: &ResolvedSelector) -> String {
    let name = &selector.pacticipant.name;
    match &selector.spec {
        VersionSpec::Latest { tag: Some(tag), .. } | VersionSpec::Tag(tag) => {
            format!("No version with tag {tag} exists for {name}")
        }
        VersionSpec::Latest {
            branch: Some(branch),
            ..
        }
        | VersionSpec::Branch(branch) => {
            format!("No version of {name} from branch {branch} exists")
        }
        VersionSpec::MainBranch => format!("No version of {name} from the main branch exists"),
        VersionSpec::Environment(environment) => format!(
            "No version of {name} is currently recorded as deployed or released in environment {environment}"
        ),
        VersionSpec::Number(number) => {
            format!("No pacts or verifications have been published for version {number} of {name}")
        }
        VersionSpec::Latest { .. } | VersionSpec::All => {
            format!("No pacts or verifications have been published for {name}")
        }
    }
}
