//! Replay: runs the selected interactions of loaded contracts against a running provider with
//! bounded concurrency, and returns a [`VerificationReport`] in contract order.
//!
//! One `reqwest::Client` serves the whole run (connection pool, keep-alive, TLS roots loaded
//! once); each contract was parsed once by [`crate::source`]; work is linear in the number of
//! interactions and the report is assembled once at the end. Replay never prints: progress goes
//! to a callback and rendering belongs to [`crate::report`].

pub mod generators;
mod interaction;
pub mod plan;
pub mod regex_gen;
pub mod report;
pub mod request;
pub mod states;
pub mod transport;
mod verdict;

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use tokio::task::JoinSet;

pub use plan::Filters;
pub use report::{
    ContractReport, ErrorKind, InteractionOutcome, InteractionReport, MismatchReport,
    VerificationReport,
};

use crate::source::LoadedContract;

/// Everything replay needs to know, already validated.
#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// The provider's base URL, without a trailing slash.
    pub base_url: String,
    /// Where provider-state setup and teardown calls are POSTed, if anywhere.
    pub state_setup_url: Option<String>,
    /// Headers added to (or replacing those of) every request; values are marked sensitive.
    pub custom_headers: Vec<(HeaderName, HeaderValue)>,
    /// How long one request may take.
    pub request_timeout: Duration,
    /// How many interactions may be in flight at once.
    pub concurrency: usize,
    /// True when `concurrency` was given by the user: then stateful interactions run
    /// concurrently too.
    pub concurrency_explicit: bool,
    /// Which interactions run.
    pub filters: Filters,
    /// The provider's name, as given on the command line.
    pub provider: Option<String>,
}

/// One finished interaction, for progress displays.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// How many interactions have finished.
    pub done: usize,
    /// How many will run.
    pub total: usize,
    /// The interaction that just finished.
    pub interaction: &'a InteractionReport,
}

/// The shared state of one run, handed to every task.
#[derive(Debug)]
pub(crate) struct Replayer {
    client: reqwest::Client,
    options: ReplayOptions,
    /// `options.state_setup_url` parsed once for the whole run, when it parses.
    state_target: Option<reqwest::Url>,
}

/// The HTTP client for a whole run: pooled keep-alive connections, no redirects (a provider's
/// redirect is a response to verify), the request timeout on every call. A header value folded
/// over several lines (obsolete, but RFC 9112 section 5.2 says a user agent must read each fold
/// as spaces) is read, not refused.
pub fn build_client(options: &ReplayOptions) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .http1_allow_obsolete_multiline_headers_in_responses(true)
        .timeout(options.request_timeout)
        .connect_timeout(options.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(options.concurrency.max(1))
        .tcp_nodelay(true)
        .user_agent(concat!("treaty/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Verifies the selected interactions of `contracts` and reports them in contract order.
pub async fn replay(
    client: reqwest::Client,
    contracts: Arc<Vec<LoadedContract>>,
    options: ReplayOptions,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> VerificationReport {
    let started = Instant::now();
    let planned = plan::plan(&contracts, &options.filters);
    let phases = plan::phases(&planned, options.concurrency, options.concurrency_explicit);
    let state_target = options
        .state_setup_url
        .as_deref()
        .and_then(|url| reqwest::Url::parse(url).ok());
    let replayer = Arc::new(Replayer {
        client,
        options,
        state_target,
    });
    let mut results: Vec<Option<InteractionReport>> = vec![None; planned.len()];
    let mut done = 0;
    for phase in phases {
        let mut queue = phase.items.into_iter();
        let mut running = JoinSet::new();
        loop {
            while running.len() < phase.limit {
                let Some(slot) = queue.next() else { break };
                let item = planned[slot];
                let (replayer, contracts) = (Arc::clone(&replayer), Arc::clone(&contracts));
                running.spawn(async move {
                    let loaded = &contracts[item.contract];
                    let interaction = &loaded.contract.interactions[item.interaction];
                    (
                        slot,
                        interaction::verify(&replayer, interaction, loaded.pending).await,
                    )
                });
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            // A task only ends without a value if it panicked; the interaction is reported as
            // an error below rather than losing the whole run.
            if let Ok((slot, report)) = joined {
                done += 1;
                on_progress(Progress {
                    done,
                    total: planned.len(),
                    interaction: &report,
                });
                results[slot] = Some(report);
            }
        }
    }
    let options = &replayer.options;
    let mut by_contract: Vec<Vec<InteractionReport>> = vec![Vec::new(); contracts.len()];
    for (item, result) in planned.iter().zip(results) {
        let loaded = &contracts[item.contract];
        let interaction = &loaded.contract.interactions[item.interaction];
        by_contract[item.contract].push(result.unwrap_or_else(|| {
            InteractionReport {
                description: interaction.description.clone(),
                provider_states: interaction
                    .provider_states
                    .iter()
                    .map(|s| s.name.clone())
                    .collect(),
                request: interaction::summary(interaction),
                outcome: InteractionOutcome::Error {
                    kind: ErrorKind::Request,
                    reason: "the verification task stopped unexpectedly".to_owned(),
                },
                duration: Duration::ZERO,
                pending: loaded.pending || interaction.pending,
            }
        }));
    }
    let contract_reports = plan::selected_contracts(&contracts, &options.filters)
        .into_iter()
        .map(|index| {
            let loaded = &contracts[index];
            ContractReport {
                consumer: loaded.contract.consumer.clone(),
                provider: loaded.contract.provider.clone(),
                source: loaded.origin.clone(),
                consumer_version: loaded.consumer_version.clone(),
                pending: loaded.pending,
                interactions: std::mem::take(&mut by_contract[index]),
            }
        })
        .collect();
    VerificationReport {
        provider: options.provider.clone(),
        provider_base_url: options.base_url.clone(),
        contracts: contract_reports,
        duration: started.elapsed(),
    }
}
