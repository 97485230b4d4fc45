//! The texts of a verifiable pact, worded as the Pact Broker words them
//! (`verifiable_pact_messages.rb`): the short description (Pact Go names its tests after it),
//! why it is verified, whether it is pending, and what publishing a result will change.

use crate::domain::for_verification::pending::{PendingStatus, ProviderTarget};
use crate::domain::for_verification::query::SelectorKind;
use crate::domain::for_verification::selectors::{SelectedPact, SelectionReason};

const READ_MORE_PENDING: &str = "Read more at https://docs.pact.io/go/pending";
const READ_MORE_WIP: &str = "Read more at https://docs.pact.io/go/wip";

/// A notice and when the verifier shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// `before_verification` or `after_verification:success_{true,false}_published_{true,false}`.
    pub when: String,
    /// The text.
    pub text: String,
}

/// What the notices of one pact depend on.
#[derive(Debug, Clone, Copy)]
pub struct NoticeContext<'a> {
    /// The pact.
    pub pact: &'a SelectedPact,
    /// Its pending status.
    pub status: &'a PendingStatus,
    /// The provider's branch and tags.
    pub target: &'a ProviderTarget,
    /// The pact's URL (with metadata).
    pub url: &'a str,
    /// Whether it is a WIP pact.
    pub wip: bool,
    /// Whether pending was asked for.
    pub include_pending_status: bool,
    /// Whether the deprecated GET asked (adds a warning first).
    pub deprecated: bool,
}

/// `Pact between C (V) and P`.
pub fn pact_name(pact: &SelectedPact, provider: &str) -> String {
    format!(
        "Pact between {} ({}) and {provider}",
        pact.consumer, pact.consumer_version
    )
}

/// The short description: one phrase per reason, joined with `, `.
pub fn short_description(pact: &SelectedPact) -> String {
    pact.reasons
        .iter()
        .map(short_reason)
        .collect::<Vec<_>>()
        .join(", ")
}

fn short_reason(reason: &SelectionReason) -> String {
    let environment = reason.environment.as_deref().unwrap_or_default();
    match &reason.selector.kind {
        SelectorKind::Latest => "latest".to_owned(),
        SelectorKind::Tag { latest: true, .. } => {
            format!("latest with tag {}", used_name(reason))
        }
        SelectorKind::MainBranch => "latest from main branch".to_owned(),
        SelectorKind::Branch { .. } | SelectorKind::AllBranches | SelectorKind::MatchingBranch => {
            format!("latest from branch {}", used_name(reason))
        }
        SelectorKind::Tag { name, .. } => match &reason.selector.consumer {
            Some(consumer) => format!("one of {consumer} {name}"),
            None => format!("one of {name}"),
        },
        SelectorKind::Deployed { .. } => format!("deployed to {environment}"),
        SelectorKind::Released { .. } => format!("released in {environment}"),
        SelectorKind::InEnvironment { .. } if reason.released => {
            format!("released in {environment}")
        }
        SelectorKind::InEnvironment { .. } => format!("deployed to {environment}"),
    }
}

