//! The thin loader around [`super::decide`]: resolves the query's selectors to versions, finds
//! the integrations they take part in, infers the counterparts' versions from the destination,
//! and reads each selected consumer version's pact and the latest verification of its content by
//! each selected provider version.
//!
//! The steps are written once, in [`gather`], against the [`MatrixSource`] trait: the database
//! implements it with the indexed reads of [`crate::storage::matrix`] (a few rows per selected
//! version, never a history scan), and the decision tables implement it in memory, so the whole
//! question is tested without a database and the queries are tested on both backends.

use std::collections::BTreeMap;

use crate::domain::matrix::query::{Destination, MatrixQuery, VersionSpec};
use crate::domain::matrix::{
    MatrixFacts, Pacticipant, ResolvedIgnore, ResolvedSelector, SelectedVersion, Selection,
    SelectorOrigin, VerificationFacts, VersionFacts, decide, explain,
};
use crate::domain::{DomainError, FieldError};
use crate::storage::Db;

mod rows;
mod storage_source;

use rows::{find_integrations, load_rows};
pub use storage_source::StorageSource;

/// A pacticipant as the source finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPacticipant {
    /// Id and name.
    pub pacticipant: Pacticipant,
    /// Its main branch, if it has one.
    pub main_branch: Option<String>,
}

/// A consumer version's pact with a provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactFact {
    /// The consumer version.
    pub consumer_version_id: i64,
    /// The provider.
    pub provider_id: i64,
    /// The content's id.
    pub content_id: i64,
    /// The content's hash.
    pub sha: String,
    /// When the newest revision was published.
    pub created_at: String,
}

/// The latest verification of a content, published for one consumer, by one provider version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationFact {
    /// The consumer whose pact was verified (contents are shared between consumers).
    pub consumer_id: i64,
    /// The content verified.
    pub content_id: i64,
    /// The provider version.
    pub provider_version_id: i64,
    /// The result.
    pub verification: VerificationFacts,
}

/// Where [`gather`] reads its facts from. Every method is one or two indexed reads.
pub trait MatrixSource {
    /// The source's failure.
    type Error;
    /// The pacticipant with this exact name.
    fn pacticipant(&mut self, name: &str) -> Result<Option<FoundPacticipant>, Self::Error>;
    /// Whether an environment with this name exists.
    fn environment_exists(&mut self, name: &str) -> Result<bool, Self::Error>;
    /// The version `number` of a pacticipant: `(id, number)`.
    fn version(
        &mut self,
        pacticipant_id: i64,
        number: &str,
    ) -> Result<Option<(i64, String)>, Self::Error>;
    /// The newest version, or the newest with a tag or on a branch.
    fn latest_version(
        &mut self,
        pacticipant_id: i64,
        tag: Option<&str>,
        branch: Option<&str>,
    ) -> Result<Option<(i64, String)>, Self::Error>;
    /// Up to `limit` versions on a branch, newest first.
    fn branch_versions(
        &mut self,
        pacticipant_id: i64,
        branch: &str,
        limit: usize,
    ) -> Result<Vec<(i64, String)>, Self::Error>;
    /// Up to `limit` versions with a tag, newest first.
    fn tagged_versions(
        &mut self,
        pacticipant_id: i64,
        tag: &str,
        limit: usize,
    ) -> Result<Vec<(i64, String)>, Self::Error>;
    /// The versions of the given pacticipants currently deployed or released to an
    /// environment, as `(pacticipant id, version)`. One call for every counterpart.
    fn versions_in_environment(
        &mut self,
        pacticipant_ids: &[i64],
        environment: &str,
    ) -> Result<Vec<(i64, SelectedVersion)>, Self::Error>;
    /// The providers these consumer versions have pacts with.
    fn providers_of_versions(
        &mut self,
        consumer_version_ids: &[i64],
    ) -> Result<Vec<Pacticipant>, Self::Error>;
    /// The providers a consumer has ever had a pact with.
    fn providers_of(&mut self, consumer_id: i64) -> Result<Vec<Pacticipant>, Self::Error>;
    /// The consumers that have ever had a pact with a provider.
    fn consumers_of(&mut self, provider_id: i64) -> Result<Vec<Pacticipant>, Self::Error>;
    /// The pacts the given consumer versions have with any of the given providers, newest
    /// revision of each (consumer version, provider). One call for every integration.
    fn pacts_of_versions(
        &mut self,
        consumer_version_ids: &[i64],
        provider_ids: &[i64],
    ) -> Result<Vec<PactFact>, Self::Error>;
    /// The pacts of the newest `limit` consumer versions of an integration, for a selector that
    /// names only the consumer.
    fn recent_pacts(
        &mut self,
        consumer_id: i64,
        provider_id: i64,
        limit: usize,
    ) -> Result<Vec<PactFact>, Self::Error>;
    /// The latest verification of each of the contents by each of the provider versions, per
    /// consumer. One call for every integration.
    fn verifications_by_versions(
        &mut self,
        content_ids: &[i64],
        provider_version_ids: &[i64],
    ) -> Result<Vec<VerificationFact>, Self::Error>;
    /// The latest verification of a content by each of the newest `limit` provider versions that
    /// verified it, for a selector that names only the provider.
    fn recent_verifications(
        &mut self,
        consumer_id: i64,
        provider_id: i64,
        content_id: i64,
        limit: usize,
    ) -> Result<Vec<VerificationFact>, Self::Error>;
    /// Number, branches, tags and current environments of each version, in any order (a
    /// version that does not exist is left out). One call for all the rows' versions.
    fn versions_facts(&mut self, version_ids: &[i64]) -> Result<Vec<VersionFacts>, Self::Error>;
}

