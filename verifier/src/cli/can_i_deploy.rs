//! `treaty can-i-deploy` and `treaty can-i-merge`: ask the broker's matrix whether versions can
//! be deployed to an environment (or merged into the main branch), print the explanation first
//! and then a table, and exit 0 when deployable, 1 when not (unknown included), 2 when the
//! question cannot be asked.
//!
//! Like the Pact CLI, `--version`, `--latest`, `--branch`, `--tag` and `--main-branch` belong
//! to the `--pacticipant` before them, and a `--version` right after `--ignore` to that ignore;
//! clap cannot tell which flag came after which, so the pairing is read from the raw command
//! line ([`selectors_from_args`]), and falls back to pairing the n-th `--version` with the n-th
//! `--pacticipant` when Treaty runs as a library.

mod render;

use std::time::Duration;

use clap::Args;

use crate::broker::matrix::{Ignore, MatrixQuestion, Selector};
use crate::cli::BrokerArgs;
use crate::cli::text_table::TableOrJson;
use crate::error::Error;

/// Flags of `treaty can-i-deploy`.
#[derive(Debug, Clone, Args)]
pub struct CanIDeployArgs {
    /// An application to deploy; the --version, --latest, --branch, --tag or --main-branch after
    /// it say which of its versions. Repeat it to release several applications together.
    #[arg(long, short = 'a', required = true, value_name = "PACTICIPANT")]
    pub pacticipant: Vec<String>,

    /// The version of the --pacticipant before it (or of the --ignore before it).
    #[arg(long, short = 'e', value_name = "VERSION")]
    pub version: Vec<String>,

    /// Use the latest version of the --pacticipant before it, optionally the latest with TAG.
    #[arg(long, short = 'l', value_name = "TAG", num_args = 0..=1, default_missing_value = "")]
    pub latest: Vec<String>,

    /// Use the versions of this branch of the --pacticipant before it.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Vec<String>,

    /// Use the versions with this tag of the --pacticipant before it.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,

    /// Use the latest version of the main branch of the --pacticipant before it.
    #[arg(long, action = clap::ArgAction::Count)]
    pub main_branch: u8,

    /// Leave this application out of the question (with --version after it: only that version).
    #[arg(long, value_name = "PACTICIPANT")]
    pub ignore: Vec<String>,

    /// The environment to deploy to.
    #[arg(long, value_name = "ENVIRONMENT", conflicts_with = "to")]
    pub to_environment: Option<String>,

    /// The tag the other applications' versions carry where you deploy (legacy tags workflow).
    #[arg(long, value_name = "TAG")]
    pub to: Option<String>,

    /// Output format.
    #[arg(long, short = 'o', env = "TREATY_OUTPUT", value_enum, default_value_t = TableOrJson::Table)]
    pub output: TableOrJson,

    /// While the answer is unknown (a verification is still running), ask again up to N times.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retry_while_unknown: u32,

    /// Seconds between the tries of --retry-while-unknown.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub retry_interval: u64,

