//! The middle steps of [`super::gather`]: which integrations the named selectors take part in,
//! and the rows of each (a selected consumer version's pact, left-joined to the latest
//! verification of its content by each selected provider version).

use std::collections::HashMap;

use crate::domain::matrix::load::{MatrixSource, VerificationFact};
use crate::domain::matrix::{Integration, MatrixRow, ResolvedSelector, VersionFacts};

/// The integrations of the named selectors: with a destination or a single selector, every
/// provider the selected consumer versions have a pact with (required) and every consumer of
/// a selected provider (not required); otherwise only those between the named pacticipants.
pub(super) fn find_integrations<S: MatrixSource>(
    source: &mut S,
    specified: &[ResolvedSelector],
    infer: bool,
) -> Result<Vec<Integration>, S::Error> {
    let involving_any = infer || specified.len() == 1;
    let mut integrations: Vec<Integration> = Vec::new();
    let mut add = |integration: Integration| match integrations.iter_mut().find(|existing| {
        existing.consumer.id == integration.consumer.id
            && existing.provider.id == integration.provider.id
    }) {
        Some(existing) => existing.required |= integration.required,
        None => integrations.push(integration),
    };
    for selector in specified {
        let providers = match &selector.versions {
            Some(versions) => {
                let ids: Vec<i64> = versions.iter().map(|version| version.id).collect();
                source.providers_of_versions(&ids)?
            }
            None => source.providers_of(selector.pacticipant.id)?,
        };
        for provider in providers {
            if involving_any
                || specified
                    .iter()
                    .any(|other| other.pacticipant.id == provider.id)
            {
                add(Integration {
                    consumer: selector.pacticipant.clone(),
                    provider,
                    required: true,
                });
            }
        }
        if involving_any {
            for consumer in source.consumers_of(selector.pacticipant.id)? {
                add(Integration {
                    consumer,
                    provider: selector.pacticipant.clone(),
                    required: false,
                });
            }
        }
    }
    integrations.sort_by(|a, b| {
        (&a.consumer.name, &a.provider.name).cmp(&(&b.consumer.name, &b.provider.name))
    });
    Ok(integrations)
}

/// The versions all selectors of a pacticipant select (`None`: every version).
fn versions_of(selectors: &[&ResolvedSelector]) -> Option<Vec<i64>> {
    let mut ids = Vec::new();
    for selector in selectors {
        match &selector.versions {
            None => return None,
            Some(versions) => ids.extend(versions.iter().map(|version| version.id)),
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

pub(super) fn load_rows<S: MatrixSource>(
    source: &mut S,
    integrations: &[Integration],
    specified: &[ResolvedSelector],
    inferred: &[ResolvedSelector],
    limit: usize,
) -> Result<Vec<MatrixRow>, S::Error> {
    let selectors_of = |id: i64| -> Vec<&ResolvedSelector> {
        let named: Vec<&ResolvedSelector> = specified
            .iter()
            .filter(|s| s.pacticipant.id == id)
            .collect();
        if named.is_empty() {
            inferred.iter().filter(|s| s.pacticipant.id == id).collect()
        } else {
            named
        }
    };
    let mut version_cache: HashMap<i64, VersionFacts> = HashMap::new();
    let mut rows = Vec::new();
    for integration in integrations {
        let consumer_versions = versions_of(&selectors_of(integration.consumer.id));
        let provider_versions = versions_of(&selectors_of(integration.provider.id));
        if consumer_versions.as_ref().is_some_and(Vec::is_empty) {
            continue;
        }
        let pacts = source.pacts(
            integration.consumer.id,
            consumer_versions.as_deref(),
            integration.provider.id,
            limit,
        )?;
        let mut by_content: HashMap<i64, Vec<VerificationFact>> = HashMap::new();
        for pact in pacts {
            let verifications = match by_content.entry(pact.content_id) {
                std::collections::hash_map::Entry::Occupied(known) => known.get().clone(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    let found = match &provider_versions {
                        Some(ids) if ids.is_empty() => Vec::new(),
                        _ => source.verifications(
                            integration.consumer.id,
                            integration.provider.id,
                            pact.content_id,
                            provider_versions.as_deref(),
                            limit,
                        )?,
                    };
                    slot.insert(found).clone()
                }
            };
            let consumer_version =
                cached_facts(source, &mut version_cache, pact.consumer_version_id)?;
            if verifications.is_empty() {
                rows.push(MatrixRow {
                    consumer: integration.consumer.clone(),
                    consumer_version: consumer_version.clone(),
                    provider: integration.provider.clone(),
                    provider_version: None,
                    pact_sha: pact.sha.clone(),
                    pact_created_at: pact.created_at.clone(),
                    verification: None,
                });
            }
            for found in verifications {
                let provider_version =
                    cached_facts(source, &mut version_cache, found.provider_version_id)?;
                rows.push(MatrixRow {
                    consumer: integration.consumer.clone(),
                    consumer_version: consumer_version.clone(),
                    provider: integration.provider.clone(),
                    provider_version: Some(provider_version),
                    pact_sha: pact.sha.clone(),
                    pact_created_at: pact.created_at.clone(),
                    verification: Some(found.verification),
                });
            }
        }
    }
    rows.sort_by(|a, b| {
        let key = |row: &MatrixRow| {
            (
                row.consumer.name.clone(),
                std::cmp::Reverse(row.consumer_version.id),
                row.provider.name.clone(),
                std::cmp::Reverse(
                    row.provider_version
                        .as_ref()
                        .map_or(0, |version| version.id),
                ),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(rows)
}

fn cached_facts<S: MatrixSource>(
    source: &mut S,
    cache: &mut HashMap<i64, VersionFacts>,
    version_id: i64,
) -> Result<VersionFacts, S::Error> {
    if let Some(facts) = cache.get(&version_id) {
        return Ok(facts.clone());
    }
    let facts = source.version_facts(version_id)?;
    cache.insert(version_id, facts.clone());
    Ok(facts)
}
