//! `treaty verify` with provider states: setup and teardown calls in order with Pact's bodies,
//! and a failed setup failing its interaction with the reason.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::verify_support::{both, contract, interaction, stdout, verify, write_contract};

#[tokio::test]
async fn provider_states_are_set_up_and_torn_down_in_order_with_pact_bodies() {
    let provider = MockServer::start().await;
    Mock::given(path("/users/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .mount(&provider)
        .await;
    Mock::given(path("/users/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 2})))
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "users",
        vec![
            interaction(
                "user 1",
                &[
                    ("user exists", json!({"id": 1})),
                    ("user is admin", json!({})),
                ],
                "GET",
                "/users/1",
                200,
                json!({"id": 1}),
            ),
            interaction(
                "user 2",
                &[("user exists", json!({"id": 2}))],
                "GET",
                "/users/2",
                200,
                json!({"id": 2}),
            ),
        ],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
    let states_url = format!("{}/_states", provider.uri());

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--provider-states-setup-url",
        &states_url,
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let requests = provider.received_requests().await.unwrap();
    let calls: Vec<Value> = requests
        .iter()
        .map(|r| match r.method.as_str() {
            "POST" => serde_json::from_slice(&r.body).unwrap(),
            _ => json!(r.url.path()),
        })
        .collect();
    assert_eq!(
        calls,
        [
            json!({"state": "user exists", "params": {"id": 1}, "action": "setup"}),
            json!({"state": "user is admin", "params": {}, "action": "setup"}),
            json!("/users/1"),
            json!({"state": "user exists", "params": {"id": 1}, "action": "teardown"}),
            json!({"state": "user is admin", "params": {}, "action": "teardown"}),
            json!({"state": "user exists", "params": {"id": 2}, "action": "setup"}),
            json!("/users/2"),
            json!({"state": "user exists", "params": {"id": 2}, "action": "teardown"}),
        ]
    );
}

#[tokio::test]
async fn a_failed_state_setup_fails_the_interaction_with_the_reason() {
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .respond_with(ResponseTemplate::new(500).set_body_string("no such fixture"))
        .mount(&provider)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "users",
        vec![interaction(
            "user 1",
            &[("user exists", json!({}))],
            "GET",
            "/users/1",
            200,
            json!({}),
        )],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
    let states_url = format!("{}/_states", provider.uri());

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--state-change-url",
        &states_url,
    ])
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let text = stdout(&output);
    assert!(text.contains("ERROR"), "{text}");
    assert!(
        text.contains("provider state setup of \"user exists\" failed"),
        "{text}"
    );
    assert!(
        text.contains("500 Internal Server Error: no such fixture"),
        "{text}"
    );
    let requests = provider.received_requests().await.unwrap();
    assert!(
        requests.iter().all(|r| r.url.path() != "/users/1"),
        "the request was sent anyway"
    );
}
