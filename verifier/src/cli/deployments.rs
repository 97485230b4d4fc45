//! `treaty record-deployment`, `record-undeployment`, `record-release` and
//! `record-support-ended`, with the Pact CLI's flags and request order (pact-broker-api.md
//! §3.4): a deployment or release is posted to the version's `pb:record-deployment` or
//! `pb:record-release` entry for the environment; an undeployment or the end of support
//! merge-patches the matching entries of the environment's current collections.
//!
//! Exit codes: 0 recorded; 1 the broker refused it; 2 the environment, version or deployment
//! to end does not exist (the message says what to run instead), or the broker is unreachable.

use clap::Args;
use serde_json::{Value, json};

use crate::broker::BrokerClient;
use crate::broker::deployments::{EnvironmentEntry, Holding};
use crate::broker::environments::Environment;
use crate::cli::BrokerArgs;
use crate::cli::environments::{OutputArgs, single_line};
use crate::cli::text_table::{TableOrJson, print, print_json};
use crate::error::Error;

/// Flags of `treaty record-deployment`.
#[derive(Debug, Clone, Args)]
pub struct RecordDeploymentArgs {
    /// The pacticipant that was deployed.
    #[arg(
        long,
        short = 'a',
        env = "TREATY_PACTICIPANT",
        value_name = "PACTICIPANT"
    )]
    pub pacticipant: String,
    /// The version that was deployed.
    #[arg(long, short = 'e', env = "TREATY_VERSION", value_name = "VERSION")]
    pub version: String,
    /// The name of the environment it was deployed to.
    #[arg(long, env = "TREATY_ENVIRONMENT", value_name = "ENVIRONMENT")]
    pub environment: String,
    /// The application instance deployed to, when several run side by side in the
    /// environment (the Pact Broker's beta name `--target` is accepted too).
    #[arg(
        long,
        alias = "target",
        env = "TREATY_APPLICATION_INSTANCE",
        value_name = "APPLICATION_INSTANCE"
    )]
    pub application_instance: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty record-undeployment`.
#[derive(Debug, Clone, Args)]
pub struct RecordUndeploymentArgs {
    /// The pacticipant that was undeployed.
    #[arg(
        long,
        short = 'a',
        env = "TREATY_PACTICIPANT",
        value_name = "PACTICIPANT"
    )]
    pub pacticipant: String,
    /// The name of the environment it was removed from.
    #[arg(long, env = "TREATY_ENVIRONMENT", value_name = "ENVIRONMENT")]
    pub environment: String,
    /// The application instance removed; without it, only a deployment recorded without an
    /// instance is ended.
    #[arg(
        long,
        alias = "target",
        env = "TREATY_APPLICATION_INSTANCE",
        value_name = "APPLICATION_INSTANCE"
    )]
    pub application_instance: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty record-release` and `treaty record-support-ended`.
#[derive(Debug, Clone, Args)]
pub struct ReleaseArgs {
    /// The pacticipant.
    #[arg(
        long,
        short = 'a',
        env = "TREATY_PACTICIPANT",
        value_name = "PACTICIPANT"
    )]
    pub pacticipant: String,
    /// The version released (or whose support ends).
    #[arg(long, short = 'e', env = "TREATY_VERSION", value_name = "VERSION")]
    pub version: String,
    /// The name of the environment.
    #[arg(long, env = "TREATY_ENVIRONMENT", value_name = "ENVIRONMENT")]
    pub environment: String,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

fn instance_suffix(instance: Option<&str>) -> String {
    instance
        .map(|instance| format!(" (application instance {instance})"))
        .unwrap_or_default()
}

/// The pacticipant, version and environment names given, each checked to be one line.
fn version_names(
    pacticipant: &str,
    version: &str,
    environment: &str,
) -> Result<(String, String, String), Error> {
    Ok((
        single_line("--pacticipant", pacticipant)?,
        single_line("--version", version)?,
        single_line("--environment", environment)?,
    ))
}

/// Posts `body` to the version's `relation` entry for the environment, then prints the record
/// (JSON) or `message` (table).
async fn record(
    broker: &BrokerArgs,
    output: TableOrJson,
    relation: &str,
    (pacticipant, version, environment): &(String, String, String),
    body: &Value,
    message: String,
) -> Result<(), Error> {
    let recorded = broker
        .client()?
        .record_in_environment(relation, pacticipant, version, environment, body)
        .await?;
    match output {
        TableOrJson::Json => print_json(&recorded),
        TableOrJson::Table => print(&message),
    }
}

/// What the environment called `name` currently holds of `pacticipant`.
async fn holdings(
    client: &BrokerClient,
    name: &str,
    holding: Holding,
    pacticipant: &str,
) -> Result<(Environment, Vec<EnvironmentEntry>), Error> {
    let environment = client.find_environment(name).await?;
    let entries = client
        .environment_holdings(&environment, holding, Some(pacticipant))
        .await?;
    Ok((environment, entries))
}

/// Sets `field` to false on each entry, calling `ended` after each; the patched records.
async fn end_each(
    client: &BrokerClient,
    entries: Vec<&EnvironmentEntry>,
    field: &str,
    mut ended: impl FnMut(&EnvironmentEntry) -> Result<(), Error>,
) -> Result<Vec<Value>, Error> {
    let mut patched = Vec::new();
    for entry in entries {
        patched.push(client.end_in_environment(entry, field).await?);
        ended(entry)?;
    }
    Ok(patched)
}

