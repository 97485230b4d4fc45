//! Access control end to end: tokens made by `treaty-broker token` gate the `treaty` commands
//! (401 without credentials, 403 for a role that may not, revocation), and the real `pact`
//! CLI publishes with a bearer token and with the Pact Broker's basic-auth settings.

use std::process::Output;

use crate::support::broker::{Broker, Database, broker_admin};
use crate::support::pact_cli::run_pact;
use crate::support::{describe, fixture, pact_cli_enabled, treaty};

fn create_token(database: &Database, name: &str, role: &str) -> String {
    let output = broker_admin(
        database,
        &["token", "create", "--name", name, "--role", role],
    );
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the token alone on stdout: {stdout:?}");
    assert!(lines[0].starts_with("treaty_"), "{stdout:?}");
    lines[0].to_owned()
}

fn publish(broker: &Broker, version: &str, credentials: &[&str]) -> Output {
    let file = fixture("v3.json");
    let mut args = vec![
        "publish",
        file.to_str().unwrap(),
        "-a",
        version,
        "-b",
        &broker.url,
    ];
    args.extend_from_slice(credentials);
    treaty(&args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn tokens_from_the_broker_binary_gate_treaty_commands() {
    for database in Database::all("tokens_from_the_broker_binary_gate_treaty_commands") {
        let writer = create_token(&database, "orders-ci", "write");
        let reader = create_token(&database, "dashboard", "read");
        let broker = Broker::start(&database);
        let backend = database.backend;

        let anonymous = publish(&broker, "1.0.0", &[]);
        assert_ne!(
            anonymous.status.code(),
            Some(0),
            "[{backend}] {}",
            describe(&anonymous)
        );
        assert!(
            stderr(&anonymous).contains("401"),
            "[{backend}] {}",
            describe(&anonymous)
        );
        assert!(
            stderr(&anonymous).contains("needs credentials"),
            "[{backend}] the broker's reason is shown: {}",
            describe(&anonymous)
        );

        let read_only = publish(&broker, "1.0.0", &["--broker-token", &reader]);
        assert_ne!(
            read_only.status.code(),
            Some(0),
            "[{backend}] {}",
            describe(&read_only)
        );
        assert!(
            stderr(&read_only).contains("has the read role"),
            "[{backend}] {}",
            describe(&read_only)
        );

        let written = publish(&broker, "1.0.0", &["--broker-token", &writer]);
        assert_eq!(
            written.status.code(),
            Some(0),
            "[{backend}] {}\n{}",
            describe(&written),
            broker.log()
        );

        let listed = treaty(&[
            "list-environments",
            "-b",
            &broker.url,
            "--broker-token",
            &reader,
        ]);
        assert_eq!(
            listed.status.code(),
            Some(0),
            "[{backend}] {}",
            describe(&listed)
        );

        let tokens = broker_admin(&database, &["token", "list"]);
        assert_eq!(tokens.status.code(), Some(0), "{}", describe(&tokens));
        let table = String::from_utf8_lossy(&tokens.stdout).into_owned();
        assert!(
            !table.contains(&writer[7..]),
            "no secret in the listing: {table}"
        );
        let row = table
            .lines()
            .find(|line| line.starts_with("orders-ci "))
            .unwrap_or_else(|| panic!("[{backend}] orders-ci is listed: {table}"));
        assert!(
            row.contains("write") && !row.ends_with("never"),
            "[{backend}] used: {row}"
        );
        assert!(
            table.lines().all(|line| line.len() <= 80),
            "fits 80 columns: {table}"
        );

        let revoked = broker_admin(&database, &["token", "revoke", "orders-ci"]);
        assert_eq!(revoked.status.code(), Some(0), "{}", describe(&revoked));
        let again = broker_admin(&database, &["token", "revoke", "orders-ci"]);
        assert_ne!(
            again.status.code(),
            Some(0),
            "revoking nothing fails: {}",
            describe(&again)
        );
        assert!(
            stderr(&again).contains("no token named `orders-ci`"),
            "{}",
            describe(&again)
        );

        let log = broker.log();
        assert!(
            log.contains("POST") && log.contains("401"),
            "[{backend}] requests are logged"
        );
        for secret in [&writer, &reader] {
            assert!(
                !log.contains(&secret[7..]),
                "[{backend}] no token in the log:\n{log}"
            );
        }

        let refused = publish(&broker, "1.0.1", &["--broker-token", &writer]);
        assert_ne!(
            refused.status.code(),
            Some(0),
            "[{backend}] {}",
            describe(&refused)
        );
        assert!(
            stderr(&refused).contains("unknown or revoked token"),
            "[{backend}] {}",
            describe(&refused)
        );
    }
}

#[test]
fn the_pact_cli_publishes_with_a_token_and_with_basic_auth() {
    if !pact_cli_enabled("the_pact_cli_publishes_with_a_token_and_with_basic_auth") {
        return;
    }
    let database = Database::sqlite();
    let token = create_token(&database, "pact-cli", "write");
    let broker = Broker::start_with_env(
        &database,
        &[
            ("PACT_BROKER_BASIC_AUTH_USERNAME", "rw"),
            ("PACT_BROKER_BASIC_AUTH_PASSWORD", "rw-secret"),
            ("PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME", "ro"),
            ("PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD", "ro-secret"),
            ("PACT_BROKER_ALLOW_PUBLIC_READ", "true"),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("v3.json"), dir.path().join("v3.json")).unwrap();
    let dir = dir.path().to_str().unwrap().to_owned();
    let publish = |version: &str, credentials: &[&str]| {
        let mut args = vec![
            "broker",
            "publish",
            &dir,
            "--consumer-app-version",
            version,
            "--branch",
            "main",
            "--broker-base-url",
            &broker.url,
        ];
        args.extend_from_slice(credentials);
        run_pact(&args)
    };

    let with_token = publish("1.0.0", &["--broker-token", &token]);
    assert_eq!(
        with_token.status.code(),
        Some(0),
        "{}\n{}",
        describe(&with_token),
        broker.log()
    );
    let read_only = publish(
        "1.0.1",
        &["--broker-username", "ro", "--broker-password", "ro-secret"],
    );
    assert_ne!(read_only.status.code(), Some(0), "{}", describe(&read_only));
    let read_write = publish(
        "1.0.2",
        &["--broker-username", "rw", "--broker-password", "rw-secret"],
    );
    assert_eq!(
        read_write.status.code(),
        Some(0),
        "{}\n{}",
        describe(&read_write),
        broker.log()
    );

    let listed = run_pact(&[
        "broker",
        "list-latest-pact-versions",
        "--broker-base-url",
        &broker.url,
    ]);
    assert_eq!(
        listed.status.code(),
        Some(0),
        "public read: {}",
        describe(&listed)
    );
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("1.0.2"),
        "{}",
        describe(&listed)
    );

    let environment = run_pact(&[
        "broker",
        "create-environment",
        "--name",
        "production",
        "--production",
        "--broker-base-url",
        &broker.url,
        "--broker-username",
        "ro",
        "--broker-password",
        "ro-secret",
    ]);
    assert_ne!(
        environment.status.code(),
        Some(0),
        "{}",
        describe(&environment)
    );
}
