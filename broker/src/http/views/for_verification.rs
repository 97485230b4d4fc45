//! The pacts-for-verification answer in the Pact Broker's shape (§4.3): each entry has a
//! `shortDescription`, `verificationProperties` (`pending` only when asked for, `wip` only when
//! true, `notices` always) and a `self` link to the pact with its metadata.

use serde_json::{Map, Value, json};

use crate::domain::for_verification::VerifiablePact;
use crate::http::hal::Links;

/// The pact URL of an entry: `/pacts/provider/P/consumer/C/pact-version/SHA/metadata/M`.
pub fn verifiable_pact_url(links: &Links, verifiable: &VerifiablePact) -> String {
    let token = verifiable.metadata().encode();
    links.url(&[
        "pacts",
        "provider",
        &verifiable.target.provider,
        "consumer",
        &verifiable.pact.consumer,
        "pact-version",
        &verifiable.pact.sha,
        "metadata",
        &token,
    ])
}

fn entry(links: &Links, verifiable: &VerifiablePact) -> Value {
    let url = verifiable_pact_url(links, verifiable);
    let notices: Vec<Value> = verifiable
        .notices(&url)
        .into_iter()
        .map(|notice| json!({ "when": notice.when, "text": notice.text }))
        .collect();
    let mut properties = Map::new();
    if let Some(pending) = verifiable.pending() {
        properties.insert("pending".into(), json!(pending));
    }
    if verifiable.wip {
        properties.insert("wip".into(), json!(true));
    }
    properties.insert("notices".into(), Value::Array(notices));
    json!({
        "shortDescription": verifiable.short_description(),
        "verificationProperties": properties,
        "_links": { "self": { "href": url, "name": verifiable.name() } },
    })
}

/// The whole answer; `self_href` is the for-verification URL that was asked.
pub fn pacts_for_verification(links: &Links, self_href: &str, pacts: &[VerifiablePact]) -> Value {
    let entries: Vec<Value> = pacts.iter().map(|pact| entry(links, pact)).collect();
    json!({
        "_embedded": { "pacts": entries },
        "_links": { "self": { "href": self_href, "title": "Pacts to be verified" } },
    })
}
