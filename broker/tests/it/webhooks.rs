//! Webhooks through the API and the delivery bookkeeping underneath: creating, reading (secrets
//! redacted), replacing and deleting; every refused field; targets refused at creation;
//! deliveries queued by publications and verification results; claims that exclude each other
//! and expire; the retry schedule; and the overdue-verification watchdog.
//!
//! These tests run without a delivery worker (`concurrency: 0`) where they claim deliveries
//! themselves; sending to a real receiver is covered end to end in `tests/e2e/webhooks.rs`.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use treaty_broker::config::WebhookConfig;
use treaty_broker::domain::webhooks::deliveries::{self, AttemptResult, Next};
use treaty_broker::domain::webhooks::schedule::RetryPolicy;
use treaty_broker::domain::webhooks::target::TargetPolicy;

use crate::dbtest;
use crate::support::fixtures::{PublishBody, pact};
use crate::support::{Backend, TestApp};

/// Webhooks allowed to call loopback over http, and no worker in the process.
fn manual_delivery() -> WebhookConfig {
    WebhookConfig {
        policy: Arc::new(
            TargetPolicy::new(&["127.0.0.1".to_owned()], &["http".to_owned()]).expect("policy"),
        ),
        concurrency: 0,
        overdue_after: Duration::from_millis(1),
        ..WebhookConfig::default()
    }
}

async fn app_without_worker(backend: Backend) -> TestApp {
    TestApp::builder(backend)
        .webhooks(manual_delivery())
        .start()
        .await
}

fn hook(events: &[&str], url: &str) -> Value {
    json!({
        "description": "a webhook",
        "events": events.iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
        "request": {
            "method": "POST",
            "url": url,
            "headers": { "Authorization": "Bearer s3cret-token", "X-Plain": "visible" },
            "body": { "pact": "${pactbroker.pactUrl}", "consumer": "${pactbroker.consumerName}" },
            "username": "ci",
            "password": "hunter2",
        },
    })
}

