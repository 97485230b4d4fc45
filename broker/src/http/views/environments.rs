//! Environment resources and the environment request body, in the Pact Broker's shape: every
//! entry has `uuid`, `name`, `displayName` and `production` (the `pact` CLI panics on a missing
//! `displayName`), and the links the deployment commands follow.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::environments::{Environment, EnvironmentInput};
use crate::http::hal::Links;

/// The body of `POST /environments` and `PUT /environments/{uuid}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentBody {
    /// Unique name without spaces.
    #[serde(default)]
    pub name: Option<String>,
    /// Human name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Must be a boolean; kept raw so that a wrong type is reported on the field.
    #[serde(default)]
    pub production: Option<Value>,
    /// An array of `{name, details}` objects.
    #[serde(default)]
    pub contacts: Option<Value>,
}

impl EnvironmentBody {
    /// The domain's unvalidated input.
    pub fn input(self) -> EnvironmentInput {
        EnvironmentInput {
            name: self.name,
            display_name: self.display_name,
            production: self.production,
            contacts: self.contacts,
        }
    }
}

/// `/environments/{uuid}`.
pub fn environment_url(links: &Links, uuid: &str) -> String {
    links.url(&["environments", uuid])
}

/// An environment resource.
pub fn environment(links: &Links, environment: &Environment) -> Value {
    let uuid = environment.uuid.as_str();
    let display = environment.display_name.as_str();
    let mut body = json!({
        "uuid": uuid,
        "name": environment.name,
        "displayName": display,
        "production": environment.production,
        "createdAt": environment.created_at,
        "_links": {
            "self": { "title": "Environment", "name": environment.name, "href": environment_url(links, uuid) },
            "pb:currently-deployed-deployed-versions": {
                "title": format!("Versions currently deployed to {display} environment"),
                "href": links.url(&["environments", uuid, "deployed-versions", "currently-deployed"]),
            },
            "pb:currently-supported-released-versions": {
                "title": format!("Versions released and supported in {display} environment"),
                "href": links.url(&["environments", uuid, "released-versions", "currently-supported"]),
            },
            "pb:environments": { "title": "Environments", "href": links.url(&["environments"]) },
        },
    });
    if let Value::Object(fields) = &mut body {
        if let Some(contacts) = &environment.contacts {
            fields.insert("contacts".into(), contacts.clone());
        }
        if environment.updated_at != environment.created_at {
            fields.insert("updatedAt".into(), json!(environment.updated_at));
        }
    }
    body
}

/// The environments collection (`GET /environments`).
pub fn environment_list(links: &Links, environments: &[Environment]) -> Value {
    let items: Vec<Value> = environments
        .iter()
        .map(|item| environment(links, item))
        .collect();
    let link_list: Vec<Value> = environments
        .iter()
        .map(|item| {
            json!({ "title": "Environment", "name": item.name, "href": environment_url(links, &item.uuid) })
        })
        .collect();
    json!({
        "_embedded": { "environments": items },
        "_links": {
            "self": { "title": "Environments", "href": links.url(&["environments"]) },
            "pb:environments": link_list,
        },
    })
}
