//! Consumer version selection as a pure function: [`select_pacts`] turns the loaded facts
//! (heads, tagged versions, deployments, releases, each version's pact) and the selectors into
//! one [`SelectedPact`] per distinct (consumer, content), carrying every reason it was
//! selected.
//!
//! Nothing here reads the database or the clock; `load.rs` gathers the facts.

use std::collections::{BTreeMap, HashMap};

use crate::domain::for_verification::query::{Selector, SelectorKind};

/// A consumer of the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsumerFacts {
    /// Its name.
    pub name: String,
    /// Its main branch, if set.
    pub main_branch: Option<String>,
}

/// The provider's pact of a consumer version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PactFact {
    /// The content's id.
    pub content_id: i64,
    /// The content hash.
    pub sha: String,
    /// When this version published it.
    pub published_at: String,
}

/// A consumer version the selectors may pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFact {
    /// The consumer.
    pub consumer: String,
    /// The version number.
    pub number: String,
    /// Creation order (higher is newer).
    pub order: i64,
    /// Its pact with the provider, if it has one.
    pub pact: Option<PactFact>,
}

/// A version in a named scope: the head of a branch or tag, a version carrying a tag, or a
/// version in an environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedVersion {
    /// The consumer.
    pub consumer: String,
    /// The branch, tag or environment name.
    pub name: String,
    /// The version (a key of [`LoadedPacts::versions`]).
    pub version_id: i64,
}

/// Everything the selectors read, for one provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedPacts {
    /// The provider's consumers.
    pub consumers: Vec<ConsumerFacts>,
    /// The versions referred to below, by id.
    pub versions: HashMap<i64, VersionFact>,
    /// The newest version of each consumer branch (with or without a pact).
    pub branch_heads: Vec<ScopedVersion>,
    /// The newest version carrying each consumer tag (with or without a pact).
    pub tag_heads: Vec<ScopedVersion>,
    /// Every version carrying a tag that a `{tag}` selector without `latest` names.
    pub tagged_versions: Vec<ScopedVersion>,
    /// Each consumer's newest version that has a pact with the provider (name = "").
    pub latest: Vec<ScopedVersion>,
    /// Versions currently deployed, by environment.
    pub deployed: Vec<ScopedVersion>,
    /// Versions released and still supported, by environment.
    pub released: Vec<ScopedVersion>,
}

/// Why a pact was selected: the selector as it applied to one consumer version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionReason {
    /// The selector (a default one when the request gave none).
    pub selector: Selector,
    /// The consumer version it picked.
    pub consumer_version: String,
    /// Creation order of that version.
    pub consumer_version_order: i64,
    /// The consumer's main branch (for `mainBranch` descriptions).
    pub main_branch: Option<String>,
    /// The environment, for deployed, released and environment selectors.
    pub environment: Option<String>,
    /// Whether the environment record was a release (not a deployment).
    pub released: bool,
    /// The branch of an `AllBranches` selector, or the fallback branch or tag actually used.
    pub resolved_name: Option<String>,
    /// Whether the fallback branch or tag was used.
    pub fallback_used: bool,
}

/// One contract to verify: a distinct content of one consumer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedPact {
    /// The consumer.
    pub consumer: String,
    /// The newest selected consumer version with this content.
    pub consumer_version: String,
    /// Its creation order.
    pub consumer_version_order: i64,
    /// The content's id.
    pub content_id: i64,
    /// The content hash.
    pub sha: String,
    /// When the newest selected version published it.
    pub published_at: String,
    /// Every selector that picked this content, in request order.
    pub reasons: Vec<SelectionReason>,
}