async fn publish(
    app: &TestApp,
    consumer: &str,
    version: &str,
    provider: &str,
    interactions: &[&str],
) {
    let body = PublishBody::new(
        consumer,
        version,
        provider,
        &pact(consumer, provider, interactions),
    )
    .branch("main")
    .tags(&["dev"])
    .build();
    let reply = app.publish(&body).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

dbtest!(
    async fn webhooks_are_created_read_listed_replaced_and_deleted(backend) {
        let app = TestApp::start(backend).await;
        let created = app
            .post("/webhooks", &hook(&["contract_published"], "https://ci.example.com/build"))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let uuid = created.body["uuid"].as_str().expect("uuid").to_owned();
        assert_eq!(created.location.as_deref(), Some(app.url(&format!("/webhooks/{uuid}")).as_str()));

        let read = app.get(&format!("/webhooks/{uuid}")).await;
        assert_eq!(read.status, 200);
        let text = read.body.to_string();
        assert!(!text.contains("s3cret-token") && !text.contains("hunter2"), "{text}");
        assert_eq!(read.body["request"]["headers"]["Authorization"], "**********");
        assert_eq!(read.body["request"]["headers"]["X-Plain"], "visible");
        assert_eq!(read.body["request"]["password"], "**********");
        assert_eq!(read.body["events"], json!([{ "name": "contract_published" }]));
        assert!(read.body["_links"]["pb:execute"]["href"].as_str().is_some_and(|href| href.ends_with("/execute")));

        let listed = app.get("/webhooks").await;
        assert_eq!(listed.body["_links"]["pb:webhooks"].as_array().map(Vec::len), Some(1));
        assert_eq!(listed.body["_embedded"]["webhooks"][0]["uuid"], json!(uuid));
        assert!(!listed.body.to_string().contains("hunter2"));

        let fixed = "696c5f93-1b7f-44bc-8d03-59440fcaa9a0";
        let put = app
            .put(&format!("/webhooks/{fixed}"), &hook(&["contract_content_changed"], "https://ci.example.com/a"))
            .await;
        assert_eq!(put.status, 201, "{}", put.body);
        let mut changed = hook(&["provider_verification_failed"], "https://ci.example.com/b");
        changed["description"] = json!("changed");
        let put_again = app.put(&format!("/webhooks/{fixed}"), &changed).await;
        assert_eq!(put_again.status, 200, "{}", put_again.body);
        assert_eq!(put_again.body["description"], "changed");
        assert_eq!(put_again.body["events"], json!([{ "name": "provider_verification_failed" }]));

        assert_eq!(app.delete(&format!("/webhooks/{uuid}")).await.status, 204);
        assert_eq!(app.get(&format!("/webhooks/{uuid}")).await.status, 404);
        assert_eq!(app.delete(&format!("/webhooks/{uuid}")).await.status, 404);
        assert_eq!(app.get("/webhooks").await.body["_embedded"]["webhooks"].as_array().map(Vec::len), Some(1));
    }
);

dbtest!(
    async fn invalid_webhooks_are_refused_naming_the_field(backend) {
        let app = TestApp::start(backend).await;
        let base = hook(&["contract_published"], "https://ci.example.com/build");
        let with = |pointer: &str, value: Value| {
            let mut body = base.clone();
            *body.pointer_mut(pointer).expect("pointer") = value;
            body
        };
        let cases = [
            (with("/request/method", Value::Null), "request.method"),
            (with("/request/method", json!("FETCH")), "request.method"),
            (with("/request/url", Value::Null), "request.url"),
            (with("/request/url", json!("not a url")), "request.url"),
            (with("/request/url", json!("https://ci.example.com/${pactbroker.typo}")), "request.url"),
            (with("/request/url", json!("https://user:pw@ci.example.com/")), "request.url"),
            (with("/request/url", json!("ftp://ci.example.com/")), "request.url"),
            // A variable in the host would let whoever names a pacticipant choose the target.
            (with("/request/url", json!("https://${pactbroker.consumerName}/hook")), "request.url"),
            (with("/request/url", json!("https://ci.example.com${pactbroker.consumerName}/")), "request.url"),
            (with("/events", json!([])), "events"),
            (with("/events", json!([{ "name": "contract_deleted" }])), "events[0].name"),
            (with("/events", json!("contract_published")), "events"),
            (with("/request/headers", json!({ "Bad Name": "x" })), "request.headers.Bad Name"),
            (with("/request/headers", json!({ "X-A": 1 })), "request.headers.X-A"),
            (with("/request/body", json!({ "a": "${pactbroker.nope}" })), "request.body"),
            (with("/description", json!(5)), "description"),
            (json!({ "events": [{ "name": "contract_published" }] }), "request"),
            (
                {
                    let mut body = base.clone();
                    body["consumer"] = json!({ "name": "A", "label": "b" });
                    body
                },
                "consumer",
            ),
            (
                {
                    let mut body = base.clone();
                    body["consumer"] = json!({ "name": "Condor" });
                    body
                },
                "consumer.name",
            ),
            (
                {
                    let mut body = base.clone();
                    body["enabled"] = json!("yes");
                    body
                },
                "enabled",
            ),
        ];
        for (body, field) in cases {
            let reply = app.post("/webhooks", &body).await;
            assert_eq!(reply.status, 400, "{field}: {}", reply.body);
            assert!(
                reply.body["errors"][field].as_array().is_some_and(|messages| !messages.is_empty()),
                "{field}: {}",
                reply.body
            );
        }
        let bad_uuid = app.put("/webhooks/not%20a%20uuid", &base).await;
        assert_eq!(bad_uuid.status, 400, "{}", bad_uuid.body);
        assert_eq!(app.get("/webhooks").await.body["_embedded"]["webhooks"], json!([]));
    }
);

dbtest!(
    async fn the_pacticipant_route_needs_both_pacticipants(backend) {
        let app = TestApp::start(backend).await;
        let path = "/webhooks/provider/Pricing%20Service/consumer/Condor";
        let body = hook(&["contract_content_changed"], "https://webhook");
        assert_eq!(app.post(path, &body).await.status, 404);
        for name in ["Pricing Service", "Condor"] {
            assert_eq!(app.post("/pacticipants", &json!({ "name": name })).await.status, 201);
        }
        let created = app.post(path, &body).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["consumer"], json!({ "name": "Condor" }));
        assert_eq!(created.body["provider"], json!({ "name": "Pricing Service" }));
        let listed = app.get(path).await;
        assert_eq!(listed.body["_embedded"]["webhooks"].as_array().map(Vec::len), Some(1));
        let global = app.post("/webhooks", &body).await;
        assert_eq!(global.status, 201);
        assert_eq!(app.get(path).await.body["_embedded"]["webhooks"].as_array().map(Vec::len), Some(1));
    }
);

