//! Webhooks: definitions (create, read, replace, delete, with the Pact Broker's fields),
//! triggering (events become durable deliveries in the transaction that caused them) and
//! delivery bookkeeping (claims, attempts, the retry schedule).
//!
//! The pure rules live in submodules: [`template`] renders `${pactbroker.*}` variables,
//! [`target`] decides where a webhook may send, [`schedule`] when a failed delivery is tried
//! again, [`redact`] what a read or a log may show, [`required`] which provider versions must
//! verify a contract. Sending itself is IO and lives in `crate::delivery`.

pub mod definition;
pub mod deliveries;
pub mod redact;
pub mod required;
pub mod schedule;
pub mod target;
pub mod template;
pub mod trigger;
pub mod watchdog;

pub use definition::{
    Event, RenderedRequest, RequestTemplate, Scope, ScopeInput, Webhook, WebhookDefinition,
    WebhookInput,
};
pub use trigger::Origin;

use crate::domain::pacticipants::require_pacticipant;
use crate::domain::webhooks::target::{TargetError, TargetPolicy};
use crate::domain::webhooks::template::Variables;
use crate::domain::{DomainError, FieldError, PacticipantName};
use crate::storage::verifications::VerificationLookup;
use crate::storage::webhooks::{self as store, NewWebhook};
use crate::storage::{AnyConnection, Db, contents, heads, pacticipants, verifications, versions};

/// How long creation waits for DNS before accepting a name as not resolving yet.
const CREATION_LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// The longest webhook uuid accepted in a `PUT`.
const MAX_UUID_LENGTH: usize = 64;

/// Checks a webhook's target after DNS: a name that resolves only to addresses the policy
/// refuses is refused now (and again at delivery); a name that does not resolve yet is
/// accepted (it may resolve where and when the broker delivers).
pub async fn check_target(
    policy: &TargetPolicy,
    definition: &WebhookDefinition,
) -> Result<(), DomainError> {
    let refused = |error: TargetError| {
        DomainError::Invalid(vec![FieldError::new("request.url", error.to_string())])
    };
    let target = policy
        .check_url_template(&definition.request.url)
        .map_err(refused)?;
    // A name server that does not answer must not hold the request: the name counts as not
    // resolving yet, and is checked again at delivery.
    match tokio::time::timeout(CREATION_LOOKUP_TIMEOUT, policy.resolve_and_check(&target)).await {
        Err(_) | Ok(Ok(_) | Err(TargetError::Unresolvable { .. })) => Ok(()),
        Ok(Err(error)) => Err(refused(error)),
    }
}

fn to_new(uuid: String, definition: &WebhookDefinition) -> NewWebhook {
    let (consumer_name, consumer_label) = split_scope(definition.consumer.as_ref());
    let (provider_name, provider_label) = split_scope(definition.provider.as_ref());
    NewWebhook {
        uuid,
        description: definition.description.clone(),
        consumer_name,
        consumer_label,
        provider_name,
        provider_label,
        events: serde_json::Value::from(
            definition
                .events
                .iter()
                .map(|event| event.as_str())
                .collect::<Vec<_>>(),
        )
        .to_string(),
        request: definition.request.to_json().to_string(),
        enabled: definition.enabled,
    }
}

fn split_scope(scope: Option<&Scope>) -> (Option<String>, Option<String>) {
    match scope {
        Some(Scope::Name(name)) => (Some(name.clone()), None),
        Some(Scope::Label(label)) => (None, Some(label.clone())),
        None => (None, None),
    }
}

/// A scope by name must name an existing pacticipant (a 400 on `consumer.name`, as the Pact
/// Broker answers).
fn require_scoped_names(
    conn: &mut AnyConnection,
    definition: &WebhookDefinition,
) -> Result<(), DomainError> {
    let mut faults = Vec::new();
    for (side, scope) in [
        ("consumer", &definition.consumer),
        ("provider", &definition.provider),
    ] {
        if let Some(Scope::Name(name)) = scope
            && pacticipants::find_pacticipant(conn, name)?.is_none()
        {
            faults.push(FieldError::new(
                format!("{side}.name"),
                format!(
                    "no pacticipant named `{name}`: publish a contract for it or create it first"
                ),
            ));
        }
    }
    if faults.is_empty() {
        Ok(())
    } else {
        Err(DomainError::Invalid(faults))
    }
}

