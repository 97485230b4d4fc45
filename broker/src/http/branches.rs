//! Branch routes: list, get, delete, the versions of a branch, and putting a version on a
//! branch (`PUT /pacticipants/P/branches/B/versions/V`, 201 new / 200 existing).

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::{BranchName, PacticipantName, VersionNumber, versions};
use crate::http::error::ApiError;
use crate::http::extract::segment;
use crate::http::hal::{Links, created, ok};
use crate::http::views::versions::{branch, branch_list, branch_version_list, version};

/// The pacticipant and branch of a `/pacticipants/P/branches/B…` path.
fn branch_path(
    path: web::Path<(String, String)>,
) -> Result<(PacticipantName, BranchName), ApiError> {
    let (pacticipant, branch) = path.into_inner();
    Ok((
        segment("pacticipant", &pacticipant, PacticipantName::parse)?,
        segment("branch", &branch, BranchName::parse)?,
    ))
}

/// The pacticipant, branch and version of a `/pacticipants/P/branches/B/versions/V` path.
fn branch_version_path(
    path: web::Path<(String, String, String)>,
) -> Result<(PacticipantName, BranchName, VersionNumber), ApiError> {
    let (pacticipant, branch, number) = path.into_inner();
    Ok((
        segment("pacticipant", &pacticipant, PacticipantName::parse)?,
        segment("branch", &branch, BranchName::parse)?,
        segment("version", &number, VersionNumber::parse)?,
    ))
}

/// `GET /pacticipants/P/branches`.
#[tracing::instrument(skip_all)]
pub async fn list_branches(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let pacticipant = segment("pacticipant", &path.into_inner(), PacticipantName::parse)?;
    let (pacticipant, rows) = versions::list_branches(&state.db, pacticipant).await?;
    Ok(ok(branch_list(
        &Links::from_request(&request),
        &pacticipant.name,
        &rows,
    )))
}

/// `GET /pacticipants/P/branches/B`.
#[tracing::instrument(skip_all)]
pub async fn get_branch(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, name) = branch_path(path)?;
    let details = versions::get_branch(&state.db, pacticipant, name).await?;
    Ok(ok(branch(
        &Links::from_request(&request),
        &details.pacticipant,
        &details.branch,
        details.head.as_ref(),
    )))
}

/// `DELETE /pacticipants/P/branches/B`: 204.
#[tracing::instrument(skip_all)]
pub async fn delete_branch(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, name) = branch_path(path)?;
    versions::delete_branch(&state.db, pacticipant, name).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /pacticipants/P/branches/B/versions`.
#[tracing::instrument(skip_all)]
pub async fn list_branch_versions(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, name) = branch_path(path)?;
    let (details, list) = versions::list_branch_versions(&state.db, pacticipant, name).await?;
    Ok(ok(branch_version_list(
        &Links::from_request(&request),
        &details,
        &list,
    )))
}

/// `GET /pacticipants/P/branches/B/versions/V`.
#[tracing::instrument(skip_all)]
pub async fn get_branch_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, name, number) = branch_version_path(path)?;
    let details = versions::get_branch_version(&state.db, pacticipant, name, number).await?;
    Ok(ok(version(&Links::from_request(&request), &details)))
}

/// `PUT /pacticipants/P/branches/B/versions/V` (any body is ignored).
#[tracing::instrument(skip_all)]
pub async fn put_branch_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, name, number) = branch_version_path(path)?;
    let branch_name = name.to_string();
    let (details, added) =
        versions::put_branch_version(&state.db, pacticipant, name, number).await?;
    tracing::info!(pacticipant.name = %details.pacticipant, version.number = %details.version.number, branch.name = %branch_name, added, "branch version put");
    let links = Links::from_request(&request);
    let body = version(&links, &details);
    Ok(if added {
        created(
            &links.url(&[
                "pacticipants",
                &details.pacticipant,
                "branches",
                &branch_name,
                "versions",
                &details.version.number,
            ]),
            body,
        )
    } else {
        ok(body)
    })
}
