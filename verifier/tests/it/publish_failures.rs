//! `treaty publish` when things go wrong: refusals by the broker (409, 400) exit with 1 and show
//! the broker's messages; invalid files are all named and nothing is sent; an unreachable or
//! misbehaving broker exits with 2; server errors are retried.

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, ResponseTemplate};

use crate::support::{
    closed_port, fake_broker, pact_v3, publish_bodies, publish_ok, publish_one_pact, stderr,
    treaty, write_json,
};

#[tokio::test]
async fn a_conflict_exits_with_1_and_shows_the_brokers_message() {
    let broker = fake_broker().await;
    let conflict = json!({
        "notices": [{ "type": "error", "text": "Cannot change the content of the pact for web version 1.0.0 and provider orders" }],
        "errors": { "contracts": ["Cannot change the content of the pact for web version 1.0.0 and provider orders"] }
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(conflict))
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "web-orders.json", &pact_v3("web", "orders"));

    let output = treaty(&[
        "publish",
        file.to_str().unwrap(),
        "-a",
        "1.0.0",
        "-b",
        &broker.uri(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.starts_with("treaty: error: the broker refused the publication of"),
        "{err}"
    );
    assert!(err.contains("409 Conflict"), "{err}");
    assert!(
        err.contains("Cannot change the content of the pact for web version 1.0.0"),
        "{err}"
    );
    assert!(err.contains("web-orders.json"), "{err}");
}

#[tokio::test]
async fn validation_errors_exit_with_1_and_list_each_error() {
    let broker = fake_broker().await;
    let invalid = json!({ "errors": { "pacticipantVersionNumber": ["can't be blank"], "contracts.0.content": "is not valid base64" } });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(invalid))
        .mount(&broker)
        .await;
    let output = publish_one_pact(&broker.uri(), &[]).await;

    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("400 Bad Request"), "{err}");
    assert!(
        err.contains("pacticipantVersionNumber: can't be blank"),
        "{err}"
    );
    assert!(
        err.contains("contracts.0.content: is not valid base64"),
        "{err}"
    );
}

#[tokio::test]
async fn an_unreachable_broker_exits_with_2() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "p.json", &pact_v3("web", "orders"));

    let output = treaty(&[
        "publish",
        file.to_str().unwrap(),
        "-a",
        "1",
        "-b",
        &url,
        "--retries",
        "1",
    ])
    .await;

    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        format!("treaty: error: could not connect to {url}: connection refused")
    );
}

#[tokio::test]
async fn a_broker_that_cannot_be_reached_is_tried_again_before_giving_up() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "p.json", &pact_v3("web", "orders"));

    let output = treaty(&[
        "publish",
        file.to_str().unwrap(),
        "-a",
        "1",
        "-b",
        &url,
        "--retries",
        "2",
    ])
    .await;

    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        format!("treaty: error: could not connect to {url}: connection refused (after 2 attempts)")
    );
}

#[tokio::test]
async fn invalid_files_are_all_named_and_nothing_is_sent() {
    let broker = fake_broker().await;
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "good.json", &pact_v3("web", "orders"));
    let mut bad_status = pact_v3("web", "orders");
    bad_status["interactions"][0]["response"]["status"] = json!("two hundred");
    write_json(dir.path(), "bad-status.json", &bad_status);
    std::fs::write(dir.path().join("broken.json"), "{ not json").unwrap();

    let output = treaty(&[
        "publish",
        dir.path().to_str().unwrap(),
        "-a",
        "1",
        "-b",
        &broker.uri(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("2 contract files are invalid; nothing was published"),
        "{err}"
    );
    assert!(err.contains("bad-status.json:"), "{err}");
    assert!(err.contains("/interactions/0/response/status"), "{err}");
    assert!(err.contains("broken.json:"), "{err}");
    assert!(!err.contains("good.json"), "{err}");
    assert!(
        broker
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty(),
        "nothing is sent"
    );
}

#[tokio::test]
async fn a_missing_file_exits_with_2_and_names_it() {
    let output = treaty(&[
        "publish",
        "/nonexistent/pact.json",
        "-a",
        "1",
        "-b",
        "http://127.0.0.1:9",
    ])
    .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("could not read /nonexistent/pact.json"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn an_index_without_the_publish_relation_exits_with_2() {
    let broker = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "_links": {} })))
        .mount(&broker)
        .await;
    let output = publish_one_pact(&broker.uri(), &[]).await;

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("pb:publish-contracts"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn server_errors_are_retried_honouring_retry_after() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(2)
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .respond_with(publish_ok("web", "1"))
        .mount(&broker)
        .await;
    let output = publish_one_pact(&broker.uri(), &[]).await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(publish_bodies(&broker).await.len(), 3);
}

#[tokio::test]
async fn server_errors_give_up_after_the_retries_with_exit_2() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({ "error": "boom" })))
        .mount(&broker)
        .await;
    let output = publish_one_pact(&broker.uri(), &["--retries", "2"]).await;

    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("500 Internal Server Error"),
        "{}",
        stderr(&output)
    );
    assert_eq!(publish_bodies(&broker).await.len(), 2);
}
