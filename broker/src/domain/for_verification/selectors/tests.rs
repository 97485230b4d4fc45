//! Selection as a table over one world of four consumers, with branches, tags, environments
//! and versions with and without pacts: each case is a request body and the expected pacts.

use serde_json::{Value, json};

use super::*;
use crate::domain::for_verification::query::VerificationQuery;
use crate::domain::for_verification::testing::World;

/// The world every case runs against (versions are numbered in creation order):
/// - web (main branch `main`): 1 content A on main, tagged prod, deployed to production;
///   2 content B on feat-x; 3 content A again on main (the head), tagged dev.
/// - mobile (main branch `main`): 1 content C on main, released to production; 2 content D on
///   main (the head); 3 without a pact, head of feat-y and newest tagged prod.
/// - admin (no main branch): 0 content F tagged prod; 1 content E, head of feat-x, tagged prod,
///   deployed to test.
/// - legacy (main branch `master`, but only a tag of that name): 1 content G tagged master.
pub(crate) fn world() -> LoadedPacts {
    World::new()
        .consumer("web", Some("main"))
        .consumer("mobile", Some("main"))
        .consumer("admin", None)
        .consumer("legacy", Some("master"))
        .version("web", "1", Some("A"))
        .version("mobile", "1", Some("C"))
        .version("admin", "0", Some("F"))
        .version("web", "2", Some("B"))
        .version("mobile", "2", Some("D"))
        .version("admin", "1", Some("E"))
        .version("legacy", "1", Some("G"))
        .version("web", "3", Some("A"))
        .version("mobile", "3", None)
        .branch_head("web", "main", "3")
        .branch_head("web", "feat-x", "2")
        .branch_head("mobile", "main", "2")
        .branch_head("mobile", "feat-y", "3")
        .branch_head("admin", "feat-x", "1")
        .tag_head("web", "prod", "1")
        .tag_head("web", "dev", "3")
        .tag_head("mobile", "prod", "3")
        .tag_head("admin", "prod", "1")
        .tag_head("legacy", "master", "1")
        .tagged("web", "prod", "1")
        .tagged("mobile", "prod", "3")
        .tagged("admin", "prod", "0")
        .tagged("admin", "prod", "1")
        .latest("web", "3")
        .latest("mobile", "2")
        .latest("admin", "1")
        .latest("legacy", "1")
        .deployed("web", "production", "1")
        .deployed("admin", "test", "1")
        .released("mobile", "production", "1")
        .build()
}

/// A reason in a few characters.
fn label(reason: &SelectionReason) -> String {
    let base = match &reason.selector.kind {
        SelectorKind::MainBranch => "mainBranch".to_owned(),
        SelectorKind::MatchingBranch => {
            format!(
                "matching:{}",
                reason.resolved_name.as_deref().unwrap_or("?")
            )
        }
        SelectorKind::Branch { name, fallback, .. } => match (reason.fallback_used, fallback) {
            (true, Some(fallback)) => format!("branch:{fallback}(fallback for {name})"),
            _ => format!("branch:{name}"),
        },
        SelectorKind::AllBranches => {
            format!("branch:{}", reason.resolved_name.as_deref().unwrap_or("?"))
        }
        SelectorKind::Tag {
            name,
            latest,
            fallback,
        } => match (reason.fallback_used, fallback) {
            (true, Some(fallback)) => format!("tag:{fallback}(fallback for {name})"),
            _ if *latest => format!("tag:{name}"),
            _ => format!("all-tag:{name}"),
        },
        SelectorKind::Latest => "latest".to_owned(),
        SelectorKind::Deployed { .. } => {
            format!("deployed:{}", reason.environment.as_deref().unwrap_or("?"))
        }
        SelectorKind::Released { .. } => {
            format!("released:{}", reason.environment.as_deref().unwrap_or("?"))
        }
        SelectorKind::InEnvironment { .. } => {
            format!("env:{}", reason.environment.as_deref().unwrap_or("?"))
        }
    };
    format!("{base}@{}", reason.consumer_version)
}

/// `consumer version sha [reasons]` per selected pact.
fn check(body: Value) -> Vec<String> {
    let query =
        VerificationQuery::from_json(&body).unwrap_or_else(|error| panic!("{body}: {error}"));
    select_pacts(&world(), &query.selectors, query.provider_branch.as_deref())
        .iter()
        .map(|pact| {
            let reasons: Vec<String> = pact.reasons.iter().map(label).collect();
            format!(
                "{} {} {} [{}]",
                pact.consumer,
                pact.consumer_version,
                pact.sha,
                reasons.join(", ")
            )
        })
        .collect()
}

fn selectors(list: Value) -> Value {
    json!({ "consumerVersionSelectors": list })
}

