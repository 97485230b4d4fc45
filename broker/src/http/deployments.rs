//! Deployment and release routes: recording a deployment or a release of a version to an
//! environment, reading and merge-patching one (`currentlyDeployed: false` /
//! `currentlySupported: false`), and what an environment currently holds, filtered by
//! `?pacticipant=`, `?applicationInstance=` (empty = no instance) and, for releases, `?version=`.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::de::DeserializeOwned;

use crate::app::AppState;
use crate::domain::deployments::{
    self, DeployedQuery, DeployedVersion, ReleasedQuery, ReleasedVersion,
};
use crate::domain::environments::Environment;
use crate::domain::{PacticipantName, VersionNumber};
use crate::http::error::ApiError;
use crate::http::extract::{query_pairs, segment};
use crate::http::hal::{Links, created, ok};
use crate::http::views::deployments::{
    DeployedVersionPatch, RecordDeploymentBody, ReleasedVersionPatch, currently_deployed_list,
    currently_supported_list, deployed_list, deployed_version, deployed_version_url, released_list,
    released_version, released_version_url,
};

/// The media type `PATCH` accepts here, as in the Pact Broker.
const MERGE_PATCH: &str = "application/merge-patch+json";

fn version_path(
    path: (String, String, String),
) -> Result<(PacticipantName, VersionNumber, String), ApiError> {
    Ok((
        segment("pacticipant", &path.0, PacticipantName::parse)?,
        segment("version", &path.1, VersionNumber::parse)?,
        path.2,
    ))
}

/// A JSON body that may also be empty (the `pact` CLI sends `{}`, curl scripts often nothing).
fn optional_json<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|error| {
        ApiError::MalformedBody(format!(
            "the request body is not the JSON expected: {error}"
        ))
    })
}

/// 415 unless the body is a JSON merge patch.
fn require_merge_patch(request: &HttpRequest) -> Result<(), ApiError> {
    let found = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if found.trim_start().starts_with(MERGE_PATCH) {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType {
            expected: MERGE_PATCH,
            found: found.to_owned(),
        })
    }
}

/// The body of a `PATCH`: 415 unless it is a JSON merge patch, then parsed (empty = default).
fn merge_patch_body<T: DeserializeOwned + Default>(
    request: &HttpRequest,
    body: &[u8],
) -> Result<T, ApiError> {
    require_merge_patch(request)?;
    optional_json(body)
}

/// The URL of this request, query included, for a collection's `self` link.
fn self_href(links: &Links, segments: &[&str], request: &HttpRequest) -> String {
    match request.query_string() {
        "" => links.url(segments),
        query => format!("{}?{query}", links.url(segments)),
    }
}

/// `POST /pacticipants/P/versions/V/deployed-versions/environment/E` with `{}` or
/// `{"applicationInstance": I}`: 201 with the new deployment, or with the existing one when
/// that version is already deployed there.
#[tracing::instrument(skip_all)]
pub async fn record_deployment(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number, environment) = version_path(path.into_inner())?;
    let body: RecordDeploymentBody = optional_json(&body)?;
    let instance = body.application_instance.or(body.target);
    let (recorded, was_created) =
        deployments::record_deployment(&state.db, pacticipant, number, environment, instance)
            .await?;
    tracing::info!(pacticipant.name = %recorded.pacticipant, version.number = %recorded.version, environment.name = %recorded.environment.name, created = was_created, "deployment recorded");
    let links = Links::from_request(&request);
    // 201 even when the version was already deployed there, as the Pact Broker answers.
    Ok(created(
        &deployed_version_url(&links, &recorded.uuid),
        deployed_version(&links, &recorded, true),
    ))
}

/// `GET /deployed-versions/{uuid}`.
#[tracing::instrument(skip_all)]
pub async fn get_deployed_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = deployments::get_deployed_version(&state.db, path.into_inner()).await?;
    Ok(ok(deployed_version(
        &Links::from_request(&request),
        &found,
        true,
    )))
}

/// `PATCH /deployed-versions/{uuid}` (merge-patch only, else 415) with
/// `{"currentlyDeployed": false}`; `true` is a 422.
#[tracing::instrument(skip_all)]
pub async fn patch_deployed_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: DeployedVersionPatch = merge_patch_body(&request, &body)?;
    let patched =
        deployments::patch_deployed_version(&state.db, path.into_inner(), body.currently_deployed)
            .await?;
    tracing::info!(pacticipant.name = %patched.pacticipant, version.number = %patched.version, environment.name = %patched.environment.name, currently_deployed = patched.currently_deployed, "deployed version patched");
    Ok(ok(deployed_version(
        &Links::from_request(&request),
        &patched,
        true,
    )))
}

/// `GET /environments/{uuid}/deployed-versions/currently-deployed`.
#[tracing::instrument(skip_all)]
pub async fn list_currently_deployed(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let uuid = path.into_inner();
    let mut query = query_pairs(&request)?;
    let instance = query
        .remove("applicationInstance")
        .or_else(|| query.remove("target"))
        .map(|value| Some(value).filter(|value| !value.is_empty()));
    let filter = DeployedQuery {
        pacticipant: query.remove("pacticipant"),
        application_instance: instance,
    };
    let (environment, items) =
        deployments::list_currently_deployed(&state.db, uuid.clone(), filter).await?;
    let links = Links::from_request(&request);
    let segments = [
        "environments",
        &uuid,
        "deployed-versions",
        "currently-deployed",
    ];
    let href = self_href(&links, &segments, &request);
    Ok(ok(currently_deployed_list(
        &links,
        &environment,
        &items,
        &href,
    )))
}

