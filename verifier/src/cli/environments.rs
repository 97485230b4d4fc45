//! `treaty create-environment`, `list-environments`, `describe-environment`,
//! `update-environment` and `delete-environment`: the Pact CLI's environment commands, with its
//! flag names, talking HAL to the broker (pact-broker-api.md §3.3).
//!
//! `update-environment` reads the environment first and changes only what a flag gives (the
//! broker's PUT replaces every attribute), so `--display-name X` alone keeps the name and the
//! production flag.

use clap::Args;
use serde_json::{Map, Value, json};

use crate::broker::environments::Environment;
use crate::cli::BrokerArgs;
use crate::cli::text_table::{TableOrJson, print, print_json, render};
use crate::error::Error;

/// How to print a broker command's result; shared by the deployment and version commands.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format: an aligned table for people, or the broker's JSON for pipes.
    #[arg(long, short = 'o', env = "TREATY_OUTPUT", value_enum, default_value_t = TableOrJson::Table)]
    pub output: TableOrJson,
}

/// Flags of `treaty create-environment`.
#[derive(Debug, Clone, Args)]
pub struct CreateEnvironmentArgs {
    /// The unique name of the environment as deployment scripts use it (no spaces).
    #[arg(long, env = "TREATY_ENVIRONMENT_NAME", value_name = "NAME")]
    pub name: String,
    /// The display name (derived from the name when absent).
    #[arg(
        long,
        env = "TREATY_ENVIRONMENT_DISPLAY_NAME",
        value_name = "DISPLAY_NAME"
    )]
    pub display_name: Option<String>,
    /// Whether this is a production environment.
    #[arg(long, env = "TREATY_ENVIRONMENT_PRODUCTION")]
    pub production: bool,
    /// The team or person responsible for the environment.
    #[arg(
        long,
        env = "TREATY_ENVIRONMENT_CONTACT_NAME",
        value_name = "CONTACT_NAME"
    )]
    pub contact_name: Option<String>,
    /// The email address of the team or person responsible.
    #[arg(long, env = "TREATY_ENVIRONMENT_CONTACT_EMAIL", value_name = "EMAIL")]
    pub contact_email_address: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty list-environments`.
#[derive(Debug, Clone, Args)]
pub struct ListEnvironmentsArgs {
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty describe-environment` and `treaty delete-environment`.
#[derive(Debug, Clone, Args)]
pub struct EnvironmentUuidArgs {
    /// The environment's uuid (see `treaty list-environments`).
    #[arg(long, env = "TREATY_ENVIRONMENT_UUID", value_name = "UUID")]
    pub uuid: String,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Flags of `treaty update-environment`: only the attributes given change.
#[derive(Debug, Clone, Args)]
pub struct UpdateEnvironmentArgs {
    /// The environment's uuid (see `treaty list-environments`).
    #[arg(long, env = "TREATY_ENVIRONMENT_UUID", value_name = "UUID")]
    pub uuid: String,
    /// A new unique name.
    #[arg(long, env = "TREATY_ENVIRONMENT_NAME", value_name = "NAME")]
    pub name: Option<String>,
    /// A new display name.
    #[arg(
        long,
        env = "TREATY_ENVIRONMENT_DISPLAY_NAME",
        value_name = "DISPLAY_NAME"
    )]
    pub display_name: Option<String>,
    /// Mark it as a production environment.
    #[arg(
        long,
        env = "TREATY_ENVIRONMENT_PRODUCTION",
        conflicts_with = "no_production"
    )]
    pub production: bool,
    /// Mark it as not a production environment.
    #[arg(long, env = "TREATY_ENVIRONMENT_NO_PRODUCTION")]
    pub no_production: bool,
    /// A new contact name (replaces the contacts).
    #[arg(
        long,
        env = "TREATY_ENVIRONMENT_CONTACT_NAME",
        value_name = "CONTACT_NAME"
    )]
    pub contact_name: Option<String>,
    /// A new contact email address (replaces the contacts).
    #[arg(long, env = "TREATY_ENVIRONMENT_CONTACT_EMAIL", value_name = "EMAIL")]
    pub contact_email_address: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How to reach the broker.
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// A non-blank, single-line flag value, or a usage error naming the flag.
pub(crate) fn single_line(flag: &str, value: &str) -> Result<String, Error> {
    if value.trim().is_empty() || value.contains(['\n', '\r']) {
        return Err(Error::Usage(format!(
            "invalid {flag} `{value}`: expected a non-blank value on one line"
        )));
    }
    Ok(value.to_owned())
}

/// The `contacts` array the Pact CLI sends for `--contact-name` and `--contact-email-address`.
fn contacts(name: Option<&str>, email: Option<&str>) -> Option<Value> {
    if name.is_none() && email.is_none() {
        return None;
    }
    let mut contact = Map::new();
    if let Some(name) = name {
        contact.insert("name".into(), json!(name));
    }
    if let Some(email) = email {
        contact.insert("details".into(), json!({ "emailAddress": email }));
    }
    Some(json!([contact]))
}

