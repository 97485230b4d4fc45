//! Queries on `branches` and `branch_versions`. A branch's head is its most recently created
//! version.

use diesel::prelude::*;

use crate::storage::heads::{self, HeadScope};
use crate::storage::models::{BranchRow, VersionRow};
use crate::storage::schema::{branch_versions, branches, pacticipants, version_heads, versions};
use crate::storage::{AnyConnection, StorageResult, now};

/// The branch `name` of a pacticipant.
pub fn find_branch(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<Option<BranchRow>> {
    Ok(branches::table
        .filter(branches::pacticipant_id.eq(pacticipant_id))
        .filter(branches::name.eq(name))
        .select(BranchRow::as_select())
        .first(conn)
        .optional()?)
}

/// The branch, created when missing; `true` if created.
pub fn find_or_insert_branch(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<(BranchRow, bool)> {
    if let Some(existing) = find_branch(conn, pacticipant_id, name)? {
        return Ok((existing, false));
    }
    diesel::insert_into(branches::table)
        .values((
            branches::pacticipant_id.eq(pacticipant_id),
            branches::name.eq(name),
            branches::created_at.eq(now()),
        ))
        .execute(conn)?;
    let created =
        find_branch(conn, pacticipant_id, name)?.ok_or(diesel::result::Error::NotFound)?;
    Ok((created, true))
}

/// Every branch of a pacticipant, oldest first.
pub fn list_branches(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
) -> StorageResult<Vec<BranchRow>> {
    Ok(branches::table
        .filter(branches::pacticipant_id.eq(pacticipant_id))
        .order(branches::id.asc())
        .select(BranchRow::as_select())
        .load(conn)?)
}

/// Deletes a branch, its version memberships (the versions stay) and its heads.
pub fn delete_branch(conn: &mut AnyConnection, branch_id: i64) -> StorageResult<()> {
    let branch: BranchRow = branches::table
        .find(branch_id)
        .select(BranchRow::as_select())
        .first(conn)?;
    heads::on_branch_deleted(conn, branch.pacticipant_id, &branch.name)?;
    diesel::delete(branch_versions::table.filter(branch_versions::branch_id.eq(branch_id)))
        .execute(conn)?;
    diesel::delete(branches::table.filter(branches::id.eq(branch_id))).execute(conn)?;
    Ok(())
}

/// Whether the version is on the branch.
pub fn branch_has_version(
    conn: &mut AnyConnection,
    branch_id: i64,
    version_id: i64,
) -> StorageResult<bool> {
    let count: i64 = branch_versions::table
        .filter(branch_versions::branch_id.eq(branch_id))
        .filter(branch_versions::version_id.eq(version_id))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Adds the version to the branch unless it is already there (moving the branch's version and
/// pact heads to the version unless a newer version holds them); `true` if added.
pub fn add_version_to_branch(
    conn: &mut AnyConnection,
    branch_id: i64,
    version_id: i64,
) -> StorageResult<bool> {
    if branch_has_version(conn, branch_id, version_id)? {
        return Ok(false);
    }
    diesel::insert_into(branch_versions::table)
        .values((
            branch_versions::branch_id.eq(branch_id),
            branch_versions::version_id.eq(version_id),
            branch_versions::created_at.eq(now()),
        ))
        .execute(conn)?;
    let name: String = branches::table
        .find(branch_id)
        .select(branches::name)
        .first(conn)?;
    heads::on_version_scoped(conn, version_id, HeadScope::Branch, &name)?;
    Ok(true)
}

/// The versions on a branch, newest first (the first is the head).
pub fn list_branch_versions(
    conn: &mut AnyConnection,
    branch_id: i64,
) -> StorageResult<Vec<VersionRow>> {
    Ok(versions::table
        .filter(
            versions::id.eq_any(
                branch_versions::table
                    .filter(branch_versions::branch_id.eq(branch_id))
                    .select(branch_versions::version_id),
            ),
        )
        .order(versions::id.desc())
        .select(VersionRow::as_select())
        .load(conn)?)
}

/// The branches a version is on, each with whether the version is that branch's head (read from
/// the branch's version head).
pub fn list_branches_of_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<(BranchRow, bool)>> {
    let rows: Vec<(BranchRow, Option<i64>)> = branches::table
        .inner_join(branch_versions::table)
        .left_join(
            version_heads::table.on(version_heads::pacticipant_id
                .eq(branches::pacticipant_id)
                .and(version_heads::scope.eq(HeadScope::Branch.as_str()))
                .and(version_heads::scope_name.eq(branches::name))),
        )
        .filter(branch_versions::version_id.eq(version_id))
        .order(branches::id.asc())
        .select((BranchRow::as_select(), version_heads::version_id.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(branch, head)| (branch, head == Some(version_id)))
        .collect())
}

/// Every pacticipant's branch called `name`.
pub fn find_branches_named(conn: &mut AnyConnection, name: &str) -> StorageResult<Vec<BranchRow>> {
    Ok(branches::table
        .filter(branches::name.eq(name))
        .select(BranchRow::as_select())
        .load(conn)?)
}

/// Every pacticipant's main branch (the branch named by `pacticipants.main_branch`).
pub fn list_main_branches(conn: &mut AnyConnection) -> StorageResult<Vec<BranchRow>> {
    Ok(branches::table
        .inner_join(pacticipants::table)
        .filter(pacticipants::main_branch.eq(branches::name.nullable()))
        .select(BranchRow::as_select())
        .load(conn)?)
}
