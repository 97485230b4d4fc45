//! Queries on `deployed_versions` and `released_versions`.
//!
//! "Currently deployed" and "currently supported" are flags on the rows, read through the
//! `(environment_id, currently_*, pacticipant_id)` indexes, so listing what an environment holds
//! never reads the history of past deployments.

use diesel::prelude::*;

use crate::storage::models::{DeployedVersionRow, ReleasedVersionRow};
use crate::storage::schema::{deployed_versions, environments, released_versions, versions};
use crate::storage::{AnyConnection, StorageResult, now};

/// Which currently deployed versions of an environment to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployedFilter {
    /// Only this pacticipant.
    pub pacticipant_id: Option<i64>,
    /// Only this application instance: `Some(None)` means deployed without an instance.
    pub application_instance: Option<Option<String>>,
}

/// Which currently supported versions of an environment to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleasedFilter {
    /// Only this pacticipant.
    pub pacticipant_id: Option<i64>,
    /// Only this version.
    pub version_id: Option<i64>,
    /// Only versions with this number, of any pacticipant (not indexed: the domain passes
    /// `version_id` instead when it knows the pacticipant).
    pub version_number: Option<String>,
}

/// The deployed version with this public identifier.
pub fn find_deployed_version_by_uuid(
    conn: &mut AnyConnection,
    uuid: &str,
) -> StorageResult<Option<DeployedVersionRow>> {
    Ok(deployed_versions::table
        .filter(deployed_versions::uuid.eq(uuid))
        .select(DeployedVersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The versions of a pacticipant currently deployed to an environment, in every instance.
pub fn list_currently_deployed_for_pacticipant(
    conn: &mut AnyConnection,
    environment_id: i64,
    pacticipant_id: i64,
) -> StorageResult<Vec<DeployedVersionRow>> {
    Ok(deployed_versions::table
        .filter(deployed_versions::environment_id.eq(environment_id))
        .filter(deployed_versions::currently_deployed.eq(true))
        .filter(deployed_versions::pacticipant_id.eq(pacticipant_id))
        .order(deployed_versions::id.desc())
        .select(DeployedVersionRow::as_select())
        .load(conn)?)
}

/// The versions currently deployed to an environment, newest first.
pub fn list_currently_deployed(
    conn: &mut AnyConnection,
    environment_id: i64,
    filter: &DeployedFilter,
) -> StorageResult<Vec<DeployedVersionRow>> {
    let mut query = deployed_versions::table
        .filter(deployed_versions::environment_id.eq(environment_id))
        .filter(deployed_versions::currently_deployed.eq(true))
        .into_boxed();
    if let Some(pacticipant_id) = filter.pacticipant_id {
        query = query.filter(deployed_versions::pacticipant_id.eq(pacticipant_id));
    }
    match &filter.application_instance {
        None => {}
        Some(None) => query = query.filter(deployed_versions::application_instance.is_null()),
        Some(Some(instance)) => {
            query = query.filter(deployed_versions::application_instance.eq(instance.clone()));
        }
    }
    Ok(query
        .order(deployed_versions::id.desc())
        .select(DeployedVersionRow::as_select())
        .load(conn)?)
}

/// Every deployment ever recorded of one version, oldest first.
pub fn list_deployed_versions_of_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<DeployedVersionRow>> {
    Ok(deployed_versions::table
        .filter(deployed_versions::version_id.eq(version_id))
        .order(deployed_versions::id.asc())
        .select(DeployedVersionRow::as_select())
        .load(conn)?)
}

/// Records a new, currently deployed version and returns it.
pub fn insert_deployed_version(
    conn: &mut AnyConnection,
    uuid: &str,
    pacticipant_id: i64,
    version_id: i64,
    environment_id: i64,
    application_instance: Option<&str>,
) -> StorageResult<DeployedVersionRow> {
    diesel::insert_into(deployed_versions::table)
        .values((
            deployed_versions::uuid.eq(uuid),
            deployed_versions::pacticipant_id.eq(pacticipant_id),
            deployed_versions::version_id.eq(version_id),
            deployed_versions::environment_id.eq(environment_id),
            deployed_versions::application_instance.eq(application_instance),
            deployed_versions::currently_deployed.eq(true),
            deployed_versions::created_at.eq(now()),
        ))
        .execute(conn)?;
    find_deployed_version_by_uuid(conn, uuid)?.ok_or_else(|| diesel::result::Error::NotFound.into())
}

/// Marks deployed versions as no longer deployed (those already undeployed keep their time).
pub fn mark_undeployed(conn: &mut AnyConnection, ids: &[i64]) -> StorageResult<usize> {
    Ok(diesel::update(
        deployed_versions::table
            .filter(deployed_versions::id.eq_any(ids))
            .filter(deployed_versions::currently_deployed.eq(true)),
    )
    .set((
        deployed_versions::currently_deployed.eq(false),
        deployed_versions::undeployed_at.eq(now()),
    ))
    .execute(conn)?)
}

/// The released version with this public identifier.
pub fn find_released_version_by_uuid(
    conn: &mut AnyConnection,
    uuid: &str,
) -> StorageResult<Option<ReleasedVersionRow>> {
    Ok(released_versions::table
        .filter(released_versions::uuid.eq(uuid))
        .select(ReleasedVersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The release of a version to an environment, supported or not (there is at most one).
pub fn find_released_version(
    conn: &mut AnyConnection,
    version_id: i64,
    environment_id: i64,
) -> StorageResult<Option<ReleasedVersionRow>> {
    Ok(released_versions::table
        .filter(released_versions::version_id.eq(version_id))
        .filter(released_versions::environment_id.eq(environment_id))
        .select(ReleasedVersionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records a new, currently supported release and returns it.
pub fn insert_released_version(
    conn: &mut AnyConnection,
    uuid: &str,
    pacticipant_id: i64,
    version_id: i64,
    environment_id: i64,
) -> StorageResult<ReleasedVersionRow> {
    diesel::insert_into(released_versions::table)
        .values((
            released_versions::uuid.eq(uuid),
            released_versions::pacticipant_id.eq(pacticipant_id),
            released_versions::version_id.eq(version_id),
            released_versions::environment_id.eq(environment_id),
            released_versions::currently_supported.eq(true),
            released_versions::created_at.eq(now()),
        ))
        .execute(conn)?;
    find_released_version_by_uuid(conn, uuid)?.ok_or_else(|| diesel::result::Error::NotFound.into())
}

/// Sets whether a release is supported: support back on clears `support_ended_at`, support
/// ended sets it (once). Returns the updated row.
pub fn set_currently_supported(
    conn: &mut AnyConnection,
    id: i64,
    supported: bool,
) -> StorageResult<ReleasedVersionRow> {
    let target = released_versions::table
        .filter(released_versions::id.eq(id))
        .filter(released_versions::currently_supported.eq(!supported));
    if supported {
        diesel::update(target)
            .set((
                released_versions::currently_supported.eq(true),
                released_versions::support_ended_at.eq(None::<String>),
            ))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set((
                released_versions::currently_supported.eq(false),
                released_versions::support_ended_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(released_versions::table
        .filter(released_versions::id.eq(id))
        .select(ReleasedVersionRow::as_select())
        .first(conn)?)
}

/// The versions currently supported in an environment, newest first.
pub fn list_currently_supported(
    conn: &mut AnyConnection,
    environment_id: i64,
    filter: &ReleasedFilter,
) -> StorageResult<Vec<ReleasedVersionRow>> {
    let mut query = released_versions::table
        .filter(released_versions::environment_id.eq(environment_id))
        .filter(released_versions::currently_supported.eq(true))
        .into_boxed();
    if let Some(pacticipant_id) = filter.pacticipant_id {
        query = query.filter(released_versions::pacticipant_id.eq(pacticipant_id));
    }
    if let Some(version_id) = filter.version_id {
        query = query.filter(released_versions::version_id.eq(version_id));
    }
    if let Some(number) = &filter.version_number {
        query = query.filter(
            released_versions::version_id.eq_any(
                versions::table
                    .filter(versions::number.eq(number.clone()))
                    .select(versions::id),
            ),
        );
    }
    Ok(query
        .order(released_versions::id.desc())
        .select(ReleasedVersionRow::as_select())
        .load(conn)?)
}

/// Every release ever recorded of one version, oldest first.
pub fn list_released_versions_of_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<ReleasedVersionRow>> {
    Ok(released_versions::table
        .filter(released_versions::version_id.eq(version_id))
        .order(released_versions::id.asc())
        .select(ReleasedVersionRow::as_select())
        .load(conn)?)
}

/// Every version of a pacticipant currently deployed to any environment, as (version id,
/// environment name), newest first.
pub fn list_deployed_versions_of_pacticipant(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
) -> StorageResult<Vec<(i64, String)>> {
    Ok(deployed_versions::table
        .inner_join(environments::table)
        .filter(deployed_versions::pacticipant_id.eq(pacticipant_id))
        .filter(deployed_versions::currently_deployed.eq(true))
        .order(deployed_versions::id.desc())
        .select((deployed_versions::version_id, environments::name))
        .load(conn)?)
}

/// Every version of a pacticipant currently supported in any environment, as (version id,
/// environment name), newest first.
pub fn list_supported_versions_of_pacticipant(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
) -> StorageResult<Vec<(i64, String)>> {
    Ok(released_versions::table
        .inner_join(environments::table)
        .filter(released_versions::pacticipant_id.eq(pacticipant_id))
        .filter(released_versions::currently_supported.eq(true))
        .order(released_versions::id.desc())
        .select((released_versions::version_id, environments::name))
        .load(conn)?)
}