/// The branch or tag a reason actually used (the fallback, or the branch of `branch: true`).
fn used_name(reason: &SelectionReason) -> &str {
    if let Some(name) = &reason.resolved_name {
        return name;
    }
    match &reason.selector.kind {
        SelectorKind::Branch { name, .. } | SelectorKind::Tag { name, .. } => name,
        _ => "",
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`.
fn join_quoted(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("'{item}'")).collect();
    join_unquoted(&quoted)
}

fn join_unquoted(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn version_label(reason: &SelectionReason) -> String {
    match &reason.selector.consumer {
        Some(consumer) => format!("version of {consumer}"),
        None => "version".to_owned(),
    }
}

fn describe(reason: &SelectionReason, provider: &str) -> String {
    let label = version_label(reason);
    let description = match &reason.selector.kind {
        SelectorKind::Latest => format!(
            "latest version of {} that has a pact with {provider}",
            reason.selector.consumer.as_deref().unwrap_or("a consumer")
        ),
        SelectorKind::Tag {
            name,
            latest: true,
            fallback,
        } => match (reason.fallback_used, fallback) {
            (true, Some(fallback)) => format!(
                "latest {label} tagged '{fallback}' (fallback tag used as no pact was found with tag '{name}')"
            ),
            _ => format!("latest {label} tagged '{name}'"),
        },
        SelectorKind::MainBranch => format!(
            "latest {label} from the main branch '{}'",
            reason.main_branch.as_deref().unwrap_or_default()
        ),
        SelectorKind::Branch { name, fallback, .. } => match (reason.fallback_used, fallback) {
            (true, Some(fallback)) => format!(
                "latest {label} from branch '{fallback}' (fallback branch used as no pact was found from branch '{name}')"
            ),
            _ => format!("latest {label} from branch '{name}'"),
        },
        SelectorKind::AllBranches | SelectorKind::MatchingBranch => {
            format!("latest {label} from branch '{}'", used_name(reason))
        }
        SelectorKind::Tag { name, .. } => match &reason.selector.consumer {
            Some(consumer) => format!("all {consumer} versions tagged '{name}'"),
            None => format!("all consumer versions tagged '{name}'"),
        },
        SelectorKind::InEnvironment { environment } => format!(
            "{} version in environment {environment}",
            reason.selector.consumer.as_deref().unwrap_or("a consumer")
        ),
        // Deployed and released reasons are grouped by `environment_lines`.
        SelectorKind::Deployed { .. } | SelectorKind::Released { .. } => String::new(),
    };
    format!("{description} ({})", reason.consumer_version)
}

/// `consumer version(s) currently deployed to prod (1) and test (2)`, one line per consumer
/// filter.
fn environment_lines(reasons: &[&SelectionReason], released: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut consumers: Vec<Option<&str>> = reasons
        .iter()
        .map(|reason| reason.selector.consumer.as_deref())
        .collect();
    consumers.dedup();
    for consumer in consumers {
        let places: Vec<String> = reasons
            .iter()
            .filter(|reason| reason.selector.consumer.as_deref() == consumer)
            .map(|reason| {
                format!(
                    "{} ({})",
                    reason.environment.as_deref().unwrap_or_default(),
                    reason.consumer_version
                )
            })
            .collect();
        let who = match consumer {
            Some(consumer) => format!("version(s) of {consumer}"),
            None => "consumer version(s)".to_owned(),
        };
        let how = if released {
            "released and supported in"
        } else {
            "currently deployed to"
        };
        lines.push(format!("{who} {how} {}", join_unquoted(&places)));
    }
    lines
}

fn inclusion_reason(context: &NoticeContext<'_>) -> String {
    let provider = context.target.provider.as_str();
    let pact = context.pact;
    if context.wip {
        let branches: Vec<String> = pact
            .reasons
            .iter()
            .filter(|reason| matches!(reason.selector.kind, SelectorKind::Branch { .. }))
            .map(|reason| used_name(reason).to_owned())
            .collect();
        let tags: Vec<String> = pact
            .reasons
            .iter()
            .filter(|reason| matches!(reason.selector.kind, SelectorKind::Tag { .. }))
            .map(|reason| used_name(reason).to_owned())
            .collect();
        let version_text = if branches.len() == 1 || tags.len() == 1 {
            "version"
        } else {
            "versions"
        };
        let mut parts = Vec::new();
        if !branches.is_empty() {
            parts.push(format!(
                "from {} {}",
                if branches.len() == 1 {
                    "branch"
                } else {
                    "branches"
                },
                join_quoted(&branches)
            ));
        }
        if !tags.is_empty() {
            parts.push(format!("tagged with {}", join_quoted(&tags)));
        }
        let same_content = match pact.reasons.len() {
            1 => "",
            2 => " (both have the same content)",
            _ => " (all have the same content)",
        };
        return format!(
            "The pact at {} is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest {version_text} of {} {}{same_content} and it has not yet been successfully verified by {} when the pact's application version was explicitly specified in the consumer version selectors). {READ_MORE_WIP}",
            context.url,
            pact.consumer,
            parts.join(" and "),
            pending_description(context, "a")
        );
    }
    let count = pact.reasons.len();
    let mut lines: Vec<String> = Vec::new();
    let deployed: Vec<&SelectionReason> = pact
        .reasons
        .iter()
        .filter(|reason| matches!(reason.selector.kind, SelectorKind::Deployed { .. }))
        .collect();
    let released: Vec<&SelectionReason> = pact
        .reasons
        .iter()
        .filter(|reason| matches!(reason.selector.kind, SelectorKind::Released { .. }))
        .collect();
    lines.extend(
        pact.reasons
            .iter()
            .filter(|reason| {
                !matches!(
                    reason.selector.kind,
                    SelectorKind::Deployed { .. } | SelectorKind::Released { .. }
                )
            })
            .map(|reason| describe(reason, provider)),
    );
    lines.extend(environment_lines(&deployed, false));
    lines.extend(environment_lines(&released, true));
    let bullets: Vec<String> = lines.iter().map(|line| format!("    * {line}")).collect();
    format!(
        "The pact at {} is being verified because the pact content belongs to {} matching the following {}:\n{}",
        context.url,
        if count == 1 {
            "the consumer version"
        } else {
            "the consumer versions"
        },
        if count == 1 { "criterion" } else { "criteria" },
        bullets.join("\n")
    )
}

/// `a version of P from branch 'B'`, `a version of P with tag 't'`, or `P`.
fn pending_description(context: &NoticeContext<'_>, any_or_a: &str) -> String {
    let provider = &context.target.provider;
    if let Some(branch) = &context.target.branch {
        return format!(
            "{any_or_a} version of {provider} from branch '{}'",
            branch.name
        );
    }
    match context.status.pending_tags.as_slice() {
        [] => provider.clone(),
        [tag] => format!("{any_or_a} version of {provider} with tag '{tag}'"),
        tags => format!(
            "{any_or_a} versions of {provider} with tag {}",
            join_quoted(tags)
        ),
    }
}

fn non_pending_description(context: &NoticeContext<'_>) -> String {
    let provider = &context.target.provider;
    if let Some(branch) = &context.target.branch {
        return format!("a version of {provider} from branch '{}'", branch.name);
    }
    match context.status.non_pending_tags.as_slice() {
        [] => provider.clone(),
        [tag] => format!("a version of {provider} with tag '{tag}'"),
        tags => format!("a version of {provider} with tag {}", join_quoted(tags)),
    }
}

fn with_these_tags(context: &NoticeContext<'_>) -> &'static str {
    match context.status.pending_tags.len() {
        0 => "",
        1 => "with this tag ",
        _ => "with these tags ",
    }
}

fn pending_reason(context: &NoticeContext<'_>) -> String {
    let provider = &context.target.provider;
    if context.status.pending && context.wip {
        format!(
            "This pact is in pending state for this version of {provider} because it was included as a 'work in progress' pact. If this verification fails, it will not cause the overall build to fail. {READ_MORE_PENDING}"
        )
    } else if context.status.pending {
        format!(
            "This pact is in pending state for this version of {provider} because a successful verification result for {} has not yet been published. If this verification fails, it will not cause the overall build to fail. {READ_MORE_PENDING}",
            pending_description(context, "a")
        )
    } else {
        format!(
            "This pact has previously been successfully verified by {}. If this verification fails, it will fail the build. {READ_MORE_PENDING}",
            non_pending_description(context)
        )
    }
}

/// Every notice of one pact, in the Pact Broker's order.
pub fn notices(context: &NoticeContext<'_>) -> Vec<Notice> {
    let notice = |when: &str, text: String| Notice {
        when: when.to_owned(),
        text,
    };
    let mut notices = Vec::new();
    if context.deprecated {
        notices.push(notice("before_verification", "WARNING - this version of the Pact library uses a beta version of the API which will be removed in the future. Please upgrade your Pact library. See https://docs.pact.io/pact_broker/advanced_topics/provider_verification_results/#pacts-for-verification for minimum required versions.".to_owned()));
    }
    notices.push(notice("before_verification", inclusion_reason(context)));
    if context.include_pending_status {
        notices.push(notice("before_verification", pending_reason(context)));
        if context.status.pending {
            let description = pending_description(context, "any");
            let tags = with_these_tags(context);
            let provider = &context.target.provider;
            let still = format!(
                "This pact is still in pending state for {description} as a successful verification result {tags}has not yet been published"
            );
            notices.push(notice("after_verification:success_true_published_false", format!("This pact is still in pending state for {description} as the successful verification results {tags}have not yet been published.")));
            notices.push(notice(
                "after_verification:success_false_published_false",
                still.clone(),
            ));
            notices.push(notice("after_verification:success_true_published_true", format!("This pact is no longer in pending state for {description}, as a successful verification result {tags}has been published. If a verification for a version of {provider} {tags}fails in the future, it will fail the build. {READ_MORE_PENDING}")));
            notices.push(notice(
                "after_verification:success_false_published_true",
                still,
            ));
        }
    }
    notices
}

#[cfg(test)]
mod tests;
