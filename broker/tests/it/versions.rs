//! Versions, branches and tags, with `/`, `+` and spaces inside percent-encoded segments.

use serde_json::json;

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

dbtest!(
    async fn versions_can_be_put_and_read_with_encoded_numbers(backend) {
        let app = TestApp::start(backend).await;
        let path = "/pacticipants/Foo%20App/versions/1.0.0%2Bb%2F7%20x";
        let created = app.put(path, &json!({ "buildUrl": "https://ci.example/7" })).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["number"], "1.0.0+b/7 x");
        assert_eq!(created.body["_links"]["self"]["href"], app.url(path));
        assert_eq!(app.put(path, &json!({})).await.status, 200);
        let fetched = app.get(path).await;
        assert_eq!(fetched.status, 200);
        assert_eq!(fetched.body["buildUrl"], "https://ci.example/7");
        let patched = app.patch(path, &json!({ "buildUrl": "https://ci.example/8" })).await;
        assert_eq!((patched.status, patched.body["buildUrl"].as_str()), (200, Some("https://ci.example/8")));
        assert_eq!(app.get("/pacticipants/Foo%20App/versions/1.0.0").await.status, 404);
        app.put("/pacticipants/Foo%20App/versions/2", &json!({})).await;
        assert_eq!(app.get("/pacticipants/Foo%20App/latest-version").await.body["number"], "2");
        let list = app.get("/pacticipants/Foo%20App/versions").await;
        assert_eq!(list.body["_embedded"]["versions"][0]["number"], "2");
    }
);

dbtest!(
    async fn tags_are_created_once_read_and_deleted(backend) {
        let app = TestApp::start(backend).await;
        let path = "/pacticipants/Foo/versions/1.0.0/tags/prod";
        let created = app.put(path, &json!({ "name": "prod" })).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.location.as_deref(), Some(app.url(path).as_str()));
        assert_eq!(app.put(path, &json!({})).await.status, 200);
        assert_eq!(app.get(path).await.body["name"], "prod");
        app.put("/pacticipants/Foo/versions/2.0.0/tags/dev", &json!({})).await;
        assert_eq!(app.get("/pacticipants/Foo/latest-version/prod").await.body["number"], "1.0.0");
        assert_eq!(app.get("/pacticipants/Foo/latest-version/dev").await.body["number"], "2.0.0");
        assert_eq!(app.get("/pacticipants/Foo/latest-version/none").await.status, 404);
        assert_eq!(app.delete(path).await.status, 204);
        assert_eq!(app.get(path).await.status, 404);
        assert_eq!(app.delete(path).await.status, 404);
    }
);

dbtest!(
    async fn branches_keep_slashes_and_know_their_head(backend) {
        let app = TestApp::start(backend).await;
        let put = app.put("/pacticipants/Foo/branches/feat%2Fx/versions/1", &json!({ "name": "feat/x" })).await;
        assert_eq!(put.status, 201, "{}", put.body);
        assert_eq!(app.put("/pacticipants/Foo/branches/feat%2Fx/versions/1", &json!({})).await.status, 200);
        app.put("/pacticipants/Foo/branches/feat%2Fx/versions/2", &json!({})).await;
        let branch = app.get("/pacticipants/Foo/branches/feat%2Fx").await;
        assert_eq!(branch.status, 200, "{}", branch.body);
        assert_eq!(branch.body["name"], "feat/x");
        assert_eq!(branch.body["_embedded"]["latestVersion"]["number"], "2");
        assert_eq!(branch.body["_links"]["self"]["href"], app.url("/pacticipants/Foo/branches/feat%2Fx"));
        let list = app.get("/pacticipants/Foo/branches").await;
        assert_eq!(list.body["_embedded"]["branches"][0]["name"], "feat/x");
        let versions = app.get("/pacticipants/Foo/branches/feat%2Fx/versions").await;
        let numbers: Vec<&str> = versions.body["_embedded"]["versions"].as_array().into_iter().flatten().filter_map(|v| v["number"].as_str()).collect();
        assert_eq!(numbers, ["2", "1"]);
        let version = app.get("/pacticipants/Foo/branches/feat%2Fx/versions/1").await;
        assert_eq!(version.body["_embedded"]["branchVersions"][0]["latest"], false);
        assert_eq!(app.get("/pacticipants/Foo/branches/feat").await.status, 404, "`feat` is not `feat/x`");
        assert_eq!(app.delete("/pacticipants/Foo/branches/feat%2Fx").await.status, 204);
        assert_eq!(app.get("/pacticipants/Foo/branches/feat%2Fx").await.status, 404);
        assert_eq!(app.get("/pacticipants/Foo/versions/2").await.status, 200, "versions outlive their branch");
    }
);

