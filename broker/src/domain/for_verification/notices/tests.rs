//! The notice texts against the Pact Broker's wording, over pacts selected from the selector
//! tables' world.

use serde_json::json;

use super::*;
use crate::domain::for_verification::pending::{ProviderBranch, ProviderTag};
use crate::domain::for_verification::query::VerificationQuery;
use crate::domain::for_verification::selectors::select_pacts;
use crate::domain::for_verification::selectors::tests::world;

fn selected(selectors: serde_json::Value) -> Vec<SelectedPact> {
    let query = VerificationQuery::from_json(&json!({ "consumerVersionSelectors": selectors }))
        .unwrap_or_else(|error| panic!("{error}"));
    select_pacts(&world(), &query.selectors, None)
}

fn on_branch() -> ProviderTarget {
    ProviderTarget {
        provider: "api".to_owned(),
        branch: Some(ProviderBranch {
            name: "main".to_owned(),
            created_at: None,
            first_version_at: None,
        }),
        tags: Vec::new(),
    }
}

fn texts(
    pact: &SelectedPact,
    status: &PendingStatus,
    target: &ProviderTarget,
    wip: bool,
) -> Vec<String> {
    notices(&NoticeContext {
        pact,
        status,
        target,
        url: "URL",
        wip,
        include_pending_status: true,
        deprecated: false,
    })
    .into_iter()
    .map(|notice| format!("{}: {}", notice.when, notice.text))
    .collect()
}

#[test]
fn short_descriptions_name_every_reason() {
    let cases: Vec<(serde_json::Value, Vec<&str>)> = vec![
        (
            json!([{"mainBranch": true, "consumer": "web"}, {"deployed": true, "consumer": "web"}]),
            vec!["latest from main branch, deployed to production"],
        ),
        (
            json!([{"latest": true, "consumer": "legacy"}]),
            vec!["latest"],
        ),
        (
            json!([{"branch": "nope", "fallbackBranch": "main", "consumer": "web"}]),
            vec!["latest from branch main"],
        ),
        (
            json!([{"tag": "nope", "latest": true, "fallbackTag": "dev"}]),
            vec!["latest with tag dev"],
        ),
        (
            json!([{"tag": "prod", "consumer": "admin"}]),
            vec!["one of admin prod", "one of admin prod"],
        ),
        (
            json!([{"tag": "prod"}, {"released": true}]),
            vec![
                "one of prod",
                "one of prod",
                "released in production",
                "one of prod",
            ],
        ),
        (
            json!([{"environment": "production"}]),
            vec!["released in production", "deployed to production"],
        ),
    ];
    for (selectors, expected) in cases {
        let descriptions: Vec<String> = selected(selectors.clone())
            .iter()
            .map(short_description)
            .collect();
        assert_eq!(descriptions, expected, "{selectors}");
    }
}

#[test]
fn a_selected_pact_says_why_and_whether_it_is_pending() {
    let pacts = selected(
        json!([{"mainBranch": true, "consumer": "web"}, {"deployed": true, "consumer": "web"}]),
    );
    let pending = PendingStatus {
        pending: true,
        ..PendingStatus::default()
    };
    assert_eq!(pact_name(&pacts[0], "api"), "Pact between web (3) and api");
    assert_eq!(
        texts(&pacts[0], &pending, &on_branch(), false),
        vec![
            "before_verification: The pact at URL is being verified because the pact content belongs to the consumer versions matching the following criteria:\n    * latest version of web from the main branch 'main' (3)\n    * version(s) of web currently deployed to production (1)",
            "before_verification: This pact is in pending state for this version of api because a successful verification result for a version of api from branch 'main' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending",
            "after_verification:success_true_published_false: This pact is still in pending state for any version of api from branch 'main' as the successful verification results have not yet been published.",
            "after_verification:success_false_published_false: This pact is still in pending state for any version of api from branch 'main' as a successful verification result has not yet been published",
            "after_verification:success_true_published_true: This pact is no longer in pending state for any version of api from branch 'main', as a successful verification result has been published. If a verification for a version of api fails in the future, it will fail the build. Read more at https://docs.pact.io/go/pending",
            "after_verification:success_false_published_true: This pact is still in pending state for any version of api from branch 'main' as a successful verification result has not yet been published",
        ]
    );
    let verified = PendingStatus::default();
    assert_eq!(
        texts(&pacts[0], &verified, &on_branch(), false)[1],
        "before_verification: This pact has previously been successfully verified by a version of api from branch 'main'. If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending"
    );
    let latest = selected(json!([{"latest": true, "consumer": "legacy"}]));
    assert_eq!(
        texts(&latest[0], &verified, &on_branch(), false)[0],
        "before_verification: The pact at URL is being verified because the pact content belongs to the consumer version matching the following criterion:\n    * latest version of legacy that has a pact with api (1)"
    );
}

#[test]
fn tags_and_wip_are_worded_like_the_pact_broker() {
    let pacts = selected(json!([{"branch": "feat-x", "consumer": "web"}]));
    let tagged = ProviderTarget {
        provider: "api".to_owned(),
        branch: None,
        tags: vec![
            ProviderTag {
                name: "dev".to_owned(),
                first_used_at: None,
            },
            ProviderTag {
                name: "prod".to_owned(),
                first_used_at: None,
            },
        ],
    };
    let status = PendingStatus {
        pending: true,
        pending_tags: vec!["dev".to_owned(), "prod".to_owned()],
        non_pending_tags: Vec::new(),
    };
    let lines = texts(&pacts[0], &status, &tagged, false);
    assert_eq!(
        lines[1],
        "before_verification: This pact is in pending state for this version of api because a successful verification result for a versions of api with tag 'dev' and 'prod' has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending"
    );
    assert_eq!(
        lines[2],
        "after_verification:success_true_published_false: This pact is still in pending state for any versions of api with tag 'dev' and 'prod' as the successful verification results with these tags have not yet been published."
    );
    let wip = texts(
        &pacts[0],
        &PendingStatus {
            pending: true,
            ..PendingStatus::default()
        },
        &on_branch(),
        true,
    );
    assert_eq!(
        wip[0],
        "before_verification: The pact at URL is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest version of web from branch 'feat-x' and it has not yet been successfully verified by a version of api from branch 'main' when the pact's application version was explicitly specified in the consumer version selectors). Read more at https://docs.pact.io/go/wip"
    );
    assert_eq!(
        wip[1],
        "before_verification: This pact is in pending state for this version of api because it was included as a 'work in progress' pact. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending"
    );
    let quiet = notices(&NoticeContext {
        pact: &pacts[0],
        status: &status,
        target: &tagged,
        url: "URL",
        wip: false,
        include_pending_status: false,
        deprecated: true,
    });
    assert_eq!(
        quiet.len(),
        2,
        "a warning and the inclusion reason, nothing about pending: {quiet:?}"
    );
    assert!(
        quiet[0].text.starts_with(
            "WARNING - this version of the Pact library uses a beta version of the API"
        )
    );
}
