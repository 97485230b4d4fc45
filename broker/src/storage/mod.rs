//! Storage: diesel queries behind small synchronous functions taking `&mut AnyConnection`, and
//! [`Db`], which owns the pool and runs those functions on the blocking thread pool.
//!
//! This layer knows nothing about HTTP or the domain: it must not import `crate::domain`,
//! `crate::http` or actix (checked by the tidy test in `broker/tests/it/tidy.rs`).

pub mod branches;
#[allow(
    missing_docs,
    reason = "the MultiConnection derive generates undocumented items"
)]
pub mod conn;
pub mod contents;
pub mod deployments;
pub mod environments;
pub mod heads;
pub mod introspect;
pub mod labels;
pub mod matrix;
pub mod migrate;
pub mod models;
pub mod pacticipants;
pub mod publications;
pub mod required_verifications;
#[allow(
    missing_docs,
    reason = "diesel's table! macro generates undocumented column types"
)]
pub mod schema;
pub mod selection;
pub mod tags;
pub mod tokens;
pub mod verifications;
pub mod versions;
pub mod webhooks;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::{Pool, PooledConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub use conn::{AnyConnection, AnyConnectionManager, ConnectionSettings, DatabaseTarget};

/// What can go wrong below the domain.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database cannot be reached or the pool has no free connection in time.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] DieselError),
    /// Stored data could not be read back (for example, stored JSON that no longer parses).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Running the migrations failed.
    #[error("migrations failed: {0}")]
    Migration(String),
    /// The blocking task running the query panicked or was cancelled.
    #[error("the database task did not finish: {0}")]
    Task(String),
}

impl StorageError {
    /// Whether retrying the whole transaction can succeed: a concurrent writer won a unique
    /// key, PostgreSQL aborted a serialisation, or SQLite stayed busy beyond its timeout.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Query(DieselError::DatabaseError(kind, info)) => match kind {
                DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::SerializationFailure => {
                    true
                }
                DatabaseErrorKind::Unknown => {
                    let message = info.message();
                    message.contains("database is locked") || message.contains("database is busy")
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether the database refused a value sent to it as text it cannot hold (PostgreSQL has
    /// no NUL in text: `invalid byte sequence for encoding "UTF8": 0x00`), which is the
    /// client's input, not a failure: the domain validates stored text, and this is the net
    /// under query filters and anything validation missed.
    pub fn is_unstorable_text(&self) -> bool {
        match self {
            Self::Query(DieselError::DatabaseError(_, info)) => info
                .message()
                .contains("invalid byte sequence for encoding"),
            _ => false,
        }
    }

    /// Whether this is the database being unreachable rather than a bad query.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Unavailable(_)
                | Self::Query(DieselError::DatabaseError(
                    DatabaseErrorKind::ClosedConnection,
                    _
                ))
                | Self::Query(DieselError::BrokenTransactionManager)
        )
    }
}

/// Shorthand for storage results.
pub type StorageResult<T> = Result<T, StorageError>;

/// An error type a [`Db::write`] closure may return: it wraps storage errors and says whether
/// it is one, so that the transaction can be retried when a concurrent writer won a race.
pub trait TransactionError: From<StorageError> + Send + 'static {
    /// The storage error inside, if this is one.
    fn as_storage_error(&self) -> Option<&StorageError>;
}

impl TransactionError for StorageError {
    fn as_storage_error(&self) -> Option<&StorageError> {
        Some(self)
    }
}

/// How many times a write transaction is attempted when it loses a race.
const MAX_WRITE_ATTEMPTS: u32 = 25;

/// The database: a connection pool for one backend.
#[derive(Clone)]
pub struct Db {
    pool: Pool<AnyConnectionManager>,
    target: DatabaseTarget,
}

/// The pool's use at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    /// Open connections.
    pub connections: u32,
    /// Of which idle.
    pub idle: u32,
    /// The pool's size.
    pub max: u32,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("target", &self.target.describe())
            .finish()
    }
}

impl Db {
    /// Opens a pool of up to `pool_size` connections; fails at once if the database cannot be
    /// reached.
    pub fn connect(target: DatabaseTarget, pool_size: u32) -> StorageResult<Self> {
        Self::connect_with(target, pool_size, ConnectionSettings::default())
    }

    /// [`Db::connect`] with these timeouts.
    pub fn connect_with(
        target: DatabaseTarget,
        pool_size: u32,
        settings: ConnectionSettings,
    ) -> StorageResult<Self> {
        // One direct connection first: an unreachable database is reported once, immediately,
        // instead of after the pool's retries.
        drop(
            conn::establish_with(&target, &settings)
                .map_err(|error| StorageError::Unavailable(error.to_string()))?,
        );
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(settings.connect_timeout)
            .error_handler(Box::new(PoolErrorLogger))
            .build(AnyConnectionManager::new(target.clone(), settings))
            .map_err(|error| StorageError::Unavailable(error.to_string()))?;
        Ok(Self { pool, target })
    }

    /// How many connections the pool holds and how many of them are idle.
    pub fn pool_state(&self) -> PoolState {
        let state = self.pool.state();
        PoolState {
            connections: state.connections,
            idle: state.idle_connections,
            max: self.pool.max_size(),
        }
    }

    /// The backend this pool talks to.
    pub fn target(&self) -> &DatabaseTarget {
        &self.target
    }