/// The Pact Broker's default selectors: per consumer, the main branch head if it exists, else
/// the newest version tagged with the main branch's name, else the newest pact; plus every
/// deployed and every released version.
pub fn default_selectors(loaded: &LoadedPacts) -> Vec<Selector> {
    let mut selectors = Vec::new();
    for consumer in &loaded.consumers {
        let has = |heads: &[ScopedVersion], name: &str| {
            heads
                .iter()
                .any(|head| head.consumer == consumer.name && head.name == name)
        };
        let kind = match &consumer.main_branch {
            Some(main) if has(&loaded.branch_heads, main) => SelectorKind::MainBranch,
            Some(main) if has(&loaded.tag_heads, main) => SelectorKind::Tag {
                name: main.clone(),
                latest: true,
                fallback: None,
            },
            _ => SelectorKind::Latest,
        };
        selectors.push(Selector::default_for(kind, Some(&consumer.name)));
    }
    selectors.push(Selector::default_for(
        SelectorKind::Deployed { environment: None },
        None,
    ));
    selectors.push(Selector::default_for(
        SelectorKind::Released { environment: None },
        None,
    ));
    selectors
}

/// A candidate: the version a selector picked, and the details of why.
struct Pick<'a> {
    version_id: i64,
    environment: Option<&'a str>,
    released: bool,
    resolved_name: Option<&'a str>,
}

fn in_scope<'a>(scoped: &'a [ScopedVersion], name: Option<&str>) -> impl Iterator<Item = Pick<'a>> {
    scoped
        .iter()
        .filter(move |entry| name.is_none_or(|name| entry.name == name))
        .map(|entry| Pick {
            version_id: entry.version_id,
            environment: None,
            released: false,
            resolved_name: Some(entry.name.as_str()),
        })
}

fn consumer_of(loaded: &LoadedPacts, version_id: i64) -> Option<&str> {
    loaded
        .versions
        .get(&version_id)
        .map(|version| version.consumer.as_str())
}

/// The versions a selector picks, before the consumer filter and the pact check.
fn picks<'a>(
    loaded: &'a LoadedPacts,
    kind: &'a SelectorKind,
    provider_branch: Option<&str>,
    use_fallback: bool,
) -> Vec<Pick<'a>> {
    let environment =
        |scoped: &'a [ScopedVersion], name: Option<&'a str>, released: bool| -> Vec<Pick<'a>> {
            scoped
                .iter()
                .filter(|entry| name.is_none_or(|name| entry.name == name))
                .map(|entry| Pick {
                    version_id: entry.version_id,
                    environment: Some(entry.name.as_str()),
                    released,
                    resolved_name: None,
                })
                .collect()
        };
    match kind {
        SelectorKind::MainBranch => loaded
            .branch_heads
            .iter()
            .filter(|head| {
                loaded.consumers.iter().any(|consumer| {
                    consumer.name == head.consumer
                        && consumer.main_branch.as_deref() == Some(head.name.as_str())
                })
            })
            .map(|head| Pick {
                version_id: head.version_id,
                environment: None,
                released: false,
                resolved_name: None,
            })
            .collect(),
        SelectorKind::Branch { name, fallback, .. } => {
            let name = if use_fallback {
                fallback.as_deref()
            } else {
                Some(name.as_str())
            };
            match name {
                Some(name) => in_scope(&loaded.branch_heads, Some(name)).collect(),
                None => Vec::new(),
            }
        }
        SelectorKind::MatchingBranch => match provider_branch {
            Some(name) => in_scope(&loaded.branch_heads, Some(name)).collect(),
            None => Vec::new(),
        },
        SelectorKind::AllBranches => in_scope(&loaded.branch_heads, None).collect(),
        SelectorKind::Tag {
            name,
            latest: true,
            fallback,
        } => {
            let name = if use_fallback {
                fallback.as_deref()
            } else {
                Some(name.as_str())
            };
            match name {
                Some(name) => in_scope(&loaded.tag_heads, Some(name)).collect(),
                None => Vec::new(),
            }
        }
        SelectorKind::Tag {
            name,
            latest: false,
            ..
        } => in_scope(&loaded.tagged_versions, Some(name)).collect(),
        SelectorKind::Latest => in_scope(&loaded.latest, None).collect(),
        SelectorKind::Deployed { environment: name } => {
            environment(&loaded.deployed, name.as_deref(), false)
        }
        SelectorKind::Released { environment: name } => {
            environment(&loaded.released, name.as_deref(), true)
        }
        SelectorKind::InEnvironment { environment: name } => {
            let mut both = environment(&loaded.deployed, Some(name), false);
            both.extend(environment(&loaded.released, Some(name), true));
            both
        }
    }
}

