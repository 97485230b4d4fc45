//! Deployed and released versions: a deployment replaces the previous one in the same
//! environment and instance, instances coexist, undeployment by merge-patch (415/422/404),
//! releases are additive and re-recording one turns support back on, and the filters of the
//! currently-deployed and currently-supported collections.

use serde_json::{Value, json};

use crate::dbtest;
use crate::environments::create_environment;
use crate::support::{Reply, TestApp};

async fn version(app: &TestApp, pacticipant: &str, number: &str) {
    let reply = app
        .put(
            &format!("/pacticipants/{pacticipant}/versions/{number}"),
            &json!({}),
        )
        .await;
    assert!(reply.status == 201 || reply.status == 200, "{}", reply.body);
}

async fn deploy(app: &TestApp, pacticipant: &str, number: &str, env: &str, body: Value) -> Reply {
    let path = format!(
        "/pacticipants/{pacticipant}/versions/{number}/deployed-versions/environment/{env}"
    );
    app.post(&path, &body).await
}

async fn release(app: &TestApp, pacticipant: &str, number: &str, env: &str) -> Reply {
    let path = format!(
        "/pacticipants/{pacticipant}/versions/{number}/released-versions/environment/{env}"
    );
    app.post(&path, &json!({})).await
}

/// `PATCH url` with a body and an explicit Content-Type.
async fn patch_as(app: &TestApp, url: &str, content_type: &str, body: &Value) -> Reply {
    let response = app
        .client
        .patch(url)
        .header("Content-Type", content_type)
        .header("Accept", "application/hal+json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    TestApp::reply(response).await
}

/// The `(pacticipant, version, applicationInstance)` of every entry of a collection.
fn entries(reply: &Reply, key: &str) -> Vec<(String, String, Option<String>)> {
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["_embedded"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["_embedded"]["pacticipant"]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                entry["_embedded"]["version"]["number"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                entry
                    .get("applicationInstance")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            )
        })
        .collect()
}

fn row(
    pacticipant: &str,
    number: &str,
    instance: Option<&str>,
) -> (String, String, Option<String>) {
    (
        pacticipant.to_owned(),
        number.to_owned(),
        instance.map(str::to_owned),
    )
}

