//! Pacticipants: list (both arrays, the link arrays, the embedded latest version), get, create,
//! merge-patch (creating a missing one), replace and delete.

use diesel::prelude::*;
use serde_json::json;
use treaty_broker::storage::{AnyConnection, Db, pacticipants, schema, versions};

use crate::dbtest;
use crate::support::TestApp;

/// Runs `f` on a connection of the app's database.
async fn with_conn<T: Send + 'static>(
    db: &Db,
    f: impl FnOnce(&mut AnyConnection) -> T + Send + 'static,
) -> T {
    let db = db.clone();
    tokio::task::spawn_blocking(move || f(&mut db.connection().expect("connection")))
        .await
        .expect("join")
}

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
    // Issue 8: the Pact Broker creates a pacticipant that a merge-patch names but that does not
    // exist (201); Treaty answered 404.
    async fn patching_an_unknown_pacticipant_creates_it_and_renaming_is_refused(backend) {
        let app = TestApp::start(backend).await;
        let missing = app.patch("/pacticipants/Nobody", &json!({ "mainBranch": "main" })).await;
        assert_eq!(missing.status, 201, "{}", missing.body);
        assert_eq!(missing.location.as_deref(), Some(app.url("/pacticipants/Nobody").as_str()));
        assert_eq!(missing.body["name"], "Nobody");
        assert_eq!(missing.body["mainBranch"], "main");
        let fetched = app.get("/pacticipants/Nobody").await;
        assert_eq!((fetched.status, &fetched.body["mainBranch"]), (200, &json!("main")));
        let again = app.patch("/pacticipants/Nobody", &json!({ "displayName": "No One" })).await;
        assert_eq!(again.status, 200);
        assert_eq!((&again.body["displayName"], &again.body["mainBranch"]), (&json!("No One"), &json!("main")));
        let bad = app.patch("/pacticipants/Other", &json!({ "mainBranch": "" })).await;
        assert_eq!(bad.status, 400, "{}", bad.body);
        assert_eq!(app.get("/pacticipants/Other").await.status, 404, "a refused patch creates nothing");
        app.post("/pacticipants", &json!({ "name": "Foo" })).await;
        let renamed = app.patch("/pacticipants/Foo", &json!({ "name": "Other" })).await;
        assert_eq!(renamed.status, 400);
        assert_eq!(app.post("/pacticipants", &json!({ "displayName": "x" })).await.status, 400);
    }
);

dbtest!(
    // Issue 8: the list had no `_links.pacticipants` and its entries no embedded latest version.
    async fn the_list_links_every_pacticipant_and_embeds_its_latest_version(backend) {
        let app = TestApp::start(backend).await;
        app.put("/pacticipants/Web/versions/1", &json!({})).await;
        app.put("/pacticipants/Web/versions/2", &json!({})).await;
        app.post("/pacticipants", &json!({ "name": "Orders" })).await;
        let list = app.get("/pacticipants").await;
        assert_eq!(list.status, 200);
        let links = &list.body["_links"];
        for relation in ["pb:pacticipants", "pacticipants"] {
            let hrefs: Vec<&str> = links[relation].as_array().into_iter().flatten().filter_map(|link| link["href"].as_str()).collect();
            assert_eq!(hrefs, [app.url("/pacticipants/Orders"), app.url("/pacticipants/Web")], "{relation}");
        }
        assert_eq!(links["pb:pacticipants"][1]["name"], "Web");
        assert_eq!(links["pb:pacticipants"][1]["title"], "Pacticipant");
        for array in [&list.body["_embedded"]["pacticipants"], &list.body["pacticipants"]] {
            let web = &array[1];
            assert_eq!(web["name"], "Web");
            assert_eq!(web["_embedded"]["latest-version"]["number"], "2", "{web}");
            assert_eq!(web["_embedded"]["latestVersion"]["number"], "2");
            assert_eq!(
                web["_embedded"]["latestVersion"]["_links"]["self"]["href"],
                app.url("/pacticipants/Web/versions/2")
            );
            assert!(array[0]["_embedded"].get("latestVersion").is_none(), "Orders has no version");
        }
    }
);

