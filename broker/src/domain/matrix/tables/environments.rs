//! Tables: consumer only, provider only and both; several environments, a deployment then an
//! undeployment, application instances, releases with several supported versions; a failed
//! then fixed verification, content shared by two consumer versions, no integrations.

use super::world::World;
use super::{Case, check, web_needs_orders};

#[test]
fn consumer_provider_and_both() {
    let cases = [
        Case {
            name: "consumer whose provider in the environment verified its pact",
            world: || {
                web_needs_orders().verify("orders", "4", "A", true).deploy(
                    "orders",
                    "4",
                    "production",
                )
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "All required verification results are published and successful",
        },
        Case {
            name: "a consumer cannot be deployed before its provider",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .with_environment("production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "There is no verified pact between version 1 of web and a version of orders currently in production (no version is currently recorded as deployed/released in this environment)",
        },
        Case {
            name: "the missing provider's fix is named",
            world: || web_needs_orders().with_environment("production"),
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "orders has no version recorded in production: record its deployment or release, or --ignore orders",
        },
        Case {
            name: "consumer whose deployed provider never verified its pact",
            world: || web_needs_orders().deploy("orders", "4", "production"),
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "no verification of web 1 (the version asked about) by orders 4 (deployed to production): check out that version of orders and run its verification of this pact with `--publish`",
        },
        Case {
            name: "consumer whose deployed provider failed its pact",
            world: || {
                web_needs_orders().verify("orders", "4", "A", false).deploy(
                    "orders",
                    "4",
                    "production",
                )
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(false),
            counts: (0, 1, 0),
            notice: "The verification for the pact between version 1 of web and the version of orders currently in production (4) failed",
        },
        Case {
            name: "provider verified the pact of the consumer deployed there",
            world: || {
                web_needs_orders()
                    .deploy("web", "1", "production")
                    .verify("orders", "5", "A", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 1 (deployed to production) with orders 5 (the version asked about): verified successfully",
        },
        Case {
            name: "provider that failed its deployed consumer's pact",
            world: || {
                web_needs_orders()
                    .deploy("web", "1", "production")
                    .verify("orders", "5", "A", false)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(false),
            counts: (0, 1, 0),
            notice: "The verification for the pact between the version of web currently in production (1) and version 5 of orders failed",
        },
        Case {
            name: "provider that has not verified its deployed consumer's pact",
            world: || {
                web_needs_orders()
                    .deploy("web", "1", "production")
                    .verify("orders", "4", "A", true)
                    .verify("orders", "5", "B", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "run orders' verification with the `deployedOrReleased` selector",
        },
        Case {
            name: "a provider whose consumers are not in the environment can deploy",
            world: || {
                web_needs_orders()
                    .verify("orders", "5", "A", false)
                    .with_environment("production")
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(true),
            counts: (0, 0, 0),
            notice: "There are no missing dependencies",
        },
        Case {
            name: "a service in the middle is checked as consumer and as provider",
            world: || {
                web_needs_orders()
                    .publish("orders", "5", "stock", "S")
                    .deploy("web", "1", "production")
                    .deploy("stock", "9", "production")
                    .verify("orders", "5", "A", true)
                    .verify("stock", "9", "S", false)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(false),
            counts: (1, 1, 0),
            notice: "The verification for the pact between version 5 of orders and the version of stock currently in production (9) failed",
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn environments_deployments_instances_and_releases() {
    let cases = [
        Case {
            name: "several environments: verified against what test runs",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "test")
                    .deploy("orders", "3", "production")
            },
            query: to_env!("web", "1", "test"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 4 (deployed to test): verified successfully",
        },
        Case {
            name: "several environments: not verified against what production runs",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "test")
                    .deploy("orders", "3", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "by orders 3 (deployed to production)",
        },
        Case {
            name: "a version deployed then undeployed no longer counts",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "production")
                    .undeploy("orders", "4", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "orders has no version recorded in production",
        },
        Case {
            name: "a new deployment replaces the previous one",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", false)
                    .deploy("orders", "4", "production")
                    .verify("orders", "5", "A", true)
                    .deploy("orders", "5", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 5 (deployed to production)",
        },
        Case {
            name: "application instances coexist, and each must be compatible",
            world: || {
                web_needs_orders()
                    .verify("orders", "3", "A", false)
                    .verify("orders", "4", "A", true)
                    .deploy_instance("orders", "3", "production", Some("eu"))
                    .deploy_instance("orders", "4", "production", Some("us"))
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(false),
            counts: (1, 1, 0),
            notice: "orders 3 (deployed to production as eu): the verification failed",
        },
        Case {
            name: "latestby=cvp keeps only the newest provider version in the environment (PB#903)",
            world: two_instances_older_failing,
            query: "q[][pacticipant]=web&q[][version]=1&latestby=cvp&environment=production",
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 4 (deployed to production as us): verified successfully",
        },
        Case {
            name: "latestby=cvpv (what the Rust CLI sends) checks every version in the environment",
            world: two_instances_older_failing,
            query: to_env!("web", "1", "production"),
            deployable: Some(false),
            counts: (1, 1, 0),
            notice: "orders 3 (deployed to production as eu): the verification failed",
        },
        Case {
            name: "a pact verified by one of two instances counts as verified (Pact Broker semantics)",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy_instance("orders", "3", "production", Some("eu"))
                    .deploy_instance("orders", "4", "production", Some("us"))
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 4 (deployed to production as us): verified successfully",
        },
        Case {
            name: "every supported release of a consumer must be verified",
            world: || {
                web_needs_orders()
                    .publish("web", "2", "orders", "B")
                    .release("web", "1", "production")
                    .release("web", "2", "production")
                    .verify("orders", "5", "A", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: None,
            counts: (1, 0, 1),
            notice: "There is no verified pact between one of the versions of web currently in production (2) and version 5 of orders",
        },
        Case {
            name: "a release whose support ended no longer counts",
            world: || {
                web_needs_orders()
                    .publish("web", "2", "orders", "B")
                    .release("web", "1", "production")
                    .release("web", "2", "production")
                    .end_support("web", "2", "production")
                    .verify("orders", "5", "A", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 1 (released to production) with orders 5",
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn verifications_content_and_integrations() {
    let cases = [
        Case {
            name: "a failed then fixed verification by the same provider version",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", false)
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "All required verification results are published and successful",
        },
        Case {
            name: "content shared by two consumer versions is verified once",
            world: || {
                web_needs_orders()
                    .publish("web", "2", "orders", "A")
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "production")
            },
            query: to_env!("web", "2", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 2 (the version asked about) with orders 4",
        },
        Case {
            name: "an application without integrations can deploy",
            world: || {
                let mut world = web_needs_orders().with_environment("production");
                world.version("lonely", "1");
                world
            },
            query: to_env!("lonely", "1", "production"),
            deployable: Some(true),
            counts: (0, 0, 0),
            notice: "There are no missing dependencies",
        },
        Case {
            name: "a version that does not exist is not deployable",
            world: || web_needs_orders().deploy("orders", "4", "production"),
            query: to_env!("web", "9", "production"),
            deployable: Some(false),
            counts: (0, 0, 0),
            notice: "No pacts or verifications have been published for version 9 of web",
        },
        Case {
            name: "unknown beats failed",
            world: || {
                web_needs_orders()
                    .publish("web", "1", "stock", "S")
                    .verify("orders", "4", "A", false)
                    .deploy("orders", "4", "production")
                    .deploy("stock", "2", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 1, 1),
            notice: "The verification for the pact between version 1 of web and the version of orders currently in production (4) failed",
        },
    ];
    for case in &cases {
        check(case);
    }
}

/// orders 3 (instance eu) failed web 1's pact, orders 4 (instance us) passed it; both run.
fn two_instances_older_failing() -> World {
    web_needs_orders()
        .verify("orders", "3", "A", false)
        .verify("orders", "4", "A", true)
        .deploy_instance("orders", "3", "production", Some("eu"))
        .deploy_instance("orders", "4", "production", Some("us"))
}
