//! `treaty describe-version` and `treaty create-version-tag`, with the Pact CLI's flags and
//! requests (pact-broker-api.md §3.4, §3.6).
//!
//! `describe-version --environment E` lists what E holds for the pacticipant (deployed and
//! released, with the application instance); without it, one version (a number, the latest
//! with a tag, or the latest) with its branches and tags.

use clap::Args;
use serde_json::{Value, json};

use crate::broker::deployments::{EnvironmentEntry, Holding};
use crate::cli::BrokerArgs;
use crate::cli::environments::{OutputArgs, single_line};
use crate::cli::text_table::{TableOrJson, print, print_json, render};
use crate::error::Error;

/// Flags of `treaty describe-version`.
#[derive(Debug, Clone, Args)]
pub struct DescribeVersionArgs {
    /// The pacticipant the version belongs to.
    #[arg(
        long,
        short = 'a',
        env = "TREATY_PACTICIPANT",
        value_name = "PACTICIPANT"
    )]
    pub pacticipant: String,
    /// The version number (default: the latest version).
    #[arg(long, short = 'e', env = "TREATY_VERSION", value_name = "VERSION", conflicts_with_all = ["latest", "environment"])]
    pub version: Option<String>,
    /// The latest version, or with a TAG the latest version carrying it.
    #[arg(long, short = 'l', env = "TREATY_LATEST", value_name = "TAG", num_args = 0..=1, conflicts_with = "environment")]
    pub latest: Option<Option<String>>,
    /// List the versions deployed or released to this environment instead.
    #[arg(long, env = "TREATY_ENVIRONMENT", value_name = "ENVIRONMENT")]
    pub environment: Option<String>,
    /// With --environment: only deployed versions.
    #[arg(
        long,
        env = "TREATY_DEPLOYED",
        requires = "environment",
        conflicts_with = "released"
    )]
    pub deployed: bool,
    /// With --environment: only released versions.
    #[arg(long, env = "TREATY_RELEASED", requires = "environment")]
    pub released: bool,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty create-version-tag`.
#[derive(Debug, Clone, Args)]
pub struct CreateVersionTagArgs {
    /// The pacticipant.
    #[arg(
        long,
        short = 'a',
        env = "TREATY_PACTICIPANT",
        value_name = "PACTICIPANT"
    )]
    pub pacticipant: String,
    /// The version to tag.
    #[arg(long, short = 'e', env = "TREATY_VERSION", value_name = "VERSION")]
    pub version: String,
    /// Tags to add; repeat the flag, list several after it, or separate them with commas.
    #[arg(long, short = 't', env = "TREATY_TAGS", value_name = "TAG", num_args = 1.., value_delimiter = ',', required = true)]
    pub tag: Vec<String>,
    /// Create the version when the broker does not have it yet.
    #[arg(long, env = "TREATY_AUTO_CREATE_VERSION")]
    pub auto_create_version: bool,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

fn names(body: &Value, pointer: &str) -> String {
    let list: Vec<&str> = body
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    if list.is_empty() {
        "-".to_owned()
    } else {
        list.join(", ")
    }
}

fn holding_rows(
    environment: &str,
    deployed: &[EnvironmentEntry],
    released: &[EnvironmentEntry],
) -> String {
    let row = |entry: &EnvironmentEntry, status: &str| {
        vec![
            entry.version.clone(),
            status.to_owned(),
            environment.to_owned(),
            entry
                .application_instance
                .clone()
                .unwrap_or_else(|| "-".into()),
        ]
    };
    let rows: Vec<Vec<String>> = deployed
        .iter()
        .map(|entry| row(entry, "deployed"))
        .chain(released.iter().map(|entry| row(entry, "released")))
        .collect();
    render(
        &["VERSION", "STATUS", "ENVIRONMENT", "APPLICATION INSTANCE"],
        &rows,
    )
}

/// Runs `treaty describe-version`.
pub async fn describe(args: DescribeVersionArgs) -> Result<(), Error> {
    let pacticipant = single_line("--pacticipant", &args.pacticipant)?;
    let client = args.broker.client()?;
    if let Some(environment_name) = &args.environment {
        let environment = client.find_environment(environment_name).await?;
        let deployed = if args.released {
            Vec::new()
        } else {
            client
                .environment_holdings(&environment, Holding::Deployed, Some(&pacticipant))
                .await?
        };
        let released = if args.deployed {
            Vec::new()
        } else {
            client
                .environment_holdings(&environment, Holding::Released, Some(&pacticipant))
                .await?
        };
        return match args.output.output {
            TableOrJson::Json => print_json(&json!({
                "deployedVersions": deployed.iter().map(|e| e.body.clone()).collect::<Vec<_>>(),
                "releasedVersions": released.iter().map(|e| e.body.clone()).collect::<Vec<_>>(),
            })),
            TableOrJson::Table if deployed.is_empty() && released.is_empty() => print(&format!(
                "{pacticipant} has no version deployed or released to {}\n",
                environment.name
            )),
            TableOrJson::Table => print(&holding_rows(&environment.name, &deployed, &released)),
        };
    }
    let latest_tag = args.latest.clone().flatten();
    let body = client
        .describe_version(&pacticipant, args.version.as_deref(), latest_tag.as_deref())
        .await?;
    match args.output.output {
        TableOrJson::Json => print_json(&body),
        TableOrJson::Table => {
            let row = vec![
                body["number"].as_str().unwrap_or("-").to_owned(),
                names(&body, "/_embedded/branchVersions"),
                names(&body, "/_embedded/tags"),
                body["createdAt"].as_str().unwrap_or("-").to_owned(),
            ];
            print(&render(&["VERSION", "BRANCHES", "TAGS", "CREATED"], &[row]))
        }
    }
}

/// Runs `treaty create-version-tag`.
pub async fn create_tag(args: CreateVersionTagArgs) -> Result<(), Error> {
    let pacticipant = single_line("--pacticipant", &args.pacticipant)?;
    let version = single_line("--version", &args.version)?;
    let tags = args
        .tag
        .iter()
        .map(|tag| single_line("--tag", tag))
        .collect::<Result<Vec<_>, _>>()?;
    let client = args.broker.client()?;
    if !args.auto_create_version {
        // Without --auto-create-version nothing is written for a version the broker lacks.
        client
            .get_version(&pacticipant, &version)
            .await
            .map_err(|error| match error {
                Error::UnknownInBroker(message) => {
                    Error::UnknownInBroker(format!("{message}; or give --auto-create-version"))
                }
                other => other,
            })?;
    }
    let mut created = Vec::new();
    for tag in &tags {
        created.push(client.put_version_tag(&pacticipant, &version, tag).await?);
        if args.output.output == TableOrJson::Table {
            print(&format!(
                "tagged {pacticipant} version {version} with {tag}\n"
            ))?;
        }
    }
    match args.output.output {
        TableOrJson::Json => print_json(&Value::Array(created)),
        TableOrJson::Table => Ok(()),
    }
}
