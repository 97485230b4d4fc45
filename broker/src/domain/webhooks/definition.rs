//! What a webhook is: its events, its scope and its request template, and the checks a webhook
//! passes before it is stored (the Pact Broker's field names in every fault).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::domain::names::check_text;
use base64::Engine;

use crate::domain::webhooks::redact::{
    REDACTED, is_secret_header, redact_header_value, redact_url,
};
use crate::domain::webhooks::target::TargetPolicy;
use crate::domain::webhooks::template::{self, Variables};
use crate::domain::{DomainError, FieldError};
use crate::storage::StorageError;
use crate::storage::models::WebhookRow;

/// The events a webhook can listen to, with the Pact Broker's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Event {
    /// Every publication of a contract.
    ContractPublished,
    /// A publication whose content differs from the previous one of the integration.
    ContractContentChanged,
    /// A publication that a provider version (main head, deployed, released) has not verified;
    /// once per such provider version.
    ContractRequiringVerificationPublished,
    /// Every verification result.
    ProviderVerificationPublished,
    /// A successful verification result.
    ProviderVerificationSucceeded,
    /// A failed verification result.
    ProviderVerificationFailed,
}

impl Event {
    /// Every event, in the Pact Broker's order.
    pub const ALL: [Event; 6] = [
        Event::ContractContentChanged,
        Event::ContractPublished,
        Event::ContractRequiringVerificationPublished,
        Event::ProviderVerificationPublished,
        Event::ProviderVerificationSucceeded,
        Event::ProviderVerificationFailed,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::ContractPublished => "contract_published",
            Event::ContractContentChanged => "contract_content_changed",
            Event::ContractRequiringVerificationPublished => {
                "contract_requiring_verification_published"
            }
            Event::ProviderVerificationPublished => "provider_verification_published",
            Event::ProviderVerificationSucceeded => "provider_verification_succeeded",
            Event::ProviderVerificationFailed => "provider_verification_failed",
        }
    }

    /// The event with this wire name.
    pub fn parse(name: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|event| event.as_str() == name)
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which pacticipants a webhook is limited to, on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Exactly this pacticipant.
    Name(String),
    /// Every pacticipant with this label.
    Label(String),
}

impl Scope {
    /// Whether a pacticipant with this name and these labels is in scope.
    pub fn admits(&self, name: &str, labels: &[String]) -> bool {
        match self {
            Scope::Name(scoped) => scoped == name,
            Scope::Label(label) => labels.iter().any(|own| own == label),
        }
    }
}

/// The HTTP request a webhook sends, with `${pactbroker.*}` templates in its URL, headers and
/// body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestTemplate {
    /// Upper-case method.
    pub method: String,
    /// The URL template.
    pub url: String,
    /// Header templates, by name.
    pub headers: BTreeMap<String, String>,
    /// The body template: a JSON value (rendered string by string) or text.
    pub body: Option<Value>,
    /// Basic-auth user.
    pub username: Option<String>,
    /// Basic-auth password (never shown).
    pub password: Option<String>,
}

/// A rendered request, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedRequest {
    /// Method.
    pub method: String,
    /// URL.
    pub url: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes, if any.
    pub body: Option<String>,
    /// Whether the body is JSON (sent with `Content-Type: application/json` unless a header
    /// says otherwise).
    pub json_body: bool,
    /// Basic-auth credentials.
    pub basic_auth: Option<(String, Option<String>)>,
}

impl RenderedRequest {
    /// Every secret this request carries, as a receiver could echo it back: the values of
    /// secret headers (whole, and each word of 8 characters or more, such as the token after
    /// `Bearer`), the password, and the basic-auth credentials as they go on the wire.
    pub fn secrets(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        for (name, value) in &self.headers {
            if is_secret_header(name) {
                secrets.push(value.clone());
                secrets.extend(
                    value
                        .split_whitespace()
                        .filter(|word| word.len() >= 8)
                        .map(str::to_owned),
                );
            }
        }
        if let Some((user, password)) = &self.basic_auth {
            let pair = format!("{user}:{}", password.as_deref().unwrap_or(""));
            secrets.push(base64::engine::general_purpose::STANDARD.encode(pair));
            if let Some(password) = password {
                secrets.push(password.clone());
            }
        }
        secrets.retain(|secret| !secret.trim().is_empty());
        secrets
    }

