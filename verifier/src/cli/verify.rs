//! `treaty verify`: load the contracts (files, URLs, or the broker's pacts for verification),
//! replay them against the running provider, write the reports, publish the results with
//! `--publish`, and exit 0 (all passed, pending failures included), 1 (a contract failed, or
//! nothing was verified) or 2 (could not run).
//!
//! The flags live in [`VerifyArgs`] as clap gives them; [`VerifyConfig::from_args`] turns them
//! into validated settings before anything touches the disk or the network. The `pact verifier`
//! flag names are accepted as aliases where the concept is the same, so CI scripts carry over.

mod args;
mod broker_args;
mod broker_config;
mod config;
pub mod publish_results;

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

pub use args::VerifyArgs;
pub use broker_args::VerifyBrokerArgs;
pub use broker_config::{BrokerConfig, PublishConfig};
pub use config::{ReportFiles, VerifyConfig};

use crate::error::Error;
use crate::replay::{self, Progress, VerificationReport, plan};
use crate::report;
use crate::source::{self, LoadedContract};

/// Runs `treaty verify` on its own multi-threaded runtime, so that matching uses every core.
///
/// This is the command's entry point, and the process ends when it returns: the loaded
/// contracts and the report are left allocated rather than freed. Freeing them is a walk over
/// every interaction's tree of small allocations (at 1 000 interactions, for the contracts,
/// about as many instructions as 80 interactions' requests), done by whichever thread lets go
/// of them last, for memory the process hands back anyway. [`verify`] frees them as usual.
pub fn run(args: VerifyArgs) -> Result<(), Error> {
    let config = VerifyConfig::from_args(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Setup(format!("the async runtime: {e}")))?;
    let mut kept = Kept::default();
    let result = runtime.block_on(verify_keeping(config, &mut kept));
    std::mem::forget(kept);
    result
}

/// Loads, replays, reports; the exit code follows from the returned error.
pub async fn verify(config: VerifyConfig) -> Result<(), Error> {
    verify_keeping(config, &mut Kept::default()).await
}

/// What [`verify_keeping`] hands back to be freed by its caller, or not at all.
#[derive(Default)]
struct Kept {
    /// A handle on the loaded contracts, so that the last one to let go of them is the caller.
    contracts: Option<Arc<Vec<LoadedContract>>>,
    report: Option<VerificationReport>,
}

/// [`verify`], leaving the loaded contracts and the report in `kept`.
async fn verify_keeping(config: VerifyConfig, kept: &mut Kept) -> Result<(), Error> {
    let client = replay::build_client(&config.replay)
        .map_err(|e| Error::Setup(format!("the HTTP client: {e}")))?;
    let loaded = source::load_all(&config.sources, &client, config.broker.client.as_ref()).await?;
    let empty_sources = loaded.empty_sources;
    let mut contracts = loaded.contracts;
    if let Some(provider) = &config.replay.provider {
        let before = contracts.len();
        contracts.retain(|loaded| {
            let keep = loaded.contract.provider == *provider;
            if !keep {
                eprintln!(
                    "treaty: warning: skipping {}: it is a contract with provider `{}`, not `{provider}`",
                    loaded.origin, loaded.contract.provider
                );
            }
            keep
        });
        if contracts.is_empty() && before > 0 {
            return Err(Error::Usage(format!(
                "none of the {before} contracts is for provider `{provider}`: check --provider"
            )));
        }
    }

    if config.replay.state_setup_url.is_none() {
        let stateful = contracts
            .iter()
            .flat_map(|loaded| &loaded.contract.interactions)
            .filter(|interaction| !interaction.provider_states.is_empty())
            .count();
        if stateful > 0 {
            eprintln!(
                "treaty: warning: {stateful} interactions have provider states, but no \
                 --provider-states-setup-url was given: their states are not set up"
            );
        }
    }

    // The progress line is redrawn at most every 50 ms, so that a fast run does not spend
    // its time writing to the terminal.
    let show_progress = std::io::stderr().is_terminal();
    let mut last_drawn: Option<std::time::Instant> = None;
    let mut on_progress = |progress: Progress<'_>| {
        if !show_progress {
            return;
        }
        if progress.done == progress.total {
            eprint!("\r\x1b[2K");
            return;
        }
        if last_drawn.is_none_or(|drawn| drawn.elapsed() >= Duration::from_millis(50)) {
            last_drawn = Some(std::time::Instant::now());
            let description: String = progress.interaction.description.chars().take(60).collect();
            eprint!(
                "\r\x1b[2Kverifying [{}/{}] {description}",
                progress.done, progress.total
            );
        }
    };
    let contracts = Arc::new(contracts);
    kept.contracts = Some(Arc::clone(&contracts));
    let report = replay::replay(
        client,
        Arc::clone(&contracts),
        config.replay.clone(),
        &mut on_progress,
    )
    .await;

    write_report_files(&report, &config.reports)?;
    // Buffered: standard output is line-buffered, and a line per interaction would be a
    // write call per interaction.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    report::console::render(&report, config.color, &mut stdout)
        .and_then(|()| stdout.flush())
        .map_err(Error::Output)?;

    let published = publish_or_show_notices(&config, &contracts, &report).await?;

    let outcome = outcome_of(&report).and_then(|()| {
        if report.verified_count() == 0 {
            let reason = nothing_verified(&config, &empty_sources, &contracts, &report);
            if config.broker.ignore_no_pacts_error {
                eprintln!("treaty: warning: nothing was verified: {reason}");
            } else {
                return Err(Error::NothingVerified(format!(
                    "{reason}; pass --ignore-no-pacts-error to let such a run pass"
                )));
            }
        }
        match published {
            Some((outcome, total)) if outcome.failed > 0 => Err(Error::ResultsNotPublished {
                failed: outcome.failed,
                total,
            }),
            _ => Ok(()),
        }
    });
    kept.report = Some(report);
    outcome
}