    /// Print the answer but always exit 0.
    #[arg(long)]
    pub dry_run: bool,

    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty can-i-merge`.
#[derive(Debug, Clone, Args)]
pub struct CanIMergeArgs {
    /// The application to merge.
    #[arg(long, short = 'a', value_name = "PACTICIPANT")]
    pub pacticipant: String,

    /// Its version (the build of the branch to merge).
    #[arg(long, short = 'e', value_name = "VERSION")]
    pub version: String,

    /// Output format.
    #[arg(long, short = 'o', env = "TREATY_OUTPUT", value_enum, default_value_t = TableOrJson::Table)]
    pub output: TableOrJson,

    /// While the answer is unknown, ask again up to N times.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retry_while_unknown: u32,

    /// Seconds between the tries of --retry-while-unknown.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub retry_interval: u64,

    /// Print the answer but always exit 0.
    #[arg(long)]
    pub dry_run: bool,

    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// A validated question and how to ask it.
#[derive(Debug, Clone)]
struct AskConfig {
    question: MatrixQuestion,
    output: TableOrJson,
    retries: u32,
    interval: Duration,
    dry_run: bool,
}

/// Pairs per-pacticipant flags with the `--pacticipant` before them, as the Pact CLI does, from
/// the raw arguments (`--flag value` and `--flag=value` forms).
pub fn selectors_from_args(args: &[String]) -> Result<(Vec<Selector>, Vec<Ignore>), Error> {
    let mut selectors: Vec<Selector> = Vec::new();
    let mut ignores: Vec<Ignore> = Vec::new();
    // Whether the last `--pacticipant`/`--ignore` seen was an ignore (where `--version` goes).
    let mut after_ignore = false;
    let mut index = 0;
    while index < args.len() {
        let (flag, inline) = match args[index].split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (args[index].as_str(), None),
        };
        let value = |index: &mut usize| -> Result<String, Error> {
            if let Some(value) = &inline {
                return Ok(value.clone());
            }
            *index += 1;
            args.get(*index)
                .cloned()
                .ok_or_else(|| Error::Usage(format!("{flag} needs a value")))
        };
        let current = |selectors: &mut Vec<Selector>| -> Result<usize, Error> {
            selectors.len().checked_sub(1).ok_or_else(|| {
                Error::Usage(format!(
                    "{flag} must come after the --pacticipant it belongs to"
                ))
            })
        };
        match flag {
            "--pacticipant" | "-a" => {
                selectors.push(Selector {
                    pacticipant: value(&mut index)?,
                    ..Selector::default()
                });
                after_ignore = false;
            }
            "--ignore" => {
                ignores.push(Ignore {
                    pacticipant: value(&mut index)?,
                    version: None,
                });
                after_ignore = true;
            }
            "--version" | "-e" => {
                let version = value(&mut index)?;
                if after_ignore {
                    if let Some(ignore) = ignores.last_mut() {
                        ignore.version = Some(version);
                    }
                } else {
                    let at = current(&mut selectors)?;
                    selectors[at].version = Some(version);
                }
            }
            "--branch" => {
                let branch = value(&mut index)?;
                let at = current(&mut selectors)?;
                selectors[at].branch = Some(branch);
            }
            "--tag" => {
                let tag = value(&mut index)?;
                let at = current(&mut selectors)?;
                selectors[at].tags.push(tag);
            }
            "--main-branch" => {
                let at = current(&mut selectors)?;
                selectors[at].main_branch = true;
            }
            "--latest" | "-l" => {
                let at = current(&mut selectors)?;
                let tag = match &inline {
                    Some(tag) => Some(tag.clone()),
                    None => match args.get(index + 1) {
                        Some(next) if !next.starts_with('-') => {
                            index += 1;
                            Some(next.clone())
                        }
                        _ => None,
                    },
                };
                selectors[at].latest = Some(tag.filter(|tag| !tag.is_empty()));
            }
            _ => {}
        }
        index += 1;
    }
    Ok((selectors, ignores))
}

impl CanIDeployArgs {
    fn config(&self, raw: &[String]) -> Result<AskConfig, Error> {
        let (mut selectors, mut ignore) = selectors_from_args(raw)?;
        if selectors.len() != self.pacticipant.len() {
            // Not run from this process's command line (a library caller): pair by position.
            selectors = self
                .pacticipant
                .iter()
                .enumerate()
                .map(|(index, pacticipant)| Selector {
                    pacticipant: pacticipant.clone(),
                    version: self.version.get(index).cloned(),
                    main_branch: self.main_branch > 0,
                    ..Selector::default()
                })
                .collect();
            ignore = self
                .ignore
                .iter()
                .map(|name| Ignore {
                    pacticipant: name.clone(),
                    version: None,
                })
                .collect();
        }
        for selector in &selectors {
            check_selector(selector)?;
        }
        for value in [&self.to_environment, &self.to].into_iter().flatten() {
            if value.trim().is_empty() {
                return Err(Error::Usage(
                    "--to-environment and --to need a non-blank value".into(),
                ));
            }
        }
        Ok(AskConfig {
            question: MatrixQuestion {
                selectors,
                ignore,
                to_tag: self.to.clone(),
                to_environment: self.to_environment.clone(),
                merge: false,
            },
            output: self.output,
            retries: self.retry_while_unknown,
            interval: Duration::from_secs(self.retry_interval),
            dry_run: self.dry_run,
        })
    }
}

fn check_selector(selector: &Selector) -> Result<(), Error> {
    let name = &selector.pacticipant;
    if name.trim().is_empty() {
        return Err(Error::Usage("--pacticipant needs a non-blank name".into()));
    }
    if selector.version.is_some() && selector.latest.is_some() {
        return Err(Error::Usage(format!(
            "--version and --latest both given for {name}: give one of them"
        )));
    }
    if selector.version.is_none()
        && selector.latest.is_none()
        && selector.branch.is_none()
        && selector.tags.is_empty()
        && !selector.main_branch
    {
        return Err(Error::Usage(format!(
            "no version given for {name}: add --version V (or --latest, --branch B, --main-branch) after --pacticipant {name}"
        )));
    }
    Ok(())
}

/// Runs `treaty can-i-deploy`.
pub async fn run(args: CanIDeployArgs) -> Result<(), Error> {
    let raw: Vec<String> = std::env::args().collect();
    let config = args.config(&raw)?;
    ask(&args.broker, config).await
}

/// Runs `treaty can-i-merge`.
pub async fn run_merge(args: CanIMergeArgs) -> Result<(), Error> {
    let selector = Selector {
        pacticipant: args.pacticipant.clone(),
        version: Some(args.version.clone()),
        ..Selector::default()
    };
    check_selector(&selector)?;
    let config = AskConfig {
        question: MatrixQuestion {
            selectors: vec![selector],
            merge: true,
            ..MatrixQuestion::default()
        },
        output: args.output,
        retries: args.retry_while_unknown,
        interval: Duration::from_secs(args.retry_interval),
        dry_run: args.dry_run,
    };
    ask(&args.broker, config).await
}

async fn ask(broker: &BrokerArgs, config: AskConfig) -> Result<(), Error> {
    let client = broker.client()?;
    let mut attempt = 0;
    let (answer, body) = loop {
        let (answer, body) = client.ask_matrix(&config.question).await?;
        if answer.deployable().is_some() || attempt >= config.retries {
            break (answer, body);
        }
        attempt += 1;
        tracing::info!(attempt, "the answer is unknown; asking again");
        tokio::time::sleep(config.interval).await;
    };
    let mut out = std::io::stdout().lock();
    match config.output {
        TableOrJson::Json => render::json(&mut out, &body)?,
        TableOrJson::Table => render::table(&mut out, &config.question, &answer)?,
    }
    match answer.deployable() {
        Some(true) => Ok(()),
        _ if config.dry_run => Ok(()),
        deployable => Err(Error::NotDeployable(render::refusal(
            &config.question,
            deployable,
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn flags_belong_to_the_pacticipant_before_them() {
        let (selectors, ignore) = selectors_from_args(&args(
            "treaty can-i-deploy --pacticipant A --version 1 --pacticipant B --latest prod --pacticipant C --branch=main --main-branch --ignore D --version 4 --to-environment production",
        ))
        .unwrap_or_default();
        assert_eq!(selectors.len(), 3);
        assert_eq!(selectors[0].version.as_deref(), Some("1"));
        assert_eq!(selectors[1].latest, Some(Some("prod".into())));
        assert_eq!(selectors[2].branch.as_deref(), Some("main"));
        assert!(selectors[2].main_branch);
        assert_eq!(
            ignore,
            vec![Ignore {
                pacticipant: "D".into(),
                version: Some("4".into())
            }]
        );
        let (selectors, _) =
            selectors_from_args(&args("x --pacticipant A --latest --to prod")).unwrap_or_default();
        assert_eq!(selectors[0].latest, Some(None));
    }

    #[test]
    fn a_version_without_its_pacticipant_is_a_usage_error() {
        let error = selectors_from_args(&args("x --version 1 --pacticipant A")).err();
        assert!(
            matches!(error, Some(Error::Usage(message)) if message.contains("--version must come after the --pacticipant"))
        );
        let missing = check_selector(&Selector {
            pacticipant: "A".into(),
            ..Selector::default()
        })
        .err();
        assert!(
            matches!(missing, Some(Error::Usage(message)) if message.contains("no version given for A"))
        );
    }
}
