//! The WIP rule as tables: candidates (branch and tag heads with pacts), what was explicitly
//! selected, and which verifications exist, against a provider branch or tags.

use super::*;
use crate::domain::for_verification::pending::{ProviderBranch, ProviderTag, VerifiedBy};
use crate::domain::for_verification::testing::{content_id, day};

/// A head of `consumer`'s `name` at version `number` (created on day `order`) with content
/// `label`.
fn head(
    consumer: &str,
    kind: HeadKind,
    name: &str,
    number: &str,
    order: i64,
    label: &str,
) -> WipCandidate {
    WipCandidate {
        version: VersionFact {
            consumer: consumer.to_owned(),
            number: number.to_owned(),
            order,
            pact: None,
        },
        pact: PactFact {
            content_id: content_id(label),
            sha: label.to_owned(),
            published_at: day(order),
        },
        kind,
        name: name.to_owned(),
    }
}

fn explicit(consumer: &str, label: &str) -> SelectedPact {
    SelectedPact {
        consumer: consumer.to_owned(),
        consumer_version: "x".to_owned(),
        consumer_version_order: 0,
        content_id: content_id(label),
        sha: label.to_owned(),
        published_at: day(1),
        reasons: Vec::new(),
    }
}

fn verified(consumer: &str, label: &str, by: &str, wip: bool, at: i64) -> VerifiedBy {
    VerifiedBy {
        consumer: consumer.to_owned(),
        content_id: content_id(label),
        label: Some(by.to_owned()),
        wip,
        earliest_at: day(at),
    }
}

/// The candidates every case starts from: web's feat-a (day 5, content A), feat-b (day 6,
/// content B) and its tag `beta` on the same version as feat-b; web's old branch (day 2,
/// content O); mobile's feat-a (day 7, content M); web's main head (day 8, content N).
fn candidates() -> Vec<WipCandidate> {
    vec![
        head("web", HeadKind::Branch, "feat-a", "5", 5, "A"),
        head("web", HeadKind::Branch, "feat-b", "6", 6, "B"),
        head("web", HeadKind::Tag, "beta", "6", 6, "B"),
        head("web", HeadKind::Branch, "old", "2", 2, "O"),
        head("mobile", HeadKind::Branch, "feat-a", "7", 7, "M"),
        head("web", HeadKind::Branch, "main", "8", 8, "N"),
    ]
}

fn on_branch(first_version: Option<i64>) -> ProviderTarget {
    ProviderTarget {
        provider: "api".to_owned(),
        branch: Some(ProviderBranch {
            name: "main".to_owned(),
            created_at: first_version.map(day),
            first_version_at: first_version.map(day),
        }),
        tags: Vec::new(),
    }
}

/// `consumer version sha [heads] pending-tags` per WIP pact.
fn check(
    target: &ProviderTarget,
    explicit: &[SelectedPact],
    by_branch: Vec<VerifiedBy>,
    by_tag: Vec<VerifiedBy>,
    since: Option<i64>,
) -> Vec<String> {
    let verified = SuccessfulVerifications { by_branch, by_tag };
    let since = since.map(day);
    wip_pacts(&candidates(), explicit, target, &verified, since.as_deref())
        .iter()
        .map(|wip| {
            let heads: Vec<String> = wip
                .pact
                .reasons
                .iter()
                .map(|reason| match &reason.selector.kind {
                    SelectorKind::Branch { name, .. } => format!("branch:{name}"),
                    SelectorKind::Tag { name, .. } => format!("tag:{name}"),
                    other => format!("{other:?}"),
                })
                .collect();
            format!(
                "{} {} {} [{}] {:?}",
                wip.pact.consumer,
                wip.pact.consumer_version,
                wip.pact.sha,
                heads.join(", "),
                wip.pending_tags
            )
        })
        .collect()
}

/// A name, the explicit pacts, the verifications by branch, the since day, the expected WIP.
type BranchCase<'a> = (
    &'a str,
    Vec<SelectedPact>,
    Vec<VerifiedBy>,
    Option<i64>,
    Vec<&'a str>,
);

