//! Events to deliveries, inside the transaction of the write that caused them: a published
//! contract or a published verification result becomes one queued delivery per webhook that
//! listens (and, for `contract_requiring_verification_published`, one per provider version
//! that must verify), carrying the event's template variables. If the write rolls back, so do
//! its deliveries; if it commits, they are on disk before the client hears 2xx.
//!
//! Publishing also records the verifications it requires (what the watchdog reads), whether or
//! not any webhook listens.

use std::collections::HashSet;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::domain::DomainError;
use crate::domain::webhooks::definition::{Event, Webhook};
use crate::domain::webhooks::required::{self, Required};
use crate::domain::webhooks::template::Variables;
use crate::storage::heads::{self, HeadScope};
use crate::storage::models::{PacticipantRow, VersionRow};
use crate::storage::required_verifications::{self as requirements, NewRequiredVerification};
use crate::storage::verifications::{self as stored_verifications, VerificationLookup};
use crate::storage::{
    AnyConnection, StorageError, branches, deployments, labels, publications, tags, versions,
    webhooks as store,
};

/// Characters left as they are in a path segment: RFC 3986 unreserved (as in every link).
pub const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Where the event came from: the broker's public base URL as the request that caused it saw
/// it, so that `${pactbroker.pactUrl}` points where clients can reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Scheme, host and path prefix, without a trailing slash.
    pub base_url: String,
}

/// `base` followed by `segments`, each percent-encoded as a path segment (what every link of
/// the broker is made of).
pub fn url_under(base: &str, segments: &[&str]) -> String {
    let mut url = base.to_owned();
    for segment in segments {
        url.push('/');
        url.extend(utf8_percent_encode(segment, PATH_SEGMENT));
    }
    url
}

impl Origin {
    /// The absolute URL of a path made of `segments`, each percent-encoded.
    pub fn url(&self, segments: &[&str]) -> String {
        url_under(&self.base_url, segments)
    }

    fn verification_result_url(
        &self,
        provider: &str,
        consumer: &str,
        sha: &str,
        number: i64,
    ) -> String {
        self.url(&[
            "pacts",
            "provider",
            provider,
            "consumer",
            consumer,
            "pact-version",
            sha,
            "verification-results",
            &number.to_string(),
        ])
    }

    /// The URL of the pact version `sha` of (provider, consumer).
    pub(crate) fn pact_url(&self, provider: &str, consumer: &str, sha: &str) -> String {
        self.url(&[
            "pacts",
            "provider",
            provider,
            "consumer",
            consumer,
            "pact-version",
            sha,
        ])
    }
}

/// A contract just stored for a consumer version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContractStored<'a> {
    /// The consumer.
    pub consumer: &'a PacticipantRow,
    /// The consumer version.
    pub version: &'a VersionRow,
    /// The provider.
    pub provider: &'a PacticipantRow,
    /// The content's hash.
    pub sha: &'a str,
    /// The content's id.
    pub content_id: i64,
    /// The content of the integration's latest pact before this publication.
    pub previous_content_id: Option<i64>,
    /// Whether the publication changed nothing (same content republished).
    pub unchanged: bool,
    /// The branch the publication named.
    pub branch: Option<&'a str>,
    /// The tags the publication named.
    pub tags: &'a [String],
}

/// The content of the integration's latest pact now: read before storing a contract, so that
/// [`contract_stored`] can tell whether its content changed.
pub(crate) fn latest_content_id(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
) -> Result<Option<i64>, StorageError> {
    Ok(
        heads::find_pact_head(conn, provider_id, consumer_id, HeadScope::Latest, "")?
            .map(|head| head.content_id),
    )
}

