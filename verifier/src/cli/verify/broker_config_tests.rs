//! Tests of [`super::broker_config`]: selectors kept as given, and every flag combination that
//! cannot work refused with a message naming the flags.

use super::*;

fn args() -> VerifyBrokerArgs {
    VerifyBrokerArgs {
        broker_base_url: Some("http://127.0.0.1:9292".into()),
        retries: 1,
        ..VerifyBrokerArgs::default()
    }
}

fn context(provider: Option<&str>) -> Context<'_> {
    Context {
        sources: &[],
        provider,
        filters_interactions: false,
    }
}

fn error(args: VerifyBrokerArgs, context: Context<'_>) -> String {
    match broker_config(args, context) {
        Ok(_) => String::from("no error"),
        Err(error) => {
            assert!(matches!(error, Error::Usage(_)), "{error}");
            error.to_string()
        }
    }
}

#[test]
fn selectors_are_kept_as_given_and_tags_become_latest_tag_selectors() {
    let mut given = args();
    given.consumer_version_selectors = vec![
        r#"{"mainBranch": true, "extra": 1}"#.into(),
        r#"[{"deployed": true}, {"branch": "feat/x"}]"#.into(),
    ];
    given.consumer_version_tags = vec!["prod".into()];
    given.provider_version_branch = Some("main".into());
    given.enable_pending = true;
    let (source, config) = broker_config(given, context(Some("orders"))).unwrap();
    let Some(ContractSource::Broker(selection)) = source else {
        panic!("expected the broker source");
    };
    assert_eq!(
        selection.consumer_version_selectors,
        [
            json!({"mainBranch": true, "extra": 1}),
            json!({"deployed": true}),
            json!({"branch": "feat/x"}),
            json!({"tag": "prod", "latest": true})
        ]
    );
    assert_eq!(selection.provider_version_branch.as_deref(), Some("main"));
    assert!(selection.include_pending_status);
    assert!(config.client.is_some() && config.publish.is_none());
}

#[test]
fn bad_combinations_are_usage_errors_that_name_the_flags() {
    let cases: Vec<(VerifyBrokerArgs, Option<&str>, &str)> = vec![
        (args(), None, "--provider NAME is needed"),
        (
            VerifyBrokerArgs {
                publish: true,
                ..args()
            },
            Some("orders"),
            "--publish needs --provider-app-version",
        ),
        (
            VerifyBrokerArgs {
                consumer_version_selectors: vec!["{mainBranch}".into()],
                ..args()
            },
            Some("orders"),
            "invalid --consumer-version-selectors #1 `{mainBranch}`",
        ),
        (
            VerifyBrokerArgs {
                consumer_version_selectors: vec!["[true]".into()],
                ..args()
            },
            Some("orders"),
            "found true",
        ),
        (
            VerifyBrokerArgs {
                include_wip_pacts_since: Some("2026-01-01".into()),
                ..args()
            },
            Some("orders"),
            "--include-wip-pacts-since needs --provider-version-branch",
        ),
        (
            VerifyBrokerArgs {
                include_wip_pacts_since: Some("last week".into()),
                provider_version_branch: Some("main".into()),
                ..args()
            },
            Some("orders"),
            "invalid --include-wip-pacts-since `last week`",
        ),
    ];
    let cases = cases.into_iter().chain([(
        VerifyBrokerArgs {
            broker_base_url: None,
            enable_pending: true,
            ..args()
        },
        Some("orders"),
        "--enable-pending choose which contracts the broker returns: give --broker-base-url",
    )]);
    for (given, provider, expected) in cases {
        let message = error(given, context(provider));
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn file_sources_cannot_publish_or_take_selection_flags() {
    let files = [ContractSource::File("pacts/web.json".into())];
    let with_files = Context {
        sources: &files,
        provider: Some("orders"),
        filters_interactions: false,
    };
    let publish = VerifyBrokerArgs {
        publish: true,
        provider_app_version: Some("1".into()),
        ..args()
    };
    assert!(error(publish, with_files).contains("but pacts/web.json is a file"));
    let pending = VerifyBrokerArgs {
        enable_pending: true,
        ..args()
    };
    assert!(error(pending, with_files).contains("--enable-pending choose which contracts"));
}

#[test]
fn publishing_part_of_a_contract_is_refused() {
    let publish = VerifyBrokerArgs {
        publish: true,
        provider_app_version: Some("1".into()),
        ..args()
    };
    let filtered = Context {
        filters_interactions: true,
        ..context(Some("orders"))
    };
    assert!(error(publish, filtered).contains("--filter-description or --filter-state"));
}

#[test]
fn a_pact_url_alone_makes_its_origin_the_broker() {
    let urls = [ContractSource::Url(
        "http://127.0.0.1:9/pacts/provider/orders/consumer/web/latest".into(),
    )];
    let given = VerifyBrokerArgs {
        broker_base_url: None,
        publish: true,
        provider_app_version: Some("1".into()),
        ..args()
    };
    let (source, config) = broker_config(
        given,
        Context {
            sources: &urls,
            provider: None,
            filters_interactions: false,
        },
    )
    .unwrap();
    assert!(source.is_none());
    assert_eq!(
        config.client.unwrap().base_url().as_str(),
        "http://127.0.0.1:9/"
    );
    assert_eq!(config.publish.unwrap().provider_app_version, "1");
}
