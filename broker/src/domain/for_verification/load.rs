//! The thin loader of pacts for verification: reads the few indexed rows the pure rules need
//! and hands them over as plain facts. It decides nothing.
//!
//! Phase one ([`load_selection`]): the provider's consumers (from its `latest` pact heads), the
//! branch and tag heads the selectors name (`version_heads`), tagged versions, current
//! deployments and releases, the WIP candidates, and the pact of each of those versions.
//! Phase two ([`load_verifications`]): the successful verifications of the contents that were
//! selected or are WIP candidates, grouped by provider branch or tag, and when the provider's
//! branch and tags were created.

use std::collections::{BTreeSet, HashMap};

use crate::domain::for_verification::pending::{
    ProviderBranch, ProviderTag, ProviderTarget, SuccessfulVerifications, VerifiedBy,
};
use crate::domain::for_verification::query::{SelectorKind, VerificationQuery};
use crate::domain::for_verification::selectors::{
    ConsumerFacts, LoadedPacts, PactFact, ScopedVersion, VersionFact,
};
use crate::domain::for_verification::wip::{HeadKind, WipCandidate};
use crate::domain::{DomainError, FieldError};
use crate::storage::heads::{self, HeadScope};
use crate::storage::models::{PacticipantRow, VersionHeadRow};
use crate::storage::selection::{self, ScopedVersionRow};
use crate::storage::{AnyConnection, pacticipants, verifications, versions};

/// The facts of phase one.
#[derive(Debug, Clone, Default)]
pub struct SelectionFacts {
    /// What the selectors read.
    pub pacts: LoadedPacts,
    /// The WIP candidates (empty unless WIP was asked for with a branch or tags).
    pub wip_candidates: Vec<WipCandidate>,
    /// Consumer names by id.
    pub consumer_names: HashMap<i64, String>,
}

/// What the selectors need loaded, derived from the request.
#[derive(Debug, Default)]
struct Needs {
    branch_names: BTreeSet<String>,
    all_branches: bool,
    main_branches: bool,
    tag_heads: BTreeSet<String>,
    tagged: BTreeSet<String>,
    environments: bool,
}

fn needs_of(query: &VerificationQuery) -> Needs {
    let mut needs = Needs::default();
    if query.selectors.is_empty() {
        // The defaults: main branch, else a tag named like it, else latest; deployed; released.
        needs.main_branches = true;
        needs.environments = true;
    }
    for selector in &query.selectors {
        match &selector.kind {
            SelectorKind::MainBranch => needs.main_branches = true,
            SelectorKind::Branch { name, fallback, .. } => {
                needs.branch_names.insert(name.clone());
                needs.branch_names.extend(fallback.iter().cloned());
            }
            SelectorKind::MatchingBranch => {
                needs
                    .branch_names
                    .extend(query.provider_branch.iter().cloned());
            }
            SelectorKind::AllBranches => needs.all_branches = true,
            SelectorKind::Tag {
                name,
                latest: true,
                fallback,
            } => {
                needs.tag_heads.insert(name.clone());
                needs.tag_heads.extend(fallback.iter().cloned());
            }
            SelectorKind::Tag {
                name,
                latest: false,
                ..
            } => {
                needs.tagged.insert(name.clone());
            }
            SelectorKind::Latest => {}
            SelectorKind::Deployed { .. }
            | SelectorKind::Released { .. }
            | SelectorKind::InEnvironment { .. } => needs.environments = true,
        }
    }
    needs
}

/// Refuses selectors naming an environment that does not exist (the Pact Broker's rule).
fn check_environments(
    conn: &mut AnyConnection,
    query: &VerificationQuery,
) -> Result<(), DomainError> {
    let named: Vec<(usize, &str)> = query
        .selectors
        .iter()
        .filter_map(|selector| {
            let environment = match &selector.kind {
                SelectorKind::Deployed { environment } | SelectorKind::Released { environment } => {
                    environment.as_deref()
                }
                SelectorKind::InEnvironment { environment } => Some(environment.as_str()),
                _ => None,
            };
            Some((selector.index?, environment?))
        })
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = named.iter().map(|(_, name)| *name).collect();
    let existing = selection::list_environment_names(conn, &names)?;
    let mut faults: Vec<FieldError> = named
        .iter()
        .filter(|(_, name)| !existing.iter().any(|existing| existing == name))
        .map(|(index, name)| {
            FieldError::new(
                format!("consumerVersionSelectors/{index}"),
                format!("environment with name '{name}' does not exist: create it with POST /environments, or correct the name"),
            )
        })
        .collect();
    faults.dedup();
    if faults.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(faults))
    }
}

