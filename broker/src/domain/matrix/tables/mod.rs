//! can-i-deploy as tables, without a database: each case builds a small world of publications,
//! verifications, deployments and releases in memory ([`world::World`], a [`MatrixSource`]),
//! asks one question through the same [`gather`] and [`decide`](super::decide) the broker uses,
//! and checks `deployable`, the counts and a notice.
//!
//! [`MatrixSource`]: crate::domain::matrix::load::MatrixSource

mod world;

use crate::domain::matrix::explain::reason_text;
use crate::domain::matrix::load::{GatherError, answer, gather};
use crate::domain::matrix::query::parse_matrix_query;
use world::World;

/// One row of a table: a world, a question and the answer expected.
struct Case {
    name: &'static str,
    world: fn() -> World,
    query: &'static str,
    deployable: Option<bool>,
    /// (success, failed, unknown).
    counts: (usize, usize, usize),
    /// A text that must appear in one of the notices (Pact Broker's or Treaty's).
    notice: &'static str,
}

/// `q[][pacticipant]=P&q[][version]=V&latestby=cvpv&environment=E`, as the CLI sends it.
macro_rules! to_env {
    ($pacticipant:literal, $version:literal, $environment:literal) => {
        concat!(
            "q[][pacticipant]=",
            $pacticipant,
            "&q[][version]=",
            $version,
            "&latestby=cvpv&environment=",
            $environment
        )
    };
}

fn check(case: &Case) {
    let mut world = (case.world)();
    let query =
        parse_matrix_query(case.query).unwrap_or_else(|faults| panic!("{}: {faults:?}", case.name));
    let facts = match gather(&mut world, query) {
        Ok(facts) => facts,
        Err(GatherError::Invalid(faults)) => panic!("{}: refused: {faults:?}", case.name),
        Err(GatherError::Source(never)) => match never {},
    };
    let answer = answer(facts);
    let notices: Vec<String> = answer
        .verdict
        .reasons
        .iter()
        .map(reason_text)
        .chain(answer.explanation.iter().map(|line| line.text.clone()))
        .collect();
    let counts = &answer.verdict.counts;
    assert_eq!(
        answer.verdict.deployable, case.deployable,
        "{}: deployable; notices: {notices:#?}",
        case.name
    );
    assert_eq!(
        (counts.success, counts.failed, counts.unknown),
        case.counts,
        "{}: counts; notices: {notices:#?}",
        case.name
    );
    assert!(
        notices.iter().any(|notice| notice.contains(case.notice)),
        "{}: no notice contains {:?}; notices: {notices:#?}",
        case.name,
        case.notice
    );
}

fn web_needs_orders() -> World {
    World::default().publish("web", "1", "orders", "A")
}

// After `to_env!`, which the tables use (macros are in scope from their definition on).
mod environments;
mod together;
