//! Pacts for verification (`pb:provider-pacts-for-verification`, pact-broker-api.md §4.1–4.3):
//! the request body Treaty posts, the parts of the answer it reads, and the three calls that
//! get it (the index, the templated resource, the `POST` to its `self` link). Fetching each
//! pact document is the caller's business ([`crate::source::broker`]).
//!
//! Without selectors the body carries none, so the broker applies its default selectors; the
//! legacy `pb:latest-provider-pacts` path is never used.

use reqwest::{Method, StatusCode, Url};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{BrokerClient, hal, wire};
use crate::error::Error;

/// The relation in the broker's index that leads to a provider's pacts for verification.
pub const PACTS_FOR_VERIFICATION: &str = "pb:provider-pacts-for-verification";

/// Body of the `POST` (§4.2); every selector goes out exactly as the user wrote it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PactsForVerificationRequest {
    /// The consumer version selectors; omitted when empty, so the broker uses its defaults.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumer_version_selectors: Vec<Value>,
    /// The provider version's tags, for pending and WIP.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provider_version_tags: Vec<String>,
    /// The provider version's branch, for pending, WIP and `matchingBranch`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_version_branch: Option<String>,
    /// Always sent; true with `--enable-pending`.
    pub include_pending_status: bool,
    /// `--include-wip-pacts-since`, verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_wip_pacts_since: Option<String>,
}

/// One entry of `_embedded.pacts` in the answer (§4.3).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct PactForVerification {
    /// Why it was selected, in a few words (`latest from branch main`).
    #[serde(rename = "shortDescription", default)]
    pub short_description: String,
    /// The pending and WIP flags and the broker's notices.
    #[serde(rename = "verificationProperties", default)]
    pub verification_properties: VerificationProperties,
    /// `self` is the pact document to fetch.
    #[serde(rename = "_links", default)]
    pub links: Value,
}

/// `verificationProperties` of a pact for verification.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct VerificationProperties {
    /// True when the pact's failures must not fail the build.
    #[serde(default)]
    pub pending: bool,
    /// True for a work-in-progress pact (always pending too).
    #[serde(default)]
    pub wip: bool,
    /// What the broker says about the pact, before and after verification.
    #[serde(default)]
    pub notices: Vec<VerificationNotice>,
}

/// A notice with the moment it applies to: `before_verification`, or
/// `after_verification:success_{true,false}_published_{true,false}`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct VerificationNotice {
    /// When the notice applies.
    #[serde(default)]
    pub when: String,
    /// The text.
    #[serde(default)]
    pub text: String,
}

/// What the broker answered for a provider.
#[derive(Debug, Clone, PartialEq)]
pub enum PactsForVerification {
    /// The broker knows the provider; here are its pacts (maybe none).
    Pacts(Vec<PactForVerification>),
    /// The broker has no pacticipant of that name (404).
    UnknownProvider,
}

impl PactForVerification {
    /// The pact document's URL (`_links.self.href`).
    pub fn href(&self) -> Option<&str> {
        self.links.get("self")?.get("href")?.as_str()
    }

    /// The consumer version in the link's name, `Pact between web (1.2.3) and orders`.
    pub fn consumer_version_from_name(&self) -> Option<String> {
        let name = self.links.get("self")?.get("name")?.as_str()?;
        let open = name.find(" (")?;
        let close = name[open..].find(')')? + open;
        Some(name[open + 2..close].to_owned())
    }
}

/// Asks the broker which pacts `provider` must verify: the index, the templated
/// `pb:provider-pacts-for-verification`, then a `POST` of `request` to that resource's `self`.
pub async fn pacts_for_verification(
    client: &BrokerClient,
    provider: &str,
    request: &PactsForVerificationRequest,
) -> Result<PactsForVerification, Error> {
    let url = client
        .discover(PACTS_FOR_VERIFICATION, &[("provider", provider)])
        .await?;
    let resource = client.send(Method::GET, url.clone(), None).await?;
    if resource.status == StatusCode::NOT_FOUND {
        return Ok(PactsForVerification::UnknownProvider);
    }
    let resource = BrokerClient::expect_success(resource, "request for pacts for verification")?;
    let post_url = match hal::find_link(&resource.body, "self") {
        Some(href) => client.url_for(href)?,
        None => url,
    };
    let body = serde_json::to_value(request).map_err(|e| Error::BrokerProtocol {
        url: post_url.to_string(),
        detail: format!("could not encode the request: {e}"),
    })?;
    let answer = client.send(Method::POST, post_url, Some(&body)).await?;
    match answer.status {
        StatusCode::NOT_FOUND => return Ok(PactsForVerification::UnknownProvider),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            return Err(refused_selection(&answer.url, &answer.body));
        }
        _ => {}
    }
    let answer = BrokerClient::expect_success(answer, "request for pacts for verification")?;
    parse_answer(&answer.url, &answer.body).map(PactsForVerification::Pacts)
}

