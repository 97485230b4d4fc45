//! The matrix and can-i-deploy: which consumer and provider versions are compatible, and whether
//! a version can be deployed to an environment (or merged into the main branch).
//!
//! The use case is split the way every decision in the broker is:
//! [`query`] parses and validates the query string into a typed [`query::MatrixQuery`] (pure);
//! [`load`] is the thin loader that resolves selectors to versions and reads the publications and
//! latest verifications those versions need (a few indexed reads, never a history scan);
//! [`decide`] turns the loaded [`MatrixFacts`] into a [`decide::Verdict`] with a reason per
//! integration (pure); [`explain`] words the Pact Broker's notices and Treaty's explanations.
//! Everything here is Treaty's own types: no storage rows leave [`load`].

pub mod decide;
pub mod explain;
pub mod load;
pub mod query;

#[cfg(test)]
mod tables;

pub use decide::{Counts, Verdict, decide};
pub use load::can_i_deploy;
pub use query::{MatrixQuery, parse_can_i_deploy_query, parse_matrix_query};

/// A pacticipant as the matrix knows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pacticipant {
    /// Primary key.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// Why a version takes part in the question: what selected it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The query named this version (`q[][version]`).
    Named,
    /// Currently deployed to the environment, optionally as one application instance.
    Deployed {
        /// The environment's name.
        environment: String,
        /// The application instance, when several run side by side.
        instance: Option<String>,
    },
    /// Released to the environment and still supported.
    Released {
        /// The environment's name.
        environment: String,
    },
    /// The pacticipant's latest version.
    Latest,
    /// The latest version carrying the tag.
    LatestWithTag(String),
    /// The latest version on the branch.
    LatestOnBranch(String),
    /// The latest version on the pacticipant's main branch.
    LatestOnMainBranch(String),
    /// One of the versions on the branch.
    OnBranch(String),
    /// One of the versions carrying the tag.
    WithTag(String),
    /// Any version (the selector named only the pacticipant).
    Any,
}

/// A version chosen by a selector, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedVersion {
    /// Primary key; also the creation order.
    pub id: i64,
    /// The version number.
    pub number: String,
    /// What selected it.
    pub selection: Selection,
}

/// Whether the query named a selector or the broker inferred it from the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorOrigin {
    /// A `q[]` entry.
    Specified,
    /// Built for a counterpart from `environment`, `tag`, `latest` or `mainBranch`.
    Inferred,
}

/// A selector resolved to versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedSelector {
    /// The pacticipant.
    pub pacticipant: Pacticipant,
    /// What the selector asked for.
    pub spec: query::VersionSpec,
    /// Named in the query or inferred.
    pub origin: SelectorOrigin,
    /// The versions it selects; `None` means every version (a pacticipant-only selector).
    pub versions: Option<Vec<SelectedVersion>>,
}

impl ResolvedSelector {
    /// Whether the selector asked for versions and none exist (a version that does not exist,
    /// a branch without versions, nothing deployed in the environment).
    pub fn selects_nothing(&self) -> bool {
        self.versions.as_ref().is_some_and(Vec::is_empty)
    }

    /// Whether `version_id` is one of the selected versions (always, for every version).
    pub fn selects(&self, version_id: i64) -> bool {
        match &self.versions {
            None => true,
            Some(versions) => versions.iter().any(|version| version.id == version_id),
        }
    }
}

/// An `ignore[]` entry, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedIgnore {
    /// The pacticipant's name as given.
    pub name: String,
    /// The pacticipant, when it exists.
    pub pacticipant: Option<Pacticipant>,
    /// The version number given, if any.
    pub version_number: Option<String>,
    /// That version's id, when it exists.
    pub version_id: Option<i64>,
}

impl ResolvedIgnore {
    /// Whether the pacticipant (or the given version of it) does not exist.
    pub fn does_not_exist(&self) -> bool {
        self.pacticipant.is_none() || (self.version_number.is_some() && self.version_id.is_none())
    }

    /// Whether this entry ignores `version_id` of `pacticipant_id`.
    pub fn ignores(&self, pacticipant_id: i64, version_id: Option<i64>) -> bool {
        match &self.pacticipant {
            Some(pacticipant) if pacticipant.id == pacticipant_id => {
                match (&self.version_number, self.version_id) {
                    (None, _) => true,
                    (Some(_), Some(ignored)) => version_id == Some(ignored),
                    (Some(_), None) => false,
                }
            }
            _ => false,
        }
    }

    /// Whether this entry ignores the whole pacticipant.
    pub fn ignores_pacticipant(&self, pacticipant_id: i64) -> bool {
        self.version_number.is_none()
            && self
                .pacticipant
                .as_ref()
                .is_some_and(|pacticipant| pacticipant.id == pacticipant_id)
    }
}

/// A consumer and a provider whose compatibility the question depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// The consumer.
    pub consumer: Pacticipant,
    /// The provider.
    pub provider: Pacticipant,
    /// Whether a row must exist: a consumer needs its provider in the environment, a provider
    /// does not need its consumers there.
    pub required: bool,
}

/// A version with what the matrix shows about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionFacts {
    /// Primary key; also the creation order.
    pub id: i64,
    /// The version number.
    pub number: String,
    /// Its branches, oldest membership first.
    pub branches: Vec<String>,
    /// Its tags, oldest first.
    pub tags: Vec<String>,
    /// The environments it is currently deployed or released to.
    pub environments: Vec<EnvironmentFacts>,
}

/// An environment a version is currently in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentFacts {
    /// Public identifier.
    pub uuid: String,
    /// Name.
    pub name: String,
    /// Human name.
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    pub production: bool,
}

/// A verification result as the matrix shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationFacts {
    /// Whether it passed.
    pub success: bool,
    /// Its number within the pact (appears in its URL).
    pub number: i64,
    /// When it was published.
    pub verified_at: String,
}

/// One pact publication, and the latest verification of its content by one provider version
/// (or none): a matrix row before `latestby` and `ignore` are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// The consumer.
    pub consumer: Pacticipant,
    /// The consumer version that published the pact.
    pub consumer_version: VersionFacts,
    /// The provider.
    pub provider: Pacticipant,
    /// The provider version that verified it; `None` when no selected provider version did.
    pub provider_version: Option<VersionFacts>,
    /// The pact content's hash.
    pub pact_sha: String,
    /// When the pact was published.
    pub pact_created_at: String,
    /// The verification; `None` when no selected provider version verified the pact.
    pub verification: Option<VerificationFacts>,
}

impl MatrixRow {
    /// The row's verdict: passed, failed, or unknown (`None`, not verified).
    pub fn success(&self) -> Option<bool> {
        self.verification
            .as_ref()
            .map(|verification| verification.success)
    }
}

/// Everything [`decide`] needs, loaded by [`load`].
#[derive(Debug, Clone)]
pub struct MatrixFacts {
    /// The parsed query.
    pub query: MatrixQuery,
    /// Selectors named in the query, in query order.
    pub specified: Vec<ResolvedSelector>,
    /// Selectors inferred for counterparts from the destination.
    pub inferred: Vec<ResolvedSelector>,
    /// The `ignore[]` entries.
    pub ignore: Vec<ResolvedIgnore>,
    /// The integrations the question depends on.
    pub integrations: Vec<Integration>,
    /// The candidate rows.
    pub rows: Vec<MatrixRow>,
}
