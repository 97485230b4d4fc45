//! Every setting of the broker: a clap flag with an environment variable and a default, read
//! once and validated into [`Config`] before anything starts.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::access::{AccessPolicy, BasicUser};
use crate::domain::webhooks::schedule::RetryPolicy;
use crate::domain::webhooks::target::TargetPolicy;
use crate::http::public_url::{PublicAddress, default_trusted_proxies, parse_base_url};
use crate::storage::{ConnectionSettings, DatabaseTarget};

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
#[derive(Debug, Clone, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Migrate the database, then serve the API (the default).
    Serve,
    /// Migrate the database and exit.
    Migrate,
    /// Create, list and revoke the bearer tokens clients send (`--broker-token`).
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `treaty-broker token …`: works on the database directly (migrating it first), so the first
/// admin token can be made before anyone can call the API.
#[derive(Debug, Clone, Subcommand, PartialEq, Eq)]
pub enum TokenCommand {
    /// Create a token and print it once, on a line of its own (only a hash is stored).
    Create {
        /// A unique name for the token, such as the CI job that will use it.
        #[arg(long)]
        name: String,
        /// What it may do: `read`, `write` (publish, verify, record deployments) or `admin`.
        #[arg(long)]
        role: String,
    },
    /// List the tokens: names, roles, created and last-used times (never secrets).
    List,
    /// Revoke a token by name; requests with it are refused from then on.
    Revoke {
        /// The token's name.
        name: String,
    },
}

/// How logs are written to stderr.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Text on a terminal, JSON lines otherwise.
    #[default]
    Auto,
    /// Human-readable lines (coloured only on a terminal).
    Text,
    /// One JSON object per line.
    Json,
}

