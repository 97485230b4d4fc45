//! Schema checks: the SQLite and PostgreSQL migrations have the same names and yield the same
//! tables, columns and indexes; every foreign key column is indexed; `down.sql` reverses
//! `up.sql`.

use treaty_broker::storage::introspect::{SchemaSnapshot, schema_snapshot};
use treaty_broker::storage::migrate::{
    postgres_migration_names, revert_all_migrations, run_pending_migrations, sqlite_migration_names,
};
use treaty_broker::storage::{Db, conn};

use crate::dbtest;
use crate::support::{Backend, TestDatabase, postgres_url};

fn migrated_snapshot(backend: Backend) -> SchemaSnapshot {
    let database = TestDatabase::create(backend);
    let mut connection = conn::establish(&database.target).expect("connect");
    run_pending_migrations(&mut connection).expect("migrate");
    schema_snapshot(&mut connection).expect("snapshot")
}

#[test]
fn both_backends_have_the_same_migration_names() {
    let sqlite = sqlite_migration_names().expect("sqlite migrations");
    let postgres = postgres_migration_names().expect("postgres migrations");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[test]
fn both_backends_yield_the_same_tables_columns_and_indexes() {
    let sqlite = migrated_snapshot(Backend::Sqlite);
    assert!(
        sqlite
            .columns
            .iter()
            .any(|(table, column, _)| table == "publications" && column == "content_id")
    );
    if postgres_url().is_none() {
        crate::support::skip_postgres(concat!(
            module_path!(),
            "::both_backends_yield_the_same_tables_columns_and_indexes"
        ));
        return;
    }
    let postgres = migrated_snapshot(Backend::Postgres);
    assert_eq!(sqlite.columns, postgres.columns);
    assert_eq!(sqlite.indexes, postgres.indexes);
    assert_eq!(sqlite.foreign_keys, postgres.foreign_keys);
}

dbtest!(
    async fn every_foreign_key_column_is_indexed(backend) {
        let snapshot = migrated_snapshot(backend);
        assert!(snapshot.foreign_keys.len() >= 7, "{:?}", snapshot.foreign_keys);
        assert_eq!(snapshot.unindexed_foreign_keys(), Vec::<(String, String)>::new());
    }
);

dbtest!(
    async fn down_migrations_reverse_up_migrations(backend) {
        let database = TestDatabase::create(backend);
        let db = Db::connect(database.target.clone(), 1).expect("pool");
        let mut connection = db.connection().expect("connection");
        run_pending_migrations(&mut connection).expect("migrate");
        let migrated = schema_snapshot(&mut connection).expect("snapshot");
        revert_all_migrations(&mut connection).expect("revert");
        assert_eq!(schema_snapshot(&mut connection).expect("snapshot"), SchemaSnapshot::default());
        run_pending_migrations(&mut connection).expect("migrate again");
        assert_eq!(schema_snapshot(&mut connection).expect("snapshot"), migrated);
    }
);
