//! Webhook resources, the webhook request body, deliveries, test executions and overdue
//! verifications, in the Pact Broker's shape where it has one (`uuid`, `description`,
//! `consumer`, `provider`, `enabled`, `request`, `events`, `_links.self`, `pb:execute`), with
//! secrets redacted in every read.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::webhooks::deliveries::{AttemptResult, Delivery};
use crate::domain::webhooks::watchdog::OverdueVerification;
use crate::domain::webhooks::{RenderedRequest, Scope, ScopeInput, Webhook, WebhookInput};
use crate::http::hal::Links;

/// `consumer` or `provider` in a webhook body.
#[derive(Debug, Default, Deserialize)]
pub struct ScopeBody {
    /// The pacticipant's name.
    #[serde(default)]
    pub name: Option<Value>,
    /// A label.
    #[serde(default)]
    pub label: Option<Value>,
}

/// The body of `POST /webhooks`, `POST /webhooks/provider/P/consumer/C` and
/// `PUT /webhooks/{uuid}`.
#[derive(Debug, Default, Deserialize)]
pub struct WebhookBody {
    /// What it is for.
    #[serde(default)]
    pub description: Option<Value>,
    /// Consumer scope.
    #[serde(default)]
    pub consumer: Option<ScopeBody>,
    /// Provider scope.
    #[serde(default)]
    pub provider: Option<ScopeBody>,
    /// `[{"name": …}]`.
    #[serde(default)]
    pub events: Option<Value>,
    /// The request template.
    #[serde(default)]
    pub request: Option<Value>,
    /// Whether events trigger it.
    #[serde(default)]
    pub enabled: Option<Value>,
}

impl WebhookBody {
    /// The domain's unvalidated input.
    pub fn input(self) -> WebhookInput {
        let scope = |body: Option<ScopeBody>| {
            body.map(|body| ScopeInput {
                name: body.name,
                label: body.label,
            })
        };
        WebhookInput {
            description: self.description,
            consumer: scope(self.consumer),
            provider: scope(self.provider),
            events: self.events,
            request: self.request,
            enabled: self.enabled,
        }
    }
}

/// `/webhooks/{uuid}`.
pub fn webhook_url(links: &Links, uuid: &str) -> String {
    links.url(&["webhooks", uuid])
}

fn scope_json(scope: &Scope) -> Value {
    match scope {
        Scope::Name(name) => json!({ "name": name }),
        Scope::Label(label) => json!({ "label": label }),
    }
}

/// A webhook resource.
pub fn webhook(links: &Links, webhook: &Webhook) -> Value {
    let uuid = webhook.uuid.as_str();
    let description = webhook.display_description();
    let mut link_map = Map::new();
    link_map.insert(
        "self".into(),
        json!({ "title": description, "href": webhook_url(links, uuid) }),
    );
    link_map.insert(
        "pb:execute".into(),
        json!({
            "title": "Test the execution of the webhook with the latest matching pact or verification by sending a POST request to this URL",
            "href": links.url(&["webhooks", uuid, "execute"]),
        }),
    );
    link_map.insert(
        "pb:deliveries".into(),
        json!({
            "title": "Deliveries of this webhook and every attempt",
            "href": links.url(&["webhooks", uuid, "deliveries"]),
        }),
    );
    for (relation, title, scope) in [
        ("pb:consumer", "Consumer", &webhook.consumer),
        ("pb:provider", "Provider", &webhook.provider),
    ] {
        if let Some(Scope::Name(name)) = scope {
            link_map.insert(
                relation.into(),
                json!({ "title": title, "name": name, "href": links.url(&["pacticipants", name]) }),
            );
        }
    }
    if let (Some(Scope::Name(consumer)), Some(Scope::Name(provider))) =
        (&webhook.consumer, &webhook.provider)
    {
        link_map.insert(
            "pb:pact-webhooks".into(),
            json!({
                "title": format!("All webhooks for consumer {consumer} and provider {provider}"),
                "href": links.url(&["webhooks", "provider", provider, "consumer", consumer]),
            }),
        );
    }
    link_map.insert(
        "pb:webhooks".into(),
        json!({ "title": "All webhooks", "href": links.url(&["webhooks"]) }),
    );
    let mut body = Map::new();
    body.insert("uuid".into(), json!(uuid));
    body.insert("description".into(), json!(description));
    if let Some(consumer) = &webhook.consumer {
        body.insert("consumer".into(), scope_json(consumer));
    }
    if let Some(provider) = &webhook.provider {
        body.insert("provider".into(), scope_json(provider));
    }
    body.insert("enabled".into(), json!(webhook.enabled));
    body.insert("request".into(), webhook.request.redacted_json());
    body.insert(
        "events".into(),
        Value::Array(
            webhook
                .events
                .iter()
                .map(|event| json!({ "name": event.as_str() }))
                .collect(),
        ),
    );
    body.insert("createdAt".into(), json!(webhook.created_at));
    if webhook.updated_at != webhook.created_at {
        body.insert("updatedAt".into(), json!(webhook.updated_at));
    }
    body.insert("_links".into(), Value::Object(link_map));
    Value::Object(body)
}

