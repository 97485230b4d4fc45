//! Publishing contracts: find `pb:publish-contracts` in the index, then one
//! `POST /contracts/publish` per (consumer, provider) pact, as `pact broker publish` does.

use reqwest::{Method, Url};
use serde_json::Value;

use crate::broker::BrokerClient;
use crate::broker::wire::{Notice, PublishContractsRequest, PublishContractsResponse};
use crate::error::Error;

/// The broker's answer to one accepted publication.
#[derive(Debug, Clone)]
pub struct Published {
    /// The notices the broker sent (what was created, what was unchanged).
    pub notices: Vec<Notice>,
    /// The whole response body, for `--output json`.
    pub body: Value,
}

impl BrokerClient {
    /// The URL of `pb:publish-contracts`, discovered from the index.
    pub async fn publish_contracts_url(&self) -> Result<Url, Error> {
        self.discover("pb:publish-contracts", &[]).await
    }

    /// Posts one publication to `endpoint`. `what` names it in a refusal
    /// (`publication of web -> orders for version 1.0.0`).
    pub async fn publish_contracts(
        &self,
        endpoint: &Url,
        request: &PublishContractsRequest,
        what: &str,
    ) -> Result<Published, Error> {
        let body = serde_json::to_value(request).map_err(|e| Error::BrokerProtocol {
            url: endpoint.to_string(),
            detail: format!("could not encode the publish request: {e}"),
        })?;
        let response = self
            .send(Method::POST, endpoint.clone(), Some(&body))
            .await?;
        let response = Self::expect_success(response, what)?;
        // Any 2xx is a success, even an empty or unexpected body (as for the Pact CLI).
        let parsed: PublishContractsResponse =
            serde_json::from_value(response.body.clone()).unwrap_or_default();
        Ok(Published {
            notices: parsed.notices,
            body: response.body,
        })
    }
}
