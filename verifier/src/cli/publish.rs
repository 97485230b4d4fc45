//! `treaty publish`: validate every contract file, then publish each through the broker's
//! `pb:publish-contracts` relation, one POST per (consumer, provider) pact, and say what happened.
//!
//! Nothing is sent unless every file is a valid contract. A refusal (409 changed content, 400
//! invalid) of one pact does not stop the others; the exit code reflects it at the end.

use std::io::Write;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clap::Args;
use serde_json::{Value, json};

use crate::broker::wire::{ContractToPublish, PublishContractsRequest};
use crate::cli::contract_files::{ContractFile, load_contract_files};
use crate::cli::{BrokerArgs, OutputFormat};
use crate::error::Error;

/// Flags of `treaty publish`.
#[derive(Debug, Clone, Args)]
pub struct PublishArgs {
    /// Pact files to publish; a directory means every *.json file in it.
    #[arg(required = true, value_name = "FILE_OR_DIR")]
    pub paths: Vec<PathBuf>,

    /// The consumer version the contracts belong to (e.g. a git SHA).
    #[arg(
        long,
        short = 'a',
        env = "TREATY_CONSUMER_APP_VERSION",
        value_name = "VERSION"
    )]
    pub consumer_app_version: String,

    /// The branch the consumer version was built from.
    #[arg(long, env = "TREATY_BRANCH", value_name = "BRANCH")]
    pub branch: Option<String>,

    /// A tag for the consumer version; repeat it or separate tags with commas.
    #[arg(
        long,
        short = 't',
        env = "TREATY_TAGS",
        value_name = "TAG",
        value_delimiter = ','
    )]
    pub tag: Vec<String>,

    /// The URL of the CI build that produced the contracts.
    #[arg(long, env = "TREATY_BUILD_URL", value_name = "URL")]
    pub build_url: Option<String>,

    /// Merge the interactions into a contract already published for this consumer version and
    /// provider, instead of refusing a changed contract.
    #[arg(long, env = "TREATY_MERGE")]
    pub merge: bool,

    /// Output format: readable text, or one JSON document for pipes.
    #[arg(long, short = 'o', env = "TREATY_OUTPUT", value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// What to publish, validated.
#[derive(Debug, Clone)]
struct PublishConfig {
    version: String,
    branch: Option<String>,
    tags: Vec<String>,
    build_url: Option<String>,
    on_conflict: &'static str,
}

impl PublishArgs {
    fn config(&self) -> Result<PublishConfig, Error> {
        let single_line = |flag: &str, value: &str| {
            if value.trim().is_empty() || value.contains(['\n', '\r']) {
                Err(Error::Usage(format!(
                    "invalid {flag} `{value}`: expected a non-blank value on one line"
                )))
            } else {
                Ok(value.to_owned())
            }
        };
        let version = single_line("--consumer-app-version", &self.consumer_app_version)?;
        let branch = self
            .branch
            .as_deref()
            .map(|b| single_line("--branch", b))
            .transpose()?;
        let tags = self
            .tag
            .iter()
            .map(|t| single_line("--tag", t))
            .collect::<Result<_, _>>()?;
        Ok(PublishConfig {
            version,
            branch,
            tags,
            build_url: self.build_url.clone(),
            on_conflict: if self.merge { "merge" } else { "overwrite" },
        })
    }
}

/// Runs `treaty publish`.
pub async fn run(args: PublishArgs) -> Result<(), Error> {
    let config = args.config()?;
    let client = args.broker.client()?;
    let files = load_contract_files(&args.paths)?;
    let endpoint = client.publish_contracts_url().await?;

    let mut report = Vec::new();
    let mut refusals = Vec::new();
    for file in &files {
        let request = request_for(file, &config);
        let what = format!(
            "publication of {} ({} -> {}, version {})",
            file.path.display(),
            file.contract.consumer,
            file.contract.provider,
            config.version
        );
        match client.publish_contracts(&endpoint, &request, &what).await {
            Ok(published) => {
                if args.output == OutputFormat::Text {
                    print_published(file, &config, &published.notices)?;
                }
                report.push(json_entry(
                    file,
                    &config,
                    json!({ "response": published.body }),
                ));
            }
            Err(Error::Refused {
                what,
                status,
                messages,
            }) => {
                let detail = json!({ "refused": { "status": status, "messages": messages } });
                report.push(json_entry(file, &config, detail));
                refusals.push(Error::Refused {
                    what,
                    status,
                    messages,
                });
            }
            Err(other) => return Err(other),
        }
    }

    if args.output == OutputFormat::Json {
        let mut out = std::io::stdout().lock();
        let text = serde_json::to_string_pretty(&Value::Array(report))
            .map_err(|e| Error::Output(std::io::Error::other(e)))?;
        writeln!(out, "{text}").map_err(Error::Output)?;
    }
    finish(files.len(), refusals)
}

