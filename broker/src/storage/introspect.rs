//! What the database holds, read from its catalogue: tables, columns, indexes, foreign keys and
//! row counts. The schema tests compare backends with it and check invariants such as "every
//! foreign key column is indexed".

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::storage::schema::{
    branch_versions, branches, contents, pacticipants, publications, tags, versions,
};
use crate::storage::{AnyConnection, StorageResult};

/// The shape of the database, sorted so that two snapshots compare with `==`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchemaSnapshot {
    /// `(table, column, nullable)`.
    pub columns: Vec<(String, String, bool)>,
    /// `(table, indexed columns in order)`, primary keys excluded.
    pub indexes: Vec<(String, Vec<String>)>,
    /// `(table, column, referenced table)`.
    pub foreign_keys: Vec<(String, String, String)>,
}

impl SchemaSnapshot {
    /// Foreign key columns that are not the first column of any index.
    pub fn unindexed_foreign_keys(&self) -> Vec<(String, String)> {
        self.foreign_keys
            .iter()
            .filter(|(table, column, _)| {
                !self.indexes.iter().any(|(index_table, index_columns)| {
                    index_table == table && index_columns.first() == Some(column)
                })
            })
            .map(|(table, column, _)| (table.clone(), column.clone()))
            .collect()
    }
}

#[derive(QueryableByName)]
struct ColumnEntry {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    nullable: String,
}

#[derive(QueryableByName)]
struct IndexEntry {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = BigInt)]
    position: i64,
}

#[derive(QueryableByName)]
struct ForeignKeyEntry {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    referenced_table: String,
}

const SQLITE_COLUMNS: &str = "SELECT m.name AS table_name, p.name AS column_name, \
    CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 'NO' ELSE 'YES' END AS nullable \
    FROM sqlite_master m JOIN pragma_table_info(m.name) p \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'";
const SQLITE_INDEXES: &str = "SELECT m.name AS table_name, il.name AS index_name, \
    ii.name AS column_name, CAST(ii.seqno AS BIGINT) AS position \
    FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%' \
    AND il.origin <> 'pk'";
const SQLITE_FOREIGN_KEYS: &str = "SELECT m.name AS table_name, f.\"from\" AS column_name, \
    f.\"table\" AS referenced_table \
    FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'";
const PG_COLUMNS: &str = "SELECT table_name::text AS table_name, column_name::text AS column_name, \
    is_nullable::text AS nullable FROM information_schema.columns \
    WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_\\_diesel%'";
const PG_INDEXES: &str = "SELECT t.relname::text AS table_name, i.relname::text AS index_name, \
    a.attname::text AS column_name, CAST(array_position(ix.indkey::int2[], a.attnum) AS BIGINT) AS position \
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid \
    JOIN pg_namespace n ON n.oid = t.relnamespace \
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey) \
    WHERE n.nspname = current_schema() AND NOT ix.indisprimary AND t.relname NOT LIKE '\\_\\_diesel%'";
const PG_FOREIGN_KEYS: &str = "SELECT t.relname::text AS table_name, a.attname::text AS column_name, \
    r.relname::text AS referenced_table \
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid \
    JOIN pg_namespace n ON n.oid = t.relnamespace \
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(c.conkey) \
    WHERE c.contype = 'f' AND n.nspname = current_schema()";

/// Reads the current schema's tables, columns, indexes and foreign keys.
pub fn schema_snapshot(conn: &mut AnyConnection) -> StorageResult<SchemaSnapshot> {
    // Per-backend: catalogue queries are inherently backend-specific.
    let (columns, indexes, foreign_keys) = match conn {
        AnyConnection::Sqlite(sqlite) => (
            diesel::sql_query(SQLITE_COLUMNS).load::<ColumnEntry>(sqlite)?,
            diesel::sql_query(SQLITE_INDEXES).load::<IndexEntry>(sqlite)?,
            diesel::sql_query(SQLITE_FOREIGN_KEYS).load::<ForeignKeyEntry>(sqlite)?,
        ),
        AnyConnection::Pg(pg) => (
            diesel::sql_query(PG_COLUMNS).load::<ColumnEntry>(pg)?,
            diesel::sql_query(PG_INDEXES).load::<IndexEntry>(pg)?,
            diesel::sql_query(PG_FOREIGN_KEYS).load::<ForeignKeyEntry>(pg)?,
        ),
    };
    let mut snapshot = SchemaSnapshot {
        columns: columns
            .into_iter()
            .map(|entry| (entry.table_name, entry.column_name, entry.nullable == "YES"))
            .collect(),
        indexes: Vec::new(),
        foreign_keys: foreign_keys
            .into_iter()
            .map(|entry| (entry.table_name, entry.column_name, entry.referenced_table))
            .collect(),
    };
    let mut by_index: BTreeMap<(String, String), Vec<(i64, String)>> = BTreeMap::new();
    for entry in indexes {
        by_index
            .entry((entry.table_name, entry.index_name))
            .or_default()
            .push((entry.position, entry.column_name));
    }
    for ((table, _), mut columns) in by_index {
        columns.sort();
        snapshot.indexes.push((
            table,
            columns.into_iter().map(|(_, column)| column).collect(),
        ));
    }
    snapshot.columns.sort();
    snapshot.indexes.sort();
    snapshot.foreign_keys.sort();
    Ok(snapshot)
}

/// The number of rows in each broker table.
pub fn row_counts(conn: &mut AnyConnection) -> StorageResult<BTreeMap<&'static str, i64>> {
    let mut counts = BTreeMap::new();
    counts.insert(
        "pacticipants",
        pacticipants::table.count().get_result(conn)?,
    );
    counts.insert("versions", versions::table.count().get_result(conn)?);
    counts.insert("branches", branches::table.count().get_result(conn)?);
    counts.insert(
        "branch_versions",
        branch_versions::table.count().get_result(conn)?,
    );
    counts.insert("tags", tags::table.count().get_result(conn)?);
    counts.insert("contents", contents::table.count().get_result(conn)?);
    counts.insert(
        "publications",
        publications::table.count().get_result(conn)?,
    );
    Ok(counts)
}
