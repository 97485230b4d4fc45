//! The raw flags of `treaty verify` that concern the broker: where it is and how to log in,
//! which contracts to ask it for (consumer version selectors, pending, WIP), and whether and as
//! which provider version to publish the results. The `pact verifier` spellings are aliases.
//! Validation happens in [`super::config`].

use clap::Args;

/// Broker flags of `treaty verify`.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Broker")]
pub struct VerifyBrokerArgs {
    /// The broker's base URL. Without SOURCE, the contracts are the broker's pacts for
    /// verification of --provider; with pact URLs, their broker (credentials go only there).
    #[arg(
        long,
        short = 'b',
        visible_alias = "broker-url",
        env = "PACT_BROKER_BASE_URL",
        value_name = "URL"
    )]
    pub broker_base_url: Option<String>,

    /// Bearer token for the broker.
    #[arg(
        long,
        short = 'k',
        visible_alias = "token",
        env = "PACT_BROKER_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        conflicts_with_all = ["broker_username", "broker_password"]
    )]
    pub broker_token: Option<String>,

    /// User name for basic auth to the broker (with --broker-password).
    #[arg(
        long,
        visible_alias = "user",
        env = "PACT_BROKER_USERNAME",
        value_name = "USERNAME",
        requires = "broker_password"
    )]
    pub broker_username: Option<String>,

    /// Password for basic auth to the broker (with --broker-username).
    #[arg(
        long,
        visible_alias = "password",
        env = "PACT_BROKER_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true,
        requires = "broker_username"
    )]
    pub broker_password: Option<String>,

    /// Total attempts for a broker request answered with 5xx, 408 or 429, or that cannot
    /// connect (1 = no retry);
    /// waits double from 0.5 s with jitter and honour Retry-After, up to 10 s each.
    #[arg(long, env = "PACT_BROKER_HTTP_RETRIES", value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub retries: u32,

    /// A consumer version selector as JSON, e.g. '{"mainBranch": true}' or
    /// '{"deployedOrReleased": true}' (repeatable; a JSON array holds several). Sent to the
    /// broker as given; without any, the broker's defaults apply.
    #[arg(long, env = "TREATY_CONSUMER_VERSION_SELECTORS", value_name = "JSON")]
    pub consumer_version_selectors: Vec<String>,

    /// Verify the latest contract of consumer versions with this tag (repeatable or
    /// comma-separated; each becomes the selector {"tag": T, "latest": true}).
    #[arg(
        long,
        env = "TREATY_CONSUMER_VERSION_TAGS",
        value_name = "TAG",
        value_delimiter = ','
    )]
    pub consumer_version_tags: Vec<String>,

    /// The provider version being verified (required with --publish).
    #[arg(
        long,
        visible_alias = "provider-version",
        env = "TREATY_PROVIDER_APP_VERSION",
        value_name = "VERSION"
    )]
    pub provider_app_version: Option<String>,

    /// The provider version's branch: pending and WIP are worked out for it, and with
    /// --publish the version is put on it.
    #[arg(
        long,
        visible_alias = "provider-branch",
        env = "TREATY_PROVIDER_VERSION_BRANCH",
        value_name = "BRANCH"
    )]
    pub provider_version_branch: Option<String>,

    /// A tag of the provider version (repeatable or comma-separated); with --publish the
    /// version is tagged with it.
    #[arg(
        long,
        visible_alias = "provider-tags",
        env = "TREATY_PROVIDER_VERSION_TAGS",
        value_name = "TAG",
        value_delimiter = ','
    )]
    pub provider_version_tag: Vec<String>,

    /// Ask the broker which contracts are pending: their failures are reported but do not
    /// fail the run.
    #[arg(long, env = "TREATY_ENABLE_PENDING")]
    pub enable_pending: bool,

    /// Also verify work-in-progress contracts created since this date (2026-01-31 or an
    /// RFC 3339 time); they are always pending. Needs --provider-version-branch (or a tag).
    #[arg(long, env = "TREATY_INCLUDE_WIP_PACTS_SINCE", value_name = "DATE")]
    pub include_wip_pacts_since: Option<String>,

    /// Publish one verification result per contract to the broker (needs
    /// --provider-app-version).
    #[arg(
        long,
        visible_alias = "publish-verification-results",
        env = "TREATY_PUBLISH_VERIFICATION_RESULTS"
    )]
    pub publish: bool,

    /// The CI build's URL, sent with published results.
    #[arg(long, env = "TREATY_BUILD_URL", value_name = "URL")]
    pub build_url: Option<String>,

    /// Exit 0 when nothing was verified (the broker returned no contract, or the filters
    /// matched no interaction) instead of failing.
    #[arg(long, env = "TREATY_IGNORE_NO_PACTS_ERROR")]
    pub ignore_no_pacts_error: bool,
}
