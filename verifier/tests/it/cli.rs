//! The command line itself: help, version, and clap's refusal of bad flags with exit code 2.

use crate::support::{stderr, stdout, treaty};

#[tokio::test]
async fn help_lists_the_commands() {
    let output = treaty(&["--help"]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("publish"), "{}", stdout(&output));
}

#[tokio::test]
async fn version_prints_the_crate_version() {
    let output = treaty(&["--version"]).await;
    assert!(output.status.success());
    assert_eq!(
        stdout(&output).trim(),
        format!("treaty {}", env!("CARGO_PKG_VERSION"))
    );
}

#[tokio::test]
async fn bad_flags_exit_with_2() {
    let output = treaty(&["publish", "--no-such-flag"]).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[tokio::test]
async fn publish_without_a_broker_url_exits_with_2() {
    let output = treaty(&["publish", "pact.json", "--consumer-app-version", "1"]).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--broker-base-url"),
        "{}",
        stderr(&output)
    );
}
