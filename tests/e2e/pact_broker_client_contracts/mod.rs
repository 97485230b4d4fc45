//! treaty-broker verified as the provider of the contract the Pact Broker's own client has with
//! the Pact Broker (`shared/pact-broker-client-contracts/pact_broker_client_v2-pact_broker.json`,
//! 67 interactions, Pact V2). The real `treaty verify` replays them against the real broker
//! through a small server this test runs; it also answers the provider-state calls, putting the
//! broker into each named state through the broker's own HTTP API, as the Pact Broker's
//! `spec/service_consumers/shared_provider_states.rb` defines them.
//!
//! Every interaction runs, the 14 webhook ones included (created, updated, refused for an
//! unknown consumer or a missing URL). Their target is `https://webhook`, a name that does not
//! resolve: the broker accepts it at creation and would check it again at delivery (none
//! happens here: no event fires while the webhooks exist). All 67 must pass, and the test
//! checks that 67 did.
//!
//! Two things stand between the file and the broker, both as in the Pact Broker's own
//! verification (`spec/service_consumers/hal_relation_proxy_app.rb`):
//! - The file's matrix queries were written with their parameters sorted by name
//!   (`q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.3&…`), which loses which
//!   version belongs to which pacticipant. The server in front of the broker puts a query back
//!   in its meant order when its parameters are exactly those of one of [`front::MEANT_QUERIES`].
//! - Some states need identifiers the API cannot choose (environments with a given UUID, a
//!   deployed version with a given UUID). The test creates them through the API and then sets
//!   the UUID with one `UPDATE` through `treaty_broker::storage` (the only direct database
//!   access here).
//!
//! The copy `treaty verify` reads also drops the `"generators": null` of two webhook
//! interactions (the Pact Broker's client wrote them; treaty's parser wants an object or no
//! key at all).

mod api;
mod front;
mod states;

use std::path::Path;

use serde_json::Value;

use crate::support::broker::{Broker, Database};
use crate::support::{describe, read_json, skipped, treaty, workspace_root};

use front::{Front, STATES_PATH};

#[test]
fn treaty_broker_honours_the_pact_broker_clients_contract() {
    let source = workspace_root()
        .join("../shared/pact-broker-client-contracts/pact_broker_client_v2-pact_broker.json");
    if !source.is_file() {
        skipped(&format!(
            "skipped: pact_broker_client_contracts needs the client's contract, not found at {} (put `shared/` beside the repository)",
            source.display()
        ));
        return;
    }
    for database in Database::all("pact_broker_client_contracts") {
        let broker = Broker::start(&database);
        let contract = checked_copy(&source, database.dir.path());
        let front = Front::start(&broker.url, &database.url);
        let report = database.dir.path().join("report.json");
        let output = treaty(&[
            "verify",
            contract.to_str().expect("a UTF-8 path"),
            "--provider-base-url",
            &front.url,
            "--provider-states-setup-url",
            &format!("{}{STATES_PATH}", front.url),
            // One at a time in file order: the stateless ones (publish, create Foo, 404 for Foo)
            // see the broker as the previous teardown left it, empty.
            "--concurrency",
            "1",
            "--request-timeout",
            "20s",
            "--json",
            report.to_str().expect("a UTF-8 path"),
        ]);
        assert!(
            report.is_file(),
            "{}: treaty verify wrote no report\n{}",
            database.backend,
            describe(&output)
        );
        let report = read_json(&report);
        let failed: Vec<String> = report["contracts"][0]["interactions"]
            .as_array()
            .expect("interactions in the report")
            .iter()
            .filter(|interaction| interaction["outcome"] != "passed")
            .map(|interaction| serde_json::to_string_pretty(interaction).unwrap_or_default())
            .collect();
        assert!(
            failed.is_empty() && output.status.success(),
            "{}: {} interactions did not pass:\n{}\n{}\nbroker log:\n{}",
            database.backend,
            failed.len(),
            failed.join("\n"),
            describe(&output),
            broker.log()
        );
        assert_eq!(report["summary"]["passed"], 67, "{}", database.backend);
    }
}

/// A copy of the contract at `source` in `dir`, after checking it is the file as copied (67
/// interactions, 14 of them about webhooks), without the `"generators": null` two webhook
/// interactions carry (Pact Ruby wrote them; `treaty verify` wants an object or nothing).
fn checked_copy(source: &Path, dir: &Path) -> std::path::PathBuf {
    let mut contract = read_json(source);
    let interactions = contract["interactions"]
        .as_array_mut()
        .expect("a V2 contract has interactions");
    for interaction in interactions.iter_mut() {
        if let Some(response) = interaction["response"].as_object_mut()
            && response.get("generators").is_some_and(Value::is_null)
        {
            response.remove("generators");
        }
    }
    assert_eq!(interactions.len(), 67, "the contract as copied");
    let webhooks = interactions
        .iter()
        .filter(|interaction| {
            interaction["description"]
                .as_str()
                .is_some_and(|description| description.contains("webhook"))
        })
        .count();
    assert_eq!(webhooks, 14, "the webhook interactions as copied");
    let path = dir.join("pact_broker_client_v2-pact_broker.json");
    std::fs::write(&path, contract.to_string()).expect("write the contract copy");
    path
}
