//! The `get-pacts` listings: a provider's pacts by consumer branch, all or heads only.

use serde_json::Value;

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

fn listed(body: &Value) -> Vec<String> {
    body["_links"]["pb:pacts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|link| {
            assert!(
                link["href"].is_string() && link["title"].is_string(),
                "{link}"
            );
            let title = link["title"].as_str().unwrap_or_default();
            let version = title.split(['(', ')']).nth(1).unwrap_or_default();
            format!("{} {version}", link["name"].as_str().unwrap_or_default())
        })
        .collect()
}

dbtest!(
    async fn pacts_are_listed_by_consumer_branch(backend) {
        let app = TestApp::start(backend).await;
        app.publish(&PublishBody::new("Foo", "1", "Bar", &pact("Foo", "Bar", &["v1"])).branch("main").build()).await;
        app.publish(&PublishBody::new("Foo", "2", "Bar", &pact("Foo", "Bar", &["v2"])).branch("feat/x").build()).await;
        app.publish(&PublishBody::new("Foo", "3", "Bar", &pact("Foo", "Bar", &["v3"])).branch("main").build()).await;
        app.publish(&PublishBody::new("Qux", "7", "Bar", &pact("Qux", "Bar", &["q"])).branch("main").build()).await;

        assert_eq!(listed(&app.get("/pacts/provider/Bar/branch").await.body), ["Qux 7", "Foo 3", "Foo 1"]);
        assert_eq!(listed(&app.get("/pacts/provider/Bar/branch/latest").await.body), ["Qux 7", "Foo 3"]);
        assert_eq!(listed(&app.get("/pacts/provider/Bar/branch/feat%2Fx").await.body), ["Foo 2"]);
        assert_eq!(listed(&app.get("/pacts/provider/Bar/branch/main/latest").await.body), ["Qux 7", "Foo 3"]);
        let consumer = app.get("/pacts/provider/Bar/consumer/Foo/branch/main").await;
        assert_eq!(listed(&consumer.body), ["Foo 3", "Foo 1"]);
        assert_eq!(consumer.body["_embedded"]["pacts"][0]["_embedded"]["consumer"]["_embedded"]["version"]["number"], "3");
        let href = consumer.body["_links"]["pb:pacts"][1]["href"].as_str().unwrap_or_default().trim_start_matches(&app.base).to_owned();
        assert_eq!(app.get(&href).await.body["interactions"][0]["description"], "v1");
        assert_eq!(app.get("/pacts/provider/Bar/branch/none").await.body["_links"]["pb:pacts"], serde_json::json!([]));
        assert_eq!(app.get("/pacts/provider/Nobody/branch").await.status, 404);
    }
);
