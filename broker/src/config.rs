//! Every setting of the broker: a clap flag with an environment variable and a default, read
//! once and validated into [`Config`] before anything starts.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::storage::DatabaseTarget;

/// `treaty-broker`'s command line.
#[derive(Debug, Parser)]
#[command(
    name = "treaty-broker",
    version,
    about = "Treaty's contract broker: the Pact Broker HTTP API on SQLite or PostgreSQL"
)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings shared by every subcommand.
    #[command(flatten)]
    pub settings: Settings,
}

/// Subcommands.
#[derive(Debug, Clone, Copy, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Migrate the database, then serve the API (the default).
    Serve,
    /// Migrate the database and exit.
    Migrate,
}

/// How logs are written to stderr.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// The raw settings as given on the command line or in the environment.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address and port to listen on (port 0 picks a free port).
    #[arg(
        long,
        env = "TREATY_BIND",
        default_value = "127.0.0.1:9292",
        global = true
    )]
    pub bind: String,
    /// Database: `sqlite:PATH`, a plain file path, or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite:treaty.db",
        global = true,
        hide_env_values = true
    )]
    pub database_url: String,
    /// Largest accepted request body, in bytes; larger bodies get 413.
    #[arg(long, env = "TREATY_MAX_BODY_BYTES", default_value_t = 10 * 1024 * 1024, global = true)]
    pub max_body_bytes: usize,
    /// Let a publication with different content replace an existing consumer version's pact.
    #[arg(long, env = "TREATY_ALLOW_CONTRACT_OVERWRITE", global = true)]
    pub allow_contract_overwrite: bool,
    /// Log format on stderr.
    #[arg(long, env = "TREATY_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Maximum number of pooled database connections.
    #[arg(long, env = "TREATY_DB_POOL_SIZE", default_value_t = 10, global = true)]
    pub db_pool_size: u32,
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// `ADDR:PORT` to listen on.
    pub bind: String,
    /// The database.
    pub database: DatabaseTarget,
    /// Request body limit in bytes.
    pub max_body_bytes: usize,
    /// Whether contract content may be overwritten.
    pub allow_contract_overwrite: bool,
    /// Pool size.
    pub db_pool_size: u32,
}

impl Config {
    /// Validates raw settings; the error says which setting is wrong and what is expected.
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let database = DatabaseTarget::parse(&settings.database_url)
            .map_err(|message| format!("--database-url (DATABASE_URL): {message}"))?;
        if settings.max_body_bytes == 0 {
            return Err("--max-body-bytes (TREATY_MAX_BODY_BYTES) must be greater than 0".into());
        }
        if settings.db_pool_size == 0 {
            return Err("--db-pool-size (TREATY_DB_POOL_SIZE) must be greater than 0".into());
        }
        if !settings.bind.contains(':') {
            return Err(format!(
                "--bind (TREATY_BIND) expects ADDR:PORT, found `{}`",
                settings.bind
            ));
        }
        Ok(Self {
            bind: settings.bind.clone(),
            database,
            max_body_bytes: settings.max_body_bytes,
            allow_contract_overwrite: settings.allow_contract_overwrite,
            db_pool_size: settings.db_pool_size,
        })
    }

    /// Settings for a server on `database`, other settings at their defaults, on port 0.
    pub fn for_database(database: DatabaseTarget) -> Self {
        Self {
            bind: "127.0.0.1:0".to_owned(),
            database,
            max_body_bytes: 10 * 1024 * 1024,
            allow_contract_overwrite: false,
            db_pool_size: 10,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
