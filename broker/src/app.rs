//! Wiring: opens and migrates the database, builds the shared state and the actix server with
//! the one route table ([`crate::http::configure`]), used alike by `main` and the tests.

use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::{App, HttpServer, web};

pub use crate::config::Config;
use crate::domain::access::{AccessControl, Mode};
use crate::domain::publish::PublishSettings;
use crate::storage::{Db, StorageError, migrate};

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Publishing rules set by the operator.
    pub publish: PublishSettings,
    /// Request body limit in bytes.
    pub max_body_bytes: usize,
    /// Who may call what.
    pub access: Arc<AccessControl>,
    /// Where links point.
    pub public_address: crate::http::public_url::PublicAddress,
    /// What `/metrics` reports.
    pub metrics: Arc<crate::http::metrics::Metrics>,
    /// Webhook targets, timeouts and retries.
    pub webhooks: crate::config::WebhookConfig,
    /// The client webhooks are sent with (deliveries and test executions).
    pub sender: crate::delivery::Sender,
    /// Wakes this process's delivery worker.
    pub wake: Arc<crate::delivery::Wake>,
}

/// Why the broker could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database {target}")]
    Database {
        /// The database, without secrets.
        target: String,
        /// The cause.
        source: StorageError,
    },
    /// The webhook HTTP client could not be built.
    #[error(transparent)]
    Webhooks(#[from] crate::delivery::ClientError),
    /// The address could not be bound.
    #[error("cannot listen on {address}")]
    Bind {
        /// The address asked for.
        address: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// A started server: where it listens, the future that runs it, and its database.
pub struct RunningServer {
    /// The bound address (the real port when port 0 was asked).
    pub address: SocketAddr,
    /// Runs the server until it is stopped; await it (it also handles SIGINT and SIGTERM).
    pub server: actix_web::dev::Server,
    /// The database the server uses.
    pub db: Db,
}

/// Opens the database pool and applies pending migrations (blocking; call off the async
/// runtime or before it starts serving).
pub fn open_database(config: &Config) -> Result<Db, StartError> {
    let database_error = |source| StartError::Database {
        target: config.database.describe(),
        source,
    };
    let db = Db::connect_with(
        config.database.clone(),
        config.db_pool_size,
        config.db_timeouts,
    )
    .map_err(database_error)?;
    let mut conn = db.connection().map_err(database_error)?;
    let applied = migrate::run_pending_migrations(&mut conn).map_err(database_error)?;
    for name in applied {
        tracing::info!(migration.name = %name, "applied migration");
    }
    Ok(db)
}

/// Opens and migrates the database, then binds the server (it serves once awaited).
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let opening = config.clone();
    let target = config.database.describe();
    let db = tokio::task::spawn_blocking(move || open_database(&opening))
        .await
        .map_err(|error| StartError::Database {
            target,
            source: StorageError::Task(error.to_string()),
        })??;
    let access = Arc::new(AccessControl::new(config.access.clone()));
    announce_access(&access, &db).await;
    let sender =
        crate::delivery::Sender::new(Arc::clone(&config.webhooks.policy), config.webhooks.timeout)?;
    let wake = Arc::new(crate::delivery::Wake::default());
    if config.webhooks.concurrency > 0 {
        actix_web::rt::spawn(crate::delivery::run(
            db.clone(),
            sender.clone(),
            crate::delivery::DeliverySettings {
                retry: config.webhooks.retry,
                concurrency: config.webhooks.concurrency,
                poll_interval: config.webhooks.poll_interval,
            },
            Arc::clone(&wake),
        ));
    } else {
        tracing::info!("--webhook-concurrency is 0: this process delivers no webhooks");
    }
    let state = web::Data::new(AppState {
        db: db.clone(),
        publish: PublishSettings {
            allow_contract_overwrite: config.allow_contract_overwrite,
        },
        max_body_bytes: config.max_body_bytes,
        access,
        public_address: config.public_address.clone(),
        metrics: Arc::default(),
        webhooks: config.webhooks.clone(),
        sender,
        wake,
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(actix_web::middleware::from_fn(crate::http::auth::authorize))
            .wrap(actix_web::middleware::from_fn(
                crate::http::limits::limit_head,
            ))
            .wrap(actix_web::middleware::from_fn(
                crate::http::problem::negotiate_problem,
            ))
            .wrap(actix_web::middleware::from_fn(
                crate::http::logging::log_request,
            ))
            .configure(crate::http::configure)
    })
    .bind(&config.bind)
    .map_err(|source| StartError::Bind {
        address: config.bind.clone(),
        source,
    })?;
    let address = server
        .addrs()
        .first()
        .copied()
        .ok_or_else(|| StartError::Bind {
            address: config.bind.clone(),
            source: std::io::Error::other("no address was bound"),
        })?;
    Ok(RunningServer {
        address,
        server: server.shutdown_timeout(10).run(),
        db,
    })
}

/// Says at start-up how the broker is protected, loudly when it is not.
async fn announce_access(access: &AccessControl, db: &crate::storage::Db) {
    let policy = access.policy();
    match access.mode(db).await {
        Ok(Mode::Open) => tracing::warn!(
            "NO CREDENTIALS ARE CONFIGURED: anyone who can reach this broker can read, publish and delete. \
             Create a token with `treaty-broker token create --name NAME --role admin`, or set \
             PACT_BROKER_BASIC_AUTH_USERNAME and PACT_BROKER_BASIC_AUTH_PASSWORD"
        ),
        Ok(Mode::Enforced { public_read }) => tracing::info!(
            basic_auth = policy.has_basic_auth(),
            public_read,
            "credentials are required (tokens and basic auth)"
        ),
        Err(error) => {
            tracing::warn!(error = %error, "cannot tell whether tokens exist; checking on each request")
        }
    }
}