dbtest!(
    // Issue 8: `DELETE /pacticipants/{name}` answered 404.
    async fn deleting_a_pacticipant_removes_everything_that_hangs_off_it(backend) {
        use crate::support::fixtures::{PublishBody, pact};
        let app = TestApp::start(backend).await;
        let web_to_orders = PublishBody::new("Web", "1", "Orders", &pact("Web", "Orders", &["a"]));
        app.publish(&web_to_orders.branch("main").tags(&["prod"]).build()).await;
        let orders_to_stock = PublishBody::new("Orders", "7", "Stock", &pact("Orders", "Stock", &["b"]));
        app.publish(&orders_to_stock.branch("main").build()).await;
        let before = app.row_counts().await;
        assert_eq!(before["pacticipants"], 3, "{before:?}");
        // A verification of Web's pact by Orders 7 and a deployment of Orders 7, written directly
        // (their APIs live elsewhere): both refer to Orders and must go with it.
        with_conn(&app.db, |conn| {
            let orders = pacticipants::find_pacticipant(conn, "Orders").unwrap().unwrap();
            let web = pacticipants::find_pacticipant(conn, "Web").unwrap().unwrap();
            let version = versions::find_version(conn, orders.id, "7").unwrap().unwrap();
            let content_id: i64 = schema::contents::table.select(schema::contents::id).first(conn).unwrap();
            diesel::insert_into(schema::verifications::table)
                .values((
                    schema::verifications::consumer_id.eq(web.id),
                    schema::verifications::provider_id.eq(orders.id),
                    schema::verifications::content_id.eq(content_id),
                    schema::verifications::provider_version_id.eq(version.id),
                    schema::verifications::number.eq(1_i64),
                    schema::verifications::success.eq(true),
                    schema::verifications::wip.eq(false),
                    schema::verifications::created_at.eq("2026-12-04T00:00:00.000Z"),
                ))
                .execute(conn)
                .unwrap();
            diesel::insert_into(schema::environments::table)
                .values((
                    schema::environments::uuid.eq("e-1"),
                    schema::environments::name.eq("production"),
                    schema::environments::production.eq(true),
                    schema::environments::created_at.eq("2026-12-04T00:00:00.000Z"),
                    schema::environments::updated_at.eq("2026-12-04T00:00:00.000Z"),
                ))
                .execute(conn)
                .unwrap();
            let environment_id: i64 = schema::environments::table.select(schema::environments::id).first(conn).unwrap();
            diesel::insert_into(schema::deployed_versions::table)
                .values((
                    schema::deployed_versions::uuid.eq("d-1"),
                    schema::deployed_versions::pacticipant_id.eq(orders.id),
                    schema::deployed_versions::version_id.eq(version.id),
                    schema::deployed_versions::environment_id.eq(environment_id),
                    schema::deployed_versions::currently_deployed.eq(true),
                    schema::deployed_versions::created_at.eq("2026-12-04T00:00:00.000Z"),
                ))
                .execute(conn)
                .unwrap();
        })
        .await;

        let deleted = app.delete("/pacticipants/Orders").await;
        assert_eq!(deleted.status, 204, "{}", deleted.body);
        assert_eq!(app.get("/pacticipants/Orders").await.status, 404);
        assert_eq!(app.get("/pacts/provider/Orders/consumer/Web/latest").await.status, 404);
        assert_eq!(app.delete("/pacticipants/Orders").await.status, 404);
        let mut after = app.row_counts().await;
        let heads = with_conn(&app.db, |conn| {
            [
                schema::pact_heads::table.count().get_result::<i64>(conn).unwrap(),
                schema::version_heads::table.count().get_result::<i64>(conn).unwrap(),
                schema::verifications::table.count().get_result::<i64>(conn).unwrap(),
                schema::deployed_versions::table.count().get_result::<i64>(conn).unwrap(),
            ]
        })
        .await;
        for (table, count) in ["pact_heads", "version_heads", "verifications", "deployed_versions"].into_iter().zip(heads) {
            after.insert(table, count);
        }
        // Web keeps its version, branch and tag; Orders' version, branch, both publications and
        // every head that named Orders are gone; Web's version head on main stays.
        let expected = [
            ("pacticipants", 2),
            ("versions", 1),
            ("branches", 1),
            ("branch_versions", 1),
            ("tags", 1),
            ("publications", 0),
            ("pact_heads", 0),
            ("version_heads", 2),
            ("verifications", 0),
            ("deployed_versions", 0),
        ];
        for (table, count) in expected {
            assert_eq!(after.get(table), Some(&count), "{table}: {after:?}");
        }
        let web = app.get("/pacticipants/Web/versions/1").await;
        assert_eq!(web.status, 200);
        assert_eq!(web.body["_links"]["pb:pact-versions"], json!([]));
    }
);