fn environment_rows(environments: &[Environment]) -> String {
    let rows: Vec<Vec<String>> = environments
        .iter()
        .map(|e| {
            vec![
                e.uuid.clone(),
                e.name.clone(),
                e.display_name.clone().unwrap_or_else(|| "-".into()),
                e.production.to_string(),
            ]
        })
        .collect();
    render(&["UUID", "NAME", "DISPLAY NAME", "PRODUCTION"], &rows)
}

/// Runs `treaty create-environment`.
pub async fn create(args: CreateEnvironmentArgs) -> Result<(), Error> {
    let mut body = json!({
        "name": single_line("--name", &args.name)?,
        "production": args.production,
    });
    if let Some(display) = &args.display_name {
        body["displayName"] = json!(single_line("--display-name", display)?);
    }
    if let Some(contacts) = contacts(
        args.contact_name.as_deref(),
        args.contact_email_address.as_deref(),
    ) {
        body["contacts"] = contacts;
    }
    let created = args.broker.client()?.create_environment(&body).await?;
    match args.output.output {
        TableOrJson::Json => print_json(&created.body),
        TableOrJson::Table => print(&format!(
            "created environment {} (uuid {})\n",
            created.name, created.uuid
        )),
    }
}

/// Runs `treaty list-environments`.
pub async fn list(args: ListEnvironmentsArgs) -> Result<(), Error> {
    let (environments, body) = args.broker.client()?.list_environments().await?;
    match args.output.output {
        TableOrJson::Json => print_json(&body),
        TableOrJson::Table => print(&environment_rows(&environments)),
    }
}

/// Runs `treaty describe-environment`.
pub async fn describe(args: EnvironmentUuidArgs) -> Result<(), Error> {
    let environment = args.broker.client()?.get_environment(&args.uuid).await?;
    match args.output.output {
        TableOrJson::Json => print_json(&environment.body),
        TableOrJson::Table => {
            let mut text = environment_rows(std::slice::from_ref(&environment));
            if let Some(contacts) = environment.body.get("contacts").and_then(Value::as_array) {
                for contact in contacts {
                    let name = contact.get("name").and_then(Value::as_str).unwrap_or("-");
                    let email = contact
                        .pointer("/details/emailAddress")
                        .and_then(Value::as_str)
                        .unwrap_or("-");
                    text.push_str(&format!("contact: {name} <{email}>\n"));
                }
            }
            print(&text)
        }
    }
}

/// Runs `treaty update-environment`: reads the environment, changes what the flags give.
pub async fn update(args: UpdateEnvironmentArgs) -> Result<(), Error> {
    let client = args.broker.client()?;
    let existing = client.get_environment(&args.uuid).await?;
    let name = match &args.name {
        Some(name) => single_line("--name", name)?,
        None => existing.name.clone(),
    };
    let production = match (args.production, args.no_production) {
        (true, _) => true,
        (_, true) => false,
        _ => existing.production,
    };
    let mut body = json!({ "name": name, "production": production });
    match &args.display_name {
        Some(display) => body["displayName"] = json!(single_line("--display-name", display)?),
        // Keep a display name someone chose; one derived from the old name follows the new one.
        None if args.name.is_none() => {
            if let Some(display) = &existing.display_name {
                body["displayName"] = json!(display);
            }
        }
        None => {}
    }
    match contacts(
        args.contact_name.as_deref(),
        args.contact_email_address.as_deref(),
    ) {
        Some(contacts) => body["contacts"] = contacts,
        None => {
            if let Some(contacts) = existing.body.get("contacts") {
                body["contacts"] = contacts.clone();
            }
        }
    }
    let updated = client.replace_environment(&args.uuid, &body).await?;
    match args.output.output {
        TableOrJson::Json => print_json(&updated.body),
        TableOrJson::Table => print(&format!(
            "updated environment {} (uuid {})\n",
            updated.name, updated.uuid
        )),
    }
}

/// Runs `treaty delete-environment`.
pub async fn delete(args: EnvironmentUuidArgs) -> Result<(), Error> {
    let client = args.broker.client()?;
    let existing = client.get_environment(&args.uuid).await?;
    client.delete_environment(&args.uuid).await?;
    match args.output.output {
        TableOrJson::Json => print_json(&json!({ "deleted": existing.body })),
        TableOrJson::Table => print(&format!(
            "deleted environment {} (uuid {}) with its deployments and releases\n",
            existing.name, existing.uuid
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_follow_the_pact_cli_shape() {
        assert_eq!(contacts(None, None), None);
        assert_eq!(
            contacts(Some("Team A"), Some("a@example.com")),
            Some(json!([{ "name": "Team A", "details": { "emailAddress": "a@example.com" } }]))
        );
        assert_eq!(
            contacts(None, Some("a@example.com")),
            Some(json!([{ "details": { "emailAddress": "a@example.com" } }]))
        );
    }
}