/// A webhook collection: the Pact Broker's `pb:webhooks` links, plus the resources embedded.
pub fn webhook_list(links: &Links, self_url: String, webhooks: &[Webhook]) -> Value {
    json!({
        "_links": {
            "self": { "title": "Webhooks", "href": self_url },
            "pb:create": { "title": "POST to create a webhook", "href": self_url },
            "pb:webhooks": webhooks.iter().map(|webhook| json!({
                "title": scope_description(webhook),
                "name": webhook.display_description(),
                "href": webhook_url(links, &webhook.uuid),
            })).collect::<Vec<_>>(),
        },
        "_embedded": {
            "webhooks": webhooks.iter().map(|found| webhook(links, found)).collect::<Vec<_>>(),
        },
    })
}

fn scope_description(webhook: &Webhook) -> String {
    let side = |scope: &Option<Scope>| match scope {
        Some(Scope::Name(name)) => name.clone(),
        Some(Scope::Label(label)) => format!("label {label}"),
        None => "any".to_owned(),
    };
    format!(
        "A webhook for consumer {} and provider {}",
        side(&webhook.consumer),
        side(&webhook.provider)
    )
}

/// A webhook's deliveries and their attempts.
pub fn delivery_list(links: &Links, uuid: &str, deliveries: &[Delivery]) -> Value {
    json!({
        "deliveries": deliveries.iter().map(|delivery| {
            let mut entry = json!({
                "id": delivery.id,
                "event": delivery.event,
                "status": delivery.status,
                "attemptCount": delivery.attempts.len(),
                "createdAt": delivery.created_at,
                "attempts": delivery.attempts.iter().map(|attempt| json!({
                    "number": attempt.number,
                    "startedAt": attempt.started_at,
                    "durationMs": attempt.duration_ms,
                    "success": attempt.success,
                    "responseStatus": attempt.response_status,
                    "responseExcerpt": attempt.response_excerpt,
                    "error": attempt.error,
                })).collect::<Vec<_>>(),
            });
            if let (Some(next), Value::Object(fields)) = (&delivery.next_attempt_at, &mut entry) {
                fields.insert("nextAttemptAt".into(), json!(next));
            }
            entry
        }).collect::<Vec<_>>(),
        "_links": {
            "self": { "href": links.url(&["webhooks", uuid, "deliveries"]) },
            "pb:webhook": { "href": webhook_url(links, uuid) },
        },
    })
}

fn parse_or_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// The result of a test execution.
pub fn execution_result(
    links: &Links,
    uuid: &str,
    request: &RenderedRequest,
    result: &AttemptResult,
) -> Value {
    let mut body = json!({
        "success": result.succeeded(),
        "request": {
            "method": request.method,
            "url": crate::domain::webhooks::redact::redact_url(&request.url),
            "headers": request.redacted_headers().into_iter().map(|(name, value)| (name, Value::String(value))).collect::<Map<String, Value>>(),
            "body": request.body.as_deref().map(parse_or_text),
        },
        "durationMs": u64::try_from(result.duration.as_millis()).unwrap_or(u64::MAX),
        "_links": {
            "webhook": { "href": webhook_url(links, uuid) },
            "try-again": { "title": "Execute the webhook again", "href": links.url(&["webhooks", uuid, "execute"]) },
        },
    });
    if let Value::Object(fields) = &mut body {
        if let Some(status) = result.status {
            fields.insert(
                "response".into(),
                json!({
                    "status": status,
                    "body": result.excerpt.as_deref().map(parse_or_text),
                }),
            );
        }
        if let Some(error) = &result.error {
            fields.insert("error".into(), json!({ "message": error }));
        }
    }
    body
}

/// The overdue verifications.
pub fn overdue_list(links: &Links, after_seconds: u64, overdue: &[OverdueVerification]) -> Value {
    json!({
        "overdueAfterSeconds": after_seconds,
        "overdue": overdue.iter().map(|entry| json!({
            "consumer": entry.consumer,
            "consumerVersion": entry.consumer_version,
            "provider": entry.provider,
            "providerVersion": entry.provider_version,
            "pactVersion": entry.sha,
            "reasons": entry.descriptions,
            "requiredSince": entry.required_since,
            "_links": {
                "pb:pact-version": { "href": links.url(&[
                    "pacts", "provider", &entry.provider, "consumer", &entry.consumer,
                    "pact-version", &entry.sha,
                ]) },
            },
        })).collect::<Vec<_>>(),
        "_links": { "self": { "href": links.url(&["verifications", "overdue"]) } },
    })
}
