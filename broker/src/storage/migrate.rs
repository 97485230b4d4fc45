//! Embedded migrations for both backends, run at start-up and by `treaty-broker migrate`.
//!
//! The two sets live in `broker/migrations/{sqlite,postgres}/` with identical names; a test
//! checks that they match and yield the same tables, columns and indexes.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::sqlite::Sqlite;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::storage::{AnyConnection, StorageError, StorageResult};

/// The SQLite migrations.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// The PostgreSQL migrations.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// An arbitrary, fixed key for the advisory lock that keeps replicas from migrating at once.
const MIGRATION_LOCK_KEY: i64 = 0x7472_6561_7479;

/// Applies every pending migration; returns the names of those applied.
pub fn run_pending_migrations(conn: &mut AnyConnection) -> StorageResult<Vec<String>> {
    let failed = |error: Box<dyn std::error::Error + Send + Sync>| {
        StorageError::Migration(error.to_string())
    };
    // Per-backend: the harness is implemented for the concrete connections, and only
    // PostgreSQL needs a lock (several replicas may start at once against one database).
    match conn {
        AnyConnection::Sqlite(sqlite) => {
            let applied = sqlite
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(failed)?;
            Ok(applied.iter().map(ToString::to_string).collect())
        }
        AnyConnection::Pg(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let applied: Result<Vec<String>, StorageError> = pg
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|versions| versions.iter().map(ToString::to_string).collect())
                .map_err(failed);
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            applied
        }
    }
}

/// Reverts every applied migration, newest first (used by the tests that check `down.sql`).
pub fn revert_all_migrations(conn: &mut AnyConnection) -> StorageResult<()> {
    let failed = |error: Box<dyn std::error::Error + Send + Sync>| {
        StorageError::Migration(error.to_string())
    };
    match conn {
        AnyConnection::Sqlite(sqlite) => {
            sqlite
                .revert_all_migrations(SQLITE_MIGRATIONS)
                .map_err(failed)?;
        }
        AnyConnection::Pg(pg) => {
            pg.revert_all_migrations(POSTGRES_MIGRATIONS)
                .map_err(failed)?;
        }
    }
    Ok(())
}

/// The names of the SQLite migrations, in order.
pub fn sqlite_migration_names() -> StorageResult<Vec<String>> {
    let migrations = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|error| StorageError::Migration(error.to_string()))?;
    Ok(migrations
        .iter()
        .map(|migration| migration.name().to_string())
        .collect())
}

/// The names of the PostgreSQL migrations, in order.
pub fn postgres_migration_names() -> StorageResult<Vec<String>> {
    let migrations = MigrationSource::<Pg>::migrations(&POSTGRES_MIGRATIONS)
        .map_err(|error| StorageError::Migration(error.to_string()))?;
    Ok(migrations
        .iter()
        .map(|migration| migration.name().to_string())
        .collect())
}