/// A setting that is a secret: parsed like a string, never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(text.to_owned()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
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
    /// Log format on stderr: JSON lines unless stderr is a terminal.
    #[arg(long, env = "TREATY_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto, global = true)]
    pub log_format: LogFormat,
    /// What to log: `error`, `warn`, `info`, `debug`, `trace`, or per-module directives such as
    /// `info,treaty_broker::storage=debug`; without it `RUST_LOG`, else `info`.
    #[arg(long, env = "TREATY_LOG_LEVEL", value_name = "LEVEL", global = true)]
    pub log_level: Option<String>,
    /// Maximum number of pooled database connections.
    #[arg(long, env = "TREATY_DB_POOL_SIZE", default_value_t = 10, global = true)]
    pub db_pool_size: u32,
    /// Seconds to open a database connection or wait for a pooled one; then 503.
    #[arg(
        long,
        env = "TREATY_DB_CONNECT_TIMEOUT",
        default_value_t = 5,
        value_name = "SECONDS",
        global = true
    )]
    pub db_connect_timeout: u64,
    /// Milliseconds a PostgreSQL statement may run (`statement_timeout`).
    #[arg(
        long,
        env = "TREATY_DB_STATEMENT_TIMEOUT_MS",
        default_value_t = 30_000,
        value_name = "MS",
        global = true
    )]
    pub db_statement_timeout_ms: u64,
    /// The basic-auth user that may do everything (the Pact Broker's read-write user).
    #[arg(
        long,
        env = "PACT_BROKER_BASIC_AUTH_USERNAME",
        value_name = "USER",
        global = true
    )]
    pub basic_auth_username: Option<String>,
    /// Its password.
    #[arg(
        long,
        env = "PACT_BROKER_BASIC_AUTH_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub basic_auth_password: Option<Secret>,
    /// The basic-auth user that may only read.
    #[arg(
        long,
        env = "PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME",
        value_name = "USER",
        global = true
    )]
    pub basic_auth_read_only_username: Option<String>,
    /// Its password.
    #[arg(
        long,
        env = "PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub basic_auth_read_only_password: Option<Secret>,
    /// The broker's public URL, which every link starts with (behind a load balancer or
    /// ingress); without it links follow a trusted proxy's X-Forwarded-* headers or the request.
    #[arg(long, env = "PACT_BROKER_BASE_URL", value_name = "URL", global = true)]
    pub base_url: Option<String>,
    /// Addresses or networks (CIDR) whose X-Forwarded-Host, -Proto, -Port and -Prefix are
    /// believed; repeatable or comma-separated. Default: loopback.
    #[arg(
        long = "trusted-proxy",
        env = "TREATY_TRUSTED_PROXIES",
        value_name = "NET",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<String>,
    /// Let clients without credentials read (GET, and POST for pacts for verification).
    #[arg(long, env = "PACT_BROKER_ALLOW_PUBLIC_READ", global = true)]
    pub allow_public_read: bool,
    /// Hosts webhooks may call: a name (`ci.example.com`), a wildcard (`*.example.com`), an
    /// address or a network (`10.0.0.0/8`); repeatable or comma-separated. Without it, any host
    /// whose addresses are public. A name or network listed here may be private or loopback.
    #[arg(
        long = "webhook-host-allow",
        env = "TREATY_WEBHOOK_HOST_ALLOW",
        value_name = "HOST",
        value_delimiter = ',',
        global = true
    )]
    pub webhook_host_allow: Vec<String>,
    /// URL schemes webhooks may use; repeatable or comma-separated.
    #[arg(
        long = "webhook-scheme-allow",
        env = "TREATY_WEBHOOK_SCHEME_ALLOW",
        value_name = "SCHEME",
        value_delimiter = ',',
        default_value = "https",
        global = true
    )]
    pub webhook_scheme_allow: Vec<String>,
    /// Milliseconds one webhook call may take, connection included.
    #[arg(
        long,
        env = "TREATY_WEBHOOK_TIMEOUT_MS",
        default_value_t = 10_000,
        value_name = "MS",
        global = true
    )]
    pub webhook_timeout_ms: u64,
    /// Attempts per delivery before it is given up (the first included).
    #[arg(
        long,
        env = "TREATY_WEBHOOK_MAX_ATTEMPTS",
        default_value_t = 7,
        global = true
    )]
    pub webhook_max_attempts: u32,
    /// Milliseconds before the first retry; each later wait is four times longer (with
    /// jitter), up to 30 minutes.
    #[arg(
        long,
        env = "TREATY_WEBHOOK_RETRY_DELAY_MS",
        default_value_t = 5_000,
        value_name = "MS",
        global = true
    )]
    pub webhook_retry_delay_ms: u64,
    /// Webhook calls one broker process makes at once; 0 runs no delivery worker in this
    /// process (an API-only replica: the others deliver).
    #[arg(
        long,
        env = "TREATY_WEBHOOK_CONCURRENCY",
        default_value_t = 4,
        global = true
    )]
    pub webhook_concurrency: u32,
    /// Milliseconds between looks for due deliveries queued by other replicas or retries.
    #[arg(
        long,
        env = "TREATY_WEBHOOK_POLL_MS",
        default_value_t = 1_000,
        value_name = "MS",
        global = true
    )]
    pub webhook_poll_ms: u64,
    /// Seconds after which a required verification that has not arrived is reported as
    /// overdue (`/verifications/overdue`, metric `treaty_verifications_overdue`).
    #[arg(
        long,
        env = "TREATY_VERIFICATION_OVERDUE_AFTER",
        default_value_t = 3_600,
        value_name = "SECONDS",
        global = true
    )]
    pub verification_overdue_after: u64,
}

/// Validated webhook settings.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Where webhooks may send.
    pub policy: std::sync::Arc<TargetPolicy>,
    /// How long one call may take.
    pub timeout: std::time::Duration,
    /// When failures are retried.
    pub retry: RetryPolicy,
    /// Calls at once per process (0: this process does not deliver).
    pub concurrency: u32,
    /// How often an idle worker looks.
    pub poll_interval: std::time::Duration,
    /// When a required verification is overdue.
    pub overdue_after: std::time::Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            policy: std::sync::Arc::new(TargetPolicy::default()),
            timeout: std::time::Duration::from_secs(10),
            retry: RetryPolicy::default(),
            concurrency: 4,
            poll_interval: std::time::Duration::from_secs(1),
            overdue_after: std::time::Duration::from_secs(3_600),
        }
    }
}

