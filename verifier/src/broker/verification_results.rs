//! Publishing a verification result (pact-broker-api.md §4.5): the provider version's branch
//! and tags first (`pb:branch-version` and `pb:version-tag` of the provider resource the pact
//! links to as `pb:provider`), then the result itself, `POST`ed to the pact's
//! `pb:publish-verification-results`.
//!
//! Building the body from a run's report is the CLI's business
//! ([`crate::cli::verify`]); here are the wire shape and the calls.

use reqwest::{Method, Url};
use serde::Serialize;
use serde_json::{Value, json};

use super::{BrokerClient, BrokerResponse, hal};
use crate::error::Error;

/// Body of `POST pb:publish-verification-results`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResult {
    /// True when every verified interaction passed (pending or not).
    pub success: bool,
    /// The provider version that was verified.
    pub provider_application_version: String,
    /// The CI build that ran the verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build_url: Option<String>,
    /// Which tool verified it.
    pub verified_by: VerifiedBy,
    /// One entry per verified interaction.
    pub test_results: Vec<TestResult>,
}

/// `verifiedBy`: the implementation and its version.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct VerifiedBy {
    /// Always `treaty`.
    pub implementation: String,
    /// Treaty's version.
    pub version: String,
}

impl VerifiedBy {
    /// This build of Treaty.
    pub fn treaty() -> Self {
        VerifiedBy {
            implementation: "treaty".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// One interaction's result.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TestResult {
    /// The `_id` the broker gave the interaction in its pact document (`""` when it has none).
    pub interaction_id: String,
    /// True when it passed.
    pub success: bool,
    /// The interaction's description.
    pub interaction_description: String,
    /// What differed, when it failed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<ResultMismatch>,
    /// Why it could not be verified (state setup failed, timeout...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<ResultException>,
}

/// A mismatch as the Pact Broker shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResultMismatch {
    /// `method`, `path`, `status`, `query`, `header`, `body` or `metadata`.
    pub attribute: String,
    /// Where: a JSON path, a header or parameter name, or empty.
    pub identifier: String,
    /// The sentence.
    pub description: String,
}

/// An error that stopped an interaction from being verified.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ResultException {
    /// The reason.
    pub message: String,
}

/// The provider version to record before publishing: its number, branch and tags.
#[derive(Debug, Clone, Copy)]
pub struct ProviderVersion<'a> {
    /// `--provider-app-version`.
    pub number: &'a str,
    /// `--provider-version-branch`.
    pub branch: Option<&'a str>,
    /// `--provider-version-tag`s.
    pub tags: &'a [String],
}

/// Puts the provider version on its branch and tags it, through the links of the provider
/// resource at `provider_url` (`PUT … {}`; both are idempotent on the broker).
pub async fn record_provider_version(
    client: &BrokerClient,
    provider_url: &Url,
    version: ProviderVersion<'_>,
) -> Result<(), Error> {
    if version.branch.is_none() && version.tags.is_empty() {
        return Ok(());
    }
    let provider = client.send(Method::GET, provider_url.clone(), None).await?;
    let provider = BrokerClient::expect_success(provider, "request for the provider")?;
    let empty = json!({});
    if let Some(branch) = version.branch {
        let url = link(
            client,
            &provider,
            "pb:branch-version",
            &[("branch", branch), ("version", version.number)],
        )?;
        let answer = client.send(Method::PUT, url, Some(&empty)).await?;
        BrokerClient::expect_success(
            answer,
            &format!(
                "addition of provider version {} to branch {branch}",
                version.number
            ),
        )?;
    }
    for tag in version.tags {
        let url = link(
            client,
            &provider,
            "pb:version-tag",
            &[("version", version.number), ("tag", tag.as_str())],
        )?;
        let answer = client.send(Method::PUT, url, Some(&empty)).await?;
        BrokerClient::expect_success(
            answer,
            &format!("tag {tag} of provider version {}", version.number),
        )?;
    }
    Ok(())
}

/// Posts one verification result to a pact's `pb:publish-verification-results` URL.
pub async fn publish_verification_result(
    client: &BrokerClient,
    publish_url: &Url,
    result: &VerificationResult,
) -> Result<BrokerResponse, Error> {
    let body = serde_json::to_value(result).unwrap_or(Value::Null);
    let answer = client
        .send(Method::POST, publish_url.clone(), Some(&body))
        .await?;
    BrokerClient::expect_success(answer, "verification result")
}

/// The expanded href of `relation` in the provider resource, or what is missing.
fn link(
    client: &BrokerClient,
    provider: &BrokerResponse,
    relation: &str,
    values: &[(&str, &str)],
) -> Result<Url, Error> {
    let href = hal::find_link(&provider.body, relation).ok_or_else(|| Error::BrokerProtocol {
        url: provider.url.to_string(),
        detail: format!("the provider resource has no `{relation}` link"),
    })?;
    client.url_for(&hal::expand(href, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_has_the_pact_broker_shape() {
        let result = VerificationResult {
            success: false,
            provider_application_version: "3.0.0".into(),
            build_url: None,
            verified_by: VerifiedBy::treaty(),
            test_results: vec![
                TestResult {
                    interaction_id: "a1".into(),
                    success: true,
                    interaction_description: "order 1".into(),
                    mismatches: vec![],
                    exceptions: vec![],
                },
                TestResult {
                    interaction_id: "b2".into(),
                    success: false,
                    interaction_description: "order 2".into(),
                    mismatches: vec![ResultMismatch {
                        attribute: "body".into(),
                        identifier: "$.id".into(),
                        description: "$.id: expected a number".into(),
                    }],
                    exceptions: vec![],
                },
            ],
        };
        let value = serde_json::to_value(&result).unwrap();
        assert_eq!(
            value,
            json!({
                "success": false,
                "providerApplicationVersion": "3.0.0",
                "verifiedBy": {"implementation": "treaty", "version": env!("CARGO_PKG_VERSION")},
                "testResults": [
                    {"interactionId": "a1", "success": true, "interactionDescription": "order 1"},
                    {"interactionId": "b2", "success": false, "interactionDescription": "order 2",
                     "mismatches": [{"attribute": "body", "identifier": "$.id", "description": "$.id: expected a number"}]}
                ]
            })
        );
    }
}
