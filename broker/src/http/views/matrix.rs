//! The matrix and can-i-deploy response in the Pact Broker's shape (§3.2): `summary` with the
//! tri-state `deployable`, `notices` (what the `pact` CLI prints: the Pact Broker's texts, then
//! Treaty's explanation), and `matrix` rows with versions, branches, environments, tags, the
//! pact and the verification result. Each row also carries Treaty's `explanation` of it.

use serde_json::{Value, json};

use crate::domain::matrix::decide::DecidedRow;
use crate::domain::matrix::explain::{explain_row, reason_text};
use crate::domain::matrix::load::MatrixAnswer;
use crate::domain::matrix::{Pacticipant, VersionFacts};
use crate::http::hal::Links;

/// The whole response body.
pub fn matrix(links: &Links, answer: &MatrixAnswer, self_href: &str) -> Value {
    let verdict = &answer.verdict;
    let reason = verdict
        .reasons
        .iter()
        .map(reason_text)
        .collect::<Vec<_>>()
        .join("\n");
    let mut summary = json!({
        "deployable": verdict.deployable,
        "reason": reason,
        "success": verdict.counts.success,
        "failed": verdict.counts.failed,
        "unknown": verdict.counts.unknown,
    });
    if let (Some(ignored), Value::Object(fields)) = (verdict.counts.ignored, &mut summary) {
        fields.insert("ignored".into(), json!(ignored));
    }
    let notices: Vec<Value> = verdict
        .reasons
        .iter()
        .map(|reason| json!({ "type": reason.notice_type(), "text": reason_text(reason) }))
        .chain(answer.explanation.iter().map(|line| {
            json!({ "type": line.outcome.notice_type(), "text": line.text, "explanation": true })
        }))
        .collect();
    let rows: Vec<Value> = verdict
        .considered
        .iter()
        .map(|decided| row(links, answer, decided, false))
        .chain(
            verdict
                .ignored
                .iter()
                .map(|decided| row(links, answer, decided, true)),
        )
        .collect();
    json!({
        "summary": summary,
        "notices": notices,
        "matrix": rows,
        "_links": { "self": { "href": self_href } },
    })
}

fn row(links: &Links, answer: &MatrixAnswer, decided: &DecidedRow, ignored: bool) -> Value {
    let row = &decided.row;
    let (consumer, provider) = (row.consumer.name.as_str(), row.provider.name.as_str());
    let integration = ["pacts", "provider", provider, "consumer", consumer];
    let mut pact_path: Vec<&str> = integration.to_vec();
    pact_path.extend(["version", row.consumer_version.number.as_str()]);
    let verification = row.verification.as_ref().map(|verification| {
        let number = verification.number.to_string();
        let mut path: Vec<&str> = integration.to_vec();
        path.extend([
            "pact-version",
            row.pact_sha.as_str(),
            "verification-results",
            number.as_str(),
        ]);
        json!({
            "success": verification.success,
            "verifiedAt": verification.verified_at,
            "_links": { "self": links.link(&path) },
        })
    });
    let mut body = json!({
        "consumer": side(links, &row.consumer, Some(&row.consumer_version)),
        "provider": side(links, &row.provider, row.provider_version.as_ref()),
        "pact": {
            "createdAt": row.pact_created_at,
            "_links": { "self": links.link(&pact_path) },
        },
        "verificationResult": verification,
        "explanation": explain_row(&answer.facts, decided).text,
    });
    if let (true, Value::Object(fields)) = (ignored, &mut body) {
        fields.insert("ignored".into(), json!(true));
    }
    body
}

fn side(links: &Links, pacticipant: &Pacticipant, version: Option<&VersionFacts>) -> Value {
    let name = pacticipant.name.as_str();
    json!({
        "name": name,
        "version": version.map(|version| version_body(links, name, version)),
        "_links": { "self": links.link(&["pacticipants", name]) },
    })
}

fn version_body(links: &Links, pacticipant: &str, version: &VersionFacts) -> Value {
    let number = version.number.as_str();
    let branches: Vec<Value> = version
        .branches
        .iter()
        .map(|branch| {
            json!({
                "name": branch,
                "_links": { "self": links.link(&["pacticipants", pacticipant, "branches", branch, "versions", number]) },
            })
        })
        .collect();
    let environments: Vec<Value> = version
        .environments
        .iter()
        .map(|environment| {
            json!({
                "uuid": environment.uuid,
                "name": environment.name,
                "displayName": environment.display_name.clone().unwrap_or_else(|| environment.name.clone()),
                "production": environment.production,
                "_links": { "self": links.link(&["environments", &environment.uuid]) },
            })
        })
        .collect();
    let tags: Vec<Value> = version
        .tags
        .iter()
        .map(|tag| {
            json!({
                "name": tag,
                "_links": { "self": links.link(&["pacticipants", pacticipant, "versions", number, "tags", tag]) },
            })
        })
        .collect();
    json!({
        "number": number,
        "branch": version.branches.last(),
        "branches": branches,
        "branchVersions": branches,
        "environments": environments,
        "tags": tags,
        "_links": { "self": links.link(&["pacticipants", pacticipant, "versions", number]) },
    })
}