dbtest!(
    async fn a_deployment_replaces_the_previous_version_in_the_same_instance(backend) {
        let app = TestApp::start(backend).await;
        let env = create_environment(&app, "test", false).await;
        create_environment(&app, "production", true).await;
        for number in ["1", "2"] {
            version(&app, "Foo", number).await;
        }
        let page = app.get("/pacticipants/Foo/versions/1").await;
        let record = page.body["_links"]["pb:record-deployment"].as_array().unwrap();
        let names: Vec<&str> = record.iter().map(|link| link["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["production", "test"], "one entry per environment: {}", page.body);
        let href = record[1]["href"].as_str().unwrap();
        assert_eq!(href, app.url(&format!("/pacticipants/Foo/versions/1/deployed-versions/environment/{env}")));
        assert_eq!(page.body["_links"]["pb:record-release"].as_array().unwrap().len(), 2);

        let first = app.post(href.strip_prefix(&app.base).unwrap(), &json!({})).await;
        assert_eq!(first.status, 201, "{}", first.body);
        let first_uuid = first.body["uuid"].as_str().unwrap().to_owned();
        assert_eq!(first.location, Some(app.url(&format!("/deployed-versions/{first_uuid}"))));
        assert_eq!(first.body["currentlyDeployed"], true);
        assert!(first.body.get("applicationInstance").is_none() && first.body.get("target").is_none(), "{}", first.body);
        assert_eq!(first.body["_embedded"]["environment"]["name"], "test");

        let again = deploy(&app, "Foo", "1", &env, json!({})).await;
        assert_eq!(again.body["uuid"], first_uuid.as_str(), "the same version again keeps its record");

        let current_path = format!("/environments/{env}/deployed-versions/currently-deployed");
        let second = deploy(&app, "Foo", "2", &env, json!({})).await;
        assert_eq!(second.status, 201);
        assert_eq!(entries(&app.get(&current_path).await, "deployedVersions"), [row("Foo", "2", None)]);
        let old = app.get(&format!("/deployed-versions/{first_uuid}")).await;
        assert_eq!(old.status, 200);
        assert_eq!(old.body["currentlyDeployed"], false);
        assert!(old.body["undeployedAt"].is_string(), "{}", old.body);

        let redeployed = deploy(&app, "Foo", "1", &env, json!({})).await;
        assert_ne!(redeployed.body["uuid"], first_uuid.as_str(), "after being replaced, a new record");
        let listing = app.get(&current_path).await;
        assert_eq!(entries(&listing, "deployedVersions"), [row("Foo", "1", None)]);
        let entry = &listing.body["_embedded"]["deployedVersions"][0];
        assert_eq!(entry["_links"]["self"]["href"], app.url(&format!("/deployed-versions/{}", redeployed.body["uuid"].as_str().unwrap())));
        assert_eq!(listing.body["_links"]["self"]["href"], app.url(&current_path));

        let page = app.get("/pacticipants/Foo/versions/1").await;
        let deployed = page.body["_links"]["pb:deployed-environments"].as_array().unwrap();
        let flags: Vec<bool> = deployed.iter().map(|link| link["currentlyDeployed"].as_bool().unwrap()).collect();
        assert_eq!(flags, [false, true], "{}", page.body);
    }
);

dbtest!(
    async fn instances_coexist_and_filter(backend) {
        let app = TestApp::start(backend).await;
        let env = create_environment(&app, "production", true).await;
        for number in ["1", "2", "3", "4"] {
            version(&app, "Foo", number).await;
        }
        version(&app, "Bar", "9").await;
        assert_eq!(deploy(&app, "Foo", "1", &env, json!({ "applicationInstance": "blue" })).await.status, 201);
        assert_eq!(deploy(&app, "Foo", "2", &env, json!({ "target": "green" })).await.status, 201);
        let plain = deploy(&app, "Foo", "3", &env, json!({})).await;
        assert_eq!(plain.status, 201);
        deploy(&app, "Bar", "9", &env, json!({ "applicationInstance": "blue" })).await;
        let current = format!("/environments/{env}/deployed-versions/currently-deployed");
        let all = entries(&app.get(&current).await, "deployedVersions");
        assert_eq!(all, [row("Bar", "9", Some("blue")), row("Foo", "3", None), row("Foo", "2", Some("green")), row("Foo", "1", Some("blue"))]);

        let replaced = deploy(&app, "Foo", "4", &env, json!({ "applicationInstance": "blue" })).await;
        assert_eq!(replaced.body["applicationInstance"], "blue");
        assert_eq!(replaced.body["target"], "blue");
        let of_foo = entries(&app.get(&format!("{current}?pacticipant=Foo")).await, "deployedVersions");
        assert_eq!(of_foo, [row("Foo", "4", Some("blue")), row("Foo", "3", None), row("Foo", "2", Some("green"))]);
        let blue = entries(&app.get(&format!("{current}?pacticipant=Foo&applicationInstance=blue")).await, "deployedVersions");
        assert_eq!(blue, [row("Foo", "4", Some("blue"))]);
        let none = entries(&app.get(&format!("{current}?applicationInstance=")).await, "deployedVersions");
        assert_eq!(none, [row("Foo", "3", None)], "an empty instance means none");
        let by_target = entries(&app.get(&format!("{current}?target=green")).await, "deployedVersions");
        assert_eq!(by_target, [row("Foo", "2", Some("green"))]);
        assert!(entries(&app.get(&format!("{current}?pacticipant=Nobody")).await, "deployedVersions").is_empty());
        let self_href = app.get(&format!("{current}?pacticipant=Foo")).await.body["_links"]["self"]["href"].clone();
        assert_eq!(self_href, app.url(&format!("{current}?pacticipant=Foo")));
    }
);

dbtest!(
    async fn undeployment_is_a_merge_patch_that_cannot_be_undone(backend) {
        let app = TestApp::start(backend).await;
        let env = create_environment(&app, "test", false).await;
        version(&app, "Foo", "1").await;
        let deployed = deploy(&app, "Foo", "1", &env, json!({})).await;
        let url = deployed.location.clone().unwrap();

        let wrong_type = patch_as(&app, &url, "application/json", &json!({ "currentlyDeployed": false })).await;
        assert_eq!(wrong_type.status, 415, "{}", wrong_type.body);
        assert!(wrong_type.body["errors"]["body"][0].as_str().unwrap().contains("merge-patch"));
        let back_on = patch_as(&app, &url, "application/merge-patch+json", &json!({ "currentlyDeployed": true })).await;
        assert_eq!(back_on.status, 422, "{}", back_on.body);
        assert!(back_on.body["errors"]["currentlyDeployed"].is_array(), "{}", back_on.body);

        let undeployed = patch_as(&app, &url, "application/merge-patch+json", &json!({ "currentlyDeployed": false })).await;
        assert_eq!(undeployed.status, 200, "{}", undeployed.body);
        assert_eq!(undeployed.body["currentlyDeployed"], false);
        let at = undeployed.body["undeployedAt"].clone();
        assert!(at.is_string());
        let again = patch_as(&app, &url, "application/merge-patch+json", &json!({ "currentlyDeployed": false })).await;
        assert_eq!((again.status, &again.body["undeployedAt"]), (200, &at), "undeploying twice keeps the first time");
        let current = app.get(&format!("/environments/{env}/deployed-versions/currently-deployed")).await;
        assert!(entries(&current, "deployedVersions").is_empty());

        let missing = patch_as(&app, &app.url("/deployed-versions/nope"), "application/merge-patch+json", &json!({ "currentlyDeployed": false })).await;
        assert_eq!(missing.status, 404);
        assert_eq!(app.get("/deployed-versions/nope").await.status, 404);
    }
);

dbtest!(
    async fn releases_are_additive_and_support_can_end_and_resume(backend) {
        let app = TestApp::start(backend).await;
        let env = create_environment(&app, "production", true).await;
        for number in ["1", "2"] {
            version(&app, "Foo", number).await;
        }
        let first = release(&app, "Foo", "1", &env).await;
        assert_eq!(first.status, 201, "{}", first.body);
        let uuid = first.body["uuid"].as_str().unwrap().to_owned();
        assert_eq!(first.location, Some(app.url(&format!("/released-versions/{uuid}"))));
        assert_eq!(release(&app, "Foo", "2", &env).await.status, 201);
        let supported = format!("/environments/{env}/released-versions/currently-supported");
        assert_eq!(entries(&app.get(&supported).await, "releasedVersions"), [row("Foo", "2", None), row("Foo", "1", None)], "releases are additive");
        let again = release(&app, "Foo", "1", &env).await;
        assert_eq!((again.status, again.body["uuid"].as_str()), (200, Some(uuid.as_str())));

        let url = app.url(&format!("/released-versions/{uuid}"));
        let wrong_type = patch_as(&app, &url, "application/json", &json!({ "currentlySupported": false })).await;
        assert_eq!(wrong_type.status, 415);
        let back_on = patch_as(&app, &url, "application/merge-patch+json", &json!({ "currentlySupported": true })).await;
        assert_eq!(back_on.status, 422);
        let ended = patch_as(&app, &url, "application/merge-patch+json", &json!({ "currentlySupported": false })).await;
        assert_eq!(ended.status, 200, "{}", ended.body);
        assert_eq!(ended.body["currentlySupported"], false);
        assert!(ended.body["supportEndedAt"].is_string());
        assert_eq!(entries(&app.get(&supported).await, "releasedVersions"), [row("Foo", "2", None)]);
        assert_eq!(entries(&app.get(&format!("{supported}?pacticipant=Foo&version=2")).await, "releasedVersions"), [row("Foo", "2", None)]);
        assert!(entries(&app.get(&format!("{supported}?version=1")).await, "releasedVersions").is_empty());

        let resumed = release(&app, "Foo", "1", &env).await;
        assert_eq!((resumed.status, resumed.body["uuid"].as_str(), &resumed.body["currentlySupported"]), (200, Some(uuid.as_str()), &json!(true)));
        assert!(resumed.body.get("supportEndedAt").is_none(), "{}", resumed.body);
        assert_eq!(app.get(&format!("/released-versions/{uuid}")).await.body["currentlySupported"], true);
        let page = app.get("/pacticipants/Foo/versions/1").await;
        assert_eq!(page.body["_links"]["pb:released-environments"][0]["href"], url);
    }
);

dbtest!(
    async fn unknown_versions_and_environments_are_404_and_deleting_an_environment_clears_it(backend) {
        let app = TestApp::start(backend).await;
        let env = create_environment(&app, "test", false).await;
        version(&app, "Foo", "1").await;
        assert_eq!(deploy(&app, "Foo", "1", "no-such-env", json!({})).await.status, 404);
        assert_eq!(deploy(&app, "Foo", "9", &env, json!({})).await.status, 404);
        assert_eq!(deploy(&app, "Nobody", "1", &env, json!({})).await.status, 404);
        assert_eq!(release(&app, "Foo", "1", "no-such-env").await.status, 404);
        assert_eq!(app.get("/environments/no-such-env/deployed-versions/currently-deployed").await.status, 404);
        assert_eq!(app.get("/environments/no-such-env/released-versions/currently-supported").await.status, 404);
        let bad_body = deploy(&app, "Foo", "1", &env, json!({ "applicationInstance": 3 })).await;
        assert_eq!(bad_body.status, 400, "{}", bad_body.body);
        let deployed = deploy(&app, "Foo", "1", &env, json!({ "applicationInstance": "blue" })).await;
        let empty = app.client.post(app.url(&format!("/pacticipants/Foo/versions/1/deployed-versions/environment/{env}"))).send().await.unwrap();
        assert_eq!(empty.status().as_u16(), 201, "an empty body means no instance");

        let released = release(&app, "Foo", "1", &env).await;
        assert_eq!(app.delete(&format!("/environments/{env}")).await.status, 204);
        assert_eq!(app.get(&format!("/deployed-versions/{}", deployed.body["uuid"].as_str().unwrap())).await.status, 404);
        assert_eq!(app.get(&format!("/released-versions/{}", released.body["uuid"].as_str().unwrap())).await.status, 404);
        let page = app.get("/pacticipants/Foo/versions/1").await;
        assert_eq!(page.body["_links"]["pb:record-deployment"], json!([]));
    }
);

dbtest!(
    async fn concurrent_deployments_leave_exactly_one_current_version(backend) {
        let app = TestApp::start(backend).await;
        let env = create_environment(&app, "production", true).await;
        let numbers: Vec<String> = (1..=8).map(|n| n.to_string()).collect();
        for number in &numbers {
            version(&app, "Foo", number).await;
        }
        let mut tasks = Vec::new();
        for number in &numbers {
            let client = app.client.clone();
            let url = app.url(&format!("/pacticipants/Foo/versions/{number}/deployed-versions/environment/{env}"));
            tasks.push(tokio::spawn(async move {
                client.post(url).header("Content-Type", "application/json").body("{}").send().await.unwrap().status().as_u16()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), 201);
        }
        let current = app.get(&format!("/environments/{env}/deployed-versions/currently-deployed")).await;
        assert_eq!(entries(&current, "deployedVersions").len(), 1, "{}", current.body);
    }
);

dbtest!(
    async fn a_version_lists_its_records_in_one_environment(backend) {
        let app = TestApp::start(backend).await;
        let env = create_environment(&app, "test", false).await;
        for number in ["1", "2"] {
            version(&app, "Foo", number).await;
        }
        deploy(&app, "Foo", "1", &env, json!({})).await;
        deploy(&app, "Foo", "2", &env, json!({})).await;
        deploy(&app, "Foo", "1", &env, json!({})).await;
        let path = format!("/pacticipants/Foo/versions/1/deployed-versions/environment/{env}");
        let listing = app.get(&path).await;
        let flags: Vec<bool> = listing.body["_embedded"]["deployedVersions"].as_array().unwrap().iter().map(|e| e["currentlyDeployed"].as_bool().unwrap()).collect();
        assert_eq!(flags, [true, false], "newest first: {}", listing.body);
        assert_eq!(listing.body["_links"]["self"]["href"], app.url(&path));
        let released_path = format!("/pacticipants/Foo/versions/1/released-versions/environment/{env}");
        assert_eq!(app.get(&released_path).await.body["_embedded"]["releasedVersions"], json!([]));
        release(&app, "Foo", "1", &env).await;
        assert_eq!(entries(&app.get(&released_path).await, "releasedVersions"), [row("Foo", "1", None)]);
        assert_eq!(app.get(&format!("/pacticipants/Foo/versions/9/deployed-versions/environment/{env}")).await.status, 404);
    }
);
