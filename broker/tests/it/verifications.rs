//! Verification results: publishing to a pact's publish link (with and without metadata),
//! reading them back (by number, latest, history, per provider version), content dedup across
//! consumer versions, and validation.

use serde_json::{Value, json};

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

/// The path of an absolute href of this app.
fn path_of(app: &TestApp, href: &Value) -> String {
    href.as_str()
        .unwrap_or_default()
        .trim_start_matches(&app.base)
        .to_owned()
}

fn result(success: bool, provider_version: &str) -> Value {
    json!({
        "success": success,
        "providerApplicationVersion": provider_version,
        "buildUrl": "https://ci.example/builds/7",
        "testResults": [{ "interactionId": "abc", "success": success }],
        "verifiedBy": { "implementation": "Pact-Rust", "version": "1.4.7" },
    })
}

/// Publishes `Foo` version `version` with `descriptions` for `Bar` and returns the pact document.
async fn publish_pact(app: &TestApp, version: &str, descriptions: &[&str]) -> Value {
    let reply = app
        .publish(
            &PublishBody::new("Foo", version, "Bar", &pact("Foo", "Bar", descriptions)).build(),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    app.get(&format!(
        "/pacts/provider/Bar/consumer/Foo/version/{version}"
    ))
    .await
    .body
}

dbtest!(
    async fn a_published_result_is_created_and_readable_every_way(backend) {
        let app = TestApp::start(backend).await;
        let document = publish_pact(&app, "1.0.0", &["one"]).await;
        let publish = path_of(&app, &document["_links"]["pb:publish-verification-results"]["href"]);
        let created = app.post(&publish, &result(false, "2.0.0")).await;
        assert_eq!(created.status, 201, "{}", created.body);
        let location = created.location.clone().unwrap_or_default();
        assert!(location.ends_with("/verification-results/1"), "{location}");
        assert_eq!(created.body["providerName"], "Bar");
        assert_eq!(created.body["providerApplicationVersion"], "2.0.0");
        assert_eq!(created.body["success"], false);
        assert_eq!(created.body["buildUrl"], "https://ci.example/builds/7");
        assert_eq!(created.body["testResults"][0]["interactionId"], "abc");
        assert_eq!(created.body["verifiedBy"]["implementation"], "Pact-Rust");
        assert!(created.body["verificationDate"].is_string());
        assert!(created.body.get("wip").is_none(), "{}", created.body);
        assert_eq!(created.body["_links"]["self"]["href"], location.as_str());
        assert_eq!(
            path_of(&app, &created.body["_links"]["pb:pact-version"]["href"]),
            path_of(&app, &document["_links"]["pb:pact-version"]["href"])
        );
        // The provider version did not exist: it was created.
        assert_eq!(app.get("/pacticipants/Bar/versions/2.0.0").await.status, 200);

        let second = app.post(&publish, &result(true, "2.0.1")).await;
        assert_eq!(second.status, 201, "{}", second.body);
        assert!(second.location.unwrap_or_default().ends_with("/verification-results/2"));

        let first = app.get(&path_of(&app, &json!(location))).await;
        assert_eq!((first.status, first.body["success"].clone()), (200, json!(false)));
        let latest = app.get(&path_of(&app, &document["_links"]["pb:latest-verification-results"]["href"])).await;
        assert_eq!(latest.status, 200, "{}", latest.body);
        assert_eq!(latest.body["providerApplicationVersion"], "2.0.1");

        let history = app.get(&publish).await;
        assert_eq!(history.status, 200, "{}", history.body);
        let versions: Vec<Value> = history.body["_embedded"]["verificationResults"].as_array().cloned().unwrap_or_default()
            .iter().map(|entry| entry["providerApplicationVersion"].clone()).collect();
        assert_eq!(versions, [json!("2.0.1"), json!("2.0.0")]);

        let by_provider = app.get("/pacticipants/Bar/versions/2.0.0/verification-results").await;
        assert_eq!(by_provider.status, 200, "{}", by_provider.body);
        let entries = by_provider.body["_embedded"]["verificationResults"].as_array().cloned().unwrap_or_default();
        assert_eq!(entries.len(), 1, "{}", by_provider.body);
        assert_eq!(entries[0]["success"], false);
        assert_eq!(app.get(&format!("{publish}/3")).await.status, 404);
    }
);

dbtest!(
    async fn one_verification_verifies_every_consumer_version_with_that_content(backend) {
        let app = TestApp::start(backend).await;
        let first = publish_pact(&app, "1", &["same"]).await;
        let second = publish_pact(&app, "2", &["same"]).await;
        let other = publish_pact(&app, "3", &["different"]).await;
        let publish = path_of(&app, &first["_links"]["pb:publish-verification-results"]["href"]);
        assert_eq!(app.post(&publish, &result(true, "9")).await.status, 201);
        for document in [&first, &second] {
            let latest = app.get(&path_of(&app, &document["_links"]["pb:latest-verification-results"]["href"])).await;
            assert_eq!(latest.status, 200, "{}", latest.body);
            assert_eq!((latest.body["success"].clone(), latest.body["providerApplicationVersion"].clone()), (json!(true), json!("9")));
        }
        let unverified = app.get(&path_of(&app, &other["_links"]["pb:latest-verification-results"]["href"])).await;
        assert_eq!(unverified.status, 404, "{}", unverified.body);
        for document in [&first, &second] {
            let history = app.get(&path_of(&app, &document["_links"]["pb:publish-verification-results"]["href"])).await;
            assert_eq!(history.body["_embedded"]["verificationResults"].as_array().map(Vec::len), Some(1), "{}", history.body);
        }
    }
);

dbtest!(
    async fn a_result_posted_through_a_wip_pact_url_is_stored_as_wip(backend) {
        use base64::Engine;
        let app = TestApp::start(backend).await;
        let document = publish_pact(&app, "1", &["one"]).await;
        let pact_version = path_of(&app, &document["_links"]["pb:pact-version"]["href"]);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("w=true&p=true");
        let fetched = app.get(&format!("{pact_version}/metadata/{token}")).await;
        assert_eq!(fetched.status, 200, "{}", fetched.body);
        let publish = path_of(&app, &fetched.body["_links"]["pb:publish-verification-results"]["href"]);
        assert_eq!(publish, format!("{pact_version}/metadata/{token}/verification-results"));
        let created = app.post(&publish, &result(true, "1")).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["wip"], true);
        let history = app.get(&publish).await;
        assert_eq!(history.body["_embedded"]["verificationResults"].as_array().map(Vec::len), Some(1), "{}", history.body);
        let read = app.get(&format!("{pact_version}/metadata/{token}/verification-results/1")).await;
        assert_eq!((read.status, read.body["wip"].clone()), (200, json!(true)));
        // A token Treaty did not write is no metadata: the result is not WIP.
        let plain = app.post(&format!("{pact_version}/metadata/c1tdW2xdPXRydWU/verification-results"), &result(true, "2")).await;
        assert_eq!(plain.status, 201, "{}", plain.body);
        assert!(plain.body.get("wip").is_none(), "{}", plain.body);
    }
);

