//! PostgreSQL stopped and started under a running broker: while it is down `/ready` and every
//! request answer 503 quickly (never a 500 or a hang), and when it is back the broker recovers
//! by itself, with every acknowledged write still there. The test runs its own PostgreSQL
//! server (initdb and pg_ctl from `TREATY_TEST_PG_BIN`, `.ci/run` sets it), so that stopping it
//! disturbs no other test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::broker::{Broker, Database};
use crate::support::{block_on, http_client, skipped};

/// A private PostgreSQL server in a temporary directory, stopped on drop.
struct Server {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl Server {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs a PostgreSQL tool, as the `postgres` user when this process is root (initdb and
    /// the server refuse to run as root).
    fn tool(&self, name: &str, args: &[&str]) {
        let program = self.bin.join(name);
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        let output = command
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{name} runs: {e}"));
        assert!(
            output.status.success(),
            "{name} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn create(bin: PathBuf) -> Server {
        let dir = tempfile::tempdir().expect("a temporary directory");
        if is_root() {
            let status = Command::new("chown")
                .args([
                    "postgres:postgres",
                    dir.path().to_str().expect("utf-8 path"),
                ])
                .status()
                .expect("chown");
            assert!(status.success());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port");
        let server = Server { bin, dir, port };
        let data = server.data();
        server.tool(
            "initdb",
            &[
                "-D",
                data.to_str().expect("utf-8"),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        server
    }

    fn start(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        self.tool(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().expect("utf-8"),
                "-o",
                &options,
                "-l",
                log.to_str().expect("utf-8"),
                "-w",
                "start",
            ],
        );
    }

    fn stop(&self) {
        self.tool(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().expect("utf-8"),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new(if is_root() { "runuser" } else { "true" })
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args([
                "-D",
                self.data().to_str().unwrap_or_default(),
                "-m",
                "immediate",
                "stop",
            ])
            .output();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.starts_with(b"0\n"))
}

fn get(url: &str) -> (u16, Duration) {
    let started = Instant::now();
    let status = block_on(async {
        http_client()
            .get(url)
            .send()
            .await
            .map(|r| r.status().as_u16())
    })
    .unwrap_or(0);
    (status, started.elapsed())
}

fn publish(broker: &Broker, version: &str) -> u16 {
    let document = json!({
        "consumer": { "name": "web" }, "provider": { "name": "orders" },
        "interactions": [{ "description": "a", "request": { "method": "GET", "path": "/" }, "response": { "status": 200 } }],
        "metadata": { "pactSpecification": { "version": "2.0.0" } },
    });
    let content = base64_of(&document.to_string());
    let body = json!({
        "pacticipantName": "web", "pacticipantVersionNumber": version, "branch": "main",
        "contracts": [{ "consumerName": "web", "providerName": "orders", "specification": "pact",
                        "contentType": "application/json", "content": content }],
    });
    crate::support::post_json(&broker.at("/contracts/publish"), &body).0
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < timeout, "{what} within {timeout:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
fn a_broker_answers_503_while_postgresql_is_stopped_and_recovers_when_it_starts() {
    let Some(bin) = std::env::var_os("TREATY_TEST_PG_BIN").map(PathBuf::from) else {
        skipped(
            "skipped: set TREATY_TEST_PG_BIN to PostgreSQL's bin directory (initdb, pg_ctl) to run a_broker_answers_503_while_postgresql_is_stopped_and_recovers_when_it_starts",
        );
        return;
    };
    assert!(
        Path::new(&bin).join("pg_ctl").is_file(),
        "TREATY_TEST_PG_BIN={} has pg_ctl",
        bin.display()
    );
    let server = Server::create(bin);
    server.start();
    let database = Database::external(
        format!("postgres://postgres@127.0.0.1:{}/postgres", server.port),
        "PostgreSQL (own server)",
    );
    let broker = Broker::start_with_env(&database, &[("TREATY_DB_CONNECT_TIMEOUT", "2")]);
    assert_eq!(publish(&broker, "1"), 200, "{}", broker.log());
    assert_eq!(get(&broker.at("/ready")).0, 200);

    server.stop();
    wait_for("/ready answers 503", Duration::from_secs(15), || {
        get(&broker.at("/ready")).0 == 503
    });
    let (status, took) = get(&broker.at("/pacts/provider/orders/consumer/web/latest"));
    assert_eq!(
        status,
        503,
        "a read while the database is down: {}",
        broker.log()
    );
    assert!(
        took < Duration::from_secs(10),
        "answered in {took:?}, not hung"
    );
    assert_eq!(
        publish(&broker, "2"),
        503,
        "a write while the database is down"
    );

    server.start();
    wait_for("/ready answers 200 again", Duration::from_secs(30), || {
        get(&broker.at("/ready")).0 == 200
    });
    assert_eq!(
        get(&broker.at("/pacts/provider/orders/consumer/web/version/1")).0,
        200,
        "the acknowledged write survived"
    );
    assert_eq!(
        publish(&broker, "2"),
        200,
        "writes work again: {}",
        broker.log()
    );
    assert!(
        !broker.log().contains("\"request failed\""),
        "no 500 during the outage:\n{}",
        broker.log()
    );
}
