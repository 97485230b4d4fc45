//! Deployed and released version resources, their collections per environment, the request
//! bodies, and the environment links of a version resource (pact-broker-api.md §3.4, §3.6).
//!
//! `applicationInstance` and its deprecated twin `target` are omitted when null: the `pact` CLI
//! treats an entry without them as "deployed without an instance".

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::deployments::{DeployedVersion, ReleasedVersion, VersionDeployments};
use crate::domain::environments::Environment;
use crate::http::hal::Links;
use crate::http::views::environments::environment;

/// The body of `POST …/deployed-versions/environment/{uuid}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordDeploymentBody {
    /// The application instance deployed to.
    #[serde(default)]
    pub application_instance: Option<String>,
    /// The beta name of `applicationInstance`.
    #[serde(default)]
    pub target: Option<String>,
}

/// The merge-patch body of `PATCH /deployed-versions/{uuid}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeployedVersionPatch {
    /// `false` records the undeployment.
    #[serde(default)]
    pub currently_deployed: Option<bool>,
}

/// The merge-patch body of `PATCH /released-versions/{uuid}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleasedVersionPatch {
    /// `false` records the end of support.
    #[serde(default)]
    pub currently_supported: Option<bool>,
}

fn embedded_pacticipant_and_version(links: &Links, pacticipant: &str, version: &str) -> Value {
    json!({
        "pacticipant": {
            "name": pacticipant,
            "_links": { "self": { "href": links.url(&["pacticipants", pacticipant]) } },
        },
        "version": {
            "number": version,
            "_links": { "self": {
                "title": "Version",
                "name": version,
                "href": links.url(&["pacticipants", pacticipant, "versions", version]),
            } },
        },
    })
}

fn insert_if_some(body: &mut Value, key: &str, value: Option<&str>) {
    if let (Some(value), Value::Object(fields)) = (value, body) {
        fields.insert(key.into(), json!(value));
    }
}

/// `/deployed-versions/{uuid}`.
pub fn deployed_version_url(links: &Links, uuid: &str) -> String {
    links.url(&["deployed-versions", uuid])
}

/// `/released-versions/{uuid}`.
pub fn released_version_url(links: &Links, uuid: &str) -> String {
    links.url(&["released-versions", uuid])
}

/// A deployed version; the single resource also embeds its environment.
pub fn deployed_version(links: &Links, item: &DeployedVersion, with_environment: bool) -> Value {
    let mut embedded = embedded_pacticipant_and_version(links, &item.pacticipant, &item.version);
    if let (true, Value::Object(fields)) = (with_environment, &mut embedded) {
        fields.insert("environment".into(), environment(links, &item.environment));
    }
    let mut body = json!({
        "uuid": item.uuid,
        "currentlyDeployed": item.currently_deployed,
        "createdAt": item.created_at,
        "_embedded": embedded,
        "_links": { "self": { "href": deployed_version_url(links, &item.uuid) } },
    });
    let instance = item.application_instance.as_deref();
    insert_if_some(&mut body, "applicationInstance", instance);
    insert_if_some(&mut body, "target", instance);
    insert_if_some(&mut body, "undeployedAt", item.undeployed_at.as_deref());
    body
}

/// A released version; the single resource also embeds its environment.
pub fn released_version(links: &Links, item: &ReleasedVersion, with_environment: bool) -> Value {
    let mut embedded = embedded_pacticipant_and_version(links, &item.pacticipant, &item.version);
    if let (true, Value::Object(fields)) = (with_environment, &mut embedded) {
        fields.insert("environment".into(), environment(links, &item.environment));
    }
    let mut body = json!({
        "uuid": item.uuid,
        "currentlySupported": item.currently_supported,
        // Not in the Pact Broker: `pact broker describe-version --environment` reads this
        // field (and prints "Unknown" without it).
        "currentlyReleased": item.currently_supported,
        "createdAt": item.created_at,
        "_embedded": embedded,
        "_links": { "self": { "href": released_version_url(links, &item.uuid) } },
    });
    insert_if_some(
        &mut body,
        "supportEndedAt",
        item.support_ended_at.as_deref(),
    );
    body
}

