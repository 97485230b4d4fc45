//! Bad input gets a 4xx JSON error saying what and where: malformed JSON, bodies over the
//! limit, unknown pacticipants, unknown routes.

use crate::dbtest;
use crate::support::fixtures::{PublishBody, pact};
use crate::support::{Reply, TestApp};

async fn raw(app: &TestApp, method: reqwest::Method, path: &str, body: &'static str) -> Reply {
    let response = app
        .client
        .request(method, app.url(path))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("sent");
    TestApp::reply(response).await
}

dbtest!(
    async fn malformed_json_is_a_400_naming_the_position(backend) {
        let app = TestApp::start(backend).await;
        let reply = raw(&app, reqwest::Method::POST, "/contracts/publish", "{\"pacticipantName\": ").await;
        assert_eq!(reply.status, 400);
        assert!(reply.content_type.contains("json"), "{}", reply.content_type);
        let message = reply.body["errors"]["body"][0].as_str().unwrap_or_default();
        assert!(message.contains("line 1 column"), "{message}");
        let wrong_type = raw(&app, reqwest::Method::POST, "/contracts/publish", "{\"pacticipantName\": 7}").await;
        assert_eq!(wrong_type.status, 400);
        assert_eq!(raw(&app, reqwest::Method::PUT, "/pacts/provider/B/consumer/F/version/1", "").await.status, 400);
        assert_eq!(raw(&app, reqwest::Method::PATCH, "/pacticipants/Foo", "[").await.status, 400);
    }
);

dbtest!(
    async fn bodies_over_the_limit_are_a_413(backend) {
        let app = TestApp::builder(backend).max_body_bytes(2048).start().await;
        let descriptions: Vec<String> = (0..100).map(|index| format!("request number {index}")).collect();
        let descriptions: Vec<&str> = descriptions.iter().map(String::as_str).collect();
        let body = PublishBody::new("Foo", "1", "Bar", &pact("Foo", "Bar", &descriptions)).build();
        let reply = app.publish(&body).await;
        assert_eq!(reply.status, 413);
        assert!(reply.body["errors"]["body"][0].as_str().unwrap_or_default().contains("2048 bytes"), "{}", reply.body);
        // Without a Content-Length (chunked), the limit still holds.
        assert_eq!(chunked_status(&app, &body.to_string()).await, 413);
        assert_eq!(app.row_counts().await["pacticipants"], 0);
    }
);

/// Sends `body` with `Transfer-Encoding: chunked` over a raw socket; returns the status.
async fn chunked_status(app: &TestApp, body: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let mut request = format!(
        "POST /contracts/publish HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    for chunk in body.as_bytes().chunks(512) {
        request.push_str(&format!(
            "{:x}\r\n{}\r\n",
            chunk.len(),
            String::from_utf8_lossy(chunk)
        ));
    }
    request.push_str("0\r\n\r\n");
    let _ = stream.write_all(request.as_bytes()).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response);
    text.split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0)
}

dbtest!(
    async fn unknown_pacticipants_and_routes_are_json_404s(backend) {
        let app = TestApp::start(backend).await;
        for path in [
            "/pacticipants/Nobody",
            "/pacticipants/Nobody/versions/1",
            "/pacticipants/Nobody/latest-version",
            "/pacticipants/Nobody/branches",
            "/pacts/provider/Bar/consumer/Nobody/latest",
            "/pacts/provider/Bar/consumer/Nobody/version/1",
            "/no/such/route",
        ] {
            let reply = app.get(path).await;
            assert_eq!(reply.status, 404, "{path}");
            assert!(reply.body["error"].is_string(), "{path}: {:?}", reply.body);
        }
        assert!(app.get("/pacticipants/Nobody").await.body["error"].as_str().unwrap_or_default().contains("`Nobody`"));
    }
);

