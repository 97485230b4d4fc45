//! `treaty verify --broker-base-url … --provider …` against a fake broker (wiremock) and a fake
//! provider: selectors sent as given, the broker's defaults without any, why each contract was
//! selected, pending failures (exit 0) against other failures (exit 1), retries on 503 and 429,
//! broker errors, and runs that verify nothing.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::broker_fake::{FakePact, bodies, broker, provider, requests};
use crate::verify_support::{both, read_json, stdout, verify, write_order_42_contract};

#[tokio::test]
async fn selectors_are_sent_as_given_and_each_contract_says_why_it_was_selected() {
    let broker = broker(&[FakePact::passing("web", "1.2.3")]).await;
    let provider = provider().await;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");

    let output = verify(&[
        "--broker-url",
        &broker.uri(),
        "--provider-name",
        "orders",
        "--provider-base-url",
        &provider.uri(),
        "--consumer-version-selectors",
        r#"{"mainBranch": true}"#,
        "--consumer-version-selectors",
        r#"{"deployedOrReleased": true, "consumer": "web"}"#,
        "--consumer-version-tags",
        "prod",
        "--provider-branch",
        "main",
        "--provider-version-tag",
        "green",
        "--enable-pending",
        "--include-wip-pacts-since",
        "2026-01-01",
        "--json",
        report.to_str().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let posted = bodies(&broker, "POST", "/pacts/provider/orders/for-verification").await;
    assert_eq!(
        posted,
        [json!({
            "consumerVersionSelectors": [
                {"mainBranch": true},
                {"deployedOrReleased": true, "consumer": "web"},
                {"tag": "prod", "latest": true}
            ],
            "providerVersionTags": ["green"],
            "providerVersionBranch": "main",
            "includePendingStatus": true,
            "includeWipPactsSince": "2026-01-01"
        })]
    );
    let text = stdout(&output);
    assert!(text.contains("selected: latest from branch main"), "{text}");
    assert!(
        text.contains("broker: This pact has previously been successfully verified"),
        "{text}"
    );
    assert!(text.contains("OK      GET /orders/42 - order 42"), "{text}");
    let report = read_json(&report);
    crate::verify_reports::assert_valid_report(&report);
    let contract = &report["contracts"][0];
    assert_eq!(contract["consumerVersion"], "1.2.3");
    assert_eq!(contract["selection"]["reasons"], "latest from branch main");
    assert_eq!(
        contract["interactions"][0]["interactionId"],
        "id-web-order-42"
    );
}

#[tokio::test]
async fn without_selectors_the_brokers_defaults_apply_through_the_same_post() {
    let broker = broker(&[FakePact::passing("web", "1.2.3")]).await;
    let provider = provider().await;

    let output = verify(&[
        "--broker-base-url",
        &broker.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        &provider.uri(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let posted = bodies(&broker, "POST", "/pacts/provider/orders/for-verification").await;
    assert_eq!(posted, [json!({"includePendingStatus": false})]);
    assert_eq!(
        requests(&broker).await,
        [
            "GET /",
            "GET /pacts/provider/orders/for-verification",
            "POST /pacts/provider/orders/for-verification",
            "GET /pacts/provider/orders/consumer/web/pact-version/sha-web",
        ]
    );
}

#[tokio::test]
async fn a_pending_failure_exits_0_and_is_reported_as_pending_in_every_format() {
    let broker = broker(&[
        FakePact::passing("web", "1.2.3"),
        FakePact::failing("mobile", "2.0.0", true),
    ])
    .await;
    let provider = provider().await;
    let dir = tempfile::tempdir().unwrap();
    let (json_path, junit, markdown) = (
        dir.path().join("r.json"),
        dir.path().join("r.xml"),
        dir.path().join("r.md"),
    );

    let output = verify(&[
        "-b",
        &broker.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        &provider.uri(),
        "--enable-pending",
        "--provider-version-branch",
        "main",
        "--json",
        json_path.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
        "--markdown",
        markdown.to_str().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let text = stdout(&output);
    assert!(
        text.contains("pending: its failures are reported and do not fail the run"),
        "{text}"
    );
    assert!(text.contains("PENDING GET /orders/42 - order 42"), "{text}");
    assert!(
        text.contains("1 pending failure does not fail the run (mobile 2.0.0)"),
        "{text}"
    );
    let report = read_json(&json_path);
    crate::verify_reports::assert_valid_report(&report);
    assert_eq!(report["result"], "passed");
    assert_eq!(report["summary"]["pendingFailed"], 1);
    assert_eq!(report["contracts"][1]["pending"], true);
    assert_eq!(report["contracts"][1]["result"], "pending");
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert!(
        junit.contains(r#"<skipped message="pending, does not fail the run: $.total"#),
        "{junit}"
    );
    assert!(junit.contains(r#"failures="0""#), "{junit}");
    let markdown = std::fs::read_to_string(&markdown).unwrap();
    assert!(
        markdown.contains("| mobile | 2.0.0 | 0 | 1 | ⏳ pending |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("⏳ 1 pending failure does not fail the run"),
        "{markdown}"
    );
}

#[tokio::test]
async fn a_failure_that_is_not_pending_exits_1() {
    let broker = broker(&[
        FakePact::passing("web", "1.2.3"),
        FakePact::failing("mobile", "2.0.0", false),
    ])
    .await;
    let provider = provider().await;

    let output = verify(&[
        "-b",
        &broker.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        &provider.uri(),
        "--enable-pending",
    ])
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let text = stdout(&output);
    assert!(text.contains("FAILED  GET /orders/42 - order 42"), "{text}");
    assert!(text.contains("$.total"), "{text}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 of 2 contracts failed verification"),
        "{stderr}"
    );
}

#[tokio::test]
async fn server_errors_and_throttling_are_retried() {
    let pact = FakePact::passing("web", "1.2.3");
    let server = MockServer::start().await;
    // The first index request gets a 503, the first POST a 429 asking to wait a second.
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pacts/provider/orders/for-verification"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    crate::broker_fake::mount_index(&server).await;
    crate::broker_fake::mount_pacts_for_verification(&server, std::slice::from_ref(&pact)).await;
    crate::broker_fake::mount_document(&server, &pact).await;
    let provider = provider().await;

    let started = std::time::Instant::now();
    let output = verify(&[
        "-b",
        &server.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        &provider.uri(),
        "--retries",
        "3",
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let seen = requests(&server).await;
    assert_eq!(seen.iter().filter(|r| *r == "GET /").count(), 2, "{seen:?}");
    assert_eq!(
        seen.iter()
            .filter(|r| *r == "POST /pacts/provider/orders/for-verification")
            .count(),
        2,
        "{seen:?}"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After: 1 was not honoured"
    );
}

#[tokio::test]
async fn a_broker_that_keeps_failing_exits_2_and_says_what_to_try() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down for maintenance"))
        .mount(&server)
        .await;

    let output = verify(&[
        "-b",
        &server.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        "http://127.0.0.1:1",
        "--retries",
        "2",
    ])
    .await;

    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("503 Service Unavailable"), "{stderr}");
    assert!(stderr.contains("after 2 attempts"), "{stderr}");
    assert!(stderr.contains("--retries"), "{stderr}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_unreachable_broker_exits_2() {
    let url = format!("http://127.0.0.1:{}", crate::verify_support::closed_port());
    let output = verify(&[
        "-b",
        &url,
        "--provider",
        "orders",
        "--provider-base-url",
        "http://127.0.0.1:1",
    ])
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("could not connect to {url}: connection refused")),
        "{stderr}"
    );
}

#[tokio::test]
async fn refused_selectors_are_a_usage_error_with_the_brokers_words() {
    let server = MockServer::start().await;
    crate::broker_fake::mount_index(&server).await;
    crate::broker_fake::mount_pacts_for_verification(&server, &[]).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errors": { "consumerVersionSelectors[0]": ["cannot specify a branch and a tag"] }
        })))
        .with_priority(1)
        .mount(&server)
        .await;

    let output = verify(&[
        "-b",
        &server.uri(),
        "--provider",
        "orders",
        "--provider-base-url",
        "http://127.0.0.1:1",
        "--consumer-version-selectors",
        r#"{"branch": "main", "tag": "prod"}"#,
    ])
    .await;

    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("consumerVersionSelectors[0]: cannot specify a branch and a tag"),
        "{stderr}"
    );
    assert!(
        stderr.contains("check --consumer-version-selectors"),
        "{stderr}"
    );
}

#[tokio::test]
async fn no_contract_from_the_broker_fails_unless_ignored() {
    let empty = broker(&[]).await;
    let args = |extra: &'static [&'static str]| {
        let mut args = vec![
            "-b".to_owned(),
            empty.uri(),
            "--provider".to_owned(),
            "orders".to_owned(),
            "--provider-base-url".to_owned(),
            "http://127.0.0.1:1".to_owned(),
        ];
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };
    let run = |args: Vec<String>| async move {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        verify(&refs).await
    };

    let failed = run(args(&[])).await;
    assert_eq!(failed.status.code(), Some(1), "{}", both(&failed));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("nothing was verified: the broker at")
            && stderr.contains(
                "has no contract for provider `orders` matching the broker's default selectors"
            ),
        "{stderr}"
    );
    assert!(stderr.contains("--ignore-no-pacts-error"), "{stderr}");

    let ignored = run(args(&["--ignore-no-pacts-error"])).await;
    assert_eq!(ignored.status.code(), Some(0), "{}", both(&ignored));
    let stderr = String::from_utf8_lossy(&ignored.stderr);
    assert!(
        stderr.contains("treaty: warning: nothing was verified"),
        "{stderr}"
    );
}

#[tokio::test]
async fn an_unknown_provider_is_named_and_counts_as_no_contract() {
    let server = MockServer::start().await;
    crate::broker_fake::mount_index(&server).await;
    Mock::given(method("GET"))
        .and(path("/pacts/provider/ordres/for-verification"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"error": "not found"})))
        .mount(&server)
        .await;
    let base = server.uri();
    let mut args = vec![
        "-b",
        base.as_str(),
        "--provider",
        "ordres",
        "--provider-base-url",
        "http://127.0.0.1:1",
    ];

    let output = verify(&args).await;
    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("knows no provider `ordres`: check the spelling of --provider"),
        "{stderr}"
    );

    args.push("--ignore-no-pacts-error");
    let output = verify(&args).await;
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
}