dbtest!(
    async fn targets_the_default_policy_refuses_are_refused_at_creation(backend) {
        let app = TestApp::start(backend).await;
        for (url, says) in [
            ("http://ci.example.com/", "scheme `http`"),
            ("https://127.0.0.1/", "127.0.0.1"),
            ("https://[::1]:8443/", "::1"),
            ("https://10.1.2.3/", "10.1.2.3"),
            ("https://169.254.169.254/latest/meta-data", "169.254.169.254"),
            ("https://localhost:9/", "localhost"),
        ] {
            let reply = app.post("/webhooks", &hook(&["contract_published"], url)).await;
            assert_eq!(reply.status, 400, "{url}: {}", reply.body);
            let message = reply.body["errors"]["request.url"][0].as_str().unwrap_or_default();
            assert!(message.contains(says), "{url}: {message}");
        }
        // A name that does not resolve here may resolve where the broker delivers: accepted
        // now, checked again at delivery (the Pact Broker client's contracts use it).
        let unresolvable = app.post("/webhooks", &hook(&["contract_published"], "https://webhook")).await;
        assert_eq!(unresolvable.status, 201, "{}", unresolvable.body);
    }
);

dbtest!(
    async fn publications_and_results_queue_deliveries_with_their_variables(backend) {
        let app = app_without_worker(backend).await;
        let created = app
            .post(
                "/webhooks",
                &hook(
                    &[
                        "contract_published",
                        "contract_content_changed",
                        "provider_verification_published",
                        "provider_verification_succeeded",
                        "provider_verification_failed",
                    ],
                    "http://127.0.0.1:9/${pactbroker.eventName}",
                ),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let mut other = hook(&["contract_published"], "http://127.0.0.1:9/other");
        other["consumer"] = json!({ "name": "Someone" });
        app.post("/pacticipants", &json!({ "name": "Someone" })).await;
        assert_eq!(app.post("/webhooks", &other).await.status, 201);

        publish(&app, "Foo", "1.0.0", "Bar", &["a"]).await;
        let claimed = deliveries::claim_due(&app.db, 50, Duration::from_secs(60)).await.expect("claim");
        let mut events: Vec<&str> = claimed.iter().map(|delivery| delivery.event.as_str()).collect();
        events.sort_unstable();
        assert_eq!(events, ["contract_content_changed", "contract_published"]);
        let variables = &claimed[0].variables;
        assert_eq!(variables.get("pactbroker.consumerName"), Some("Foo"));
        assert_eq!(variables.get("pactbroker.providerName"), Some("Bar"));
        assert_eq!(variables.get("pactbroker.consumerVersionNumber"), Some("1.0.0"));
        assert_eq!(variables.get("pactbroker.consumerVersionBranch"), Some("main"));
        assert_eq!(variables.get("pactbroker.consumerVersionTags"), Some("dev"));
        assert_eq!(variables.get("pactbroker.githubVerificationStatus"), Some("pending"));
        let pact_url = variables.get("pactbroker.pactUrl").expect("pactUrl").to_owned();
        assert!(pact_url.starts_with(&app.base), "{pact_url}");
        assert_eq!(app.client.get(&pact_url).send().await.expect("GET").status(), 200);
        let rendered = claimed[0].webhook.request.render(&claimed[0].variables);
        assert_eq!(rendered.url, format!("http://127.0.0.1:9/{}", claimed[0].event));
        let body: Value = serde_json::from_str(rendered.body.as_deref().unwrap_or("")).expect("JSON body");
        assert_eq!(body, json!({ "pact": pact_url, "consumer": "Foo" }));

        // The same content again: published, not changed.
        publish(&app, "Foo", "1.0.1", "Bar", &["a"]).await;
        let again = deliveries::claim_due(&app.db, 50, Duration::from_secs(60)).await.expect("claim");
        assert_eq!(again.iter().map(|d| d.event.as_str()).collect::<Vec<_>>(), ["contract_published"]);

        // A failed verification result.
        let sha = pact_url.rsplit('/').next().expect("sha").to_owned();
        let result = app
            .post(
                &format!("/pacts/provider/Bar/consumer/Foo/pact-version/{sha}/verification-results"),
                &json!({ "success": false, "providerApplicationVersion": "9.9.9", "buildUrl": "https://ci/9" }),
            )
            .await;
        assert_eq!(result.status, 201, "{}", result.body);
        let verified = deliveries::claim_due(&app.db, 50, Duration::from_secs(60)).await.expect("claim");
        let mut events: Vec<&str> = verified.iter().map(|d| d.event.as_str()).collect();
        events.sort_unstable();
        assert_eq!(events, ["provider_verification_failed", "provider_verification_published"]);
        let variables = &verified[0].variables;
        assert_eq!(variables.get("pactbroker.providerVersionNumber"), Some("9.9.9"));
        assert_eq!(variables.get("pactbroker.consumerVersionNumber"), Some("1.0.1"));
        assert_eq!(variables.get("pactbroker.githubVerificationStatus"), Some("failure"));
        assert_eq!(variables.get("pactbroker.buildUrl"), Some("https://ci/9"));
        let result_url = variables.get("pactbroker.verificationResultUrl").expect("url");
        assert_eq!(app.client.get(result_url).send().await.expect("GET").status(), 200);
    }
);

dbtest!(
    async fn claims_exclude_each_other_and_expire(backend) {
        let app = app_without_worker(backend).await;
        let created = app.post("/webhooks", &hook(&["contract_published"], "http://127.0.0.1:9/")).await;
        let uuid = created.body["uuid"].as_str().expect("uuid").to_owned();
        for n in 0..10 {
            publish(&app, "Foo", &format!("1.0.{n}"), "Bar", &["a"]).await;
        }
        let (left, right) = tokio::join!(
            deliveries::claim_due(&app.db, 10, Duration::from_secs(60)),
            deliveries::claim_due(&app.db, 10, Duration::from_secs(60)),
        );
        let (left, right) = (left.expect("claim"), right.expect("claim"));
        let left_ids: HashSet<i64> = left.iter().map(|d| d.id).collect();
        let right_ids: HashSet<i64> = right.iter().map(|d| d.id).collect();
        assert!(left_ids.is_disjoint(&right_ids), "{left_ids:?} {right_ids:?}");
        assert_eq!(left_ids.len() + right_ids.len(), 10);
        let listed = app.get(&format!("/webhooks/{uuid}/deliveries")).await;
        assert!(listed.body["deliveries"].as_array().expect("deliveries").iter().all(|d| d["status"] == "delivering"), "{}", listed.body);
        assert!(deliveries::claim_due(&app.db, 10, Duration::from_secs(60)).await.expect("claim").is_empty());

        // A lease that ran out: another worker takes the delivery, and the first worker's late
        // result does not move it on.
        publish(&app, "Foo", "2.0.0", "Bar", &["a"]).await;
        let first = deliveries::claim_due(&app.db, 1, Duration::ZERO).await.expect("claim");
        assert_eq!(first.len(), 1);
        tokio::time::sleep(Duration::from_millis(5)).await;
        let second = deliveries::claim_due(&app.db, 1, Duration::from_secs(60)).await.expect("claim");
        assert_eq!(second.iter().map(|d| d.id).collect::<Vec<_>>(), vec![first[0].id]);
        let ok = attempt(Some(200), None, true);
        assert_eq!(
            deliveries::record_attempt(&app.db, &first[0], ok.clone(), RetryPolicy::default(), 0.5).await.expect("record"),
            Next::Delivered
        );
        let listed = app.get(&format!("/webhooks/{uuid}/deliveries")).await;
        let entry = listed.body["deliveries"].as_array().expect("list").iter().find(|d| d["id"] == json!(first[0].id)).cloned().expect("entry");
        assert_eq!(entry["status"], "delivering", "{entry}");
        assert_eq!(entry["attempts"].as_array().map(Vec::len), Some(1));
        deliveries::record_attempt(&app.db, &second[0], ok, RetryPolicy::default(), 0.5).await.expect("record");
        let listed = app.get(&format!("/webhooks/{uuid}/deliveries")).await;
        let entry = listed.body["deliveries"].as_array().expect("list").iter().find(|d| d["id"] == json!(first[0].id)).cloned().expect("entry");
        assert_eq!(entry["status"], "delivered", "{entry}");
    }
);

fn attempt(status: Option<u16>, error: Option<&str>, retryable: bool) -> AttemptResult {
    AttemptResult {
        started_at: chrono::Utc::now(),
        duration: Duration::from_millis(3),
        status,
        excerpt: Some("body".to_owned()),
        error: error.map(str::to_owned),
        retryable,
    }
}

dbtest!(
    async fn attempts_follow_the_retry_schedule(backend) {
        let app = app_without_worker(backend).await;
        let created = app.post("/webhooks", &hook(&["contract_published"], "http://127.0.0.1:9/")).await;
        let uuid = created.body["uuid"].as_str().expect("uuid").to_owned();
        let retry = RetryPolicy::new(Duration::from_millis(50), 4, Duration::from_secs(60), 3).expect("policy");
        publish(&app, "Foo", "1.0.0", "Bar", &["a"]).await;
        let failing = attempt(Some(500), Some("the receiver answered 500"), true);
        let mut delays = Vec::new();
        loop {
            let claimed = loop {
                let claimed = deliveries::claim_due(&app.db, 1, Duration::from_secs(60)).await.expect("claim");
                if !claimed.is_empty() {
                    break claimed;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            };
            match deliveries::record_attempt(&app.db, &claimed[0], failing.clone(), retry, 0.5).await.expect("record") {
                Next::RetryIn(delay) => delays.push(delay),
                Next::GaveUp => break,
                Next::Delivered => panic!("a 500 is not delivered"),
            }
        }
        assert_eq!(delays, [Duration::from_millis(50), Duration::from_millis(200)]);
        let listed = app.get(&format!("/webhooks/{uuid}/deliveries")).await;
        let delivery = &listed.body["deliveries"][0];
        assert_eq!(delivery["status"], "failed", "{delivery}");
        let statuses: Vec<&Value> = delivery["attempts"].as_array().expect("attempts").iter().map(|a| &a["responseStatus"]).collect();
        assert_eq!(statuses, [&json!(500), &json!(500), &json!(500)]);

        // A target the policy refuses is not retried.
        publish(&app, "Foo", "1.0.1", "Bar", &["b"]).await;
        let claimed = deliveries::claim_due(&app.db, 1, Duration::from_secs(60)).await.expect("claim");
        let refused = attempt(None, Some("`10.0.0.1` is a private address"), false);
        assert_eq!(deliveries::record_attempt(&app.db, &claimed[0], refused, retry, 0.5).await.expect("record"), Next::GaveUp);
    }
);

dbtest!(
    async fn a_missing_verification_is_reported_overdue_until_it_arrives(backend) {
        let app = app_without_worker(backend).await;
        assert_eq!(app.post("/pacticipants", &json!({ "name": "Bar", "mainBranch": "main" })).await.status, 201);
        let on_main = app.put("/pacticipants/Bar/branches/main/versions/2.0.0", &json!({})).await;
        assert!(on_main.status == 201 || on_main.status == 200, "{}", on_main.body);
        app.post("/webhooks", &hook(&["contract_requiring_verification_published"], "http://127.0.0.1:9/")).await;
        publish(&app, "Foo", "1.0.0", "Bar", &["a"]).await;

        let claimed = deliveries::claim_due(&app.db, 10, Duration::from_secs(60)).await.expect("claim");
        assert_eq!(claimed.len(), 1, "one provider version must verify");
        assert_eq!(claimed[0].variables.get("pactbroker.providerVersionNumber"), Some("2.0.0"));
        assert_eq!(claimed[0].variables.get("pactbroker.providerVersionBranch"), Some("main"));
        assert_eq!(claimed[0].variables.get("pactbroker.providerVersionDescriptions"), Some("latest from main branch"));

        tokio::time::sleep(Duration::from_millis(10)).await;
        let overdue = app.get("/verifications/overdue").await;
        assert_eq!(overdue.status, 200, "{}", overdue.body);
        let entries = overdue.body["overdue"].as_array().expect("overdue");
        assert_eq!(entries.len(), 1, "{}", overdue.body);
        assert_eq!(entries[0]["consumer"], "Foo");
        assert_eq!(entries[0]["consumerVersion"], "1.0.0");
        assert_eq!(entries[0]["provider"], "Bar");
        assert_eq!(entries[0]["providerVersion"], "2.0.0");
        assert_eq!(entries[0]["reasons"], json!(["latest from main branch"]));
        let metrics = app.client.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
        assert!(metrics.contains("treaty_verifications_overdue 1"), "{metrics}");

        let sha = entries[0]["pactVersion"].as_str().expect("sha");
        let result = app
            .post(
                &format!("/pacts/provider/Bar/consumer/Foo/pact-version/{sha}/verification-results"),
                &json!({ "success": true, "providerApplicationVersion": "2.0.0" }),
            )
            .await;
        assert_eq!(result.status, 201, "{}", result.body);
        assert_eq!(app.get("/verifications/overdue").await.body["overdue"], json!([]));

        // Publishing content that version already verified requires nothing.
        publish(&app, "Foo", "1.0.1", "Bar", &["a"]).await;
        assert!(deliveries::claim_due(&app.db, 10, Duration::from_secs(60)).await.expect("claim").is_empty());
        assert_eq!(app.get("/verifications/overdue?limit=0").await.status, 400);

        // A requirement of a main-branch head the branch has since moved past no longer counts.
        publish(&app, "Foo", "1.0.2", "Bar", &["c"]).await;
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(app.get("/verifications/overdue").await.body["overdue"].as_array().map(Vec::len), Some(1));
        let moved = app.put("/pacticipants/Bar/branches/main/versions/3.0.0", &json!({})).await;
        assert!(moved.status == 201 || moved.status == 200, "{}", moved.body);
        assert_eq!(app.get("/verifications/overdue").await.body["overdue"], json!([]));
        let metrics = app.client.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
        assert!(metrics.contains("treaty_verifications_overdue 0"), "{metrics}");
    }
);

dbtest!(
    async fn a_webhook_saved_as_it_reads_keeps_its_secrets(backend) {
        let app = app_without_worker(backend).await;
        let created = app
            .post("/webhooks", &hook(&["contract_published"], "http://127.0.0.1:9/hook?token=abc123&x=1"))
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        let uuid = created.body["uuid"].as_str().expect("uuid").to_owned();
        let read = app.get(&format!("/webhooks/{uuid}")).await;
        assert!(!read.body.to_string().contains("abc123"), "{}", read.body);
        let mut again = json!({
            "description": "renamed",
            "events": read.body["events"],
            "request": read.body["request"],
        });
        again["request"]["headers"]["X-Plain"] = json!("changed");
        assert_eq!(app.put(&format!("/webhooks/{uuid}"), &again).await.status, 200);

        publish(&app, "Foo", "1.0.0", "Bar", &["a"]).await;
        let claimed = deliveries::claim_due(&app.db, 1, Duration::from_secs(60)).await.expect("claim");
        let sent = claimed[0].webhook.request.render(&claimed[0].variables);
        assert_eq!(sent.url, "http://127.0.0.1:9/hook?token=abc123&x=1");
        assert!(sent.headers.contains(&("Authorization".to_owned(), "Bearer s3cret-token".to_owned())), "{:?}", sent.headers);
        assert!(sent.headers.contains(&("X-Plain".to_owned(), "changed".to_owned())));
        assert_eq!(sent.basic_auth, Some(("ci".to_owned(), Some("hunter2".to_owned()))));
        assert_eq!(claimed[0].webhook.description.as_deref(), Some("renamed"));
    }
);

dbtest!(
    async fn labels_scope_webhooks(backend) {
        let app = app_without_worker(backend).await;
        for name in ["Foo", "Other", "Bar"] {
            assert_eq!(app.post("/pacticipants", &json!({ "name": name })).await.status, 201);
        }
        let added = app.put("/pacticipants/Foo/labels/team-a", &json!({})).await;
        assert_eq!(added.status, 201, "{}", added.body);
        assert_eq!(added.body["name"], "team-a");
        assert_eq!(app.put("/pacticipants/Foo/labels/team-a", &json!({})).await.status, 200);
        assert_eq!(app.get("/pacticipants/Foo/labels/team-a").await.status, 200);
        assert_eq!(app.get("/pacticipants/Other/labels/team-a").await.status, 404);
        assert_eq!(app.put("/pacticipants/Nobody/labels/team-a", &json!({})).await.status, 404);
        let labelled_one = app.get("/pacticipants/Foo").await;
        assert_eq!(labelled_one.body["_embedded"]["labels"][0]["name"], "team-a", "{}", labelled_one.body);
        let labelled = app.get("/pacticipants/label/team-a").await;
        assert_eq!(labelled.body["_embedded"]["pacticipants"].as_array().map(Vec::len), Some(1), "{}", labelled.body);

        let mut scoped = hook(&["contract_published"], "http://127.0.0.1:9/${pactbroker.consumerLabels}");
        scoped["consumer"] = json!({ "label": "team-a" });
        let created = app.post("/webhooks", &scoped).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["consumer"], json!({ "label": "team-a" }));

        publish(&app, "Other", "1.0.0", "Bar", &["a"]).await;
        assert!(deliveries::claim_due(&app.db, 10, Duration::from_secs(60)).await.expect("claim").is_empty());
        publish(&app, "Foo", "1.0.0", "Bar", &["a"]).await;
        let claimed = deliveries::claim_due(&app.db, 10, Duration::from_secs(60)).await.expect("claim");
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].variables.get("pactbroker.consumerLabels"), Some("team-a"));
        assert_eq!(claimed[0].webhook.request.render(&claimed[0].variables).url, "http://127.0.0.1:9/team-a");

        assert_eq!(app.delete("/pacticipants/Foo/labels/team-a").await.status, 204);
        assert_eq!(app.delete("/pacticipants/Foo/labels/team-a").await.status, 404);
        publish(&app, "Foo", "1.0.1", "Bar", &["b"]).await;
        assert!(deliveries::claim_due(&app.db, 10, Duration::from_secs(60)).await.expect("claim").is_empty());
    }
);
