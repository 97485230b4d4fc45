//! The `treaty-broker` binary: parse flags, set up logging, then migrate and serve (or only
//! migrate), printing one start-up line that scripts and tests parse.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use treaty_broker::app;
use treaty_broker::config::{Cli, Command, Config, LogFormat};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.settings.log_format);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("treaty-broker: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
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
    }
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
