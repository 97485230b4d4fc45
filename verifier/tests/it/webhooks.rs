//! The webhook commands against a fake broker (wiremock): the exact request each sends (method,
//! path, body) and how the answer becomes output and an exit code. What the broker does with a
//! webhook is tested against the real broker elsewhere.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{closed_port, stderr, stdout, treaty, treaty_with_env};

const UUID: &str = "0b9f8c1e-5d3a-4c2b-9e7f-1a2b3c4d5e6f";

fn hal(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("Content-Type", "application/hal+json;charset=utf-8")
        .set_body_json(body)
}

/// A webhook resource as the broker renders it.
fn resource(uuid: &str, body: &Value) -> Value {
    let mut resource = body.clone();
    resource["uuid"] = json!(uuid);
    resource["enabled"] = json!(true);
    resource["createdAt"] = json!("2024-05-01T10:00:00Z");
    resource["_links"] = json!({ "self": { "href": format!("/webhooks/{uuid}") } });
    resource
}

/// Every request the fake broker received, as (method, path, JSON body).
async fn requests(broker: &MockServer) -> Vec<(String, String, Value)> {
    broker
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|request| {
            (
                request.method.to_string(),
                request.url.path().to_owned(),
                serde_json::from_slice(&request.body).unwrap_or(Value::Null),
            )
        })
        .collect()
}

#[tokio::test]
async fn create_webhook_for_two_names_posts_to_their_route_without_them_in_the_body() {
    let broker = MockServer::start().await;
    let sent = json!({
        "description": "trigger the Pricing build",
        "events": [{ "name": "contract_content_changed" }, { "name": "contract_published" }],
        "request": {
            "method": "POST",
            "url": "https://ci.example/build?job=pricing",
            "headers": { "Content-Type": "application/json", "Authorization": "Bearer t0k" },
            "body": { "ref": "main", "pact": "${pactbroker.pactUrl}" }
        }
    });
    let mut answer = resource(UUID, &sent);
    answer["consumer"] = json!({ "name": "Condor App" });
    answer["provider"] = json!({ "name": "pricing/v2" });
    Mock::given(method("POST"))
        .and(path(
            "/webhooks/provider/pricing%2Fv2/consumer/Condor%20App",
        ))
        .and(header("content-type", "application/json"))
        .and(body_json(&sent))
        .respond_with(hal(201, answer))
        .expect(1)
        .mount(&broker)
        .await;

    let output = treaty(&[
        "create-webhook",
        "https://ci.example/build?job=pricing",
        "-H",
        "Content-Type: application/json",
        "-H",
        "Authorization: Bearer t0k",
        "-d",
        r#"{"ref": "main", "pact": "${pactbroker.pactUrl}"}"#,
        "--consumer",
        "Condor App",
        "--provider",
        "pricing/v2",
        "--description",
        "trigger the Pricing build",
        "--contract-published",
        "--contract-content-changed",
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!(
            "created webhook {UUID}: trigger the Pricing build: POST https://ci.example/build?job=pricing on contract_content_changed, contract_published (Condor App → pricing/v2)\n"
        )
    );
}

#[tokio::test]
async fn create_webhook_by_label_posts_to_the_collection_with_a_file_body_and_credentials() {
    let broker = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.txt");
    std::fs::write(&file, "build=1\n").unwrap();
    let sent = json!({
        "consumer": { "label": "mobile" },
        "provider": { "name": "Pricing" },
        "events": [{ "name": "provider_verification_failed" }],
        "request": {
            "method": "PUT",
            "url": "https://ci.example/hook",
            "body": "build=1\n",
            "username": "bot",
            "password": "p:w"
        }
    });
    Mock::given(method("POST"))
        .and(path("/webhooks"))
        .and(body_json(&sent))
        .respond_with(hal(201, resource("w-1", &sent)))
        .expect(1)
        .mount(&broker)
        .await;

    let data = format!("@{}", file.display());
    let output = treaty(&[
        "create-webhook",
        "https://ci.example/hook",
        "-X",
        "put",
        "-d",
        &data,
        "--user",
        "bot:p:w",
        "--consumer-label",
        "mobile",
        "--provider",
        "Pricing",
        "--provider-verification-failed",
        "--output",
        "json",
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed["uuid"], "w-1");
    assert!(
        !stderr(&output).contains("p:w"),
        "the password is not shown: {}",
        stderr(&output)
    );
}

#[tokio::test]
async fn create_webhook_with_a_uuid_puts_and_says_created_or_updated() {
    let broker = MockServer::start().await;
    let sent = json!({
        "consumer": { "name": "Condor" },
        "provider": { "name": "Pricing" },
        "events": [{ "name": "contract_requiring_verification_published" }],
        "request": { "method": "POST", "url": "https://ci.example/hook" }
    });
    Mock::given(method("PUT"))
        .and(path(format!("/webhooks/{UUID}")))
        .and(body_json(&sent))
        .respond_with(hal(201, resource(UUID, &sent)))
        .up_to_n_times(1)
        .expect(1)
        .mount(&broker)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("/webhooks/{UUID}")))
        .and(body_json(&sent))
        .respond_with(hal(200, resource(UUID, &sent)))
        .expect(1)
        .mount(&broker)
        .await;

    let args = [
        "create-webhook",
        "https://ci.example/hook",
        "--uuid",
        UUID,
        "--consumer",
        "Condor",
        "--provider",
        "Pricing",
        "--contract-requiring-verification-published",
        "-b",
        &broker.uri(),
    ];
    let first = treaty(&args).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(
        stdout(&first).starts_with(&format!("created webhook {UUID}: ")),
        "{}",
        stdout(&first)
    );
    let second = treaty(&args).await;
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stdout(&second).starts_with(&format!("updated webhook {UUID}: ")),
        "{}",
        stdout(&second)
    );
}

