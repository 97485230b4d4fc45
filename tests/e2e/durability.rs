//! Durability: every publication the broker acknowledged with a 2xx survives a SIGKILL of the
//! broker immediately afterwards, on SQLite and (when configured) PostgreSQL.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::support::broker::{Broker, Database};
use crate::support::{fixture_json, get_json, post_json, without_broker_additions};

const PUBLICATIONS: usize = 20;

#[test]
fn acknowledged_publications_survive_kill_9() {
    for database in Database::all("acknowledged_publications_survive_kill_9") {
        let mut broker = Broker::start(&database);
        let (status, index) = get_json(&broker.url);
        assert_eq!(status, 200, "index: {index}");
        let href = index["_links"]["pb:publish-contracts"]["href"]
            .as_str()
            .expect("pb:publish-contracts");
        let endpoint = broker.at(&path_of(href));

        let contracts: Vec<Value> = (0..PUBLICATIONS).map(contract).collect();
        for (n, contract) in contracts.iter().enumerate() {
            let body = json!({
                "pacticipantName": "web",
                "pacticipantVersionNumber": format!("1.0.{n}"),
                "branch": "main",
                "contracts": [{
                    "consumerName": "web", "providerName": "orders-v3", "specification": "pact",
                    "contentType": "application/json", "onConflict": "overwrite",
                    "content": STANDARD.encode(serde_json::to_vec(contract).unwrap()),
                }]
            });
            let (status, answer) = post_json(&endpoint, &body);
            assert!(
                (200..300).contains(&status),
                "[{}] publication {n}: {status} {answer}",
                database.backend
            );
        }

        broker.kill();
        broker.restart();

        for (n, contract) in contracts.iter().enumerate() {
            let path = format!("/pacts/provider/orders-v3/consumer/web/version/1.0.{n}");
            let (status, body) = get_json(&broker.at(&path));
            assert_eq!(
                status,
                200,
                "[{}] lost publication {n} after kill -9: {body}\n{}",
                database.backend,
                broker.log()
            );
            assert_eq!(
                &without_broker_additions(&body),
                contract,
                "[{}] publication {n}",
                database.backend
            );
        }
        let (_, latest) = get_json(&broker.at("/pacts/provider/orders-v3/consumer/web/latest"));
        assert_eq!(
            &without_broker_additions(&latest),
            &contracts[PUBLICATIONS - 1],
            "[{}]",
            database.backend
        );
    }
}

/// The V3 fixture with a description that makes publication `n` its own content.
fn contract(n: usize) -> Value {
    let mut contract = fixture_json("v3.json");
    contract["interactions"][0]["description"] =
        json!(format!("a request for order 42, build {n}"));
    contract
}

/// The path (and query) of an href, absolute or not.
fn path_of(href: &str) -> String {
    match href.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map(|slash| rest[slash..].to_owned())
            .unwrap_or_else(|| "/".to_owned()),
        None => href.to_owned(),
    }
}
