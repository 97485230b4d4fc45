//! The raw flags of `treaty verify`, as clap parses them. Validation happens in
//! [`super::config`]; nothing here is trusted yet.

use std::path::PathBuf;

use clap::Args;

use super::broker_args::VerifyBrokerArgs;

/// Flags of `treaty verify`.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "SOURCE is a Pact file, a directory of *.json Pact files, or an http(s) URL \
    of one. Without SOURCE, --broker-base-url and --provider fetch the broker's pacts for \
    verification. The `pact verifier` flags --file, --dir, --url, --hostname, --port, \
    --base-path, --state-change-url, --provider-name, --broker-url, --token, --user, \
    --password, --provider-version, --provider-branch and --provider-tags are accepted too.\n\nExit codes: 0 every contract \
    passed (failures of pending contracts included), 1 a contract failed or nothing was \
    verified, 2 treaty could not run (bad flags, unreadable contract, unreachable provider or \
    broker, failed report write, results not published)."
)]
pub struct VerifyArgs {
    /// Contract files, directories of them, or http(s) URLs of contracts.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,

    /// A contract file to verify (repeatable; `pact verifier` spelling).
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Vec<PathBuf>,

    /// A directory whose *.json contract files are verified (repeatable).
    #[arg(long, short = 'd', value_name = "DIR")]
    pub dir: Vec<PathBuf>,

    /// The http(s) URL of a contract to verify (repeatable).
    #[arg(long, short = 'u', value_name = "URL")]
    pub url: Vec<String>,

