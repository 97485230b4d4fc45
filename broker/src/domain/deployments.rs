//! Deployed and released versions: recording a deployment (which ends the previous one of the
//! same pacticipant in the same environment and application instance), an undeployment, a
//! release (additive) and the end of its support, and listing what an environment currently
//! holds.
//!
//! The rule of what a new deployment replaces is the pure [`plan_deployment`]; the loaders
//! around it read the few current rows of one pacticipant in one environment.

use std::collections::HashMap;

use crate::domain::environments::{Environment, generate_uuid, require_environment};
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::versions::require_version;
use crate::domain::{DomainError, FieldError, PacticipantName, VersionNumber};
use crate::storage::deployments::{self as store, DeployedFilter, ReleasedFilter};
use crate::storage::models::{DeployedVersionRow, ReleasedVersionRow};
use crate::storage::{AnyConnection, Db, environments, pacticipants, versions};

/// A version deployed to an environment.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployedVersion {
    /// Public identifier.
    pub uuid: String,
    /// The pacticipant's name.
    pub pacticipant: String,
    /// The version number.
    pub version: String,
    /// The environment.
    pub environment: Environment,
    /// The application instance, when several run side by side.
    pub application_instance: Option<String>,
    /// Whether it is still deployed.
    pub currently_deployed: bool,
    /// When the deployment was recorded.
    pub created_at: String,
    /// When it was undeployed.
    pub undeployed_at: Option<String>,
}

/// A version released to an environment.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleasedVersion {
    /// Public identifier.
    pub uuid: String,
    /// The pacticipant's name.
    pub pacticipant: String,
    /// The version number.
    pub version: String,
    /// The environment.
    pub environment: Environment,
    /// Whether it is still supported.
    pub currently_supported: bool,
    /// When the release was recorded.
    pub created_at: String,
    /// When its support ended.
    pub support_ended_at: Option<String>,
}

/// What a version resource shows about environments: where it can be deployed or released
/// (every environment), and where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionDeployments {
    /// Every environment, by display name.
    pub environments: Vec<Environment>,
    /// Every deployment of the version, oldest first.
    pub deployed: Vec<DeployedVersion>,
    /// Every release of the version, oldest first.
    pub released: Vec<ReleasedVersion>,
}

/// A version of the pacticipant currently deployed in the environment, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentDeployment {
    /// The deployment's id.
    pub id: i64,
    /// The deployed version's id.
    pub version_id: i64,
    /// Its application instance.
    pub application_instance: Option<String>,
}

/// What recording a deployment does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeploymentPlan {
    /// The version is already deployed to that instance: answer with that deployment.
    AlreadyDeployed {
        /// The existing deployment's id.
        id: i64,
    },
    /// Record a new deployment after ending these (the other versions in that instance).
    Deploy {
        /// Deployments to mark undeployed first.
        undeploy: Vec<i64>,
    },
}

/// The Pact Broker's rule: the same version already deployed to the same instance (no
/// instance counts as one instance of its own) is kept; otherwise every other version deployed
/// to that instance is undeployed, and other instances are left alone.
pub fn plan_deployment(
    current: &[CurrentDeployment],
    version_id: i64,
    application_instance: Option<&str>,
) -> DeploymentPlan {
    let same_instance = |deployment: &&CurrentDeployment| {
        deployment.application_instance.as_deref() == application_instance
    };
    if let Some(existing) = current
        .iter()
        .filter(same_instance)
        .find(|deployment| deployment.version_id == version_id)
    {
        return DeploymentPlan::AlreadyDeployed { id: existing.id };
    }
    DeploymentPlan::Deploy {
        undeploy: current
            .iter()
            .filter(same_instance)
            .map(|deployment| deployment.id)
            .collect(),
    }
}

/// Which currently deployed versions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployedQuery {
    /// Only this pacticipant.
    pub pacticipant: Option<String>,
    /// Only this instance; `Some(None)` (an empty parameter) means no instance.
    pub application_instance: Option<Option<String>>,
}

