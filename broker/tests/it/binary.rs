//! The `treaty-broker` binary itself: defaults, the start-up line on port 0, JSON logs off a
//! terminal with request ids, a bad setting refused, and SIGTERM: a clean exit that finishes the
//! request in flight.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_its_address_serves_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut child, address) = spawn_broker(dir.path(), Stdio::null(), &[]).await;
    let port: u16 = address
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .expect("a port");
    assert_ne!(port, 0, "the real port is printed");
    assert!(
        dir.path().join("treaty.db").exists(),
        "the default database is ./treaty.db"
    );

    let health = reqwest::get(format!("http://{address}/health"))
        .await
        .expect("GET /health");
    assert_eq!(health.status().as_u16(), 200);

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(exit.success(), "exits cleanly on SIGTERM: {exit:?}");
}

#[test]
fn migrate_creates_and_migrates_the_database_then_exits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested.db");
    let output = Command::new(env!("CARGO_BIN_EXE_treaty-broker"))
        .args([
            "migrate",
            "--database-url",
            &format!("sqlite:{}", path.display()),
        ])
        .output()
        .expect("run treaty-broker migrate");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty(), "migrate prints nothing on stdout");
    assert!(path.exists());
}

#[test]
fn an_unreachable_database_is_reported_once_with_exit_code_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_treaty-broker"))
        .args([
            "migrate",
            "--database-url",
            "postgres://treaty:secret@127.0.0.1:1/none",
        ])
        .output()
        .expect("run treaty-broker migrate");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("treaty-broker: error: migration failed: cannot open the database postgres"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret"),
        "the password is never printed: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_json_lines_without_colour_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log_path = dir.path().join("broker.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let (mut child, address) = spawn_broker(dir.path(), Stdio::from(log), &[]).await;

    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://{address}/pacticipants/nobody"))
        .header("X-Request-Id", "ci-run-42")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(
        response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("ci-run-42"),
        "the client's request id comes back"
    );
    let fresh = client
        .get(format!("http://{address}/"))
        .send()
        .await
        .expect("GET /");
    let generated = fresh
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        generated.len(),
        16,
        "a request id is made when none is sent"
    );

    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = tokio::task::spawn_blocking(move || child.wait()).await;
    let text = std::fs::read_to_string(&log_path).expect("read log");
    assert!(
        !text.contains('\u{1b}'),
        "no ANSI escapes in a log file:\n{text}"
    );
    assert!(
        text.contains("NO CREDENTIALS ARE CONFIGURED"),
        "an open broker says so at start-up:\n{text}"
    );
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let request_line = lines
        .iter()
        .find(|entry| entry["fields"]["request_id"] == "ci-run-42")
        .unwrap_or_else(|| panic!("a line for the request:\n{text}"));
    let fields = &request_line["fields"];
    assert_eq!(fields["http.method"], "GET");
    assert_eq!(fields["http.route"], "/pacticipants/{pacticipant}");
    assert_eq!(fields["http.path"], "/pacticipants/nobody");
    assert_eq!(fields["http.status"], 404);
    assert!(fields["duration_ms"].is_u64(), "{request_line}");
    assert!(
        lines
            .iter()
            .any(|entry| entry["fields"]["request_id"] == generated.as_str()),
        "the generated id is logged too:\n{text}"
    );
}

#[test]
fn a_bad_log_level_is_refused_with_the_setting_named() {
    let output = Command::new(env!("CARGO_BIN_EXE_treaty-broker"))
        .args(["migrate", "--log-level", "loud=="])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--log-level (TREATY_LOG_LEVEL"), "{stderr}");
}

/// Starts the binary on `dir`'s default database, logging to `stderr` (default log settings);
/// returns the child and the address it printed.
async fn spawn_broker(
    dir: &std::path::Path,
    stderr: Stdio,
    env: &[(&str, &str)],
) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty-broker"))
        .args(["--bind", "127.0.0.1:0"])
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("TREATY_BIND")
        .env_remove("TREATY_LOG_FORMAT")
        .env_remove("TREATY_LOG_LEVEL")
        .env_remove("RUST_LOG")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("spawn treaty-broker");
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the start-up line");
        line
    })
    .await
    .expect("join");
    let address = line
        .trim()
        .strip_prefix("treaty-broker listening on http://")
        .unwrap_or_else(|| panic!("unexpected start-up line {line:?}"))
        .to_owned();
    (child, address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_request_in_flight_finish_and_keeps_its_write() {
    use crate::support::fixtures::{PublishBody, pact};
    use std::io::{Read, Write};

    let dir = tempfile::tempdir().expect("temp dir");
    let (mut child, address) = spawn_broker(dir.path(), Stdio::null(), &[]).await;
    let body = PublishBody::new("C", "1", "P", &pact("C", "P", &["in flight"]))
        .build()
        .to_string();
    let (head, tail) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    write!(
        stream,
        "POST /contracts/publish HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .expect("write head");
    stream.write_all(head).expect("write half the body");
    stream.flush().expect("flush");
    std::thread::sleep(std::time::Duration::from_millis(200));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        std::net::TcpStream::connect(&address).is_err(),
        "after SIGTERM no new connection is accepted"
    );
    stream
        .write_all(tail)
        .expect("the rest of the body is still read");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the request in flight is answered: {answer}"
    );
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(
        exit.success(),
        "a clean exit after the last request: {exit:?}"
    );

    let (mut restarted, address) = spawn_broker(dir.path(), Stdio::null(), &[]).await;
    let fetched = reqwest::get(format!(
        "http://{address}/pacts/provider/P/consumer/C/latest"
    ))
    .await
    .expect("GET");
    assert_eq!(
        fetched.status().as_u16(),
        200,
        "the write survived the shutdown"
    );
    let _ = restarted.kill();
    let _ = restarted.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_log_sets_the_level_when_no_log_level_is_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log_path = dir.path().join("broker.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let (mut child, address) =
        spawn_broker(dir.path(), Stdio::from(log), &[("RUST_LOG", "warn")]).await;
    let reply = reqwest::get(format!("http://{address}/pacticipants"))
        .await
        .expect("GET");
    assert_eq!(reply.status().as_u16(), 200);
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = tokio::task::spawn_blocking(move || child.wait()).await;
    let text = std::fs::read_to_string(&log_path).expect("read log");
    assert!(
        !text.contains("\"request\""),
        "no info lines at RUST_LOG=warn:\n{text}"
    );
    assert!(
        text.contains("NO CREDENTIALS"),
        "warnings still are:\n{text}"
    );
}
