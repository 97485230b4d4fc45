//! Versions, branches and tags: creating them as side effects of publishing or explicitly,
//! "latest" resolution (most recently created), and automatic main branch detection. The
//! branch and tag use cases are in [`branches`] and [`tags`], re-exported here.

mod branches;
mod tags;

pub use branches::{
    delete_branch, get_branch, get_branch_version, list_branch_versions, list_branches,
    put_branch_version,
};
pub use tags::{delete_tag, get_tag, put_tag};

use crate::domain::names::{MAIN_BRANCH_CANDIDATES, check_text};
use crate::domain::pacticipants::{Pacticipant, require_pacticipant};
use crate::domain::pacts::{PactSummary, summarise};
use crate::domain::{BranchName, DomainError, PacticipantName, TagName, VersionNumber};
use crate::storage::models::{BranchRow, PacticipantRow, TagRow, VersionRow};
use crate::storage::{self, AnyConnection, Db, pacticipants, publications, versions};

/// A version as listed: its number, build URL and creation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionSummary {
    /// The version number as the client gave it.
    pub number: String,
    /// The CI build URL, if one was given.
    pub build_url: Option<String>,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

impl From<VersionRow> for VersionSummary {
    fn from(row: VersionRow) -> Self {
        Self {
            number: row.number,
            build_url: row.build_url,
            created_at: row.created_at,
        }
    }
}

/// A tag on a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag name.
    pub name: String,
    /// When the version was tagged.
    pub created_at: String,
}

impl From<TagRow> for Tag {
    fn from(row: TagRow) -> Self {
        Self {
            name: row.name,
            created_at: row.created_at,
        }
    }
}

/// A branch of a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// The branch name.
    pub name: String,
    /// When the branch was created.
    pub created_at: String,
}

impl From<BranchRow> for Branch {
    fn from(row: BranchRow) -> Self {
        Self {
            name: row.name,
            created_at: row.created_at,
        }
    }
}

/// A branch a version is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionBranch {
    /// The branch name.
    pub name: String,
    /// Whether the version is the branch's newest (its head).
    pub latest: bool,
}

/// A version with what hangs off it: the version resource.
#[derive(Debug, Clone)]
pub struct VersionDetails {
    /// Its pacticipant's name.
    pub pacticipant: String,
    /// The version.
    pub version: VersionSummary,
    /// Its tags, oldest first.
    pub tags: Vec<Tag>,
    /// Its branches, each with whether this version is the branch head.
    pub branches: Vec<VersionBranch>,
    /// The pacts it published, one per provider (newest revision), by provider.
    pub pacts: Vec<PactSummary>,
}

/// A branch with its head.
#[derive(Debug, Clone)]
pub struct BranchDetails {
    /// Its pacticipant's name.
    pub pacticipant: String,
    /// The branch.
    pub branch: Branch,
    /// Its newest version.
    pub head: Option<VersionSummary>,
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
    let (branch_row, _) =
        storage::branches::find_or_insert_branch(conn, pacticipant.id, branch.as_str())?;
    let added = storage::branches::add_version_to_branch(conn, branch_row.id, version.id)?;
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
    let result = storage::tags::find_or_insert_tag(conn, version.id, tag.as_str())?;
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

pub(crate) fn details(
    conn: &mut AnyConnection,
    pacticipant: PacticipantRow,
    version: VersionRow,
) -> Result<VersionDetails, DomainError> {
    let tags = storage::tags::list_tags_for_version(conn, version.id)?
        .into_iter()
        .map(Tag::from)
        .collect();
    let branches = storage::branches::list_branches_of_version(conn, version.id)?
        .into_iter()
        .map(|(branch, latest)| VersionBranch {
            name: branch.name,
            latest,
        })
        .collect();
    let listings = publications::list_pacts_of_version(conn, version.id)?;
    let pacts = summarise(conn, listings)?;
    Ok(VersionDetails {
        pacticipant: pacticipant.name,
        version: version.into(),
        tags,
        branches,
        pacts,
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
    if let Some(url) = &build_url {
        check_text(url).map_err(|message| DomainError::invalid("buildUrl", message))?;
    }
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
) -> Result<(Pacticipant, Vec<VersionSummary>), DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let list = versions::list_versions(conn, pacticipant.id)?;
        Ok((
            pacticipant.into(),
            list.into_iter().map(VersionSummary::from).collect(),
        ))
    })
    .await
}

/// Deletes a version with its tags, branch memberships, pacts, the verifications it made as a
/// provider and its deployment and release records, recomputing every head that pointed at it,
/// in one transaction.
pub async fn delete_version(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
) -> Result<(), DomainError> {
    db.write(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        versions::delete_version(conn, version.id)?;
        Ok(())
    })
    .await
}
