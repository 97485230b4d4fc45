//! The all-in-one publish request body and its response (§3.1).

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::publish::{ContractInput, ContractOutcome, PublishInput, PublishOutcome};
use crate::http::hal::Links;

/// `POST /contracts/publish` body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishContractsBody {
    /// Consumer name.
    pub pacticipant_name: Option<String>,
    /// Consumer version.
    pub pacticipant_version_number: Option<String>,
    /// Branch.
    pub branch: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// CI build URL.
    pub build_url: Option<String>,
    /// Contracts.
    pub contracts: Option<Vec<PublishContractBody>>,
}

/// One entry of `contracts`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishContractBody {
    /// Must equal `pacticipantName`.
    pub consumer_name: Option<String>,
    /// Provider name.
    pub provider_name: Option<String>,
    /// `pact`.
    pub specification: Option<String>,
    /// `application/json`.
    pub content_type: Option<String>,
    /// Base64 of the pact JSON.
    pub content: Option<String>,
    /// `overwrite` or `merge`.
    pub on_conflict: Option<String>,
}

impl From<PublishContractsBody> for PublishInput {
    fn from(body: PublishContractsBody) -> Self {
        Self {
            pacticipant_name: body.pacticipant_name,
            version_number: body.pacticipant_version_number,
            branch: body.branch,
            tags: body.tags.unwrap_or_default(),
            build_url: body.build_url,
            contracts: body.contracts.map(|contracts| {
                contracts
                    .into_iter()
                    .map(|contract| ContractInput {
                        consumer_name: contract.consumer_name,
                        provider_name: contract.provider_name,
                        specification: contract.specification,
                        content_type: contract.content_type,
                        content: contract.content,
                        on_conflict: contract.on_conflict,
                    })
                    .collect()
            }),
        }
    }
}

fn notice(kind: &str, text: String) -> Value {
    json!({ "type": kind, "text": text })
}

/// The 200 response to a publish.
pub fn publish_response(links: &Links, outcome: &PublishOutcome) -> Value {
    let consumer = outcome.pacticipant.name.as_str();
    let number = outcome.version.number.as_str();
    let mut notices = Vec::new();
    let mut version_text = format!("Consumer {consumer} version {number}");
    if let Some(branch) = &outcome.branch {
        version_text.push_str(&format!(" on branch {branch}"));
    }
    if !outcome.tags.is_empty() {
        version_text.push_str(&format!(" with tags {}", outcome.tags.join(", ")));
    }
    notices.push(notice("debug", format!("{version_text} recorded")));
    let mut contract_links = Vec::new();
    for contract in &outcome.contracts {
        let provider = contract.provider.as_str();
        let url = links.url(&[
            "pacts", "provider", provider, "consumer", consumer, "version", number,
        ]);
        notices.push(match contract.outcome {
            ContractOutcome::Created => notice("success", format!("Pact published for {consumer} version {number} and provider {provider}.")),
            ContractOutcome::Unchanged => notice("success", format!(
                "Pact for {consumer} version {number} and provider {provider} is unchanged: the same content was already published."
            )),
            ContractOutcome::Merged => notice("success", format!("Pact merged into the existing pact for {consumer} version {number} and provider {provider}.")),
            ContractOutcome::Overwritten => notice("warning", format!(
                "Pact for {consumer} version {number} and provider {provider} replaced with different content (--allow-contract-overwrite is on)."
            )),
        });
        notices.push(notice("info", format!("View the published pact at {url}")));
        contract_links.push(json!({
            "href": url,
            "title": "Pact",
            "name": format!("Pact between {consumer} ({number}) and {provider}"),
        }));
    }
    let tag_links: Vec<Value> = outcome
        .tags
        .iter()
        .map(|tag| {
            links.named(
                &["pacticipants", consumer, "versions", number, "tags", tag],
                "Tag",
                tag,
            )
        })
        .collect();
    // The `pact` CLI only prints the notices if `logs` is present too (Ruby sends both).
    let logs: Vec<Value> = notices
        .iter()
        .map(|notice| {
            let level = match notice["type"].as_str() {
                Some("debug") => "debug",
                Some("warning") => "warn",
                Some("error") => "error",
                _ => "info",
            };
            json!({ "level": level, "message": notice["text"], "deprecationWarning": "" })
        })
        .collect();
    json!({
        "notices": notices,
        "logs": logs,
        "_embedded": {
            "pacticipant": { "name": consumer, "_links": { "self": links.link(&["pacticipants", consumer]) } },
            "version": {
                "number": number,
                "_links": { "self": links.named(&["pacticipants", consumer, "versions", number], "Version", number) },
            },
        },
        "_links": {
            "pb:pacticipant": links.named(&["pacticipants", consumer], "Pacticipant", consumer),
            "pb:pacticipant-version": links.named(&["pacticipants", consumer, "versions", number], "Pacticipant version", number),
            "pb:pacticipant-version-tags": tag_links,
            "pb:contracts": contract_links,
        },
    })
}
