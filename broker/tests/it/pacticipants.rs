//! Pacticipants: list (both arrays), get, create, merge-patch and replace.

use serde_json::json;

use crate::dbtest;
use crate::support::TestApp;

dbtest!(
    async fn pacticipants_can_be_created_read_patched_and_replaced(backend) {
        let app = TestApp::start(backend).await;
        let created = app.post("/pacticipants", &json!({ "name": "foo-app", "repositoryUrl": "https://git.example/foo" })).await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.location.as_deref(), Some(app.url("/pacticipants/foo-app").as_str()));
        assert_eq!(created.body["displayName"], "Foo App");
        assert_eq!(app.post("/pacticipants", &json!({ "name": "foo-app" })).await.status, 409);

        let fetched = app.get("/pacticipants/foo-app").await;
        assert_eq!(fetched.status, 200);
        assert_eq!(fetched.body["_links"]["self"]["href"], app.url("/pacticipants/foo-app"));
        assert_eq!(fetched.body["_links"]["pb:version-tag"]["templated"], true);
        assert_eq!(fetched.body["_links"]["pb:branch-version"]["templated"], true);

        let patched = app.patch("/pacticipants/foo-app", &json!({ "name": "foo-app", "mainBranch": "trunk" })).await;
        assert_eq!(patched.status, 200, "{}", patched.body);
        assert_eq!(patched.body["mainBranch"], "trunk");
        assert_eq!(patched.body["repositoryUrl"], "https://git.example/foo", "merge-patch keeps absent keys");
        let cleared = app.patch("/pacticipants/foo-app", &json!({ "repositoryUrl": null })).await;
        assert!(cleared.body.get("repositoryUrl").is_none(), "{}", cleared.body);

        let replaced = app.put("/pacticipants/foo-app", &json!({ "displayName": "The Foo" })).await;
        assert_eq!(replaced.status, 200);
        assert_eq!(replaced.body["displayName"], "The Foo");
        assert!(replaced.body.get("mainBranch").is_none(), "PUT replaces every attribute");
        assert_eq!(app.put("/pacticipants/Bar", &json!({})).await.status, 201);

        let list = app.get("/pacticipants").await;
        assert_eq!(list.status, 200);
        let names: Vec<&str> = list.body["pacticipants"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
        assert_eq!(names, ["Bar", "foo-app"]);
        assert_eq!(list.body["_embedded"]["pacticipants"].as_array().map(Vec::len), Some(2));
        assert!(list.body["pacticipants"][0]["displayName"].is_string());
    }
);

dbtest!(
    async fn patching_an_unknown_pacticipant_or_renaming_is_refused(backend) {
        let app = TestApp::start(backend).await;
        let missing = app.patch("/pacticipants/Nobody", &json!({ "mainBranch": "main" })).await;
        assert_eq!(missing.status, 404);
        assert!(missing.body["error"].as_str().unwrap_or_default().contains("`Nobody`"));
        app.post("/pacticipants", &json!({ "name": "Foo" })).await;
        let renamed = app.patch("/pacticipants/Foo", &json!({ "name": "Other" })).await;
        assert_eq!(renamed.status, 400);
        assert_eq!(app.post("/pacticipants", &json!({ "displayName": "x" })).await.status, 400);
    }
);
