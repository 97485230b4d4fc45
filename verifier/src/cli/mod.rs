//! The `treaty` command line: the clap definitions of the root command and its subcommands, the
//! broker flags every broker command shares, and [`run`], which turns parsed flags into work.
//!
//! Clap structs hold raw flags only; each command converts them into validated settings before
//! it touches the network or the disk (ripgrep's low/high arguments).

pub mod can_i_deploy;
pub mod contract_files;
pub mod deployments;
pub mod environments;
pub mod publish;
pub mod text_table;
pub mod verify;
pub mod versions;
pub mod webhooks;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::broker::{Auth, BrokerClient, RetryPolicy, Secret};
use crate::error::Error;

/// Treaty: publish contracts to a broker, verify providers against them, ask can-i-deploy.
#[derive(Debug, Parser)]
#[command(
    name = "treaty",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Exit codes: 0 success, 1 a contract failed or was refused by the broker, \
                        2 treaty could not do its job (bad flags, unreadable file, unreachable broker)."
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Every `treaty` command.
#[derive(Debug, Subcommand)]
#[allow(
    clippy::large_enum_variant,
    reason = "parsed once per process; boxing every command's flags buys nothing"
)]
pub enum Command {
    /// Publish Pact contract files to a broker for a consumer version.
    Publish(publish::PublishArgs),
    /// Verify a running provider against contract files, directories or URLs.
    Verify(verify::VerifyArgs),
    /// Ask the broker whether versions can be deployed to an environment (exit 0 yes, 1 no).
    #[command(disable_version_flag = true)]
    CanIDeploy(can_i_deploy::CanIDeployArgs),
    /// Ask the broker whether a version is compatible with the main branch of every application
    /// it integrates with (exit 0 yes, 1 no).
    #[command(disable_version_flag = true)]
    CanIMerge(can_i_deploy::CanIMergeArgs),
    /// Create an environment that versions can be deployed or released to.
    CreateEnvironment(environments::CreateEnvironmentArgs),
    /// List the broker's environments.
    ListEnvironments(environments::ListEnvironmentsArgs),
    /// Show one environment.
    DescribeEnvironment(environments::EnvironmentUuidArgs),
    /// Change an environment's name, display name, production flag or contacts.
    UpdateEnvironment(environments::UpdateEnvironmentArgs),
    /// Delete an environment with its deployment and release records.
    DeleteEnvironment(environments::EnvironmentUuidArgs),
    /// Record that a version was deployed to an environment (it replaces the version deployed
    /// before in the same application instance).
    #[command(disable_version_flag = true)]
    RecordDeployment(deployments::RecordDeploymentArgs),
    /// Record that a pacticipant was removed from an environment (only needed when nothing
    /// replaces it; record-deployment ends the previous deployment itself).
    RecordUndeployment(deployments::RecordUndeploymentArgs),
    /// Record that a version was released to an environment (releases add up).
    #[command(disable_version_flag = true)]
    RecordRelease(deployments::ReleaseArgs),
    /// Record that a released version is no longer supported in an environment.
    #[command(disable_version_flag = true)]
    RecordSupportEnded(deployments::ReleaseArgs),
    /// Show a version (its branches and tags), or what an environment holds of a pacticipant.
    #[command(disable_version_flag = true)]
    DescribeVersion(versions::DescribeVersionArgs),
    /// Add tags to a pacticipant version.
    #[command(disable_version_flag = true)]
    CreateVersionTag(versions::CreateVersionTagArgs),
    /// Create a webhook (or, with --uuid, create or replace the webhook with that uuid).
    CreateWebhook(webhooks::CreateWebhookArgs),
    /// List the broker's webhooks.
    ListWebhooks(webhooks::ListWebhooksArgs),
    /// Run a webhook once now and show the response (exit 0 it succeeded, 1 it failed).
    TestWebhook(webhooks::WebhookUuidArgs),
    /// Delete a webhook.
    DeleteWebhook(webhooks::WebhookUuidArgs),
    /// List a webhook's deliveries and their attempts.
    ListWebhookDeliveries(webhooks::WebhookUuidArgs),
}

/// How to reach the broker; shared by every command that talks to it. The environment variables
/// are the Pact CLI's, so existing CI settings keep working.
#[derive(Debug, Clone, Args)]
pub struct BrokerArgs {
    /// The broker's base URL, e.g. http://127.0.0.1:9292.
    #[arg(long, short = 'b', env = "PACT_BROKER_BASE_URL", value_name = "URL")]
    pub broker_base_url: String,

