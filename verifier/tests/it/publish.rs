//! `treaty publish` against a fake broker when things go right: discovery through the index,
//! the exact body of each POST, directories, credentials, JSON output.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{
    fake_broker, pact_v3, publish_bodies, publish_ok, publish_one_pact, stderr, stdout, treaty,
    treaty_with_env, write_json,
};

#[tokio::test]
async fn publishes_a_file_with_the_pact_cli_body_shape() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .and(path("/contracts/publish"))
        .and(header("content-type", "application/json"))
        .respond_with(publish_ok("web", "1.0.0"))
        .expect(1)
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "web-orders.json", &pact_v3("web", "orders"));
    let file_arg = file.to_str().unwrap();

    let output = treaty(&[
        "publish",
        file_arg,
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "main",
        "--tag",
        "dev",
        "--tag",
        "prod",
        "--build-url",
        "https://ci/1",
        "--broker-base-url",
        &broker.uri(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "web",
        "orders",
        "1.0.0",
        "main",
        "dev, prod",
        "Created web version 1.0.0",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    let bodies = publish_bodies(&broker).await;
    assert_eq!(bodies.len(), 1);
    let mut body = bodies[0].clone();
    let content = body["contracts"][0]["content"].take();
    assert_eq!(
        body,
        json!({
            "pacticipantName": "web", "pacticipantVersionNumber": "1.0.0", "branch": "main",
            "tags": ["dev", "prod"], "buildUrl": "https://ci/1",
            "contracts": [{ "consumerName": "web", "providerName": "orders", "specification": "pact",
                            "contentType": "application/json", "content": null, "onConflict": "overwrite" }]
        })
    );
    let decoded = STANDARD
        .decode(content.as_str().unwrap())
        .expect("strict base64");
    assert_eq!(
        decoded,
        std::fs::read(&file).unwrap(),
        "the content is the file's JSON"
    );
}

#[tokio::test]
async fn optional_keys_are_omitted_and_merge_is_sent() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .respond_with(publish_ok("web", "2"))
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "p.json", &pact_v3("web", "orders"));

    let output = treaty(&[
        "publish",
        file.to_str().unwrap(),
        "-a",
        "2",
        "--merge",
        "-b",
        &broker.uri(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let body = &publish_bodies(&broker).await[0];
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["pacticipantName", "pacticipantVersionNumber", "contracts"]
    );
    assert_eq!(body["contracts"][0]["onConflict"], "merge");
}

#[tokio::test]
async fn a_directory_publishes_each_json_file_in_its_own_post() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .respond_with(publish_ok("web", "1"))
        .expect(2)
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_json(
        dir.path(),
        "b-web-payments.json",
        &pact_v3("web", "payments"),
    );
    write_json(dir.path(), "a-web-orders.json", &pact_v3("web", "orders"));
    std::fs::write(dir.path().join("README.txt"), "not a pact").unwrap();

    let output = treaty(&[
        "publish",
        dir.path().to_str().unwrap(),
        "-a",
        "1",
        "-b",
        &broker.uri(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let providers: Vec<Value> = publish_bodies(&broker)
        .await
        .iter()
        .map(|body| body["contracts"][0]["providerName"].clone())
        .collect();
    assert_eq!(providers, [json!("orders"), json!("payments")]);
}

#[tokio::test]
async fn credentials_come_from_the_pact_cli_environment_variables() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer s3cret"))
        .respond_with(publish_ok("web", "1"))
        .expect(1)
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "p.json", &pact_v3("web", "orders"));

    let env = [
        ("PACT_BROKER_BASE_URL", broker.uri()),
        ("PACT_BROKER_TOKEN", "s3cret".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let output = treaty_with_env(&["publish", file.to_str().unwrap(), "-a", "1"], &env).await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let requests = broker.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("authorization").is_some()),
        "sent on every request"
    );
}

#[tokio::test]
async fn basic_auth_is_sent_when_asked() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .and(header(
            "authorization",
            format!("Basic {}", STANDARD.encode("me:pw")).as_str(),
        ))
        .respond_with(publish_ok("web", "1"))
        .expect(1)
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "p.json", &pact_v3("web", "orders"));

    let output = treaty(&[
        "publish",
        file.to_str().unwrap(),
        "-a",
        "1",
        "-b",
        &broker.uri(),
        "--broker-username",
        "me",
        "--broker-password",
        "pw",
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[tokio::test]
async fn json_output_is_one_document_for_pipes() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .respond_with(publish_ok("web", "1"))
        .mount(&broker)
        .await;
    let output = publish_one_pact(&broker.uri(), &["-o", "json"]).await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(report[0]["consumer"], "web");
    assert_eq!(report[0]["provider"], "orders");
    assert_eq!(report[0]["consumerVersion"], "1");
    assert_eq!(report[0]["response"]["notices"][0]["type"], "success");
}

#[tokio::test]
async fn hrefs_keep_only_their_path_and_a_context_path_is_kept() {
    let broker = wiremock::MockServer::start().await;
    // The index names an internal host, as a broker behind a proxy does; only the path counts.
    let index = json!({ "_links": {
        "pb:publish-contracts": { "href": "http://internal.invalid:8080/broker/contracts/publish" }
    }});
    Mock::given(method("GET"))
        .and(path("/broker/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(index))
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .and(path("/broker/contracts/publish"))
        .respond_with(publish_ok("web", "1"))
        .expect(1)
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_json(dir.path(), "p.json", &pact_v3("web", "orders"));
    let base = format!("{}/broker", broker.uri());

    let output = treaty(&["publish", file.to_str().unwrap(), "-a", "1", "-b", &base]).await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[tokio::test]
async fn a_closed_stdout_does_not_stop_the_publications() {
    let broker = fake_broker().await;
    Mock::given(method("POST"))
        .respond_with(publish_ok("web", "1"))
        .expect(2)
        .mount(&broker)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write_json(dir.path(), "a.json", &pact_v3("web", "orders"));
    write_json(dir.path(), "b.json", &pact_v3("web", "payments"));

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_treaty"))
        .args([
            "publish",
            dir.path().to_str().unwrap(),
            "-a",
            "1",
            "-b",
            &broker.uri(),
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().await.unwrap();

    assert_eq!(status.code(), Some(0));
    assert_eq!(publish_bodies(&broker).await.len(), 2);
}