#[tokio::test]
async fn filters_that_match_nothing_fail_for_files_too_unless_ignored() {
    let provider = provider().await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_order_42_contract(dir.path(), "web.json", json!({"id": 42}));
    let base = provider.uri();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--filter-consumer", "nobody"],
            "--filter-consumer nobody matched none of the 1 contract, whose consumer is web",
        ),
        (
            &["--filter-description", "^refund"],
            "no interaction of the 1 contract kept matched --filter-description ^refund",
        ),
        (
            &["--filter-state", "no such state"],
            "matched --filter-state no such state",
        ),
    ];
    for (filter, expected) in cases {
        let mut args = vec![file.as_str(), "--provider-base-url", base.as_str()];
        args.extend_from_slice(filter);
        let output = verify(&args).await;
        assert_eq!(
            output.status.code(),
            Some(1),
            "{filter:?}: {}",
            both(&output)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("nothing was verified: "), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");

        args.push("--ignore-no-pacts-error");
        let output = verify(&args).await;
        assert_eq!(
            output.status.code(),
            Some(0),
            "{filter:?}: {}",
            both(&output)
        );
    }
}

#[tokio::test]
async fn a_run_whose_interactions_were_all_skipped_verified_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let messages = json!({
        "consumer": { "name": "web" },
        "provider": { "name": "orders" },
        "interactions": [{
            "type": "Asynchronous/Messages",
            "description": "an order event",
            "contents": { "content": { "id": 1 }, "contentType": "application/json" }
        }],
        "metadata": { "pactSpecification": { "version": "4.0" } }
    });
    let file = crate::verify_support::write_contract(dir.path(), "events.json", &messages);
    let mut args = vec![file.as_str(), "--provider-base-url", "http://127.0.0.1:1"];

    let output = verify(&args).await;
    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nothing was verified: the only interaction was skipped"),
        "{stderr}"
    );

    args.push("--ignore-no-pacts-error");
    let output = verify(&args).await;
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
}