/// Records the verifications the stored contract requires and queues the deliveries of the
/// webhooks that listen; returns how many deliveries were queued.
pub(crate) fn contract_stored(
    conn: &mut AnyConnection,
    origin: &Origin,
    event: ContractStored<'_>,
) -> Result<usize, DomainError> {
    let content_id = event.content_id;
    let required = record_required_verifications(conn, &event, content_id)?;
    let listening = listening(conn, event.consumer, event.provider)?;
    if listening.webhooks.is_empty() {
        return Ok(0);
    }
    let changed = !event.unchanged && event.previous_content_id != Some(content_id);
    let latest = stored_verifications::find_verification(
        conn,
        event.consumer.id,
        event.provider.id,
        content_id,
        VerificationLookup::Latest,
    )?;
    let mut base = Variables::new();
    listening.set_labels(&mut base);
    base.set("pactbroker.consumerName", &event.consumer.name);
    base.set("pactbroker.providerName", &event.provider.name);
    base.set("pactbroker.consumerVersionNumber", &event.version.number);
    base.set(
        "pactbroker.consumerVersionBranch",
        event.branch.unwrap_or(""),
    );
    base.set("pactbroker.consumerVersionTags", event.tags.join(", "));
    base.set(
        "pactbroker.pactUrl",
        origin.pact_url(&event.provider.name, &event.consumer.name, event.sha),
    );
    base.set(
        "pactbroker.buildUrl",
        event.version.build_url.as_deref().unwrap_or(""),
    );
    let mut with_status = base.clone();
    if let Some(record) = &latest {
        with_status.set(
            "pactbroker.providerVersionNumber",
            &record.provider_version_number,
        );
        with_status.set(
            "pactbroker.verificationResultUrl",
            origin.verification_result_url(
                &event.provider.name,
                &event.consumer.name,
                event.sha,
                record.verification.number,
            ),
        );
    }
    with_status.set_verification_success(latest.as_ref().map(|record| record.verification.success));
    let mut queued = 0;
    let mut required_versions = None;
    for webhook in &listening.webhooks {
        let fires = |event: Event| webhook.events.contains(&event);
        if fires(Event::ContractPublished) {
            queued += queue(conn, webhook, Event::ContractPublished, &with_status)?;
        }
        if changed && fires(Event::ContractContentChanged) {
            queued += queue(conn, webhook, Event::ContractContentChanged, &with_status)?;
        }
        if fires(Event::ContractRequiringVerificationPublished) && !required.is_empty() {
            if required_versions.is_none() {
                required_versions = Some(describe_required(conn, &event, &required)?);
            }
            for (requirement, version, branch) in required_versions.iter().flatten() {
                let mut variables = base.clone();
                variables.set("pactbroker.providerVersionNumber", &version.number);
                variables.set("pactbroker.providerVersionBranch", branch);
                variables.set(
                    "pactbroker.providerVersionDescriptions",
                    requirement.descriptions.join(", "),
                );
                variables.set_verification_success(None);
                queued += queue(
                    conn,
                    webhook,
                    Event::ContractRequiringVerificationPublished,
                    &variables,
                )?;
            }
        }
    }
    Ok(queued)
}

/// A verification result just stored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VerificationStored<'a> {
    /// The consumer.
    pub consumer: &'a PacticipantRow,
    /// The provider.
    pub provider: &'a PacticipantRow,
    /// The verified content.
    pub content_id: i64,
    /// Its hash.
    pub sha: &'a str,
    /// The provider version that verified.
    pub provider_version: &'a VersionRow,
    /// The result's number.
    pub number: i64,
    /// Whether it passed.
    pub success: bool,
    /// The provider build.
    pub build_url: Option<&'a str>,
}

/// Marks the requirement met and queues the deliveries of the webhooks that listen to
/// verification results; returns how many were queued.
pub(crate) fn verification_stored(
    conn: &mut AnyConnection,
    origin: &Origin,
    event: VerificationStored<'_>,
) -> Result<usize, DomainError> {
    requirements::mark_verified(
        conn,
        event.consumer.id,
        event.content_id,
        event.provider_version.id,
    )?;
    let listening = listening(conn, event.consumer, event.provider)?;
    if listening.webhooks.is_empty() {
        return Ok(0);
    }
    let consumer_version = publications::find_latest_consumer_version_of_content(
        conn,
        event.consumer.id,
        event.provider.id,
        event.content_id,
    )?;
    let provider_branch = last_branch(conn, event.provider_version.id)?;
    let provider_tags = tag_names(conn, event.provider_version.id)?;
    let mut variables = Variables::new();
    listening.set_labels(&mut variables);
    variables.set("pactbroker.consumerName", &event.consumer.name);
    variables.set("pactbroker.providerName", &event.provider.name);
    if let Some(version) = &consumer_version {
        variables.set("pactbroker.consumerVersionNumber", &version.number);
        variables.set(
            "pactbroker.consumerVersionBranch",
            last_branch(conn, version.id)?,
        );
        variables.set(
            "pactbroker.consumerVersionTags",
            tag_names(conn, version.id)?.join(", "),
        );
    }
    variables.set(
        "pactbroker.providerVersionNumber",
        &event.provider_version.number,
    );
    variables.set("pactbroker.providerVersionBranch", &provider_branch);
    variables.set("pactbroker.providerVersionTags", provider_tags.join(", "));
    variables.set(
        "pactbroker.pactUrl",
        origin.pact_url(&event.provider.name, &event.consumer.name, event.sha),
    );
    variables.set(
        "pactbroker.verificationResultUrl",
        origin.verification_result_url(
            &event.provider.name,
            &event.consumer.name,
            event.sha,
            event.number,
        ),
    );
    variables.set("pactbroker.buildUrl", event.build_url.unwrap_or(""));
    variables.set_verification_success(Some(event.success));
    let outcome = if event.success {
        Event::ProviderVerificationSucceeded
    } else {
        Event::ProviderVerificationFailed
    };
    let mut queued = 0;
    for webhook in &listening.webhooks {
        for fired in [Event::ProviderVerificationPublished, outcome] {
            if webhook.events.contains(&fired) {
                queued += queue(conn, webhook, fired, &variables)?;
            }
        }
    }
    Ok(queued)
}

/// The enabled webhooks whose scope admits this consumer and provider (by name or by one of
/// their labels), with the two pacticipants' labels.
struct Listening {
    webhooks: Vec<Webhook>,
    consumer_labels: Vec<String>,
    provider_labels: Vec<String>,
}