/// A collection of deployed versions under `self_href` (which keeps the query string).
pub fn deployed_list(
    links: &Links,
    items: &[DeployedVersion],
    self_href: &str,
    title: &str,
) -> Value {
    let entries: Vec<Value> = items
        .iter()
        .map(|item| deployed_version(links, item, false))
        .collect();
    json!({
        "_embedded": { "deployedVersions": entries },
        "_links": { "self": { "href": self_href, "title": title } },
    })
}

/// A collection of released versions under `self_href` (which keeps the query string).
pub fn released_list(
    links: &Links,
    items: &[ReleasedVersion],
    self_href: &str,
    title: &str,
) -> Value {
    let entries: Vec<Value> = items
        .iter()
        .map(|item| released_version(links, item, false))
        .collect();
    json!({
        "_embedded": { "releasedVersions": entries },
        "_links": { "self": { "href": self_href, "title": title } },
    })
}

/// `…/deployed-versions/currently-deployed` of an environment.
pub fn currently_deployed_list(
    links: &Links,
    environment: &Environment,
    items: &[DeployedVersion],
    self_href: &str,
) -> Value {
    let title = format!(
        "Currently deployed versions for {}",
        environment.display_name
    );
    deployed_list(links, items, self_href, &title)
}

/// `…/released-versions/currently-supported` of an environment.
pub fn currently_supported_list(
    links: &Links,
    environment: &Environment,
    items: &[ReleasedVersion],
    self_href: &str,
) -> Value {
    let title = format!(
        "Currently supported versions in {}",
        environment.display_name
    );
    released_list(links, items, self_href, &title)
}

/// Fills a rendered version resource's `pb:record-deployment` and `pb:record-release` (one
/// entry per environment, `name` = the environment's name, which the `pact` CLI matches), and
/// `pb:deployed-environments` and `pb:released-environments` (where this version went).
pub fn add_version_environment_links(
    body: &mut Value,
    links: &Links,
    pacticipant: &str,
    number: &str,
    deployments: &VersionDeployments,
) {
    let record = |kind: &str, verb: &str| -> Value {
        deployments
            .environments
            .iter()
            .map(|environment| {
                json!({
                    "title": format!("Record {verb} to {}", environment.display_name),
                    "name": environment.name,
                    "href": links.url(&["pacticipants", pacticipant, "versions", number, kind, "environment", &environment.uuid]),
                })
            })
            .collect()
    };
    let deployed: Vec<Value> = deployments
        .deployed
        .iter()
        .map(|item| {
            let mut link = json!({
                "title": format!("Version deployed to {}", item.environment.display_name),
                "name": item.environment.display_name,
                "href": deployed_version_url(links, &item.uuid),
                "currentlyDeployed": item.currently_deployed,
            });
            insert_if_some(
                &mut link,
                "applicationInstance",
                item.application_instance.as_deref(),
            );
            link
        })
        .collect();
    let released: Vec<Value> = deployments
        .released
        .iter()
        .map(|item| {
            json!({
                "title": format!("Version released to {}", item.environment.display_name),
                "name": item.environment.display_name,
                "href": released_version_url(links, &item.uuid),
                "currentlySupported": item.currently_supported,
            })
        })
        .collect();
    if let Some(Value::Object(fields)) = body.get_mut("_links") {
        fields.insert(
            "pb:record-deployment".into(),
            record("deployed-versions", "deployment"),
        );
        fields.insert(
            "pb:record-release".into(),
            record("released-versions", "release"),
        );
        fields.insert("pb:deployed-environments".into(), Value::Array(deployed));
        fields.insert("pb:released-environments".into(), Value::Array(released));
    }
}
