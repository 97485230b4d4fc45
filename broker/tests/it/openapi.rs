//! The OpenAPI description cannot drift from the route table: every route in
//! `http::configure` (read from its source) is described and every described route exists,
//! with the same methods; `/openapi.json` serves it as OpenAPI 3.1.

use std::collections::BTreeSet;

use treaty_broker::http::openapi::{OPERATIONS, document};

use crate::dbtest;
use crate::support::TestApp;

/// `(method, path)` for every route registered in `broker/src/http/mod.rs`.
fn routes_in_the_route_table() -> BTreeSet<(String, String)> {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/http/mod.rs"))
        .expect("read the route table");
    let mut routes = BTreeSet::new();
    for service in source.split(".service(").skip(1) {
        let Some(start) = service.find("resource(") else {
            continue;
        };
        let after = &service[start..];
        let Some(open) = after.find('"') else {
            continue;
        };
        let Some(length) = after[open + 1..].find('"') else {
            continue;
        };
        let path = &after[open + 1..open + 1 + length];
        for method in ["get", "post", "put", "patch", "delete"] {
            if service.contains(&format!(".route({method}()")) {
                routes.insert((method.to_owned(), path.to_owned()));
            }
        }
    }
    routes
}

#[test]
fn every_route_is_described_and_every_description_is_a_route() {
    let table = routes_in_the_route_table();
    assert!(table.len() > 70, "the route table was read: {table:?}");
    let described: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|entry| (entry.method.to_owned(), entry.path.to_owned()))
        .collect();
    assert_eq!(
        described.len(),
        OPERATIONS.len(),
        "no route is described twice"
    );
    let undescribed: Vec<_> = table.difference(&described).collect();
    let phantom: Vec<_> = described.difference(&table).collect();
    assert!(
        undescribed.is_empty(),
        "routes missing from OPERATIONS: {undescribed:?}"
    );
    assert!(
        phantom.is_empty(),
        "OPERATIONS rows with no route: {phantom:?}"
    );
}

#[test]
fn every_schema_reference_resolves() {
    let document = document();
    let text = document.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap_or_default();
        assert!(
            document["components"]["schemas"].get(name).is_some(),
            "#/components/schemas/{name} is defined"
        );
    }
}

dbtest!(
    async fn openapi_json_is_served(backend) {
        let app = TestApp::start(backend).await;
        let reply = app.get("/openapi.json").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body["openapi"], "3.1.0");
        assert!(reply.body["paths"]["/can-i-deploy"]["get"].is_object(), "{}", reply.body);
        assert_eq!(reply.body["paths"].as_object().map(|paths| paths.len()), Some(62));
    }
);
