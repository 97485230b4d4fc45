//! The one connection type for both backends, chosen from the database URL, and the r2d2
//! manager that opens it (applying SQLite's pragmas on every new connection).

use diesel::connection::SimpleConnection;
use diesel::r2d2::ManageConnection;
use diesel::{Connection, PgConnection, SqliteConnection};

/// A connection to either backend; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    /// PostgreSQL.
    Pg(PgConnection),
    /// SQLite.
    Sqlite(SqliteConnection),
}

/// Which backend a database URL points at, with the string the driver expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A `postgres://` or `postgresql://` URL, passed through unchanged.
    Postgres(String),
    /// A SQLite file path (from `sqlite:PATH`, `sqlite://PATH` or a plain path).
    Sqlite(String),
}

impl DatabaseTarget {
    /// Reads a database URL: `postgres://…`, `postgresql://…`, `sqlite:PATH` or a plain path.
    pub fn parse(url: &str) -> Result<Self, String> {
        let trimmed = url.trim();
        if trimmed.is_empty() {
            return Err(
                "the database URL is empty: expected `sqlite:PATH`, a file path or `postgres://…`"
                    .into(),
            );
        }
        if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
            return Ok(Self::Postgres(trimmed.to_owned()));
        }
        let path = trimmed
            .strip_prefix("sqlite://")
            .or_else(|| trimmed.strip_prefix("sqlite:"))
            .unwrap_or(trimmed);
        if path.is_empty() {
            return Err(format!(
                "the database URL `{url}` names no SQLite file: expected `sqlite:PATH`"
            ));
        }
        Ok(Self::Sqlite(path.to_owned()))
    }

    /// Whether this is SQLite.
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }

    /// A description safe to log: the backend and, for SQLite, the file; never a password.
    pub fn describe(&self) -> String {
        match self {
            Self::Postgres(_) => "postgres".to_owned(),
            Self::Sqlite(path) => format!("sqlite:{path}"),
        }
    }
}

/// Pragmas applied to every SQLite connection: WAL for concurrent readers, full fsync on commit,
/// a busy timeout so writers queue instead of failing, and enforced foreign keys.
/// `busy_timeout` comes first so that switching to WAL waits for other connections opening the
/// same new file instead of failing with "database is locked".
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

/// How long a connection may take to open, and a statement to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionSettings {
    /// Opening a connection (libpq's `connect_timeout` unless the URL sets one), and waiting
    /// for a pooled one.
    pub connect_timeout: std::time::Duration,
    /// PostgreSQL's `statement_timeout`: no query holds a request and a connection longer.
    pub statement_timeout: std::time::Duration,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        Self {
            connect_timeout: std::time::Duration::from_secs(5),
            statement_timeout: std::time::Duration::from_secs(30),
        }
    }
}

impl ConnectionSettings {
    /// Settings applied to every PostgreSQL connection: no statement or lock wait may hold a
    /// request (and a pooled connection) forever.
    fn postgres_session(&self) -> String {
        let statement_ms = self.statement_timeout.as_millis().max(1);
        let lock_ms = statement_ms.min(10_000);
        format!(
            "SET statement_timeout = {statement_ms}; SET lock_timeout = {lock_ms}; \
             SET idle_in_transaction_session_timeout = '60s';"
        )
    }

    /// `url` with libpq's `connect_timeout` (whole seconds, at least 1) unless it has one.
    fn postgres_url(&self, url: &str) -> String {
        if url.contains("connect_timeout=") {
            return url.to_owned();
        }
        let seconds = self.connect_timeout.as_secs().max(1);
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}connect_timeout={seconds}")
    }
}

/// Opens [`AnyConnection`]s for an r2d2 pool.
#[derive(Debug, Clone)]
pub struct AnyConnectionManager {
    target: DatabaseTarget,
    settings: ConnectionSettings,
}

impl AnyConnectionManager {
    /// A manager for the given target.
    pub fn new(target: DatabaseTarget, settings: ConnectionSettings) -> Self {
        Self { target, settings }
    }
}

/// Opens one connection to the target with the default settings, outside any pool.
pub fn establish(target: &DatabaseTarget) -> Result<AnyConnection, diesel::ConnectionError> {
    establish_with(target, &ConnectionSettings::default())
}

/// Opens one connection to the target, outside any pool.
pub fn establish_with(
    target: &DatabaseTarget,
    settings: &ConnectionSettings,
) -> Result<AnyConnection, diesel::ConnectionError> {
    match target {
        DatabaseTarget::Postgres(url) => {
            let mut conn = PgConnection::establish(&settings.postgres_url(url))?;
            conn.batch_execute(&settings.postgres_session())
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(AnyConnection::Pg(conn))
        }
        DatabaseTarget::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)?;
            conn.batch_execute(SQLITE_PRAGMAS)
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(AnyConnection::Sqlite(conn))
        }
    }
}

impl ManageConnection for AnyConnectionManager {
    type Connection = AnyConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        establish_with(&self.target, &self.settings).map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut AnyConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.is_broken()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_choose_the_backend() {
        assert_eq!(
            DatabaseTarget::parse("sqlite:treaty.db"),
            Ok(DatabaseTarget::Sqlite("treaty.db".into()))
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite:///tmp/t.db"),
            Ok(DatabaseTarget::Sqlite("/tmp/t.db".into()))
        );
        assert_eq!(
            DatabaseTarget::parse("data/treaty.db"),
            Ok(DatabaseTarget::Sqlite("data/treaty.db".into()))
        );
        assert_eq!(
            DatabaseTarget::parse("postgres://u:p@h/db"),
            Ok(DatabaseTarget::Postgres("postgres://u:p@h/db".into()))
        );
        assert!(DatabaseTarget::parse("postgresql://h/db").is_ok_and(|target| !target.is_sqlite()));
        assert!(DatabaseTarget::parse("").is_err());
        assert!(DatabaseTarget::parse("sqlite:").is_err());
        assert_eq!(
            DatabaseTarget::parse("postgres://u:secret@h/db").map(|t| t.describe()),
            Ok("postgres".into())
        );
    }
}