    /// The headers with secret values replaced, for logs and API reads.
    pub fn redacted_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(name, value)| (name.clone(), redact_header_value(name, value)))
            .collect()
    }
}

impl RequestTemplate {
    /// Renders every template with the event's variables.
    pub fn render(&self, variables: &Variables) -> RenderedRequest {
        let (body, json_body) = match &self.body {
            None | Some(Value::Null) => (None, false),
            Some(Value::String(text)) => (Some(template::render_text(text, variables)), false),
            Some(value) => (
                Some(template::render_json(value, variables).to_string()),
                true,
            ),
        };
        RenderedRequest {
            method: self.method.clone(),
            url: template::render_url(&self.url, variables),
            headers: self
                .headers
                .iter()
                .map(|(name, value)| (name.clone(), template::render_text(value, variables)))
                .collect(),
            body,
            json_body,
            basic_auth: self
                .username
                .clone()
                .map(|user| (user, self.password.clone())),
        }
    }

    /// The stored JSON.
    pub(crate) fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("method".into(), Value::String(self.method.clone()));
        object.insert("url".into(), Value::String(self.url.clone()));
        object.insert(
            "headers".into(),
            Value::Object(
                self.headers
                    .iter()
                    .map(|(name, value)| (name.clone(), Value::String(value.clone())))
                    .collect(),
            ),
        );
        object.insert("body".into(), self.body.clone().unwrap_or(Value::Null));
        if let Some(user) = &self.username {
            object.insert("username".into(), Value::String(user.clone()));
        }
        if let Some(password) = &self.password {
            object.insert("password".into(), Value::String(password.clone()));
        }
        Value::Object(object)
    }

    fn from_stored(value: &Value) -> Option<Self> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(RequestTemplate {
            method: text("method")?,
            url: text("url")?,
            headers: value
                .get("headers")
                .and_then(Value::as_object)
                .map(|headers| {
                    headers
                        .iter()
                        .filter_map(|(name, value)| {
                            value.as_str().map(|value| (name.clone(), value.to_owned()))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            body: value.get("body").filter(|body| !body.is_null()).cloned(),
            username: text("username"),
            password: text("password"),
        })
    }

    /// The template as an API read shows it: secret header values and the password redacted.
    pub fn redacted_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("method".into(), Value::String(self.method.clone()));
        object.insert("url".into(), Value::String(redact_url(&self.url)));
        if !self.headers.is_empty() {
            object.insert(
                "headers".into(),
                Value::Object(
                    self.headers
                        .iter()
                        .map(|(name, value)| {
                            (
                                name.clone(),
                                Value::String(redact_header_value(name, value)),
                            )
                        })
                        .collect(),
                ),
            );
        }
        if let Some(body) = &self.body {
            object.insert("body".into(), body.clone());
        }
        if let Some(user) = &self.username {
            object.insert("username".into(), Value::String(user.clone()));
        }
        if self.password.is_some() {
            object.insert("password".into(), Value::String(REDACTED.to_owned()));
        }
        Value::Object(object)
    }
}

/// A stored webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Storage id (not shown).
    pub(crate) id: i64,
    /// Public identifier.
    pub uuid: String,
    /// What it is for.
    pub description: Option<String>,
    /// Consumer scope (`None`: any consumer).
    pub consumer: Option<Scope>,
    /// Provider scope (`None`: any provider).
    pub provider: Option<Scope>,
    /// The events it listens to.
    pub events: Vec<Event>,
    /// What it sends.
    pub request: RequestTemplate,
    /// Whether events trigger it.
    pub enabled: bool,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

impl Webhook {
    /// The domain view of a stored row.
    pub(crate) fn from_row(row: WebhookRow) -> Result<Self, StorageError> {
        let corrupt = |what: &str| {
            StorageError::Corrupt(format!("webhook {} has an unreadable {what}", row.uuid))
        };
        let events: Vec<String> =
            serde_json::from_str(&row.events).map_err(|_| corrupt("event list"))?;
        let request: Value =
            serde_json::from_str(&row.request).map_err(|_| corrupt("request template"))?;
        let scope = |name: Option<String>, label: Option<String>| match (name, label) {
            (Some(name), _) => Some(Scope::Name(name)),
            (None, Some(label)) => Some(Scope::Label(label)),
            (None, None) => None,
        };
        Ok(Webhook {
            id: row.id,
            events: events
                .iter()
                .filter_map(|name| Event::parse(name))
                .collect(),
            request: RequestTemplate::from_stored(&request)
                .ok_or_else(|| corrupt("request template"))?,
            consumer: scope(row.consumer_name, row.consumer_label),
            provider: scope(row.provider_name, row.provider_label),
            uuid: row.uuid,
            description: row.description,
            enabled: row.enabled,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// The description, or one made from the scope and events (as the Pact Broker shows it).
    pub fn display_description(&self) -> String {
        if let Some(description) = self.description.as_deref().filter(|d| !d.trim().is_empty()) {
            return description.to_owned();
        }
        let side = |scope: &Option<Scope>, role: &str| match scope {
            Some(Scope::Name(name)) => name.clone(),
            Some(Scope::Label(label)) => format!("{role}s labelled {label}"),
            None => format!("any {role}"),
        };
        format!(
            "webhook for {} and {}",
            side(&self.consumer, "consumer"),
            side(&self.provider, "provider")
        )
    }

    /// Whether this webhook fires for `event` between these pacticipants.
    pub fn fires_for(
        &self,
        event: Event,
        consumer: (&str, &[String]),
        provider: (&str, &[String]),
    ) -> bool {
        self.enabled
            && self.events.contains(&event)
            && self
                .consumer
                .as_ref()
                .is_none_or(|scope| scope.admits(consumer.0, consumer.1))
            && self
                .provider
                .as_ref()
                .is_none_or(|scope| scope.admits(provider.0, provider.1))
    }
}

/// A scope as a client sent it (`{"name": …}` or `{"label": …}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScopeInput {
    /// `name`.
    pub name: Option<Value>,
    /// `label`.
    pub label: Option<Value>,
}

/// A webhook as a client sent it, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebhookInput {
    /// `description`.
    pub description: Option<Value>,
    /// `consumer`.
    pub consumer: Option<ScopeInput>,
    /// `provider`.
    pub provider: Option<ScopeInput>,
    /// `events`: an array of `{"name": …}`; absent means `contract_content_changed`.
    pub events: Option<Value>,
    /// `request`.
    pub request: Option<Value>,
    /// `enabled`; absent means true.
    pub enabled: Option<Value>,
}

/// A validated webhook, before storage (names in scopes are checked against the database by
/// the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDefinition {
    /// What it is for.
    pub description: Option<String>,
    /// Consumer scope.
    pub consumer: Option<Scope>,
    /// Provider scope.
    pub provider: Option<Scope>,
    /// Events, without repeats, in the order given.
    pub events: Vec<Event>,
    /// The request.
    pub request: RequestTemplate,
    /// Whether events trigger it.
    pub enabled: bool,
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

impl WebhookInput {
    /// Checks every field (the target against `policy`, without DNS) and returns the webhook
    /// or every fault found.
    pub fn validate(&self, policy: &TargetPolicy) -> Result<WebhookDefinition, DomainError> {
        let mut faults = Vec::new();
        let description = optional_text(&mut faults, "description", self.description.as_ref());
        let consumer = scope(&mut faults, "consumer", self.consumer.as_ref());
        let provider = scope(&mut faults, "provider", self.provider.as_ref());
        let events = events(&mut faults, self.events.as_ref());
        let request = request(&mut faults, self.request.as_ref(), policy);
        let enabled = match &self.enabled {
            None | Some(Value::Null) => true,
            Some(Value::Bool(enabled)) => *enabled,
            Some(other) => {
                faults.push(FieldError::new(
                    "enabled",
                    format!("must be true or false, found {other}"),
                ));
                true
            }
        };
        match request {
            Some(request) if faults.is_empty() => Ok(WebhookDefinition {
                description,
                consumer,
                provider,
                events,
                request,
                enabled,
            }),
            _ => Err(DomainError::Invalid(faults)),
        }
    }
}

fn optional_text(
    faults: &mut Vec<FieldError>,
    field: &str,
    value: Option<&Value>,
) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => match check_text(text) {
            Ok(()) => Some(text.clone()),
            Err(message) => {
                faults.push(FieldError::new(field, message));
                None
            }
        },
        Some(other) => {
            faults.push(FieldError::new(
                field,
                format!("must be a string, found {other}"),
            ));
            None
        }
    }
}

