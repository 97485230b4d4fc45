//! Helpers for the webhook tests: the broker flags that let webhooks call a receiver on
//! 127.0.0.1 with short retries, publishing contracts and verification results, creating
//! webhooks and reading (and waiting for) their deliveries.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::broker::Broker;
use super::{block_on, http_client};

/// Webhooks may call http://127.0.0.1; a failure is retried after 200 ms (then 800 ms,
/// 3.2 s, …); idle workers look every 50 ms; a call times out after 2 s.
pub(crate) const PERMISSIVE: [&str; 10] = [
    "--webhook-host-allow",
    "127.0.0.1",
    "--webhook-scheme-allow",
    "http",
    "--webhook-retry-delay-ms",
    "200",
    "--webhook-poll-ms",
    "50",
    "--webhook-timeout-ms",
    "2000",
];

/// How long a test waits for deliveries before it fails.
pub(crate) const DEADLINE: Duration = Duration::from_secs(20);

/// Sends `method url` with an optional JSON body: the status and the JSON body (`Null` when
/// there is none).
pub(crate) fn call(method: reqwest::Method, url: &str, body: Option<&Value>) -> (u16, Value) {
    block_on(async {
        let mut request = http_client()
            .request(method.clone(), url)
            .header("Accept", "application/hal+json, application/json");
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    })
}

/// Sends a request to the broker and asserts a 2xx: the JSON body.
pub(crate) fn ok(
    broker: &Broker,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> Value {
    let (status, answer) = call(method.clone(), &broker.at(path), body);
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {answer}\nbroker log:\n{}",
        broker.log()
    );
    answer
}

/// Creates a pacticipant (`POST /pacticipants`).
pub(crate) fn pacticipant(broker: &Broker, name: &str) {
    ok(
        broker,
        reqwest::Method::POST,
        "/pacticipants",
        Some(&json!({ "name": name })),
    );
}

/// A small V3 pact from `consumer` to `provider`; `variant` makes the content differ.
pub(crate) fn pact(consumer: &str, provider: &str, variant: &str) -> Value {
    json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": [{
            "description": format!("a request for order 42 ({variant})"),
            "request": { "method": "GET", "path": "/orders/42" },
            "response": { "status": 200, "body": { "id": 42 } },
        }],
        "metadata": { "pactSpecification": { "version": "3.0.0" } },
    })
}

/// One publication through `POST /contracts/publish`.
#[derive(Debug, Clone)]
pub(crate) struct Publication<'a> {
    /// The consumer.
    pub(crate) consumer: &'a str,
    /// Its version.
    pub(crate) version: &'a str,
    /// The branch.
    pub(crate) branch: Option<&'a str>,
    /// The tags.
    pub(crate) tags: &'a [&'a str],
    /// The build URL.
    pub(crate) build_url: Option<&'a str>,
}

impl<'a> Publication<'a> {
    /// `consumer` version `version`, on no branch, without tags or build URL.
    pub(crate) fn new(consumer: &'a str, version: &'a str) -> Self {
        Publication {
            consumer,
            version,
            branch: None,
            tags: &[],
            build_url: None,
        }
    }

    /// Publishes `contracts` (provider, pact): the broker's answer.
    pub(crate) fn publish(&self, broker: &Broker, contracts: &[(&str, Value)]) -> Value {
        let mut body = json!({
            "pacticipantName": self.consumer,
            "pacticipantVersionNumber": self.version,
            "tags": self.tags,
            "contracts": contracts.iter().map(|(provider, pact)| json!({
                "consumerName": self.consumer,
                "providerName": provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": STANDARD.encode(serde_json::to_vec(pact).unwrap()),
            })).collect::<Vec<_>>(),
        });
        if let Some(branch) = self.branch {
            body["branch"] = json!(branch);
        }
        if let Some(build_url) = self.build_url {
            body["buildUrl"] = json!(build_url);
        }
        ok(
            broker,
            reqwest::Method::POST,
            "/contracts/publish",
            Some(&body),
        )
    }
}

/// Publishes a verification result for the pact `consumer` version `version` has with
/// `provider`: the result the broker stored.
pub(crate) fn verify(
    broker: &Broker,
    (provider, consumer, version): (&str, &str, &str),
    provider_version: &str,
    success: bool,
) -> Value {
    let pact = ok(
        broker,
        reqwest::Method::GET,
        &format!("/pacts/provider/{provider}/consumer/{consumer}/version/{version}"),
        None,
    );
    let href = pact["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap_or_else(|| panic!("no pb:publish-verification-results in {pact}"))
        .to_owned();
    let (status, result) = call(
        reqwest::Method::POST,
        &href,
        Some(&json!({
            "success": success,
            "providerApplicationVersion": provider_version,
            "buildUrl": "https://ci.example.com/provider/7",
        })),
    );
    assert!(
        (200..300).contains(&status),
        "verification result: {status} {result}"
    );
    result
}

/// Creates a webhook with `POST /webhooks`: its uuid.
pub(crate) fn create(broker: &Broker, webhook: &Value) -> String {
    let created = ok(broker, reqwest::Method::POST, "/webhooks", Some(webhook));
    created["uuid"]
        .as_str()
        .unwrap_or_else(|| panic!("no uuid in {created}"))
        .to_owned()
}

/// The deliveries of webhook `uuid`, newest first as the broker lists them.
pub(crate) fn deliveries(broker: &Broker, uuid: &str) -> Vec<Value> {
    let listing = ok(
        broker,
        reqwest::Method::GET,
        &format!("/webhooks/{uuid}/deliveries"),
        None,
    );
    listing["deliveries"]
        .as_array()
        .unwrap_or_else(|| panic!("no deliveries array in {listing}"))
        .clone()
}

/// Waits (at most `timeout`) until every delivery of `uuid` has left `pending` and
/// `delivering`, and there are `count` of them; fails with the listing and the broker's log.
pub(crate) fn wait_settled(
    broker: &Broker,
    uuid: &str,
    count: usize,
    timeout: Duration,
) -> Vec<Value> {
    let deadline = Instant::now() + timeout;
    loop {
        let found = deliveries(broker, uuid);
        let settled = found.len() == count
            && found.iter().all(|delivery| {
                delivery["status"] == "delivered" || delivery["status"] == "failed"
            });
        if settled {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "webhook {uuid}: {count} deliveries not settled within {timeout:?}:\n{}\nbroker log:\n{}",
            serde_json::to_string_pretty(&found).unwrap_or_default(),
            broker.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
