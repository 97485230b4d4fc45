//! Turns deployed and released version rows into domain values, naming the pacticipants,
//! versions and environments they point at in three queries whatever the number of rows.

use std::collections::HashMap;

use crate::domain::DomainError;
use crate::domain::deployments::{DeployedVersion, ReleasedVersion};
use crate::domain::environments::Environment;
use crate::storage::models::{DeployedVersionRow, ReleasedVersionRow};
use crate::storage::{AnyConnection, environments, pacticipants, versions};

/// The one item of a list built from one row.
pub(super) fn single<T>(mut items: Vec<T>) -> Result<T, DomainError> {
    items
        .pop()
        .ok_or_else(|| DomainError::NotFound("the record was not found".into()))
}

/// Names of the pacticipants, versions and environments the rows point at, loaded in three
/// queries whatever the number of rows.
struct Names {
    pacticipants: HashMap<i64, String>,
    versions: HashMap<i64, String>,
    environments: HashMap<i64, Environment>,
}

impl Names {
    fn load(
        conn: &mut AnyConnection,
        pacticipant_ids: &[i64],
        version_ids: &[i64],
        environment_ids: &[i64],
    ) -> Result<Self, DomainError> {
        Ok(Names {
            pacticipants: pacticipants::find_pacticipants_by_ids(conn, pacticipant_ids)?
                .into_iter()
                .map(|row| (row.id, row.name))
                .collect(),
            versions: versions::find_versions_by_ids(conn, version_ids)?
                .into_iter()
                .map(|row| (row.id, row.number))
                .collect(),
            environments: environments::find_environments_by_ids(conn, environment_ids)?
                .into_iter()
                .map(|row| (row.id, Environment::from_row(row)))
                .collect(),
        })
    }

    fn resolve(
        &self,
        pacticipant_id: i64,
        version_id: i64,
        environment_id: i64,
    ) -> Option<(String, String, Environment)> {
        Some((
            self.pacticipants.get(&pacticipant_id)?.clone(),
            self.versions.get(&version_id)?.clone(),
            self.environments.get(&environment_id)?.clone(),
        ))
    }
}

/// Deployed version rows as domain values.
pub(super) fn hydrate_deployed(
    conn: &mut AnyConnection,
    rows: Vec<DeployedVersionRow>,
) -> Result<Vec<DeployedVersion>, DomainError> {
    let ids = |pick: fn(&DeployedVersionRow) -> i64| rows.iter().map(pick).collect::<Vec<_>>();
    let names = Names::load(
        conn,
        &ids(|row| row.pacticipant_id),
        &ids(|row| row.version_id),
        &ids(|row| row.environment_id),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let (pacticipant, version, environment) =
                names.resolve(row.pacticipant_id, row.version_id, row.environment_id)?;
            Some(DeployedVersion {
                uuid: row.uuid,
                pacticipant,
                version,
                environment,
                application_instance: row.application_instance,
                currently_deployed: row.currently_deployed,
                created_at: row.created_at,
                undeployed_at: row.undeployed_at,
            })
        })
        .collect())
}

/// Released version rows as domain values.
pub(super) fn hydrate_released(
    conn: &mut AnyConnection,
    rows: Vec<ReleasedVersionRow>,
) -> Result<Vec<ReleasedVersion>, DomainError> {
    let ids = |pick: fn(&ReleasedVersionRow) -> i64| rows.iter().map(pick).collect::<Vec<_>>();
    let names = Names::load(
        conn,
        &ids(|row| row.pacticipant_id),
        &ids(|row| row.version_id),
        &ids(|row| row.environment_id),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let (pacticipant, version, environment) =
                names.resolve(row.pacticipant_id, row.version_id, row.environment_id)?;
            Some(ReleasedVersion {
                uuid: row.uuid,
                pacticipant,
                version,
                environment,
                currently_supported: row.currently_supported,
                created_at: row.created_at,
                support_ended_at: row.support_ended_at,
            })
        })
        .collect())
}
