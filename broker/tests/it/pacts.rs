//! Pact resources: the old `PUT`/`GET`/`PATCH` routes, latest, latest by tag and by branch,
//! by pact-version sha, `/pacts/latest` and `/pacts/provider/P/latest`.

use serde_json::Value;

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

fn descriptions(body: &Value) -> Vec<String> {
    body["interactions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["description"].as_str().map(str::to_owned))
        .collect()
}

dbtest!(
    async fn the_old_put_creates_replays_and_refuses_changes(backend) {
        let app = TestApp::start(backend).await;
        let path = "/pacts/provider/Bar/consumer/Foo/version/2.0.0";
        let created = app.put(path, &pact("Foo", "Bar", &["one"])).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(app.put(path, &pact("Foo", "Bar", &["one"])).await.status, 200);
        let conflict = app.put(path, &pact("Foo", "Bar", &["two"])).await;
        assert_eq!(conflict.status, 409, "{}", conflict.body);
        let merged = app.patch(path, &pact("Foo", "Bar", &["two"])).await;
        assert_eq!(merged.status, 200, "{}", merged.body);
        assert_eq!(descriptions(&app.get(path).await.body), ["one", "two"]);
    }
);

dbtest!(
    async fn a_pact_document_carries_the_links_verifiers_need(backend) {
        let app = TestApp::start(backend).await;
        app.publish(&PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["one"])).build()).await;
        let reply = app.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type, "application/hal+json;charset=utf-8");
        let links = &reply.body["_links"];
        for relation in ["self", "pb:consumer", "pb:provider", "pb:consumer-version", "pb:pact-version", "pb:latest-pact-version", "pb:publish-verification-results"] {
            assert!(links[relation]["href"].as_str().is_some_and(|href| href.starts_with(&app.base)), "{relation}: {links}");
        }
        assert_eq!(links["pb:provider"]["name"], "Bar");
        let sha_href = links["pb:pact-version"]["href"].as_str().unwrap_or_default().to_owned();
        assert!(links["pb:publish-verification-results"]["href"].as_str().unwrap_or_default().ends_with("/verification-results"));
        assert!(reply.body["createdAt"].is_string());
        let by_sha = app.get(sha_href.trim_start_matches(&app.base)).await;
        assert_eq!(by_sha.status, 200);
        assert_eq!(descriptions(&by_sha.body), ["one"]);
    }
);

dbtest!(
    async fn latest_by_tag_and_by_branch_follow_creation_order(backend) {
        let app = TestApp::start(backend).await;
        app.publish(&PublishBody::new("Foo", "1", "Bar", &pact("Foo", "Bar", &["v1"])).branch("main").tags(&["prod"]).build()).await;
        app.publish(&PublishBody::new("Foo", "2", "Bar", &pact("Foo", "Bar", &["v2"])).branch("feat/x").tags(&["dev"]).build()).await;
        app.publish(&PublishBody::new("Foo", "3", "Bar", &pact("Foo", "Bar", &["v3"])).branch("main").build()).await;
        assert_eq!(descriptions(&app.get("/pacts/provider/Bar/consumer/Foo/latest").await.body), ["v3"]);
        assert_eq!(descriptions(&app.get("/pacts/provider/Bar/consumer/Foo/latest/prod").await.body), ["v1"]);
        assert_eq!(descriptions(&app.get("/pacts/provider/Bar/consumer/Foo/latest/dev").await.body), ["v2"]);
        assert_eq!(descriptions(&app.get("/pacts/provider/Bar/consumer/Foo/branch/main/latest").await.body), ["v3"]);
        assert_eq!(descriptions(&app.get("/pacts/provider/Bar/consumer/Foo/branch/feat%2Fx/latest").await.body), ["v2"]);
        assert_eq!(app.get("/pacts/provider/Bar/consumer/Foo/latest/none").await.status, 404);
        assert_eq!(app.get("/pacts/provider/Bar/consumer/Foo/branch/none/latest").await.status, 404);
    }
);

dbtest!(
    async fn latest_pact_listings_have_the_shapes_clients_read(backend) {
        let app = TestApp::start(backend).await;
        app.publish(&PublishBody::new("Foo", "1", "Bar", &pact("Foo", "Bar", &["v1"])).build()).await;
        app.publish(&PublishBody::new("Foo", "2", "Bar", &pact("Foo", "Bar", &["v2"])).build()).await;
        app.publish(&PublishBody::new("Qux", "9", "Bar", &pact("Qux", "Bar", &["q"])).build()).await;
        let latest = app.get("/pacts/latest").await;
        assert_eq!(latest.status, 200);
        let pacts = latest.body["pacts"].as_array().cloned().unwrap_or_default();
        assert_eq!(pacts.len(), 2, "{}", latest.body);
        assert_eq!(pacts[0]["_embedded"]["consumer"]["name"], "Foo");
        assert_eq!(pacts[0]["_embedded"]["consumer"]["_embedded"]["version"]["number"], "2");
        assert_eq!(pacts[0]["_embedded"]["provider"]["name"], "Bar");
        assert!(pacts[0]["createdAt"].is_string());

        let provider = app.get("/pacts/provider/Bar/latest").await;
        assert_eq!(provider.status, 200);
        let deprecated = provider.body["_links"]["pacts"].as_array().cloned().unwrap_or_default();
        assert_eq!(deprecated.len(), 2, "{}", provider.body);
        assert_eq!(provider.body["_links"]["pb:pacts"].as_array().map(Vec::len), Some(2));
        let href = deprecated[0]["href"].as_str().unwrap_or_default().trim_start_matches(&app.base).to_owned();
        assert_eq!(app.get(&href).await.status, 200);
        assert_eq!(app.get("/pacts/provider/Nobody/latest").await.status, 404);
    }
);

