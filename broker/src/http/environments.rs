//! Environment routes: `GET`/`POST /environments` (list, filter by `?name=`, create) and
//! `GET`/`PUT`/`DELETE /environments/{uuid}` (PUT never creates: 404 for an unknown uuid).

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::environments;
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, query_pairs};
use crate::http::hal::{Links, created, ok};
use crate::http::views::environments::{
    EnvironmentBody, environment, environment_list, environment_url,
};

/// `GET /environments[?name=N]`.
#[tracing::instrument(skip_all)]
pub async fn list_environments(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let name = query_pairs(&request)?.remove("name");
    let list = environments::list_environments(&state.db, name).await?;
    Ok(ok(environment_list(&Links::from_request(&request), &list)))
}

/// `POST /environments`: 201 with `Location`; 400 for a taken name or a bad field.
#[tracing::instrument(skip_all)]
pub async fn create_environment(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<EnvironmentBody>,
) -> Result<HttpResponse, ApiError> {
    let created_environment = environments::create_environment(&state.db, body.0.input()).await?;
    tracing::info!(environment.name = %created_environment.name, environment.uuid = %created_environment.uuid, "environment created");
    let links = Links::from_request(&request);
    Ok(created(
        &environment_url(&links, &created_environment.uuid),
        environment(&links, &created_environment),
    ))
}

/// `GET /environments/{uuid}`.
#[tracing::instrument(skip_all)]
pub async fn get_environment(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = environments::get_environment(&state.db, path.into_inner()).await?;
    Ok(ok(environment(&Links::from_request(&request), &found)))
}

/// `PUT /environments/{uuid}`: replaces every attribute; 404 when there is no such environment.
#[tracing::instrument(skip_all)]
pub async fn replace_environment(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<EnvironmentBody>,
) -> Result<HttpResponse, ApiError> {
    let replaced =
        environments::replace_environment(&state.db, path.into_inner(), body.0.input()).await?;
    tracing::info!(environment.name = %replaced.name, environment.uuid = %replaced.uuid, "environment replaced");
    Ok(ok(environment(&Links::from_request(&request), &replaced)))
}

/// `DELETE /environments/{uuid}`: 204; its deployed and released versions go with it.
#[tracing::instrument(skip_all)]
pub async fn delete_environment(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let uuid = path.into_inner();
    environments::delete_environment(&state.db, uuid.clone()).await?;
    tracing::info!(environment.uuid = %uuid, "environment deleted");
    Ok(HttpResponse::NoContent().finish())
}
