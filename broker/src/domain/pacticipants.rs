//! Pacticipants: listing, reading, creating, updating (merge-patch, which creates a missing
//! pacticipant as the Pact Broker does, or full replacement) and deleting with everything that
//! hangs off them.

use crate::domain::names::check_text;
use crate::domain::versions::VersionSummary;
use crate::domain::{BranchName, DomainError, FieldError, PacticipantName};
use crate::storage::models::PacticipantRow;
use crate::storage::pacticipants::PacticipantAttributes;
use crate::storage::{AnyConnection, Db, labels, pacticipants, versions};

/// A pacticipant (consumer or provider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pacticipant {
    /// Unique, case-sensitive name.
    pub name: String,
    /// Human name, if one was given.
    pub display_name: Option<String>,
    /// Source repository URL.
    pub repository_url: Option<String>,
    /// Main branch name.
    pub main_branch: Option<String>,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
}

impl From<PacticipantRow> for Pacticipant {
    fn from(row: PacticipantRow) -> Self {
        Self {
            name: row.name,
            display_name: row.display_name,
            repository_url: row.repository_url,
            main_branch: row.main_branch,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A pacticipant with its latest version.
#[derive(Debug, Clone)]
pub struct PacticipantDetails {
    /// The pacticipant.
    pub pacticipant: Pacticipant,
    /// Its most recently created version.
    pub latest_version: Option<VersionSummary>,
    /// Its labels, by name.
    pub labels: Vec<String>,
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
        let mut faults = Vec::new();
        if let Some(Some(branch)) = &self.main_branch
            && let Err(message) = BranchName::parse(branch)
        {
            faults.push(FieldError::new("mainBranch", message));
        }
        for (field, value) in [
            ("displayName", &self.display_name),
            ("repositoryUrl", &self.repository_url),
        ] {
            if let Some(Some(text)) = value
                && let Err(message) = check_text(text)
            {
                faults.push(FieldError::new(field, message));
            }
        }
        if faults.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(faults))
        }
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
    let labels = labels::list_labels_of(conn, &[pacticipant.id])?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    Ok(PacticipantDetails {
        pacticipant: pacticipant.into(),
        latest_version: latest_version.map(VersionSummary::from),
        labels,
    })
}

/// Every pacticipant with its latest version, by name.
pub async fn list_pacticipants(db: &Db) -> Result<Vec<PacticipantDetails>, DomainError> {
    db.run(|conn| {
        let rows = pacticipants::list_pacticipants(conn)?;
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            list.push(with_latest(conn, row)?);
        }
        Ok(list)
    })
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

/// Applies a merge-patch to a pacticipant, creating it with the patch's attributes when it does
/// not exist (as the Pact Broker does); `true` if created.
pub async fn patch_pacticipant(
    db: &Db,
    name: PacticipantName,
    patch: PacticipantPatch,
) -> Result<(PacticipantDetails, bool), DomainError> {
    patch.validate()?;
    db.write(
        move |conn| match pacticipants::find_pacticipant(conn, name.as_str())? {
            Some(existing) => {
                let row = pacticipants::update_pacticipant(
                    conn,
                    existing.id,
                    &patch.apply(attributes_of(&existing)),
                )?;
                Ok((with_latest(conn, row)?, false))
            }
            None => {
                let attributes = patch.apply(PacticipantAttributes::default());
                let row = pacticipants::insert_pacticipant(conn, name.as_str(), &attributes)?;
                Ok((with_latest(conn, row)?, true))
            }
        },
    )
    .await
}

/// Deletes a pacticipant with its versions, branches, tags, the publications it made or
/// received, its heads and the verification, deployment and release records that refer to
/// them, in one transaction.
pub async fn delete_pacticipant(db: &Db, name: PacticipantName) -> Result<(), DomainError> {
    db.write(move |conn| {
        let existing = require_pacticipant(conn, name.as_str())?;
        pacticipants::delete_pacticipant(conn, existing.id)?;
        Ok(())
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

/// A label on a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The pacticipant.
    pub pacticipant: String,
    /// The label.
    pub name: String,
    /// When it was added.
    pub created_at: String,
}

/// The longest label accepted, in bytes.
const MAX_LABEL_LENGTH: usize = 255;

fn check_label(name: &str) -> Result<(), DomainError> {
    let fault = if name.trim().is_empty() {
        Some("must not be blank".to_owned())
    } else if name.len() > MAX_LABEL_LENGTH {
        Some(format!("must be at most {MAX_LABEL_LENGTH} bytes long"))
    } else {
        check_text(name).err()
    };
    match fault {
        Some(message) => Err(DomainError::invalid("label", message)),
        None => Ok(()),
    }
}

/// Adds the label `name` to a pacticipant (a no-op when it has it); `true` when added.
pub async fn put_label(
    db: &Db,
    pacticipant: PacticipantName,
    name: String,
) -> Result<(Label, bool), DomainError> {
    check_label(&name)?;
    db.write(move |conn| {
        let row = require_pacticipant(conn, pacticipant.as_str())?;
        let (label, created) = match labels::find_label(conn, row.id, &name)? {
            Some(label) => (label, false),
            None => (labels::insert_label(conn, row.id, &name)?, true),
        };
        Ok((
            Label {
                pacticipant: row.name,
                name: label.name,
                created_at: label.created_at,
            },
            created,
        ))
    })
    .await
}

/// The label `name` of a pacticipant.
pub async fn get_label(
    db: &Db,
    pacticipant: PacticipantName,
    name: String,
) -> Result<Label, DomainError> {
    db.run(move |conn| {
        let row = require_pacticipant(conn, pacticipant.as_str())?;
        let label = labels::find_label(conn, row.id, &name)?.ok_or_else(|| {
            DomainError::NotFound(format!("pacticipant `{}` has no label `{name}`", row.name))
        })?;
        Ok(Label {
            pacticipant: row.name,
            name: label.name,
            created_at: label.created_at,
        })
    })
    .await
}

/// Removes the label `name` from a pacticipant.
pub async fn delete_label(
    db: &Db,
    pacticipant: PacticipantName,
    name: String,
) -> Result<(), DomainError> {
    db.write(move |conn| {
        let row = require_pacticipant(conn, pacticipant.as_str())?;
        if labels::delete_label(conn, row.id, &name)? {
            Ok(())
        } else {
            Err(DomainError::NotFound(format!(
                "pacticipant `{}` has no label `{name}`",
                row.name
            )))
        }
    })
    .await
}

/// The pacticipants with the label `name`, by name, with their details.
pub async fn list_pacticipants_with_label(
    db: &Db,
    name: String,
) -> Result<Vec<PacticipantDetails>, DomainError> {
    db.run(move |conn| {
        let rows = labels::list_pacticipants_with_label(conn, &name)?;
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            list.push(with_latest(conn, row)?);
        }
        Ok(list)
    })
    .await
}