    /// Takes a connection from the pool, waiting at most the pool's timeout (synchronous).
    pub fn connection(&self) -> StorageResult<PooledConnection<AnyConnectionManager>> {
        self.pool
            .get()
            .map_err(|error| StorageError::Unavailable(error.to_string()))
    }

    /// Runs `f` with a pooled connection on the blocking thread pool (no transaction).
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
        F: FnOnce(&mut AnyConnection) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        let task = tokio::task::spawn_blocking(move || {
            let mut conn = pool
                .get()
                .map_err(|error| E::from(StorageError::Unavailable(error.to_string())))?;
            f(&mut conn)
        });
        match task.await {
            Ok(result) => result,
            Err(join_error) => Err(E::from(StorageError::Task(join_error.to_string()))),
        }
    }

    /// Runs `f` in one write transaction on the blocking thread pool: everything it writes is
    /// committed together or not at all. When it loses a race with a concurrent writer (unique
    /// violation, serialisation failure, SQLite busy) the whole transaction is retried, so `f`
    /// must only touch the database.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: TransactionError,
        F: Fn(&mut AnyConnection) -> Result<T, E> + Send + 'static,
    {
        self.run(move |conn| {
            let mut attempt = 1;
            loop {
                match write_transaction(conn, &f) {
                    Err(error)
                        if attempt < MAX_WRITE_ATTEMPTS
                            && error
                                .as_storage_error()
                                .is_some_and(StorageError::is_retryable) =>
                    {
                        tracing::debug!(attempt, "write transaction lost a race; retrying");
                        std::thread::sleep(retry_delay(attempt));
                        attempt += 1;
                    }
                    other => return other,
                }
            }
        })
        .await
    }

    /// Checks that the database answers a query within `timeout`.
    pub async fn ping(&self, timeout: Duration) -> StorageResult<()> {
        let pool = self.pool.clone();
        let task = tokio::task::spawn_blocking(move || {
            let mut conn = pool
                .get_timeout(timeout)
                .map_err(|error| StorageError::Unavailable(error.to_string()))?;
            conn.batch_execute("SELECT COUNT(*) FROM pacticipants")
                .map_err(|error| StorageError::Unavailable(error.to_string()))
        });
        match tokio::time::timeout(timeout + Duration::from_millis(500), task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join_error)) => Err(StorageError::Task(join_error.to_string())),
            Err(_) => Err(StorageError::Unavailable(
                "the database did not answer in time".into(),
            )),
        }
    }
}

/// Logs the pool's connection failures through `tracing`, at `warn`: the request that needed the
/// connection reports the outage itself.
#[derive(Debug)]
struct PoolErrorLogger;

impl diesel::r2d2::HandleError<diesel::r2d2::Error> for PoolErrorLogger {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        tracing::warn!(error = %error, "cannot open a database connection");
    }
}

/// One transaction around `f`. SQLite takes the write lock up front (`BEGIN IMMEDIATE`) so
/// that concurrent writers queue on `busy_timeout` instead of failing when a read lock cannot
/// be upgraded; PostgreSQL uses a plain `BEGIN` (read committed) and relies on the retry.
fn write_transaction<T, E, F>(conn: &mut AnyConnection, f: &F) -> Result<T, E>
where
    E: TransactionError,
    F: Fn(&mut AnyConnection) -> Result<T, E>,
{
    // Per-backend: only the statement that opens the transaction differs.
    let begun = match conn {
        AnyConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")
        }
        AnyConnection::Pg(pg) => <AnsiTransactionManager as TransactionManager<
            diesel::PgConnection,
        >>::begin_transaction(pg),
    };
    begun.map_err(|error| E::from(StorageError::from(error)))?;
    match f(conn) {
        Ok(value) => match AnyConnection::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(error) => {
                rollback_quietly(conn);
                Err(E::from(StorageError::from(error)))
            }
        },
        Err(error) => {
            rollback_quietly(conn);
            Err(error)
        }
    }
}

/// Rolls back after a failure that is already being reported; a rollback failure only matters
/// for the connection's health, which r2d2 checks before reuse.
fn rollback_quietly(conn: &mut AnyConnection) {
    if let Err(error) = AnyConnection::rollback_transaction(conn) {
        tracing::warn!(error = %error, "rollback after a failed transaction also failed");
    }
}

/// Exponential back-off with jitter, capped at about 200 ms.
fn retry_delay(attempt: u32) -> Duration {
    let base_ms = 2u64.saturating_pow(attempt.min(7)).min(128);
    let jitter_ms = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.subsec_nanos())
            .unwrap_or(0)
            % 64,
    );
    Duration::from_millis(base_ms + jitter_ms)
}

/// The current time as stored: RFC 3339, UTC, milliseconds.
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

/// `at` moved by `by` (later when `forward`), clamped to the representable range instead of
/// overflowing.
pub fn shifted(
    at: chrono::DateTime<chrono::Utc>,
    by: Duration,
    forward: bool,
) -> chrono::DateTime<chrono::Utc> {
    let delta = chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX);
    let moved = if forward {
        at.checked_add_signed(delta)
    } else {
        at.checked_sub_signed(delta)
    };
    moved.unwrap_or(if forward {
        chrono::DateTime::<chrono::Utc>::MAX_UTC
    } else {
        chrono::DateTime::<chrono::Utc>::MIN_UTC
    })
}

/// A time as stored: RFC 3339, UTC, milliseconds (so stored times order as text).
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