dbtest!(
    async fn identical_content_is_stored_once_and_served_per_integration(backend) {
        let app = TestApp::start(backend).await;
        app.publish(&PublishBody::new("Foo", "1", "Bar", &pact("Foo", "Bar", &["same"])).build()).await;
        app.publish(&PublishBody::new("Qux", "7", "Bar", &pact("Qux", "Bar", &["same"])).build()).await;
        let counts = app.row_counts().await;
        assert_eq!((counts["contents"], counts["publications"]), (1, 2), "{counts:?}");
        let qux = app.get("/pacts/provider/Bar/consumer/Qux/version/7").await;
        assert_eq!(qux.body["consumer"]["name"], "Qux", "names come from the integration, not the shared content");
        assert_eq!(qux.body["_links"]["pb:consumer-version"]["name"], "7");
        let sha_href = qux.body["_links"]["pb:pact-version"]["href"].as_str().unwrap_or_default().trim_start_matches(&app.base).to_owned();
        let with_metadata = app.get(&format!("{sha_href}/metadata/c1tdW2xdPXRydWU")).await;
        assert_eq!(with_metadata.status, 200);
        assert_eq!(with_metadata.body["consumer"]["name"], "Qux");
    }
);

dbtest!(
    async fn the_old_put_overwrites_only_when_allowed(backend) {
        let app = TestApp::builder(backend).allow_contract_overwrite().start().await;
        let path = "/pacts/provider/Bar/consumer/Foo/version/1";
        assert_eq!(app.put(path, &pact("Foo", "Bar", &["one"])).await.status, 201);
        assert_eq!(app.put(path, &pact("Foo", "Bar", &["two"])).await.status, 200);
        assert_eq!(descriptions(&app.get(path).await.body), ["two"]);
        let not_a_pact = app.put(path, &serde_json::json!(["not", "a", "pact"])).await;
        assert_eq!(not_a_pact.status, 400, "{}", not_a_pact.body);
    }
);

dbtest!(
    // Issue 8: the latest pact of an integration came without `X-Pact-Consumer-Version`.
    async fn every_single_pact_carries_its_consumer_version_in_a_header(backend) {
        let app = TestApp::start(backend).await;
        app.publish(&PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["one"])).branch("main").tags(&["prod"]).build()).await;
        app.publish(&PublishBody::new("Foo", "2.0.0", "Bar", &pact("Foo", "Bar", &["two"])).branch("feat").build()).await;
        let sha = app.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").await.body["_links"]["pb:pact-version"]["name"]
            .as_str()
            .map(str::to_owned)
            .expect("sha");
        let cases = [
            ("/pacts/provider/Bar/consumer/Foo/latest".to_owned(), "2.0.0"),
            ("/pacts/provider/Bar/consumer/Foo/latest/prod".to_owned(), "1.0.0"),
            ("/pacts/provider/Bar/consumer/Foo/branch/main/latest".to_owned(), "1.0.0"),
            ("/pacts/provider/Bar/consumer/Foo/branch/feat/latest".to_owned(), "2.0.0"),
            ("/pacts/provider/Bar/consumer/Foo/version/1.0.0".to_owned(), "1.0.0"),
            (format!("/pacts/provider/Bar/consumer/Foo/pact-version/{sha}"), "1.0.0"),
        ];
        for (path, version) in cases {
            let response = app.client.get(app.url(&path)).send().await.expect("sent");
            assert_eq!(response.status().as_u16(), 200, "{path}");
            let header = response.headers().get("x-pact-consumer-version").and_then(|value| value.to_str().ok()).map(str::to_owned);
            assert_eq!(header.as_deref(), Some(version), "{path}");
        }
        let put = app.client.put(app.url("/pacts/provider/Bar/consumer/Foo/version/3.0.0")).header("Content-Type", "application/json").body(pact("Foo", "Bar", &["three"]).to_string()).send().await.expect("sent");
        assert_eq!(put.status().as_u16(), 201);
        assert_eq!(put.headers().get("x-pact-consumer-version").and_then(|value| value.to_str().ok()), Some("3.0.0"));
    }
);
