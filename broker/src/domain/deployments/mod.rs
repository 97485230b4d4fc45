//! Deployed and released versions: recording a deployment (which ends the previous one of the
//! same pacticipant in the same environment and application instance), an undeployment, a
//! release (additive) and the end of its support, and listing what an environment currently
//! holds.
//!
//! The rule of what a new deployment replaces is the pure [`plan_deployment`] (`plan.rs`); the
//! loaders around it (`deployed.rs`, `released.rs`) read the few current rows of one pacticipant
//! in one environment, and `hydrate.rs` names what the rows point at.

mod deployed;
mod hydrate;
mod plan;
mod released;

pub use deployed::{
    get_deployed_version, list_currently_deployed, patch_deployed_version, record_deployment,
};
pub use plan::{CurrentDeployment, DeploymentPlan, plan_deployment};
pub use released::{
    get_released_version, list_currently_supported, patch_released_version, record_release,
};

use crate::domain::environments::{Environment, require_environment};
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::versions::require_version;
use crate::domain::{DomainError, PacticipantName, VersionNumber};
use crate::storage::deployments as store;
use crate::storage::{Db, environments};

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
            deployed: hydrate::hydrate_deployed(conn, deployed)?,
            released: hydrate::hydrate_released(conn, released)?,
        })
    })
    .await
}

/// A version's records in one environment: every deployment (newest first) and its release,
/// if any (what a GET of the version's `pb:record-deployment` / `pb:record-release` href lists).
pub async fn get_version_in_environment(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    environment_uuid: String,
) -> Result<(Environment, Vec<DeployedVersion>, Vec<ReleasedVersion>), DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        let environment = require_environment(conn, &environment_uuid)?;
        let mut deployed: Vec<_> = store::list_deployed_versions_of_version(conn, version.id)?
            .into_iter()
            .filter(|row| row.environment_id == environment.id)
            .collect();
        deployed.reverse();
        let released: Vec<_> = store::find_released_version(conn, version.id, environment.id)?
            .into_iter()
            .collect();
        Ok((
            Environment::from_row(environment),
            hydrate::hydrate_deployed(conn, deployed)?,
            hydrate::hydrate_released(conn, released)?,
        ))
    })
    .await
}