/// Which currently supported versions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleasedQuery {
    /// Only this pacticipant.
    pub pacticipant: Option<String>,
    /// Only this version number.
    pub version: Option<String>,
}

/// Records that a version was deployed to an environment (optionally as an instance); `true`
/// if a new deployment was recorded, `false` if that version was already deployed there.
pub async fn record_deployment(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    environment_uuid: String,
    application_instance: Option<String>,
) -> Result<(DeployedVersion, bool), DomainError> {
    let instance = application_instance.filter(|instance| !instance.is_empty());
    db.write(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        let environment = require_environment(conn, &environment_uuid)?;
        let rows =
            store::list_currently_deployed_for_pacticipant(conn, environment.id, pacticipant.id)?;
        let current: Vec<CurrentDeployment> = rows
            .iter()
            .map(|row| CurrentDeployment {
                id: row.id,
                version_id: row.version_id,
                application_instance: row.application_instance.clone(),
            })
            .collect();
        let (row, created) = match plan_deployment(&current, version.id, instance.as_deref()) {
            DeploymentPlan::AlreadyDeployed { id } => {
                let row = rows
                    .into_iter()
                    .find(|row| row.id == id)
                    .ok_or_else(|| DomainError::NotFound(format!("deployment {id} vanished")))?;
                (row, false)
            }
            DeploymentPlan::Deploy { undeploy } => {
                store::mark_undeployed(conn, &undeploy)?;
                let row = store::insert_deployed_version(
                    conn,
                    &generate_uuid(),
                    pacticipant.id,
                    version.id,
                    environment.id,
                    instance.as_deref(),
                )?;
                (row, true)
            }
        };
        Ok((single(hydrate_deployed(conn, vec![row])?)?, created))
    })
    .await
}

/// One deployed version.
pub async fn get_deployed_version(db: &Db, uuid: String) -> Result<DeployedVersion, DomainError> {
    db.run(move |conn| {
        let row = require_deployed(conn, &uuid)?;
        single(hydrate_deployed(conn, vec![row])?)
    })
    .await
}

/// Applies `{"currentlyDeployed": …}`: `false` records the undeployment (again is harmless),
/// `true` is refused (record a new deployment instead), absent changes nothing.
pub async fn patch_deployed_version(
    db: &Db,
    uuid: String,
    currently_deployed: Option<bool>,
) -> Result<DeployedVersion, DomainError> {
    db.write(move |conn| {
        let row = require_deployed(conn, &uuid)?;
        match currently_deployed {
            Some(true) => {
                return Err(DomainError::Unprocessable(vec![FieldError::new(
                    "currentlyDeployed",
                    "cannot be set back to true: record a new deployment instead",
                )]));
            }
            Some(false) => {
                store::mark_undeployed(conn, &[row.id])?;
            }
            None => {}
        }
        let row = require_deployed(conn, &uuid)?;
        single(hydrate_deployed(conn, vec![row])?)
    })
    .await
}

/// The versions currently deployed to an environment, newest first.
pub async fn list_currently_deployed(
    db: &Db,
    environment_uuid: String,
    query: DeployedQuery,
) -> Result<(Environment, Vec<DeployedVersion>), DomainError> {
    db.run(move |conn| {
        let environment = require_environment(conn, &environment_uuid)?;
        let pacticipant_id = match &query.pacticipant {
            None => None,
            Some(name) => match pacticipants::find_pacticipant(conn, name)? {
                Some(row) => Some(row.id),
                None => return Ok((Environment::from_row(environment), Vec::new())),
            },
        };
        let filter = DeployedFilter {
            pacticipant_id,
            application_instance: query.application_instance.clone(),
        };
        let rows = store::list_currently_deployed(conn, environment.id, &filter)?;
        Ok((
            Environment::from_row(environment),
            hydrate_deployed(conn, rows)?,
        ))
    })
    .await
}

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
        let pacticipant_id = match &query.pacticipant {
            None => None,
            Some(name) => match pacticipants::find_pacticipant(conn, name)? {
                Some(row) => Some(row.id),
                None => return Ok((Environment::from_row(environment), Vec::new())),
            },
        };
        let filter = ReleasedFilter {
            pacticipant_id,
            version_number: query.version.clone(),
        };
        let rows = store::list_currently_supported(conn, environment.id, &filter)?;
        Ok((
            Environment::from_row(environment),
            hydrate_released(conn, rows)?,
        ))
    })
    .await
}

