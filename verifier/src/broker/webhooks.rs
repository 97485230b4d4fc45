//! Webhooks through the broker API (pact-broker-api.md §3.7): created by POST to `/webhooks` or
//! to `/webhooks/provider/{p}/consumer/{c}`, created or replaced by PUT to `/webhooks/{uuid}`,
//! listed at `/webhooks`, run once by POST to `/webhooks/{uuid}/execute`, removed by DELETE, and
//! their deliveries read at `/webhooks/{uuid}/deliveries`.
//!
//! The paths are fixed rather than discovered from the index: they are the Pact Broker's, and
//! Treaty's broker serves the same ones. Running a webhook is not repeated once the broker has
//! answered (it may have called the target), see [`BrokerClient::execute_webhook`].

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::broker::hal::encode_segment;
use crate::broker::{BrokerClient, BrokerResponse, wire};
use crate::error::Error;

/// Where a webhook definition is sent, which decides the method and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookAddress {
    /// `PUT /webhooks/{uuid}`: create the webhook with this uuid, or replace it.
    Uuid(String),
    /// `POST /webhooks/provider/{provider}/consumer/{consumer}`: a new webhook for one pair of
    /// named pacticipants (the body names neither).
    Pacticipants {
        /// The consumer's name.
        consumer: String,
        /// The provider's name.
        provider: String,
    },
    /// `POST /webhooks`: a new webhook whose scope is in the body.
    Collection,
}

impl WebhookAddress {
    /// The HTTP method the definition is sent with.
    pub fn method(&self) -> Method {
        match self {
            WebhookAddress::Uuid(_) => Method::PUT,
            WebhookAddress::Pacticipants { .. } | WebhookAddress::Collection => Method::POST,
        }
    }

    /// The path, with every name or uuid percent-encoded as one segment.
    pub fn path(&self) -> String {
        match self {
            WebhookAddress::Uuid(uuid) => webhook_path(uuid),
            WebhookAddress::Pacticipants { consumer, provider } => format!(
                "/webhooks/provider/{}/consumer/{}",
                encode_segment(provider),
                encode_segment(consumer)
            ),
            WebhookAddress::Collection => "/webhooks".to_owned(),
        }
    }
}

/// What saving a webhook definition did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new webhook (201, or any 2xx to a POST).
    Created,
    /// An existing webhook was replaced (200 to a PUT).
    Updated,
}

/// `/webhooks/{uuid}`.
fn webhook_path(uuid: &str) -> String {
    format!("/webhooks/{}", encode_segment(uuid))
}

impl BrokerClient {
    /// Sends a webhook definition to `address`; returns whether it was created or replaced, and
    /// the broker's answer (the webhook resource).
    pub async fn save_webhook(
        &self,
        address: &WebhookAddress,
        body: &Value,
    ) -> Result<(Saved, BrokerResponse), Error> {
        let url = self.url_for(&address.path())?;
        let response = self.send(address.method(), url, Some(body)).await?;
        if response.status == StatusCode::NOT_FOUND {
            let mut message = match address {
                WebhookAddress::Pacticipants { consumer, provider } => format!(
                    "the broker knows no consumer `{consumer}` or no provider `{provider}`: publish a contract between them first, or use --consumer-label/--provider-label"
                ),
                _ => {
                    "the broker answered 404 to the webhook definition: check the pacticipant names"
                        .to_owned()
                }
            };
            for line in wire::error_lines(&response.body) {
                message.push_str("\n  ");
                message.push_str(&line);
            }
            return Err(Error::UnknownInBroker(message));
        }
        let response = Self::expect_success(response, "webhook definition")?;
        let saved = match (address, response.status) {
            (WebhookAddress::Uuid(_), StatusCode::OK) => Saved::Updated,
            _ => Saved::Created,
        };
        Ok((saved, response))
    }

    /// `GET /webhooks`: the whole collection body.
    pub async fn list_webhooks(&self) -> Result<Value, Error> {
        let url = self.url_for("/webhooks")?;
        let response = self.send(Method::GET, url, None).await?;
        Ok(Self::expect_success(response, "webhook list")?.body)
    }

    /// `POST /webhooks/{uuid}/execute` with `{}`: the broker runs the webhook once and answers
    /// with what happened (2xx when the target answered 2xx, 502 with `success: false` when it
    /// did not or could not be reached).
    ///
    /// Returned as it came whatever the status, except 404 (unknown uuid). The request is sent
    /// again only when no connection could be made or the broker answered 429, since after any
    /// other answer the target may have been called.
    pub async fn execute_webhook(&self, uuid: &str) -> Result<BrokerResponse, Error> {
        let url = self.url_for(&format!("{}/execute", webhook_path(uuid)))?;
        let body = Value::Object(serde_json::Map::new());
        let response = self
            .send_retrying_only(Method::POST, url, Some(&body), |status| {
                status == StatusCode::TOO_MANY_REQUESTS
            })
            .await?;
        Self::webhook_found(response, uuid)
    }

    /// `DELETE /webhooks/{uuid}`.
    pub async fn delete_webhook(&self, uuid: &str) -> Result<(), Error> {
        let url = self.url_for(&webhook_path(uuid))?;
        let response = self.send(Method::DELETE, url, None).await?;
        let response = Self::webhook_found(response, uuid)?;
        Self::expect_success(response, "deletion of the webhook")?;
        Ok(())
    }

    /// `GET /webhooks/{uuid}/deliveries`: the whole body.
    pub async fn list_webhook_deliveries(&self, uuid: &str) -> Result<Value, Error> {
        let url = self.url_for(&format!("{}/deliveries", webhook_path(uuid)))?;
        let response = self.send(Method::GET, url, None).await?;
        let response = Self::webhook_found(response, uuid)?;
        Ok(Self::expect_success(response, "webhook delivery list")?.body)
    }

    /// A 404 as "no such webhook" (exit 2, as for an unknown environment); anything else is
    /// returned for the caller to judge.
    fn webhook_found(response: BrokerResponse, uuid: &str) -> Result<BrokerResponse, Error> {
        if response.status == StatusCode::NOT_FOUND {
            return Err(Error::UnknownInBroker(format!(
                "no webhook with uuid `{uuid}`: list them with `treaty list-webhooks`"
            )));
        }
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_decides_method_and_encoded_path() {
        let put = WebhookAddress::Uuid("a b/c".into());
        assert_eq!(put.method(), Method::PUT);
        assert_eq!(put.path(), "/webhooks/a%20b%2Fc");
        let pair = WebhookAddress::Pacticipants {
            consumer: "Web App".into(),
            provider: "orders/v2".into(),
        };
        assert_eq!(pair.method(), Method::POST);
        assert_eq!(
            pair.path(),
            "/webhooks/provider/orders%2Fv2/consumer/Web%20App"
        );
        assert_eq!(WebhookAddress::Collection.method(), Method::POST);
        assert_eq!(WebhookAddress::Collection.path(), "/webhooks");
    }
}
