//! What the webhook commands print in table mode, as pure functions of the broker's JSON: the
//! webhook list (from `_embedded.webhooks`, or from the `pb:webhooks` links a Pact Broker sends
//! instead), the one-line summary of a saved webhook, the result of a test run and the delivery
//! list.
//!
//! Fields a broker leaves out print as `-`; nothing here fails on an unexpected shape.

use serde_json::Value;

use crate::cli::text_table::render_keeping;
use crate::cli::webhooks::definition::EVENTS;

/// The most of a response body a test run prints.
const EXCERPT_CHARS: usize = 500;
/// The most lines of a response body a test run prints.
const EXCERPT_LINES: usize = 10;

/// The webhook list as a table (UUID, DESCRIPTION, SCOPE, EVENTS, ENABLED), or `no webhooks`.
pub fn webhook_table(collection: &Value) -> String {
    let rows = webhook_rows(collection);
    if rows.is_empty() {
        return "no webhooks\n".to_owned();
    }
    render_keeping(
        &["UUID", "DESCRIPTION", "SCOPE", "EVENTS", "ENABLED"],
        &rows,
        &[0],
    )
}

/// One row per webhook: the embedded resources when the broker embeds them, otherwise the
/// `pb:webhooks` links (uuid from the href's last segment, description from `name`).
fn webhook_rows(collection: &Value) -> Vec<Vec<String>> {
    if let Some(webhooks) = collection
        .pointer("/_embedded/webhooks")
        .and_then(Value::as_array)
    {
        return webhooks
            .iter()
            .map(|webhook| {
                vec![
                    text(webhook, "/uuid")
                        .or_else(|| webhook_link_uuid(webhook, "/_links/self/href"))
                        .unwrap_or_else(|| "-".into()),
                    text(webhook, "/description").unwrap_or_else(|| "-".into()),
                    scope(webhook),
                    short_events(webhook),
                    webhook
                        .get("enabled")
                        .and_then(Value::as_bool)
                        .map_or_else(|| "-".into(), |enabled| enabled.to_string()),
                ]
            })
            .collect();
    }
    let links = match collection.pointer("/_links/pb:webhooks") {
        Some(Value::Array(links)) => links.clone(),
        Some(link @ Value::Object(_)) => vec![link.clone()],
        _ => Vec::new(),
    };
    links
        .iter()
        .map(|link| {
            vec![
                webhook_link_uuid(link, "/href").unwrap_or_else(|| "-".into()),
                text(link, "/name")
                    .or_else(|| text(link, "/title"))
                    .unwrap_or_else(|| "-".into()),
                "-".into(),
                "-".into(),
                "-".into(),
            ]
        })
        .collect()
}

/// `Condor → Pricing`, `label:mobile → any`, or `all` when neither side is named.
pub fn scope(webhook: &Value) -> String {
    let side = |key: &str| {
        let side = webhook.get(key)?;
        text(side, "/name").or_else(|| text(side, "/label").map(|label| format!("label:{label}")))
    };
    match (side("consumer"), side("provider")) {
        (None, None) => "all".to_owned(),
        (consumer, provider) => format!(
            "{} → {}",
            consumer.as_deref().unwrap_or("any"),
            provider.as_deref().unwrap_or("any")
        ),
    }
}

