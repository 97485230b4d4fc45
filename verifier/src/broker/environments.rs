//! Environments through the broker API, as `pact broker` reaches them (pact-broker-api.md
//! §3.3): the collection from the index's `pb:environments`, one environment at
//! `/environments/{uuid}`, created by POST, replaced by PUT, removed by DELETE.

use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde_json::Value;

use crate::broker::hal::encode_segment;
use crate::broker::{BrokerClient, BrokerResponse};
use crate::error::Error;

/// The fields of an environment Treaty reads; the whole body is kept for `--output json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// Public identifier.
    pub uuid: String,
    /// Unique name.
    pub name: String,
    /// Human name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    #[serde(default)]
    pub production: bool,
    /// The whole resource as the broker sent it.
    #[serde(skip)]
    pub body: Value,
}

impl Environment {
    /// Reads an environment resource.
    pub fn from_body(url: &Url, body: Value) -> Result<Environment, Error> {
        let mut environment: Environment =
            serde_json::from_value(body.clone()).map_err(|e| Error::BrokerProtocol {
                url: url.to_string(),
                detail: format!("the environment is not the JSON expected ({e}): {body}"),
            })?;
        environment.body = body;
        Ok(environment)
    }

    /// The href of one of its links.
    pub fn link(&self, relation: &str) -> Option<&str> {
        crate::broker::hal::find_link(&self.body, relation)
    }
}

impl BrokerClient {
    /// `GET <pb:environments>`: every environment, and the whole collection body.
    pub async fn list_environments(&self) -> Result<(Vec<Environment>, Value), Error> {
        let url = self.discover("pb:environments", &[]).await?;
        let response = self.send(Method::GET, url.clone(), None).await?;
        let response = Self::expect_success(response, "environment list")?;
        let entries = response
            .body
            .pointer("/_embedded/environments")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let environments = entries
            .into_iter()
            .map(|entry| Environment::from_body(&url, entry))
            .collect::<Result<_, _>>()?;
        Ok((environments, response.body))
    }

    /// The environment named `name`, read in full, or an error saying how to create one.
    pub async fn find_environment(&self, name: &str) -> Result<Environment, Error> {
        let (environments, _) = self.list_environments().await?;
        let Some(found) = environments.iter().find(|e| e.name == name) else {
            let known: Vec<&str> = environments.iter().map(|e| e.name.as_str()).collect();
            return Err(Error::UnknownInBroker(format!(
                "environment `{name}` does not exist (known: {}): create it with `treaty create-environment --name {name}`",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        };
        self.get_environment(&found.uuid).await
    }

    /// `GET /environments/{uuid}`.
    pub async fn get_environment(&self, uuid: &str) -> Result<Environment, Error> {
        let url = self.environment_url(uuid)?;
        let response = self.send(Method::GET, url.clone(), None).await?;
        let response = Self::found(response, uuid)?;
        Environment::from_body(&url, response.body)
    }

    /// `POST <pb:environments>` with `body`.
    pub async fn create_environment(&self, body: &Value) -> Result<Environment, Error> {
        let url = self.discover("pb:environments", &[]).await?;
        let response = self.send(Method::POST, url.clone(), Some(body)).await?;
        let response = Self::expect_success(response, "creation of the environment")?;
        Environment::from_body(&url, response.body)
    }

    /// `PUT /environments/{uuid}` with `body` (every attribute).
    pub async fn replace_environment(
        &self,
        uuid: &str,
        body: &Value,
    ) -> Result<Environment, Error> {
        let url = self.environment_url(uuid)?;
        let response = self.send(Method::PUT, url.clone(), Some(body)).await?;
        let response = Self::found(response, uuid)?;
        let response = Self::expect_success(response, "update of the environment")?;
        Environment::from_body(&url, response.body)
    }

    /// `DELETE /environments/{uuid}`.
    pub async fn delete_environment(&self, uuid: &str) -> Result<(), Error> {
        let url = self.environment_url(uuid)?;
        let response = self.send(Method::DELETE, url, None).await?;
        Self::found(response, uuid)?;
        Ok(())
    }

    fn environment_url(&self, uuid: &str) -> Result<Url, Error> {
        self.url_for(&format!("/environments/{}", encode_segment(uuid)))
    }

    /// A 404 for an environment as "unknown", anything else as [`Self::expect_success`] says.
    fn found(response: BrokerResponse, uuid: &str) -> Result<BrokerResponse, Error> {
        if response.status == StatusCode::NOT_FOUND {
            return Err(Error::UnknownInBroker(format!(
                "no environment with uuid `{uuid}`: list them with `treaty list-environments`"
            )));
        }
        Self::expect_success(response, "environment request")
    }
}
