//! Verification results in the Pact Broker's shape (§4.5): one result, and lists of results
//! (the history of a pact version, the results of a provider version).

use serde_json::{Map, Value, json};

use crate::domain::verifications::VerificationResult;
use crate::http::hal::Links;

/// The path segments of a pact version: `pacts/provider/P/consumer/C/pact-version/SHA`.
pub fn pact_version_segments<'a>(
    provider: &'a str,
    consumer: &'a str,
    sha: &'a str,
) -> [&'a str; 7] {
    [
        "pacts",
        "provider",
        provider,
        "consumer",
        consumer,
        "pact-version",
        sha,
    ]
}

/// The URL of a pact version's results, or of one of them when `tail` is given (`latest`, a
/// number).
pub fn verification_results_url(
    links: &Links,
    provider: &str,
    consumer: &str,
    sha: &str,
    tail: Option<&str>,
) -> String {
    let mut segments: Vec<&str> = pact_version_segments(provider, consumer, sha).to_vec();
    segments.push("verification-results");
    if let Some(tail) = tail {
        segments.push(tail);
    }
    links.url(&segments)
}

/// One verification result.
pub fn verification(links: &Links, result: &VerificationResult) -> Value {
    let number = result.number.to_string();
    let pact_name = format!("Pact between {} and {}", result.consumer, result.provider);
    let mut body = Map::new();
    body.insert("providerName".into(), json!(result.provider));
    body.insert(
        "providerApplicationVersion".into(),
        json!(result.provider_version),
    );
    body.insert("success".into(), json!(result.success));
    body.insert("verificationDate".into(), json!(result.verified_at));
    if let Some(build_url) = &result.build_url {
        body.insert("buildUrl".into(), json!(build_url));
    }
    if let Some(test_results) = &result.test_results {
        body.insert("testResults".into(), test_results.clone());
    }
    if let Some(verified_by) = &result.verified_by {
        body.insert("verifiedBy".into(), verified_by.clone());
    }
    if result.wip {
        body.insert("wip".into(), json!(true));
    }
    body.insert(
        "_links".into(),
        json!({
            "self": {
                "title": "Verification result",
                "name": format!("Verification result {number} for {pact_name}"),
                "href": verification_results_url(links, &result.provider, &result.consumer, &result.sha, Some(&number)),
            },
            "pb:pact-version": {
                "title": "Pact",
                "name": pact_name,
                "href": links.url(&pact_version_segments(&result.provider, &result.consumer, &result.sha)),
            },
            "pb:provider-version": links.named(
                &["pacticipants", &result.provider, "versions", &result.provider_version],
                "Provider version",
                &result.provider_version,
            ),
        }),
    );
    Value::Object(body)
}

/// A list of results under `_embedded.verificationResults`.
pub fn verification_list(
    links: &Links,
    self_href: &str,
    title: &str,
    results: &[VerificationResult],
) -> Value {
    let embedded: Vec<Value> = results
        .iter()
        .map(|result| verification(links, result))
        .collect();
    json!({
        "_embedded": { "verificationResults": embedded },
        "_links": { "self": { "href": self_href, "title": title } },
    })
}
