//! `treaty can-i-deploy` and `can-i-merge` against a fake broker (wiremock): the exact query the
//! Pact CLI sends (pairs in order, ignore, destinations), `--retry-while-unknown`, exit codes 0,
//! 1 and 2, the explanation before the table, `--output json` and a broker that is not Treaty.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{stderr, stdout, treaty};

fn answer(deployable: Value) -> Value {
    json!({
        "summary": { "deployable": deployable, "reason": "r", "success": 0, "failed": 0, "unknown": 1 },
        "notices": [
            { "type": "error", "text": "There is no verified pact between version 1 of web and a version of orders currently in production (no version is currently recorded as deployed/released in this environment)" },
            { "type": "error", "text": "orders has no version recorded in production: record its deployment or release, or --ignore orders", "explanation": true },
        ],
        "matrix": [{
            "consumer": { "name": "web", "version": { "number": "1" } },
            "provider": { "name": "orders", "version": null },
            "verificationResult": null,
        }],
    })
}

async fn broker_answering(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/matrix"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Type", "application/hal+json")
                .set_body_json(body),
        )
        .mount(&server)
        .await;
    server
}

async fn queries(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| request.url.query().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_query_pairs_flags_with_their_pacticipant_in_order() {
    let server = broker_answering(answer(json!(true))).await;
    let output = treaty(&[
        "can-i-deploy",
        "--broker-base-url",
        &server.uri(),
        "--pacticipant",
        "web",
        "--version",
        "1.0.0+b/7",
        "--pacticipant",
        "orders",
        "--latest",
        "prod",
        "--ignore",
        "stock",
        "--version",
        "3",
        "--to-environment",
        "production",
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        queries(&server).await,
        vec![
            "q[][pacticipant]=web&q[][version]=1.0.0%2Bb%2F7&q[][pacticipant]=orders&q[][latest]=true&q[][tag]=prod&ignore[][pacticipant]=stock&ignore[][version]=3&latestby=cvpv&environment=production"
        ]
    );
    let merge = treaty(&[
        "can-i-merge",
        "--broker-base-url",
        &server.uri(),
        "--pacticipant",
        "web",
        "--version",
        "2",
    ])
    .await;
    assert_eq!(merge.status.code(), Some(0), "{}", stderr(&merge));
    assert_eq!(
        queries(&server).await.last().cloned().unwrap_or_default(),
        "q[][pacticipant]=web&q[][version]=2&latestby=cvp&latest=true&mainBranch=true"
    );
}

#[tokio::test]
async fn unknown_is_asked_again_then_exits_1_with_the_explanation_first() {
    let server = broker_answering(answer(Value::Null)).await;
    let output = treaty(&[
        "can-i-deploy",
        "--broker-base-url",
        &server.uri(),
        "--pacticipant",
        "web",
        "--version",
        "1",
        "--to-environment",
        "production",
        "--retry-while-unknown",
        "2",
        "--retry-interval",
        "0",
    ])
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(queries(&server).await.len(), 3, "one ask and two retries");
    let text = stdout(&output);
    let explanation = text
        .find("orders has no version recorded in")
        .unwrap_or(usize::MAX);
    assert!(explanation < text.find("CONSUMER").unwrap_or(0), "{text}");
    assert!(
        !text.contains("There is no verified pact"),
        "Treaty's explanation replaces the broker's texts: {text}"
    );
    assert!(
        stderr(&output).contains("web 1 cannot be deployed to production: the answer is unknown"),
        "{}",
        stderr(&output)
    );
    let dry = treaty(&[
        "can-i-deploy",
        "-b",
        &server.uri(),
        "-a",
        "web",
        "-e",
        "1",
        "--to-environment",
        "production",
        "--dry-run",
    ])
    .await;
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
}

#[tokio::test]
async fn another_brokers_notices_are_the_explanation_and_json_is_the_body() {
    let mut body = answer(json!(false));
    body["notices"] = json!([{ "type": "error", "text": "The verification for the pact between version 1 of web and the version of orders currently in production (4) failed" }]);
    let server = broker_answering(body.clone()).await;
    let output = treaty(&[
        "can-i-deploy",
        "-b",
        &server.uri(),
        "-a",
        "web",
        "-e",
        "1",
        "--to-environment",
        "production",
    ])
    .await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("The verification for the pact between version 1 of web"),
        "{}",
        stdout(&output)
    );
    let json_output = treaty(&[
        "can-i-deploy",
        "-b",
        &server.uri(),
        "-a",
        "web",
        "-e",
        "1",
        "--to-environment",
        "production",
        "-o",
        "json",
    ])
    .await;
    let printed: Value = serde_json::from_str(stdout(&json_output).trim()).unwrap();
    assert_eq!(printed, body);
}

#[tokio::test]
async fn a_question_the_broker_cannot_answer_exits_2_saying_why() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({ "errors": { "q[0][pacticipant]": ["Pacticipant nobody not found"] } }),
        ))
        .mount(&server)
        .await;
    let output = treaty(&[
        "can-i-deploy",
        "-b",
        &server.uri(),
        "-a",
        "nobody",
        "-e",
        "1",
        "--to-environment",
        "production",
    ])
    .await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("Pacticipant nobody not found"),
        "{}",
        stderr(&output)
    );
    let usage = treaty(&[
        "can-i-deploy",
        "-b",
        &server.uri(),
        "--version",
        "1",
        "-a",
        "web",
        "--to-environment",
        "production",
    ])
    .await;
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        stderr(&usage).contains("--version must come after the --pacticipant it belongs to"),
        "{}",
        stderr(&usage)
    );
    let no_version = treaty(&[
        "can-i-deploy",
        "-b",
        &server.uri(),
        "-a",
        "web",
        "--to-environment",
        "production",
    ])
    .await;
    assert_eq!(no_version.status.code(), Some(2));
    assert!(
        stderr(&no_version).contains("no version given for web"),
        "{}",
        stderr(&no_version)
    );
}
