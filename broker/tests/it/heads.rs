//! Heads (`pact_heads`, `version_heads`): they follow publications, branches and tags as the API
//! writes them, never move backwards when an older version gains a tag or branch, follow merged
//! revisions, are recomputed on deletes, and the backfill migration rebuilds them from history.

use diesel::connection::SimpleConnection;
use serde_json::json;
use treaty_broker::storage::heads::{self, HeadScope};
use treaty_broker::storage::{AnyConnection, Db, pacticipants, publications, versions};

use crate::dbtest;
use crate::support::fixtures::{PublishBody, pact};
use crate::support::{Backend, TestApp};

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

/// Every head, rendered readably and sorted: `pact <scope> <name> <consumer>-><provider> <version>
/// r<revision>` and `version <scope> <name> <pacticipant> <version>`.
fn describe_heads(conn: &mut AnyConnection) -> Vec<String> {
    let name_of = |conn: &mut AnyConnection, id: i64| {
        pacticipants::find_pacticipants_by_ids(conn, &[id]).expect("pacticipant")[0]
            .name
            .clone()
    };
    let number_of = |conn: &mut AnyConnection, id: i64| {
        versions::find_versions_by_ids(conn, &[id]).expect("version")[0]
            .number
            .clone()
    };
    let mut lines = Vec::new();
    for scope in [HeadScope::Latest, HeadScope::Branch, HeadScope::Tag] {
        for head in heads::list_pact_heads(conn, None, scope, None).expect("pact heads") {
            let revision = publications::find_latest_revision(
                conn,
                head.consumer_version_id,
                head.provider_id,
            )
            .expect("revision")
            .expect("a publication");
            assert_eq!(
                revision.0.id, head.publication_id,
                "the head is the newest revision"
            );
            assert_eq!(revision.0.content_id, head.content_id);
            lines.push(format!(
                "pact {} {} {}->{} {} r{}",
                head.scope,
                head.scope_name,
                name_of(conn, head.consumer_id),
                name_of(conn, head.provider_id),
                number_of(conn, head.consumer_version_id),
                revision.0.revision
            ));
        }
    }
    for pacticipant in pacticipants::list_pacticipants(conn).expect("pacticipants") {
        for scope in [HeadScope::Branch, HeadScope::Tag] {
            for head in heads::list_version_heads(conn, pacticipant.id, scope).expect("heads") {
                lines.push(format!(
                    "version {} {} {} {}",
                    head.scope,
                    head.scope_name,
                    pacticipant.name,
                    number_of(conn, head.version_id)
                ));
            }
        }
    }
    lines.sort();
    lines
}

async fn heads_of(app: &TestApp) -> Vec<String> {
    with_conn(&app.db, describe_heads).await
}

async fn publish(app: &TestApp, body: PublishBody) {
    let reply = app.publish(&body.build()).await;
    assert!(
        reply.status < 300,
        "publish: {} {}",
        reply.status,
        reply.body
    );
}

fn body(version: &str, descriptions: &[&str]) -> PublishBody {
    PublishBody::new(
        "Web",
        version,
        "Orders",
        &pact("Web", "Orders", descriptions),
    )
}

dbtest!(
    async fn heads_follow_publications(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, body("1", &["a"]).branch("main").tags(&["prod"])).await;
        assert_eq!(
            heads_of(&app).await,
            [
                "pact branch main Web->Orders 1 r1",
                "pact latest  Web->Orders 1 r1",
                "pact tag prod Web->Orders 1 r1",
                "version branch main Web 1",
                "version tag prod Web 1",
            ]
        );
        publish(&app, body("2", &["b"]).branch("main")).await;
        // A version without a pact moves the version head only.
        app.put("/pacticipants/Web/branches/main/versions/3", &json!({})).await;
        assert_eq!(
            heads_of(&app).await,
            [
                "pact branch main Web->Orders 2 r1",
                "pact latest  Web->Orders 2 r1",
                "pact tag prod Web->Orders 1 r1",
                "version branch main Web 3",
                "version tag prod Web 1",
            ]
        );
        let found = with_conn(&app.db, |conn| {
            let web = pacticipants::find_pacticipant(conn, "Web").unwrap().unwrap();
            let orders = pacticipants::find_pacticipant(conn, "Orders").unwrap().unwrap();
            let on_main = heads::find_pact_head(conn, orders.id, web.id, HeadScope::Branch, "main")
                .unwrap()
                .unwrap();
            // The name is ignored for `latest`.
            let latest = heads::find_pact_head(conn, orders.id, web.id, HeadScope::Latest, "x")
                .unwrap()
                .unwrap();
            let missing =
                heads::find_pact_head(conn, orders.id, web.id, HeadScope::Tag, "main").unwrap();
            let named = heads::list_version_heads_named(conn, &[web.id, orders.id], HeadScope::Branch, "main")
                .unwrap();
            let main_heads = heads::list_main_branch_pact_heads(conn, orders.id).unwrap();
            let main_is_on_main = main_heads.len() == 1 && main_heads[0].id == on_main.id;
            (on_main.id == latest.id, on_main.consumer_version_id == latest.consumer_version_id, missing, named.len(), main_is_on_main)
        })
        .await;
        assert_eq!(found, (false, true, None, 1, true));
    }
);