/// Every environment, and where this version was deployed and released.
pub async fn get_version_deployments(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
) -> Result<VersionDeployments, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        let mut all: Vec<Environment> = environments::list_environments(conn)?
            .into_iter()
            .map(Environment::from_row)
            .collect();
        all.sort_by_cached_key(|environment| environment.display_name.to_lowercase());
        let deployed = store::list_deployed_versions_of_version(conn, version.id)?;
        let released = store::list_released_versions_of_version(conn, version.id)?;
        Ok(VersionDeployments {
            environments: all,
            deployed: hydrate_deployed(conn, deployed)?,
            released: hydrate_released(conn, released)?,
        })
    })
    .await
}

fn require_deployed(
    conn: &mut AnyConnection,
    uuid: &str,
) -> Result<DeployedVersionRow, DomainError> {
    store::find_deployed_version_by_uuid(conn, uuid)?
        .ok_or_else(|| DomainError::NotFound(format!("deployed version `{uuid}` not found")))
}

fn require_released(
    conn: &mut AnyConnection,
    uuid: &str,
) -> Result<ReleasedVersionRow, DomainError> {
    store::find_released_version_by_uuid(conn, uuid)?
        .ok_or_else(|| DomainError::NotFound(format!("released version `{uuid}` not found")))
}

fn single<T>(mut items: Vec<T>) -> Result<T, DomainError> {
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

fn hydrate_deployed(
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

fn hydrate_released(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn current(id: i64, version_id: i64, instance: Option<&str>) -> CurrentDeployment {
        CurrentDeployment {
            id,
            version_id,
            application_instance: instance.map(str::to_owned),
        }
    }

    /// Each case: what is deployed now, the version and instance being deployed, the plan.
    #[test]
    fn deployment_plan_table() {
        use DeploymentPlan::{AlreadyDeployed, Deploy};
        let cases: Vec<(
            &str,
            Vec<CurrentDeployment>,
            i64,
            Option<&str>,
            DeploymentPlan,
        )> = vec![
            (
                "first deployment",
                vec![],
                7,
                None,
                Deploy { undeploy: vec![] },
            ),
            (
                "replaces the previous version",
                vec![current(1, 6, None)],
                7,
                None,
                Deploy { undeploy: vec![1] },
            ),
            (
                "same version again keeps the record",
                vec![current(1, 7, None)],
                7,
                None,
                AlreadyDeployed { id: 1 },
            ),
            (
                "another instance is left alone",
                vec![current(1, 6, Some("blue"))],
                7,
                None,
                Deploy { undeploy: vec![] },
            ),
            (
                "replaces within the instance only",
                vec![current(1, 6, Some("blue")), current(2, 6, Some("green"))],
                7,
                Some("blue"),
                Deploy { undeploy: vec![1] },
            ),
            (
                "no instance is not an instance",
                vec![current(1, 6, None)],
                7,
                Some("blue"),
                Deploy { undeploy: vec![] },
            ),
            (
                "same version in another instance is a new deployment",
                vec![current(1, 7, Some("green"))],
                7,
                Some("blue"),
                Deploy { undeploy: vec![] },
            ),
            (
                "same version in the same instance",
                vec![current(1, 7, Some("blue")), current(2, 6, Some("green"))],
                7,
                Some("blue"),
                AlreadyDeployed { id: 1 },
            ),
            (
                "several stale deployments all end",
                vec![current(1, 5, None), current(2, 6, None)],
                7,
                None,
                Deploy {
                    undeploy: vec![1, 2],
                },
            ),
        ];
        for (name, current, version_id, instance, expected) in cases {
            assert_eq!(
                plan_deployment(&current, version_id, instance),
                expected,
                "{name}"
            );
        }
    }
}