/// Why [`gather`] could not assemble the facts.
#[derive(Debug)]
pub enum GatherError<E> {
    /// The query names a pacticipant or environment that does not exist.
    Invalid(Vec<FieldError>),
    /// The source failed.
    Source(E),
}

impl<E> From<E> for GatherError<E> {
    fn from(error: E) -> Self {
        Self::Source(error)
    }
}

/// The answer to a matrix question: the facts it was decided on, and the verdict.
#[derive(Debug, Clone)]
pub struct MatrixAnswer {
    /// What was loaded.
    pub facts: MatrixFacts,
    /// What was decided.
    pub verdict: decide::Verdict,
    /// Treaty's explanation: one line per integration, and what would fix it.
    pub explanation: Vec<explain::Explanation>,
}

/// Answers a matrix or can-i-deploy question from the database.
pub async fn can_i_deploy(db: &Db, query: MatrixQuery) -> Result<MatrixAnswer, DomainError> {
    db.run(move |conn| {
        let facts = gather(&mut StorageSource::new(conn), query).map_err(|error| match error {
            GatherError::Invalid(faults) => DomainError::Invalid(faults),
            GatherError::Source(error) => DomainError::Storage(error),
        })?;
        Ok(answer(facts))
    })
    .await
}

/// Decides and explains loaded facts.
pub fn answer(facts: MatrixFacts) -> MatrixAnswer {
    let verdict = decide::decide(&facts);
    let explanation = explain::explain(&facts, &verdict);
    MatrixAnswer {
        facts,
        verdict,
        explanation,
    }
}

/// Resolves the query against `source` into the facts [`decide::decide`] needs.
pub fn gather<S: MatrixSource>(
    source: &mut S,
    query: MatrixQuery,
) -> Result<MatrixFacts, GatherError<S::Error>> {
    let mut faults = Vec::new();
    let mut ignore = Vec::new();
    for entry in &query.ignore {
        let found = source.pacticipant(entry.pacticipant.as_str())?;
        let version_id = match (&found, &entry.version) {
            (Some(found), Some(number)) => source
                .version(found.pacticipant.id, number.as_str())?
                .map(|(id, _)| id),
            _ => None,
        };
        ignore.push(ResolvedIgnore {
            name: entry.pacticipant.to_string(),
            pacticipant: found.map(|found| found.pacticipant),
            version_number: entry.version.as_ref().map(ToString::to_string),
            version_id,
        });
    }
    let mut environments = Vec::new();
    if let Destination::Environment(name) = &query.destination {
        environments.push(("environment".to_owned(), name.clone()));
    }
    let mut found_pacticipants = Vec::new();
    for (index, selector) in query.selectors.iter().enumerate() {
        if let VersionSpec::Environment(name) = &selector.spec {
            environments.push((format!("q[{index}][environment]"), name.clone()));
        }
        match source.pacticipant(selector.pacticipant.as_str())? {
            Some(found) => found_pacticipants.push(found),
            None => faults.push(FieldError::new(
                format!("q[{index}][pacticipant]"),
                format!("Pacticipant {} not found", selector.pacticipant),
            )),
        }
    }
    for (field, name) in environments {
        if !source.environment_exists(&name)? {
            faults.push(FieldError::new(
                field,
                format!("Environment with name '{name}' does not exist"),
            ));
        }
    }
    if !faults.is_empty() {
        return Err(GatherError::Invalid(faults));
    }
    let limit = query.limit;
    let mut specified = Vec::new();
    for (selector, found) in query.selectors.iter().zip(&found_pacticipants) {
        let versions = resolve(source, found, &selector.spec, limit)?;
        specified.push(ResolvedSelector {
            pacticipant: found.pacticipant.clone(),
            spec: selector.spec.clone(),
            origin: SelectorOrigin::Specified,
            versions,
        });
    }
    let infer = query.destination != Destination::None;
    let integrations = find_integrations(source, &specified, infer)?;
    let mut inferred = Vec::new();
    if infer {
        let spec = inferred_spec(&query.destination);
        let mut names: BTreeMap<String, Pacticipant> = BTreeMap::new();
        for integration in &integrations {
            for pacticipant in [&integration.consumer, &integration.provider] {
                if !specified
                    .iter()
                    .any(|selector| selector.pacticipant.id == pacticipant.id)
                {
                    names.insert(pacticipant.name.clone(), pacticipant.clone());
                }
            }
        }
        let mut counterparts = Vec::new();
        for pacticipant in names.into_values() {
            if let Some(found) = source.pacticipant(&pacticipant.name)? {
                counterparts.push(found);
            }
        }
        let resolved = resolve_all(source, &counterparts, &spec, limit)?;
        for (found, versions) in counterparts.into_iter().zip(resolved) {
            inferred.push(ResolvedSelector {
                pacticipant: found.pacticipant,
                spec: spec.clone(),
                origin: SelectorOrigin::Inferred,
                versions,
            });
        }
    }
    let rows = load_rows(source, &integrations, &specified, &inferred, limit)?;
    Ok(MatrixFacts {
        query,
        specified,
        inferred,
        ignore,
        integrations,
        rows,
    })
}

