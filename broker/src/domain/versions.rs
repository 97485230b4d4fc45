//! Versions, branches and tags: creating them as side effects of publishing or explicitly,
//! "latest" resolution (most recently created), and automatic main branch detection.

use crate::domain::names::MAIN_BRANCH_CANDIDATES;
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::{BranchName, DomainError, PacticipantName, TagName, VersionNumber};
use crate::storage::models::{BranchRow, PacticipantRow, TagRow, VersionRow};
use crate::storage::{AnyConnection, Db, branches, pacticipants, tags, versions};

/// A version with what hangs off it.
#[derive(Debug, Clone)]
pub struct VersionDetails {
    /// Its pacticipant.
    pub pacticipant: PacticipantRow,
    /// The version.
    pub version: VersionRow,
    /// Its tags, oldest first.
    pub tags: Vec<TagRow>,
    /// Its branches, each with whether this version is the branch head.
    pub branches: Vec<(BranchRow, bool)>,
}

/// Adds the version to the branch (creating the branch), and makes the branch the pacticipant's
/// main branch if it has none and the name is `develop`, `main` or `master`; `true` if the
/// version was newly added.
pub fn attach_branch(
    conn: &mut AnyConnection,
    pacticipant: &PacticipantRow,
    version: &VersionRow,
    branch: &BranchName,
) -> Result<bool, DomainError> {
    let (branch_row, _) = branches::find_or_insert_branch(conn, pacticipant.id, branch.as_str())?;
    let added = branches::add_version_to_branch(conn, branch_row.id, version.id)?;
    detect_main_branch(conn, pacticipant, branch.as_str())?;
    Ok(added)
}

/// Tags the version (idempotent), with the same main branch detection as branches.
pub fn attach_tag(
    conn: &mut AnyConnection,
    pacticipant: &PacticipantRow,
    version: &VersionRow,
    tag: &TagName,
) -> Result<(TagRow, bool), DomainError> {
    let result = tags::find_or_insert_tag(conn, version.id, tag.as_str())?;
    detect_main_branch(conn, pacticipant, tag.as_str())?;
    Ok(result)
}

fn detect_main_branch(
    conn: &mut AnyConnection,
    pacticipant: &PacticipantRow,
    name: &str,
) -> Result<(), DomainError> {
    if pacticipant.main_branch.is_none() && MAIN_BRANCH_CANDIDATES.contains(&name) {
        pacticipants::set_main_branch_if_unset(conn, pacticipant.id, name)?;
    }
    Ok(())
}

/// The version, or a not-found error naming it.
pub fn require_version(
    conn: &mut AnyConnection,
    pacticipant: &PacticipantRow,
    number: &str,
) -> Result<VersionRow, DomainError> {
    versions::find_version(conn, pacticipant.id, number)?.ok_or_else(|| {
        DomainError::NotFound(format!(
            "version `{number}` of pacticipant `{}` not found",
            pacticipant.name
        ))
    })
}

fn details(
    conn: &mut AnyConnection,
    pacticipant: PacticipantRow,
    version: VersionRow,
) -> Result<VersionDetails, DomainError> {
    let tags = tags::list_tags_for_version(conn, version.id)?;
    let branches = branches::list_branches_of_version(conn, version.id)?;
    Ok(VersionDetails {
        pacticipant,
        version,
        tags,
        branches,
    })
}

/// A version of a pacticipant.
pub async fn get_version(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
) -> Result<VersionDetails, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        details(conn, pacticipant, version)
    })
    .await
}

/// Creates the version (and its pacticipant) or updates its build URL; `true` if created.
pub async fn put_version(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    build_url: Option<String>,
) -> Result<(VersionDetails, bool), DomainError> {
    db.write(move |conn| {
        let (pacticipant, _) =
            pacticipants::find_or_insert_pacticipant(conn, pacticipant.as_str())?;
        let (version, created) = versions::find_or_insert_version(
            conn,
            pacticipant.id,
            number.as_str(),
            build_url.as_deref(),
        )?;
        Ok((details(conn, pacticipant, version)?, created))
    })
    .await
}

/// The latest version of a pacticipant, optionally the latest carrying `tag`.
pub async fn get_latest_version(
    db: &Db,
    pacticipant: PacticipantName,
    tag: Option<TagName>,
) -> Result<VersionDetails, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = match &tag {
            None => versions::find_latest_version(conn, pacticipant.id)?,
            Some(tag) => {
                versions::find_latest_version_with_tag(conn, pacticipant.id, tag.as_str())?
            }
        };
        let version = version.ok_or_else(|| match &tag {
            None => DomainError::NotFound(format!(
                "pacticipant `{}` has no versions",
                pacticipant.name
            )),
            Some(tag) => DomainError::NotFound(format!(
                "pacticipant `{}` has no version tagged `{tag}`",
                pacticipant.name
            )),
        })?;
        details(conn, pacticipant, version)
    })
    .await
}

/// Every version of a pacticipant, newest first.
pub async fn list_versions(
    db: &Db,
    pacticipant: PacticipantName,
) -> Result<(PacticipantRow, Vec<VersionRow>), DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let list = versions::list_versions(conn, pacticipant.id)?;
        Ok((pacticipant, list))
    })
    .await
}

/// Every branch of a pacticipant.
pub async fn list_branches(
    db: &Db,
    pacticipant: PacticipantName,
) -> Result<(PacticipantRow, Vec<BranchRow>), DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let list = branches::list_branches(conn, pacticipant.id)?;
        Ok((pacticipant, list))
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

/// A branch with its versions, newest (the head) first.
pub async fn get_branch(
    db: &Db,
    pacticipant: PacticipantName,
    branch: BranchName,
) -> Result<(PacticipantRow, BranchRow, Vec<VersionRow>), DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let branch = require_branch(conn, &pacticipant, branch.as_str())?;
        let list = branches::list_branch_versions(conn, branch.id)?;
        Ok((pacticipant, branch, list))
    })
    .await
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

/// Tags a version, creating the pacticipant and version as needed; `true` if the tag is new.
pub async fn put_tag(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    tag: TagName,
) -> Result<(TagRow, bool), DomainError> {
    db.write(move |conn| {
        let (pacticipant, _) =
            pacticipants::find_or_insert_pacticipant(conn, pacticipant.as_str())?;
        let (version, _) =
            versions::find_or_insert_version(conn, pacticipant.id, number.as_str(), None)?;
        attach_tag(conn, &pacticipant, &version, &tag)
    })
    .await
}

/// A tag of a version.
pub async fn get_tag(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    tag: TagName,
) -> Result<TagRow, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        tags::find_tag(conn, version.id, tag.as_str())?.ok_or_else(|| {
            DomainError::NotFound(format!(
                "tag `{tag}` of version `{number}` of pacticipant `{}` not found",
                pacticipant.name
            ))
        })
    })
    .await
}

/// Removes a tag from a version.
pub async fn delete_tag(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    tag: TagName,
) -> Result<(), DomainError> {
    db.write(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        if tags::delete_tag(conn, version.id, tag.as_str())? {
            Ok(())
        } else {
            Err(DomainError::NotFound(format!(
                "tag `{tag}` of version `{number}` of pacticipant `{}` not found",
                pacticipant.name
            )))
        }
    })
    .await
}
