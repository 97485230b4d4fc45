//! Access control over HTTP: the role matrix (each caller × each kind of endpoint), public
//! read, an open broker closing when its first token is made, the token lifecycle, 401
//! challenges, slowed-down guessing, and secrets never stored.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use treaty_broker::domain::access::tokens;
use treaty_broker::domain::access::{AccessPolicy, BasicUser};

use crate::dbtest;
use crate::support::fixtures::{PublishBody, pact};
use crate::support::{Reply, TestApp};

/// Credentials a test request carries.
#[derive(Debug, Clone)]
enum Auth {
    None,
    Bearer(String),
    Basic(&'static str, &'static str),
}

async fn call(app: &TestApp, method: &str, path: &str, body: Option<Value>, auth: &Auth) -> Reply {
    call_from(app, &app.client, method, path, body, auth).await
}

/// A client whose requests come from `address` (any of 127.0.0.0/8), for tests that must not
/// run into the throttle another test's failures started.
fn client_from(address: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(address))
        .build()
        .expect("client")
}

async fn call_from(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    body: Option<Value>,
    auth: &Auth,
) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client
        .request(method, app.url(path))
        .header("Accept", "application/hal+json, application/json");
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    request = match auth {
        Auth::None => request,
        Auth::Bearer(token) => request.bearer_auth(token),
        Auth::Basic(user, password) => request.basic_auth(user, Some(password)),
    };
    TestApp::reply(request.send().await.expect("request sent")).await
}

fn basic_users(public_read: bool) -> AccessPolicy {
    AccessPolicy {
        read_write: Some(BasicUser {
            username: "rw".to_owned(),
            password: "rw-secret".to_owned(),
        }),
        read_only: Some(BasicUser {
            username: "ro".to_owned(),
            password: "ro-secret".to_owned(),
        }),
        allow_public_read: public_read,
    }
}

async fn token(app: &TestApp, name: &str, role: &str) -> String {
    tokens::create_token(&app.db, name.to_owned(), role)
        .await
        .expect("create token")
        .secret
}

