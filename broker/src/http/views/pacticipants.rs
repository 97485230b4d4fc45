//! Pacticipant resources and the pacticipant request body.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::names::display_name_from;
use crate::domain::pacticipants::{Pacticipant, PacticipantDetails, PacticipantPatch};
use crate::http::hal::Links;

/// A pacticipant body for POST, PUT and PATCH (merge-patch: a key set to `null` clears it).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PacticipantBody {
    /// Name; must match the path when both are given.
    #[serde(default)]
    pub name: Option<String>,
    /// Human name.
    #[serde(default, deserialize_with = "present")]
    pub display_name: Option<Option<String>>,
    /// Repository URL.
    #[serde(default, deserialize_with = "present")]
    pub repository_url: Option<Option<String>>,
    /// Main branch.
    #[serde(default, deserialize_with = "present")]
    pub main_branch: Option<Option<String>>,
}

/// Distinguishes a key set to `null` (`Some(None)`) from an absent key (`None`).
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

impl PacticipantBody {
    /// The attribute changes carried by this body.
    pub fn patch(&self) -> PacticipantPatch {
        PacticipantPatch {
            display_name: self.display_name.clone(),
            repository_url: self.repository_url.clone(),
            main_branch: self.main_branch.clone(),
        }
    }
}

/// `_links` of a pacticipant.
fn pacticipant_links(links: &Links, name: &str) -> Value {
    json!({
        "self": links.link(&["pacticipants", name]),
        "pb:versions": links.link(&["pacticipants", name, "versions"]),
        "versions": links.link(&["pacticipants", name, "versions"]),
        "pb:branches": links.link(&["pacticipants", name, "branches"]),
        "pb:latest-version": links.link(&["pacticipants", name, "latest-version"]),
        "pb:version": links.template_under(&["pacticipants", name], "/versions/{version}"),
        "pb:version-tag": links.template_under(&["pacticipants", name], "/versions/{version}/tags/{tag}"),
        "pb:branch-version": links.template_under(&["pacticipants", name], "/branches/{branch}/versions/{version}"),
        "pb:deployed-environments": [],
    })
}

/// A pacticipant as listed.
pub fn pacticipant_summary(links: &Links, row: &Pacticipant) -> Value {
    let mut body = Map::new();
    body.insert("name".into(), json!(row.name));
    body.insert(
        "displayName".into(),
        json!(
            row.display_name
                .clone()
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| display_name_from(&row.name))
        ),
    );
    if let Some(url) = &row.repository_url {
        body.insert("repositoryUrl".into(), json!(url));
    }
    if let Some(branch) = &row.main_branch {
        body.insert("mainBranch".into(), json!(branch));
    }
    body.insert("createdAt".into(), json!(row.created_at));
    if row.updated_at != row.created_at {
        body.insert("updatedAt".into(), json!(row.updated_at));
    }
    body.insert("_links".into(), pacticipant_links(links, &row.name));
    Value::Object(body)
}

/// A pacticipant resource.
pub fn pacticipant(links: &Links, details: &PacticipantDetails) -> Value {
    let mut body = pacticipant_summary(links, &details.pacticipant);
    let mut embedded = Map::new();
    if let Some(version) = &details.latest_version {
        let latest = json!({
            "number": version.number,
            "_links": { "self": links.link(&["pacticipants", &details.pacticipant.name, "versions", &version.number]) },
        });
        embedded.insert("latestVersion".into(), latest.clone());
        embedded.insert("latest-version".into(), latest);
    }
    embedded.insert(
        "labels".into(),
        Value::Array(
            details
                .labels
                .iter()
                .map(|label| {
                    json!({
                        "name": label,
                        "_links": { "self": links.link(&["pacticipants", &details.pacticipant.name, "labels", label]) },
                    })
                })
                .collect(),
        ),
    );
    if let Value::Object(fields) = &mut body {
        fields.insert("_embedded".into(), Value::Object(embedded));
    }
    body
}

/// The pacticipant list as the Pact Broker sends it: `_embedded.pacticipants` (each entry with
/// its latest version embedded), the deprecated top-level `pacticipants` array the CLI reads,
/// and the `pb:pacticipants` and deprecated `pacticipants` link arrays.
pub fn pacticipant_list(links: &Links, list: &[PacticipantDetails]) -> Value {
    let items: Vec<Value> = list
        .iter()
        .map(|details| pacticipant(links, details))
        .collect();
    let link_items = |title_of: &dyn Fn(&str) -> (String, String)| -> Vec<Value> {
        list.iter()
            .map(|details| {
                let name = details.pacticipant.name.as_str();
                let (title, link_name) = title_of(name);
                json!({
                    "href": links.url(&["pacticipants", name]),
                    "title": title,
                    "name": link_name,
                })
            })
            .collect()
    };
    json!({
        "pacticipants": items,
        "_embedded": { "pacticipants": items },
        "_links": {
            "self": links.link(&["pacticipants"]),
            "pb:pacticipant": links.template("/pacticipants/{pacticipant}"),
            "pb:pacticipants": link_items(&|name| ("Pacticipant".to_owned(), name.to_owned())),
            "pacticipants": link_items(&|name| {
                (name.to_owned(), "DEPRECATED - please use pb:pacticipants".to_owned())
            }),
        },
    })
}

/// A label resource.
pub fn label(links: &Links, label: &crate::domain::pacticipants::Label) -> Value {
    json!({
        "name": label.name,
        "createdAt": label.created_at,
        "_links": {
            "self": {
                "title": "Label",
                "name": label.name,
                "href": links.url(&["pacticipants", &label.pacticipant, "labels", &label.name]),
            },
            "pacticipant": {
                "title": "Pacticipant",
                "name": label.pacticipant,
                "href": links.url(&["pacticipants", &label.pacticipant]),
            },
        },
    })
}