fn head_rows(
    rows: Vec<VersionHeadRow>,
    names: &HashMap<i64, String>,
) -> impl Iterator<Item = ScopedVersion> + '_ {
    rows.into_iter().filter_map(|row| {
        Some(ScopedVersion {
            consumer: names.get(&row.pacticipant_id)?.clone(),
            name: row.scope_name,
            version_id: row.version_id,
        })
    })
}

fn scoped_rows(rows: Vec<ScopedVersionRow>, names: &HashMap<i64, String>) -> Vec<ScopedVersion> {
    rows.into_iter()
        .filter_map(|row| {
            Some(ScopedVersion {
                consumer: names.get(&row.pacticipant_id)?.clone(),
                name: row.name,
                version_id: row.version_id,
            })
        })
        .collect()
}

/// Phase one: every fact the selectors and the WIP rule read.
pub fn load_selection(
    conn: &mut AnyConnection,
    provider: &PacticipantRow,
    query: &VerificationQuery,
) -> Result<SelectionFacts, DomainError> {
    check_environments(conn, query)?;
    let latest_heads = heads::list_pact_heads(conn, Some(provider.id), HeadScope::Latest, None)?;
    let consumer_ids: Vec<i64> = latest_heads.iter().map(|head| head.consumer_id).collect();
    let consumers = pacticipants::find_pacticipants_by_ids(conn, &consumer_ids)?;
    let names: HashMap<i64, String> = consumers
        .iter()
        .map(|row| (row.id, row.name.clone()))
        .collect();
    let mut pacts = LoadedPacts {
        consumers: consumers
            .iter()
            .map(|row| ConsumerFacts {
                name: row.name.clone(),
                main_branch: row.main_branch.clone(),
            })
            .collect(),
        latest: latest_heads
            .iter()
            .filter_map(|head| {
                Some(ScopedVersion {
                    consumer: names.get(&head.consumer_id)?.clone(),
                    name: String::new(),
                    version_id: head.consumer_version_id,
                })
            })
            .collect(),
        ..LoadedPacts::default()
    };
    let needs = needs_of(query);
    if needs.main_branches {
        // The main branch heads, and (for the defaults) the heads of tags named like them.
        for row in &consumers {
            if let Some(main) = &row.main_branch {
                pacts.branch_heads.extend(head_rows(
                    heads::find_version_head(conn, row.id, HeadScope::Branch, main)?
                        .into_iter()
                        .collect(),
                    &names,
                ));
                if query.selectors.is_empty() {
                    pacts.tag_heads.extend(head_rows(
                        heads::find_version_head(conn, row.id, HeadScope::Tag, main)?
                            .into_iter()
                            .collect(),
                        &names,
                    ));
                }
            }
        }
    }
    if needs.all_branches {
        pacts.branch_heads.clear();
        for id in &consumer_ids {
            pacts.branch_heads.extend(head_rows(
                heads::list_version_heads(conn, *id, HeadScope::Branch)?,
                &names,
            ));
        }
    } else {
        for name in &needs.branch_names {
            let rows =
                heads::list_version_heads_named(conn, &consumer_ids, HeadScope::Branch, name)?;
            for head in head_rows(rows, &names) {
                if !pacts.branch_heads.contains(&head) {
                    pacts.branch_heads.push(head);
                }
            }
        }
    }
    for name in &needs.tag_heads {
        pacts.tag_heads.extend(head_rows(
            heads::list_version_heads_named(conn, &consumer_ids, HeadScope::Tag, name)?,
            &names,
        ));
    }
    for name in &needs.tagged {
        pacts.tagged_versions.extend(scoped_rows(
            selection::list_tagged_versions(conn, &consumer_ids, name)?,
            &names,
        ));
    }
    if needs.environments {
        pacts.deployed = scoped_rows(
            selection::list_currently_deployed(conn, &consumer_ids)?,
            &names,
        );
        pacts.released = scoped_rows(
            selection::list_currently_supported(conn, &consumer_ids)?,
            &names,
        );
    }
    let mut candidate_rows = Vec::new();
    if let Some(since) = &query.include_wip_pacts_since
        && (query.provider_branch.is_some() || !query.provider_tags.is_empty())
    {
        candidate_rows = selection::list_wip_candidates(conn, provider.id, since)?;
    }
    // The versions every fact above points at, and their pacts with the provider.
    let mut version_ids: Vec<i64> = [
        &pacts.branch_heads,
        &pacts.tag_heads,
        &pacts.tagged_versions,
        &pacts.latest,
        &pacts.deployed,
        &pacts.released,
    ]
    .into_iter()
    .flatten()
    .map(|scoped| scoped.version_id)
    .chain(candidate_rows.iter().map(|row| row.version_id))
    .collect();
    version_ids.sort_unstable();
    version_ids.dedup();
    let pact_of: HashMap<i64, PactFact> =
        selection::list_pacts_of_versions(conn, provider.id, &version_ids)?
            .into_iter()
            .map(|row| {
                (
                    row.version_id,
                    PactFact {
                        content_id: row.content_id,
                        sha: row.sha,
                        published_at: row.published_at,
                    },
                )
            })
            .collect();
    for version in versions::find_versions_by_ids(conn, &version_ids)? {
        let Some(consumer) = names.get(&version.pacticipant_id) else {
            continue;
        };
        pacts.versions.insert(
            version.id,
            VersionFact {
                consumer: consumer.clone(),
                number: version.number,
                order: version.id,
                pact: pact_of.get(&version.id).cloned(),
            },
        );
    }
    let wip_candidates = candidate_rows
        .into_iter()
        .filter_map(|row| {
            let version = pacts.versions.get(&row.version_id)?;
            Some(WipCandidate {
                version: version.clone(),
                pact: version.pact.clone()?,
                kind: if row.scope == HeadScope::Tag.as_str() {
                    HeadKind::Tag
                } else {
                    HeadKind::Branch
                },
                name: row.scope_name,
            })
        })
        .collect();
    Ok(SelectionFacts {
        pacts,
        wip_candidates,
        consumer_names: names,
    })
}

