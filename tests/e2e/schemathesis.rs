//! No request makes the broker answer 500, and every answer fits its documented schema:
//! schemathesis (PyPI, installed by tests/scripts/install-schemathesis.sh) generates requests
//! from `/openapi.json` and sends them with an admin token, on SQLite and on PostgreSQL, with a
//! bounded number of examples per operation. Only when `TREATY_E2E_SCHEMATHESIS=1`.

use std::path::PathBuf;
use std::process::Command;

use crate::support::broker::{Broker, Database, broker_admin};
use crate::support::{describe, skipped, workspace_root};

/// Examples per operation and phase; with 78 operations about 2 000 requests per backend.
const MAX_EXAMPLES: &str = "10";

fn st_bin() -> PathBuf {
    let venv = std::env::var("TREATY_SCHEMATHESIS_VENV")
        .unwrap_or_else(|_| "target/schemathesis-venv".to_owned());
    let bin = workspace_root().join(venv).join("bin/st");
    assert!(
        bin.is_file(),
        "TREATY_E2E_SCHEMATHESIS=1 but {} does not exist: run tests/scripts/install-schemathesis.sh",
        bin.display()
    );
    bin
}

#[test]
fn schemathesis_finds_no_server_error_and_no_answer_off_its_schema() {
    if !std::env::var("TREATY_E2E_SCHEMATHESIS").is_ok_and(|value| value == "1") {
        skipped(
            "skipped: set TREATY_E2E_SCHEMATHESIS=1 to run schemathesis_finds_no_server_error_and_no_answer_off_its_schema (installed by tests/scripts/install-schemathesis.sh)",
        );
        return;
    }
    let st = st_bin();
    for database in Database::all("schemathesis_finds_no_server_error_and_no_answer_off_its_schema")
    {
        let created = broker_admin(
            &database,
            &[
                "token",
                "create",
                "--name",
                "schemathesis",
                "--role",
                "admin",
            ],
        );
        assert_eq!(created.status.code(), Some(0), "{}", describe(&created));
        let token = String::from_utf8(created.stdout)
            .expect("utf-8")
            .trim()
            .to_owned();
        let broker = Broker::start(&database);
        let output = Command::new(&st)
            .args([
                "run",
                &broker.at("/openapi.json"),
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--header",
                &format!("Authorization: Bearer {token}"),
                "--max-examples",
                MAX_EXAMPLES,
                "--seed",
                "1",
                // One worker: with two, CPython 3.11's `ast` module can fail inside Hypothesis
                // ("SystemError: AST constructor recursion depth mismatch", its recursion counter
                // is not thread-safe), a crash of the tool rather than a finding about the broker.
                "--workers",
                "1",
                "--request-timeout",
                "30",
            ])
            .env("SCHEMATHESIS_TELEMETRY", "false")
            .env("NO_COLOR", "1")
            .output()
            .expect("schemathesis runs");
        let text = describe(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "[{}] schemathesis failed:\n{text}\n--- broker log (last 4000 bytes)\n{}",
            database.backend,
            broker
                .log()
                .chars()
                .rev()
                .take(4000)
                .collect::<String>()
                .chars()
                .rev()
                .collect::<String>()
        );
        assert!(text.contains("passed"), "[{}] {text}", database.backend);
        assert!(
            !broker.log().contains("\"request failed\""),
            "[{}] the broker logged a server error:\n{}",
            database.backend,
            broker.log()
        );
    }
}