fn has_fallback(kind: &SelectorKind) -> bool {
    matches!(
        kind,
        SelectorKind::Branch {
            fallback: Some(_),
            ..
        } | SelectorKind::Tag {
            fallback: Some(_),
            ..
        }
    )
}

/// The pacts the selectors pick (the defaults when `selectors` is empty), merged by
/// (consumer, content), ordered by consumer name and then consumer version.
///
/// `matchingBranch` selects the consumer branch named like `provider_branch`. A fallback branch
/// or tag is used when its selector picked no pact for any consumer (the check is global to the
/// selector, as in the Pact Broker). Nothing here depends on the clock.
pub fn select_pacts(
    loaded: &LoadedPacts,
    selectors: &[Selector],
    provider_branch: Option<&str>,
) -> Vec<SelectedPact> {
    let defaults;
    let selectors = if selectors.is_empty() {
        defaults = default_selectors(loaded);
        &defaults
    } else {
        selectors
    };
    let mut merged: BTreeMap<(String, i64), SelectedPact> = BTreeMap::new();
    for selector in selectors {
        let mut chosen = chosen_pacts(loaded, selector, provider_branch, false);
        if chosen.is_empty() && has_fallback(&selector.kind) {
            chosen = chosen_pacts(loaded, selector, provider_branch, true);
        }
        for (version, pact, reason) in chosen {
            let entry = merged
                .entry((version.consumer.clone(), pact.content_id))
                .or_insert_with(|| SelectedPact {
                    consumer: version.consumer.clone(),
                    consumer_version: version.number.clone(),
                    consumer_version_order: version.order,
                    content_id: pact.content_id,
                    sha: pact.sha.clone(),
                    published_at: pact.published_at.clone(),
                    reasons: Vec::new(),
                });
            if version.order > entry.consumer_version_order {
                entry.consumer_version = version.number.clone();
                entry.consumer_version_order = version.order;
                entry.published_at = pact.published_at.clone();
            }
            if !entry.reasons.contains(&reason) {
                entry.reasons.push(reason);
            }
        }
    }
    let mut selected: Vec<SelectedPact> = merged.into_values().collect();
    selected.sort_by(|left, right| {
        (&left.consumer, left.consumer_version_order)
            .cmp(&(&right.consumer, right.consumer_version_order))
    });
    selected
}

/// The (version, pact, reason) triples one selector yields.
fn chosen_pacts<'a>(
    loaded: &'a LoadedPacts,
    selector: &Selector,
    provider_branch: Option<&str>,
    use_fallback: bool,
) -> Vec<(&'a VersionFact, &'a PactFact, SelectionReason)> {
    let mut chosen = Vec::new();
    for pick in picks(loaded, &selector.kind, provider_branch, use_fallback) {
        let Some(consumer) = consumer_of(loaded, pick.version_id) else {
            continue;
        };
        if selector
            .consumer
            .as_deref()
            .is_some_and(|wanted| wanted != consumer)
        {
            continue;
        }
        let Some(version) = loaded.versions.get(&pick.version_id) else {
            continue;
        };
        let Some(pact) = &version.pact else {
            continue;
        };
        let main_branch = loaded
            .consumers
            .iter()
            .find(|facts| facts.name == consumer)
            .and_then(|facts| facts.main_branch.clone());
        let resolved_name = match &selector.kind {
            SelectorKind::AllBranches | SelectorKind::MatchingBranch => {
                pick.resolved_name.map(str::to_owned)
            }
            _ if use_fallback => pick.resolved_name.map(str::to_owned),
            _ => None,
        };
        chosen.push((
            version,
            pact,
            SelectionReason {
                selector: selector.clone(),
                consumer_version: version.number.clone(),
                consumer_version_order: version.order,
                main_branch,
                environment: pick.environment.map(str::to_owned),
                released: pick.released,
                resolved_name,
                fallback_used: use_fallback,
            },
        ));
    }
    chosen
}

#[cfg(test)]
pub(crate) mod tests;
