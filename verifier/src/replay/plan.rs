//! Which interactions run and in what groups: the filters (description, provider state,
//! consumer) and the ordering rule for provider states. Pure functions over loaded contracts.
//!
//! Interactions without provider states run concurrently. Interactions with provider states
//! change the provider's data, so they run one at a time, after the others, unless the user
//! asked for a concurrency explicitly. Results are always reported in contract order.

use regex::Regex;

use crate::source::LoadedContract;

/// Which interactions to verify.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only interactions whose description matches.
    pub description: Option<Regex>,
    /// Only interactions with a provider state whose name matches.
    pub state: Option<Regex>,
    /// Only contracts of these consumers (all when empty).
    pub consumers: Vec<String>,
}

/// One interaction to verify: indexes into the loaded contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedInteraction {
    /// Index of the contract.
    pub contract: usize,
    /// Index of the interaction in its contract.
    pub interaction: usize,
    /// True when the interaction has provider states.
    pub has_states: bool,
}

/// A group of interactions run with at most `limit` in flight, before the next group starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// Indexes into the plan.
    pub items: Vec<usize>,
    /// How many may run at once.
    pub limit: usize,
}

/// The contracts kept by the consumer filter, in order.
pub fn selected_contracts(contracts: &[LoadedContract], filters: &Filters) -> Vec<usize> {
    (0..contracts.len())
        .filter(|&index| {
            filters.consumers.is_empty()
                || filters
                    .consumers
                    .iter()
                    .any(|name| *name == contracts[index].contract.consumer)
        })
        .collect()
}

/// The interactions to verify, in contract order.
pub fn plan(contracts: &[LoadedContract], filters: &Filters) -> Vec<PlannedInteraction> {
    let mut planned = Vec::new();
    for contract in selected_contracts(contracts, filters) {
        for (index, interaction) in contracts[contract].contract.interactions.iter().enumerate() {
            let description_ok = filters
                .description
                .as_ref()
                .is_none_or(|regex| regex.is_match(&interaction.description));
            let state_ok = filters.state.as_ref().is_none_or(|regex| {
                interaction
                    .provider_states
                    .iter()
                    .any(|state| regex.is_match(&state.name))
            });
            if description_ok && state_ok {
                planned.push(PlannedInteraction {
                    contract,
                    interaction: index,
                    has_states: !interaction.provider_states.is_empty(),
                });
            }
        }
    }
    planned
}

/// Groups the plan into phases: everything at `concurrency` when it was given explicitly;
/// otherwise stateless interactions at `concurrency`, then stateful ones one at a time.
pub fn phases(plan: &[PlannedInteraction], concurrency: usize, explicit: bool) -> Vec<Phase> {
    let concurrency = concurrency.max(1);
    if explicit {
        return vec![Phase {
            items: (0..plan.len()).collect(),
            limit: concurrency,
        }];
    }
    let (stateful, stateless): (Vec<usize>, Vec<usize>) =
        (0..plan.len()).partition(|&index| plan[index].has_states);
    [
        Phase {
            items: stateless,
            limit: concurrency,
        },
        Phase {
            items: stateful,
            limit: 1,
        },
    ]
    .into_iter()
    .filter(|phase| !phase.items.is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(has_states: bool) -> PlannedInteraction {
        PlannedInteraction {
            contract: 0,
            interaction: 0,
            has_states,
        }
    }

    #[test]
    fn stateful_interactions_run_alone_after_the_others_by_default() {
        let plan = [item(true), item(false), item(true), item(false)];
        assert_eq!(
            phases(&plan, 8, false),
            [
                Phase {
                    items: vec![1, 3],
                    limit: 8
                },
                Phase {
                    items: vec![0, 2],
                    limit: 1
                }
            ]
        );
    }

    #[test]
    fn an_explicit_concurrency_applies_to_everything() {
        let plan = [item(true), item(false)];
        assert_eq!(
            phases(&plan, 4, true),
            [Phase {
                items: vec![0, 1],
                limit: 4
            }]
        );
    }
}