/// One POST body: the file's JSON, base64-encoded, for its consumer and provider.
fn request_for(file: &ContractFile, config: &PublishConfig) -> PublishContractsRequest {
    PublishContractsRequest {
        pacticipant_name: file.contract.consumer.clone(),
        pacticipant_version_number: config.version.clone(),
        branch: config.branch.clone(),
        tags: (!config.tags.is_empty()).then(|| config.tags.clone()),
        build_url: config.build_url.clone(),
        contracts: vec![ContractToPublish {
            consumer_name: file.contract.consumer.clone(),
            provider_name: file.contract.provider.clone(),
            specification: "pact".to_owned(),
            content_type: "application/json".to_owned(),
            content: STANDARD.encode(&file.bytes),
            on_conflict: config.on_conflict.to_owned(),
        }],
    }
}

fn print_published(
    file: &ContractFile,
    config: &PublishConfig,
    notices: &[crate::broker::wire::Notice],
) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    let mut line = format!(
        "published {} -> {} for version {}",
        file.contract.consumer, file.contract.provider, config.version
    );
    if let Some(branch) = &config.branch {
        line.push_str(&format!(", branch {branch}"));
    }
    if !config.tags.is_empty() {
        line.push_str(&format!(", tags {}", config.tags.join(", ")));
    }
    let mut text = format!("{line} ({})\n", file.path.display());
    for notice in notices {
        text.push_str(&format!("  {}: {}\n", notice.kind, notice.text));
    }
    // A closed pipe (`treaty publish … | head -1`) must not stop the remaining publications.
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output(e)),
        _ => Ok(()),
    }
}

fn json_entry(file: &ContractFile, config: &PublishConfig, outcome: Value) -> Value {
    let mut entry = json!({
        "file": file.path.display().to_string(),
        "consumer": file.contract.consumer,
        "provider": file.contract.provider,
        "consumerVersion": config.version,
        "branch": config.branch,
        "tags": config.tags,
    });
    if let (Value::Object(entry), Value::Object(outcome)) = (&mut entry, outcome) {
        entry.extend(outcome);
    }
    entry
}

/// One refusal is the command's error; several are each printed, then summarised.
fn finish(total: usize, mut refusals: Vec<Error>) -> Result<(), Error> {
    match refusals.len() {
        0 => Ok(()),
        1 => Err(refusals.remove(0)),
        refused => {
            for refusal in &refusals {
                eprintln!("treaty: error: {refusal}");
            }
            Err(Error::SomeRefused { refused, total })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<PublishArgs, clap::Error> {
        let cli = Cli::try_parse_from(args)?;
        let Command::Publish(publish) = cli.command else {
            panic!("expected the publish command");
        };
        Ok(publish)
    }

    #[test]
    fn tags_repeat_and_split_on_commas() {
        let args = parse(&[
            "treaty", "publish", "p.json", "-a", "1", "-b", "http://h", "--tag", "a,b", "--tag",
            "c",
        ])
        .unwrap();
        assert_eq!(args.tag, ["a", "b", "c"]);
        assert_eq!(args.config().unwrap().on_conflict, "overwrite");
    }

    #[test]
    fn merge_asks_the_broker_to_merge() {
        let args = parse(&[
            "treaty", "publish", "p.json", "-a", "1", "-b", "http://h", "--merge",
        ])
        .unwrap();
        assert_eq!(args.config().unwrap().on_conflict, "merge");
    }

    #[test]
    fn token_and_basic_auth_exclude_each_other() {
        let err = parse(&[
            "treaty", "publish", "p.json", "-a", "1", "-b", "http://h", "-k", "t", "-u", "me",
            "-p", "pw",
        ])
        .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn a_blank_version_is_refused_before_anything_runs() {
        let args = parse(&["treaty", "publish", "p.json", "-a", " ", "-b", "http://h"]).unwrap();
        assert!(matches!(args.config(), Err(Error::Usage(_))));
    }

    #[test]
    fn output_accepts_the_spellings_of_the_other_broker_commands() {
        // One TREATY_OUTPUT serves publish (text|json) and the table|json commands.
        for (given, expected) in [
            ("table", OutputFormat::Text),
            ("text", OutputFormat::Text),
            ("json", OutputFormat::Json),
        ] {
            let args = parse(&[
                "treaty", "publish", "p.json", "-a", "1", "-b", "http://h", "-o", given,
            ])
            .unwrap();
            assert_eq!(args.output, expected, "{given}");
        }
    }
}
