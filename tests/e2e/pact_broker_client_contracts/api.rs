//! The broker's HTTP API as the provider states use it: blocking calls that create
//! pacticipants, versions, tags, pacts, verification results and environments, and delete them
//! all again (webhooks first).

use serde_json::{Value, json};

use super::states::set_uuid;
use crate::support::{block_on, http_client};

/// The broker's HTTP API, blocking, for the state server.
pub(super) struct Api<'a> {
    /// The broker's URL.
    pub(super) base: &'a str,
}

/// A published pact: what verification results are posted to.
pub(super) struct PublishedPact {
    verification_results: String,
}

impl Api<'_> {
    /// Sends a request and returns the JSON body of a 2xx answer.
    pub(super) fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, String> {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        block_on(async {
            let mut request = http_client()
                .request(method.clone(), &url)
                .header("Accept", "application/hal+json");
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .map_err(|e| format!("{method} {url}: {e}"))?;
            let status = response.status();
            let json = response.json::<Value>().await.unwrap_or(Value::Null);
            if status.is_success() {
                Ok(json)
            } else {
                Err(format!("{method} {url}: {status} {json}"))
            }
        })
    }

    pub(super) fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> Result<(), String> {
        self.call(method, path, Some(body)).map(drop)
    }

    /// Deletes every webhook, pacticipant and environment.
    pub(super) fn clear(&self) -> Result<(), String> {
        let webhooks = self.call(reqwest::Method::GET, "/webhooks", None)?;
        for webhook in list(&webhooks, "webhooks") {
            let uuid = webhook["uuid"].as_str().unwrap_or_default();
            self.call(reqwest::Method::DELETE, &format!("/webhooks/{uuid}"), None)?;
        }
        let pacticipants = self.call(reqwest::Method::GET, "/pacticipants", None)?;
        for pacticipant in list(&pacticipants, "pacticipants") {
            if let Some(href) = pacticipant["_links"]["self"]["href"].as_str() {
                self.call(reqwest::Method::DELETE, href, None)?;
            }
        }
        let environments = self.call(reqwest::Method::GET, "/environments", None)?;
        for environment in list(&environments, "environments") {
            let uuid = environment["uuid"].as_str().unwrap_or_default();
            self.call(
                reqwest::Method::DELETE,
                &format!("/environments/{uuid}"),
                None,
            )?;
        }
        Ok(())
    }

    /// Creates a pacticipant with no versions.
    pub(super) fn pacticipant(&self, name: &str) -> Result<(), String> {
        self.send(
            reqwest::Method::POST,
            "/pacticipants",
            &json!({ "name": name }),
        )
    }

    pub(super) fn version(&self, pacticipant: &str, version: &str) -> Result<(), String> {
        let path = format!("/pacticipants/{}/versions/{version}", escape(pacticipant));
        self.send(reqwest::Method::PUT, &path, &json!({}))
    }

    pub(super) fn tag(&self, pacticipant: &str, version: &str, tag: &str) -> Result<(), String> {
        let path = format!(
            "/pacticipants/{}/versions/{version}/tags/{tag}",
            escape(pacticipant)
        );
        self.send(reqwest::Method::PUT, &path, &json!({}))
    }

    /// Creates an environment; with `Some((database, uuid))` its UUID is then set to `uuid`.
    pub(super) fn environment(
        &self,
        name: &str,
        uuid: Option<(&str, &str)>,
    ) -> Result<String, String> {
        let body = json!({
            "name": name,
            "displayName": name,
            "production": false,
            "contacts": [{ "name": "foo", "details": { "emailAddress": "foo@bar.com" } }],
        });
        let created = self.call(reqwest::Method::POST, "/environments", Some(&body))?;
        let current = created["uuid"]
            .as_str()
            .ok_or("an environment has a uuid")?;
        match uuid {
            Some((database, uuid)) => {
                set_uuid(database, "environments", current, uuid)?;
                Ok(uuid.to_owned())
            }
            None => Ok(current.to_owned()),
        }
    }

    /// Publishes a pact; `variant` makes its content differ from the other pacts of a state.
    pub(super) fn pact(
        &self,
        consumer: &str,
        version: &str,
        provider: &str,
        variant: u32,
    ) -> Result<PublishedPact, String> {
        // The first variant has no interactions, like TestDataBuilder's pacts (the contract
        // expects `"interactions": []`); each other variant has one more.
        let interactions: Vec<Value> = (1..variant)
            .map(|n| {
                json!({
                    "description": format!("a request {n}"),
                    "request": { "method": "GET", "path": format!("/things/{n}") },
                    "response": { "status": 200 },
                })
            })
            .collect();
        let content = json!({
            "consumer": { "name": consumer },
            "provider": { "name": provider },
            "interactions": interactions,
            "metadata": { "pactSpecification": { "version": "2.0.0" } },
        });
        let path = format!(
            "/pacts/provider/{}/consumer/{}/version/{version}",
            escape(provider),
            escape(consumer)
        );
        let published = self.call(reqwest::Method::PUT, &path, Some(&content))?;
        let verification_results = published["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .ok_or_else(|| format!("no pb:publish-verification-results in {published}"))?
            .to_owned();
        Ok(PublishedPact {
            verification_results,
        })
    }

    pub(super) fn verify(
        &self,
        pact: &PublishedPact,
        provider_version: &str,
        success: bool,
    ) -> Result<(), String> {
        let body = json!({ "success": success, "providerApplicationVersion": provider_version });
        self.send(reqwest::Method::POST, &pact.verification_results, &body)
    }
}

/// The embedded list of a HAL collection (`_embedded.<name>`, or `<name>` at the top).
fn list<'v>(body: &'v Value, name: &str) -> &'v [Value] {
    body["_embedded"][name]
        .as_array()
        .or_else(|| body[name].as_array())
        .map_or(&[], Vec::as_slice)
}

/// A name as a path segment (the names here only have spaces to escape).
fn escape(name: &str) -> String {
    name.replace(' ', "%20")
}