dbtest!(
    async fn main_branch_is_detected_from_the_first_main_like_branch_or_tag(backend) {
        let app = TestApp::start(backend).await;
        app.put("/pacticipants/Foo/versions/1/tags/master", &json!({})).await;
        assert_eq!(app.get("/pacticipants/Foo").await.body["mainBranch"], "master");
        app.publish(&PublishBody::new("Baz", "1", "Bar", &pact("Baz", "Bar", &["x"])).branch("develop").build()).await;
        assert_eq!(app.get("/pacticipants/Baz").await.body["mainBranch"], "develop");
        app.put("/pacticipants/Baz/branches/main/versions/2", &json!({})).await;
        assert_eq!(app.get("/pacticipants/Baz").await.body["mainBranch"], "develop", "an existing main branch is kept");
    }
);

dbtest!(
    // Issue 8: `pb:pact-versions` on a version was empty although the version had a pact.
    async fn a_version_links_the_pacts_it_published(backend) {
        use crate::support::fixtures::contract;
        let app = TestApp::start(backend).await;
        let body = PublishBody::new("Web", "1", "Orders", &pact("Web", "Orders", &["a"]))
            .with_contract(contract("Web", "Billing", &pact("Web", "Billing", &["b"])))
            .build();
        assert_eq!(app.publish(&body).await.status, 200);
        let merged = PublishBody::new("Web", "1", "Orders", &pact("Web", "Orders", &["c"])).on_conflict("merge").build();
        assert_eq!(app.publish(&merged).await.status, 200);
        let version = app.get("/pacticipants/Web/versions/1").await;
        assert_eq!(version.status, 200);
        let links = version.body["_links"]["pb:pact-versions"].as_array().cloned().unwrap_or_default();
        let hrefs: Vec<&str> = links.iter().filter_map(|link| link["href"].as_str()).collect();
        let orders = app.url("/pacts/provider/Orders/consumer/Web/version/1");
        let billing = app.url("/pacts/provider/Billing/consumer/Web/version/1");
        let mut expected = vec![orders.as_str(), billing.as_str()];
        // Listed by provider (creation order of the providers), one entry per provider even
        // after a merge added a revision.
        expected.sort_by_key(|href| !href.contains("Orders"));
        assert_eq!(hrefs, expected, "{}", version.body);
        assert_eq!(links[0]["title"], "Pact");
        assert_eq!(links[0]["name"], "Pact between Web (1) and Orders");
        for href in hrefs {
            let path = href.strip_prefix(&app.base).expect("absolute");
            assert_eq!(app.get(path).await.status, 200, "{path}");
        }
        assert_eq!(app.put("/pacticipants/Web/versions/2", &json!({})).await.body["_links"]["pb:pact-versions"], json!([]));
    }
);

dbtest!(
    async fn deleting_a_version_falls_back_to_the_newest_version_left(backend) {
        let app = TestApp::start(backend).await;
        for (version, tags) in [("1", vec!["prod"]), ("2", vec!["prod"])] {
            let body = PublishBody::new("Web", version, "Orders", &pact("Web", "Orders", &[version])).branch("main").tags(&tags);
            assert_eq!(app.publish(&body.build()).await.status, 200);
        }
        assert_eq!(app.delete("/pacticipants/Web/versions/2").await.status, 204);
        assert_eq!(app.get("/pacticipants/Web/versions/2").await.status, 404);
        assert_eq!(app.delete("/pacticipants/Web/versions/2").await.status, 404);
        let consumer_version = |reply: &crate::support::Reply| reply.body["_links"]["pb:consumer-version"]["name"].clone();
        for path in [
            "/pacts/provider/Orders/consumer/Web/latest",
            "/pacts/provider/Orders/consumer/Web/latest/prod",
            "/pacts/provider/Orders/consumer/Web/branch/main/latest",
        ] {
            let reply = app.get(path).await;
            assert_eq!((reply.status, consumer_version(&reply)), (200, json!("1")), "{path}");
        }
        assert_eq!(app.get("/pacticipants/Web/latest-version/prod").await.body["number"], "1");
        assert_eq!(app.get("/pacticipants/Web/branches/main").await.body["_embedded"]["latestVersion"]["number"], "1");
        assert_eq!(app.delete("/pacticipants/Web/versions/1").await.status, 204);
        assert_eq!(app.get("/pacts/provider/Orders/consumer/Web/latest").await.status, 404);
        assert_eq!(app.get("/pacticipants/Web/branches/main").await.body["_embedded"].get("latestVersion"), None);
    }
);