impl Listening {
    fn set_labels(&self, variables: &mut Variables) {
        variables.set("pactbroker.consumerLabels", self.consumer_labels.join(", "));
        variables.set("pactbroker.providerLabels", self.provider_labels.join(", "));
    }
}

fn listening(
    conn: &mut AnyConnection,
    consumer: &PacticipantRow,
    provider: &PacticipantRow,
) -> Result<Listening, DomainError> {
    let enabled = store::list_enabled_webhooks(conn)?;
    let mut found = Listening {
        webhooks: Vec::new(),
        consumer_labels: Vec::new(),
        provider_labels: Vec::new(),
    };
    if enabled.is_empty() {
        return Ok(found);
    }
    for (pacticipant_id, label) in labels::list_labels_of(conn, &[consumer.id, provider.id])? {
        if pacticipant_id == consumer.id {
            found.consumer_labels.push(label.clone());
        }
        if pacticipant_id == provider.id {
            found.provider_labels.push(label);
        }
    }
    for row in enabled {
        let webhook = Webhook::from_row(row)?;
        let in_scope = Event::ALL.into_iter().any(|event| {
            webhook.fires_for(
                event,
                (&consumer.name, &found.consumer_labels),
                (&provider.name, &found.provider_labels),
            )
        });
        if in_scope {
            found.webhooks.push(webhook);
        }
    }
    Ok(found)
}

fn queue(
    conn: &mut AnyConnection,
    webhook: &Webhook,
    event: Event,
    variables: &Variables,
) -> Result<usize, DomainError> {
    let mut variables = variables.clone();
    variables.set("pactbroker.eventName", event.as_str());
    store::insert_delivery(
        conn,
        webhook.id,
        event.as_str(),
        &variables.to_json().to_string(),
    )?;
    // Inside the transaction: a transaction retried after a lost race logs this again.
    tracing::debug!(
        webhook.uuid = %webhook.uuid,
        event = event.as_str(),
        "webhook triggered"
    );
    Ok(1)
}

/// Records the provider versions that must verify the content (whether or not a webhook
/// listens: the watchdog reads them).
fn record_required_verifications(
    conn: &mut AnyConnection,
    event: &ContractStored<'_>,
    content_id: i64,
) -> Result<Vec<Required>, DomainError> {
    let main_head = match event.provider.main_branch.as_deref() {
        Some(branch) => {
            heads::find_version_head(conn, event.provider.id, HeadScope::Branch, branch)?
                .map(|head| head.version_id)
        }
        None => None,
    };
    let deployed = deployments::list_deployed_versions_of_pacticipant(conn, event.provider.id)?;
    let released = deployments::list_supported_versions_of_pacticipant(conn, event.provider.id)?;
    let candidates = required::candidates(main_head, &deployed, &released);
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = candidates
        .iter()
        .map(|candidate| candidate.version_id)
        .collect();
    let verified: HashSet<i64> =
        stored_verifications::provider_versions_that_verified(conn, content_id, &ids)?
            .into_iter()
            .collect();
    let needed = required::required_verifications(&candidates, &verified);
    for entry in &needed {
        requirements::insert_required_if_absent(
            conn,
            &NewRequiredVerification {
                consumer_id: event.consumer.id,
                provider_id: event.provider.id,
                content_id,
                consumer_version_id: event.version.id,
                provider_version_id: entry.version_id,
                descriptions: serde_json::Value::from(entry.descriptions.clone()).to_string(),
            },
        )?;
    }
    Ok(needed)
}

/// The required provider versions with their numbers and the branch to report (the main
/// branch for its head, else the version's last branch): read only when a webhook needs them.
fn describe_required(
    conn: &mut AnyConnection,
    event: &ContractStored<'_>,
    required: &[Required],
) -> Result<Vec<(Required, VersionRow, String)>, DomainError> {
    let ids: Vec<i64> = required.iter().map(|entry| entry.version_id).collect();
    let provider_versions = versions::find_versions_by_ids(conn, &ids)?;
    let mut found = Vec::with_capacity(required.len());
    for entry in required {
        let Some(version) = provider_versions
            .iter()
            .find(|version| version.id == entry.version_id)
            .cloned()
        else {
            continue;
        };
        let branch = match (
            entry.main_branch_head,
            event.provider.main_branch.as_deref(),
        ) {
            (true, Some(branch)) => branch.to_owned(),
            _ => last_branch(conn, version.id)?,
        };
        found.push((entry.clone(), version, branch));
    }
    Ok(found)
}

/// The name of the last branch a version was put on (as the Pact Broker reports it), or "".
fn last_branch(conn: &mut AnyConnection, version_id: i64) -> Result<String, StorageError> {
    Ok(branches::list_branches_of_version(conn, version_id)?
        .pop()
        .map(|(branch, _)| branch.name)
        .unwrap_or_default())
}

/// A version's tag names, oldest first.
fn tag_names(conn: &mut AnyConnection, version_id: i64) -> Result<Vec<String>, StorageError> {
    Ok(tags::list_tags_for_version(conn, version_id)?
        .into_iter()
        .map(|tag| tag.name)
        .collect())
}
