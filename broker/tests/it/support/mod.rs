//! Test support: [`TestApp`] starts the real broker (the same `configure` as the binary) on
//! 127.0.0.1:0 on a fresh database, and [`dbtest!`] runs a test body once per backend.

pub(crate) mod chaos;
pub(crate) mod fixtures;

use std::collections::BTreeMap;
use std::sync::mpsc;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use serde_json::Value;
use treaty_broker::app::{self, Config};
use treaty_broker::config::WebhookConfig;
use treaty_broker::domain::access::AccessPolicy;
use treaty_broker::http::public_url::PublicAddress;
use treaty_broker::storage::{DatabaseTarget, Db, introspect};

/// The environment variable naming the PostgreSQL server the tests may use.
pub(crate) const POSTGRES_ENV: &str = "TREATY_TEST_DATABASE_URL";

/// The PostgreSQL URL for tests, when configured.
pub(crate) fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// Says, visibly even while the harness captures output (it captures only the print macros),
/// that `test` did not run on PostgreSQL.
pub(crate) fn skip_postgres(test: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped on PostgreSQL: TREATY_TEST_DATABASE_URL is not set ({test})"
    );
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// A fresh SQLite file in a temporary directory.
    Sqlite,
    /// A fresh schema in the PostgreSQL database named by `TREATY_TEST_DATABASE_URL`.
    Postgres,
}

/// Runs an async test body once on SQLite and once on PostgreSQL (or says clearly that the
/// PostgreSQL run was skipped).
#[macro_export]
macro_rules! dbtest {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($backend: $crate::support::Backend) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                run($crate::support::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if $crate::support::postgres_url().is_none() {
                    $crate::support::skip_postgres(concat!(module_path!(), "::postgres"));
                    return;
                }
                run($crate::support::Backend::Postgres).await
            }
        }
    };
}

/// A fresh database for one test: a SQLite file or a PostgreSQL schema, removed on drop.
pub(crate) struct TestDatabase {
    /// The target to hand to the broker.
    pub(crate) target: DatabaseTarget,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

impl TestDatabase {
    /// Creates an empty database on `backend`.
    pub(crate) fn create(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("treaty.db");
                Self {
                    target: DatabaseTarget::Sqlite(path.display().to_string()),
                    _dir: Some(dir),
                    pg_schema: None,
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_url().expect("TREATY_TEST_DATABASE_URL");
                let schema = format!("t_{:016x}", rand::random::<u64>());
                let mut admin = PgConnection::establish(&admin_url)
                    .expect("connect to TREATY_TEST_DATABASE_URL");
                admin
                    .batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .expect("create test schema");
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
                Self {
                    target: DatabaseTarget::Postgres(url),
                    _dir: None,
                    pg_schema: Some((admin_url, schema)),
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, schema)) = &self.pg_schema
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// Builds a [`TestApp`].
pub(crate) struct TestAppBuilder {
    backend: Backend,
    allow_contract_overwrite: bool,
    max_body_bytes: Option<usize>,
    pool_size: Option<u32>,
    database_address: Option<String>,
    postgres_params: Option<String>,
    access: AccessPolicy,
    public_address: PublicAddress,
    webhooks: Option<WebhookConfig>,
}

impl TestAppBuilder {
    /// Start with these webhook settings.
    pub(crate) fn webhooks(mut self, webhooks: WebhookConfig) -> Self {
        self.webhooks = Some(webhooks);
        self
    }

    /// Start with `--base-url` and `--trusted-proxy` as given.
    pub(crate) fn public_address(mut self, public_address: PublicAddress) -> Self {
        self.public_address = public_address;
        self
    }

    /// Append connection parameters (such as `sslmode=require`) to the PostgreSQL URL.
    pub(crate) fn postgres_params(mut self, params: &str) -> Self {
        self.postgres_params = Some(params.to_owned());
        self
    }

    /// Start with these basic-auth users and public-read setting.
    pub(crate) fn access(mut self, access: AccessPolicy) -> Self {
        self.access = access;
        self
    }

    /// Reach PostgreSQL through `address` (a [`chaos::ChaosProxy`]) instead of directly.
    pub(crate) fn database_address(mut self, address: String) -> Self {
        self.database_address = Some(address);
        self
    }

    /// Start with `--allow-contract-overwrite`.
    pub(crate) fn allow_contract_overwrite(mut self) -> Self {
        self.allow_contract_overwrite = true;
        self
    }

    /// Start with `--max-body-bytes`.
    pub(crate) fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = Some(limit);
        self
    }

    /// Start with `--db-pool-size`.
    pub(crate) fn pool_size(mut self, size: u32) -> Self {
        self.pool_size = Some(size);
        self
    }

    /// Starts the broker on its own actix system thread and waits until it listens.
    pub(crate) async fn start(self) -> TestApp {
        let database = TestDatabase::create(self.backend);
        let target = match (&database.target, &self.database_address) {
            (DatabaseTarget::Postgres(url), Some(address)) => DatabaseTarget::Postgres(
                chaos::with_address(url, address).expect("a URL with a host"),
            ),
            (target, _) => target.clone(),
        };
        let target = match (target, &self.postgres_params) {
            (DatabaseTarget::Postgres(url), Some(params)) => {
                let separator = if url.contains('?') { '&' } else { '?' };
                DatabaseTarget::Postgres(format!("{url}{separator}{params}"))
            }
            (target, _) => target,
        };
        let mut config = Config::for_database(target);
        config.allow_contract_overwrite = self.allow_contract_overwrite;
        config.access = self.access;
        config.public_address = self.public_address;
        if let Some(limit) = self.max_body_bytes {
            config.max_body_bytes = limit;
        }
        if let Some(size) = self.pool_size {
            config.db_pool_size = size;
        }
        if let Some(webhooks) = self.webhooks {
            config.webhooks = webhooks;
        }
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match app::start(config).await {
                    Ok(running) => {
                        let handle = running.server.handle();
                        let _ = sender.send(Ok((running.address, handle, running.db)));
                        let _ = running.server.await;
                    }
                    Err(error) => {
                        let _ = sender.send(Err(error.to_string()));
                    }
                }
            });
        });
        let started = tokio::task::spawn_blocking(move || receiver.recv())
            .await
            .expect("join")
            .expect("server thread");
        let (address, handle, db) = started.expect("the broker starts");
        TestApp {
            base: format!("http://{address}"),
            client: reqwest::Client::new(),
            db,
            handle,
            thread: Some(thread),
            _database: database,
        }
    }
}

