//! Queries on `environments`. Deleting an environment also deletes its deployed and released
//! versions (the Pact Broker does the same), in the caller's transaction.

use diesel::prelude::*;

use crate::storage::models::EnvironmentRow;
use crate::storage::schema::{deployed_versions, environments, released_versions};
use crate::storage::{AnyConnection, StorageResult, now};

/// The editable attributes of an environment, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentAttributes {
    /// Unique name.
    pub name: String,
    /// Human name.
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    pub production: bool,
    /// The `contacts` JSON array, as text.
    pub contacts: Option<String>,
}

/// The environment with this public identifier.
pub fn find_environment_by_uuid(
    conn: &mut AnyConnection,
    uuid: &str,
) -> StorageResult<Option<EnvironmentRow>> {
    Ok(environments::table
        .filter(environments::uuid.eq(uuid))
        .select(EnvironmentRow::as_select())
        .first(conn)
        .optional()?)
}

/// The environment with this exact name. Index: `environments_name_key`.
pub fn find_environment_by_name(
    conn: &mut AnyConnection,
    name: &str,
) -> StorageResult<Option<EnvironmentRow>> {
    Ok(environments::table
        .filter(environments::name.eq(name))
        .select(EnvironmentRow::as_select())
        .first(conn)
        .optional()?)
}

/// Environments by id, in any order.
pub fn find_environments_by_ids(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> StorageResult<Vec<EnvironmentRow>> {
    Ok(environments::table
        .filter(environments::id.eq_any(ids))
        .select(EnvironmentRow::as_select())
        .load(conn)?)
}

/// Every environment, by name.
pub fn list_environments(conn: &mut AnyConnection) -> StorageResult<Vec<EnvironmentRow>> {
    Ok(environments::table
        .order(environments::name.asc())
        .select(EnvironmentRow::as_select())
        .load(conn)?)
}

/// Inserts an environment (the uuid and name must be free) and returns it.
pub fn insert_environment(
    conn: &mut AnyConnection,
    uuid: &str,
    attributes: &EnvironmentAttributes,
) -> StorageResult<EnvironmentRow> {
    let timestamp = now();
    diesel::insert_into(environments::table)
        .values((
            environments::uuid.eq(uuid),
            environments::name.eq(&attributes.name),
            environments::display_name.eq(attributes.display_name.as_deref()),
            environments::production.eq(attributes.production),
            environments::contacts.eq(attributes.contacts.as_deref()),
            environments::created_at.eq(&timestamp),
            environments::updated_at.eq(&timestamp),
        ))
        .execute(conn)?;
    find_environment_by_uuid(conn, uuid)?.ok_or_else(|| diesel::result::Error::NotFound.into())
}

/// Replaces every attribute of an environment and bumps `updated_at`; returns the updated row.
pub fn update_environment(
    conn: &mut AnyConnection,
    id: i64,
    attributes: &EnvironmentAttributes,
) -> StorageResult<EnvironmentRow> {
    diesel::update(environments::table.filter(environments::id.eq(id)))
        .set((
            environments::name.eq(&attributes.name),
            environments::display_name.eq(attributes.display_name.as_deref()),
            environments::production.eq(attributes.production),
            environments::contacts.eq(attributes.contacts.as_deref()),
            environments::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(environments::table
        .filter(environments::id.eq(id))
        .select(EnvironmentRow::as_select())
        .first(conn)?)
}

/// Serialises the writes that change what an environment holds: on PostgreSQL the
/// environment's row is locked until the transaction ends, so two deployments recorded at once
/// cannot both see the old version as current; SQLite's write transactions (`BEGIN IMMEDIATE`)
/// are serial already.
pub fn lock_environment(conn: &mut AnyConnection, id: i64) -> StorageResult<()> {
    // Per-backend: only PostgreSQL needs (and supports) the row lock.
    match conn {
        AnyConnection::Pg(pg) => {
            environments::table
                .filter(environments::id.eq(id))
                .select(environments::id)
                .for_update()
                .first::<i64>(pg)?;
        }
        AnyConnection::Sqlite(_) => {}
    }
    Ok(())
}

/// Deletes an environment with every deployed and released version recorded in it.
pub fn delete_environment(conn: &mut AnyConnection, id: i64) -> StorageResult<()> {
    diesel::delete(deployed_versions::table.filter(deployed_versions::environment_id.eq(id)))
        .execute(conn)?;
    diesel::delete(released_versions::table.filter(released_versions::environment_id.eq(id)))
        .execute(conn)?;
    diesel::delete(environments::table.filter(environments::id.eq(id))).execute(conn)?;
    Ok(())
}
