//! Tag routes: `PUT` (201 new, 200 existing; creates the pacticipant and version), `GET`,
//! `DELETE` on `/pacticipants/P/versions/V/tags/T`.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::{PacticipantName, TagName, VersionNumber, versions};
use crate::http::error::ApiError;
use crate::http::extract::segment;
use crate::http::hal::{Links, created, ok};
use crate::http::views::versions::tag;

fn parse(
    path: (String, String, String),
) -> Result<(PacticipantName, VersionNumber, TagName), ApiError> {
    Ok((
        segment("pacticipant", &path.0, PacticipantName::parse)?,
        segment("version", &path.1, VersionNumber::parse)?,
        segment("tag", &path.2, TagName::parse)?,
    ))
}

/// `PUT /pacticipants/P/versions/V/tags/T` (any body is ignored).
#[tracing::instrument(skip_all)]
pub async fn put_tag(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number, name) = parse(path.into_inner())?;
    let (row, was_created) =
        versions::put_tag(&state.db, pacticipant.clone(), number.clone(), name).await?;
    tracing::info!(pacticipant.name = %pacticipant, version.number = %number, tag.name = %row.name, created = was_created, "tag put");
    let links = Links::from_request(&request);
    let body = tag(&links, pacticipant.as_str(), number.as_str(), &row);
    Ok(if was_created {
        created(
            &links.url(&[
                "pacticipants",
                pacticipant.as_str(),
                "versions",
                number.as_str(),
                "tags",
                &row.name,
            ]),
            body,
        )
    } else {
        ok(body)
    })
}

/// `GET /pacticipants/P/versions/V/tags/T`.
#[tracing::instrument(skip_all)]
pub async fn get_tag(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number, name) = parse(path.into_inner())?;
    let row = versions::get_tag(&state.db, pacticipant.clone(), number.clone(), name).await?;
    Ok(ok(tag(
        &Links::from_request(&request),
        pacticipant.as_str(),
        number.as_str(),
        &row,
    )))
}

/// `DELETE /pacticipants/P/versions/V/tags/T`: 204.
#[tracing::instrument(skip_all)]
pub async fn delete_tag(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number, name) = parse(path.into_inner())?;
    versions::delete_tag(&state.db, pacticipant, number, name).await?;
    Ok(HttpResponse::NoContent().finish())
}
