//! Fixture builders: pact documents and publish request bodies.

use base64::Engine;
use serde_json::{Value, json};

/// A V2 pact between `consumer` and `provider` with one GET interaction per description.
pub(crate) fn pact(consumer: &str, provider: &str, descriptions: &[&str]) -> Value {
    let interactions: Vec<Value> = descriptions
        .iter()
        .map(|description| {
            json!({
                "description": description,
                "request": { "method": "GET", "path": format!("/{}", description.replace(' ', "-")) },
                "response": { "status": 200, "body": { "ok": true } },
            })
        })
        .collect();
    json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": interactions,
        "metadata": { "pactSpecification": { "version": "2.0.0" } },
    })
}

/// Base64 of a JSON document.
pub(crate) fn encode(document: &Value) -> String {
    base64::engine::general_purpose::STANDARD.encode(document.to_string())
}

/// Builds a `POST /contracts/publish` body.
#[derive(Debug, Clone)]
pub(crate) struct PublishBody {
    body: Value,
}

impl PublishBody {
    /// `consumer` version `version` publishing `document` for `provider`.
    pub(crate) fn new(consumer: &str, version: &str, provider: &str, document: &Value) -> Self {
        Self {
            body: json!({
                "pacticipantName": consumer,
                "pacticipantVersionNumber": version,
                "contracts": [contract(consumer, provider, document)],
            }),
        }
    }

    /// Adds `branch`.
    pub(crate) fn branch(mut self, branch: &str) -> Self {
        self.body["branch"] = json!(branch);
        self
    }

    /// Adds `tags`.
    pub(crate) fn tags(mut self, tags: &[&str]) -> Self {
        self.body["tags"] = json!(tags);
        self
    }

    /// Adds another contract.
    pub(crate) fn with_contract(mut self, contract: Value) -> Self {
        if let Some(contracts) = self.body["contracts"].as_array_mut() {
            contracts.push(contract);
        }
        self
    }

    /// Sets `onConflict` on every contract.
    pub(crate) fn on_conflict(mut self, value: &str) -> Self {
        if let Some(contracts) = self.body["contracts"].as_array_mut() {
            for contract in contracts {
                contract["onConflict"] = json!(value);
            }
        }
        self
    }

    /// The JSON body.
    pub(crate) fn build(self) -> Value {
        self.body
    }
}

/// One `contracts` entry as the `pact` CLI sends it.
pub(crate) fn contract(consumer: &str, provider: &str, document: &Value) -> Value {
    json!({
        "consumerName": consumer,
        "providerName": provider,
        "specification": "pact",
        "contentType": "application/json",
        "content": encode(document),
        "onConflict": "overwrite",
    })
}
