//! Queries on `pacticipant_labels`: the labels of a pacticipant (key
//! `pacticipant_labels_pacticipant_id_name_key`) and the pacticipants with a label (index
//! `pacticipant_labels_name_idx`).

use diesel::prelude::*;

use crate::storage::models::{LabelRow, PacticipantRow};
use crate::storage::schema::{pacticipant_labels, pacticipants};
use crate::storage::{AnyConnection, StorageResult, now};

/// The label `name` of a pacticipant.
pub fn find_label(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<Option<LabelRow>> {
    Ok(pacticipant_labels::table
        .filter(pacticipant_labels::pacticipant_id.eq(pacticipant_id))
        .filter(pacticipant_labels::name.eq(name))
        .select(LabelRow::as_select())
        .first(conn)
        .optional()?)
}

/// Adds a label (it must be new) and returns it.
pub fn insert_label(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<LabelRow> {
    diesel::insert_into(pacticipant_labels::table)
        .values((
            pacticipant_labels::pacticipant_id.eq(pacticipant_id),
            pacticipant_labels::name.eq(name),
            pacticipant_labels::created_at.eq(now()),
        ))
        .execute(conn)?;
    find_label(conn, pacticipant_id, name)?.ok_or_else(|| {
        crate::storage::StorageError::Corrupt(format!("label {name} vanished after insert"))
    })
}

/// Removes a label; `true` if there was one.
pub fn delete_label(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<bool> {
    let deleted = diesel::delete(
        pacticipant_labels::table
            .filter(pacticipant_labels::pacticipant_id.eq(pacticipant_id))
            .filter(pacticipant_labels::name.eq(name)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}

/// The labels of these pacticipants, as (pacticipant id, label), by label.
pub fn list_labels_of(
    conn: &mut AnyConnection,
    pacticipant_ids: &[i64],
) -> StorageResult<Vec<(i64, String)>> {
    Ok(pacticipant_labels::table
        .filter(pacticipant_labels::pacticipant_id.eq_any(pacticipant_ids))
        .order(pacticipant_labels::name.asc())
        .select((pacticipant_labels::pacticipant_id, pacticipant_labels::name))
        .load(conn)?)
}

/// The pacticipants with the label `name`, by name.
pub fn list_pacticipants_with_label(
    conn: &mut AnyConnection,
    name: &str,
) -> StorageResult<Vec<PacticipantRow>> {
    Ok(pacticipants::table
        .inner_join(pacticipant_labels::table)
        .filter(pacticipant_labels::name.eq(name))
        .order(pacticipants::name.asc())
        .select(PacticipantRow::as_select())
        .load(conn)?)
}

/// Deletes the labels of a pacticipant being deleted.
pub fn delete_labels_of(conn: &mut AnyConnection, pacticipant_id: i64) -> StorageResult<()> {
    diesel::delete(
        pacticipant_labels::table.filter(pacticipant_labels::pacticipant_id.eq(pacticipant_id)),
    )
    .execute(conn)?;
    Ok(())
}
