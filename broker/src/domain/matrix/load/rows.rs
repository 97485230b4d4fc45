//! The middle steps of [`super::gather`]: which integrations the named selectors take part in,
//! and the rows of each (a selected consumer version's pact, left-joined to the latest
//! verification of its content by each selected provider version).

use std::collections::HashMap;

use crate::domain::matrix::load::{MatrixSource, PactFact, VerificationFact};
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
    // Each integration's selected versions (`None`: every version).
    let wanted: Vec<Wanted<'_>> = integrations
        .iter()
        .map(|integration| Wanted {
            integration,
            consumer_versions: versions_of(&selectors_of(integration.consumer.id)),
            provider_versions: versions_of(&selectors_of(integration.provider.id)),
        })
        .filter(|wanted| !wanted.consumer_versions.as_ref().is_some_and(Vec::is_empty))
        .collect();
    let pacts = load_pacts(source, &wanted, limit)?;
    let verifications = load_verifications(source, &wanted, &pacts, limit)?;
    // The rows with their versions' ids, then every version's facts in one call.
    let mut pending: Vec<PendingRow<'_>> = Vec::new();
    for (index, wanted) in wanted.iter().enumerate() {
        for pact in &pacts[index] {
            let found: Vec<&VerificationFact> = verifications[index]
                .iter()
                .filter(|found| found.content_id == pact.content_id)
                .collect();
            let row = |verification: Option<VerificationFact>| PendingRow {
                integration: wanted.integration,
                consumer_version_id: pact.consumer_version_id,
                pact_sha: pact.sha.clone(),
                pact_created_at: pact.created_at.clone(),
                verification,
            };
            if found.is_empty() {
                pending.push(row(None));
            }
            pending.extend(found.into_iter().map(|found| row(Some(found.clone()))));
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

/// An integration and the versions its selectors select (`None`: every version).
struct Wanted<'a> {
    integration: &'a Integration,
    consumer_versions: Option<Vec<i64>>,
    provider_versions: Option<Vec<i64>>,
}

/// The pacts of each wanted integration, in `wanted` order: those of selected consumer versions
/// read in one call for all integrations, those of a consumer-only selector per integration.
fn load_pacts<S: MatrixSource>(
    source: &mut S,
    wanted: &[Wanted<'_>],
    limit: usize,
) -> Result<Vec<Vec<PactFact>>, S::Error> {
    let mut version_ids: Vec<i64> = Vec::new();
    let mut provider_ids: Vec<i64> = Vec::new();
    for wanted in wanted {
        if let Some(ids) = &wanted.consumer_versions {
            version_ids.extend(ids);
            provider_ids.push(wanted.integration.provider.id);
        }
    }
    version_ids.sort_unstable();
    version_ids.dedup();
    provider_ids.sort_unstable();
    provider_ids.dedup();
    let batch = source.pacts_of_versions(&version_ids, &provider_ids)?;
    wanted
        .iter()
        .map(|wanted| {
            let integration = wanted.integration;
            match &wanted.consumer_versions {
                // A consumer version belongs to one consumer, so the provider and the version
                // pick the integration's pacts out of the batch.
                Some(ids) => Ok(batch
                    .iter()
                    .filter(|pact| {
                        pact.provider_id == integration.provider.id
                            && ids.binary_search(&pact.consumer_version_id).is_ok()
                    })
                    .cloned()
                    .collect()),
                None => {
                    source.recent_pacts(integration.consumer.id, integration.provider.id, limit)
                }
            }
        })
        .collect()
}

/// The latest verifications of each wanted integration's pacts, in `wanted` order: those by
/// selected provider versions read in one call for all integrations, those for a provider-only
/// selector per content.
fn load_verifications<S: MatrixSource>(
    source: &mut S,
    wanted: &[Wanted<'_>],
    pacts: &[Vec<PactFact>],
    limit: usize,
) -> Result<Vec<Vec<VerificationFact>>, S::Error> {
    let mut content_ids: Vec<i64> = Vec::new();
    let mut version_ids: Vec<i64> = Vec::new();
    for (wanted, pacts) in wanted.iter().zip(pacts) {
        if let Some(ids) = wanted
            .provider_versions
            .as_ref()
            .filter(|ids| !ids.is_empty())
        {
            content_ids.extend(pacts.iter().map(|pact| pact.content_id));
            version_ids.extend(ids);
        }
    }
    content_ids.sort_unstable();
    content_ids.dedup();
    version_ids.sort_unstable();
    version_ids.dedup();
    let batch = source.verifications_by_versions(&content_ids, &version_ids)?;
    let mut loaded = Vec::with_capacity(wanted.len());
    for (wanted, pacts) in wanted.iter().zip(pacts) {
        let integration = wanted.integration;
        let mut contents: Vec<i64> = pacts.iter().map(|pact| pact.content_id).collect();
        contents.sort_unstable();
        contents.dedup();
        loaded.push(match &wanted.provider_versions {
            // A provider version belongs to one provider; a content may be shared by
            // consumers, so the consumer is matched too.
            Some(ids) => batch
                .iter()
                .filter(|found| {
                    found.consumer_id == integration.consumer.id
                        && contents.binary_search(&found.content_id).is_ok()
                        && ids.binary_search(&found.provider_version_id).is_ok()
                })
                .cloned()
                .collect(),
            None => {
                let mut found = Vec::new();
                for content_id in contents {
                    found.extend(source.recent_verifications(
                        integration.consumer.id,
                        integration.provider.id,
                        content_id,
                        limit,
                    )?);
                }
                found
            }
        });
    }
    Ok(loaded)
}

/// A row before its versions' facts are read: which integration, which versions.
struct PendingRow<'a> {
    integration: &'a Integration,
    consumer_version_id: i64,
    pact_sha: String,
    pact_created_at: String,
    verification: Option<VerificationFact>,
}
