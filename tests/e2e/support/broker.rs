//! A real `treaty-broker` process for a test: started on port 0 against its own database (a
//! SQLite file in a temporary directory, or a fresh PostgreSQL schema), its address read from the
//! line it prints on start-up, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use tempfile::TempDir;

use super::binaries;

/// The exact start-up line the broker prints on standard output, before the address.
const LISTENING: &str = "treaty-broker listening on ";

/// How long a broker may take to start (migrations included) on a slow CI machine.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The broker's webhook settings read from the environment (tests pass them as flags).
const WEBHOOK_SETTINGS: [&str; 7] = [
    "TREATY_WEBHOOK_HOST_ALLOW",
    "TREATY_WEBHOOK_SCHEME_ALLOW",
    "TREATY_WEBHOOK_TIMEOUT_MS",
    "TREATY_WEBHOOK_MAX_ATTEMPTS",
    "TREATY_WEBHOOK_RETRY_DELAY_MS",
    "TREATY_WEBHOOK_CONCURRENCY",
    "TREATY_WEBHOOK_POLL_MS",
];

/// Where a test broker keeps its data. Dropping it removes the data.
#[derive(Debug)]
pub(crate) struct Database {
    /// What to pass as `--database-url`.
    pub(crate) url: String,
    /// The backend, for messages.
    pub(crate) backend: &'static str,
    /// Holds the SQLite file and the broker's logs; removed on drop.
    pub(crate) dir: TempDir,
    /// The PostgreSQL schema to drop, with the server URL.
    postgres: Option<(String, String)>,
}

impl Database {
    /// A database the test manages itself (such as its own PostgreSQL server), at `url`.
    pub(crate) fn external(url: String, backend: &'static str) -> Database {
        Database {
            url,
            backend,
            dir: tempfile::tempdir().expect("a temporary directory"),
            postgres: None,
        }
    }

    /// A fresh SQLite file in a temporary directory.
    pub(crate) fn sqlite() -> Database {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = dir.path().join("treaty.db").display().to_string();
        Database {
            url,
            backend: "SQLite",
            dir,
            postgres: None,
        }
    }

    /// A fresh schema on the PostgreSQL server at `TREATY_TEST_DATABASE_URL`, or `None` (after
    /// printing `skipped on PostgreSQL: …` for `test`) when it is not set.
    pub(crate) fn postgres(test: &str) -> Option<Database> {
        let Ok(server) = std::env::var("TREATY_TEST_DATABASE_URL") else {
            super::skipped(&format!(
                "skipped on PostgreSQL: set TREATY_TEST_DATABASE_URL to run {test} on PostgreSQL too"
            ));
            return None;
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "e2e_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        psql(&server, &format!("CREATE SCHEMA {schema}"));
        let separator = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{separator}options=-c%20search_path%3D{schema}");
        let dir = tempfile::tempdir().expect("a temporary directory");
        Some(Database {
            url,
            backend: "PostgreSQL",
            dir,
            postgres: Some((server, schema)),
        })
    }

    /// SQLite always, then PostgreSQL when configured: the backends a flow runs on.
    pub(crate) fn all(test: &str) -> Vec<Database> {
        let mut databases = vec![Database::sqlite()];
        databases.extend(Database::postgres(test));
        databases
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((server, schema)) = &self.postgres {
            let _ = Command::new("psql")
                .args([
                    server.as_str(),
                    "-q",
                    "-c",
                    &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                ])
                .output();
        }
    }
}

fn psql(server: &str, sql: &str) {
    let output = Command::new("psql")
        .args([server, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("psql runs (needed when TREATY_TEST_DATABASE_URL is set)");
    assert!(
        output.status.success(),
        "psql {sql:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `treaty-broker ARGS --database-url URL` on `database` (for `token …`).
pub(crate) fn broker_admin(database: &Database, args: &[&str]) -> std::process::Output {
    Command::new(&binaries().broker)
        .args(args)
        .args(["--database-url", &database.url])
        .env_remove("DATABASE_URL")
        .output()
        .expect("treaty-broker runs")
}

/// A running `treaty-broker`.
#[derive(Debug)]
pub(crate) struct Broker {
    child: Child,
    /// `http://<ip>:<port>`, as the broker printed it.
    pub(crate) url: String,
    database_url: String,
    log: PathBuf,
    env: Vec<(String, String)>,
    args: Vec<String>,
}

impl Broker {
    /// Starts a broker on `127.0.0.1:0` against `database`, and waits for its start-up line.
    pub(crate) fn start(database: &Database) -> Broker {
        Self::start_with_env(database, &[])
    }

    /// Starts a broker with extra environment variables (its settings, such as basic auth).
    pub(crate) fn start_with_env(database: &Database, env: &[(&str, &str)]) -> Broker {
        let log = database.dir.path().join("broker.log");
        let env = env
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        Self::spawn(&database.url, log, env, Vec::new())
    }

    /// Starts a broker with extra command-line flags (such as `--webhook-host-allow`), logging
    /// to `<log_name>.log` in the database's directory (two brokers on one database keep two
    /// logs). [`Broker::restart`] passes the same flags again.
    pub(crate) fn start_with_args(database: &Database, log_name: &str, args: &[&str]) -> Broker {
        let log = database.dir.path().join(format!("{log_name}.log"));
        let args = args.iter().map(|arg| (*arg).to_owned()).collect();
        Self::spawn(&database.url, log, Vec::new(), args)
    }

    fn spawn(
        database_url: &str,
        log: PathBuf,
        env: Vec<(String, String)>,
        args: Vec<String>,
    ) -> Broker {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("the broker log file opens");
        let mut command = Command::new(&binaries().broker);
        // No webhook setting leaks in from the environment the tests run in.
        for name in WEBHOOK_SETTINGS {
            command.env_remove(name);
        }
        let mut child = command
            .args(["--bind", "127.0.0.1:0", "--database-url", database_url])
            .env_remove("DATABASE_URL")
            .env_remove("TREATY_BIND")
            .args(&args)
            .envs(env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("treaty-broker starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            // Keep reading to the end so the broker never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some(url) = line.strip_prefix(LISTENING) {
                    let _ = sender.send(url.trim().to_owned());
                    sent = true;
                }
            }
        });
        match receiver.recv_timeout(START_TIMEOUT) {
            Ok(url) => {
                assert!(
                    url.starts_with("http://127.0.0.1:"),
                    "unexpected address line: {url}"
                );
                Broker {
                    child,
                    url,
                    database_url: database_url.to_owned(),
                    log,
                    env,
                    args,
                }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "treaty-broker did not print `{LISTENING}http://…` within {START_TIMEOUT:?}; its log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        }
    }

    /// Kills the broker with SIGKILL (no graceful shutdown) and waits for it to die.
    pub(crate) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts a new broker process on the same database (after [`Broker::kill`]).
    pub(crate) fn restart(&mut self) {
        self.kill();
        let fresh = Self::spawn(
            &self.database_url,
            self.log.clone(),
            self.env.clone(),
            self.args.clone(),
        );
        let old = std::mem::replace(self, fresh);
        drop(old);
    }

    /// `url` with `path` appended.
    pub(crate) fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// The broker's log so far, for assertion messages.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.kill();
    }
}