dbtest!(
    async fn a_later_tag_or_branch_on_an_older_version_does_not_move_a_head_backwards(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, body("1", &["a"])).await;
        publish(&app, body("2", &["b"])).await;
        app.put("/pacticipants/Web/versions/2/tags/prod", &json!({})).await;
        app.put("/pacticipants/Web/branches/feat/versions/2", &json!({})).await;
        app.put("/pacticipants/Web/versions/1/tags/prod", &json!({})).await;
        app.put("/pacticipants/Web/branches/feat/versions/1", &json!({})).await;
        // Tagging moved the tag's heads to version 2 although it was published earlier.
        assert_eq!(
            heads_of(&app).await,
            [
                "pact branch feat Web->Orders 2 r1",
                "pact latest  Web->Orders 2 r1",
                "pact tag prod Web->Orders 2 r1",
                "version branch feat Web 2",
                "version tag prod Web 2",
            ]
        );
        // Publishing again for the older version (new provider) does not move the shared heads.
        publish(
            &app,
            PublishBody::new("Web", "1", "Billing", &pact("Web", "Billing", &["c"])),
        )
        .await;
        let lines = heads_of(&app).await;
        assert!(lines.contains(&"pact latest  Web->Billing 1 r1".to_owned()), "{lines:?}");
        assert!(lines.contains(&"pact tag prod Web->Billing 1 r1".to_owned()), "{lines:?}");
        assert!(lines.contains(&"pact latest  Web->Orders 2 r1".to_owned()), "{lines:?}");
        assert!(lines.contains(&"version tag prod Web 2".to_owned()), "{lines:?}");
    }
);

dbtest!(
    async fn merged_revisions_move_the_head_content(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, body("1", &["a"]).branch("main").tags(&["prod"])).await;
        let before = with_conn(&app.db, |conn| heads::list_pact_heads(conn, None, HeadScope::Latest, None).unwrap()).await;
        publish(&app, body("1", &["b"]).on_conflict("merge")).await;
        assert_eq!(
            heads_of(&app).await,
            [
                "pact branch main Web->Orders 1 r2",
                "pact latest  Web->Orders 1 r2",
                "pact tag prod Web->Orders 1 r2",
                "version branch main Web 1",
                "version tag prod Web 1",
            ]
        );
        let after = with_conn(&app.db, |conn| heads::list_pact_heads(conn, None, HeadScope::Latest, None).unwrap()).await;
        assert_ne!(before[0].content_id, after[0].content_id);
        assert_ne!(before[0].publication_id, after[0].publication_id);
    }
);

dbtest!(
    async fn deletes_recompute_the_heads(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, body("1", &["a"]).branch("main").tags(&["prod"])).await;
        publish(&app, body("2", &["b"]).branch("main").tags(&["prod"])).await;
        publish(&app, body("3", &["c"]).branch("feat")).await;
        assert_eq!(app.delete("/pacticipants/Web/versions/2/tags/prod").await.status, 204);
        let lines = heads_of(&app).await;
        assert!(lines.contains(&"pact tag prod Web->Orders 1 r1".to_owned()), "{lines:?}");
        assert!(lines.contains(&"version tag prod Web 1".to_owned()), "{lines:?}");
        assert_eq!(app.delete("/pacticipants/Web/versions/1/tags/prod").await.status, 204);
        assert_eq!(app.delete("/pacticipants/Web/branches/feat").await.status, 204);
        assert_eq!(
            heads_of(&app).await,
            [
                "pact branch main Web->Orders 2 r1",
                "pact latest  Web->Orders 3 r1",
                "version branch main Web 2",
            ]
        );
        // Deleting versions recomputes every head that pointed at them.
        with_conn(&app.db, |conn| {
            let web = pacticipants::find_pacticipant(conn, "Web").unwrap().unwrap();
            for number in ["3", "2"] {
                let version = versions::find_version(conn, web.id, number).unwrap().unwrap();
                versions::delete_version(conn, version.id).unwrap();
            }
        })
        .await;
        assert_eq!(
            heads_of(&app).await,
            [
                "pact branch main Web->Orders 1 r1",
                "pact latest  Web->Orders 1 r1",
                "version branch main Web 1",
            ]
        );
        with_conn(&app.db, |conn| {
            let orders = pacticipants::find_pacticipant(conn, "Orders").unwrap().unwrap();
            pacticipants::delete_pacticipant(conn, orders.id).unwrap();
        })
        .await;
        assert_eq!(heads_of(&app).await, ["version branch main Web 1"]);
    }
);

