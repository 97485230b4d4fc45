//! The index relations, `/health` and `/ready`.

use serde_json::Value;

use crate::dbtest;
use crate::support::TestApp;
use treaty_broker::http::public_url::PublicAddress;

dbtest!(
    async fn index_lists_the_relations_clients_discover(backend) {
        let app = TestApp::start(backend).await;
        let reply = app.get("/").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type, "application/hal+json;charset=utf-8");
        let links = &reply.body["_links"];
        for relation in ["pb:publish-contracts", "pb:latest-pact-versions", "pb:pacticipants", "pb:environments", "pb:webhooks"] {
            let href = links[relation]["href"].as_str().unwrap_or_default();
            assert!(href.starts_with(&app.base), "{relation} has an absolute href, found {href:?}");
        }
        for relation in [
            "pb:publish-pact",
            "pb:pacticipant",
            "pb:pacticipant-version",
            "pb:latest-version",
            "pb:latest-tagged-version",
            "pb:latest-provider-pacts",
            "pb:provider-pacts-for-verification",
            "pb:pacticipant-branch",
            "pb:environment",
            "pb:webhook",
        ] {
            assert_eq!(links[relation]["templated"], Value::Bool(true), "{relation} is templated");
            assert!(links[relation]["href"].as_str().unwrap_or_default().contains('{'), "{relation} is a template");
        }
        assert!(links["pb:publish-contracts"]["href"].as_str().unwrap_or_default().ends_with("/contracts/publish"));
    }
);

dbtest!(
    async fn health_and_ready_answer_while_the_database_does(backend) {
        let app = TestApp::start(backend).await;
        assert_eq!(app.get("/health").await.status, 200);
        let ready = app.get("/ready").await;
        assert_eq!(ready.status, 200);
        assert_eq!(ready.body["database"], "ok");
    }
);

dbtest!(
    async fn ready_is_503_when_the_database_does_not_answer(backend) {
        let app = TestApp::builder(backend).pool_size(2).start().await;
        // Hold every pooled connection: to the broker the database no longer answers.
        let db = app.db.clone();
        let held = tokio::task::spawn_blocking(move || (db.connection().expect("first"), db.connection().expect("second")))
            .await
            .expect("join");
        let ready = app.get("/ready").await;
        assert_eq!(ready.status, 503, "{:?}", ready.body);
        assert_eq!(app.get("/health").await.status, 200, "the process itself is still healthy");
        drop(held);
        assert_eq!(app.get("/ready").await.status, 200);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_outage_gives_503_and_the_broker_recovers() {
    use crate::support::chaos::{ChaosProxy, postgres_address};
    use crate::support::{Backend, postgres_url};
    let Some(url) = postgres_url() else {
        crate::support::skip_postgres(concat!(
            module_path!(),
            "::postgres_outage_gives_503_and_the_broker_recovers"
        ));
        return;
    };
    let proxy =
        ChaosProxy::start(postgres_address(&url).expect("a host in TREATY_TEST_DATABASE_URL"))
            .await;
    let app = TestApp::builder(Backend::Postgres)
        .database_address(proxy.address().to_string())
        .start()
        .await;
    assert_eq!(app.get("/ready").await.status, 200);

    proxy.cut();
    let ready = app.get("/ready").await;
    assert_eq!(ready.status, 503, "{}", ready.body);
    let api = app.get("/pacticipants").await;
    assert_eq!(
        api.status, 503,
        "an outage is a 503, never a 400 or 500: {}",
        api.body
    );
    assert_eq!(
        api.body["error"],
        "the database is unavailable: try again later"
    );
    assert_eq!(app.get("/health").await.status, 200);

    proxy.restore().await;
    assert_eq!(
        app.get("/ready").await.status,
        200,
        "the pool reconnects once the database is back"
    );
    assert_eq!(app.get("/pacticipants").await.status, 200);
}

/// The index's `pb:pacticipants` href, fetched with `headers`.
async fn pacticipants_href(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut request = app.client.get(app.url("/"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body: serde_json::Value = request
        .send()
        .await
        .expect("GET /")
        .json()
        .await
        .expect("json");
    body["_links"]["pb:pacticipants"]["href"]
        .as_str()
        .expect("href")
        .to_owned()
}

const FORWARDED: [(&str, &str); 4] = [
    ("X-Forwarded-Host", "broker.example.com"),
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Port", "443"),
    ("X-Forwarded-Prefix", "/pact"),
];

dbtest!(
    async fn links_follow_a_trusted_proxys_forwarded_headers_only(backend) {
        let app = TestApp::start(backend).await;
        assert_eq!(pacticipants_href(&app, &[]).await, app.url("/pacticipants"));
        assert_eq!(
            pacticipants_href(&app, &FORWARDED).await,
            "https://broker.example.com/pact/pacticipants",
            "a proxy on loopback is trusted by default"
        );
        let untrusting = TestApp::builder(backend)
            .public_address(PublicAddress {
                base_url: None,
                trusted_proxies: vec!["10.0.0.0/8".parse().expect("net")],
            })
            .start()
            .await;
        assert_eq!(
            pacticipants_href(&untrusting, &FORWARDED).await,
            untrusting.url("/pacticipants"),
            "forwarded headers from an untrusted peer are ignored"
        );
    }
);

dbtest!(
    async fn the_base_url_setting_roots_every_link(backend) {
        let app = TestApp::builder(backend)
            .public_address(PublicAddress {
                base_url: Some("https://contracts.example.com/broker".to_owned()),
                ..PublicAddress::default()
            })
            .start()
            .await;
        assert_eq!(
            pacticipants_href(&app, &FORWARDED).await,
            "https://contracts.example.com/broker/pacticipants"
        );
        let reply = app
            .client
            .get(app.url("/nowhere"))
            .header("Accept", "application/problem+json")
            .send()
            .await
            .expect("GET");
        let body: serde_json::Value = reply.json().await.expect("json");
        assert_eq!(body["type"], "https://contracts.example.com/broker/problems/not-found");
    }
);