/// With `--publish`, publishes the result of every contract verified and returns how that went
/// and how many were tried; without, shows the broker's notices for unpublished results.
///
/// A provider that could not be reached says nothing about the contracts: no result is
/// published for such a run (it exits 2).
async fn publish_or_show_notices(
    config: &VerifyConfig,
    contracts: &[LoadedContract],
    report: &VerificationReport,
) -> Result<Option<(publish_results::Published, usize)>, Error> {
    let selected = plan::selected_contracts(contracts, &config.replay.filters);
    let pairs: Vec<_> = selected
        .iter()
        .map(|&index| &contracts[index])
        .zip(&report.contracts)
        .collect();
    let mut stdout = std::io::stdout().lock();
    let verdict_known = report.unreachable_reason().is_none();
    if let (Some(publish), Some(broker), true) =
        (&config.broker.publish, &config.broker.client, verdict_known)
    {
        let outcome = publish_results::publish_all(broker, &pairs, publish, &mut stdout)
            .await
            .map_err(Error::Output)?;
        return Ok(Some((outcome, pairs.len())));
    }
    for (loaded, contract) in pairs {
        let success = !contract.interactions.iter().any(|i| i.outcome.is_failure());
        publish_results::write_notices_after(loaded, success, false, &mut stdout)
            .map_err(Error::Output)?;
    }
    Ok(None)
}

/// Why a run verified nothing: what the broker said, or which filters matched nothing.
fn nothing_verified(
    config: &VerifyConfig,
    empty_sources: &[String],
    contracts: &[LoadedContract],
    report: &VerificationReport,
) -> String {
    if !empty_sources.is_empty() {
        return empty_sources.join("; ");
    }
    if contracts.is_empty() {
        return "no contract was loaded".to_owned();
    }
    if report.interaction_count() > 0 {
        let skipped = match report.interaction_count() {
            1 => "the only interaction was skipped".to_owned(),
            count => format!("all {count} interactions were skipped"),
        };
        return format!(
            "{skipped} (treaty replays HTTP interactions; message interactions are reported as \
             skipped)"
        );
    }
    let filters = &config.replay.filters;
    let kept = plan::selected_contracts(contracts, filters).len();
    if kept == 0 {
        let mut consumers: Vec<&str> = contracts
            .iter()
            .map(|loaded| loaded.contract.consumer.as_str())
            .collect();
        consumers.dedup();
        let (noun, whose) = if contracts.len() == 1 {
            ("contract", "whose consumer is")
        } else {
            ("contracts", "whose consumers are")
        };
        return format!(
            "--filter-consumer {} matched none of the {} {noun}, {whose} {}",
            filters.consumers.join(", "),
            contracts.len(),
            consumers.join(", ")
        );
    }
    let mut given = Vec::new();
    if let Some(regex) = &filters.description {
        given.push(format!("--filter-description {}", regex.as_str()));
    }
    if let Some(regex) = &filters.state {
        given.push(format!("--filter-state {}", regex.as_str()));
    }
    let kept = match kept {
        1 => "the 1 contract kept".to_owned(),
        count => format!("the {count} contracts kept"),
    };
    if given.is_empty() {
        return format!("there is no interaction in {kept}");
    }
    format!("no interaction of {kept} matched {}", given.join(" and "))
}

/// The exit code's error for a finished run: unreachable provider, failed contracts, or none.
fn outcome_of(report: &VerificationReport) -> Result<(), Error> {
    if let Some(reason) = report.unreachable_reason() {
        return Err(Error::ProviderUnreachable(reason.to_owned()));
    }
    if !report.succeeded() {
        let failed = report
            .contracts
            .iter()
            .filter(|contract| !contract.succeeded())
            .count();
        return Err(Error::VerificationFailed {
            failed,
            total: report.contracts.len(),
        });
    }
    Ok(())
}

/// Writes every report file asked for.
fn write_report_files(report: &VerificationReport, files: &ReportFiles) -> Result<(), Error> {
    type Renderer = fn(&VerificationReport) -> String;
    let outputs: [(&Option<std::path::PathBuf>, Renderer); 3] = [
        (&files.json, report::json::render),
        (&files.junit, report::junit::render),
        (&files.markdown, report::markdown::render),
    ];
    for (path, render) in outputs {
        if let Some(path) = path {
            std::fs::write(path, render(report)).map_err(|source| Error::WriteReport {
                path: path.clone(),
                source,
            })?;
        }
    }
    Ok(())
}