/// The events as short names (`published, failed`); a name Treaty does not know is kept whole.
fn short_events(webhook: &Value) -> String {
    let names = event_names(webhook);
    if names.is_empty() {
        return "-".to_owned();
    }
    names
        .iter()
        .map(|name| {
            EVENTS
                .iter()
                .find(|(_, known, _)| known == name)
                .map_or(name.as_str(), |(_, _, short)| short)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn event_names(webhook: &Value) -> Vec<String> {
    webhook
        .get("events")
        .and_then(Value::as_array)
        .map(|events| {
            events
                .iter()
                .filter_map(|event| event.get("name").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `METHOD URL on event, event (scope)`: one line describing a webhook resource.
pub fn summary(webhook: &Value) -> String {
    let method = text(webhook, "/request/method").unwrap_or_else(|| "-".into());
    let url = text(webhook, "/request/url").unwrap_or_else(|| "-".into());
    let events = event_names(webhook);
    let events = if events.is_empty() {
        "-".to_owned()
    } else {
        events.join(", ")
    };
    let mut line = format!("{method} {url} on {events} ({})", scope(webhook));
    if let Some(description) = text(webhook, "/description") {
        line = format!("{description}: {line}");
    }
    line
}

/// The uuid of a saved webhook: its `uuid`, else its self link's last segment.
pub fn saved_uuid(webhook: &Value) -> Option<String> {
    text(webhook, "/uuid").or_else(|| webhook_link_uuid(webhook, "/_links/self/href"))
}

/// What a test run printed: the line `webhook U succeeded|failed: METHOD URL → STATUS in N ms`
/// (or `: ERROR` when the target was not reached) and an excerpt of the target's response body.
pub fn execution(uuid: &str, result: &Value, success: bool) -> String {
    let verdict = if success { "succeeded" } else { "failed" };
    let method = text(result, "/request/method").unwrap_or_else(|| "-".into());
    let url = text(result, "/request/url").unwrap_or_else(|| "-".into());
    let mut line = format!("webhook {uuid} {verdict}: {method} {url}");
    if let Some(status) = result.pointer("/response/status").and_then(Value::as_u64) {
        line.push_str(&format!(" → {status}"));
    }
    if let Some(duration) = result.get("durationMs").and_then(Value::as_u64) {
        line.push_str(&format!(" in {duration} ms"));
    }
    if let Some(error) = text(result, "/error/message") {
        line.push_str(&format!(": {error}"));
    }
    line.push('\n');
    if let Some(body) = result.pointer("/response/body") {
        for excerpt_line in excerpt(body).lines() {
            line.push_str(&format!("  {excerpt_line}\n"));
        }
    }
    line
}

/// The start of a body (a string as it is, JSON compactly): at most [`EXCERPT_LINES`] lines and
/// [`EXCERPT_CHARS`] characters, ending in `…` when cut. An empty body gives nothing.
pub fn excerpt(body: &Value) -> String {
    let text = match body {
        Value::Null => return String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let mut kept: String = text
        .lines()
        .take(EXCERPT_LINES)
        .collect::<Vec<_>>()
        .join("\n")
        .chars()
        .take(EXCERPT_CHARS)
        .collect();
    if kept.trim_end() != text.trim_end() {
        kept.push('…');
    }
    kept
}

/// The delivery list as a table (ID, EVENT, STATUS, ATTEMPTS, LAST RESULT), or `no deliveries`.
pub fn delivery_table(body: &Value) -> String {
    let deliveries = body
        .get("deliveries")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if deliveries.is_empty() {
        return "no deliveries\n".to_owned();
    }
    let rows: Vec<Vec<String>> = deliveries
        .iter()
        .map(|delivery| {
            let event = text(delivery, "/event").unwrap_or_else(|| "-".into());
            let event = EVENTS
                .iter()
                .find(|(_, name, _)| *name == event)
                .map_or(event.clone(), |(_, _, short)| (*short).to_owned());
            vec![
                scalar(delivery.get("id")),
                event,
                text(delivery, "/status").unwrap_or_else(|| "-".into()),
                scalar(delivery.get("attemptCount")),
                last_result(delivery),
            ]
        })
        .collect();
    render_keeping(
        &["ID", "EVENT", "STATUS", "ATTEMPTS", "LAST RESULT"],
        &rows,
        &[0],
    )
}

/// The last attempt's response status or error, and when the next attempt is due (a long
/// error is cut to fit; `--output json` has it whole).
fn last_result(delivery: &Value) -> String {
    let last = delivery
        .get("attempts")
        .and_then(Value::as_array)
        .and_then(|attempts| {
            attempts
                .iter()
                .max_by_key(|attempt| attempt.get("number").and_then(Value::as_u64))
        });
    let mut result = match last {
        None => "-".to_owned(),
        Some(attempt) => match (
            attempt.get("responseStatus").and_then(Value::as_u64),
            text(attempt, "/error"),
        ) {
            (Some(status), _) => status.to_string(),
            (None, Some(error)) => error,
            (None, None) => "-".to_owned(),
        },
    };
    if let Some(next) = text(delivery, "/nextAttemptAt") {
        result.push_str(&format!("; next {next}"));
    }
    result
}

fn text(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// A number or a string as text, anything else as `-`.
fn scalar(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => "-".to_owned(),
    }
}

/// The last path segment of the href at `pointer`: `/webhooks/{uuid}` gives the uuid.
fn webhook_link_uuid(value: &Value, pointer: &str) -> Option<String> {
    let href = text(value, pointer)?;
    let path = href.split(['?', '#']).next().unwrap_or(&href);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|segment| !segment.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::cli::text_table::{WIDTH, render};

    /// The list's columns through the plain renderer, which may cut any column.
    fn table_of(rows: &[Vec<String>]) -> String {
        render(&["UUID", "DESCRIPTION", "SCOPE", "EVENTS", "ENABLED"], rows)
    }

    const UUID: &str = "0b9f8c1e-5d3a-4c2b-9e7f-1a2b3c4d5e6f";

    fn webhook(uuid: &str, description: &str, consumer: Value, provider: Value) -> Value {
        let mut webhook = json!({
            "uuid": uuid,
            "description": description,
            "enabled": true,
            "events": [{ "name": "contract_published" }, { "name": "provider_verification_failed" }],
            "request": { "method": "POST", "url": "https://ci.example/hook" },
            "createdAt": "2024-05-01T10:00:00Z",
            "_links": { "self": { "href": format!("http://broker/webhooks/{uuid}"), "title": description } }
        });
        if !consumer.is_null() {
            webhook["consumer"] = consumer;
        }
        if !provider.is_null() {
            webhook["provider"] = provider;
        }
        webhook
    }

    #[test]
    fn the_list_fits_80_columns_and_keeps_the_uuid_whole() {
        let collection = json!({ "_embedded": { "webhooks": [
            webhook(UUID, "trigger the Pricing build when a Condor contract changes", json!({ "name": "Condor" }), json!({ "name": "Pricing" })),
            webhook("w2", "all", Value::Null, Value::Null),
        ] } });
        let text = webhook_table(&collection);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        for line in &lines {
            assert!(line.chars().count() <= WIDTH, "{text}");
        }
        assert!(lines[0].starts_with("UUID"), "{text}");
        assert!(lines[0].ends_with("ENABLED"), "{text}");
        assert!(lines[1].starts_with(&format!("{UUID}  ")), "{text}");
        assert!(lines[1].ends_with("true"), "{text}");
        assert!(lines[2].contains("all"), "{text}");
    }

    #[test]
    fn scope_names_labels_any_and_all() {
        let condor = webhook(
            "u",
            "d",
            json!({ "name": "Condor" }),
            json!({ "name": "Pricing" }),
        );
        assert_eq!(scope(&condor), "Condor → Pricing");
        let label = webhook("u", "d", json!({ "label": "x" }), Value::Null);
        assert_eq!(scope(&label), "label:x → any");
        let provider_only = webhook("u", "d", Value::Null, json!({ "name": "Pricing" }));
        assert_eq!(scope(&provider_only), "any → Pricing");
        assert_eq!(scope(&webhook("u", "d", Value::Null, Value::Null)), "all");
    }

    #[test]
    fn events_are_shortened_and_unknown_ones_kept() {
        let mut hook = webhook("u", "d", Value::Null, Value::Null);
        assert_eq!(short_events(&hook), "published, failed");
        hook["events"] =
            json!([{ "name": "contract_content_changed" }, { "name": "something_new" }]);
        assert_eq!(short_events(&hook), "content_changed, something_new");
        hook["events"] = json!([]);
        assert_eq!(short_events(&hook), "-");
    }

    #[test]
    fn without_embedded_webhooks_the_links_are_listed() {
        let collection = json!({ "_links": {
            "self": { "href": "http://broker/webhooks" },
            "pb:create": { "href": "http://broker/webhooks" },
            "pb:webhooks": [
                { "href": "http://broker/webhooks/AbCdEf123", "name": "notify CI", "title": "A webhook" },
                { "href": "http://broker/webhooks/XyZ/", "title": "untitled" },
            ]
        } });
        let rows = webhook_rows(&collection);
        assert_eq!(
            rows,
            vec![
                vec!["AbCdEf123", "notify CI", "-", "-", "-"],
                vec!["XyZ", "untitled", "-", "-", "-"],
            ]
        );
        let text = webhook_table(&collection);
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|line| line.starts_with("AbCdEf123")),
            "{text}"
        );
        let single =
            json!({ "_links": { "pb:webhooks": { "href": "/webhooks/one", "name": "n" } } });
        assert_eq!(webhook_rows(&single)[0][0], "one");
    }

    #[test]
    fn an_empty_list_says_so() {
        assert_eq!(
            webhook_table(&json!({ "_embedded": { "webhooks": [] } })),
            "no webhooks\n"
        );
        assert_eq!(
            webhook_table(&json!({ "_links": { "pb:webhooks": [] } })),
            "no webhooks\n"
        );
        assert_eq!(webhook_table(&json!({})), "no webhooks\n");
    }

    #[test]
    fn a_summary_says_method_url_events_and_scope() {
        let hook = webhook(
            "u",
            "notify",
            json!({ "name": "Condor" }),
            json!({ "label": "core" }),
        );
        assert_eq!(
            summary(&hook),
            "notify: POST https://ci.example/hook on contract_published, provider_verification_failed (Condor → label:core)"
        );
        assert_eq!(saved_uuid(&hook).as_deref(), Some("u"));
        let no_uuid = json!({ "_links": { "self": { "href": "http://b/webhooks/from-link" } } });
        assert_eq!(saved_uuid(&no_uuid).as_deref(), Some("from-link"));
    }

    #[test]
    fn an_execution_shows_status_duration_and_a_body_excerpt() {
        let result = json!({
            "success": true,
            "request": { "method": "POST", "url": "https://ci.example/hook", "headers": {}, "body": {} },
            "response": { "status": 202, "headers": {}, "body": "queued\nbuild 7" },
            "durationMs": 42
        });
        assert_eq!(
            execution("u1", &result, true),
            "webhook u1 succeeded: POST https://ci.example/hook → 202 in 42 ms\n  queued\n  build 7\n"
        );
        let unreachable = json!({
            "success": false,
            "request": { "method": "POST", "url": "https://down.example/" },
            "error": { "message": "connection refused" }
        });
        assert_eq!(
            execution("u2", &unreachable, false),
            "webhook u2 failed: POST https://down.example/: connection refused\n"
        );
    }

    #[test]
    fn excerpts_are_cut_by_lines_and_characters() {
        assert_eq!(excerpt(&Value::Null), "");
        assert_eq!(excerpt(&json!({ "ok": true })), r#"{"ok":true}"#);
        let many_lines: String = (0..20).map(|n| format!("line {n}\n")).collect();
        let cut = excerpt(&json!(many_lines));
        assert_eq!(cut.lines().count(), EXCERPT_LINES, "{cut}");
        assert!(cut.ends_with('…'), "{cut}");
        let long = "x".repeat(2000);
        let cut = excerpt(&json!(long));
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(excerpt(&json!("whole\n")), "whole");
    }

    #[test]
    fn deliveries_show_the_last_attempt_and_the_next() {
        let body = json!({ "deliveries": [
            { "id": 7, "event": "contract_published", "status": "failed", "attemptCount": 2,
              "nextAttemptAt": "2024-05-01T10:05:00Z", "createdAt": "2024-05-01T10:00:00Z",
              "attempts": [
                { "number": 2, "startedAt": "t2", "durationMs": 30, "error": "connection refused" },
                { "number": 1, "startedAt": "t1", "durationMs": 12, "responseStatus": 500 }
              ] },
            { "id": "d-8", "event": "provider_verification_failed", "status": "delivered", "attemptCount": 1,
              "createdAt": "2024-05-01T11:00:00Z",
              "attempts": [{ "number": 1, "startedAt": "t", "durationMs": 5, "responseStatus": 200, "responseExcerpt": "ok" }] },
            { "id": 9, "event": "contract_published", "status": "pending", "attemptCount": 0, "createdAt": "t", "attempts": [] }
        ] });
        let text = delivery_table(&body);
        let lines: Vec<&str> = text.lines().collect();
        for line in &lines {
            assert!(line.chars().count() <= WIDTH, "{text}");
        }
        assert_eq!(lines[0].split_whitespace().next(), Some("ID"), "{text}");
        assert!(
            lines[1].contains("published") && lines[1].contains("failed"),
            "{text}"
        );
        // The cell is cut at 40 characters, like every cell of these tables.
        assert!(
            lines[1].ends_with("connection refused; next 2024-05-01T10:…"),
            "{text}"
        );
        assert!(
            lines[2].starts_with("d-8") && lines[2].ends_with("  200"),
            "{text}"
        );
        assert!(lines[3].ends_with('-'), "{text}");
        assert_eq!(
            delivery_table(&json!({ "deliveries": [] })),
            "no deliveries\n"
        );
    }

    #[test]
    fn the_plain_renderer_would_cut_the_uuid_which_is_why_it_is_kept() {
        let row = vec![
            UUID.to_owned(),
            "d".repeat(40),
            "s".repeat(30),
            "e".repeat(30),
            "true".to_owned(),
        ];
        assert!(!table_of(std::slice::from_ref(&row)).contains(UUID));
        assert!(
            webhook_table(&json!({ "_embedded": { "webhooks": [
            webhook(UUID, &"d".repeat(40), json!({ "name": "s".repeat(30) }), Value::Null)
        ] } }))
            .contains(UUID)
        );
    }
}