/// A running broker for one test.
pub(crate) struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// An HTTP client.
    pub(crate) client: reqwest::Client,
    /// The broker's database.
    pub(crate) db: Db,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    _database: TestDatabase,
}

/// A response: status and the body parsed as JSON (`Null` when it is not JSON).
#[derive(Debug)]
pub(crate) struct Reply {
    /// Status code.
    pub(crate) status: u16,
    /// Content-Type header.
    pub(crate) content_type: String,
    /// `Location` header.
    pub(crate) location: Option<String>,
    /// Parsed body.
    pub(crate) body: Value,
}

impl TestApp {
    /// A builder for `backend`.
    pub(crate) fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            allow_contract_overwrite: false,
            max_body_bytes: None,
            pool_size: None,
            database_address: None,
            postgres_params: None,
            access: AccessPolicy::default(),
            public_address: PublicAddress::default(),
            webhooks: None,
        }
    }

    /// A broker with default settings on `backend`.
    pub(crate) async fn start(backend: Backend) -> Self {
        Self::builder(backend).start().await
    }

    /// The absolute URL of `path` (already percent-encoded).
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request and reads the reply.
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, self.url(path))
            .header("Accept", "application/hal+json, application/json");
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        Self::reply(request.send().await.expect("request sent")).await
    }

    /// Reads a reply.
    pub(crate) async fn reply(response: reqwest::Response) -> Reply {
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header("content-type").unwrap_or_default();
        let location = header("location");
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            content_type,
            location,
            body,
        }
    }

    /// `GET path`.
    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, None).await
    }

    /// `PUT path` with a JSON body.
    pub(crate) async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    /// `POST path` with a JSON body.
    pub(crate) async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    /// `PATCH path` with a JSON body.
    pub(crate) async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    /// `DELETE path`.
    pub(crate) async fn delete(&self, path: &str) -> Reply {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// `POST /contracts/publish`.
    pub(crate) async fn publish(&self, body: &Value) -> Reply {
        self.post("/contracts/publish", body).await
    }

    /// Rows per table, read directly from the database.
    pub(crate) async fn row_counts(&self) -> BTreeMap<&'static str, i64> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.connection().expect("connection");
            introspect::row_counts(&mut conn).expect("row counts")
        })
        .await
        .expect("join")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
