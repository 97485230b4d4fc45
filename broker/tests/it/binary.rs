//! The `treaty-broker` binary itself: defaults, the start-up line on port 0, and a clean exit
//! on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_its_address_serves_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_treaty-broker"))
        .args(["--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("TREATY_BIND")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
        .unwrap_or_else(|| panic!("unexpected start-up line {line:?}"));
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
