//! `treaty verify --publish` against a fake broker (wiremock): one result per contract with the
//! Pact Broker's body, the provider version put on its branch and tagged first, a webhook's
//! pact URL publishing to its own link with the broker's credentials, and the flag
//! combinations that are usage errors.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::broker_fake::{FakePact, bodies, broker, provider, received, requests};
use crate::verify_support::{both, stdout, verify, write_order_42_contract};

#[tokio::test]
async fn results_are_published_per_contract_after_the_branch_and_tags() {
    let web = FakePact::passing("web", "1.2.3");
    let mobile = FakePact::failing("mobile", "2.0.0", true);
    let broker = broker(&[web.clone(), mobile.clone()]).await;
    let provider = provider().await;

    let output = verify(&[
        "-b",
        &broker.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        &provider.uri(),
        "--enable-pending",
        "--publish",
        "--provider-version",
        "3.0.0",
        "--provider-branch",
        "main",
        "--provider-tags",
        "green,prod",
        "--build-url",
        "https://ci.example.com/builds/7",
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let seen = requests(&broker).await;
    let publishing: Vec<&str> = seen
        .iter()
        .map(String::as_str)
        .filter(|r| r.starts_with("PUT") || r.ends_with("verification-results"))
        .collect();
    assert_eq!(
        publishing,
        [
            "PUT /pacticipants/orders/branches/main/versions/3.0.0",
            "PUT /pacticipants/orders/versions/3.0.0/tags/green",
            "PUT /pacticipants/orders/versions/3.0.0/tags/prod",
            "POST /pacts/provider/orders/consumer/web/pact-version/sha-web/verification-results",
            "POST /pacts/provider/orders/consumer/mobile/pact-version/sha-mobile/verification-results",
        ]
    );
    let verified_by = json!({"implementation": "treaty", "version": env!("CARGO_PKG_VERSION")});
    assert_eq!(
        bodies(&broker, "POST", &web.results_path()).await,
        [json!({
            "success": true,
            "providerApplicationVersion": "3.0.0",
            "buildUrl": "https://ci.example.com/builds/7",
            "verifiedBy": verified_by,
            "testResults": [
                {"interactionId": "id-web-order-42", "success": true, "interactionDescription": "order 42"}
            ]
        })]
    );
    let failed = bodies(&broker, "POST", &mobile.results_path()).await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["success"], false);
    let result = &failed[0]["testResults"][0];
    assert_eq!(result["interactionId"], "id-mobile-order-42");
    assert_eq!(result["success"], false);
    assert_eq!(result["interactionDescription"], "order 42");
    assert_eq!(result["mismatches"][0]["attribute"], "body");
    assert_eq!(result["mismatches"][0]["identifier"], "$.total");
    assert!(
        result["mismatches"][0]["description"]
            .as_str()
            .unwrap()
            .starts_with("$.total"),
        "{result}"
    );
    let text = stdout(&output);
    assert!(
        text.contains(
            "Published the verification result of web 1.2.3 (success, provider version 3.0.0)"
        ),
        "{text}"
    );
    assert!(
        text.contains("Published the verification result of mobile 2.0.0 (failure"),
        "{text}"
    );
    // The broker's after-verification notice for a published failure.
    assert!(
        text.contains("mobile is still pending: its failure did not fail the build"),
        "{text}"
    );
}

#[tokio::test]
async fn a_result_the_broker_refuses_exits_2_after_the_others_were_published() {
    let web = FakePact::passing("web", "1.2.3");
    let mobile = FakePact::passing("mobile", "2.0.0");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(web.results_path()))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "errors": { "providerApplicationVersion": ["is not a valid version"] }
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    crate::broker_fake::mount_index(&server).await;
    crate::broker_fake::mount_pacts_for_verification(&server, &[web.clone(), mobile.clone()]).await;
    crate::broker_fake::mount_document(&server, &web).await;
    crate::broker_fake::mount_document(&server, &mobile).await;
    crate::broker_fake::mount_publishing(&server).await;
    let provider = provider().await;

    let output = verify(&[
        "-b",
        &server.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        &provider.uri(),
        "--publish",
        "--provider-app-version",
        "not a version",
    ])
    .await;

    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the verification result of web 1.2.3 was not published"),
        "{stderr}"
    );
    assert!(
        stderr.contains("providerApplicationVersion: is not a valid version"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 2 verification results could not be published"),
        "{stderr}"
    );
    assert_eq!(
        bodies(&server, "POST", &mobile.results_path()).await.len(),
        1
    );
}

