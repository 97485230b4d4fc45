//! A provider's pact listings by consumer tag and branch and of its whole history
//! (`pb:provider-pacts*`, `pb:*branch-pact-versions`): advertised by the index, answered in the
//! provider-pacts shape, latest-only listings reading the heads.

use serde_json::Value;

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

/// The `(consumer, version)` of each `pb:pacts` link, checking the deprecated `pacts` copy and
/// the fields the CLI needs on the way.
fn listed(body: &Value) -> Vec<(String, String)> {
    let links = &body["_links"];
    let current = links["pb:pacts"].as_array().cloned().unwrap_or_default();
    let deprecated = links["pacts"].as_array().cloned().unwrap_or_default();
    assert_eq!(current.len(), deprecated.len(), "{body}");
    current
        .iter()
        .map(|link| {
            let href = link["href"].as_str().expect("href");
            let title = link["title"].as_str().expect("title");
            let consumer = link["name"].as_str().expect("name").to_owned();
            let version = href.rsplit('/').next().unwrap_or_default().to_owned();
            assert_eq!(
                title,
                format!("Pact between {consumer} ({version}) and Orders")
            );
            (consumer, version)
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(consumer, version)| ((*consumer).to_owned(), (*version).to_owned()))
        .collect()
}

async fn seed(app: &TestApp) {
    let publish = |consumer: &'static str, version: &'static str| {
        PublishBody::new(
            consumer,
            version,
            "Orders",
            &pact(consumer, "Orders", &[version]),
        )
    };
    for body in [
        publish("Web", "1").branch("main").tags(&["prod"]),
        publish("Web", "2").branch("main").tags(&["prod"]),
        publish("Mobile", "5").branch("main").tags(&["prod"]),
        publish("Web", "3").branch("feat").tags(&["dev"]),
    ] {
        let reply = app.publish(&body.build()).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    // A later tag on an older version: the tag's latest stays with the newer one.
    app.put(
        "/pacticipants/Web/versions/1/tags/dev",
        &serde_json::json!({}),
    )
    .await;
}

dbtest!(
    // Issue 8: `GET /pacts/provider/{provider}/latest/{tag}` and the other provider-pacts-with-tag
    // listings answered 404.
    async fn provider_pacts_by_tag_and_history_answer_in_the_provider_pacts_shape(backend) {
        let app = TestApp::start(backend).await;
        seed(&app).await;
        let latest_prod = app.get("/pacts/provider/Orders/latest/prod").await;
        assert_eq!(latest_prod.status, 200, "{}", latest_prod.body);
        assert_eq!(listed(&latest_prod.body), pairs(&[("Mobile", "5"), ("Web", "2")]));
        assert_eq!(
            latest_prod.body["_links"]["self"]["title"],
            "Latest pact versions for the provider Orders with consumer version tag 'prod'"
        );
        assert_eq!(latest_prod.body["_links"]["pb:provider"]["name"], "Orders");
        let latest_dev = app.get("/pacts/provider/Orders/latest/dev").await;
        assert_eq!(listed(&latest_dev.body), pairs(&[("Web", "3")]));
        let all_prod = app.get("/pacts/provider/Orders/tag/prod").await;
        assert_eq!(all_prod.status, 200, "{}", all_prod.body);
        assert_eq!(listed(&all_prod.body), pairs(&[("Mobile", "5"), ("Web", "2"), ("Web", "1")]));
        let all = app.get("/pacts/provider/Orders").await;
        assert_eq!(listed(&all.body), pairs(&[("Web", "3"), ("Mobile", "5"), ("Web", "2"), ("Web", "1")]));
        assert_eq!(listed(&app.get("/pacts/provider/Orders/latest/nothing").await.body), pairs(&[]));
        let unknown = app.get("/pacts/provider/Nobody/latest/prod").await;
        assert_eq!(unknown.status, 404, "{}", unknown.body);
        assert!(unknown.body.to_string().contains("`Nobody`"), "{}", unknown.body);
    }
);

dbtest!(
    async fn consumer_branch_listings_answer_all_versions_or_the_head(backend) {
        let app = TestApp::start(backend).await;
        seed(&app).await;
        let cases = [
            ("/pacts/provider/Orders/consumer/Web/branch/main", vec![("Web", "2"), ("Web", "1")]),
            ("/pacts/provider/Orders/consumer/Web/branch/main/latest/versions", vec![("Web", "2")]),
            ("/pacts/provider/Orders/consumer/Web/branch/versions", vec![("Web", "2"), ("Web", "1")]),
            ("/pacts/provider/Orders/consumer/Web/branch/latest/versions", vec![("Web", "2")]),
            ("/pacts/provider/Orders/consumer/Mobile/branch/feat/latest/versions", vec![]),
            ("/pacts/provider/Orders/branch/latest", vec![("Mobile", "5"), ("Web", "2")]),
            ("/pacts/provider/Orders/branch/feat/latest", vec![("Web", "3")]),
        ];
        for (path, expected) in cases {
            let reply = app.get(path).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            assert_eq!(listed(&reply.body), pairs(&expected), "{path}");
        }
    }
);

dbtest!(
    async fn the_index_advertises_every_provider_pact_listing_and_each_answers(backend) {
        let app = TestApp::start(backend).await;
        seed(&app).await;
        let index = app.get("/").await.body;
        let relations = [
            "pb:provider-pacts",
            "pb:provider-pacts-with-tag",
            "pb:latest-provider-pacts",
            "pb:latest-provider-pacts-with-tag",
            "pb:provider-pacts-with-main-branch",
            "pb:provider-pacts-with-branch",
            "pb:latest-provider-pacts-with-main-branch",
            "pb:latest-provider-pacts-with-branch",
            "pb:branch-pact-versions",
            "pb:latest-branch-pact-versions",
            "pb:main-branch-pact-versions",
            "pb:latest-main-branch-pact-versions",
        ];
        for relation in relations {
            let link = &index["_links"][relation];
            assert_eq!(link["templated"], true, "{relation}: {link}");
            let href = link["href"]
                .as_str()
                .unwrap_or_default()
                .replace("{provider}", "Orders")
                .replace("{consumer}", "Web")
                .replace("{tag}", "prod")
                .replace("{branch}", "main");
            let path = href.strip_prefix(&app.base).expect("an absolute href");
            let reply = app.get(path).await;
            assert_eq!(reply.status, 200, "{relation} {path}: {}", reply.body);
            assert!(!listed(&reply.body).is_empty(), "{relation} {path} lists pacts");
        }
    }
);
