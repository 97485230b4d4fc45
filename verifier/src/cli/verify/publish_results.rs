//! `treaty verify --publish`: one verification result per verified contract, sent to the
//! contract's own `pb:publish-verification-results` link after the provider version was put on
//! its branch and tagged; then the broker's `after_verification` notices that fit the outcome.
//!
//! [`verification_result`] builds the body from a contract's report as a pure function; the
//! rest only sends it and says what happened. A result that could not be published is reported
//! and counted, and the run goes on.

use std::io::Write;

use reqwest::Url;

use super::broker_config::PublishConfig;
use crate::broker::BrokerClient;
use crate::broker::verification_results::{
    ProviderVersion, ResultException, ResultMismatch, TestResult, VerificationResult, VerifiedBy,
    publish_verification_result, record_provider_version,
};
use crate::replay::{ContractReport, InteractionOutcome};
use crate::source::LoadedContract;

/// How publishing went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// Results the broker accepted.
    pub published: usize,
    /// Results that could not be published (reported on standard error).
    pub failed: usize,
}

/// The result of one contract: `success` when no interaction failed (pending or not), one test
/// result per verified interaction. `None` when nothing in it was verified (every interaction
/// skipped or filtered out): there is nothing to tell the broker.
pub fn verification_result(
    contract: &ContractReport,
    publish: &PublishConfig,
) -> Option<VerificationResult> {
    let test_results: Vec<TestResult> = contract
        .interactions
        .iter()
        .filter(|interaction| !matches!(interaction.outcome, InteractionOutcome::Skipped { .. }))
        .map(|interaction| {
            let (mismatches, exceptions) = match &interaction.outcome {
                InteractionOutcome::Failed { mismatches } => (
                    mismatches
                        .iter()
                        .map(|mismatch| ResultMismatch {
                            attribute: mismatch.part.clone(),
                            identifier: mismatch.path.clone(),
                            description: mismatch.message.clone(),
                        })
                        .collect(),
                    Vec::new(),
                ),
                InteractionOutcome::Error { reason, .. } => (
                    Vec::new(),
                    vec![ResultException {
                        message: reason.clone(),
                    }],
                ),
                InteractionOutcome::Passed | InteractionOutcome::Skipped { .. } => {
                    (Vec::new(), Vec::new())
                }
            };
            TestResult {
                interaction_id: interaction.interaction_id.clone().unwrap_or_default(),
                success: !interaction.outcome.is_failure(),
                interaction_description: interaction.description.clone(),
                mismatches,
                exceptions,
            }
        })
        .collect();
    if test_results.is_empty() {
        return None;
    }
    Some(VerificationResult {
        success: test_results.iter().all(|result| result.success),
        provider_application_version: publish.provider_app_version.clone(),
        build_url: publish.build_url.clone(),
        verified_by: VerifiedBy::treaty(),
        test_results,
    })
}

/// Publishes the result of every contract in `pairs` (its loaded form and its report), writing
/// a line per contract to `out` and a warning per failure to standard error.
pub async fn publish_all(
    client: &BrokerClient,
    pairs: &[(&LoadedContract, &ContractReport)],
    publish: &PublishConfig,
    out: &mut dyn Write,
) -> std::io::Result<Published> {
    let mut outcome = Published::default();
    let mut recorded_providers: Vec<Url> = Vec::new();
    for (loaded, report) in pairs {
        let name = contract_name(report);
        let Some(result) = verification_result(report, publish) else {
            writeln!(
                out,
                "Not publishing a result for {name}: none of its interactions was verified"
            )?;
            continue;
        };
        let attempt = publish_one(client, loaded, &result, publish, &mut recorded_providers).await;
        let published = attempt.is_ok();
        match attempt {
            Ok(url) => {
                outcome.published += 1;
                let verdict = if result.success { "success" } else { "failure" };
                writeln!(
                    out,
                    "Published the verification result of {name} ({verdict}, provider version {}) to {url}",
                    publish.provider_app_version
                )?;
            }
            Err(reason) => {
                outcome.failed += 1;
                eprintln!(
                    "treaty: warning: the verification result of {name} was not published: {reason}"
                );
            }
        }
        write_notices_after(loaded, result.success, published, out)?;
    }
    Ok(outcome)
}

/// Writes the broker's `after_verification` notices that fit a contract's outcome.
pub fn write_notices_after(
    loaded: &LoadedContract,
    success: bool,
    published: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let Some(broker) = &loaded.broker else {
        return Ok(());
    };
    let when = format!("after_verification:success_{success}_published_{published}");
    for notice in broker.notices_after.iter().filter(|n| n.when == when) {
        writeln!(out, "  {}", notice.text)?;
    }
    Ok(())
}