#[tokio::test]
async fn a_webhooks_pact_url_publishes_to_its_own_link_with_the_brokers_token() {
    let mobile = FakePact::failing("mobile", "2.0.0", false);
    let server = MockServer::start().await;
    crate::broker_fake::mount_document(&server, &mobile).await;
    crate::broker_fake::mount_publishing(&server).await;
    let provider = provider().await;
    let pact_url = format!("{}{}", server.uri(), mobile.document_path());

    let output = crate::verify_support::verify_with_env(
        &[
            &pact_url,
            "--provider-base-url",
            &provider.uri(),
            "--publish",
            "--provider-app-version",
            "3.0.1",
        ],
        &[("PACT_BROKER_TOKEN", "s3cr3t")],
    )
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    assert_eq!(
        requests(&server).await,
        [
            format!("GET {}", mobile.document_path()),
            format!("POST {}", mobile.results_path()),
        ]
    );
    for request in received(&server).await {
        let authorization = request.headers.get("authorization").unwrap();
        assert_eq!(authorization.to_str().unwrap(), "Bearer s3cr3t");
    }
    let posted = bodies(&server, "POST", &mobile.results_path()).await;
    assert_eq!(posted[0]["success"], false);
    assert_eq!(posted[0]["providerApplicationVersion"], "3.0.1");
    assert_eq!(
        posted[0]["testResults"][0]["interactionId"],
        "id-mobile-order-42"
    );
    assert!(!both(&output).contains("s3cr3t"));
}

#[tokio::test]
async fn credentials_go_only_to_the_brokers_origin() {
    let web = FakePact::passing("web", "1.2.3");
    let elsewhere = MockServer::start().await;
    crate::broker_fake::mount_document(&elsewhere, &web).await;
    let broker = MockServer::start().await;
    let provider = provider().await;
    let pact_url = format!("{}{}", elsewhere.uri(), web.document_path());

    let output = verify(&[
        &pact_url,
        "--provider-base-url",
        &provider.uri(),
        "--broker-base-url",
        &broker.uri(),
        "--broker-token",
        "s3cr3t",
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let fetched = received(&elsewhere).await;
    assert_eq!(fetched.len(), 1);
    assert!(fetched[0].headers.get("authorization").is_none());
    assert!(requests(&broker).await.is_empty());
}

#[tokio::test]
async fn flag_combinations_that_cannot_work_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_order_42_contract(dir.path(), "web.json", json!({"id": 42}));
    let broker = "http://127.0.0.1:1";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["-b", broker, "--provider", "orders", "--publish"],
            "--publish needs --provider-app-version",
        ),
        (
            vec![&file, "--publish", "--provider-app-version", "1"],
            "--publish needs contracts from a broker, but",
        ),
        (
            vec![
                &file,
                "--consumer-version-selectors",
                r#"{"mainBranch": true}"#,
            ],
            "choose which contracts the broker returns",
        ),
        (vec!["-b", broker], "--provider NAME is needed"),
        (
            vec![
                "-b",
                broker,
                "--provider",
                "orders",
                "--consumer-version-selectors",
                "main",
            ],
            "invalid --consumer-version-selectors #1 `main`",
        ),
        (
            vec![
                "-b",
                broker,
                "--provider",
                "orders",
                "--publish",
                "--provider-app-version",
                "1",
                "--filter-description",
                "order",
            ],
            "--publish cannot be combined with --filter-description",
        ),
        (
            vec![
                "-b",
                broker,
                "--provider",
                "orders",
                "--include-wip-pacts-since",
                "2026-01-01",
            ],
            "--include-wip-pacts-since needs --provider-version-branch",
        ),
    ];
    for (mut args, expected) in cases {
        args.extend(["--provider-base-url", "http://127.0.0.1:2"]);
        let output = verify(&args).await;
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", both(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("treaty: error: "), "{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn nothing_is_published_when_the_provider_cannot_be_reached() {
    let broker = broker(&[FakePact::passing("web", "1.2.3")]).await;
    let provider = format!("http://127.0.0.1:{}", crate::verify_support::closed_port());

    let output = verify(&[
        "-b",
        &broker.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        &provider,
        "--publish",
        "--provider-app-version",
        "3.0.0",
        "--provider-version-branch",
        "main",
    ])
    .await;

    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let seen = requests(&broker).await;
    assert!(
        !seen
            .iter()
            .any(|r| r.starts_with("PUT") || r.ends_with("verification-results")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_pact_url_off_the_brokers_origin_that_wants_credentials_says_why_none_were_sent() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&elsewhere)
        .await;
    let pact_url = format!(
        "{}/pacts/provider/orders/consumer/web/latest",
        elsewhere.uri()
    );

    let output = verify(&[
        &pact_url,
        "--provider-base-url",
        "http://127.0.0.1:1",
        "--broker-base-url",
        "http://127.0.0.1:2",
        "--broker-token",
        "s3cr3t",
    ])
    .await;

    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("401 Unauthorized and no credentials were sent"),
        "{stderr}"
    );
    assert!(stderr.contains("--broker-base-url"), "{stderr}");
}
