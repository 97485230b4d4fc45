//! Queries on `pacticipants`.

use diesel::prelude::*;

use crate::storage::models::{NewPacticipant, PacticipantRow};
use crate::storage::schema::pacticipants;
use crate::storage::{AnyConnection, StorageResult, now};

/// The pacticipant with this exact name.
pub fn find_pacticipant(
    conn: &mut AnyConnection,
    name: &str,
) -> StorageResult<Option<PacticipantRow>> {
    Ok(pacticipants::table
        .filter(pacticipants::name.eq(name))
        .select(PacticipantRow::as_select())
        .first(conn)
        .optional()?)
}

/// Pacticipants by id, in any order.
pub fn find_pacticipants_by_ids(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> StorageResult<Vec<PacticipantRow>> {
    Ok(pacticipants::table
        .filter(pacticipants::id.eq_any(ids))
        .select(PacticipantRow::as_select())
        .load(conn)?)
}

/// Every pacticipant, by name.
pub fn list_pacticipants(conn: &mut AnyConnection) -> StorageResult<Vec<PacticipantRow>> {
    Ok(pacticipants::table
        .order(pacticipants::name.asc())
        .select(PacticipantRow::as_select())
        .load(conn)?)
}

/// The editable attributes of a pacticipant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PacticipantAttributes {
    /// Human name.
    pub display_name: Option<String>,
    /// Repository URL.
    pub repository_url: Option<String>,
    /// Main branch.
    pub main_branch: Option<String>,
}

/// Inserts a pacticipant (the name must be free) and returns it.
pub fn insert_pacticipant(
    conn: &mut AnyConnection,
    name: &str,
    attributes: &PacticipantAttributes,
) -> StorageResult<PacticipantRow> {
    let timestamp = now();
    diesel::insert_into(pacticipants::table)
        .values(&NewPacticipant {
            name,
            display_name: attributes.display_name.as_deref(),
            repository_url: attributes.repository_url.as_deref(),
            main_branch: attributes.main_branch.as_deref(),
            created_at: &timestamp,
            updated_at: &timestamp,
        })
        .execute(conn)?;
    Ok(pacticipants::table
        .filter(pacticipants::name.eq(name))
        .select(PacticipantRow::as_select())
        .first(conn)?)
}

/// The pacticipant with this name, created with no attributes when missing; `true` if created.
pub fn find_or_insert_pacticipant(
    conn: &mut AnyConnection,
    name: &str,
) -> StorageResult<(PacticipantRow, bool)> {
    match find_pacticipant(conn, name)? {
        Some(row) => Ok((row, false)),
        None => Ok((
            insert_pacticipant(conn, name, &PacticipantAttributes::default())?,
            true,
        )),
    }
}

/// Replaces a pacticipant's attributes and bumps `updated_at`; returns the updated row.
pub fn update_pacticipant(
    conn: &mut AnyConnection,
    id: i64,
    attributes: &PacticipantAttributes,
) -> StorageResult<PacticipantRow> {
    diesel::update(pacticipants::table.filter(pacticipants::id.eq(id)))
        .set((
            pacticipants::display_name.eq(attributes.display_name.as_deref()),
            pacticipants::repository_url.eq(attributes.repository_url.as_deref()),
            pacticipants::main_branch.eq(attributes.main_branch.as_deref()),
            pacticipants::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(pacticipants::table
        .filter(pacticipants::id.eq(id))
        .select(PacticipantRow::as_select())
        .first(conn)?)
}

/// Sets the main branch only if the pacticipant has none yet; `true` if it was set.
pub fn set_main_branch_if_unset(
    conn: &mut AnyConnection,
    id: i64,
    branch: &str,
) -> StorageResult<bool> {
    let changed = diesel::update(
        pacticipants::table
            .filter(pacticipants::id.eq(id))
            .filter(pacticipants::main_branch.is_null()),
    )
    .set((
        pacticipants::main_branch.eq(branch),
        pacticipants::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}