/// Runs `treaty record-deployment`.
pub async fn record_deployment(args: RecordDeploymentArgs) -> Result<(), Error> {
    let names = version_names(&args.pacticipant, &args.version, &args.environment)?;
    let instance = args
        .application_instance
        .as_deref()
        .map(|instance| single_line("--application-instance", instance))
        .transpose()?;
    let body = match &instance {
        Some(instance) => json!({ "applicationInstance": instance, "target": instance }),
        None => json!({}),
    };
    let (pacticipant, version, environment) = &names;
    let message = format!(
        "recorded deployment of {pacticipant} version {version} to {environment}{}\n",
        instance_suffix(instance.as_deref())
    );
    let output = args.output.output;
    record(
        &args.broker,
        output,
        "pb:record-deployment",
        &names,
        &body,
        message,
    )
    .await
}

/// Runs `treaty record-release`.
pub async fn record_release(args: ReleaseArgs) -> Result<(), Error> {
    let names = version_names(&args.pacticipant, &args.version, &args.environment)?;
    let (pacticipant, version, environment) = &names;
    let message = format!("recorded release of {pacticipant} version {version} to {environment}\n");
    let output = args.output.output;
    record(
        &args.broker,
        output,
        "pb:record-release",
        &names,
        &json!({}),
        message,
    )
    .await
}

/// The deployments to end: those in the instance asked for (none = recorded without one).
pub fn deployments_to_end<'a>(
    deployed: &'a [EnvironmentEntry],
    instance: Option<&str>,
) -> Vec<&'a EnvironmentEntry> {
    deployed
        .iter()
        .filter(|entry| entry.application_instance.as_deref() == instance)
        .collect()
}

/// Runs `treaty record-undeployment`.
pub async fn record_undeployment(args: RecordUndeploymentArgs) -> Result<(), Error> {
    let pacticipant = single_line("--pacticipant", &args.pacticipant)?;
    let instance = args.application_instance.as_deref();
    let client = args.broker.client()?;
    let (environment, deployed) =
        holdings(&client, &args.environment, Holding::Deployed, &pacticipant).await?;
    let matching = deployments_to_end(&deployed, instance);
    if matching.is_empty() {
        let instances: Vec<&str> = deployed
            .iter()
            .filter_map(|entry| entry.application_instance.as_deref())
            .collect();
        let hint = if instances.is_empty() {
            format!(
                "{pacticipant} is not currently deployed to {}",
                environment.name
            )
        } else {
            format!(
                "{pacticipant} is currently deployed to {} only as application instance {}: give --application-instance",
                environment.name,
                instances.join(", ")
            )
        };
        return Err(Error::UnknownInBroker(format!(
            "nothing to undeploy{}: {hint}",
            instance_suffix(instance)
        )));
    }
    let undeployed = end_each(&client, matching, "currentlyDeployed", |entry| {
        if args.output.output != TableOrJson::Table {
            return Ok(());
        }
        print(&format!(
            "recorded undeployment of {pacticipant} version {} from {}{}\n",
            entry.version,
            environment.name,
            instance_suffix(instance)
        ))
    })
    .await?;
    match args.output.output {
        TableOrJson::Json => print_json(&Value::Array(undeployed)),
        TableOrJson::Table => Ok(()),
    }
}

/// Runs `treaty record-support-ended`.
pub async fn record_support_ended(args: ReleaseArgs) -> Result<(), Error> {
    let (pacticipant, version, environment_name) =
        version_names(&args.pacticipant, &args.version, &args.environment)?;
    let client = args.broker.client()?;
    let (_, released) =
        holdings(&client, &environment_name, Holding::Released, &pacticipant).await?;
    let matching: Vec<&EnvironmentEntry> = released
        .iter()
        .filter(|entry| entry.version == version)
        .collect();
    if matching.is_empty() {
        return Err(Error::UnknownInBroker(format!(
            "{pacticipant} version {version} is not a currently supported release in {environment_name}: record it with `treaty record-release` first, or check `treaty describe-version --pacticipant {pacticipant} --environment {environment_name}`"
        )));
    }
    let ended = end_each(&client, matching, "currentlySupported", |_| Ok(())).await?;
    match args.output.output {
        TableOrJson::Json => print_json(&Value::Array(ended)),
        TableOrJson::Table => print(&format!(
            "recorded support ended for {pacticipant} version {version} in {environment_name}\n"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(version: &str, instance: Option<&str>) -> EnvironmentEntry {
        EnvironmentEntry {
            pacticipant: "Foo".into(),
            version: version.into(),
            application_instance: instance.map(str::to_owned),
            href: format!("/deployed-versions/{version}"),
            body: Value::Null,
        }
    }

    #[test]
    fn undeployment_picks_the_instance_asked_for() {
        let deployed = [
            entry("1", Some("blue")),
            entry("2", None),
            entry("3", Some("green")),
        ];
        let versions = |instance| -> Vec<String> {
            deployments_to_end(&deployed, instance)
                .iter()
                .map(|entry| entry.version.clone())
                .collect()
        };
        assert_eq!(
            versions(None),
            ["2"],
            "no instance means recorded without one"
        );
        assert_eq!(versions(Some("blue")), ["1"]);
        assert!(versions(Some("red")).is_empty());
    }
}
