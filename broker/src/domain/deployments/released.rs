//! Releases: record one (again turns support back on), read one, merge-patch one
//! (`currentlySupported: false`), and list what an environment supports.

use crate::domain::deployments::hydrate::{hydrate_released, single};
use crate::domain::deployments::{ReleasedQuery, ReleasedVersion};
use crate::domain::environments::{Environment, generate_uuid, require_environment};
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::versions::require_version;
use crate::domain::{DomainError, FieldError, PacticipantName, VersionNumber};
use crate::storage::deployments::{self as store, ReleasedFilter};
use crate::storage::models::ReleasedVersionRow;
use crate::storage::{AnyConnection, Db, environments, pacticipants, versions};

/// Records that a version was released to an environment; `true` if this is its first release
/// there. Releasing it again turns its support back on and keeps the same record.
pub async fn record_release(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    environment_uuid: String,
) -> Result<(ReleasedVersion, bool), DomainError> {
    db.write(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        let environment = require_environment(conn, &environment_uuid)?;
        environments::lock_environment(conn, environment.id)?;
        let (row, created) = match store::find_released_version(conn, version.id, environment.id)? {
            Some(existing) => (
                store::set_currently_supported(conn, existing.id, true)?,
                false,
            ),
            None => {
                let row = store::insert_released_version(
                    conn,
                    &generate_uuid(),
                    pacticipant.id,
                    version.id,
                    environment.id,
                )?;
                (row, true)
            }
        };
        Ok((single(hydrate_released(conn, vec![row])?)?, created))
    })
    .await
}

/// One released version.
pub async fn get_released_version(db: &Db, uuid: String) -> Result<ReleasedVersion, DomainError> {
    db.run(move |conn| {
        let row = require_released(conn, &uuid)?;
        single(hydrate_released(conn, vec![row])?)
    })
    .await
}

/// Applies `{"currentlySupported": …}`: `false` ends support, `true` is refused (record the
/// release again instead), absent changes nothing.
pub async fn patch_released_version(
    db: &Db,
    uuid: String,
    currently_supported: Option<bool>,
) -> Result<ReleasedVersion, DomainError> {
    db.write(move |conn| {
        let row = require_released(conn, &uuid)?;
        let row = match currently_supported {
            Some(true) => {
                return Err(DomainError::Unprocessable(vec![FieldError::new(
                    "currentlySupported",
                    "cannot be set back to true: record the release again instead",
                )]));
            }
            Some(false) => store::set_currently_supported(conn, row.id, false)?,
            None => row,
        };
        single(hydrate_released(conn, vec![row])?)
    })
    .await
}

/// The versions currently supported in an environment, newest first.
pub async fn list_currently_supported(
    db: &Db,
    environment_uuid: String,
    query: ReleasedQuery,
) -> Result<(Environment, Vec<ReleasedVersion>), DomainError> {
    db.run(move |conn| {
        let environment = require_environment(conn, &environment_uuid)?;
        let mut filter = ReleasedFilter::default();
        if let Some(name) = &query.pacticipant {
            let Some(pacticipant) = pacticipants::find_pacticipant(conn, name)? else {
                return Ok((Environment::from_row(environment), Vec::new()));
            };
            filter.pacticipant_id = Some(pacticipant.id);
            // With the pacticipant known, the version is one indexed lookup.
            if let Some(number) = &query.version {
                let Some(version) = versions::find_version(conn, pacticipant.id, number)? else {
                    return Ok((Environment::from_row(environment), Vec::new()));
                };
                filter.version_id = Some(version.id);
            }
        } else {
            filter.version_number = query.version.clone();
        }
        let rows = store::list_currently_supported(conn, environment.id, &filter)?;
        Ok((
            Environment::from_row(environment),
            hydrate_released(conn, rows)?,
        ))
    })
    .await
}

fn require_released(
    conn: &mut AnyConnection,
    uuid: &str,
) -> Result<ReleasedVersionRow, DomainError> {
    store::find_released_version_by_uuid(conn, uuid)?
        .ok_or_else(|| DomainError::NotFound(format!("released version `{uuid}` not found")))
}