fn webhook_config(settings: &Settings) -> Result<WebhookConfig, String> {
    let hosts: Vec<String> = settings
        .webhook_host_allow
        .iter()
        .map(|host| host.trim().to_owned())
        .filter(|host| !host.is_empty())
        .collect();
    let schemes: Vec<String> = settings
        .webhook_scheme_allow
        .iter()
        .map(|scheme| scheme.trim().to_ascii_lowercase())
        .filter(|scheme| !scheme.is_empty())
        .collect();
    let policy = TargetPolicy::new(&hosts, &schemes)
        .map_err(|error| format!("--webhook-host-allow (TREATY_WEBHOOK_HOST_ALLOW): {error}"))?;
    if settings.webhook_timeout_ms == 0 {
        return Err(
            "--webhook-timeout-ms (TREATY_WEBHOOK_TIMEOUT_MS) must be greater than 0".into(),
        );
    }
    const MAX_MS: u64 = 24 * 60 * 60 * 1000;
    for (flag, value) in [
        (
            "--webhook-timeout-ms (TREATY_WEBHOOK_TIMEOUT_MS)",
            settings.webhook_timeout_ms,
        ),
        (
            "--webhook-retry-delay-ms (TREATY_WEBHOOK_RETRY_DELAY_MS)",
            settings.webhook_retry_delay_ms,
        ),
        (
            "--webhook-poll-ms (TREATY_WEBHOOK_POLL_MS)",
            settings.webhook_poll_ms,
        ),
    ] {
        if value > MAX_MS {
            return Err(format!(
                "{flag} must be at most {MAX_MS} (a day), found {value}"
            ));
        }
    }
    const MAX_OVERDUE_SECONDS: u64 = 366 * 24 * 60 * 60;
    if settings.verification_overdue_after > MAX_OVERDUE_SECONDS {
        return Err(format!(
            "--verification-overdue-after (TREATY_VERIFICATION_OVERDUE_AFTER) must be at most {MAX_OVERDUE_SECONDS} (a year), found {}",
            settings.verification_overdue_after
        ));
    }
    if settings.webhook_max_attempts > 100 {
        return Err(format!(
            "--webhook-max-attempts (TREATY_WEBHOOK_MAX_ATTEMPTS) must be at most 100, found {}",
            settings.webhook_max_attempts
        ));
    }
    if settings.webhook_poll_ms == 0 {
        return Err("--webhook-poll-ms (TREATY_WEBHOOK_POLL_MS) must be greater than 0".into());
    }
    if settings.verification_overdue_after == 0 {
        return Err("--verification-overdue-after (TREATY_VERIFICATION_OVERDUE_AFTER) must be at least 1 second".into());
    }
    let defaults = RetryPolicy::default();
    let retry = RetryPolicy::new(
        std::time::Duration::from_millis(settings.webhook_retry_delay_ms),
        defaults.factor(),
        defaults.max_delay().max(std::time::Duration::from_millis(
            settings.webhook_retry_delay_ms,
        )),
        settings.webhook_max_attempts,
    )
    .map_err(|error| format!("--webhook-retry-delay-ms / --webhook-max-attempts: {error}"))?;
    Ok(WebhookConfig {
        policy: std::sync::Arc::new(policy),
        timeout: std::time::Duration::from_millis(settings.webhook_timeout_ms),
        retry,
        concurrency: settings.webhook_concurrency,
        poll_interval: std::time::Duration::from_millis(settings.webhook_poll_ms),
        overdue_after: std::time::Duration::from_secs(settings.verification_overdue_after),
    })
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
    /// Connection and statement timeouts.
    pub db_timeouts: ConnectionSettings,
    /// Who may call what.
    pub access: AccessPolicy,
    /// Where links point.
    pub public_address: PublicAddress,
    /// Webhook targets, timeouts and retries.
    pub webhooks: WebhookConfig,
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
        if settings.db_connect_timeout == 0 {
            return Err(
                "--db-connect-timeout (TREATY_DB_CONNECT_TIMEOUT) must be at least 1 second".into(),
            );
        }
        if settings.db_statement_timeout_ms > i32::MAX as u64 {
            return Err(format!(
                "--db-statement-timeout-ms (TREATY_DB_STATEMENT_TIMEOUT_MS) must be at most {} (PostgreSQL's limit), found {}",
                i32::MAX,
                settings.db_statement_timeout_ms
            ));
        }
        if settings.db_statement_timeout_ms == 0 {
            return Err(
                "--db-statement-timeout-ms (TREATY_DB_STATEMENT_TIMEOUT_MS) must be greater than 0"
                    .into(),
            );
        }
        if !settings.bind.contains(':') {
            return Err(format!(
                "--bind (TREATY_BIND) expects ADDR:PORT, found `{}`",
                settings.bind
            ));
        }
        let read_write = basic_user(
            "--basic-auth-username (PACT_BROKER_BASIC_AUTH_USERNAME)",
            "--basic-auth-password (PACT_BROKER_BASIC_AUTH_PASSWORD)",
            &settings.basic_auth_username,
            &settings
                .basic_auth_password
                .as_ref()
                .map(|secret| secret.0.clone()),
        )?;
        let read_only = basic_user(
            "--basic-auth-read-only-username (PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME)",
            "--basic-auth-read-only-password (PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD)",
            &settings.basic_auth_read_only_username,
            &settings
                .basic_auth_read_only_password
                .as_ref()
                .map(|secret| secret.0.clone()),
        )?;
        if let (Some(rw), Some(ro)) = (&read_write, &read_only)
            && rw.username == ro.username
        {
            return Err(format!(
                "the read-write and the read-only basic-auth users are both `{}`: give them different names",
                rw.username
            ));
        }
        let base_url = settings
            .base_url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
            .map(parse_base_url)
            .transpose()
            .map_err(|message| format!("--base-url (PACT_BROKER_BASE_URL) {message}"))?;
        let trusted_proxies = if settings.trusted_proxies.is_empty() {
            default_trusted_proxies()
        } else {
            settings
                .trusted_proxies
                .iter()
                .map(|net| net.trim())
                .filter(|net| !net.is_empty())
                .map(parse_network)
                .collect::<Result<_, _>>()?
        };
        Ok(Self {
            bind: settings.bind.clone(),
            database,
            max_body_bytes: settings.max_body_bytes,
            allow_contract_overwrite: settings.allow_contract_overwrite,
            db_pool_size: settings.db_pool_size,
            db_timeouts: ConnectionSettings {
                connect_timeout: std::time::Duration::from_secs(settings.db_connect_timeout),
                statement_timeout: std::time::Duration::from_millis(
                    settings.db_statement_timeout_ms,
                ),
            },
            access: AccessPolicy {
                read_write,
                read_only,
                allow_public_read: settings.allow_public_read,
            },
            public_address: PublicAddress {
                base_url,
                trusted_proxies,
            },
            webhooks: webhook_config(settings)?,
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
            db_timeouts: ConnectionSettings::default(),
            access: AccessPolicy::default(),
            public_address: PublicAddress::default(),
            webhooks: WebhookConfig::default(),
        }
    }
}

