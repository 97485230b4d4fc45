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
    // First the rows with their versions' ids, then every version's facts in one call.
    let mut pending: Vec<PendingRow<'_>> = Vec::new();
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
            if verifications.is_empty() {
                pending.push(PendingRow {
                    integration,
                    consumer_version_id: pact.consumer_version_id,
                    pact_sha: pact.sha.clone(),
                    pact_created_at: pact.created_at.clone(),
                    verification: None,
                });
            }
            for found in verifications {
                pending.push(PendingRow {
                    integration,
                    consumer_version_id: pact.consumer_version_id,
                    pact_sha: pact.sha.clone(),
                    pact_created_at: pact.created_at.clone(),
                    verification: Some(found),
                });
            }
        }
    }
    let mut version_ids: Vec<i64> = pending
        .iter()
        .flat_map(|row| {
            std::iter::once(row.consumer_version_id).chain(
                row.verification
                    .as_ref()
                    .map(|found| found.provider_version_id),
            )
        })
        .collect();
    version_ids.sort_unstable();
    version_ids.dedup();
    let facts: HashMap<i64, VersionFacts> = source
        .versions_facts(&version_ids)?
        .into_iter()
        .map(|facts| (facts.id, facts))
        .collect();
    let facts_of = |id: i64| facts.get(&id).cloned().unwrap_or_default();
    let mut rows: Vec<MatrixRow> = pending
        .into_iter()
        .map(|row| MatrixRow {
            consumer: row.integration.consumer.clone(),
            consumer_version: facts_of(row.consumer_version_id),
            provider: row.integration.provider.clone(),
            provider_version: row
                .verification
                .as_ref()
                .map(|found| facts_of(found.provider_version_id)),
            pact_sha: row.pact_sha,
            pact_created_at: row.pact_created_at,
            verification: row.verification.map(|found| found.verification),
        })
        .collect();
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

/// A row before its versions' facts are read: which integration, which versions.
struct PendingRow<'a> {
    integration: &'a Integration,
    consumer_version_id: i64,
    pact_sha: String,
    pact_created_at: String,
    verification: Option<VerificationFact>,
}
