//! `treaty verify`: load the contracts, replay them against the running provider, write the
//! reports, and exit 0 (all passed), 1 (a contract failed) or 2 (could not run).
//!
//! The flags live in [`VerifyArgs`] as clap gives them; [`VerifyConfig::from_args`] turns them
//! into validated settings before anything touches the disk or the network. The `pact verifier`
//! flag names are accepted as aliases where the concept is the same, so CI scripts carry over.

mod args;
mod config;

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

pub use args::VerifyArgs;
pub use config::{ReportFiles, VerifyConfig};

use crate::error::Error;
use crate::replay::{self, Progress, VerificationReport};
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
        .map_err(|e| Error::Usage(format!("could not start the async runtime: {e}")))?;
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
        .map_err(|e| Error::Usage(format!("could not set up the HTTP client: {e}")))?;
    let mut contracts = source::load_all(&config.sources, &client).await?;
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
    let report = replay::replay(client, contracts, config.replay.clone(), &mut on_progress).await;

    write_report_files(&report, &config.reports)?;
    // Buffered: standard output is line-buffered, and a line per interaction would be a
    // write call per interaction.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    report::console::render(&report, config.color, &mut stdout)
        .and_then(|()| stdout.flush())
        .map_err(Error::Output)?;

    let outcome = outcome_of(&report);
    kept.report = Some(report);
    outcome
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