/// Records the provider version (once per provider resource), then posts the result.
async fn publish_one(
    client: &BrokerClient,
    loaded: &LoadedContract,
    result: &VerificationResult,
    publish: &PublishConfig,
    recorded_providers: &mut Vec<Url>,
) -> Result<Url, String> {
    let broker = loaded.broker.as_ref();
    let publish_url = broker
        .and_then(|broker| broker.publish_url.clone())
        .ok_or_else(|| {
            format!(
                "{} has no `pb:publish-verification-results` link; is it a pact URL from a broker?",
                loaded.origin
            )
        })?;
    let client = client
        .for_url(&publish_url)
        .map_err(|error| error.to_string())?;
    let version = ProviderVersion {
        number: &publish.provider_app_version,
        branch: publish.provider_version_branch.as_deref(),
        tags: &publish.provider_version_tags,
    };
    if version.branch.is_some() || !version.tags.is_empty() {
        let provider_url = broker
            .and_then(|broker| broker.provider_url.clone())
            .ok_or_else(|| {
                format!(
                    "{} has no `pb:provider` link, needed to put the provider version on its \
                     branch or tag it",
                    loaded.origin
                )
            })?;
        if !recorded_providers.contains(&provider_url) {
            record_provider_version(&client, &provider_url, version)
                .await
                .map_err(|error| error_text(&error))?;
            recorded_providers.push(provider_url);
        }
    }
    publish_verification_result(&client, &publish_url, result)
        .await
        .map_err(|error| error_text(&error))?;
    Ok(publish_url)
}

/// `web 1.2.3` or `web` when the version is unknown.
fn contract_name(report: &ContractReport) -> String {
    match &report.consumer_version {
        Some(version) => format!("{} {version}", report.consumer),
        None => report.consumer.clone(),
    }
}

/// An error with its causes on one line.
fn error_text(error: &crate::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::replay::{ErrorKind, InteractionReport, MismatchReport};

    fn interaction(id: Option<&str>, outcome: InteractionOutcome) -> InteractionReport {
        InteractionReport {
            description: format!("interaction {}", id.unwrap_or("without id")),
            provider_states: vec![],
            request: "GET /".into(),
            outcome,
            duration: Duration::ZERO,
            pending: false,
            interaction_id: id.map(str::to_owned),
        }
    }

    fn contract(interactions: Vec<InteractionReport>) -> ContractReport {
        ContractReport {
            consumer: "web".into(),
            provider: "orders".into(),
            source: "http://b/pacts/x".into(),
            consumer_version: Some("1".into()),
            pending: true,
            selection: None,
            interactions,
        }
    }

    fn publish() -> PublishConfig {
        PublishConfig {
            provider_app_version: "2.0.0".into(),
            provider_version_branch: None,
            provider_version_tags: vec![],
            build_url: Some("https://ci/1".into()),
        }
    }

    #[test]
    fn a_failure_is_published_as_one_with_its_mismatches_and_errors_even_when_pending() {
        let mismatch = MismatchReport {
            part: "body".into(),
            path: "$.id".into(),
            expected: None,
            actual: None,
            message: "$.id: expected a number".into(),
        };
        let report = contract(vec![
            interaction(Some("a"), InteractionOutcome::Passed),
            interaction(
                Some("b"),
                InteractionOutcome::Failed {
                    mismatches: vec![mismatch],
                },
            ),
            interaction(
                None,
                InteractionOutcome::Error {
                    kind: ErrorKind::Timeout,
                    reason: "no answer within 5s".into(),
                },
            ),
            interaction(
                Some("d"),
                InteractionOutcome::Skipped {
                    reason: "message".into(),
                },
            ),
        ]);
        let result = verification_result(&report, &publish()).unwrap();
        let body = serde_json::to_value(&result).unwrap();
        assert_eq!(body["success"], false);
        assert_eq!(body["providerApplicationVersion"], "2.0.0");
        assert_eq!(body["buildUrl"], "https://ci/1");
        assert_eq!(body["verifiedBy"]["implementation"], "treaty");
        assert_eq!(
            body["testResults"],
            serde_json::json!([
                {"interactionId": "a", "success": true, "interactionDescription": "interaction a"},
                {"interactionId": "b", "success": false, "interactionDescription": "interaction b",
                 "mismatches": [{"attribute": "body", "identifier": "$.id", "description": "$.id: expected a number"}]},
                {"interactionId": "", "success": false, "interactionDescription": "interaction without id",
                 "exceptions": [{"message": "no answer within 5s"}]}
            ])
        );
    }

    #[test]
    fn a_contract_with_nothing_verified_publishes_nothing() {
        let report = contract(vec![interaction(
            Some("a"),
            InteractionOutcome::Skipped {
                reason: "message".into(),
            },
        )]);
        assert_eq!(verification_result(&report, &publish()), None);
        assert_eq!(verification_result(&contract(vec![]), &publish()), None);
    }
}
