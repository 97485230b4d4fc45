//! Environments: create (201 + Location, display name derived), validation and unique names
//! (400), list with `displayName` and the `?name=` filter, get, PUT (never creates), DELETE.

use serde_json::{Value, json};

use crate::dbtest;
use crate::support::TestApp;

/// Creates an environment and returns its uuid.
pub(crate) async fn create_environment(app: &TestApp, name: &str, production: bool) -> String {
    let reply = app
        .post(
            "/environments",
            &json!({ "name": name, "production": production }),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["uuid"].as_str().expect("a uuid").to_owned()
}

dbtest!(
    async fn environments_are_created_read_listed_replaced_and_deleted(backend) {
        let app = TestApp::start(backend).await;
        let reply = app.post("/environments", &json!({
            "name": "production", "production": true,
            "contacts": [{ "name": "Team A", "details": { "emailAddress": "a@example.com" } }],
        })).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        let uuid = reply.body["uuid"].as_str().unwrap().to_owned();
        let self_url = app.url(&format!("/environments/{uuid}"));
        assert_eq!(reply.location.as_deref(), Some(self_url.as_str()));
        assert_eq!(reply.body["displayName"], "Production", "derived from the name");
        assert_eq!(reply.body["production"], true);
        assert_eq!(reply.body["contacts"][0]["name"], "Team A");
        let links = &reply.body["_links"];
        assert_eq!(links["self"]["href"], self_url);
        assert_eq!(links["pb:currently-deployed-deployed-versions"]["href"], format!("{self_url}/deployed-versions/currently-deployed"));
        assert_eq!(links["pb:currently-supported-released-versions"]["href"], format!("{self_url}/released-versions/currently-supported"));
        assert_eq!(links["pb:environments"]["href"], app.url("/environments"));

        let test = app.post("/environments", &json!({ "name": "test", "displayName": "Test Env", "production": false })).await;
        assert_eq!(test.status, 201, "{}", test.body);
        let list = app.get("/environments").await;
        assert_eq!(list.status, 200);
        let entries = list.body["_embedded"]["environments"].as_array().unwrap();
        let names: Vec<(&str, &str, bool)> = entries.iter().map(|e| (e["name"].as_str().unwrap(), e["displayName"].as_str().unwrap(), e["production"].as_bool().unwrap())).collect();
        assert_eq!(names, [("production", "Production", true), ("test", "Test Env", false)], "ordered by display name");
        assert!(entries.iter().all(|e| e["uuid"].is_string()));
        assert_eq!(list.body["_links"]["pb:environments"][1]["name"], "test");
        let filtered = app.get("/environments?name=test").await;
        let filtered: Vec<&Value> = filtered.body["_embedded"]["environments"].as_array().unwrap().iter().collect();
        assert_eq!(filtered.len(), 1);
        assert_eq!(filtered[0]["name"], "test");
        assert_eq!(app.get("/environments?name=nope").await.body["_embedded"]["environments"], json!([]));

        assert_eq!(app.get(&format!("/environments/{uuid}")).await.body["name"], "production");
        let replaced = app.put(&format!("/environments/{uuid}"), &json!({ "name": "prod", "production": true })).await;
        assert_eq!(replaced.status, 200, "{}", replaced.body);
        assert_eq!((replaced.body["name"].as_str(), replaced.body["displayName"].as_str()), (Some("prod"), Some("Prod")));
        assert_eq!(replaced.body["uuid"], uuid.as_str());
        assert!(replaced.body.get("contacts").is_none(), "PUT replaces every attribute");
        let same_name = app.put(&format!("/environments/{uuid}"), &json!({ "name": "prod", "production": false })).await;
        assert_eq!(same_name.status, 200, "keeping its own name is fine: {}", same_name.body);

        assert_eq!(app.put("/environments/no-such-uuid", &json!({ "name": "x", "production": true })).await.status, 404, "PUT does not create");
        assert_eq!(app.delete(&format!("/environments/{uuid}")).await.status, 204);
        assert_eq!(app.get(&format!("/environments/{uuid}")).await.status, 404);
        assert_eq!(app.delete(&format!("/environments/{uuid}")).await.status, 404);
        assert_eq!(app.get("/environments").await.body["_embedded"]["environments"].as_array().map(Vec::len), Some(1));
    }
);

dbtest!(
    async fn bad_environments_are_refused_with_the_field_named(backend) {
        let app = TestApp::start(backend).await;
        create_environment(&app, "test", false).await;
        let duplicate = app.post("/environments", &json!({ "name": "test", "production": false })).await;
        assert_eq!(duplicate.status, 400, "{}", duplicate.body);
        let message = duplicate.body["errors"]["name"][0].as_str().unwrap();
        assert!(message.contains("Another environment with name 'test' already exists"), "{message}");

        let spaces = app.post("/environments", &json!({ "name": "my env", "production": false })).await;
        assert_eq!(spaces.status, 400);
        assert!(spaces.body["errors"]["name"][0].as_str().unwrap().contains("spaces"), "{}", spaces.body);
        let missing = app.post("/environments", &json!({ "displayName": "X" })).await;
        assert_eq!(missing.status, 400);
        assert!(missing.body["errors"]["name"].is_array() && missing.body["errors"]["production"].is_array(), "{}", missing.body);
        let not_bool = app.post("/environments", &json!({ "name": "uat", "production": "yes" })).await;
        assert_eq!(not_bool.status, 400);
        assert!(not_bool.body["errors"]["production"][0].as_str().unwrap().contains("\"yes\""), "{}", not_bool.body);
        let malformed = app.client.post(app.url("/environments")).body("{").send().await.unwrap();
        assert_eq!(malformed.status().as_u16(), 400);

        let other = create_environment(&app, "uat", false).await;
        let rename = app.put(&format!("/environments/{other}"), &json!({ "name": "test", "production": false })).await;
        assert_eq!(rename.status, 400, "renaming onto a taken name: {}", rename.body);
        let names: Vec<String> = app.get("/environments").await.body["_embedded"]["environments"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_owned()).collect();
        assert_eq!(names, ["test", "uat"], "nothing refused was stored");
    }
);