fn new_uuid() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    // Version 4, variant 10xx: a well-formed random UUID.
    let variant = ["8", "9", "a", "b"][usize::from(bytes[8] & 3)];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// Creates a webhook. `fixed` is the (provider, consumer) of the
/// `/webhooks/provider/{provider}/consumer/{consumer}` route, which must both exist (404).
pub async fn create_webhook(
    db: &Db,
    policy: &TargetPolicy,
    input: WebhookInput,
    fixed: Option<(PacticipantName, PacticipantName)>,
) -> Result<Webhook, DomainError> {
    let definition = input.validate(policy)?;
    check_target(policy, &definition).await?;
    db.write(move |conn| {
        let mut definition = definition.clone();
        if let Some((provider, consumer)) = &fixed {
            let provider = require_pacticipant(conn, provider.as_str())?;
            let consumer = require_pacticipant(conn, consumer.as_str())?;
            definition.provider = Some(Scope::Name(provider.name));
            definition.consumer = Some(Scope::Name(consumer.name));
        }
        require_scoped_names(conn, &definition)?;
        let row = store::insert_webhook(conn, &to_new(new_uuid(), &definition))?;
        Ok(Webhook::from_row(row)?)
    })
    .await
    .inspect(|webhook| tracing::info!(webhook.uuid = %webhook.uuid, "webhook created"))
}

/// Creates the webhook `uuid` or replaces it; `true` when it was created.
pub async fn put_webhook(
    db: &Db,
    policy: &TargetPolicy,
    uuid: String,
    input: WebhookInput,
) -> Result<(Webhook, bool), DomainError> {
    let valid_uuid = !uuid.is_empty()
        && uuid.len() <= MAX_UUID_LENGTH
        && uuid
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if !valid_uuid {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "uuid",
            format!("must be 1 to {MAX_UUID_LENGTH} letters, digits, `-` or `_`, such as a UUID"),
        )]));
    }
    let definition = input.validate(policy)?;
    check_target(policy, &definition).await?;
    db.write(move |conn| {
        require_scoped_names(conn, &definition)?;
        let mut definition = definition.clone();
        let created = match store::find_webhook(conn, &uuid)? {
            Some(existing) => {
                let existing = Webhook::from_row(existing)?;
                keep_redacted_secrets(&mut definition.request, &existing.request);
                store::update_webhook(conn, existing.id, &to_new(uuid.clone(), &definition))?;
                false
            }
            None => {
                store::insert_webhook(conn, &to_new(uuid.clone(), &definition))?;
                true
            }
        };
        let row = store::find_webhook(conn, &uuid)?
            .ok_or_else(|| DomainError::NotFound(format!("webhook `{uuid}` not found")))?;
        Ok((Webhook::from_row(row)?, created))
    })
    .await
    .inspect(|(webhook, created)| {
        tracing::info!(webhook.uuid = %webhook.uuid, created, "webhook stored");
    })
}

/// A webhook read back with its secrets redacted and saved again keeps its secrets: a secret
/// header value or a password that is only `*`s means "unchanged" (the Pact Broker's rule),
/// and so does the URL as a read shows it (secret query parameters redacted).
fn keep_redacted_secrets(request: &mut RequestTemplate, stored: &RequestTemplate) {
    if request.url != stored.url && request.url == redact::redact_url(&stored.url) {
        request.url.clone_from(&stored.url);
    }
    for (name, value) in request.headers.iter_mut() {
        if redact::is_redacted_placeholder(value)
            && let Some((_, kept)) = stored
                .headers
                .iter()
                .find(|(stored_name, _)| stored_name.eq_ignore_ascii_case(name))
        {
            value.clone_from(kept);
        }
    }
    if request
        .password
        .as_deref()
        .is_some_and(redact::is_redacted_placeholder)
    {
        request.password.clone_from(&stored.password);
    }
}

fn require_webhook(conn: &mut AnyConnection, uuid: &str) -> Result<Webhook, DomainError> {
    let row = store::find_webhook(conn, uuid)?.ok_or_else(|| {
        DomainError::NotFound(format!(
            "webhook `{uuid}` not found: list them with GET /webhooks"
        ))
    })?;
    Ok(Webhook::from_row(row)?)
}

/// One webhook.
pub async fn get_webhook(db: &Db, uuid: String) -> Result<Webhook, DomainError> {
    db.run(move |conn| require_webhook(conn, &uuid)).await
}