dbtest!(
    async fn the_backfill_migration_rebuilds_the_heads_from_history(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, body("1", &["a"]).branch("main").tags(&["prod", "dev"])).await;
        publish(&app, body("1", &["b"]).on_conflict("merge")).await;
        publish(&app, body("2", &["c"]).branch("main").tags(&["dev"])).await;
        publish(&app, body("3", &["d"]).branch("feat")).await;
        publish(
            &app,
            PublishBody::new("Web", "2", "Billing", &pact("Web", "Billing", &["e"])).branch("main"),
        )
        .await;
        app.put("/pacticipants/Web/branches/main/versions/4", &json!({})).await;
        app.put("/pacticipants/Orders/versions/9/tags/prod", &json!({})).await;
        let maintained = heads_of(&app).await;
        assert_eq!(maintained.len(), 13, "{maintained:?}");
        let up = match backend {
            Backend::Sqlite => {
                include_str!("../../migrations/sqlite/2026-12-04-010000_backfill_heads/up.sql")
            }
            Backend::Postgres => {
                include_str!("../../migrations/postgres/2026-12-04-010000_backfill_heads/up.sql")
            }
        };
        let down = include_str!("../../migrations/sqlite/2026-12-04-010000_backfill_heads/down.sql");
        let rebuilt = with_conn(&app.db, move |conn| {
            conn.batch_execute(down).expect("down.sql");
            assert!(describe_heads(conn).is_empty());
            conn.batch_execute(up).expect("up.sql");
            describe_heads(conn)
        })
        .await;
        assert_eq!(rebuilt, maintained);
    }
);

dbtest!(
    async fn concurrent_publications_leave_the_heads_that_history_gives(backend) {
        let app = TestApp::start(backend).await;
        let tasks: Vec<_> = (1..=24)
            .map(|n| {
                let client = app.client.clone();
                let url = app.url("/contracts/publish");
                let version = n.to_string();
                let tags: &[&str] = if n % 2 == 0 { &["even"] } else { &["odd"] };
                let body = body(&version, &[version.as_str()]).branch(if n % 3 == 0 { "three" } else { "main" }).tags(tags).build();
                tokio::spawn(async move {
                    let response = client.post(url).header("Content-Type", "application/json").body(body.to_string()).send().await.expect("sent");
                    response.status().as_u16()
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("task"), 200);
        }
        let maintained = heads_of(&app).await;
        // 1 latest + 2 branches + 2 tags pact heads, 2 + 2 version heads.
        assert_eq!(maintained.len(), 9, "{maintained:?}");
        let up = match backend {
            Backend::Sqlite => include_str!("../../migrations/sqlite/2026-12-04-010000_backfill_heads/up.sql"),
            Backend::Postgres => include_str!("../../migrations/postgres/2026-12-04-010000_backfill_heads/up.sql"),
        };
        let down = include_str!("../../migrations/sqlite/2026-12-04-010000_backfill_heads/down.sql");
        let (rebuilt, latest_is_newest) = with_conn(&app.db, move |conn| {
            let web = pacticipants::find_pacticipant(conn, "Web").unwrap().unwrap();
            let orders = pacticipants::find_pacticipant(conn, "Orders").unwrap().unwrap();
            let newest = versions::find_latest_version(conn, web.id).unwrap().unwrap();
            let head = heads::find_pact_head(conn, orders.id, web.id, HeadScope::Latest, "").unwrap().unwrap();
            conn.batch_execute(down).expect("down.sql");
            conn.batch_execute(up).expect("up.sql");
            (describe_heads(conn), head.consumer_version_id == newest.id)
        })
        .await;
        assert!(latest_is_newest, "the latest head is the highest version id");
        assert_eq!(rebuilt, maintained, "what concurrent writers maintained equals what history gives");
    }
);