    /// The provider's base URL, e.g. http://127.0.0.1:8080 (or --hostname/--port/--base-path).
    #[arg(long, env = "TREATY_PROVIDER_BASE_URL", value_name = "URL",
          conflicts_with_all = ["hostname", "port", "base_path", "transport"])]
    pub provider_base_url: Option<String>,

    /// The provider's host name, with --port (`pact verifier` style; default localhost).
    #[arg(long, value_name = "HOST")]
    pub hostname: Option<String>,

    /// The provider's port, with --hostname (`pact verifier` style).
    #[arg(long, short = 'p', value_name = "PORT")]
    pub port: Option<u16>,

    /// A path prefix put before every contract path (`pact verifier` style).
    #[arg(long, value_name = "PATH")]
    pub base_path: Option<String>,

    /// The scheme used with --hostname/--port: http or https.
    #[arg(long, value_name = "SCHEME", value_parser = ["http", "https"])]
    pub transport: Option<String>,

    /// The provider's name: the broker is asked for its contracts, and contracts for other
    /// providers are skipped with a warning.
    #[arg(
        long,
        visible_alias = "provider-name",
        short = 'n',
        env = "TREATY_PROVIDER",
        value_name = "NAME"
    )]
    pub provider: Option<String>,

    /// URL that receives a POST {"state", "params", "action": "setup"|"teardown"} before and
    /// after each interaction with provider states.
    #[arg(
        long,
        visible_alias = "state-change-url",
        short = 's',
        env = "TREATY_PROVIDER_STATES_SETUP_URL",
        value_name = "URL"
    )]
    pub provider_states_setup_url: Option<String>,

    /// A header added to (or replacing one in) every request, as 'Name: value' (or
    /// Name=value); repeatable. Values never appear in output or reports.
    #[arg(
        long,
        short = 'H',
        visible_alias = "custom-header",
        value_name = "NAME: VALUE"
    )]
    pub header: Vec<String>,

    /// Only verify interactions whose description matches this regular expression.
    #[arg(long, env = "PACT_DESCRIPTION", value_name = "REGEX")]
    pub filter_description: Option<String>,

    /// Only verify interactions with a provider state matching this regular expression.
    #[arg(long, env = "PACT_PROVIDER_STATE", value_name = "REGEX")]
    pub filter_state: Option<String>,

    /// Only verify the contracts of this consumer (repeatable).
    #[arg(long, short = 'c', value_name = "NAME")]
    pub filter_consumer: Vec<String>,

    /// How long one request (or state change call) may take: 500ms, 5s, 1m; a bare number is
    /// milliseconds, as in `pact verifier`.
    #[arg(
        long,
        env = "TREATY_REQUEST_TIMEOUT",
        value_name = "DURATION",
        default_value = "5s"
    )]
    pub request_timeout: String,

    /// How many interactions run at once (default: the number of CPUs). When given,
    /// interactions with provider states run concurrently too.
    #[arg(long, env = "TREATY_CONCURRENCY", value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub concurrency: Option<u16>,

    /// Also write the report as JSON to this file (schemas/json/verification-report.schema.json).
    #[arg(long, short = 'j', value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Also write the report as JUnit XML to this file (one testsuite per consumer).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Also write the report as Markdown to this file (fits a CI job summary).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Never colour the console output (it is coloured only on a terminal anyway).
    #[arg(long, visible_alias = "no-colour", env = "NO_COLOR")]
    pub no_color: bool,
    /// The broker: where it is, which contracts to ask for, publishing results.
    #[command(flatten)]
    pub broker: VerifyBrokerArgs,
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::VerifyArgs;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> VerifyArgs {
        let cli = Cli::try_parse_from([&["treaty", "verify"], args].concat()).unwrap();
        let Command::Verify(verify) = cli.command else {
            panic!("expected the verify command");
        };
        verify
    }

    #[test]
    fn the_pact_verifier_spellings_are_accepted() {
        let args = parse(&[
            "-f",
            "a.json",
            "-d",
            "pacts",
            "-u",
            "http://broker/pact",
            "--hostname",
            "h",
            "-p",
            "8080",
            "--base-path",
            "/api",
            "--state-change-url",
            "http://h/states",
            "--provider-name",
            "orders",
            "-c",
            "web",
            "--custom-header",
            "X-A=1",
            "--no-colour",
            "-j",
            "report.json",
            "--request-timeout",
            "1500",
        ]);
        assert_eq!(args.file, [std::path::PathBuf::from("a.json")]);
        assert_eq!(args.dir, [std::path::PathBuf::from("pacts")]);
        assert_eq!(args.url, ["http://broker/pact"]);
        assert_eq!(
            (args.hostname.as_deref(), args.port),
            (Some("h"), Some(8080))
        );
        assert_eq!(
            args.provider_states_setup_url.as_deref(),
            Some("http://h/states")
        );
        assert_eq!(args.provider.as_deref(), Some("orders"));
        assert_eq!(args.filter_consumer, ["web"]);
        assert_eq!(args.header, ["X-A=1"]);
        assert!(args.no_color);
        assert_eq!(args.json, Some(std::path::PathBuf::from("report.json")));
    }

    #[test]
    fn the_pact_verifier_broker_spellings_are_accepted() {
        let args = parse(&[
            "--broker-url",
            "http://broker",
            "--provider-name",
            "orders",
            "--user",
            "ci",
            "--password",
            "pw",
            "--consumer-version-selectors",
            r#"{"mainBranch":true}"#,
            "--consumer-version-tags",
            "dev,prod",
            "--provider-version",
            "1.0.0",
            "--provider-branch",
            "main",
            "--provider-tags",
            "a,b",
            "--enable-pending",
            "--include-wip-pacts-since",
            "2026-01-01",
            "--publish-verification-results",
            "--ignore-no-pacts-error",
        ]);
        let broker = args.broker;
        assert_eq!(broker.broker_base_url.as_deref(), Some("http://broker"));
        assert_eq!(args.provider.as_deref(), Some("orders"));
        assert_eq!(
            (
                broker.broker_username.as_deref(),
                broker.broker_password.as_deref()
            ),
            (Some("ci"), Some("pw"))
        );
        assert_eq!(
            broker.consumer_version_selectors,
            [r#"{"mainBranch":true}"#]
        );
        assert_eq!(broker.consumer_version_tags, ["dev", "prod"]);
        assert_eq!(broker.provider_app_version.as_deref(), Some("1.0.0"));
        assert_eq!(broker.provider_version_branch.as_deref(), Some("main"));
        assert_eq!(broker.provider_version_tag, ["a", "b"]);
        assert!(broker.enable_pending && broker.publish && broker.ignore_no_pacts_error);
        assert_eq!(
            broker.include_wip_pacts_since.as_deref(),
            Some("2026-01-01")
        );
        let token = parse(&["--token", "t"]).broker.broker_token;
        assert_eq!(token.as_deref(), Some("t"));
    }

    #[test]
    fn a_base_url_and_a_hostname_conflict() {
        let both = [
            "verify",
            "a.json",
            "--provider-base-url",
            "http://h",
            "--hostname",
            "h",
        ];
        assert!(Cli::try_parse_from([&["treaty"], &both[..]].concat()).is_err());
    }
}