/// The selector a counterpart gets from the destination.
fn inferred_spec(destination: &Destination) -> VersionSpec {
    match destination {
        Destination::None => VersionSpec::All,
        Destination::Latest => VersionSpec::Latest {
            tag: None,
            branch: None,
        },
        Destination::Tag { tag, latest: true } => VersionSpec::Latest {
            tag: Some(tag.clone()),
            branch: None,
        },
        Destination::Tag { tag, latest: false } => VersionSpec::Tag(tag.clone()),
        Destination::Environment(name) => VersionSpec::Environment(name.clone()),
        Destination::MainBranch => VersionSpec::MainBranch,
    }
}

/// [`resolve`] for several pacticipants with one spec: an environment's versions of all of them
/// are read in one call, the other specs one pacticipant at a time.
fn resolve_all<S: MatrixSource>(
    source: &mut S,
    found: &[FoundPacticipant],
    spec: &VersionSpec,
    limit: usize,
) -> Result<Vec<Option<Vec<SelectedVersion>>>, S::Error> {
    if let VersionSpec::Environment(environment) = spec {
        let ids: Vec<i64> = found.iter().map(|found| found.pacticipant.id).collect();
        let mut by_pacticipant: BTreeMap<i64, Vec<SelectedVersion>> = BTreeMap::new();
        for (pacticipant_id, version) in source.versions_in_environment(&ids, environment)? {
            by_pacticipant
                .entry(pacticipant_id)
                .or_default()
                .push(version);
        }
        return Ok(ids
            .iter()
            .map(|id| Some(by_pacticipant.remove(id).unwrap_or_default()))
            .collect());
    }
    found
        .iter()
        .map(|found| resolve(source, found, spec, limit))
        .collect()
}

fn resolve<S: MatrixSource>(
    source: &mut S,
    found: &FoundPacticipant,
    spec: &VersionSpec,
    limit: usize,
) -> Result<Option<Vec<SelectedVersion>>, S::Error> {
    let id = found.pacticipant.id;
    let selected = |versions: Vec<(i64, String)>, selection: Selection| {
        versions
            .into_iter()
            .map(|(id, number)| SelectedVersion {
                id,
                number,
                selection: selection.clone(),
            })
            .collect::<Vec<_>>()
    };
    Ok(Some(match spec {
        VersionSpec::All => return Ok(None),
        VersionSpec::Number(number) => selected(
            source.version(id, number.as_str())?.into_iter().collect(),
            Selection::Named,
        ),
        VersionSpec::Latest { tag, branch } => {
            let selection = match (tag, branch) {
                (Some(tag), _) => Selection::LatestWithTag(tag.clone()),
                (None, Some(branch)) => Selection::LatestOnBranch(branch.clone()),
                (None, None) => Selection::Latest,
            };
            let version = source.latest_version(id, tag.as_deref(), branch.as_deref())?;
            selected(version.into_iter().collect(), selection)
        }
        VersionSpec::MainBranch => match &found.main_branch {
            Some(branch) => {
                let version = source.latest_version(id, None, Some(branch))?;
                selected(
                    version.into_iter().collect(),
                    Selection::LatestOnMainBranch(branch.clone()),
                )
            }
            None => Vec::new(),
        },
        VersionSpec::Branch(branch) => selected(
            source.branch_versions(id, branch, limit)?,
            Selection::OnBranch(branch.clone()),
        ),
        VersionSpec::Tag(tag) => selected(
            source.tagged_versions(id, tag, limit)?,
            Selection::WithTag(tag.clone()),
        ),
        VersionSpec::Environment(environment) => source
            .versions_in_environment(&[id], environment)?
            .into_iter()
            .map(|(_, version)| version)
            .collect(),
    }))
}
