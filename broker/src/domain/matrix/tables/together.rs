//! Tables: `--ignore`, two applications released together, can-i-merge, no destination, and
//! the refusals of unknown pacticipants and environments.

use super::world::World;
use super::{Case, check, web_needs_orders};
use crate::domain::matrix::load::{GatherError, gather};
use crate::domain::matrix::query::parse_matrix_query;

#[test]
fn ignore_release_together_and_merge() {
    let cases = [
        Case {
            name: "--ignore leaves the missing provider out",
            world: || web_needs_orders().with_environment("production"),
            query: "q[][pacticipant]=web&q[][version]=1&ignore[][pacticipant]=orders&latestby=cvpv&environment=production",
            deployable: Some(true),
            counts: (0, 0, 0),
            notice: "ignored as asked: web 1 (the version asked about) with orders",
        },
        Case {
            name: "--ignore of a pacticipant that does not exist warns",
            world: || {
                web_needs_orders().verify("orders", "4", "A", true).deploy(
                    "orders",
                    "4",
                    "production",
                )
            },
            query: "q[][pacticipant]=web&q[][version]=1&ignore[][pacticipant]=nobody&latestby=cvpv&environment=production",
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "WARN: Cannot ignore any version of nobody (no such pacticipant exists)",
        },
        Case {
            name: "alone, the new consumer is not verified by the provider in production",
            world: release_together_world,
            query: to_env!("web", "2", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "by orders 4 (deployed to production)",
        },
        Case {
            name: "two applications released together are checked against each other",
            world: release_together_world,
            query: "q[][pacticipant]=web&q[][version]=2&q[][pacticipant]=orders&q[][version]=5&latestby=cvpv&environment=production",
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 2 (the version asked about) with orders 5 (the version asked about): verified successfully",
        },
        Case {
            name: "can-i-merge: compatible with the latest main-branch version of the provider",
            world: merge_world,
            query: "q[][pacticipant]=web&q[][version]=2&latestby=cvp&latest=true&mainBranch=true",
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 6 (latest on main branch main): verified successfully",
        },
        Case {
            name: "can-i-merge: the newest main-branch version has not verified it",
            world: || merge_world().branch("orders", "7", "main"),
            query: "q[][pacticipant]=web&q[][version]=2&latestby=cvp&latest=true&mainBranch=true",
            deployable: None,
            counts: (0, 0, 1),
            notice: "the latest version of orders from the main branch (7)",
        },
        Case {
            name: "no destination: checked against the latest version of the provider",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .verify("orders", "5", "A", false)
            },
            query: "q[][pacticipant]=web&q[][version]=1&latestby=cvp&latest=true",
            deployable: Some(false),
            counts: (0, 1, 0),
            notice: "WARN: It is recommended to specify the environment",
        },
    ];
    for case in &cases {
        check(case);
    }
}

/// Production runs web 1 and orders 4 (compatible); web 2 and orders 5 verified each other.
fn release_together_world() -> World {
    web_needs_orders()
        .verify("orders", "4", "A", true)
        .deploy("web", "1", "production")
        .deploy("orders", "4", "production")
        .publish("web", "2", "orders", "B")
        .verify("orders", "5", "B", true)
        .verify("orders", "5", "A", true)
}

/// web 2 on a feature branch; orders' main branch is at 6, which verified web 2's pact.
fn merge_world() -> World {
    web_needs_orders()
        .publish("web", "2", "orders", "B")
        .branch("web", "2", "feat/x")
        .main_branch("orders", "main")
        .verify("orders", "6", "B", true)
        .branch("orders", "6", "main")
}

#[test]
fn unknown_pacticipants_and_environments_are_refused() {
    let mut world = web_needs_orders().with_environment("production");
    let query = parse_matrix_query("q[][pacticipant]=nobody&q[][version]=1&environment=staging")
        .unwrap_or_else(|faults| panic!("{faults:?}"));
    match gather(&mut world, query) {
        Err(GatherError::Invalid(faults)) => {
            let messages: Vec<(&str, &str)> = faults
                .iter()
                .map(|f| (f.field.as_str(), f.message.as_str()))
                .collect();
            assert_eq!(
                messages,
                vec![
                    ("q[0][pacticipant]", "Pacticipant nobody not found"),
                    (
                        "environment",
                        "Environment with name 'staging' does not exist"
                    ),
                ]
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}