/// Phase two: the provider's branch and tags, and the successful verifications of `content_ids`.
pub fn load_verifications(
    conn: &mut AnyConnection,
    provider: &PacticipantRow,
    query: &VerificationQuery,
    consumer_names: &HashMap<i64, String>,
    content_ids: &[i64],
) -> Result<(ProviderTarget, SuccessfulVerifications), DomainError> {
    let branch = match &query.provider_branch {
        Some(name) => {
            let times = selection::find_branch_times(conn, provider.id, name)?;
            Some(ProviderBranch {
                name: name.clone(),
                created_at: times.as_ref().map(|(created_at, _)| created_at.clone()),
                first_version_at: times.and_then(|(_, first)| first),
            })
        }
        None => None,
    };
    let first_uses: HashMap<String, String> = if branch.is_none() && !query.provider_tags.is_empty()
    {
        selection::list_tag_first_uses(conn, provider.id, &query.provider_tags)?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let tags = query
        .provider_tags
        .iter()
        .map(|name| ProviderTag {
            name: name.clone(),
            first_used_at: first_uses.get(name).cloned(),
        })
        .collect();
    let facts = |rows: Vec<verifications::SuccessfulVerificationRow>| -> Vec<VerifiedBy> {
        rows.into_iter()
            .filter_map(|row| {
                Some(VerifiedBy {
                    consumer: consumer_names.get(&row.consumer_id)?.clone(),
                    content_id: row.content_id,
                    label: row.label,
                    wip: row.wip,
                    earliest_at: row.earliest_at,
                })
            })
            .collect()
    };
    let by_branch = facts(verifications::list_successful_verifications_by_branch(
        conn,
        provider.id,
        content_ids,
    )?);
    let by_tag = if branch.is_none() && !query.provider_tags.is_empty() {
        facts(verifications::list_successful_verifications_by_tag(
            conn,
            provider.id,
            content_ids,
        )?)
    } else {
        Vec::new()
    };
    Ok((
        ProviderTarget {
            provider: provider.name.clone(),
            branch,
            tags,
        },
        SuccessfulVerifications { by_branch, by_tag },
    ))
}