/// Waits until a broker that was open notices its first token (it looks once a second).
async fn wait_until_closed(app: &TestApp) {
    let started = Instant::now();
    loop {
        let reply = call(app, "GET", "/pacticipants", None, &Auth::None).await;
        if reply.status == 401 {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "closed within a second or so, still {}",
            reply.status
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One request of each kind, with a body the endpoint accepts, so that an allowed request is
/// answered by the endpoint itself (2xx, or a 4xx of its own such as 404).
fn endpoint_kinds() -> Vec<(&'static str, &'static str, &'static str, Option<Value>)> {
    vec![
        ("probe", "GET", "/health", None),
        ("read", "GET", "/pacticipants", None),
        (
            "read",
            "GET",
            "/matrix?q[][pacticipant]=C&q[][version]=1",
            None,
        ),
        (
            "read (POST)",
            "POST",
            "/pacts/provider/P/for-verification",
            Some(json!({})),
        ),
        (
            "write",
            "POST",
            "/contracts/publish",
            Some(PublishBody::new("C", "1", "P", &pact("C", "P", &["a"])).build()),
        ),
        (
            "write",
            "PUT",
            "/pacticipants/C/versions/1/tags/prod",
            Some(json!({})),
        ),
        ("admin (delete)", "DELETE", "/pacticipants/nobody", None),
        (
            "admin (environments)",
            "POST",
            "/environments",
            Some(json!({ "name": "env", "production": false })),
        ),
        ("admin (tokens)", "GET", "/tokens", None),
    ]
}

/// What each caller gets for each kind: `ok` means the endpoint itself answered (not 401/403).
fn expected(caller: &str, kind: &str, public_read: bool) -> &'static str {
    let level = match kind {
        "probe" => 0,
        "read" | "read (POST)" => 1,
        "write" => 2,
        _ => 3,
    };
    let (role, anonymous) = match caller {
        "anonymous" => (0, true),
        "wrong token" | "wrong password" => return if level == 0 { "ok" } else { "401" },
        "read token" | "basic read-only" => (1, false),
        "write token" => (2, false),
        "admin token" | "basic read-write" => (3, false),
        other => panic!("unknown caller {other}"),
    };
    match (level, anonymous) {
        (0, _) => "ok",
        (1, true) if public_read => "ok",
        (_, true) => "401",
        _ if role >= level => "ok",
        _ => "403",
    }
}

async fn assert_role_matrix(app: &TestApp, public_read: bool) {
    let callers = vec![
        ("anonymous", Auth::None),
        (
            "wrong token",
            Auth::Bearer("treaty_000000000000000000000000_nope".to_owned()),
        ),
        ("wrong password", Auth::Basic("rw", "guess")),
        (
            "read token",
            Auth::Bearer(token(app, "reader", "read").await),
        ),
        (
            "write token",
            Auth::Bearer(token(app, "writer", "write").await),
        ),
        (
            "admin token",
            Auth::Bearer(token(app, "admin", "admin").await),
        ),
        ("basic read-only", Auth::Basic("ro", "ro-secret")),
        ("basic read-write", Auth::Basic("rw", "rw-secret")),
    ];
    let mut mismatches = Vec::new();
    // Every wrong credential comes from its own address, so no answer is held by the throttle.
    let mut address = [127, 0, 1, 0];
    for (caller, auth) in &callers {
        for (kind, method, path, body) in endpoint_kinds() {
            address[3] += 1;
            let reply = call_from(app, &client_from(address), method, path, body, auth).await;
            let got = match reply.status {
                401 | 403 => reply.status.to_string(),
                status if status < 500 => "ok".to_owned(),
                status => format!("{status}: {}", reply.body),
            };
            let want = expected(caller, kind, public_read);
            if got != want {
                mismatches.push(format!(
                    "{caller} × {kind} ({method} {path}): expected {want}, got {got} {}",
                    reply.body
                ));
            }
            if reply.status == 401 || reply.status == 403 {
                assert!(
                    reply.body["error"]
                        .as_str()
                        .is_some_and(|text| !text.is_empty()),
                    "{caller} × {kind}: a refusal says why: {}",
                    reply.body
                );
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

dbtest!(
    async fn each_role_reaches_exactly_its_endpoints(backend) {
        let app = TestApp::builder(backend).access(basic_users(false)).start().await;
        assert_role_matrix(&app, false).await;
    }
);

dbtest!(
    async fn public_read_lets_anonymous_callers_read_only(backend) {
        let app = TestApp::builder(backend).access(basic_users(true)).start().await;
        assert_role_matrix(&app, true).await;
    }
);

dbtest!(
    async fn an_open_broker_closes_when_its_first_token_is_created(backend) {
        let app = TestApp::start(backend).await;
        let publish = PublishBody::new("C", "1", "P", &pact("C", "P", &["a"])).build();
        let reply = call(&app, "POST", "/contracts/publish", Some(publish), &Auth::None).await;
        assert_eq!(reply.status, 200, "open: anyone may publish: {}", reply.body);
        let over_the_api = call(
            &app,
            "POST",
            "/tokens",
            Some(json!({ "name": "first-admin", "role": "admin" })),
            &Auth::None,
        )
        .await;
        assert_eq!(over_the_api.status, 403, "nobody takes an open broker over: {}", over_the_api.body);
        assert!(
            over_the_api.body["error"].as_str().is_some_and(|m| m.contains("treaty-broker token create")),
            "{}",
            over_the_api.body
        );
        // What `treaty-broker token create` does, on the same database.
        let secret = token(&app, "first-admin", "admin").await;
        wait_until_closed(&app).await;
        let allowed = call(&app, "GET", "/pacticipants", None, &Auth::Bearer(secret)).await;
        assert_eq!(allowed.status, 200);
    }
);

dbtest!(
    async fn a_token_is_created_used_listed_and_revoked(backend) {
        let app = TestApp::start(backend).await;
        let admin = Auth::Bearer(token(&app, "admin", "admin").await);
        wait_until_closed(&app).await;
        let created = call(
            &app,
            "POST",
            "/tokens",
            Some(json!({ "name": "orders-ci", "role": "write" })),
            &admin,
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.body["role"], "write");
        assert_eq!(created.body["lastUsedAt"], Value::Null);
        let ci = Auth::Bearer(created.body["token"].as_str().expect("token").to_owned());

        let publish = PublishBody::new("C", "1", "P", &pact("C", "P", &["a"])).build();
        let published = call(&app, "POST", "/contracts/publish", Some(publish), &ci).await;
        assert_eq!(published.status, 200, "{}", published.body);

        let listed = call(&app, "GET", "/tokens", None, &admin).await;
        assert_eq!(listed.status, 200);
        let entries = listed.body["tokens"].as_array().expect("tokens");
        let names: Vec<&str> = entries.iter().filter_map(|t| t["name"].as_str()).collect();
        assert_eq!(names, ["admin", "orders-ci"]);
        let ci_entry = &entries[1];
        assert!(ci_entry["lastUsedAt"].is_string(), "last use is recorded: {ci_entry}");
        assert!(
            entries.iter().all(|entry| entry.get("token").is_none()),
            "listings never show secrets: {}",
            listed.body
        );

        let duplicate = call(
            &app,
            "POST",
            "/tokens",
            Some(json!({ "name": "orders-ci", "role": "read" })),
            &admin,
        )
        .await;
        assert_eq!(duplicate.status, 409, "{}", duplicate.body);
        let invalid = call(
            &app,
            "POST",
            "/tokens",
            Some(json!({ "name": "a b", "role": "owner" })),
            &admin,
        )
        .await;
        assert_eq!(invalid.status, 400, "{}", invalid.body);
        assert!(invalid.body["errors"]["name"].is_array(), "{}", invalid.body);
        assert!(invalid.body["errors"]["role"].is_array(), "{}", invalid.body);

        let revoked = call(&app, "DELETE", "/tokens/orders-ci", None, &admin).await;
        assert_eq!(revoked.status, 204);
        let again = call(&app, "DELETE", "/tokens/orders-ci", None, &admin).await;
        assert_eq!(again.status, 404, "{}", again.body);
        let refused = call(&app, "GET", "/pacticipants", None, &ci).await;
        assert_eq!(refused.status, 401, "a revoked token is refused: {}", refused.body);
        assert_eq!(refused.body["error"], "unknown or revoked token");
    }
);

dbtest!(
    async fn only_a_salted_hash_of_a_token_is_stored(backend) {
        let app = TestApp::start(backend).await;
        let first = token(&app, "one", "read").await;
        let second = token(&app, "two", "read").await;
        assert!(first.starts_with("treaty_") && second.starts_with("treaty_"));
        assert_ne!(first, second);
        let db = app.db.clone();
        let rows = tokio::task::spawn_blocking(move || {
            let mut conn = db.connection().expect("connection");
            treaty_broker::storage::tokens::list_tokens(&mut conn).expect("rows")
        })
        .await
        .expect("join");
        assert_eq!(rows.len(), 2);
        for (row, secret) in rows.iter().zip([&first, &second]) {
            // `treaty_<key>_<secret>`; the secret (base64url) may itself contain `_`.
            let (_, secret_part) = secret
                .strip_prefix("treaty_")
                .and_then(|rest| rest.split_once('_'))
                .expect("treaty_<key>_<secret>");
            assert_eq!(secret_part.len(), 43, "32 random bytes, base64url");
            let stored = format!("{row:?}");
            assert!(!stored.contains(secret_part), "the secret is not stored: {stored}");
            assert_eq!(row.secret_hash.len(), 64);
        }
        assert_ne!(rows[0].salt, rows[1].salt, "each token has its own salt");
    }
);

dbtest!(
    async fn a_401_challenges_and_problem_details_keep_the_challenge(backend) {
        let app = TestApp::builder(backend).access(basic_users(false)).start().await;
        let response = app
            .client
            .get(app.url("/pacticipants"))
            .header("Accept", "application/problem+json")
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 401);
        let challenge = response
            .headers()
            .get("www-authenticate")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(challenge, "Bearer realm=\"treaty-broker\", Basic realm=\"treaty-broker\"");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["status"], 401);
        assert_eq!(body["title"], "Credentials required");
        let odd = call(&app, "GET", "/pacticipants", None, &Auth::None).await;
        assert!(odd.body["error"].as_str().is_some_and(|m| m.contains("--broker-token")));
        let scheme = app
            .client
            .get(app.url("/pacticipants"))
            .header("Authorization", "Digest abc")
            .send()
            .await
            .expect("sent");
        let body: Value = scheme.json().await.expect("json");
        assert!(
            body["error"].as_str().is_some_and(|m| m.contains("unsupported Authorization scheme `Digest`")),
            "{body}"
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_address_that_keeps_failing_is_refused_for_a_while_unchecked() {
    let app = TestApp::builder(crate::support::Backend::Sqlite)
        .access(basic_users(false))
        .start()
        .await;
    let client = client_from([127, 0, 2, 1]);
    let wrong = Auth::Basic("rw", "guess");
    let right = Auth::Basic("rw", "rw-secret");
    for attempt in 1..=6 {
        let reply = call_from(&app, &client, "GET", "/", None, &wrong).await;
        assert_eq!(
            reply.status, 401,
            "failure {attempt} is checked and refused"
        );
    }
    // The sixth failure refuses the address for 100 ms, even with the right password.
    let blocked = app
        .client
        .get(app.url("/"))
        .basic_auth("rw", Some("rw-secret"))
        .build()
        .expect("request");
    let reply = client.execute(blocked).await.expect("sent");
    assert_eq!(reply.status().as_u16(), 429);
    assert_eq!(
        reply
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let other = call_from(&app, &client_from([127, 0, 2, 2]), "GET", "/", None, &right).await;
    assert_eq!(other.status, 200, "other addresses are not affected");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let later = call_from(&app, &client, "GET", "/", None, &right).await;
    assert_eq!(
        later.status, 200,
        "after the pause the address is served again"
    );
}

dbtest!(
    async fn percent_encoded_paths_need_the_role_of_the_route_they_reach(backend) {
        let app = TestApp::builder(backend).access(basic_users(false)).start().await;
        let writer = Auth::Bearer(token(&app, "writer", "write").await);
        let reader = Auth::Bearer(token(&app, "reader", "read").await);
        let created = call(
            &app,
            "POST",
            "/%74okens",
            Some(json!({ "name": "sneaky", "role": "admin" })),
            &writer,
        )
        .await;
        assert_eq!(created.status, 403, "/%74okens is /tokens: {}", created.body);
        let listed = call(&app, "GET", "/%74okens", None, &reader).await;
        assert_eq!(listed.status, 403, "{}", listed.body);
        let environment = call(
            &app,
            "POST",
            "/%65nvironments",
            Some(json!({ "name": "prod", "production": true })),
            &writer,
        )
        .await;
        assert_eq!(environment.status, 403, "{}", environment.body);
        let admin = Auth::Basic("rw", "rw-secret");
        let allowed = call(&app, "GET", "/%74okens", None, &admin).await;
        assert_eq!(allowed.status, 200, "and it is the tokens resource: {}", allowed.body);
    }
);

dbtest!(
    async fn a_bare_token_sent_without_a_scheme_is_not_echoed(backend) {
        let app = TestApp::builder(backend).access(basic_users(false)).start().await;
        let secret = token(&app, "ci", "read").await;
        let reply = app
            .client
            .get(app.url("/pacticipants"))
            .header("Authorization", secret.clone())
            .send()
            .await
            .expect("sent");
        assert_eq!(reply.status().as_u16(), 401);
        let body = reply.text().await.expect("body");
        assert!(!body.contains(&secret), "{body}");
        assert!(body.contains("unsupported Authorization scheme"), "{body}");
    }
);
