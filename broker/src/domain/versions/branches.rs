//! Branches: listing a pacticipant's branches, a branch with its head (read from the branch's
//! version head) or with all its versions, deleting one, and putting a version on one.

use crate::domain::pacticipants::{Pacticipant, require_pacticipant};
use crate::domain::versions::{
    Branch, BranchDetails, VersionDetails, VersionSummary, attach_branch, details, require_version,
};
use crate::domain::{BranchName, DomainError, PacticipantName, VersionNumber};
use crate::storage::heads::{self, HeadScope};
use crate::storage::models::{BranchRow, PacticipantRow};
use crate::storage::{AnyConnection, Db, branches, pacticipants, versions};

/// Every branch of a pacticipant.
pub async fn list_branches(
    db: &Db,
    pacticipant: PacticipantName,
) -> Result<(Pacticipant, Vec<Branch>), DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let list = branches::list_branches(conn, pacticipant.id)?;
        Ok((
            pacticipant.into(),
            list.into_iter().map(Branch::from).collect(),
        ))
    })
    .await
}

fn require_branch(
    conn: &mut AnyConnection,
    pacticipant: &PacticipantRow,
    name: &str,
) -> Result<BranchRow, DomainError> {
    branches::find_branch(conn, pacticipant.id, name)?.ok_or_else(|| {
        DomainError::NotFound(format!(
            "branch `{name}` of pacticipant `{}` not found",
            pacticipant.name
        ))
    })
}

/// A branch with its head (read from the branch's version head).
pub async fn get_branch(
    db: &Db,
    pacticipant: PacticipantName,
    branch: BranchName,
) -> Result<BranchDetails, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let branch = require_branch(conn, &pacticipant, branch.as_str())?;
        branch_details(conn, pacticipant, branch)
    })
    .await
}

/// A branch with all its versions, newest (the head) first.
pub async fn list_branch_versions(
    db: &Db,
    pacticipant: PacticipantName,
    branch: BranchName,
) -> Result<(BranchDetails, Vec<VersionSummary>), DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let branch = require_branch(conn, &pacticipant, branch.as_str())?;
        let list = branches::list_branch_versions(conn, branch.id)?;
        Ok((
            branch_details(conn, pacticipant, branch)?,
            list.into_iter().map(VersionSummary::from).collect(),
        ))
    })
    .await
}

fn branch_details(
    conn: &mut AnyConnection,
    pacticipant: PacticipantRow,
    branch: BranchRow,
) -> Result<BranchDetails, DomainError> {
    let head =
        match heads::find_version_head(conn, pacticipant.id, HeadScope::Branch, &branch.name)? {
            Some(head) => versions::find_versions_by_ids(conn, &[head.version_id])?
                .into_iter()
                .next()
                .map(VersionSummary::from),
            None => None,
        };
    Ok(BranchDetails {
        pacticipant: pacticipant.name,
        branch: branch.into(),
        head,
    })
}

/// Deletes a branch (its versions stay).
pub async fn delete_branch(
    db: &Db,
    pacticipant: PacticipantName,
    branch: BranchName,
) -> Result<(), DomainError> {
    db.write(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let branch = require_branch(conn, &pacticipant, branch.as_str())?;
        branches::delete_branch(conn, branch.id)?;
        Ok(())
    })
    .await
}

/// Puts a version on a branch, creating the pacticipant, version and branch as needed;
/// `true` if the version was newly added to the branch.
pub async fn put_branch_version(
    db: &Db,
    pacticipant: PacticipantName,
    branch: BranchName,
    number: VersionNumber,
) -> Result<(VersionDetails, bool), DomainError> {
    db.write(move |conn| {
        let (pacticipant, _) =
            pacticipants::find_or_insert_pacticipant(conn, pacticipant.as_str())?;
        let (version, _) =
            versions::find_or_insert_version(conn, pacticipant.id, number.as_str(), None)?;
        let added = attach_branch(conn, &pacticipant, &version, &branch)?;
        Ok((details(conn, pacticipant, version)?, added))
    })
    .await
}

/// A version as a member of a branch.
pub async fn get_branch_version(
    db: &Db,
    pacticipant: PacticipantName,
    branch: BranchName,
    number: VersionNumber,
) -> Result<VersionDetails, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let branch_row = require_branch(conn, &pacticipant, branch.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        if !branches::branch_has_version(conn, branch_row.id, version.id)? {
            return Err(DomainError::NotFound(format!(
                "version `{number}` of pacticipant `{}` is not on branch `{branch}`",
                pacticipant.name
            )));
        }
        details(conn, pacticipant, version)
    })
    .await
}
