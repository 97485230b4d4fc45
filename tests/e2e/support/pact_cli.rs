//! The real `pact` CLI (PyPI `pact-python-cli`): where to find it, how to run it (always with
//! `PACT_DO_NOT_TRACK=true`), and its standalone mock server for recording pact files.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::workspace_root;

/// The `pact` executable: `$TREATY_PACT_BIN`, else `bin/pact` in `$TREATY_PACT_VENV` (default
/// `target/pact-venv`, relative to the repository root). Panics with the fix when it is missing,
/// because a test only asks for it when `TREATY_E2E_PACT_CLI=1`.
pub(crate) fn pact_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("TREATY_PACT_BIN") {
        return PathBuf::from(bin);
    }
    let venv = std::env::var("TREATY_PACT_VENV").unwrap_or_else(|_| "target/pact-venv".to_owned());
    let venv = workspace_root().join(venv);
    let bin = venv.join("bin/pact");
    assert!(
        bin.is_file(),
        "TREATY_E2E_PACT_CLI=1 but {} does not exist: run tests/scripts/install-pact-cli.sh (or set TREATY_PACT_BIN)",
        bin.display()
    );
    bin
}

/// A `pact` command with tracking turned off and no broker settings from the environment.
pub(crate) fn pact(args: &[&str]) -> Command {
    let mut command = Command::new(pact_bin());
    command.args(args).env("PACT_DO_NOT_TRACK", "true");
    for name in [
        "PACT_BROKER_BASE_URL",
        "PACT_BROKER_TOKEN",
        "PACT_BROKER_USERNAME",
        "PACT_BROKER_PASSWORD",
    ] {
        command.env_remove(name);
    }
    command
}

/// Runs `pact args…` to completion.
pub(crate) fn run_pact(args: &[&str]) -> Output {
    pact(args)
        .stdin(Stdio::null())
        .output()
        .expect("the pact CLI runs")
}

/// The `pact mock` master server, writing pact files into `output_dir`; killed on drop.
#[derive(Debug)]
pub(crate) struct MockMaster {
    child: Child,
    /// The master server's port.
    pub(crate) port: u16,
}

impl MockMaster {
    /// Starts `pact mock start --port 0` and reads the port it chose from its output.
    pub(crate) fn start(output_dir: &Path) -> MockMaster {
        let output_dir = output_dir.display().to_string();
        let mut child = pact(&[
            "mock",
            "start",
            "--port",
            "0",
            "--output",
            &output_dir,
            "--no-file-log",
            "--no-term-log",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("pact mock start runs");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some((_, port)) = line.split_once("Master server started on port ")
                    && let Ok(port) = port.trim().parse::<u16>()
                {
                    let _ = sender.send(port);
                }
            }
        });
        let Ok(port) = receiver.recv_timeout(Duration::from_secs(30)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pact mock start did not report its port");
        };
        MockMaster { child, port }
    }

    /// `pact mock create --file FILE --specification SPEC`: the new mock server's port.
    pub(crate) fn create(&self, file: &Path, specification: &str) -> u16 {
        let output = run_pact(&[
            "mock",
            "create",
            "--port",
            &self.port.to_string(),
            "--file",
            &file.display().to_string(),
            "--specification",
            specification,
        ]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "pact mock create failed: {}",
            super::describe(&output)
        );
        stdout
            .lines()
            .find_map(|line| {
                line.split_once(" started on port ")
                    .and_then(|(_, port)| port.trim().parse().ok())
            })
            .unwrap_or_else(|| panic!("no port in pact mock create output: {stdout}"))
    }

    /// `pact mock verify` then `shutdown` for the mock server on `mock_port`; verifying writes
    /// the pact file into the output directory.
    pub(crate) fn verify_and_shutdown(&self, mock_port: u16) {
        let master = self.port.to_string();
        let mock = mock_port.to_string();
        let output = run_pact(&[
            "mock",
            "verify",
            "--port",
            &master,
            "--mock-server-port",
            &mock,
        ]);
        assert!(
            output.status.success(),
            "pact mock verify failed: {}",
            super::describe(&output)
        );
        let output = run_pact(&[
            "mock",
            "shutdown",
            "--port",
            &master,
            "--mock-server-port",
            &mock,
        ]);
        assert!(
            output.status.success(),
            "pact mock shutdown failed: {}",
            super::describe(&output)
        );
    }
}

impl Drop for MockMaster {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
