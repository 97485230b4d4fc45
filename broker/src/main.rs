//! The `treaty-broker` binary: parse flags, set up logging, then migrate and serve (or only
//! migrate), printing one start-up line that scripts and tests parse.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use treaty_broker::app;
use treaty_broker::config::{Cli, Command, Config, LogFormat, TokenCommand};
use treaty_broker::domain::access::tokens;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = cli
        .settings
        .log_level
        .clone()
        .filter(|level| !level.trim().is_empty())
        .or_else(|| {
            std::env::var("RUST_LOG")
                .ok()
                .filter(|level| !level.trim().is_empty())
        })
        .unwrap_or_else(|| "info".to_owned());
    if let Err(error) = init_logging(cli.settings.log_format, &level) {
        eprintln!("treaty-broker: error: {error}");
        return ExitCode::from(2);
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("treaty-broker: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs to stderr: text with colours on a terminal, JSON lines (or plain text) otherwise.
fn init_logging(format: LogFormat, level: &str) -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_new(level).map_err(|error| {
        format!("--log-level (TREATY_LOG_LEVEL, else RUST_LOG) `{level}` is not a level such as `info` or `warn,treaty_broker=debug`: {error}")
    })?;
    let terminal = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Auto if !terminal => builder.json().init(),
        LogFormat::Auto | LogFormat::Text => builder.with_ansi(terminal).init(),
    }
    Ok(())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_settings(&cli.settings).map_err(anyhow::Error::msg)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            app::open_database(&config).context("migration failed")?;
            tracing::info!(database = %config.database.describe(), "database is migrated");
            Ok(())
        }
        Command::Serve => actix_web::rt::System::new().block_on(serve(config)),
        Command::Token(command) => actix_web::rt::System::new().block_on(token(config, command)),
    }
}

/// `treaty-broker token …`: the secret alone on stdout (so `$(treaty-broker token create …)`
/// captures it), everything else on stderr.
async fn token(config: Config, command: TokenCommand) -> anyhow::Result<()> {
    let opening = config.clone();
    let db = tokio::task::spawn_blocking(move || app::open_database(&opening))
        .await
        .context("the database task failed")?
        .context("cannot open the database")?;
    match command {
        TokenCommand::Create { name, role } => {
            let made = tokens::create_token(&db, name, &role)
                .await
                .context("cannot create the token")?;
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{}", made.secret).context("cannot write to stdout")?;
            eprintln!(
                "created token `{}` with the {} role; it is shown only this once: store it as a CI secret (PACT_BROKER_TOKEN)",
                made.token.name, made.token.role
            );
        }
        TokenCommand::List => {
            let list = tokens::list_tokens(&db)
                .await
                .context("cannot list the tokens")?;
            let mut stdout = std::io::stdout().lock();
            writeln!(
                stdout,
                "{:<24} {:<5} {:<16} LAST USED (UTC)",
                "NAME", "ROLE", "CREATED (UTC)"
            )
            .context("cannot write to stdout")?;
            for entry in &list {
                writeln!(
                    stdout,
                    "{:<24} {:<5} {:<16} {}",
                    entry.name,
                    entry.role,
                    to_minute(&entry.created_at),
                    entry
                        .last_used_at
                        .as_deref()
                        .map_or_else(|| "never".to_owned(), to_minute)
                )
                .context("cannot write to stdout")?;
            }
            if list.is_empty() {
                eprintln!(
                    "no tokens: create one with `treaty-broker token create --name NAME --role ROLE`"
                );
            }
        }
        TokenCommand::Revoke { name } => {
            tokens::revoke_token(&db, name.clone())
                .await
                .context("cannot revoke the token")?;
            eprintln!("revoked token `{name}`: requests that send it are refused from now on");
        }
    }
    Ok(())
}

/// `2026-12-06T21:40:05.123Z` as `2026-12-06 21:40`, so the token table fits 80 columns.
fn to_minute(timestamp: &str) -> String {
    timestamp.get(..16).unwrap_or(timestamp).replace('T', " ")
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let database = config.database.describe();
    let running = app::start(config)
        .await
        .context("cannot start the broker")?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "treaty-broker listening on http://{}",
        running.address
    )
    .context("cannot write to stdout")?;
    stdout.flush().context("cannot write to stdout")?;
    drop(stdout);
    tracing::info!(address = %running.address, database = %database, "serving");
    running.server.await.context("the server failed")?;
    tracing::info!("stopped");
    Ok(())
}
