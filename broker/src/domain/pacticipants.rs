//! Pacticipants: listing, reading, creating and updating (merge-patch or full replacement).

use crate::domain::{BranchName, DomainError, PacticipantName};
use crate::storage::models::{PacticipantRow, VersionRow};
use crate::storage::pacticipants::PacticipantAttributes;
use crate::storage::{AnyConnection, Db, pacticipants, versions};

/// A pacticipant with its latest version.
#[derive(Debug, Clone)]
pub struct PacticipantDetails {
    /// The pacticipant.
    pub pacticipant: PacticipantRow,
    /// Its most recently created version.
    pub latest_version: Option<VersionRow>,
}

/// A change to a pacticipant: `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct PacticipantPatch {
    /// `displayName`.
    pub display_name: Option<Option<String>>,
    /// `repositoryUrl`.
    pub repository_url: Option<Option<String>>,
    /// `mainBranch`.
    pub main_branch: Option<Option<String>>,
}

impl PacticipantPatch {
    fn validate(&self) -> Result<(), DomainError> {
        if let Some(Some(branch)) = &self.main_branch {
            BranchName::parse(branch)
                .map_err(|message| DomainError::invalid("mainBranch", message))?;
        }
        Ok(())
    }

    fn apply(&self, mut attributes: PacticipantAttributes) -> PacticipantAttributes {
        if let Some(value) = &self.display_name {
            attributes.display_name = value.clone();
        }
        if let Some(value) = &self.repository_url {
            attributes.repository_url = value.clone();
        }
        if let Some(value) = &self.main_branch {
            attributes.main_branch = value.clone();
        }
        attributes
    }
}

fn attributes_of(row: &PacticipantRow) -> PacticipantAttributes {
    PacticipantAttributes {
        display_name: row.display_name.clone(),
        repository_url: row.repository_url.clone(),
        main_branch: row.main_branch.clone(),
    }
}

/// The pacticipant, or a not-found error naming it.
pub fn require_pacticipant(
    conn: &mut AnyConnection,
    name: &str,
) -> Result<PacticipantRow, DomainError> {
    pacticipants::find_pacticipant(conn, name)?.ok_or_else(|| {
        DomainError::NotFound(format!(
            "pacticipant `{name}` not found: publish a contract as or to it, or create it with POST /pacticipants"
        ))
    })
}

fn with_latest(
    conn: &mut AnyConnection,
    pacticipant: PacticipantRow,
) -> Result<PacticipantDetails, DomainError> {
    let latest_version = versions::find_latest_version(conn, pacticipant.id)?;
    Ok(PacticipantDetails {
        pacticipant,
        latest_version,
    })
}

/// Every pacticipant, by name.
pub async fn list_pacticipants(db: &Db) -> Result<Vec<PacticipantRow>, DomainError> {
    db.run(|conn| Ok(pacticipants::list_pacticipants(conn)?))
        .await
}

/// One pacticipant.
pub async fn get_pacticipant(
    db: &Db,
    name: PacticipantName,
) -> Result<PacticipantDetails, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, name.as_str())?;
        with_latest(conn, pacticipant)
    })
    .await
}

/// Creates a pacticipant; the name must be free.
pub async fn create_pacticipant(
    db: &Db,
    name: PacticipantName,
    patch: PacticipantPatch,
) -> Result<PacticipantDetails, DomainError> {
    patch.validate()?;
    db.write(move |conn| {
        if pacticipants::find_pacticipant(conn, name.as_str())?.is_some() {
            return Err(DomainError::Conflict {
                field: "name".to_owned(),
                message: format!("a pacticipant named `{name}` already exists: update it with PATCH /pacticipants/{name}"),
            });
        }
        let row = pacticipants::insert_pacticipant(conn, name.as_str(), &patch.apply(PacticipantAttributes::default()))?;
        with_latest(conn, row)
    })
    .await
}

/// Applies a merge-patch to an existing pacticipant.
pub async fn patch_pacticipant(
    db: &Db,
    name: PacticipantName,
    patch: PacticipantPatch,
) -> Result<PacticipantDetails, DomainError> {
    patch.validate()?;
    db.write(move |conn| {
        let existing = require_pacticipant(conn, name.as_str())?;
        let row = pacticipants::update_pacticipant(
            conn,
            existing.id,
            &patch.apply(attributes_of(&existing)),
        )?;
        with_latest(conn, row)
    })
    .await
}

/// Creates or fully replaces a pacticipant's attributes (absent fields are cleared); `true` if
/// created.
pub async fn put_pacticipant(
    db: &Db,
    name: PacticipantName,
    patch: PacticipantPatch,
) -> Result<(PacticipantDetails, bool), DomainError> {
    patch.validate()?;
    db.write(move |conn| {
        let attributes = patch.apply(PacticipantAttributes::default());
        match pacticipants::find_pacticipant(conn, name.as_str())? {
            Some(existing) => {
                let row = pacticipants::update_pacticipant(conn, existing.id, &attributes)?;
                Ok((with_latest(conn, row)?, false))
            }
            None => {
                let row = pacticipants::insert_pacticipant(conn, name.as_str(), &attributes)?;
                Ok((with_latest(conn, row)?, true))
            }
        }
    })
    .await
}