/// Every webhook, oldest first.
pub async fn list_webhooks(db: &Db) -> Result<Vec<Webhook>, DomainError> {
    db.run(|conn| {
        store::list_webhooks(conn)?
            .into_iter()
            .map(|row| Webhook::from_row(row).map_err(DomainError::from))
            .collect()
    })
    .await
}

/// The webhooks scoped to exactly this provider and consumer (by name).
pub async fn list_webhooks_for(
    db: &Db,
    provider: PacticipantName,
    consumer: PacticipantName,
) -> Result<Vec<Webhook>, DomainError> {
    let all = list_webhooks(db).await?;
    Ok(all
        .into_iter()
        .filter(|webhook| {
            webhook.provider == Some(Scope::Name(provider.to_string()))
                && webhook.consumer == Some(Scope::Name(consumer.to_string()))
        })
        .collect())
}

/// Deletes a webhook with its deliveries.
pub async fn delete_webhook(db: &Db, uuid: String) -> Result<(), DomainError> {
    let deleted = uuid.clone();
    db.write(move |conn| {
        let webhook = require_webhook(conn, &uuid)?;
        store::delete_webhook(conn, webhook.id)?;
        Ok(())
    })
    .await
    .inspect(|()| tracing::info!(webhook.uuid = %deleted, "webhook deleted"))
}

/// The request a test execution of the webhook sends: rendered with the newest pact in its
/// scope (and that pact's latest verification), or with empty variables when there is none, as
/// the Pact Broker does.
pub async fn test_request(
    db: &Db,
    origin: Origin,
    uuid: String,
) -> Result<(Webhook, RenderedRequest), DomainError> {
    db.run(move |conn| {
        let webhook = require_webhook(conn, &uuid)?;
        let mut variables = Variables::new();
        variables.set("pactbroker.eventName", "test");
        // One head per integration: the newest pact of each, not history.
        let mut latest = heads::list_pact_heads(conn, None, heads::HeadScope::Latest, None)?;
        latest.sort_by_key(|head| std::cmp::Reverse(head.consumer_version_id));
        let mut ids: Vec<i64> = latest
            .iter()
            .flat_map(|head| [head.consumer_id, head.provider_id])
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let names: std::collections::HashMap<i64, String> =
            pacticipants::find_pacticipants_by_ids(conn, &ids)?
                .into_iter()
                .map(|row| (row.id, row.name))
                .collect();
        let mut labels_by_id: std::collections::HashMap<i64, Vec<String>> =
            std::collections::HashMap::new();
        for (id, label) in crate::storage::labels::list_labels_of(conn, &ids)? {
            labels_by_id.entry(id).or_default().push(label);
        }
        let name_of = |id: i64| names.get(&id).cloned().unwrap_or_default();
        let admits = |scope: &Option<Scope>, id: i64| {
            scope.as_ref().is_none_or(|scope| {
                scope.admits(
                    &name_of(id),
                    labels_by_id.get(&id).map_or(&[][..], Vec::as_slice),
                )
            })
        };
        let in_scope = latest.into_iter().find(|head| {
            admits(&webhook.consumer, head.consumer_id)
                && admits(&webhook.provider, head.provider_id)
        });
        let mut success = None;
        if let Some(head) = in_scope {
            let (consumer, provider) = (name_of(head.consumer_id), name_of(head.provider_id));
            let sha = contents::find_content_sha_by_id(conn, head.content_id)?.unwrap_or_default();
            variables.set("pactbroker.consumerName", &consumer);
            variables.set("pactbroker.providerName", &provider);
            if let Some(version) =
                versions::find_versions_by_ids(conn, &[head.consumer_version_id])?.first()
            {
                variables.set("pactbroker.consumerVersionNumber", &version.number);
            }
            variables.set(
                "pactbroker.pactUrl",
                origin.pact_url(&provider, &consumer, &sha),
            );
            if let Some(record) = verifications::find_verification(
                conn,
                head.consumer_id,
                head.provider_id,
                head.content_id,
                VerificationLookup::Latest,
            )? {
                variables.set(
                    "pactbroker.providerVersionNumber",
                    &record.provider_version_number,
                );
                success = Some(record.verification.success);
            }
        }
        variables.set_verification_success(success);
        let request = webhook.request.render(&variables);
        Ok((webhook, request))
    })
    .await
}
