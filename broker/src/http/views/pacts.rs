//! Pact documents and pact listings in the Pact Broker's shapes (§3.8, §4.1, §4.4).

use serde_json::{Value, json};

use crate::domain::pacts::{Pact, PactSummary};
use crate::http::hal::Links;

/// The title the Pact Broker gives a pact link.
fn pact_title(consumer: &str, version: &str, provider: &str) -> String {
    format!("Pact between {consumer} ({version}) and {provider}")
}

/// A pact document: the stored JSON plus `createdAt` and `_links`.
pub fn pact_document(links: &Links, pact: &Pact) -> Value {
    pact_document_with_metadata(links, pact, None)
}

/// A pact document fetched through `…/pact-version/SHA/metadata/M`: its publish link keeps the
/// metadata, so that the result posted through it is attributed (WIP) as the pact was handed out.
pub fn pact_document_with_metadata(links: &Links, pact: &Pact, metadata: Option<&str>) -> Value {
    let (consumer, provider, version, sha) = (
        pact.consumer.as_str(),
        pact.provider.as_str(),
        pact.consumer_version.as_str(),
        pact.sha.as_str(),
    );
    let integration = ["pacts", "provider", provider, "consumer", consumer];
    let with = |tail: &[&'static str], last: &str| -> String {
        let mut segments: Vec<&str> = integration.to_vec();
        segments.extend_from_slice(tail);
        if !last.is_empty() {
            segments.push(last);
        }
        links.url(&segments)
    };
    let title = pact_title(consumer, version, provider);
    let pact_version_href = {
        let mut segments: Vec<&str> = integration.to_vec();
        segments.extend(["pact-version", sha]);
        if let Some(metadata) = metadata {
            segments.extend(["metadata", metadata]);
        }
        links.url(&segments)
    };
    let mut document = pact.document.clone();
    document.insert("createdAt".into(), json!(pact.created_at));
    document.insert(
        "_links".into(),
        json!({
            "self": { "href": with(&["version"], version), "title": "Pact", "name": title },
            "pb:consumer": links.named(&["pacticipants", consumer], "Consumer", consumer),
            "pb:provider": links.named(&["pacticipants", provider], "Provider", provider),
            "pb:consumer-version": links.named(&["pacticipants", consumer, "versions", version], "Consumer version", version),
            "pb:pact-version": { "href": with(&["pact-version"], sha), "title": "Pact content version permalink", "name": sha },
            "pb:latest-pact-version": { "href": with(&["latest"], ""), "title": "Latest version of this pact", "name": title },
            "pb:latest-tagged-pact-version": links.template_under(&integration, "/latest/{tag}"),
            "pb:publish-verification-results": {
                "href": format!("{pact_version_href}/verification-results"),
                "title": "Publish verification results",
                "name": title,
            },
            "pb:latest-verification-results": {
                "href": format!("{}/verification-results/latest", with(&["pact-version"], sha)),
                "title": "Latest verification results",
            },
        }),
    );
    serde_json::Value::Object(document)
}

/// The link to a listed pact (by consumer version), titled as the Pact Broker titles it.
pub fn pact_link(links: &Links, summary: &PactSummary) -> Value {
    links.named(
        &[
            "pacts",
            "provider",
            &summary.provider,
            "consumer",
            &summary.consumer,
            "version",
            &summary.consumer_version,
        ],
        &pact_title(
            &summary.consumer,
            &summary.consumer_version,
            &summary.provider,
        ),
        &summary.consumer,
    )
}

/// `GET /pacts/latest`: list-latest-pact-versions shape.
pub fn latest_pacts(links: &Links, summaries: &[PactSummary]) -> Value {
    let pacts: Vec<Value> = summaries
        .iter()
        .map(|summary| {
            json!({
                "createdAt": summary.created_at,
                "_embedded": {
                    "consumer": {
                        "name": summary.consumer,
                        "_links": { "self": links.link(&["pacticipants", &summary.consumer]) },
                        "_embedded": { "version": { "number": summary.consumer_version } },
                    },
                    "provider": {
                        "name": summary.provider,
                        "_links": { "self": links.link(&["pacticipants", &summary.provider]) },
                    },
                },
                "_links": {
                    "self": [
                        links.link(&["pacts", "provider", &summary.provider, "consumer", &summary.consumer, "latest"]),
                        pact_link(links, summary),
                    ],
                },
            })
        })
        .collect();
    let pact_links: Vec<Value> = summaries
        .iter()
        .map(|summary| pact_link(links, summary))
        .collect();
    json!({
        "pacts": pacts,
        "_links": { "self": links.link(&["pacts", "latest"]), "pb:pacts": pact_links, "pacts": pact_links },
    })
}

/// A provider's pacts (`GET /pacts/provider/P[/latest][/T]`, `…/tag/T`) in the Pact Broker's
/// provider-pacts shape: `pb:pacts` links `{href, title, name}` and the deprecated `pacts` copy
/// the verifier still reads. `self_link` is `{href, title}`.
pub fn provider_pacts(
    links: &Links,
    self_link: Value,
    provider: &str,
    summaries: &[PactSummary],
) -> Value {
    let pact_links: Vec<Value> = summaries
        .iter()
        .map(|summary| pact_link(links, summary))
        .collect();
    json!({
        "_links": {
            "self": self_link,
            "pb:provider": links.named(&["pacticipants", provider], "Provider", provider),
            "provider": links.named(&["pacticipants", provider], "Provider", provider),
            "pb:pacts": pact_links,
            "pacts": pact_links,
        },
    })
}

/// A provider's pacts by consumer branch: `_embedded.pacts` plus the `pb:pacts` (and
/// deprecated `pacts`) links the `get-pacts` command reads.
pub fn branch_pacts(
    links: &Links,
    self_href: &str,
    provider: &str,
    summaries: &[PactSummary],
) -> Value {
    let pact_links: Vec<Value> = summaries
        .iter()
        .map(|summary| pact_link(links, summary))
        .collect();
    let embedded: Vec<Value> = summaries
        .iter()
        .map(|summary| {
            json!({
                "createdAt": summary.created_at,
                "_embedded": {
                    "consumer": { "name": summary.consumer, "_embedded": { "version": { "number": summary.consumer_version } } },
                    "provider": { "name": summary.provider },
                },
                "_links": { "self": pact_link(links, summary) },
            })
        })
        .collect();
    json!({
        "_embedded": { "pacts": embedded },
        "_links": {
            "self": { "href": self_href, "title": format!("Pacts for the provider {provider}") },
            "pb:provider": links.named(&["pacticipants", provider], "Provider", provider),
            "pb:pacts": pact_links,
            "pacts": pact_links,
        },
    })
}