dbtest!(
    async fn bad_results_get_a_400_naming_the_field_and_unknown_pacts_a_404(backend) {
        let app = TestApp::start(backend).await;
        let document = publish_pact(&app, "1", &["one"]).await;
        let publish = path_of(&app, &document["_links"]["pb:publish-verification-results"]["href"]);
        let cases = [
            (json!({}), "success"),
            (json!({"success": "yes", "providerApplicationVersion": "1"}), "success"),
            (json!({"success": true}), "providerApplicationVersion"),
            (json!({"success": true, "providerApplicationVersion": ""}), "providerApplicationVersion"),
            (json!({"success": true, "providerApplicationVersion": "1", "buildUrl": "ci"}), "buildUrl"),
            (json!({"success": true, "providerApplicationVersion": "1", "testResults": 3}), "testResults"),
            (json!({"success": true, "providerApplicationVersion": "1", "verifiedBy": "me"}), "verifiedBy"),
            (json!("success"), "body"),
        ];
        for (body, field) in cases {
            let reply = app.post(&publish, &body).await;
            assert_eq!(reply.status, 400, "{body}: {}", reply.body);
            assert!(reply.body["errors"][field][0].is_string(), "{body}: {}", reply.body);
        }
        let malformed = app.client.post(app.url(&publish)).header("Content-Type", "application/json").body("{").send().await.unwrap();
        assert_eq!(malformed.status().as_u16(), 400);
        let history = app.get(&publish).await;
        assert_eq!(history.body["_embedded"]["verificationResults"], json!([]), "nothing was stored: {}", history.body);

        let unknown_sha = app.post("/pacts/provider/Bar/consumer/Foo/pact-version/nope/verification-results", &result(true, "1")).await;
        assert_eq!(unknown_sha.status, 404, "{}", unknown_sha.body);
        assert!(unknown_sha.body["error"].as_str().unwrap_or_default().contains("pact version `nope`"), "{}", unknown_sha.body);
        let sha = document["_links"]["pb:pact-version"]["name"].as_str().unwrap_or_default().to_owned();
        let other_integration = app.post(&format!("/pacts/provider/Foo/consumer/Bar/pact-version/{sha}/verification-results"), &result(true, "1")).await;
        assert_eq!(other_integration.status, 404, "{}", other_integration.body);
        assert_eq!(app.get(&format!("{publish}/zero")).await.status, 400);
        assert_eq!(app.get(&format!("{publish}/0")).await.status, 400);
        assert_eq!(app.get("/pacticipants/Bar/versions/none/verification-results").await.status, 404);
    }
);
