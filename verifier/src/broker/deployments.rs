//! Deployments, releases and versions through the broker API, in the request order of
//! `pact broker` (pact-broker-api.md §3.4, §3.6): a version resource's `pb:record-deployment`
//! and `pb:record-release` arrays (one entry per environment, matched by `name`), an
//! environment's currently-deployed and currently-supported collections, and merge-patches of
//! one deployed or released version.

use reqwest::{Method, StatusCode, Url};
use serde_json::{Value, json};

use crate::broker::BrokerClient;
use crate::broker::environments::Environment;
use crate::broker::hal::{self, encode_segment};
use crate::error::Error;

/// One entry of a currently-deployed or currently-supported collection.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvironmentEntry {
    /// The pacticipant's name.
    pub pacticipant: String,
    /// The version number.
    pub version: String,
    /// The application instance (deployments only).
    pub application_instance: Option<String>,
    /// The entry's own URL, to PATCH.
    pub href: String,
    /// The whole entry.
    pub body: Value,
}

impl EnvironmentEntry {
    fn from_body(body: Value) -> Option<EnvironmentEntry> {
        let text = |pointer: &str| {
            body.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Some(EnvironmentEntry {
            pacticipant: text("/_embedded/pacticipant/name")?,
            version: text("/_embedded/version/number")?,
            application_instance: text("/applicationInstance").or_else(|| text("/target")),
            href: text("/_links/self/href")?,
            body,
        })
    }
}

/// Which of an environment's collections to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// `pb:currently-deployed-deployed-versions`.
    Deployed,
    /// `pb:currently-supported-released-versions`.
    Released,
}

impl Holding {
    fn relation(self) -> &'static str {
        match self {
            Holding::Deployed => "pb:currently-deployed-deployed-versions",
            Holding::Released => "pb:currently-supported-released-versions",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Holding::Deployed => "deployedVersions",
            Holding::Released => "releasedVersions",
        }
    }
}

impl BrokerClient {
    /// `GET /pacticipants/P/versions/V`, or an error naming the missing version.
    pub async fn get_version(&self, pacticipant: &str, version: &str) -> Result<Value, Error> {
        let url = self.version_url(pacticipant, version)?;
        let response = self.send(Method::GET, url, None).await?;
        if response.status == StatusCode::NOT_FOUND {
            return Err(Error::UnknownInBroker(format!(
                "version `{version}` of pacticipant `{pacticipant}` not found: publish it first, or create it with `treaty create-version-tag --auto-create-version`"
            )));
        }
        Ok(Self::expect_success(response, "version request")?.body)
    }

