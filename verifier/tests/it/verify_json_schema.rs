//! Treaty's `jsonSchema` matcher end to end: a contract file written as the README shows it,
//! verified by the real `treaty verify` against a provider that does or does not satisfy it.

use serde_json::{Value, json};

use crate::verify_support::{both, contract, provider_answering, stdout, verify, write_contract};

/// The README's example: the order must be an object with an integer id and at least one line.
fn order_contract() -> Value {
    let schema = json!({
        "type": "object",
        "required": ["id", "lines"],
        "properties": {
            "id": { "type": "integer" },
            "lines": { "type": "array", "minItems": 1 }
        }
    });
    let interaction = json!({
        "description": "order 42",
        "request": { "method": "GET", "path": "/orders/42" },
        "response": {
            "status": 200,
            "headers": { "Content-Type": "application/json" },
            "body": { "order": { "id": 1, "lines": [ { "sku": "A" } ] } },
            "matchingRules": { "body": { "$.order": { "matchers": [
                { "match": "jsonSchema", "schema": schema }
            ] } } }
        }
    });
    contract("web", "orders", vec![interaction])
}

#[tokio::test]
async fn a_response_satisfying_the_schema_passes_although_its_values_differ() {
    let body = json!({"order": {"id": 42, "lines": [{"sku": "B"}, {"sku": "C"}]}});
    let provider = provider_answering("/orders/42", 200, body).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_contract(dir.path(), "web-orders.json", &order_contract());

    let output = verify(&[&file, "--provider-base-url", &provider.uri()]).await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
}

#[tokio::test]
async fn a_response_violating_the_schema_fails_at_the_rule_path() {
    let body = json!({"order": {"id": "42", "lines": []}});
    let provider = provider_answering("/orders/42", 200, body).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_contract(dir.path(), "web-orders.json", &order_contract());

    let output = verify(&[&file, "--provider-base-url", &provider.uri()]).await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let text = stdout(&output);
    assert!(
        text.contains("$.order"),
        "the mismatch names the rule's path: {text}"
    );
}
