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
