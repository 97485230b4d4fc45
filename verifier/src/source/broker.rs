//! Contracts from a broker: ask for the provider's pacts for verification, then fetch each pact
//! document, keeping what the broker said about it (why it was selected, pending, WIP, its
//! notices) and what publishing its result needs (`pb:publish-verification-results`,
//! `pb:provider`, the `_id` of each interaction).
//!
//! [`read_pact_document`] is shared with pact URLs given directly, so that a webhook's URL
//! publishes to its own link.

use reqwest::{Method, Url};
use serde_json::Value;

use super::{BrokerContract, BrokerSelection, LoadedContract, Selection, SourceError};
use crate::broker::BrokerClient;
use crate::broker::hal;
use crate::broker::pacts::{
    PactForVerification, PactsForVerification, PactsForVerificationRequest, pacts_for_verification,
};
use crate::error::Error;

/// `when` of the notices shown before verification.
const BEFORE_VERIFICATION: &str = "before_verification";

/// What a broker source gave: its contracts, or why there are none.
#[derive(Debug, Default)]
pub struct FromBroker {
    /// The contracts, in the broker's order.
    pub contracts: Vec<LoadedContract>,
    /// When there are none, why (unknown provider, nothing selected).
    pub empty_reason: Option<String>,
}

/// Asks the broker for the pacts `selection.provider` must verify and fetches each one.
pub async fn load_pacts_for_verification(
    client: &BrokerClient,
    selection: &BrokerSelection,
) -> Result<FromBroker, Error> {
    let request = PactsForVerificationRequest {
        consumer_version_selectors: selection.consumer_version_selectors.clone(),
        provider_version_tags: selection.provider_version_tags.clone(),
        provider_version_branch: selection.provider_version_branch.clone(),
        include_pending_status: selection.include_pending_status,
        include_wip_pacts_since: selection.include_wip_pacts_since.clone(),
    };
    let provider = &selection.provider;
    let origin = client.base_url().as_str().trim_end_matches('/').to_owned();
    let pacts = match pacts_for_verification(client, provider, &request).await? {
        PactsForVerification::UnknownProvider => {
            return Ok(FromBroker {
                contracts: Vec::new(),
                empty_reason: Some(format!(
                    "the broker at {origin} knows no provider `{provider}`: check the spelling of \
                     --provider (names are case-sensitive); a provider exists once a consumer has \
                     published a contract with it"
                )),
            });
        }
        PactsForVerification::Pacts(pacts) => pacts,
    };
    if pacts.is_empty() {
        let selectors = if selection.consumer_version_selectors.is_empty() {
            "the broker's default selectors".to_owned()
        } else {
            let texts: Vec<String> = selection
                .consumer_version_selectors
                .iter()
                .map(Value::to_string)
                .collect();
            format!("the selectors {}", texts.join(", "))
        };
        return Ok(FromBroker {
            contracts: Vec::new(),
            empty_reason: Some(format!(
                "the broker at {origin} has no contract for provider `{provider}` matching \
                 {selectors}: check --consumer-version-selectors and --consumer-version-tags"
            )),
        });
    }
    let mut contracts = Vec::with_capacity(pacts.len());
    for pact in pacts {
        contracts.push(load_pact(client, pact).await?);
    }
    Ok(FromBroker {
        contracts,
        empty_reason: None,
    })
}

/// Fetches one pact for verification and keeps what the broker said about it.
async fn load_pact(
    client: &BrokerClient,
    pact: PactForVerification,
) -> Result<LoadedContract, Error> {
    let href = pact.href().unwrap_or_default();
    let url = client.url_for(href)?;
    let answer = client.send(Method::GET, url.clone(), None).await?;
    let answer = BrokerClient::expect_success(answer, "request for a pact to verify")?;
    let origin = url.to_string();
    let mut loaded = read_pact_document(answer.body, &origin, |href| client.url_for(href).ok())?;
    let properties = pact.verification_properties.clone();
    let (before, after): (Vec<_>, Vec<_>) = properties
        .notices
        .into_iter()
        .partition(|notice| notice.when == BEFORE_VERIFICATION || notice.when.is_empty());
    let broker = loaded.broker.get_or_insert_with(BrokerContract::default);
    broker.selection = Some(Selection {
        reasons: pact.short_description.clone(),
        notices: before.into_iter().map(|notice| notice.text).collect(),
        wip: properties.wip,
    });
    broker.notices_after = after;
    loaded.pending = properties.pending;
    if loaded.consumer_version.is_none() {
        loaded.consumer_version = pact.consumer_version_from_name();
    }
    Ok(loaded)
}