dbtest!(
    async fn problem_details_are_served_when_asked_for(backend) {
        let app = TestApp::start(backend).await;
        let response = app
            .client
            .post(app.url("/contracts/publish"))
            .header("Accept", "application/problem+json")
            .header("Content-Type", "application/json")
            .body(r#"{"pacticipantName": "Foo", "contracts": []}"#)
            .send()
            .await
            .expect("sent");
        let reply = TestApp::reply(response).await;
        assert_eq!(reply.status, 400);
        assert_eq!(reply.content_type, "application/problem+json");
        assert!(reply.body["type"].as_str().unwrap_or_default().ends_with("/problems/validation-error"), "{}", reply.body);
        let pointers: Vec<&str> = reply.body["errors"].as_array().into_iter().flatten().filter_map(|e| e["pointer"].as_str()).collect();
        assert_eq!(pointers, ["/pacticipantVersionNumber", "/contracts"], "{}", reply.body);
        let missing = app.client.get(app.url("/pacticipants/Nobody")).header("Accept", "application/problem+json").send().await.expect("sent");
        let missing = TestApp::reply(missing).await;
        assert_eq!((missing.status, missing.body["status"].as_u64()), (404, Some(404)));
        assert_eq!(missing.body["instance"], "/pacticipants/Nobody");
    }
);

dbtest!(
    async fn a_server_error_says_nothing_internal(backend) {
        let app = TestApp::start(backend).await;
        app.publish(&PublishBody::new("Foo", "1", "Bar", &pact("Foo", "Bar", &["a request"])).build()).await;
        let db = app.db.clone();
        tokio::task::spawn_blocking(move || {
            use diesel::connection::SimpleConnection;
            let mut conn = db.connection().expect("connection");
            conn.batch_execute("UPDATE contents SET content = 'corrupted text'").expect("corrupt the content");
        })
        .await
        .expect("join");
        let reply = app.get("/pacts/provider/Bar/consumer/Foo/version/1").await;
        assert_eq!(reply.status, 500);
        assert_eq!(reply.body, serde_json::json!({ "error": "internal error: the failure was logged" }));
    }
);

dbtest!(
    async fn oversized_heads_names_and_nesting_get_a_4xx_naming_the_limit(backend) {
        let app = TestApp::start(backend).await;
        let long_path = app.get(&format!("/pacticipants/{}", "a".repeat(3000))).await;
        assert_eq!(long_path.status, 414, "{}", long_path.body);
        assert!(long_path.body["error"].as_str().is_some_and(|m| m.contains("limit is 2048")));
        let long_query = app.get(&format!("/matrix?{}", "q[][pacticipant]=a&".repeat(500))).await;
        assert_eq!(long_query.status, 414, "{}", long_query.body);
        assert!(long_query.body["error"].as_str().is_some_and(|m| m.contains("query string")));
        let big_header = app
            .client
            .get(app.url("/"))
            .header("X-Padding", "b".repeat(9000))
            .send()
            .await
            .expect("sent");
        assert_eq!(big_header.status().as_u16(), 431);
        let body: serde_json::Value = big_header.json().await.expect("json");
        assert!(body["error"].as_str().is_some_and(|m| m.contains("x-padding")), "{body}");

        let long_name = app.get(&format!("/pacticipants/{}", "n".repeat(1001))).await;
        assert_eq!(long_name.status, 400, "{}", long_name.body);

        let mut deep = serde_json::json!({ "leaf": true });
        for _ in 0..200 {
            deep = serde_json::json!({ "nested": deep });
        }
        let mut document = pact("C", "P", &["a"]);
        document["interactions"][0]["response"]["body"] = deep;
        let published = app.publish(&PublishBody::new("C", "1", "P", &document).build()).await;
        assert_eq!(published.status, 400, "{}", published.body);
        assert!(published.body.to_string().contains("recursion limit"), "{}", published.body);
        assert_eq!(app.get("/health").await.status, 200, "the broker is still up");
    }
);

dbtest!(
    async fn text_with_nul_or_control_characters_is_a_400_never_a_500(backend) {
        // Found by schemathesis: PostgreSQL cannot store NUL in text, so a build URL with one
        // used to fail the write with a 500.
        let app = TestApp::start(backend).await;
        let version = app
            .patch(
                "/pacticipants/web/versions/1",
                &serde_json::json!({ "buildUrl": "https://ci.example/\u{0}x", "branch": "main" }),
            )
            .await;
        assert_eq!(version.status, 400, "{}", version.body);
        assert!(version.body["errors"]["buildUrl"].is_array(), "{}", version.body);
        let pacticipant = app
            .put("/pacticipants/web", &serde_json::json!({ "displayName": "Web\u{0}", "repositoryUrl": "x\ny" }))
            .await;
        assert_eq!(pacticipant.status, 400, "{}", pacticipant.body);
        assert!(pacticipant.body["errors"]["displayName"].is_array(), "{}", pacticipant.body);
        assert!(pacticipant.body["errors"]["repositoryUrl"].is_array(), "{}", pacticipant.body);
        for path in [
            "/environments?name=a%00b",
            "/environments/00000000-0000-4000-8000-000000000000%00",
            "/can-i-deploy?pacticipant=web&version=1%00&to=prod",
            "/pacticipants?pacticipant=%00",
        ] {
            let reply = app.get(path).await;
            assert!(reply.status < 500, "{path}: {} {}", reply.status, reply.body);
        }
    }
);
