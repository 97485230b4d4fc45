//! The pending rule (§5.4) as a pure function: a pact (one consumer's content) is pending for
//! the provider's branch until that branch has verified it successfully.
//!
//! - With a provider branch B: not pending once a successful verification of the content exists
//!   from a provider version on B, or from a version on another branch made before B was
//!   created (a brand-new branch inherits what the others verified).
//! - With provider tags only: pending for each tag without a successful verification from a
//!   version carrying it, or from a version with another tag before the tag was first used.
//! - With neither: pending until any provider version verified it successfully.
//!
//! Every successful verification counts here, WIP ones included.

/// The provider's branch as pending and WIP compare with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderBranch {
    /// The branch name.
    pub name: String,
    /// When the branch was created (`None`: it does not exist yet).
    pub created_at: Option<String>,
    /// When its first version was created (`None`: it has none yet).
    pub first_version_at: Option<String>,
}

/// A provider tag as pending and WIP compare with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderTag {
    /// The tag name.
    pub name: String,
    /// When a version of the provider first carried it (`None`: never yet).
    pub first_used_at: Option<String>,
}

/// What the results will be published for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProviderTarget {
    /// The provider's name (for notices).
    pub provider: String,
    /// `providerVersionBranch`.
    pub branch: Option<ProviderBranch>,
    /// `providerVersionTags`.
    pub tags: Vec<ProviderTag>,
}

/// Successful verifications of one consumer's content by provider versions on one branch (or
/// with one tag), with or without the WIP flag: the earliest of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBy {
    /// The consumer of the integration.
    pub consumer: String,
    /// The content.
    pub content_id: i64,
    /// The provider branch (or tag); `None` for provider versions on none.
    pub label: Option<String>,
    /// Whether these were WIP verifications.
    pub wip: bool,
    /// The earliest of them.
    pub earliest_at: String,
}

/// The successful verifications of the contents in question, grouped two ways.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SuccessfulVerifications {
    /// By the branches of the provider versions.
    pub by_branch: Vec<VerifiedBy>,
    /// By the tags of the provider versions.
    pub by_tag: Vec<VerifiedBy>,
}

/// Whether a pact is pending, and for which provider tags.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PendingStatus {
    /// Failures do not fail the build.
    pub pending: bool,
    /// With tags only: the tags it is pending for.
    pub pending_tags: Vec<String>,
    /// With tags only: the tags it was verified for.
    pub non_pending_tags: Vec<String>,
}

/// Whether `rows` hold a success from `name`, or from another label earlier than `since` (any
/// time when `since` is `None`). `non_wip_only` leaves WIP verifications out.
pub(crate) fn verified_for(
    rows: &[&VerifiedBy],
    name: &str,
    since: Option<&str>,
    non_wip_only: bool,
) -> bool {
    rows.iter()
        .filter(|row| !(non_wip_only && row.wip))
        .any(|row| match row.label.as_deref() {
            Some(label) if label == name => true,
            Some(_) => since.is_none_or(|since| row.earliest_at.as_str() < since),
            None => false,
        })
}

/// The rows of one consumer's content.
pub(crate) fn rows_of<'a>(
    rows: &'a [VerifiedBy],
    consumer: &str,
    content_id: i64,
) -> Vec<&'a VerifiedBy> {
    rows.iter()
        .filter(|row| row.consumer == consumer && row.content_id == content_id)
        .collect()
}

