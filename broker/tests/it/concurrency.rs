//! Concurrent publications: 50 identical requests leave exactly one version, content and
//! publication and all succeed; 50 requests for distinct versions all land.

use futures_join::join_all;

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

mod futures_join {
    //! A minimal `join_all` over spawned tasks (no extra dependency).
    pub(crate) async fn join_all<T: Send + 'static>(
        tasks: Vec<tokio::task::JoinHandle<T>>,
    ) -> Vec<T> {
        let mut results = Vec::with_capacity(tasks.len());
        for task in tasks {
            results.push(task.await.expect("task"));
        }
        results
    }
}

async fn publish_all(app: &TestApp, bodies: Vec<serde_json::Value>) -> Vec<(u16, String)> {
    let tasks = bodies
        .into_iter()
        .map(|body| {
            let client = app.client.clone();
            let url = app.url("/contracts/publish");
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .header("Content-Type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await
                    .expect("sent");
                let status = response.status().as_u16();
                (status, response.text().await.unwrap_or_default())
            })
        })
        .collect();
    join_all(tasks).await
}

dbtest!(
    async fn fifty_identical_publications_make_one_of_everything(backend) {
        let app = TestApp::start(backend).await;
        let body = PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["a request"])).branch("main").tags(&["dev"]).build();
        let results = publish_all(&app, vec![body; 50]).await;
        for (status, text) in &results {
            assert_eq!(*status, 200, "{text}");
        }
        let counts = app.row_counts().await;
        assert_eq!(counts["pacticipants"], 2, "{counts:?}");
        assert_eq!(counts["versions"], 1, "{counts:?}");
        assert_eq!(counts["contents"], 1, "{counts:?}");
        assert_eq!(counts["publications"], 1, "{counts:?}");
        assert_eq!(counts["branches"], 1, "{counts:?}");
        assert_eq!(counts["branch_versions"], 1, "{counts:?}");
        assert_eq!(counts["tags"], 1, "{counts:?}");
    }
);

dbtest!(
    async fn fifty_publications_of_distinct_versions_all_land(backend) {
        let app = TestApp::start(backend).await;
        let bodies = (0..50)
            .map(|index| {
                let description = format!("request {index}");
                PublishBody::new("Foo", &format!("1.0.{index}"), "Bar", &pact("Foo", "Bar", &[description.as_str()])).branch("main").build()
            })
            .collect();
        let results = publish_all(&app, bodies).await;
        for (status, text) in &results {
            assert_eq!(*status, 200, "{text}");
        }
        let counts = app.row_counts().await;
        assert_eq!((counts["versions"], counts["contents"], counts["publications"]), (50, 50, 50), "{counts:?}");
        assert_eq!((counts["pacticipants"], counts["branches"], counts["branch_versions"]), (2, 1, 50), "{counts:?}");
    }
);