#[test]
fn each_selector_picks_what_the_pact_broker_picks() {
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "main branch heads; legacy has no branch, admin no main branch",
            selectors(json!([{"mainBranch": true}])),
            vec!["mobile 2 D [mainBranch@2]", "web 3 A [mainBranch@3]"],
        ),
        (
            "one consumer's main branch",
            selectors(json!([{"mainBranch": true, "consumer": "web"}])),
            vec!["web 3 A [mainBranch@3]"],
        ),
        (
            "a branch's heads across consumers",
            selectors(json!([{"branch": "feat-x"}])),
            vec!["admin 1 E [branch:feat-x@1]", "web 2 B [branch:feat-x@2]"],
        ),
        (
            "a branch whose head has no pact selects nothing",
            selectors(json!([{"branch": "feat-y"}])),
            vec![],
        ),
        (
            "the fallback branch when the branch selects nothing",
            selectors(json!([{"branch": "nope", "fallbackBranch": "main"}])),
            vec![
                "mobile 2 D [branch:main(fallback for nope)@2]",
                "web 3 A [branch:main(fallback for nope)@3]",
            ],
        ),
        (
            "no fallback when the branch selects something",
            selectors(json!([{"branch": "feat-x", "fallbackBranch": "main"}])),
            vec!["admin 1 E [branch:feat-x@1]", "web 2 B [branch:feat-x@2]"],
        ),
        (
            "every branch head",
            selectors(json!([{"branch": true, "latest": true}])),
            vec![
                "admin 1 E [branch:feat-x@1]",
                "mobile 2 D [branch:main@2]",
                "web 2 B [branch:feat-x@2]",
                "web 3 A [branch:main@3]",
            ],
        ),
        (
            "latest of a tag: mobile's newest prod version has no pact, so nothing older",
            selectors(json!([{"tag": "prod", "latest": true}])),
            vec!["admin 1 E [tag:prod@1]", "web 1 A [tag:prod@1]"],
        ),
        (
            "every version with a tag",
            selectors(json!([{"tag": "prod"}])),
            vec![
                "admin 0 F [all-tag:prod@0]",
                "admin 1 E [all-tag:prod@1]",
                "web 1 A [all-tag:prod@1]",
            ],
        ),
        (
            "every version with a tag, one consumer",
            selectors(json!([{"tag": "prod", "consumer": "admin"}])),
            vec!["admin 0 F [all-tag:prod@0]", "admin 1 E [all-tag:prod@1]"],
        ),
        (
            "the fallback tag",
            selectors(json!([{"tag": "nope", "latest": true, "fallbackTag": "dev"}])),
            vec!["web 3 A [tag:dev(fallback for nope)@3]"],
        ),
        (
            "the newest pact of each consumer",
            selectors(json!([{"latest": true}])),
            vec![
                "admin 1 E [latest@1]",
                "legacy 1 G [latest@1]",
                "mobile 2 D [latest@2]",
                "web 3 A [latest@3]",
            ],
        ),
        (
            "deployed anywhere",
            selectors(json!([{"deployed": true}])),
            vec![
                "admin 1 E [deployed:test@1]",
                "web 1 A [deployed:production@1]",
            ],
        ),
        (
            "deployed to one environment",
            selectors(json!([{"deployed": true, "environment": "production"}])),
            vec!["web 1 A [deployed:production@1]"],
        ),
        (
            "released anywhere",
            selectors(json!([{"released": true}])),
            vec!["mobile 1 C [released:production@1]"],
        ),
        (
            "deployed or released in an environment",
            selectors(json!([{"environment": "production"}])),
            vec![
                "mobile 1 C [env:production@1]",
                "web 1 A [env:production@1]",
            ],
        ),
        (
            "deployedOrReleased is both",
            selectors(json!([{"deployedOrReleased": true}])),
            vec![
                "admin 1 E [deployed:test@1]",
                "mobile 1 C [released:production@1]",
                "web 1 A [deployed:production@1]",
            ],
        ),
    ];
    for (name, body, expected) in cases {
        assert_eq!(check(body.clone()), expected, "{name}: {body}");
    }
}

#[test]
fn combined_selectors_merge_by_content() {
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "web 1 and 3 share content A: one entry, the newer version, both reasons",
            selectors(json!([{"mainBranch": true}, {"deployed": true}])),
            vec![
                "admin 1 E [deployed:test@1]",
                "mobile 2 D [mainBranch@2]",
                "web 3 A [mainBranch@3, deployed:production@1]",
            ],
        ),
        (
            "the same pact by two selectors",
            selectors(
                json!([{"latest": true, "consumer": "web"}, {"mainBranch": true, "consumer": "web"}, {"tag": "dev", "latest": true}]),
            ),
            vec!["web 3 A [latest@3, mainBranch@3, tag:dev@3]"],
        ),
        (
            "matchingBranch is the provider's branch",
            json!({"providerVersionBranch": "feat-x", "consumerVersionSelectors": [{"matchingBranch": true}, {"branch": "feat-x", "consumer": "web"}]}),
            vec![
                "admin 1 E [matching:feat-x@1]",
                "web 2 B [matching:feat-x@2, branch:feat-x@2]",
            ],
        ),
        (
            "matchingBranch when the consumer branch's head has no pact",
            json!({"providerVersionBranch": "feat-y", "consumerVersionSelectors": [{"matchingBranch": true}]}),
            vec![],
        ),
        (
            "no selectors: main branch, else the main branch's tag, else latest; plus deployed and released",
            json!({}),
            vec![
                "admin 1 E [latest@1, deployed:test@1]",
                "legacy 1 G [tag:master@1]",
                "mobile 1 C [released:production@1]",
                "mobile 2 D [mainBranch@2]",
                "web 3 A [mainBranch@3, deployed:production@1]",
            ],
        ),
    ];
    for (name, body, expected) in cases {
        assert_eq!(check(body.clone()), expected, "{name}: {body}");
    }
}