/// The entries of `_embedded.pacts`; each must have a `self` link to fetch.
pub fn parse_answer(url: &Url, body: &Value) -> Result<Vec<PactForVerification>, Error> {
    let entries = body
        .get("_embedded")
        .and_then(|embedded| embedded.get("pacts"))
        .and_then(Value::as_array)
        .ok_or_else(|| Error::BrokerProtocol {
            url: url.to_string(),
            detail: "expected `_embedded.pacts`, an array of pacts to verify".to_owned(),
        })?;
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let pact: PactForVerification =
                serde_json::from_value(entry.clone()).map_err(|e| Error::BrokerProtocol {
                    url: url.to_string(),
                    detail: format!("`_embedded.pacts[{index}]` is not a pact to verify: {e}"),
                })?;
            if pact.href().is_none() {
                return Err(Error::BrokerProtocol {
                    url: url.to_string(),
                    detail: format!("`_embedded.pacts[{index}]` has no `_links.self.href`"),
                });
            }
            Ok(pact)
        })
        .collect()
}

/// A 400 on the selectors is a usage problem (exit 2): the broker's own words, and what to check.
fn refused_selection(url: &Url, body: &Value) -> Error {
    let mut message = format!(
        "the broker at {} refused the request for pacts for verification:",
        url.origin().ascii_serialization()
    );
    let lines = wire::error_lines(body);
    if lines.is_empty() {
        message.push_str(&format!("\n  {body}"));
    }
    for line in lines {
        message.push_str("\n  ");
        message.push_str(&line);
    }
    message.push_str(
        "\ncheck --consumer-version-selectors, --provider-version-branch and --include-wip-pacts-since",
    );
    Error::Usage(message)
}

impl BrokerClient {
    /// True when `url` is on this client's broker (same scheme, host and port), so that its
    /// credentials may be sent there.
    pub fn is_same_origin(&self, url: &Url) -> bool {
        url.origin() == self.base.origin()
    }

    /// A client for the broker that serves `url`: this one when it is the same origin, else
    /// one for that origin, without credentials.
    pub fn for_url(&self, url: &Url) -> Result<BrokerClient, Error> {
        if self.is_same_origin(url) {
            return Ok(self.clone());
        }
        BrokerClient::new(&url.origin().ascii_serialization(), None, self.retry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_request_omits_what_was_not_given_and_always_says_pending() {
        let request = PactsForVerificationRequest::default();
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"includePendingStatus": false})
        );
        let request = PactsForVerificationRequest {
            consumer_version_selectors: vec![
                json!({"mainBranch": true}),
                json!({"deployedOrReleased": true, "unknown": 1}),
            ],
            provider_version_tags: vec!["prod".into()],
            provider_version_branch: Some("main".into()),
            include_pending_status: true,
            include_wip_pacts_since: Some("2026-01-01".into()),
        };
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({
                "consumerVersionSelectors": [{"mainBranch": true}, {"deployedOrReleased": true, "unknown": 1}],
                "providerVersionTags": ["prod"],
                "providerVersionBranch": "main",
                "includePendingStatus": true,
                "includeWipPactsSince": "2026-01-01"
            })
        );
    }

    #[test]
    fn the_answer_keeps_flags_notices_and_links() {
        let url = Url::parse("http://b/pacts/provider/orders/for-verification").unwrap();
        let body = json!({"_embedded": {"pacts": [
            {"shortDescription": "latest from branch main",
             "verificationProperties": {"pending": true, "wip": true,
                 "notices": [{"when": "before_verification", "text": "why"}]},
             "_links": {"self": {"href": "/pacts/x", "name": "Pact between web (1.2.3) and orders"}}},
            {"shortDescription": "deployed", "_links": {"self": {"href": "/pacts/y"}}}
        ]}});
        let pacts = parse_answer(&url, &body).unwrap();
        assert_eq!(pacts.len(), 2);
        assert!(pacts[0].verification_properties.pending && pacts[0].verification_properties.wip);
        assert_eq!(pacts[0].verification_properties.notices[0].text, "why");
        assert_eq!(pacts[0].href(), Some("/pacts/x"));
        assert_eq!(
            pacts[0].consumer_version_from_name().as_deref(),
            Some("1.2.3")
        );
        assert!(!pacts[1].verification_properties.pending);
        assert_eq!(pacts[1].consumer_version_from_name(), None);
    }

    #[test]
    fn an_answer_without_pacts_or_links_is_a_protocol_error() {
        let url = Url::parse("http://b/p").unwrap();
        let missing = parse_answer(&url, &json!({})).unwrap_err().to_string();
        assert!(missing.contains("`_embedded.pacts`"), "{missing}");
        let no_self = json!({"_embedded": {"pacts": [{"shortDescription": "x", "_links": {}}]}});
        let error = parse_answer(&url, &no_self).unwrap_err().to_string();
        assert!(
            error.contains("`_embedded.pacts[0]` has no `_links.self.href`"),
            "{error}"
        );
    }
}