    /// Bearer token for the broker.
    #[arg(
        long,
        short = 'k',
        env = "PACT_BROKER_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        conflicts_with_all = ["broker_username", "broker_password"]
    )]
    pub broker_token: Option<String>,

    /// User name for basic auth (with --broker-password).
    #[arg(
        long,
        short = 'u',
        env = "PACT_BROKER_USERNAME",
        value_name = "USERNAME",
        requires = "broker_password"
    )]
    pub broker_username: Option<String>,

    /// Password for basic auth (with --broker-username).
    #[arg(
        long,
        short = 'p',
        env = "PACT_BROKER_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true,
        requires = "broker_username"
    )]
    pub broker_password: Option<String>,

    /// Total attempts for a request the broker answers with 5xx, 408 or 429, or that cannot
    /// connect (1 = no retry);
    /// waits double from 0.5 s and honour Retry-After, up to 10 s each.
    #[arg(long, env = "PACT_BROKER_HTTP_RETRIES", value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub retries: u32,
}

impl BrokerArgs {
    /// A client configured from these flags.
    pub fn client(&self) -> Result<BrokerClient, Error> {
        let auth = match (
            &self.broker_token,
            &self.broker_username,
            &self.broker_password,
        ) {
            (Some(token), _, _) => Some(Auth::Bearer(Secret::new(token.clone()))),
            (None, Some(username), Some(password)) => Some(Auth::Basic {
                username: username.clone(),
                password: Secret::new(password.clone()),
            }),
            _ => None,
        };
        let retry = RetryPolicy {
            attempts: self.retries,
            ..RetryPolicy::default()
        };
        BrokerClient::new(&self.broker_base_url, auth, retry)
    }
}

/// How a command prints its result on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable lines for people (`table` is accepted too, so that one `TREATY_OUTPUT` serves
    /// every command).
    #[value(alias = "table")]
    Text,
    /// One JSON document, for pipes.
    Json,
}

/// Runs a parsed command line to completion.
pub fn run(cli: Cli) -> Result<(), Error> {
    init_logging();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Setup(format!("the async runtime: {e}")))?;
    match cli.command {
        Command::Publish(args) => runtime.block_on(publish::run(args)),
        Command::Verify(args) => verify::run(args),
        Command::CanIDeploy(args) => runtime.block_on(can_i_deploy::run(args)),
        Command::CanIMerge(args) => runtime.block_on(can_i_deploy::run_merge(args)),
        Command::CreateEnvironment(args) => runtime.block_on(environments::create(args)),
        Command::ListEnvironments(args) => runtime.block_on(environments::list(args)),
        Command::DescribeEnvironment(args) => runtime.block_on(environments::describe(args)),
        Command::UpdateEnvironment(args) => runtime.block_on(environments::update(args)),
        Command::DeleteEnvironment(args) => runtime.block_on(environments::delete(args)),
        Command::RecordDeployment(args) => runtime.block_on(deployments::record_deployment(args)),
        Command::RecordUndeployment(args) => {
            runtime.block_on(deployments::record_undeployment(args))
        }
        Command::RecordRelease(args) => runtime.block_on(deployments::record_release(args)),
        Command::RecordSupportEnded(args) => {
            runtime.block_on(deployments::record_support_ended(args))
        }
        Command::DescribeVersion(args) => runtime.block_on(versions::describe(args)),
        Command::CreateVersionTag(args) => runtime.block_on(versions::create_tag(args)),
        Command::CreateWebhook(args) => runtime.block_on(webhooks::create(args)),
        Command::ListWebhooks(args) => runtime.block_on(webhooks::list(args)),
        Command::TestWebhook(args) => runtime.block_on(webhooks::test(args)),
        Command::DeleteWebhook(args) => runtime.block_on(webhooks::delete(args)),
        Command::ListWebhookDeliveries(args) => runtime.block_on(webhooks::list_deliveries(args)),
    }
}

/// Logs go to standard error, filtered by `TREATY_LOG` (e.g. `TREATY_LOG=debug`); off otherwise.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TREATY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_flag_has_help_text() {
        fn check(command: &clap::Command, path: &str) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                assert!(arg.get_help().is_some(), "{path} --{id} has no help text");
            }
            for sub in command.get_subcommands() {
                check(sub, &format!("{path} {}", sub.get_name()));
            }
        }
        check(&Cli::command(), "treaty");
    }
}
