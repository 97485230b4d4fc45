//! Version, branch and tag resources, and the version request body.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::versions::{Branch, BranchDetails, Tag, VersionDetails, VersionSummary};
use crate::http::hal::Links;
use crate::http::views::pacts::pact_link;

/// The body of `PUT /pacticipants/P/versions/V`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionBody {
    /// CI build URL.
    #[serde(default)]
    pub build_url: Option<String>,
}

/// A tag on a version.
pub fn tag(links: &Links, pacticipant: &str, version: &str, row: &Tag) -> Value {
    json!({
        "name": row.name,
        "createdAt": row.created_at,
        "_links": {
            "self": links.link(&["pacticipants", pacticipant, "versions", version, "tags", &row.name]),
            "pb:version": links.link(&["pacticipants", pacticipant, "versions", version]),
            "pb:pacticipant": links.link(&["pacticipants", pacticipant]),
        },
    })
}

/// A version resource.
pub fn version(links: &Links, details: &VersionDetails) -> Value {
    let pacticipant = details.pacticipant.as_str();
    let number = details.version.number.as_str();
    let tags: Vec<Value> = details
        .tags
        .iter()
        .map(|row| tag(links, pacticipant, number, row))
        .collect();
    let branch_versions: Vec<Value> = details
        .branches
        .iter()
        .map(|branch| {
            json!({
                "name": branch.name,
                "latest": branch.latest,
                "_links": { "self": links.link(&["pacticipants", pacticipant, "branches", &branch.name, "versions", number]) },
            })
        })
        .collect();
    let pact_versions: Vec<Value> = details
        .pacts
        .iter()
        .map(|summary| {
            let mut link = pact_link(links, summary);
            link["title"] = json!("Pact");
            link["name"] = json!(format!(
                "Pact between {} ({}) and {}",
                summary.consumer, summary.consumer_version, summary.provider
            ));
            link
        })
        .collect();
    let mut body = json!({
        "number": number,
        "createdAt": details.version.created_at,
        "_embedded": { "branchVersions": branch_versions, "branches": branch_versions, "tags": tags },
        "_links": {
            "self": links.named(&["pacticipants", pacticipant, "versions", number], "Version", number),
            "pb:pacticipant": links.named(&["pacticipants", pacticipant], "Pacticipant", pacticipant),
            "pb:tag": links.template_under(&["pacticipants", pacticipant, "versions", number], "/tags/{tag}"),
            "pb:record-deployment": [],
            "pb:record-release": [],
            "pb:deployed-environments": [],
            "pb:released-environments": [],
            "pb:pact-versions": pact_versions,
        },
    });
    if let (Some(url), Value::Object(fields)) = (&details.version.build_url, &mut body) {
        fields.insert("buildUrl".into(), json!(url));
    }
    body
}

/// A short version entry for lists.
pub fn version_summary(links: &Links, pacticipant: &str, row: &VersionSummary) -> Value {
    json!({
        "number": row.number,
        "createdAt": row.created_at,
        "_links": { "self": links.named(&["pacticipants", pacticipant, "versions", &row.number], "Version", &row.number) },
    })
}

/// The versions of a pacticipant, newest first.
pub fn version_list(links: &Links, pacticipant: &str, rows: &[VersionSummary]) -> Value {
    let items: Vec<Value> = rows
        .iter()
        .map(|row| version_summary(links, pacticipant, row))
        .collect();
    json!({
        "_embedded": { "versions": items },
        "_links": { "self": links.link(&["pacticipants", pacticipant, "versions"]) },
    })
}

/// A branch resource.
pub fn branch(
    links: &Links,
    pacticipant: &str,
    row: &Branch,
    head: Option<&VersionSummary>,
) -> Value {
    let mut body = json!({
        "name": row.name,
        "createdAt": row.created_at,
        "_links": {
            "self": links.link(&["pacticipants", pacticipant, "branches", &row.name]),
            "pb:pacticipant": links.link(&["pacticipants", pacticipant]),
            "pb:versions": links.link(&["pacticipants", pacticipant, "branches", &row.name, "versions"]),
        },
    });
    if let (Some(head), Value::Object(fields)) = (head, &mut body) {
        fields.insert(
            "_embedded".into(),
            json!({ "latestVersion": version_summary(links, pacticipant, head) }),
        );
    }
    body
}

/// The branches of a pacticipant.
pub fn branch_list(links: &Links, pacticipant: &str, rows: &[Branch]) -> Value {
    let items: Vec<Value> = rows
        .iter()
        .map(|row| branch(links, pacticipant, row, None))
        .collect();
    json!({
        "_embedded": { "branches": items },
        "_links": { "self": links.link(&["pacticipants", pacticipant, "branches"]) },
    })
}

/// The versions of a branch, newest first.
pub fn branch_version_list(
    links: &Links,
    details: &BranchDetails,
    versions: &[VersionSummary],
) -> Value {
    let pacticipant = details.pacticipant.as_str();
    let items: Vec<Value> = versions
        .iter()
        .map(|row| version_summary(links, pacticipant, row))
        .collect();
    json!({
        "_embedded": { "versions": items },
        "_links": { "self": links.link(&["pacticipants", pacticipant, "branches", &details.branch.name, "versions"]) },
    })
}
