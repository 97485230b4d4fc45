//! Deployments: record one (ending the previous version in the same instance), read one,
//! merge-patch one (`currentlyDeployed: false`), and list what an environment holds.

use crate::domain::deployments::hydrate::{hydrate_deployed, single};
use crate::domain::deployments::plan::{CurrentDeployment, DeploymentPlan, plan_deployment};
use crate::domain::deployments::{DeployedQuery, DeployedVersion};
use crate::domain::environments::{Environment, generate_uuid, require_environment};
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::versions::require_version;
use crate::domain::{DomainError, FieldError, PacticipantName, VersionNumber};
use crate::storage::deployments::{self as store, DeployedFilter};
use crate::storage::models::DeployedVersionRow;
use crate::storage::{AnyConnection, Db, environments, pacticipants};

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
    if let Some(instance) = &instance {
        crate::domain::names::check_text(instance)
            .map_err(|message| DomainError::invalid("applicationInstance", message))?;
    }
    db.write(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        let environment = require_environment(conn, &environment_uuid)?;
        environments::lock_environment(conn, environment.id)?;
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

fn require_deployed(
    conn: &mut AnyConnection,
    uuid: &str,
) -> Result<DeployedVersionRow, DomainError> {
    store::find_deployed_version_by_uuid(conn, uuid)?
        .ok_or_else(|| DomainError::NotFound(format!("deployed version `{uuid}` not found")))
}