    /// Records a deployment (`relation` = `pb:record-deployment`) or a release
    /// (`pb:record-release`) of a version to the environment named `environment`.
    pub async fn record_in_environment(
        &self,
        relation: &str,
        pacticipant: &str,
        version: &str,
        environment: &str,
        body: &Value,
    ) -> Result<Value, Error> {
        let resource = self.get_version(pacticipant, version).await?;
        let links = resource
            .pointer(&format!("/_links/{}", relation.replace('/', "~1")))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let Some(href) = links
            .iter()
            .find(|link| link.get("name").and_then(Value::as_str) == Some(environment))
            .and_then(|link| link.get("href").and_then(Value::as_str))
        else {
            let known: Vec<&str> = links
                .iter()
                .filter_map(|l| l.get("name")?.as_str())
                .collect();
            return Err(Error::UnknownInBroker(format!(
                "environment `{environment}` does not exist (known: {}): create it with `treaty create-environment --name {environment}`",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        };
        let url = self.url_for(href)?;
        let response = self.send(Method::POST, url, Some(body)).await?;
        let what = format!("record of {pacticipant} version {version} in {environment}");
        Ok(Self::expect_success(response, &what)?.body)
    }

    /// What an environment currently holds for `pacticipant` (all pacticipants when `None`).
    pub async fn environment_holdings(
        &self,
        environment: &Environment,
        holding: Holding,
        pacticipant: Option<&str>,
    ) -> Result<Vec<EnvironmentEntry>, Error> {
        let href = environment
            .link(holding.relation())
            .or_else(|| match holding {
                Holding::Deployed => environment.link("pb:currently-deployed-versions"),
                Holding::Released => None,
            })
            .ok_or_else(|| Error::BrokerProtocol {
                url: self.base_url().to_string(),
                detail: format!(
                    "environment `{}` has no `{}` link; is the broker older than Pact Broker 2.80?",
                    environment.name,
                    holding.relation()
                ),
            })?;
        let mut url = self.url_for(href)?;
        if let Some(pacticipant) = pacticipant {
            url.query_pairs_mut()
                .append_pair("pacticipant", pacticipant);
        }
        let response = self.send(Method::GET, url.clone(), None).await?;
        let response = Self::expect_success(response, "environment listing")?;
        let entries = response
            .body
            .pointer(&format!("/_embedded/{}", holding.key()))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        entries
            .into_iter()
            .map(|entry| {
                EnvironmentEntry::from_body(entry.clone()).ok_or_else(|| Error::BrokerProtocol {
                    url: url.to_string(),
                    detail: format!(
                        "an entry lacks its pacticipant, version or self link: {entry}"
                    ),
                })
            })
            .filter(|entry| match (entry, pacticipant) {
                (Ok(entry), Some(name)) => entry.pacticipant == name,
                _ => true,
            })
            .collect()
    }

    /// Merge-patches one deployed version (`{"currentlyDeployed": false}`) or released version
    /// (`{"currentlySupported": false}`).
    pub async fn end_in_environment(
        &self,
        entry: &EnvironmentEntry,
        field: &str,
    ) -> Result<Value, Error> {
        let url = self.url_for(&entry.href)?;
        let body = json!({ field: false });
        let response = self.send(Method::PATCH, url, Some(&body)).await?;
        let what = format!("update of {} version {}", entry.pacticipant, entry.version);
        Ok(Self::expect_success(response, &what)?.body)
    }

    /// `PUT /pacticipants/P/versions/V/tags/T`.
    pub async fn put_version_tag(
        &self,
        pacticipant: &str,
        version: &str,
        tag: &str,
    ) -> Result<Value, Error> {
        let url = self.url_for(&format!(
            "/pacticipants/{}/versions/{}/tags/{}",
            encode_segment(pacticipant),
            encode_segment(version),
            encode_segment(tag)
        ))?;
        let response = self
            .send(Method::PUT, url, Some(&json!({ "name": tag })))
            .await?;
        let what = format!("tag `{tag}` on {pacticipant} version {version}");
        Ok(Self::expect_success(response, &what)?.body)
    }

    /// The version a `describe-version` asks for: a number, the latest with a tag, or the
    /// latest, through the index's templates.
    pub async fn describe_version(
        &self,
        pacticipant: &str,
        version: Option<&str>,
        latest_tag: Option<&str>,
    ) -> Result<Value, Error> {
        let url: Url = match (version, latest_tag) {
            (Some(version), _) => {
                self.discover(
                    "pb:pacticipant-version",
                    &[("pacticipant", pacticipant), ("version", version)],
                )
                .await?
            }
            (None, Some(tag)) => {
                self.discover(
                    "pb:latest-tagged-version",
                    &[("pacticipant", pacticipant), ("tag", tag)],
                )
                .await?
            }
            (None, None) => {
                self.discover("pb:latest-version", &[("pacticipant", pacticipant)])
                    .await?
            }
        };
        let response = self.send(Method::GET, url, None).await?;
        if response.status == StatusCode::NOT_FOUND {
            let which = match (version, latest_tag) {
                (Some(version), _) => format!("version `{version}`"),
                (None, Some(tag)) => format!("a version tagged `{tag}`"),
                (None, None) => "any version".to_owned(),
            };
            return Err(Error::UnknownInBroker(format!(
                "pacticipant `{pacticipant}` has no {which} in the broker"
            )));
        }
        Ok(Self::expect_success(response, "version request")?.body)
    }

    fn version_url(&self, pacticipant: &str, version: &str) -> Result<Url, Error> {
        self.url_for(&hal::expand(
            "/pacticipants/{pacticipant}/versions/{version}",
            &[("pacticipant", pacticipant), ("version", version)],
        ))
    }
}
