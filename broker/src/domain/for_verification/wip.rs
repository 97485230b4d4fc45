//! The WIP rule (§5.5) as a pure function: the pact of the head of each consumer branch and tag,
//! published since `includeWipPactsSince`, that the provider's branch (or each of its tags) has
//! not verified successfully in a non-WIP verification.
//!
//! Explicitly selected content is never WIP, and a WIP verification does not end WIP: only
//! being verified while explicitly selected does. A success from another branch made before the
//! provider branch's first version (or another tag before the tag's first use) also counts.
//! WIP pacts are always pending.

use std::collections::BTreeMap;

use crate::domain::for_verification::pending::{
    ProviderTarget, SuccessfulVerifications, rows_of, verified_for,
};
use crate::domain::for_verification::query::{Selector, SelectorKind};
use crate::domain::for_verification::selectors::{
    PactFact, SelectedPact, SelectionReason, VersionFact,
};

/// Whether a head is a branch's or a tag's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadKind {
    /// The newest version of a consumer branch.
    Branch,
    /// The newest version carrying a consumer tag.
    Tag,
}

/// A branch or tag head of a consumer whose head version has a pact with the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WipCandidate {
    /// The head version.
    pub version: VersionFact,
    /// Its pact with the provider.
    pub pact: PactFact,
    /// Branch or tag.
    pub kind: HeadKind,
    /// The branch or tag name.
    pub name: String,
}

/// A WIP pact, with the provider tags it is WIP for (tags only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WipPact {
    /// The pact and the heads it is the pact of.
    pub pact: SelectedPact,
    /// With provider tags: the tags it is WIP (and pending) for.
    pub pending_tags: Vec<String>,
}

/// The WIP pacts for `target`, merged by (consumer, content), ordered like selected pacts.
/// Without `since`, or with neither a provider branch nor tags, there are none.
pub fn wip_pacts(
    candidates: &[WipCandidate],
    explicit: &[SelectedPact],
    target: &ProviderTarget,
    verified: &SuccessfulVerifications,
    since: Option<&str>,
) -> Vec<WipPact> {
    let Some(since) = since else {
        return Vec::new();
    };
    if target.branch.is_none() && target.tags.is_empty() {
        return Vec::new();
    }
    let mut merged: BTreeMap<(String, i64), WipPact> = BTreeMap::new();
    for candidate in candidates {
        let consumer = candidate.version.consumer.as_str();
        let content_id = candidate.pact.content_id;
        if candidate.pact.published_at.as_str() < since {
            continue;
        }
        if explicit
            .iter()
            .any(|pact| pact.consumer == consumer && pact.content_id == content_id)
        {
            continue;
        }
        let pending_tags = match &target.branch {
            Some(branch) => {
                let rows = rows_of(&verified.by_branch, consumer, content_id);
                let since_first = branch
                    .first_version_at
                    .as_deref()
                    .or(branch.created_at.as_deref());
                if verified_for(&rows, &branch.name, since_first, true) {
                    continue;
                }
                Vec::new()
            }
            None => {
                let rows = rows_of(&verified.by_tag, consumer, content_id);
                let tags: Vec<String> = target
                    .tags
                    .iter()
                    .filter(|tag| {
                        !verified_for(&rows, &tag.name, tag.first_used_at.as_deref(), true)
                    })
                    .map(|tag| tag.name.clone())
                    .collect();
                if tags.is_empty() {
                    continue;
                }
                tags
            }
        };
        let kind = match candidate.kind {
            HeadKind::Branch => SelectorKind::Branch {
                name: candidate.name.clone(),
                fallback: None,
            },
            HeadKind::Tag => SelectorKind::Tag {
                name: candidate.name.clone(),
                latest: true,
                fallback: None,
            },
        };
        let reason = SelectionReason {
            selector: Selector::default_for(kind, None),
            consumer_version: candidate.version.number.clone(),
            consumer_version_order: candidate.version.order,
            main_branch: None,
            environment: None,
            released: false,
            resolved_name: None,
            fallback_used: false,
        };
        let entry = merged
            .entry((consumer.to_owned(), content_id))
            .or_insert_with(|| WipPact {
                pact: SelectedPact {
                    consumer: consumer.to_owned(),
                    consumer_version: candidate.version.number.clone(),
                    consumer_version_order: candidate.version.order,
                    content_id,
                    sha: candidate.pact.sha.clone(),
                    published_at: candidate.pact.published_at.clone(),
                    reasons: Vec::new(),
                },
                pending_tags: Vec::new(),
            });
        if candidate.version.order > entry.pact.consumer_version_order {
            entry.pact.consumer_version = candidate.version.number.clone();
            entry.pact.consumer_version_order = candidate.version.order;
        }
        entry.pact.reasons.push(reason);
        for tag in pending_tags {
            if !entry.pending_tags.contains(&tag) {
                entry.pending_tags.push(tag);
            }
        }
    }
    let mut wip: Vec<WipPact> = merged.into_values().collect();
    wip.sort_by(|left, right| {
        (&left.pact.consumer, left.pact.consumer_version_order)
            .cmp(&(&right.pact.consumer, right.pact.consumer_version_order))
    });
    wip
}

#[cfg(test)]
mod tests;
