//! Version routes: get, create or update (PUT), delete, list, latest and latest by tag.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::{PacticipantName, TagName, VersionNumber, deployments, versions};
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, segment};
use crate::http::hal::{Links, created, ok};
use crate::http::views::deployments::add_version_environment_links;
use crate::http::views::versions::{VersionBody, version, version_list};

fn pacticipant_version(
    pacticipant: &str,
    number: &str,
) -> Result<(PacticipantName, VersionNumber), ApiError> {
    Ok((
        segment("pacticipant", pacticipant, PacticipantName::parse)?,
        segment("version", number, VersionNumber::parse)?,
    ))
}

/// `GET /pacticipants/P/versions/V`.
#[tracing::instrument(skip_all)]
pub async fn get_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number) = path.into_inner();
    let (pacticipant, number) = pacticipant_version(&pacticipant, &number)?;
    let details = versions::get_version(&state.db, pacticipant.clone(), number.clone()).await?;
    let links = Links::from_request(&request);
    let mut body = version(&links, &details);
    let environments =
        deployments::get_version_deployments(&state.db, pacticipant.clone(), number.clone())
            .await?;
    add_version_environment_links(
        &mut body,
        &links,
        pacticipant.as_str(),
        number.as_str(),
        &environments,
    );
    Ok(ok(body))
}

/// `PUT` (or merge-patch `PATCH`) `/pacticipants/P/versions/V`: 201 new, 200 existing; a given
/// `buildUrl` replaces the stored one, an absent one leaves it.
#[tracing::instrument(skip_all)]
pub async fn put_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<VersionBody>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number) = path.into_inner();
    let (pacticipant, number) = pacticipant_version(&pacticipant, &number)?;
    let (details, was_created) =
        versions::put_version(&state.db, pacticipant, number, body.0.build_url).await?;
    let links = Links::from_request(&request);
    let body = version(&links, &details);
    Ok(if was_created {
        created(
            &links.url(&[
                "pacticipants",
                &details.pacticipant,
                "versions",
                &details.version.number,
            ]),
            body,
        )
    } else {
        ok(body)
    })
}

/// `GET /pacticipants/P/versions`.
#[tracing::instrument(skip_all)]
pub async fn list_versions(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let pacticipant = segment("pacticipant", &path.into_inner(), PacticipantName::parse)?;
    let (pacticipant, rows) = versions::list_versions(&state.db, pacticipant).await?;
    Ok(ok(version_list(
        &Links::from_request(&request),
        &pacticipant.name,
        &rows,
    )))
}

/// `GET /pacticipants/P/latest-version`.
#[tracing::instrument(skip_all)]
pub async fn get_latest_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let pacticipant = segment("pacticipant", &path.into_inner(), PacticipantName::parse)?;
    let details = versions::get_latest_version(&state.db, pacticipant, None).await?;
    Ok(ok(version(&Links::from_request(&request), &details)))
}

/// `GET /pacticipants/P/latest-version/T`.
#[tracing::instrument(skip_all)]
pub async fn get_latest_tagged_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, tag) = path.into_inner();
    let pacticipant = segment("pacticipant", &pacticipant, PacticipantName::parse)?;
    let tag = segment("tag", &tag, TagName::parse)?;
    let details = versions::get_latest_version(&state.db, pacticipant, Some(tag)).await?;
    Ok(ok(version(&Links::from_request(&request), &details)))
}

/// `DELETE /pacticipants/P/versions/V`: 204; the version's tags, branch memberships and pacts
/// go with it, and every "latest" that named it falls back to the newest version left.
#[tracing::instrument(skip_all)]
pub async fn delete_version(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number) = path.into_inner();
    let (pacticipant, number) = pacticipant_version(&pacticipant, &number)?;
    tracing::info!(pacticipant.name = %pacticipant, version.number = %number, "deleting version");
    versions::delete_version(&state.db, pacticipant, number).await?;
    Ok(HttpResponse::NoContent().finish())
}
