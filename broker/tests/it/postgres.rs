//! PostgreSQL as production runs it. Over TLS, as managed services require: the broker serves
//! on a `sslmode=require` connection (checked in `pg_stat_ssl`), and `verify-full` accepts the
//! server's certificate for its name and refuses it for another name or without the root. And
//! with the statement timeout set by `--db-statement-timeout-ms`.
//!
//! Needs `TREATY_TEST_DATABASE_URL` (a server with TLS on) and `TREATY_TEST_PG_ROOT_CERT`, the
//! certificate that signed the server's (`.ci/run` reads it from `SHOW ssl_cert_file`);
//! `TREATY_TEST_PG_TLS_HOST` is the name in it (default `localhost`).

use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde_json::json;
use treaty_broker::storage::{AnyConnection, ConnectionSettings, DatabaseTarget, Db, conn};

use crate::support::chaos;
use crate::support::fixtures::{PublishBody, pact};
use crate::support::{Backend, TestApp, TestDatabase, postgres_url, skip_postgres};

#[derive(QueryableByName)]
struct SslState {
    #[diesel(sql_type = Bool)]
    ssl: bool,
}

/// Whether the connection `target` opens is encrypted.
fn uses_tls(target: &DatabaseTarget) -> bool {
    let mut connection = conn::establish(target).expect("connect");
    let AnyConnection::Pg(pg) = &mut connection else {
        panic!("a PostgreSQL target");
    };
    diesel::sql_query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .get_result::<SslState>(pg)
        .expect("pg_stat_ssl")
        .ssl
}

/// `url` with extra query parameters.
fn with_params(url: &str, params: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{params}")
}

fn postgres_url_of(database: &TestDatabase) -> String {
    match &database.target {
        DatabaseTarget::Postgres(url) => url.clone(),
        DatabaseTarget::Sqlite(_) => panic!("a PostgreSQL database"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_broker_serves_over_a_tls_connection_with_sslmode_require() {
    if postgres_url().is_none() {
        skip_postgres("postgres::the_broker_serves_over_a_tls_connection_with_sslmode_require");
        return;
    }
    let plain = TestDatabase::create(Backend::Postgres);
    let required =
        DatabaseTarget::Postgres(with_params(&postgres_url_of(&plain), "sslmode=require"));
    assert!(
        uses_tls(&required),
        "sslmode=require opens a TLS connection"
    );
    let app = TestApp::builder(Backend::Postgres)
        .postgres_params("sslmode=require")
        .start()
        .await;
    assert!(uses_tls(app.db.target()), "the broker's own pool uses TLS");
    let published = app
        .publish(&PublishBody::new("C", "1", "P", &pact("C", "P", &["a"])).build())
        .await;
    assert_eq!(published.status, 200, "{}", published.body);
    let fetched = app.get("/pacts/provider/P/consumer/C/latest").await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body["consumer"], json!({ "name": "C" }));
}

#[test]
fn verify_full_checks_the_server_certificate_and_its_name() {
    let (Some(server), Ok(root)) = (postgres_url(), std::env::var("TREATY_TEST_PG_ROOT_CERT"))
    else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: PostgreSQL verify-full needs TREATY_TEST_DATABASE_URL and TREATY_TEST_PG_ROOT_CERT (postgres::verify_full_checks_the_server_certificate_and_its_name)"
        );
        return;
    };
    let name = std::env::var("TREATY_TEST_PG_TLS_HOST").unwrap_or_else(|_| "localhost".to_owned());
    let address = chaos::postgres_address(&server).expect("a host:port");
    let (host, port) = address.rsplit_once(':').expect("host:port");
    // `host` is the name the certificate must carry, `hostaddr` where the server listens.
    let url = |name: &str, root: &str| {
        let named = chaos::with_address(&server, &format!("{name}:{port}")).expect("a URL");
        DatabaseTarget::Postgres(with_params(
            &named,
            &format!("hostaddr={host}&sslmode=verify-full&sslrootcert={root}"),
        ))
    };
    let verified = url(&name, &root);
    assert!(
        uses_tls(&verified),
        "verify-full connects over TLS to {name}"
    );
    Db::connect(verified, 2).expect("a pool over verify-full");

    let error = Db::connect(url("not-the-server.invalid", &root), 1)
        .expect_err("another name is refused")
        .to_string();
    assert!(error.contains("does not match host name"), "{error}");
    let error = Db::connect(url(&name, "/nonexistent/root.crt"), 1)
        .expect_err("no root, no connection")
        .to_string();
    assert!(error.contains("root certificate file"), "{error}");
}

#[test]
fn a_statement_that_runs_past_the_statement_timeout_is_cancelled() {
    if postgres_url().is_none() {
        skip_postgres("postgres::a_statement_that_runs_past_the_statement_timeout_is_cancelled");
        return;
    }
    let database = TestDatabase::create(Backend::Postgres);
    let settings = ConnectionSettings {
        statement_timeout: std::time::Duration::from_millis(200),
        ..ConnectionSettings::default()
    };
    let db = Db::connect_with(database.target.clone(), 1, settings).expect("pool");
    let mut connection = db.connection().expect("connection");
    let AnyConnection::Pg(pg) = &mut *connection else {
        panic!("a PostgreSQL connection");
    };
    use diesel::connection::SimpleConnection;
    pg.batch_execute("SELECT pg_sleep(0.05)")
        .expect("a short statement runs");
    let error = pg
        .batch_execute("SELECT pg_sleep(5)")
        .expect_err("a long statement is cancelled")
        .to_string();
    assert!(error.contains("statement timeout"), "{error}");
}