/// `POST /pacticipants/P/versions/V/released-versions/environment/E`: 201 for a first release,
/// 200 (same uuid, support back on) when the version was released there before.
#[tracing::instrument(skip_all)]
pub async fn record_release(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (pacticipant, number, environment) = version_path(path.into_inner())?;
    let (recorded, was_created) =
        deployments::record_release(&state.db, pacticipant, number, environment).await?;
    tracing::info!(pacticipant.name = %recorded.pacticipant, version.number = %recorded.version, environment.name = %recorded.environment.name, created = was_created, "release recorded");
    let links = Links::from_request(&request);
    let location = released_version_url(&links, &recorded.uuid);
    let mut response = created(&location, released_version(&links, &recorded, true));
    if !was_created {
        *response.status_mut() = actix_web::http::StatusCode::OK;
    }
    Ok(response)
}

/// `GET /released-versions/{uuid}`.
#[tracing::instrument(skip_all)]
pub async fn get_released_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = deployments::get_released_version(&state.db, path.into_inner()).await?;
    Ok(ok(released_version(
        &Links::from_request(&request),
        &found,
        true,
    )))
}

/// `PATCH /released-versions/{uuid}` (merge-patch only, else 415) with
/// `{"currentlySupported": false}`; `true` is a 422.
#[tracing::instrument(skip_all)]
pub async fn patch_released_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: ReleasedVersionPatch = merge_patch_body(&request, &body)?;
    let patched =
        deployments::patch_released_version(&state.db, path.into_inner(), body.currently_supported)
            .await?;
    tracing::info!(pacticipant.name = %patched.pacticipant, version.number = %patched.version, environment.name = %patched.environment.name, currently_supported = patched.currently_supported, "released version patched");
    Ok(ok(released_version(
        &Links::from_request(&request),
        &patched,
        true,
    )))
}

/// `GET /environments/{uuid}/released-versions/currently-supported`.
#[tracing::instrument(skip_all)]
pub async fn list_currently_supported(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let uuid = path.into_inner();
    let mut query = query_pairs(&request)?;
    let filter = ReleasedQuery {
        pacticipant: query.remove("pacticipant"),
        version: query.remove("version"),
    };
    let (environment, items) =
        deployments::list_currently_supported(&state.db, uuid.clone(), filter).await?;
    let links = Links::from_request(&request);
    let segments = [
        "environments",
        &uuid,
        "released-versions",
        "currently-supported",
    ];
    let href = self_href(&links, &segments, &request);
    Ok(ok(currently_supported_list(
        &links,
        &environment,
        &items,
        &href,
    )))
}

/// `GET /pacticipants/P/versions/V/deployed-versions/environment/E`: every deployment of that
/// version there, newest first.
#[tracing::instrument(skip_all)]
pub async fn list_deployed_versions_for_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let list =
        version_in_environment(&request, &state, path.into_inner(), "deployed-versions").await?;
    let title = format!(
        "Deployed versions for {} in environment {}",
        list.subject, list.environment.display_name
    );
    Ok(ok(deployed_list(
        &list.links,
        &list.deployed,
        &list.href,
        &title,
    )))
}

/// `GET /pacticipants/P/versions/V/released-versions/environment/E`: its release there, if any.
#[tracing::instrument(skip_all)]
pub async fn list_released_versions_for_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let list =
        version_in_environment(&request, &state, path.into_inner(), "released-versions").await?;
    let title = format!(
        "Released versions for {} in {}",
        list.subject, list.environment.display_name
    );
    Ok(ok(released_list(
        &list.links,
        &list.released,
        &list.href,
        &title,
    )))
}

/// What a list of one version's records in one environment renders around them.
struct VersionList {
    links: Links,
    /// The list's own URL.
    href: String,
    /// `P version V`, for the title.
    subject: String,
    environment: Environment,
    deployed: Vec<DeployedVersion>,
    released: Vec<ReleasedVersion>,
}

/// Parses `/pacticipants/P/versions/V/{kind}/environment/E` and loads that version's
/// deployments and releases there.
async fn version_in_environment(
    request: &HttpRequest,
    state: &AppState,
    path: (String, String, String),
    kind: &str,
) -> Result<VersionList, ApiError> {
    let (pacticipant, number, environment) = version_path(path)?;
    let links = Links::from_request(request);
    let href = links.url(&[
        "pacticipants",
        pacticipant.as_str(),
        "versions",
        number.as_str(),
        kind,
        "environment",
        &environment,
    ]);
    let subject = format!("{pacticipant} version {number}");
    let (environment, deployed, released) =
        deployments::get_version_in_environment(&state.db, pacticipant, number, environment)
            .await?;
    Ok(VersionList {
        links,
        href,
        subject,
        environment,
        deployed,
        released,
    })
}
