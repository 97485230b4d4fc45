//! Queries on `pacticipants`.

use diesel::prelude::*;

use crate::storage::models::{NewPacticipant, PacticipantRow};
use crate::storage::schema::{
    branch_versions, branches, deployed_versions, pacticipants, publications, released_versions,
    tags, verifications, versions,
};
use crate::storage::{AnyConnection, StorageResult, heads, now};

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

/// Deletes a pacticipant and everything that hangs off it: its heads, the verifications and
/// deployment and release records of its versions or of integrations it is part of, its
/// versions' tags and branch memberships, its branches, the publications it made as consumer
/// or received as provider, and its versions. Contents stay (they are shared by hash).
pub fn delete_pacticipant(conn: &mut AnyConnection, pacticipant_id: i64) -> StorageResult<()> {
    heads::on_pacticipant_deleted(conn, pacticipant_id)?;
    crate::storage::required_verifications::delete_for_pacticipant(conn, pacticipant_id)?;
    crate::storage::labels::delete_labels_of(conn, pacticipant_id)?;
    let own_versions = versions::table
        .filter(versions::pacticipant_id.eq(pacticipant_id))
        .select(versions::id);
    diesel::delete(
        verifications::table.filter(
            verifications::consumer_id
                .eq(pacticipant_id)
                .or(verifications::provider_id.eq(pacticipant_id))
                .or(verifications::provider_version_id.eq_any(own_versions)),
        ),
    )
    .execute(conn)?;
    diesel::delete(
        deployed_versions::table.filter(deployed_versions::pacticipant_id.eq(pacticipant_id)),
    )
    .execute(conn)?;
    diesel::delete(
        released_versions::table.filter(released_versions::pacticipant_id.eq(pacticipant_id)),
    )
    .execute(conn)?;
    diesel::delete(tags::table.filter(tags::version_id.eq_any(own_versions))).execute(conn)?;
    diesel::delete(branch_versions::table.filter(branch_versions::version_id.eq_any(own_versions)))
        .execute(conn)?;
    diesel::delete(branches::table.filter(branches::pacticipant_id.eq(pacticipant_id)))
        .execute(conn)?;
    diesel::delete(
        publications::table.filter(
            publications::consumer_version_id
                .eq_any(own_versions)
                .or(publications::provider_id.eq(pacticipant_id)),
        ),
    )
    .execute(conn)?;
    diesel::delete(versions::table.filter(versions::pacticipant_id.eq(pacticipant_id)))
        .execute(conn)?;
    diesel::delete(pacticipants::table.filter(pacticipants::id.eq(pacticipant_id)))
        .execute(conn)?;
    Ok(())
}
