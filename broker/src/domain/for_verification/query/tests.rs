//! The request rules as a table: each body and the normalised selectors or the faults it gets.

use serde_json::{Value, json};

use super::*;

/// The selectors of a valid body as short strings, or its faults as `field: message`.
fn check(body: Value) -> Vec<String> {
    match VerificationQuery::from_json(&body) {
        Ok(query) => query
            .selectors
            .iter()
            .map(|selector| format!("{:?} consumer={:?}", selector.kind, selector.consumer))
            .collect(),
        Err(DomainError::Invalid(faults)) => faults
            .iter()
            .map(|fault| format!("{}: {}", fault.field, fault.message))
            .collect(),
        Err(other) => vec![format!("unexpected {other}")],
    }
}

#[test]
fn selectors_are_normalised() {
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({"consumerVersionSelectors": [{"mainBranch": true}]}),
            vec!["MainBranch consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"mainBranch": true, "latest": true, "consumer": "web"}]}),
            vec!["MainBranch consumer=Some(\"web\")"],
        ),
        (
            json!({"consumerVersionSelectors": [{"branch": "feat/x"}]}),
            vec!["Branch { name: \"feat/x\", fallback: None } consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"branch": "feat/x", "fallbackBranch": "main"}]}),
            vec!["Branch { name: \"feat/x\", fallback: Some(\"main\") } consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"branch": true, "latest": true}]}),
            vec!["AllBranches consumer=None"],
        ),
        (
            json!({"providerVersionBranch": "dev", "consumerVersionSelectors": [{"matchingBranch": true}]}),
            vec!["MatchingBranch consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"tag": "prod", "latest": true, "fallbackTag": "main"}]}),
            vec!["Tag { name: \"prod\", latest: true, fallback: Some(\"main\") } consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"tag": "prod"}]}),
            vec!["Tag { name: \"prod\", latest: false, fallback: None } consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"latest": true, "consumer": "web"}]}),
            vec!["Latest consumer=Some(\"web\")"],
        ),
        (
            json!({"consumerVersionSelectors": [{"deployed": true}]}),
            vec!["Deployed { environment: None } consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"released": true, "environment": "prod"}]}),
            vec!["Released { environment: Some(\"prod\") } consumer=None"],
        ),
        (
            json!({"consumerVersionSelectors": [{"deployedOrReleased": true, "environment": "prod"}]}),
            vec![
                "Deployed { environment: Some(\"prod\") } consumer=None",
                "Released { environment: Some(\"prod\") } consumer=None",
            ],
        ),
        (
            json!({"consumerVersionSelectors": [{"environment": "test"}]}),
            vec!["InEnvironment { environment: \"test\" } consumer=None"],
        ),
        (json!({}), vec![]),
        (
            json!({"consumerVersionSelectors": null, "providerVersionBranch": null, "includeWipPactsSince": null}),
            vec![],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(check(body.clone()), expected, "{body}");
    }
}

#[test]
fn bad_selectors_are_named_by_their_index() {
    let selector =
        |value: Value| json!({"consumerVersionSelectors": [{"mainBranch": true}, value]});
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            selector(json!({"consumer": "web"})),
            vec![
                "consumerVersionSelectors/1: must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, latest=true, deployed=true, released=true or deployedOrReleased=true",
            ],
        ),
        (
            selector(json!({"latest": false})),
            vec![
                "consumerVersionSelectors/1: must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, latest=true, deployed=true, released=true or deployedOrReleased=true",
            ],
        ),
        (
            selector(json!({"mainBranch": true, "tag": "x"})),
            vec![
                "consumerVersionSelectors/1: cannot specify mainBranch=true with any other criteria apart from consumer",
            ],
        ),
        (
            selector(json!({"mainBranch": true, "latest": false})),
            vec!["consumerVersionSelectors/1: cannot specify mainBranch=true with latest=false"],
        ),
        (
            selector(json!({"mainBranch": false})),
            vec!["consumerVersionSelectors/1: mainBranch must be true, found `false`"],
        ),
        (
            selector(json!({"branch": "a", "tag": "b"})),
            vec!["consumerVersionSelectors/1: cannot specify both a tag and a branch"],
        ),
        (
            selector(json!({"branch": "a", "latest": false})),
            vec!["consumerVersionSelectors/1: cannot specify a branch with latest=false"],
        ),
        (
            selector(json!({"branch": "a", "environment": "prod"})),
            vec![
                "consumerVersionSelectors/1: cannot specify the field branch with the field environment",
            ],
        ),
        (
            selector(json!({"tag": "a", "latest": true, "deployed": true})),
            vec![
                "consumerVersionSelectors/1: cannot specify the fields latest/tag with the field deployed",
            ],
        ),
        (
            selector(json!({"latest": true, "deployed": true})),
            vec![
                "consumerVersionSelectors/1: cannot specify the field latest with the field deployed",
            ],
        ),
        (
            selector(json!({"tag": "a", "fallbackTag": "b"})),
            vec!["consumerVersionSelectors/1: fallbackTag can only be set if latest is true"],
        ),
        (
            selector(json!({"latest": true, "fallbackTag": "b"})),
            vec![
                "consumerVersionSelectors/1: a tag must be specified when a fallbackTag is specified",
            ],
        ),
        (
            selector(json!({"fallbackBranch": "b", "tag": "t"})),
            vec![
                "consumerVersionSelectors/1: a branch must be specified when a fallbackBranch is specified",
            ],
        ),
        (
            selector(json!({"matchingBranch": true})),
            vec![
                "consumerVersionSelectors/1: the providerVersionBranch must be specified when the selector matchingBranch=true is used",
            ],
        ),
        (
            json!({"providerVersionBranch": "dev", "consumerVersionSelectors": [{"matchingBranch": true, "latest": true}]}),
            vec![
                "consumerVersionSelectors/0: cannot specify matchingBranch=true with any other criteria apart from consumer",
            ],
        ),
        (
            selector(json!({"deployed": true, "released": true})),
            vec!["consumerVersionSelectors/1: cannot specify both deployed=true and released=true"],
        ),
        (
            selector(json!({"deployed": true, "deployedOrReleased": true})),
            vec![
                "consumerVersionSelectors/1: cannot specify both deployed=true and deployedOrReleased=true",
            ],
        ),
        (
            selector(json!({"released": true, "deployedOrReleased": true})),
            vec![
                "consumerVersionSelectors/1: cannot specify both released=true and deployedOrReleased=true",
            ],
        ),
        (
            selector(json!({"mainbranch": true})),
            vec![
                "consumerVersionSelectors/1: unknown key `mainbranch`: expected one of mainBranch, branch, fallbackBranch, matchingBranch, tag, fallbackTag, latest, consumer, deployed, released, deployedOrReleased, environment",
            ],
        ),
        (
            selector(json!({"tag": " "})),
            vec!["consumerVersionSelectors/1: tag must be a non-blank string, found a string"],
        ),
        (
            selector(json!({"latest": "yes"})),
            vec!["consumerVersionSelectors/1: latest must be true or false, found a string"],
        ),
        (
            selector(json!("main")),
            vec![
                "consumerVersionSelectors/1: expected a selector object such as {\"mainBranch\": true}, found a string",
            ],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(check(body.clone()), expected, "{body}");
    }
}

#[test]
fn top_level_fields_are_checked() {
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({"consumerVersionSelector": []}),
            vec![
                "consumerVersionSelector: unknown key: expected one of consumerVersionSelectors, providerVersionBranch, providerVersionTags, includePendingStatus, includeWipPactsSince",
            ],
        ),
        (
            json!({"consumerVersionSelectors": {"mainBranch": true}}),
            vec![
                "consumerVersionSelectors: expected an array of selectors such as [{\"mainBranch\": true}], found an object",
            ],
        ),
        (
            json!({"includeWipPactsSince": "last week"}),
            vec![
                "includeWipPactsSince: expected a date such as 2020-01-01 or an RFC 3339 date-time, found `last week`",
            ],
        ),
        (
            json!({"includePendingStatus": "true"}),
            vec!["includePendingStatus: expected true or false, found a string"],
        ),
        (
            json!({"providerVersionTags": "main"}),
            vec!["providerVersionTags: expected an array of tag names, found a string"],
        ),
        (
            json!({"providerVersionTags": ["ok", 3]}),
            vec!["providerVersionTags/1: expected a non-blank tag name, found a number"],
        ),
        (
            json!({"providerVersionBranch": " "}),
            vec![
                "providerVersionBranch: must not be blank: give the provider's branch name, or leave it out",
            ],
        ),
        (
            json!({"providerVersionBranch": "", "includePendingStatus": true}),
            vec![
                "providerVersionBranch: when pending or WIP pacts are enabled and there are no tags provided, the provider version branch must not be an empty string, as it is used in the calculations for WIP/pending. A value must be provided (recommended), or it must not be set at all",
            ],
        ),
        (
            json!(["mainBranch"]),
            vec![
                "body: expected a JSON object such as {\"consumerVersionSelectors\": [{\"mainBranch\": true}]}, found an array",
            ],
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(check(body.clone()), expected, "{body}");
    }
    // An empty branch is tolerated when neither pending nor WIP needs it (the Pact Broker's leniency).
    let lenient = VerificationQuery::from_json(
        &json!({"providerVersionBranch": "", "includePendingStatus": false}),
    );
    assert!(
        matches!(
            lenient,
            Ok(VerificationQuery {
                provider_branch: None,
                ..
            })
        ),
        "{lenient:?}"
    );
    let parsed = VerificationQuery::from_json(
        &json!({"providerVersionBranch": "main", "providerVersionTags": ["dev"], "includeWipPactsSince": "2020-01-02"}),
    );
    let Ok(parsed) = parsed else {
        panic!("{parsed:?}")
    };
    assert_eq!(
        parsed.include_wip_pacts_since.as_deref(),
        Some("2020-01-02T00:00:00.000Z")
    );
    assert!(
        parsed.include_pending_status,
        "the Pact Broker defaults includePendingStatus to true"
    );
    assert_eq!(
        (parsed.provider_branch.as_deref(), parsed.provider_tags),
        (Some("main"), vec!["dev".to_owned()])
    );
}