/// A `--trusted-proxy`: an address (`10.0.0.7`) or a network (`10.0.0.0/8`).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            format!("--trusted-proxy (TREATY_TRUSTED_PROXIES) expects an address or a network such as 10.0.0.0/8, found `{text}`")
        })
}

/// A basic-auth user from its two settings: both or neither, neither blank.
fn basic_user(
    user_setting: &str,
    password_setting: &str,
    username: &Option<String>,
    password: &Option<String>,
) -> Result<Option<BasicUser>, String> {
    match (username, password) {
        (None, None) => Ok(None),
        (Some(username), Some(password)) if !username.is_empty() && !password.is_empty() => {
            if username.contains(':') {
                return Err(format!(
                    "{user_setting} cannot contain `:`, found `{username}`"
                ));
            }
            Ok(Some(BasicUser {
                username: username.clone(),
                password: password.clone(),
            }))
        }
        (Some(_), None) => Err(format!("{user_setting} is set without {password_setting}")),
        (None, Some(_)) => Err(format!("{password_setting} is set without {user_setting}")),
        _ => Err(format!(
            "{user_setting} and {password_setting} must not be blank"
        )),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn webhook_flags_are_bounded_and_concurrency_0_means_no_worker() {
        let parse = |args: &[&str]| {
            let mut all = vec!["treaty-broker"];
            all.extend_from_slice(args);
            Config::from_settings(&Cli::try_parse_from(all).expect("parses").settings)
        };
        assert_eq!(
            parse(&["--webhook-concurrency", "0"])
                .expect("valid")
                .webhooks
                .concurrency,
            0
        );
        for bad in [
            ["--verification-overdue-after", "10000000000000"],
            ["--webhook-retry-delay-ms", "100000000000"],
            ["--webhook-timeout-ms", "0"],
            ["--webhook-max-attempts", "0"],
            ["--webhook-host-allow", "not a host/"],
        ] {
            let error = parse(&bad).expect_err("refused");
            assert!(error.contains(bad[0]), "{bad:?}: {error}");
        }
    }

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn basic_auth_passwords_are_not_shown_by_debug() {
        let cli = Cli::try_parse_from([
            "treaty-broker",
            "--basic-auth-username",
            "rw",
            "--basic-auth-password",
            "hunter2",
        ])
        .expect("parses");
        let shown = format!("{cli:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let config = Config::from_settings(&cli.settings).expect("valid");
        assert!(!format!("{config:?}").contains("hunter2"));
        assert_eq!(
            config.access.read_write.map(|user| user.password),
            Some("hunter2".to_owned())
        );
    }
}
