//! A fake Pact broker for the `treaty verify` broker tests (wiremock): the index, the provider's
//! pacts for verification, each pact document with an `_id` per interaction and the links that
//! publishing follows, the provider resource, and the branch, tag and result endpoints. Also a
//! fake provider that serves order 42.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::verify_support::{contract, interaction};

/// One pact the fake broker selects for provider `orders`.
#[derive(Debug, Clone)]
pub(crate) struct FakePact {
    /// The consumer.
    pub consumer: &'static str,
    /// The consumer version.
    pub version: &'static str,
    /// The body the contract expects from `GET /orders/42`.
    pub expected_body: Value,
    /// `verificationProperties.pending`.
    pub pending: bool,
    /// `shortDescription`.
    pub reasons: &'static str,
}

impl FakePact {
    /// A pact the provider of [`provider`] satisfies.
    pub(crate) fn passing(consumer: &'static str, version: &'static str) -> Self {
        FakePact {
            consumer,
            version,
            expected_body: json!({ "id": 42 }),
            pending: false,
            reasons: "latest from branch main",
        }
    }

    /// A pact the provider of [`provider`] fails: it expects a `total` the provider lacks.
    pub(crate) fn failing(consumer: &'static str, version: &'static str, pending: bool) -> Self {
        FakePact {
            consumer,
            version,
            expected_body: json!({ "id": 42, "total": 12.5 }),
            pending,
            reasons: "latest from branch feat/new-total",
        }
    }

    /// The path of its pact document.
    pub(crate) fn document_path(&self) -> String {
        format!(
            "/pacts/provider/orders/consumer/{}/pact-version/sha-{}",
            self.consumer, self.consumer
        )
    }

    /// The path its results are posted to.
    pub(crate) fn results_path(&self) -> String {
        format!("{}/verification-results", self.document_path())
    }

    /// The `_id` the broker gave its one interaction.
    pub(crate) fn interaction_id(&self) -> String {
        format!("id-{}-order-42", self.consumer)
    }
}

/// A provider answering `GET /orders/42` with `{"id": 42}`.
pub(crate) async fn provider() -> MockServer {
    crate::verify_support::provider_answering("/orders/42", 200, json!({ "id": 42 })).await
}

/// Starts a fake broker serving `pacts` as the pacts for verification of `orders`.
pub(crate) async fn broker(pacts: &[FakePact]) -> MockServer {
    let server = MockServer::start().await;
    mount_index(&server).await;
    mount_pacts_for_verification(&server, pacts).await;
    for pact in pacts {
        mount_document(&server, pact).await;
    }
    mount_publishing(&server).await;
    server
}

/// `GET /` with the templated `pb:provider-pacts-for-verification`.
pub(crate) async fn mount_index(server: &MockServer) {
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "_links": {
            "self": { "href": base },
            "pb:provider-pacts-for-verification": {
                "href": format!("{base}/pacts/provider/{{provider}}/for-verification"),
                "templated": true
            }
        }})))
        .mount(server)
        .await;
}

/// `GET` and `POST /pacts/provider/orders/for-verification` (the `POST` answers `pacts`).
pub(crate) async fn mount_pacts_for_verification(server: &MockServer, pacts: &[FakePact]) {
    let base = server.uri();
    let resource = format!("{base}/pacts/provider/orders/for-verification");
    Mock::given(method("GET"))
        .and(path("/pacts/provider/orders/for-verification"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "_links": { "self": { "href": resource } } })),
        )
        .mount(server)
        .await;
    let entries: Vec<Value> = pacts
        .iter()
        .map(|pact| {
            let pending_notice = if pact.pending {
                "This pact is in pending state for this version of orders because a successful verification result for branch main has not yet been published."
            } else {
                "This pact has previously been successfully verified by a version of orders from branch main."
            };
            json!({
                "shortDescription": pact.reasons,
                "verificationProperties": {
                    "pending": pact.pending,
                    "notices": [
                        { "when": "before_verification", "text": format!("The pact at {} is being verified because the pact content belongs to the consumer version matching the following criterion: {}", pact.document_path(), pact.reasons) },
                        { "when": "before_verification", "text": pending_notice },
                        { "when": "after_verification:success_false_published_true", "text": format!("{} is still pending: its failure did not fail the build", pact.consumer) }
                    ]
                },
                "_links": { "self": {
                    "href": format!("{base}{}", pact.document_path()),
                    "name": format!("Pact between {} ({}) and orders", pact.consumer, pact.version)
                } }
            })
        })
        .collect();
    Mock::given(method("POST"))
        .and(path("/pacts/provider/orders/for-verification"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_embedded": { "pacts": entries },
            "_links": { "self": { "href": resource, "title": "Pacts to be verified" } }
        })))
        .mount(server)
        .await;
}

/// The broker's pact document of `pact`: the contract with `_id`s and `_links`.
pub(crate) fn document(base: &str, pact: &FakePact) -> Value {
    let mut document = contract(
        pact.consumer,
        "orders",
        vec![interaction(
            "order 42",
            &[],
            "GET",
            "/orders/42",
            200,
            pact.expected_body.clone(),
        )],
    );
    document["interactions"][0]["_id"] = json!(pact.interaction_id());
    document["_links"] = json!({
        "self": { "href": format!("{base}{}", pact.document_path()) },
        "pb:publish-verification-results": { "href": format!("{base}{}", pact.results_path()) },
        "pb:provider": { "href": format!("{base}/pacticipants/orders") },
        "pb:consumer-version": { "href": format!("{base}/pacticipants/{}/versions/{}", pact.consumer, pact.version), "name": pact.version }
    });
    document
}

/// `GET` of `pact`'s document.
pub(crate) async fn mount_document(server: &MockServer, pact: &FakePact) {
    Mock::given(method("GET"))
        .and(path(pact.document_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(document(&server.uri(), pact)))
        .mount(server)
        .await;
}

/// The provider resource with its templated links, and 200/201 for the branch and tag `PUT`s
/// and the results `POST`s.
pub(crate) async fn mount_publishing(server: &MockServer) {
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/pacticipants/orders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "name": "orders",
            "_links": {
                "pb:branch-version": { "href": format!("{base}/pacticipants/orders/branches/{{branch}}/versions/{{version}}"), "templated": true },
                "pb:version-tag": { "href": format!("{base}/pacticipants/orders/versions/{{version}}/tags/{{tag}}"), "templated": true }
            }
        })))
        .mount(server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path_regex("/verification-results$"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "success": true })))
        .mount(server)
        .await;
}

/// Every request the broker received, as `METHOD path`.
pub(crate) async fn requests(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|request| format!("{} {}", request.method, request.url.path()))
        .collect()
}

/// Every request the broker received.
pub(crate) async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The JSON bodies of the requests with `method` to `path`, in order.
pub(crate) async fn bodies(server: &MockServer, method: &str, path: &str) -> Vec<Value> {
    received(server)
        .await
        .iter()
        .filter(|request| request.method.as_str() == method && request.url.path() == path)
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect()
}