fn scope(faults: &mut Vec<FieldError>, side: &str, input: Option<&ScopeInput>) -> Option<Scope> {
    let input = input?;
    let name = optional_text(faults, &format!("{side}.name"), input.name.as_ref());
    let label = optional_text(faults, &format!("{side}.label"), input.label.as_ref());
    match (name, label) {
        (Some(_), Some(_)) => {
            faults.push(FieldError::new(
                side,
                "give either a name or a label, not both",
            ));
            None
        }
        (Some(name), None) if name.trim().is_empty() => {
            faults.push(FieldError::new(format!("{side}.name"), "must not be blank"));
            None
        }
        (None, Some(label)) if label.trim().is_empty() => {
            faults.push(FieldError::new(
                format!("{side}.label"),
                "must not be blank",
            ));
            None
        }
        (Some(name), None) => Some(Scope::Name(name)),
        (None, Some(label)) => Some(Scope::Label(label)),
        (None, None) => None,
    }
}

fn events(faults: &mut Vec<FieldError>, input: Option<&Value>) -> Vec<Event> {
    let items = match input {
        None | Some(Value::Null) => return vec![Event::ContractContentChanged],
        Some(Value::Array(items)) => items,
        Some(other) => {
            faults.push(FieldError::new(
                "events",
                format!("must be an array of {{\"name\": …}}, found {other}"),
            ));
            return Vec::new();
        }
    };
    if items.is_empty() {
        faults.push(FieldError::new(
            "events",
            format!(
                "must name at least one event: {}",
                Event::ALL.map(Event::as_str).join(", ")
            ),
        ));
    }
    let mut events = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let field = format!("events[{index}].name");
        match item.get("name").and_then(Value::as_str) {
            None => faults.push(FieldError::new(field, "is missing")),
            Some(name) => match Event::parse(name) {
                Some(event) if !events.contains(&event) => events.push(event),
                Some(_) => {}
                None => faults.push(FieldError::new(
                    field,
                    format!(
                        "`{name}` is not an event; use one of {}",
                        Event::ALL.map(Event::as_str).join(", ")
                    ),
                )),
            },
        }
    }
    events
}

