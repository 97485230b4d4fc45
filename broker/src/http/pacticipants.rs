//! Pacticipant routes: list, get, create (POST), update or create (PATCH merge-patch), replace
//! (PUT) and delete.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::pacticipants::PacticipantDetails;
use crate::domain::{PacticipantName, pacticipants};
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, segment};
use crate::http::hal::{Links, created, ok};
use crate::http::views::pacticipants::{PacticipantBody, label, pacticipant, pacticipant_list};

/// The path's name, checked against a `name` in the body if there is one.
fn name_of(path: &str, body: &PacticipantBody) -> Result<PacticipantName, ApiError> {
    let name = segment("pacticipant", path, PacticipantName::parse)?;
    match &body.name {
        Some(given) if given != name.as_str() => Err(ApiError::invalid(
            "name",
            format!(
                "the body names `{given}` but the path names `{name}`: renaming is not supported"
            ),
        )),
        _ => Ok(name),
    }
}

/// `GET /pacticipants`.
#[tracing::instrument(skip_all)]
pub async fn list_pacticipants(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let list = pacticipants::list_pacticipants(&state.db).await?;
    Ok(ok(pacticipant_list(&Links::from_request(&request), &list)))
}

/// `GET /pacticipants/P`.
#[tracing::instrument(skip_all)]
pub async fn get_pacticipant(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = segment("pacticipant", &path.into_inner(), PacticipantName::parse)?;
    let details = pacticipants::get_pacticipant(&state.db, name).await?;
    Ok(ok(pacticipant(&Links::from_request(&request), &details)))
}

/// `POST /pacticipants`: 201 with `Location`; 409 when the name is taken.
#[tracing::instrument(skip_all)]
pub async fn create_pacticipant(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<PacticipantBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let raw_name = body
        .name
        .clone()
        .ok_or_else(|| ApiError::invalid("name", "is missing"))?;
    let name = segment("name", &raw_name, PacticipantName::parse)?;
    let details = pacticipants::create_pacticipant(&state.db, name, body.patch()).await?;
    tracing::info!(pacticipant.name = %details.pacticipant.name, "pacticipant created");
    let links = Links::from_request(&request);
    Ok(created(
        &links.url(&["pacticipants", &details.pacticipant.name]),
        pacticipant(&links, &details),
    ))
}

/// `PATCH /pacticipants/P` (merge-patch: only the keys present change): 200, or 201 when the
/// pacticipant did not exist and was created, as the Pact Broker does.
#[tracing::instrument(skip_all)]
pub async fn patch_pacticipant(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<PacticipantBody>,
) -> Result<HttpResponse, ApiError> {
    let name = name_of(&path.into_inner(), &body.0)?;
    let (details, was_created) =
        pacticipants::patch_pacticipant(&state.db, name, body.0.patch()).await?;
    respond(&request, &details, was_created)
}

/// `DELETE /pacticipants/P`: 204; removes its versions, branches, tags, pacts and the records
/// that refer to them.
#[tracing::instrument(skip_all)]
pub async fn delete_pacticipant(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = segment("pacticipant", &path.into_inner(), PacticipantName::parse)?;
    tracing::info!(pacticipant.name = %name, "deleting pacticipant");
    pacticipants::delete_pacticipant(&state.db, name).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// 201 with `Location` when created, 200 otherwise.
fn respond(
    request: &HttpRequest,
    details: &PacticipantDetails,
    was_created: bool,
) -> Result<HttpResponse, ApiError> {
    let links = Links::from_request(request);
    let body = pacticipant(&links, details);
    Ok(if was_created {
        created(
            &links.url(&["pacticipants", &details.pacticipant.name]),
            body,
        )
    } else {
        ok(body)
    })
}

/// `PUT /pacticipants/P`: creates (201) or replaces every attribute (200).
#[tracing::instrument(skip_all)]
pub async fn put_pacticipant(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<PacticipantBody>,
) -> Result<HttpResponse, ApiError> {
    let name = name_of(&path.into_inner(), &body.0)?;
    let (details, was_created) =
        pacticipants::put_pacticipant(&state.db, name, body.0.patch()).await?;
    respond(&request, &details, was_created)
}

/// `GET /pacticipants/P/labels/L`.
#[tracing::instrument(skip_all)]
pub async fn get_label(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, label_name) = path.into_inner();
    let name = segment("pacticipant", &name, PacticipantName::parse)?;
    let found = pacticipants::get_label(&state.db, name, label_name).await?;
    Ok(ok(label(&Links::from_request(&request), &found)))
}

/// `PUT /pacticipants/P/labels/L`: 201 with `Location` when added, 200 when it was there.
#[tracing::instrument(skip_all)]
pub async fn put_label(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, label_name) = path.into_inner();
    let name = segment("pacticipant", &name, PacticipantName::parse)?;
    let (found, added) = pacticipants::put_label(&state.db, name, label_name).await?;
    let links = Links::from_request(&request);
    let body = label(&links, &found);
    Ok(if added {
        created(
            &links.url(&["pacticipants", &found.pacticipant, "labels", &found.name]),
            body,
        )
    } else {
        ok(body)
    })
}

/// `DELETE /pacticipants/P/labels/L`: 204.
#[tracing::instrument(skip_all)]
pub async fn delete_label(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, label_name) = path.into_inner();
    let name = segment("pacticipant", &name, PacticipantName::parse)?;
    pacticipants::delete_label(&state.db, name, label_name).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /pacticipants/label/L`: the pacticipants with the label.
#[tracing::instrument(skip_all)]
pub async fn list_pacticipants_with_label(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let list = pacticipants::list_pacticipants_with_label(&state.db, path.into_inner()).await?;
    Ok(ok(pacticipant_list(&Links::from_request(&request), &list)))
}