/// Reads a broker's pact document (the stored pact with `_links` and an `_id` per
/// interaction): the contract, its consumer version, the links publishing needs, each `_id`.
/// `resolve` turns an href of the document into the URL to call.
pub fn read_pact_document(
    document: Value,
    origin: &str,
    resolve: impl Fn(&str) -> Option<Url>,
) -> Result<LoadedContract, SourceError> {
    let interaction_ids = interaction_ids(&document);
    let publish_url =
        hal::find_link(&document, "pb:publish-verification-results").and_then(&resolve);
    let provider_url = hal::find_link(&document, "pb:provider").and_then(&resolve);
    let consumer_version = document
        .get("_links")
        .and_then(|links| links.get("pb:consumer-version"))
        .and_then(|link| link.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| super::url::consumer_version_from_url(origin));
    let contract =
        treaty_schemas::parse_contract_value(&document).map_err(|source| SourceError::Invalid {
            origin: origin.to_owned(),
            source,
        })?;
    let broker = publish_url.is_some().then(|| BrokerContract {
        publish_url,
        provider_url,
        interaction_ids,
        ..BrokerContract::default()
    });
    Ok(LoadedContract {
        contract,
        origin: origin.to_owned(),
        consumer_version,
        pending: false,
        broker,
    })
}

/// The `_id` of every entry of `interactions`, then of `messages`: the order the contract
/// model keeps them in.
fn interaction_ids(document: &Value) -> Vec<Option<String>> {
    ["interactions", "messages"]
        .iter()
        .filter_map(|key| document.get(*key)?.as_array())
        .flatten()
        .map(|entry| entry.get("_id").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_broker_document_gives_its_links_ids_and_consumer_version() {
        let base = Url::parse("http://broker:9292").unwrap();
        let document = json!({
            "consumer": {"name": "web"}, "provider": {"name": "orders"},
            "interactions": [
                {"_id": "i1", "description": "a", "request": {"method": "GET", "path": "/a"}, "response": {"status": 200}},
                {"description": "b", "request": {"method": "GET", "path": "/b"}, "response": {"status": 200}}
            ],
            "metadata": {"pactSpecification": {"version": "2.0.0"}},
            "_links": {
                "pb:publish-verification-results": {"href": "http://internal/pacts/provider/orders/consumer/web/pact-version/abc/verification-results"},
                "pb:provider": {"href": "/pacticipants/orders"},
                "pb:consumer-version": {"href": "/pacticipants/web/versions/1.2.3", "name": "1.2.3"}
            }
        });
        let loaded = read_pact_document(document, "http://broker:9292/pacts/x", |href| {
            hal::resolve(&base, href)
        })
        .unwrap();
        let broker = loaded.broker.clone().unwrap();
        assert_eq!(
            broker.publish_url.unwrap().as_str(),
            "http://broker:9292/pacts/provider/orders/consumer/web/pact-version/abc/verification-results"
        );
        assert_eq!(
            broker.provider_url.unwrap().as_str(),
            "http://broker:9292/pacticipants/orders"
        );
        assert_eq!(broker.interaction_ids, [Some("i1".to_owned()), None]);
        assert_eq!(loaded.consumer_version.as_deref(), Some("1.2.3"));
        assert_eq!(loaded.interaction_id(0).as_deref(), Some("i1"));
        assert_eq!(loaded.interaction_id(1), None);
    }

    #[test]
    fn a_plain_pact_has_nowhere_to_publish() {
        let document = json!({
            "consumer": {"name": "web"}, "provider": {"name": "orders"},
            "interactions": [], "metadata": {"pactSpecification": {"version": "2.0.0"}}
        });
        let loaded = read_pact_document(document, "http://h/pact.json", |_| None).unwrap();
        assert!(loaded.broker.is_none());
    }
}
