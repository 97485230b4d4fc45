//! `treaty create-webhook`, `list-webhooks`, `test-webhook`, `delete-webhook` and
//! `list-webhook-deliveries`: the Pact CLI's webhook commands with its flag names
//! (pact-broker-api.md §3.7), sharing the broker flags and `--output` of the environment
//! commands.
//!
//! The flags that define a webhook (URL, method, headers, body, scope, events) have no
//! environment variable, unlike most of Treaty's flags: a value inherited from a CI job's
//! environment would silently change what a webhook calls. `--uuid` of the commands that act on
//! one webhook reads `TREATY_WEBHOOK_UUID`; `create-webhook --uuid` does not, so that a create
//! never turns into the replacement of another webhook.
//!
//! `test-webhook` exits 1 when the webhook ran and its request failed, and 2 when the broker
//! would not run it (unknown uuid, a refused target) or could not be reached.

pub mod definition;
pub mod render;

use clap::Args;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::broker::webhooks::{Saved, WebhookAddress};
use crate::broker::{BrokerClient, wire};
use crate::cli::BrokerArgs;
use crate::cli::environments::{OutputArgs, single_line};
use crate::cli::text_table::{TableOrJson, print, print_json};
use crate::error::Error;

/// Flags of `treaty create-webhook`.
#[derive(Debug, Clone, Args)]
pub struct CreateWebhookArgs {
    /// The URL the webhook's request goes to.
    #[arg(value_name = "WEBHOOK_URL")]
    pub url: String,
    /// The webhook request's HTTP method. Without -X Treaty sends POST, where the Pact CLI
    /// sends no method (which the Pact Broker refuses).
    #[arg(long, short = 'X', value_name = "METHOD", default_value = "POST")]
    pub request: String,
    /// A header of the webhook's request, as 'Name: value'; repeat the flag for more.
    #[arg(long, short = 'H', value_name = "NAME: VALUE")]
    pub header: Vec<String>,
    /// The webhook request's body, or @FILE to read it from a file; sent as JSON when it parses
    /// as JSON, otherwise as a string.
    #[arg(long, short = 'd', value_name = "DATA|@FILE")]
    pub data: Option<String>,
    /// Basic-auth credentials for the webhook's request, as USER:PASSWORD.
    #[arg(long, value_name = "USER:PASSWORD")]
    pub user: Option<String>,
    /// Only for contracts with this consumer (with --provider: the consumer/provider route).
    #[arg(long, value_name = "NAME", conflicts_with = "consumer_label")]
    pub consumer: Option<String>,
    /// Only for consumers with this label.
    #[arg(long, value_name = "LABEL")]
    pub consumer_label: Option<String>,
    /// Only for contracts with this provider (with --consumer: the consumer/provider route).
    #[arg(long, value_name = "NAME", conflicts_with = "provider_label")]
    pub provider: Option<String>,
    /// Only for providers with this label.
    #[arg(long, value_name = "LABEL")]
    pub provider_label: Option<String>,
    /// A description of the webhook.
    #[arg(long, value_name = "DESCRIPTION")]
    pub description: Option<String>,
    /// Create the webhook with this uuid, or replace the one that has it (PUT /webhooks/{uuid}).
    #[arg(long, value_name = "UUID")]
    pub uuid: Option<String>,
    /// Fire when a contract's content changes.
    #[arg(long)]
    pub contract_content_changed: bool,
    /// Fire when a contract is published.
    #[arg(long)]
    pub contract_published: bool,
    /// Fire when a verification result is published.
    #[arg(long)]
    pub provider_verification_published: bool,
    /// Fire when a successful verification result is published.
    #[arg(long)]
    pub provider_verification_succeeded: bool,
    /// Fire when a failed verification result is published.
    #[arg(long)]
    pub provider_verification_failed: bool,
    /// Fire when a contract that needs verifying is published.
    #[arg(long)]
    pub contract_requiring_verification_published: bool,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty list-webhooks`.
#[derive(Debug, Clone, Args)]
pub struct ListWebhooksArgs {
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty test-webhook`, `delete-webhook` and `list-webhook-deliveries`.
#[derive(Debug, Clone, Args)]
pub struct WebhookUuidArgs {
    /// The webhook's uuid (see `treaty list-webhooks`).
    #[arg(long, env = "TREATY_WEBHOOK_UUID", value_name = "UUID")]
    pub uuid: String,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Runs `treaty create-webhook`.
pub async fn create(args: CreateWebhookArgs) -> Result<(), Error> {
    let definition = args.definition()?;
    let (saved, response) = args
        .broker
        .client()?
        .save_webhook(&definition.address, &definition.body)
        .await?;
    match args.output.output {
        TableOrJson::Json => print_json(&response.body),
        TableOrJson::Table => {
            // Describe what the broker kept when it sent the resource back, else what was sent.
            let described = if response.body.get("request").is_some() {
                &response.body
            } else {
                &definition.described
            };
            let uuid = render::saved_uuid(&response.body)
                .or(match &definition.address {
                    WebhookAddress::Uuid(uuid) => Some(uuid.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "-".into());
            let verb = match saved {
                Saved::Created => "created",
                Saved::Updated => "updated",
            };
            print(&format!(
                "{verb} webhook {uuid}: {}\n",
                render::summary(described)
            ))
        }
    }
}

/// Runs `treaty list-webhooks`.
pub async fn list(args: ListWebhooksArgs) -> Result<(), Error> {
    let collection = args.broker.client()?.list_webhooks().await?;
    match args.output.output {
        TableOrJson::Json => print_json(&collection),
        TableOrJson::Table => print(&render::webhook_table(&collection)),
    }
}

/// Runs `treaty test-webhook`: exit 0 when the webhook's request succeeded, 1 when it failed.
pub async fn test(args: WebhookUuidArgs) -> Result<(), Error> {
    let uuid = single_line("--uuid", &args.uuid)?;
    let response = args.broker.client()?.execute_webhook(&uuid).await?;
    let Some(success) = outcome(&response.body) else {
        if response.status.is_success() {
            // A 2xx that does not say otherwise is a run that worked.
            return report_execution(&args, &uuid, &response.body, true);
        }
        if matches!(
            response.status,
            StatusCode::BAD_REQUEST | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
        ) {
            let mut message = format!(
                "the broker would not run webhook `{uuid}` ({})",
                response.status
            );
            for line in wire::error_lines(&response.body) {
                message.push_str("\n  ");
                message.push_str(&line);
            }
            return Err(Error::WebhookNotRun(message));
        }
        return BrokerClient::expect_success(response, "test run of the webhook").map(|_| ());
    };
    report_execution(&args, &uuid, &response.body, success)
}

/// Whether the run the broker reports succeeded: its `success`, else (for a body with the
/// run's `request`) the target's status, or `false` when there is no response; `None` when the
/// body is not a run's result (an error body of the broker's own, `{"error": …}` included).
fn outcome(body: &Value) -> Option<bool> {
    if let Some(success) = body.get("success").and_then(Value::as_bool) {
        return Some(success);
    }
    body.get("request").filter(|request| request.is_object())?;
    match body.pointer("/response/status").and_then(Value::as_u64) {
        Some(status) => Some((200..300).contains(&status)),
        None => Some(false),
    }
}

fn report_execution(
    args: &WebhookUuidArgs,
    uuid: &str,
    result: &Value,
    success: bool,
) -> Result<(), Error> {
    match args.output.output {
        TableOrJson::Json => print_json(result)?,
        TableOrJson::Table => print(&render::execution(uuid, result, success))?,
    }
    if success {
        return Ok(());
    }
    let reason = match (
        result.pointer("/response/status").and_then(Value::as_u64),
        result.pointer("/error/message").and_then(Value::as_str),
    ) {
        (Some(status), _) => format!("the target answered {status}"),
        (None, Some(error)) => format!("the target could not be reached: {error}"),
        (None, None) => "the broker reports that it failed".to_owned(),
    };
    Err(Error::WebhookFailed(format!(
        "the test call of webhook `{uuid}` failed: {reason}"
    )))
}

/// Runs `treaty delete-webhook`.
pub async fn delete(args: WebhookUuidArgs) -> Result<(), Error> {
    let uuid = single_line("--uuid", &args.uuid)?;
    args.broker.client()?.delete_webhook(&uuid).await?;
    match args.output.output {
        TableOrJson::Json => print_json(&json!({ "deleted": { "uuid": uuid } })),
        TableOrJson::Table => print(&format!("deleted webhook {uuid}\n")),
    }
}

/// Runs `treaty list-webhook-deliveries`.
pub async fn list_deliveries(args: WebhookUuidArgs) -> Result<(), Error> {
    let uuid = single_line("--uuid", &args.uuid)?;
    let body = args.broker.client()?.list_webhook_deliveries(&uuid).await?;
    match args.output.output {
        TableOrJson::Json => print_json(&body),
        TableOrJson::Table => print(&render::delivery_table(&body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_is_success_then_the_target_status_then_an_error() {
        assert_eq!(
            outcome(&json!({ "success": false, "response": { "status": 200 } })),
            Some(false)
        );
        let request = json!({ "method": "POST", "url": "https://h" });
        assert_eq!(
            outcome(&json!({ "request": request, "response": { "status": 204 } })),
            Some(true)
        );
        assert_eq!(
            outcome(&json!({ "request": request, "response": { "status": 500 } })),
            Some(false)
        );
        assert_eq!(
            outcome(&json!({ "request": request, "error": { "message": "refused" } })),
            Some(false)
        );
        // The broker's own error bodies are not a run's result.
        assert_eq!(
            outcome(&json!({ "error": { "message": "internal", "reference": "x" } })),
            None
        );
        assert_eq!(outcome(&json!({ "error": "`ci` has the read role" })), None);
        assert_eq!(
            outcome(&json!({ "errors": { "request.url": ["not allowed"] } })),
            None
        );
        assert_eq!(outcome(&Value::Null), None);
    }
}
