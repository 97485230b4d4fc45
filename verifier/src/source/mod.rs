//! Where contracts come from: files, directories of files, http(s) URLs, and the broker's pacts
//! for verification (consumer version selectors, pending, WIP).
//!
//! Every source is loaded and parsed once, before any interaction runs, into a
//! [`LoadedContract`] that remembers where it came from and, for a contract from a broker, why
//! it was selected, whether it is pending and where its result is published
//! ([`BrokerContract`]). Every error names the file path or URL it concerns. Replay and the
//! reports only see [`LoadedContract`]s.

pub mod broker;
pub mod files;
pub mod url;

use std::path::PathBuf;

use reqwest::Url;
use serde_json::Value;
use treaty_schemas::Contract;

use crate::broker::BrokerClient;
use crate::broker::pacts::VerificationNotice;
use crate::error::Error;

/// One place contracts are read from, as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractSource {
    /// A single contract file.
    File(PathBuf),
    /// A directory: every `*.json` file directly inside it, in name order.
    Directory(PathBuf),
    /// An http(s) URL answering one contract (a Pact Broker pact URL, for example).
    Url(String),
    /// The contracts a broker says a provider must verify (its pacts for verification).
    Broker(BrokerSelection),
}

/// What to ask a broker for: the body of the pacts-for-verification request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerSelection {
    /// The provider whose contracts are wanted.
    pub provider: String,
    /// Consumer version selectors, sent exactly as given; empty means the broker's defaults.
    pub consumer_version_selectors: Vec<Value>,
    /// The provider version's branch (pending, WIP, `matchingBranch`).
    pub provider_version_branch: Option<String>,
    /// The provider version's tags (pending and WIP without a branch).
    pub provider_version_tags: Vec<String>,
    /// Ask for the pending flag (`--enable-pending`).
    pub include_pending_status: bool,
    /// Ask for WIP pacts created since this date (`--include-wip-pacts-since`).
    pub include_wip_pacts_since: Option<String>,
}

/// Why the broker selected a contract, as the reports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The broker's `shortDescription` (`latest from branch main, deployed to production`).
    pub reasons: String,
    /// The broker's notices to show before verification, in order.
    pub notices: Vec<String>,
    /// True for a work-in-progress contract (always pending too).
    pub wip: bool,
}

/// What a contract from a broker carries besides its content.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BrokerContract {
    /// Why it was selected; `None` for a pact URL given directly (a webhook's, say).
    pub selection: Option<Selection>,
    /// The notices to show after verification (`after_verification:success_…_published_…`).
    pub notices_after: Vec<VerificationNotice>,
    /// Where its verification result goes (`pb:publish-verification-results`).
    pub publish_url: Option<Url>,
    /// The provider resource (`pb:provider`), whose links put a provider version on a branch
    /// and tag it.
    pub provider_url: Option<Url>,
    /// The broker's `_id` of each interaction, in the model's order.
    pub interaction_ids: Vec<Option<String>>,
}

/// A parsed contract and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedContract {
    /// The contract, parsed once.
    pub contract: Contract,
    /// The file path or URL it was read from, as reports show it.
    pub origin: String,
    /// The consumer version the contract belongs to, when the source knows it (a broker pact
    /// URL names it; a file does not).
    pub consumer_version: Option<String>,
    /// True when the whole contract is pending: its failures do not fail the run.
    pub pending: bool,
    /// Set when the contract came from a broker (its pacts for verification, or a pact URL
    /// whose document links to a place to publish results).
    pub broker: Option<BrokerContract>,
}

impl LoadedContract {
    /// The broker's id of interaction `index`: its `_id` in the broker's document, else the
    /// contract's own key (a V4 `key`, or an `_id` in a file).
    pub fn interaction_id(&self, index: usize) -> Option<String> {
        self.broker
            .as_ref()
            .and_then(|broker| broker.interaction_ids.get(index).cloned().flatten())
            .or_else(|| self.contract.interactions.get(index)?.key.clone())
    }
}

/// Every loaded contract, and for each broker source that gave none, a sentence saying so.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The contracts, in source order.
    pub contracts: Vec<LoadedContract>,
    /// Why a broker source gave nothing (an unknown provider, no pact selected).
    pub empty_sources: Vec<String>,
}

/// Why contracts could not be loaded. Every variant names the path or URL concerned.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A file or directory could not be read.
    #[error("could not read {path}")]
    Read {
        /// The file or directory.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A directory holds no `*.json` file.
    #[error("no contract files in {path}: expected a directory with *.json Pact files")]
    EmptyDirectory {
        /// The directory.
        path: String,
    },
    /// The bytes read are not a valid contract.
    #[error("{origin} is not a valid contract")]
    Invalid {
        /// The file path or URL.
        origin: String,
        /// What the parser found.
        #[source]
        source: treaty_schemas::SchemaError,
    },
    /// A URL could not be fetched.
    #[error("could not fetch {url}: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// What went wrong, in a few words.
        reason: String,
    },
    /// A URL answered with a status other than 2xx.
    #[error("could not fetch {url}: the server answered {status}, expected 200 with a contract")]
    Status {
        /// The URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The broker source was given without a broker to ask.
    #[error("contracts from the broker need --broker-base-url (or PACT_BROKER_BASE_URL)")]
    NoBroker,
}

/// Tells a command-line argument's kind: an http(s) URL, a directory, or a file.
pub fn classify(argument: &str) -> ContractSource {
    let lower = argument.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return ContractSource::Url(argument.to_owned());
    }
    let path = PathBuf::from(argument);
    if path.is_dir() {
        ContractSource::Directory(path)
    } else {
        ContractSource::File(path)
    }
}

/// Loads every source, in the order given (files of a directory in name order), parsing each
/// contract once. Stops at the first source that cannot be loaded. `broker` asks the broker
/// source and fetches the URLs on its origin (with its credentials).
pub async fn load_all(
    sources: &[ContractSource],
    client: &reqwest::Client,
    broker: Option<&BrokerClient>,
) -> Result<Loaded, Error> {
    let mut loaded = Loaded::default();
    for source in sources {
        match source {
            ContractSource::File(path) => loaded.contracts.push(files::load_file(path)?),
            ContractSource::Directory(path) => {
                loaded.contracts.extend(files::load_directory(path)?);
            }
            ContractSource::Url(url) => {
                loaded
                    .contracts
                    .push(url::load_url(client, broker, url).await?);
            }
            ContractSource::Broker(selection) => {
                let broker = broker.ok_or(SourceError::NoBroker)?;
                let from_broker = broker::load_pacts_for_verification(broker, selection).await?;
                if from_broker.contracts.is_empty() {
                    loaded.empty_sources.extend(from_broker.empty_reason);
                }
                loaded.contracts.extend(from_broker.contracts);
            }
        }
    }
    Ok(loaded)
}