fn check_variables(faults: &mut Vec<FieldError>, field: &str, text: &str) {
    for unknown in template::unknown_variables(text) {
        faults.push(FieldError::new(
            field,
            format!(
                "`${{{unknown}}}` is not a template variable; known: {}",
                template::VARIABLES.join(", ")
            ),
        ));
    }
}

fn check_json_variables(faults: &mut Vec<FieldError>, field: &str, value: &Value) {
    match value {
        Value::String(text) => check_variables(faults, field, text),
        Value::Array(items) => items
            .iter()
            .for_each(|item| check_json_variables(faults, field, item)),
        Value::Object(object) => object.iter().for_each(|(key, item)| {
            check_variables(faults, field, key);
            check_json_variables(faults, field, item);
        }),
        _ => {}
    }
}

fn request(
    faults: &mut Vec<FieldError>,
    input: Option<&Value>,
    policy: &TargetPolicy,
) -> Option<RequestTemplate> {
    let Some(Value::Object(request)) = input else {
        faults.push(FieldError::new(
            "request",
            "is missing: give {\"method\": …, \"url\": …} at least",
        ));
        return None;
    };
    let before = faults.len();
    let method = match request.get("method") {
        None | Some(Value::Null) => {
            faults.push(FieldError::new("request.method", "is missing"));
            None
        }
        Some(Value::String(method)) if METHODS.contains(&method.to_ascii_uppercase().as_str()) => {
            Some(method.to_ascii_uppercase())
        }
        Some(other) => {
            faults.push(FieldError::new(
                "request.method",
                format!("must be one of {}, found {other}", METHODS.join(", ")),
            ));
            None
        }
    };
    let url = match request.get("url") {
        None | Some(Value::Null) => {
            faults.push(FieldError::new("request.url", "is missing"));
            None
        }
        Some(Value::String(url)) => {
            check_variables(faults, "request.url", url);
            match policy.check_url_template(url) {
                Ok(_) => Some(url.clone()),
                Err(error) => {
                    faults.push(FieldError::new("request.url", error.to_string()));
                    None
                }
            }
        }
        Some(other) => {
            faults.push(FieldError::new(
                "request.url",
                format!("must be a string, found {other}"),
            ));
            None
        }
    };
    let mut headers = BTreeMap::new();
    match request.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(given)) => {
            for (name, value) in given {
                let field = format!("request.headers.{name}");
                let valid_name = !name.is_empty()
                    && name.bytes().all(|byte| {
                        byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
                    });
                if !valid_name {
                    faults.push(FieldError::new(field, "is not a valid header name"));
                    continue;
                }
                match value {
                    Value::String(text)
                        if text
                            .bytes()
                            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b) || b >= 0x80) =>
                    {
                        check_variables(faults, &field, text);
                        headers.insert(name.clone(), text.clone());
                    }
                    Value::String(_) => faults.push(FieldError::new(
                        field,
                        "must not contain control characters",
                    )),
                    other => faults.push(FieldError::new(
                        field,
                        format!("must be a string, found {other}"),
                    )),
                }
            }
        }
        Some(other) => faults.push(FieldError::new(
            "request.headers",
            format!("must be an object of header names to values, found {other}"),
        )),
    }
    let body = request.get("body").filter(|body| !body.is_null()).cloned();
    if let Some(body) = &body {
        check_json_variables(faults, "request.body", body);
    }
    let username = optional_text(faults, "request.username", request.get("username"));
    let password = optional_text(faults, "request.password", request.get("password"));
    if faults.len() > before {
        return None;
    }
    Some(RequestTemplate {
        method: method?,
        url: url?,
        headers,
        body,
        username,
        password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_request_knows_the_secrets_a_receiver_could_echo() {
        let request = RenderedRequest {
            method: "POST".to_owned(),
            url: "https://ci.example.com/".to_owned(),
            headers: vec![
                ("Authorization".to_owned(), "Bearer abcdefgh1234".to_owned()),
                ("X-Api-Key".to_owned(), "k".to_owned()),
                ("X-Plain".to_owned(), "not-a-secret-at-all".to_owned()),
            ],
            body: None,
            json_body: false,
            basic_auth: Some(("ci".to_owned(), Some("hunter2".to_owned()))),
        };
        let secrets = request.secrets();
        for expected in [
            "Bearer abcdefgh1234",
            "abcdefgh1234",
            "k",
            "hunter2",
            "Y2k6aHVudGVyMg==",
        ] {
            assert!(
                secrets.iter().any(|s| s == expected),
                "{expected}: {secrets:?}"
            );
        }
        assert!(
            !secrets.iter().any(|s| s.contains("not-a-secret")),
            "{secrets:?}"
        );
        assert!(
            !secrets.iter().any(|s| s == "Bearer"),
            "short words are not secrets"
        );
    }
}