#[test]
fn wip_pacts_for_a_provider_branch() {
    let all = vec![
        "mobile 7 M [branch:feat-a] []",
        "web 5 A [branch:feat-a] []",
        "web 6 B [branch:feat-b, tag:beta] []",
        "web 8 N [branch:main] []",
    ];
    let cases: Vec<BranchCase<'_>> = vec![
        (
            "every head since day 3; a branch and a tag with the same content are one entry",
            vec![],
            vec![],
            Some(3),
            all.clone(),
        ),
        (
            "nothing without includeWipPactsSince",
            vec![],
            vec![],
            None,
            vec![],
        ),
        (
            "the since date is inclusive",
            vec![],
            vec![],
            Some(7),
            vec!["mobile 7 M [branch:feat-a] []", "web 8 N [branch:main] []"],
        ),
        (
            "explicitly selected content is never WIP",
            vec![explicit("web", "N"), explicit("web", "A")],
            vec![],
            Some(3),
            vec![
                "mobile 7 M [branch:feat-a] []",
                "web 6 B [branch:feat-b, tag:beta] []",
            ],
        ),
        (
            "explicit content of another consumer does not count",
            vec![explicit("mobile", "A")],
            vec![],
            Some(3),
            all.clone(),
        ),
        (
            "verified by the branch, not as WIP: no longer WIP",
            vec![],
            vec![verified("web", "A", "main", false, 9)],
            Some(3),
            vec![
                "mobile 7 M [branch:feat-a] []",
                "web 6 B [branch:feat-b, tag:beta] []",
                "web 8 N [branch:main] []",
            ],
        ),
        (
            "verified by the branch as WIP: still WIP",
            vec![],
            vec![verified("web", "A", "main", true, 9)],
            Some(3),
            all.clone(),
        ),
        (
            "verified by another branch after this branch's first version: still WIP",
            vec![],
            vec![verified("web", "A", "other", false, 9)],
            Some(3),
            all.clone(),
        ),
    ];
    for (name, explicit, by_branch, since, expected) in cases {
        assert_eq!(
            check(&on_branch(Some(1)), &explicit, by_branch, Vec::new(), since),
            expected,
            "{name}"
        );
    }
    assert_eq!(
        check(
            &on_branch(Some(10)),
            &[],
            vec![verified("web", "A", "other", false, 9)],
            Vec::new(),
            Some(3)
        ),
        vec![
            "mobile 7 M [branch:feat-a] []",
            "web 6 B [branch:feat-b, tag:beta] []",
            "web 8 N [branch:main] []"
        ],
        "verified by another branch before this branch's first version: not WIP"
    );
    assert_eq!(
        check(
            &on_branch(None),
            &[],
            vec![verified("mobile", "M", "other", false, 9)],
            Vec::new(),
            Some(3)
        ),
        vec![
            "web 5 A [branch:feat-a] []",
            "web 6 B [branch:feat-b, tag:beta] []",
            "web 8 N [branch:main] []"
        ],
        "a provider branch without versions yet: other branches' non-WIP successes count"
    );
    let nobody = ProviderTarget {
        provider: "api".to_owned(),
        branch: None,
        tags: Vec::new(),
    };
    assert_eq!(
        check(&nobody, &[], vec![], vec![], Some(1)),
        Vec::<String>::new(),
        "no branch and no tags: no WIP"
    );
}

#[test]
fn wip_pacts_for_provider_tags() {
    let target = ProviderTarget {
        provider: "api".to_owned(),
        branch: None,
        tags: vec![
            ProviderTag {
                name: "dev".to_owned(),
                first_used_at: Some(day(1)),
            },
            ProviderTag {
                name: "prod".to_owned(),
                first_used_at: Some(day(1)),
            },
        ],
    };
    let cases: Vec<(&str, Vec<VerifiedBy>, Vec<&str>)> = vec![
        (
            "WIP for every tag",
            vec![],
            vec![
                "mobile 7 M [branch:feat-a] [\"dev\", \"prod\"]",
                "web 5 A [branch:feat-a] [\"dev\", \"prod\"]",
                "web 6 B [branch:feat-b, tag:beta] [\"dev\", \"prod\"]",
                "web 8 N [branch:main] [\"dev\", \"prod\"]",
            ],
        ),
        (
            "verified for one tag: WIP for the other",
            vec![verified("web", "A", "dev", false, 9)],
            vec![
                "mobile 7 M [branch:feat-a] [\"dev\", \"prod\"]",
                "web 5 A [branch:feat-a] [\"prod\"]",
                "web 6 B [branch:feat-b, tag:beta] [\"dev\", \"prod\"]",
                "web 8 N [branch:main] [\"dev\", \"prod\"]",
            ],
        ),
        (
            "verified for both tags: not WIP",
            vec![
                verified("web", "A", "dev", false, 9),
                verified("web", "A", "prod", false, 9),
            ],
            vec![
                "mobile 7 M [branch:feat-a] [\"dev\", \"prod\"]",
                "web 6 B [branch:feat-b, tag:beta] [\"dev\", \"prod\"]",
                "web 8 N [branch:main] [\"dev\", \"prod\"]",
            ],
        ),
    ];
    for (name, by_tag, expected) in cases {
        assert_eq!(
            check(&target, &[], Vec::new(), by_tag, Some(3)),
            expected,
            "{name}"
        );
    }
}