#[tokio::test]
async fn create_webhook_usage_errors_exit_2_and_send_nothing() {
    let broker = MockServer::start().await;
    let base = broker.uri();
    let cases: [(&[&str], &str); 4] = [
        (&["https://h"], "no event given"),
        (
            &["https://h", "--contract-published", "-H", "X-Token s3cret"],
            "-H/--header",
        ),
        (
            &["https://h", "--contract-published", "--user", "s3cret"],
            "--user",
        ),
        (
            &[
                "https://h",
                "--contract-published",
                "-d",
                "@/no/such/file.json",
            ],
            "/no/such/file.json",
        ),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["create-webhook"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-b", &base]);
        let output = treaty(&args).await;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("s3cret"), "{}", stderr(&output));
    }
    assert!(requests(&broker).await.is_empty());
}

#[tokio::test]
async fn create_webhook_refused_exits_1_and_unknown_pacticipants_exit_2() {
    let broker = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/webhooks"))
        .respond_with(hal(
            400,
            json!({ "errors": { "request.url": ["is not an allowed webhook host"] } }),
        ))
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .and(path("/webhooks/provider/Pricing/consumer/Nobody"))
        .respond_with(hal(404, json!({ "error": "no pacticipant named Nobody" })))
        .mount(&broker)
        .await;

    let refused = treaty(&[
        "create-webhook",
        "https://evil.example/",
        "--contract-published",
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("request.url: is not an allowed webhook host"),
        "{}",
        stderr(&refused)
    );

    let unknown = treaty(&[
        "create-webhook",
        "https://ci.example/",
        "--contract-published",
        "--consumer",
        "Nobody",
        "--provider",
        "Pricing",
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
    assert!(
        stderr(&unknown).contains("no pacticipant named Nobody"),
        "{}",
        stderr(&unknown)
    );
}

#[tokio::test]
async fn list_webhooks_prints_a_table_of_80_columns_or_the_json() {
    let broker = MockServer::start().await;
    let base = broker.uri();
    let one = resource(
        UUID,
        &json!({
            "description": "trigger the Pricing build whenever a Condor contract changes",
            "consumer": { "name": "Condor" },
            "provider": { "name": "Pricing" },
            "events": [{ "name": "contract_content_changed" }],
            "request": { "method": "POST", "url": "https://ci.example/hook", "password": "**********" }
        }),
    );
    let mut two = resource(
        "w-2",
        &json!({
            "description": "notify",
            "consumer": { "label": "mobile" },
            "events": [{ "name": "contract_published" }, { "name": "provider_verification_failed" }],
            "request": { "method": "POST", "url": "https://chat.example/" }
        }),
    );
    two["enabled"] = json!(false);
    let collection = json!({
        "_links": {
            "self": { "href": format!("{base}/webhooks") },
            "pb:create": { "href": format!("{base}/webhooks") },
            "pb:webhooks": [
                { "href": format!("{base}/webhooks/{UUID}"), "name": "trigger", "title": "t" },
                { "href": format!("{base}/webhooks/w-2"), "name": "notify", "title": "t" }
            ]
        },
        "_embedded": { "webhooks": [one, two] }
    });
    Mock::given(method("GET"))
        .and(path("/webhooks"))
        .respond_with(hal(200, collection.clone()))
        .mount(&broker)
        .await;

    let output = treaty(&["list-webhooks", "-b", &base]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for line in &lines {
        assert!(line.chars().count() <= 80, "{text}");
    }
    assert!(
        lines[0].starts_with("UUID") && lines[0].ends_with("ENABLED"),
        "{text}"
    );
    assert!(lines[1].starts_with(&format!("{UUID}  ")), "{text}");
    assert!(lines[1].ends_with("true"), "{text}");
    assert!(lines[2].starts_with("w-2"), "{text}");
    // With the uuid whole, the other columns share what is left of 80 and are cut with `…`.
    assert!(lines[2].contains("label:mob…"), "{text}");
    assert!(lines[2].ends_with("false"), "{text}");

    let json_output = treaty_with_env(
        &["list-webhooks", "-b", &base],
        &[("TREATY_OUTPUT", "json")],
    )
    .await;
    assert_eq!(
        json_output.status.code(),
        Some(0),
        "{}",
        stderr(&json_output)
    );
    let printed: Value = serde_json::from_str(&stdout(&json_output)).unwrap();
    assert_eq!(printed, collection);
}

#[tokio::test]
async fn list_webhooks_without_embedded_resources_lists_the_links() {
    let broker = MockServer::start().await;
    let base = broker.uri();
    Mock::given(method("GET"))
        .and(path("/webhooks"))
        .respond_with(hal(
            200,
            json!({ "_links": {
                "self": { "href": format!("{base}/webhooks") },
                "pb:webhooks": [
                    { "href": format!("{base}/webhooks/AbCdEf123"), "name": "notify CI", "title": "A webhook" }
                ]
            } }),
        ))
        .mount(&broker)
        .await;

    let output = treaty(&["list-webhooks", "-b", &base]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let row = text.lines().nth(1).unwrap_or_default();
    assert!(row.starts_with("AbCdEf123  notify CI"), "{text}");
}

#[tokio::test]
async fn list_webhooks_with_none_says_so_and_exits_0() {
    let broker = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/webhooks"))
        .respond_with(hal(
            200,
            json!({ "_links": { "pb:webhooks": [] }, "_embedded": { "webhooks": [] } }),
        ))
        .mount(&broker)
        .await;

    let output = treaty(&["list-webhooks", "-b", &broker.uri()]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "no webhooks\n");
}

fn execution(success: bool, status: u16, body: &str) -> Value {
    json!({
        "success": success,
        "request": { "method": "POST", "url": "https://ci.example/hook", "headers": {}, "body": { "ref": "main" } },
        "response": { "status": status, "headers": { "Content-Type": "text/plain" }, "body": body },
        "durationMs": 42,
        "logs": "…",
        "_links": {}
    })
}

#[tokio::test]
async fn test_webhook_posts_an_empty_object_and_exits_0_when_the_target_answered_2xx() {
    let broker = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/webhooks/{UUID}/execute")))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({})))
        .respond_with(hal(200, execution(true, 202, "queued build 7")))
        .expect(1)
        .mount(&broker)
        .await;

    let output = treaty(&["test-webhook", "--uuid", UUID, "-b", &broker.uri()]).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!(
            "webhook {UUID} succeeded: POST https://ci.example/hook → 202 in 42 ms\n  queued build 7\n"
        )
    );
}

#[tokio::test]
async fn test_webhook_exits_1_when_the_target_failed_and_runs_it_only_once() {
    let broker = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/webhooks/w-500/execute"))
        .respond_with(hal(502, execution(false, 500, "boom")))
        .expect(1)
        .mount(&broker)
        .await;
    let mut unreachable = execution(false, 0, "");
    unreachable.as_object_mut().unwrap().remove("response");
    unreachable["error"] = json!({ "message": "connection refused" });
    Mock::given(method("POST"))
        .and(path("/webhooks/w-down/execute"))
        .respond_with(hal(502, unreachable))
        .expect(1)
        .mount(&broker)
        .await;

    // The default --retries would repeat a 502; the execute must not be repeated.
    let failed = treaty(&["test-webhook", "--uuid", "w-500", "-b", &broker.uri()]).await;
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stdout(&failed).starts_with("webhook w-500 failed: POST https://ci.example/hook → 500"),
        "{}",
        stdout(&failed)
    );
    assert!(stdout(&failed).contains("  boom"), "{}", stdout(&failed));
    assert!(
        stderr(&failed).contains("the target answered 500"),
        "{}",
        stderr(&failed)
    );

    let down = treaty(&[
        "test-webhook",
        "--uuid",
        "w-down",
        "-o",
        "json",
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(down.status.code(), Some(1), "{}", stderr(&down));
    let printed: Value = serde_json::from_str(&stdout(&down)).unwrap();
    assert_eq!(printed["error"]["message"], "connection refused");
    assert!(
        stderr(&down).contains("could not be reached: connection refused"),
        "{}",
        stderr(&down)
    );
}

#[tokio::test]
async fn test_webhook_exits_2_when_the_broker_will_not_run_it() {
    let broker = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/webhooks/w-denied/execute"))
        .respond_with(hal(
            400,
            json!({ "errors": { "request.url": ["host internal.example is not allowed"] } }),
        ))
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .and(path("/webhooks/w-gone/execute"))
        .respond_with(hal(404, json!({ "error": "not found" })))
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .and(path("/webhooks/w-broken/execute"))
        .respond_with(hal(
            500,
            json!({ "error": { "message": "internal error", "reference": "r1" } }),
        ))
        .mount(&broker)
        .await;

    let denied = treaty(&["test-webhook", "--uuid", "w-denied", "-b", &broker.uri()]).await;
    assert_eq!(denied.status.code(), Some(2), "{}", stderr(&denied));
    assert!(
        stderr(&denied).contains("request.url: host internal.example is not allowed"),
        "{}",
        stderr(&denied)
    );

    let gone = treaty(&["test-webhook", "--uuid", "w-gone", "-b", &broker.uri()]).await;
    assert_eq!(gone.status.code(), Some(2), "{}", stderr(&gone));
    assert!(
        stderr(&gone).contains("no webhook with uuid `w-gone`"),
        "{}",
        stderr(&gone)
    );

    let broken = treaty(&[
        "test-webhook",
        "--uuid",
        "w-broken",
        "--retries",
        "1",
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(broken.status.code(), Some(2), "{}", stderr(&broken));

    let port = closed_port();
    let unreachable = treaty(&[
        "test-webhook",
        "--uuid",
        UUID,
        "--retries",
        "1",
        "-b",
        &format!("http://127.0.0.1:{port}"),
    ])
    .await;
    assert_eq!(
        unreachable.status.code(),
        Some(2),
        "{}",
        stderr(&unreachable)
    );
    assert!(
        stderr(&unreachable).contains("could not connect"),
        "{}",
        stderr(&unreachable)
    );
}

#[tokio::test]
async fn delete_webhook_deletes_and_an_unknown_uuid_exits_2() {
    let broker = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/webhooks/{UUID}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&broker)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/webhooks/a%20b"))
        .respond_with(hal(404, json!({ "error": "not found" })))
        .expect(1)
        .mount(&broker)
        .await;

    let output = treaty_with_env(
        &["delete-webhook", "-b", &broker.uri()],
        &[("TREATY_WEBHOOK_UUID", UUID)],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), format!("deleted webhook {UUID}\n"));

    let missing = treaty(&["delete-webhook", "--uuid", "a b", "-b", &broker.uri()]).await;
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(
        stderr(&missing)
            .contains("no webhook with uuid `a b`: list them with `treaty list-webhooks`"),
        "{}",
        stderr(&missing)
    );
    let methods: Vec<String> = requests(&broker)
        .await
        .into_iter()
        .map(|(method, path, _)| format!("{method} {path}"))
        .collect();
    assert_eq!(
        methods,
        vec![
            format!("DELETE /webhooks/{UUID}"),
            "DELETE /webhooks/a%20b".to_owned()
        ]
    );
}

#[tokio::test]
async fn list_webhook_deliveries_prints_each_delivery_and_its_last_result() {
    let broker = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/webhooks/{UUID}/deliveries")))
        .respond_with(hal(
            200,
            json!({ "deliveries": [
                { "id": 12, "event": "contract_published", "status": "delivered", "attemptCount": 2,
                  "createdAt": "2024-05-01T10:00:00Z",
                  "attempts": [
                    { "number": 1, "startedAt": "t1", "durationMs": 10, "error": "connection refused" },
                    { "number": 2, "startedAt": "t2", "durationMs": 12, "responseStatus": 200, "responseExcerpt": "ok" }
                  ] }
            ] }),
        ))
        .mount(&broker)
        .await;
    Mock::given(method("GET"))
        .and(path("/webhooks/w-none/deliveries"))
        .respond_with(hal(200, json!({ "deliveries": [] })))
        .mount(&broker)
        .await;

    let output = treaty(&[
        "list-webhook-deliveries",
        "--uuid",
        UUID,
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        vec!["12", "published", "delivered", "2", "200"],
        "{text}"
    );

    let none = treaty(&[
        "list-webhook-deliveries",
        "--uuid",
        "w-none",
        "-b",
        &broker.uri(),
    ])
    .await;
    assert_eq!(none.status.code(), Some(0), "{}", stderr(&none));
    assert_eq!(stdout(&none), "no deliveries\n");
}