/// The pending status of `consumer`'s content for `target`.
pub fn pending_status(
    consumer: &str,
    content_id: i64,
    target: &ProviderTarget,
    verified: &SuccessfulVerifications,
) -> PendingStatus {
    if let Some(branch) = &target.branch {
        let rows = rows_of(&verified.by_branch, consumer, content_id);
        let done = verified_for(&rows, &branch.name, branch.created_at.as_deref(), false);
        return PendingStatus {
            pending: !done,
            ..PendingStatus::default()
        };
    }
    if !target.tags.is_empty() {
        let rows = rows_of(&verified.by_tag, consumer, content_id);
        let (mut pending_tags, mut non_pending_tags) = (Vec::new(), Vec::new());
        for tag in &target.tags {
            if verified_for(&rows, &tag.name, tag.first_used_at.as_deref(), false) {
                non_pending_tags.push(tag.name.clone());
            } else {
                pending_tags.push(tag.name.clone());
            }
        }
        return PendingStatus {
            pending: !pending_tags.is_empty(),
            pending_tags,
            non_pending_tags,
        };
    }
    let rows = rows_of(&verified.by_branch, consumer, content_id);
    PendingStatus {
        pending: rows.is_empty(),
        ..PendingStatus::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::for_verification::testing::day;

    fn by(label: Option<&str>, wip: bool, at: i64) -> VerifiedBy {
        VerifiedBy {
            consumer: "web".to_owned(),
            content_id: 1,
            label: label.map(str::to_owned),
            wip,
            earliest_at: day(at),
        }
    }

    fn branch(name: &str, created: Option<i64>) -> ProviderTarget {
        ProviderTarget {
            provider: "api".to_owned(),
            branch: Some(ProviderBranch {
                name: name.to_owned(),
                created_at: created.map(day),
                first_version_at: created.map(day),
            }),
            tags: Vec::new(),
        }
    }

    fn tags(list: &[(&str, Option<i64>)]) -> ProviderTarget {
        ProviderTarget {
            provider: "api".to_owned(),
            branch: None,
            tags: list
                .iter()
                .map(|(name, first)| ProviderTag {
                    name: (*name).to_owned(),
                    first_used_at: first.map(day),
                })
                .collect(),
        }
    }

    #[test]
    fn pending_follows_the_provider_branch() {
        let cases: Vec<(&str, ProviderTarget, Vec<VerifiedBy>, bool)> = vec![
            ("never verified", branch("main", Some(1)), vec![], true),
            (
                "verified by the branch",
                branch("main", Some(1)),
                vec![by(Some("main"), false, 5)],
                false,
            ),
            (
                "a WIP verification by the branch counts",
                branch("main", Some(1)),
                vec![by(Some("main"), true, 5)],
                false,
            ),
            (
                "verified by another branch after this one was created",
                branch("feat", Some(3)),
                vec![by(Some("main"), false, 5)],
                true,
            ),
            (
                "verified by another branch before this one was created",
                branch("feat", Some(9)),
                vec![by(Some("main"), false, 5)],
                false,
            ),
            (
                "a branch that does not exist yet inherits other branches' results",
                branch("new", None),
                vec![by(Some("main"), false, 5)],
                false,
            ),
            (
                "a provider version on no branch does not count for a branch",
                branch("main", Some(9)),
                vec![by(None, false, 1)],
                true,
            ),
            (
                "another consumer's success does not count",
                branch("main", Some(1)),
                vec![VerifiedBy {
                    consumer: "mobile".to_owned(),
                    ..by(Some("main"), false, 5)
                }],
                true,
            ),
            (
                "another content's success does not count",
                branch("main", Some(1)),
                vec![VerifiedBy {
                    content_id: 2,
                    ..by(Some("main"), false, 5)
                }],
                true,
            ),
        ];
        for (name, target, rows, pending) in cases {
            let verified = SuccessfulVerifications {
                by_branch: rows,
                by_tag: Vec::new(),
            };
            assert_eq!(
                pending_status("web", 1, &target, &verified).pending,
                pending,
                "{name}"
            );
        }
    }

    /// A name, the target, the verifications, and the expected pending and non-pending tags.
    type TagCase<'a> = (
        &'a str,
        ProviderTarget,
        Vec<VerifiedBy>,
        Vec<&'a str>,
        Vec<&'a str>,
    );

    #[test]
    fn pending_follows_the_provider_tags_without_a_branch() {
        let cases: Vec<TagCase<'_>> = vec![
            (
                "never verified",
                tags(&[("dev", Some(1))]),
                vec![],
                vec!["dev"],
                vec![],
            ),
            (
                "verified with the tag",
                tags(&[("dev", Some(1))]),
                vec![by(Some("dev"), false, 4)],
                vec![],
                vec!["dev"],
            ),
            (
                "another tag before this one appeared",
                tags(&[("dev", Some(6))]),
                vec![by(Some("prod"), false, 4)],
                vec![],
                vec!["dev"],
            ),
            (
                "another tag after this one appeared",
                tags(&[("dev", Some(2))]),
                vec![by(Some("prod"), false, 4)],
                vec!["dev"],
                vec![],
            ),
            (
                "two tags, one verified",
                tags(&[("dev", Some(1)), ("prod", Some(1))]),
                vec![by(Some("prod"), false, 4)],
                vec!["dev"],
                vec!["prod"],
            ),
            (
                "a tag never used yet",
                tags(&[("new", None)]),
                vec![by(Some("prod"), false, 4)],
                vec![],
                vec!["new"],
            ),
        ];
        for (name, target, rows, pending_tags, non_pending_tags) in cases {
            let verified = SuccessfulVerifications {
                by_branch: Vec::new(),
                by_tag: rows,
            };
            let status = pending_status("web", 1, &target, &verified);
            assert_eq!(status.pending, !pending_tags.is_empty(), "{name}");
            assert_eq!(
                (status.pending_tags, status.non_pending_tags),
                (
                    pending_tags.iter().map(|t| t.to_string()).collect(),
                    non_pending_tags.iter().map(|t| t.to_string()).collect()
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn without_branch_or_tags_any_success_ends_pending() {
        let target = ProviderTarget {
            provider: "api".to_owned(),
            branch: None,
            tags: Vec::new(),
        };
        let cases: Vec<(&str, Vec<VerifiedBy>, bool)> = vec![
            ("never verified", vec![], true),
            (
                "verified by a version on no branch",
                vec![by(None, false, 1)],
                false,
            ),
            (
                "verified on some branch",
                vec![by(Some("x"), true, 1)],
                false,
            ),
        ];
        for (name, rows, pending) in cases {
            let verified = SuccessfulVerifications {
                by_branch: rows,
                by_tag: Vec::new(),
            };
            assert_eq!(
                pending_status("web", 1, &target, &verified).pending,
                pending,
                "{name}"
            );
        }
    }
}
