//! Where contracts come from: files, directories of files, http(s) URLs and, later, the broker
//! with consumer version selectors.
//!
//! Every source is loaded and parsed once, before any interaction runs, into a
//! [`LoadedContract`] that remembers where it came from. Every error names the file path or URL
//! it concerns. Adding the broker means filling in [`ContractSource::Broker`] in [`load_all`];
//! nothing downstream changes, because replay and the reports only see [`LoadedContract`]s.

pub mod files;
pub mod url;

use std::path::PathBuf;

use treaty_schemas::Contract;

/// One place contracts are read from, as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractSource {
    /// A single contract file.
    File(PathBuf),
    /// A directory: every `*.json` file directly inside it, in name order.
    Directory(PathBuf),
    /// An http(s) URL answering one contract (a Pact Broker pact URL, for example).
    Url(String),
    /// The contracts a broker says a provider must verify. Reserved: fetching with consumer
    /// version selectors, pending and WIP rules is a separate issue.
    Broker(BrokerSelection),
}

/// What to ask a broker for (reserved for the broker source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerSelection {
    /// The broker's base URL.
    pub base_url: String,
    /// The provider whose contracts are wanted.
    pub provider: String,
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
    /// The broker source is not implemented yet.
    #[error(
        "fetching contracts from the broker at {base_url} is not supported yet: pass files, directories or pact URLs"
    )]
    BrokerNotSupported {
        /// The broker's base URL.
        base_url: String,
    },
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
/// contract once. Stops at the first source that cannot be loaded.
pub async fn load_all(
    sources: &[ContractSource],
    client: &reqwest::Client,
) -> Result<Vec<LoadedContract>, SourceError> {
    let mut loaded = Vec::new();
    for source in sources {
        match source {
            ContractSource::File(path) => loaded.push(files::load_file(path)?),
            ContractSource::Directory(path) => loaded.extend(files::load_directory(path)?),
            ContractSource::Url(url) => loaded.push(url::load_url(client, url).await?),
            ContractSource::Broker(selection) => {
                return Err(SourceError::BrokerNotSupported {
                    base_url: selection.base_url.clone(),
                });
            }
        }
    }
    Ok(loaded)
}
