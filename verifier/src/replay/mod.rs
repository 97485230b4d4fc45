//! Replay: runs the selected interactions of loaded contracts against a running provider with
//! bounded concurrency, and returns a [`VerificationReport`] in contract order.
//!
//! Workers on two threads per CPU send requests over their own keep-alive connections with a lean
//! HTTP/1.1 client ([`http1`]; `https` goes through the run's one `reqwest::Client`); each
//! contract was parsed once by [`crate::source`]; work is linear in the number of interactions
//! and the report is assembled once at the end. Replay never prints: progress goes to a
//! callback and rendering belongs to [`crate::report`].

pub mod generators;
mod header_names;
mod http1;
mod interaction;
pub mod plan;
pub mod regex_gen;
pub mod report;
mod request;
mod response_head;
mod states;
pub mod transport;
mod verdict;
mod workers;

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};

pub use plan::Filters;
use plan::PlannedInteraction;
pub use report::{
    ContractReport, ErrorKind, InteractionOutcome, InteractionReport, MismatchReport, Selection,
    VerificationReport,
};
use transport::{Endpoint, Session};
use workers::{PhaseRun, run_thread, split, worker_threads};

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

/// The shared state of one run, handed to every worker.
#[derive(Debug)]
pub(crate) struct Replayer {
    /// For endpoints other than plain `http`, and shared by all workers.
    client: reqwest::Client,
    options: ReplayOptions,
    /// `options.base_url` parsed once for the whole run, or why it does not parse.
    provider_endpoint: Result<Endpoint, String>,
    /// `options.state_setup_url` parsed once for the whole run, or why it does not parse.
    state_endpoint: Option<Result<Endpoint, String>>,
}

/// The HTTP client for what replay's own HTTP/1.1 client does not do (`https` providers and
/// state change URLs) and for fetching contracts: pooled keep-alive connections, no redirects
/// (a provider's redirect is a response to verify), the request timeout on every call. A
/// header value folded over several lines (obsolete, but RFC 9112 section 5.2 says a user agent
/// must read each fold as spaces) is read, not refused.
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

/// How often finished interactions are handed to the progress callback while a phase runs.
const PROGRESS_TICK: Duration = Duration::from_millis(20);

/// Verifies the selected interactions of `contracts` and reports them in contract order.
///
/// Each phase of the plan runs on its own worker threads, two per CPU (at most one per
/// allowed interaction in flight), each with a single-threaded runtime. A thread runs its share
/// of the phase's `limit` workers; a worker owns its keep-alive connections and takes the next
/// interaction from a shared counter until none is left. Nothing crosses threads per request:
/// finished interactions are collected under a lock and passed to `on_progress` every
/// [`PROGRESS_TICK`] from the caller's task.
pub async fn replay(
    client: reqwest::Client,
    contracts: Arc<Vec<LoadedContract>>,
    options: ReplayOptions,
    on_progress: &mut dyn FnMut(Progress<'_>),
) -> VerificationReport {
    let started = Instant::now();
    let planned: Arc<[PlannedInteraction]> = plan::plan(&contracts, &options.filters).into();
    let phases = plan::phases(&planned, options.concurrency, options.concurrency_explicit);
    let provider_endpoint = Endpoint::parse(&options.base_url)
        .map_err(|reason| format!("invalid provider base URL: {reason}"));
    let mut state_endpoint = options.state_setup_url.as_deref().map(|url| {
        Endpoint::parse(url).map_err(|reason| format!("invalid provider state URL: {reason}"))
    });
    if let (Ok(provider), Some(Ok(state))) = (&provider_endpoint, &mut state_endpoint) {
        state.share_connections_with(provider);
    }
    let replayer = Arc::new(Replayer {
        client,
        options,
        provider_endpoint,
        state_endpoint,
    });
    let mut results: Vec<Option<InteractionReport>> = vec![None; planned.len()];
    let mut done = 0;
    for phase in phases {
        let threads = worker_threads(phase.limit);
        let run = Arc::new(PhaseRun::new(phase.items, threads));
        for (index, workers) in split(phase.limit, threads).into_iter().enumerate() {
            let (thread_run, replayer, contracts, planned) = (
                Arc::clone(&run),
                Arc::clone(&replayer),
                Arc::clone(&contracts),
                Arc::clone(&planned),
            );
            let spawned = std::thread::Builder::new()
                .name(format!("treaty-replay-{index}"))
                .spawn(move || run_thread(&thread_run, &replayer, &contracts, &planned, workers));
            if spawned.is_err() {
                // No thread to be had: its share of workers is simply not started; the
                // others take every interaction, and with none at all the phase reports them
                // as stopped below.
                run.thread_done();
            }
        }
        let mut report_finished = |finished: Vec<(usize, InteractionReport)>| {
            for (slot, report) in finished {
                done += 1;
                on_progress(Progress {
                    done,
                    total: planned.len(),
                    interaction: &report,
                });
                results[slot] = Some(report);
            }
        };
        loop {
            let ended = tokio::select! {
                () = run.ended.notified() => true,
                () = tokio::time::sleep(PROGRESS_TICK) => false,
            };
            report_finished(run.take_finished());
            if ended && run.all_threads_done() {
                break;
            }
        }
    }
    let options = &replayer.options;
    let mut by_contract: Vec<Vec<InteractionReport>> = vec![Vec::new(); contracts.len()];
    for (item, result) in planned.iter().zip(results) {
        let loaded = &contracts[item.contract];
        let interaction = &loaded.contract.interactions[item.interaction];
        let mut result = result.unwrap_or_else(|| InteractionReport {
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
            interaction_id: None,
        });
        result.interaction_id = loaded.interaction_id(item.interaction);
        by_contract[item.contract].push(result);
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
                selection: loaded
                    .broker
                    .as_ref()
                    .and_then(|broker| broker.selection.clone()),
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
