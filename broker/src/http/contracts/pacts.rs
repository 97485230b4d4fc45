//! Pact resources: one pact by consumer version, latest, latest by tag or branch, or content
//! hash; the old `PUT`/`PATCH` publish; latest-pact listings.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::domain::pacts::{self, Pact, PactSelector};
use crate::domain::publish::{ContractOutcome, OnConflict};
use crate::domain::{BranchName, PacticipantName, TagName, VersionNumber};
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, segment};
use crate::http::hal::{Links, hal, ok};
use crate::http::views::pacts::{
    latest_pacts, pact_document, pact_document_with_metadata, provider_pacts,
};

fn names(provider: &str, consumer: &str) -> Result<(PacticipantName, PacticipantName), ApiError> {
    Ok((
        segment("provider", provider, PacticipantName::parse)?,
        segment("consumer", consumer, PacticipantName::parse)?,
    ))
}

async fn render_pact(
    request: &HttpRequest,
    state: &AppState,
    provider: &str,
    consumer: &str,
    selector: PactSelector,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer) = names(provider, consumer)?;
    let pact = pacts::get_pact(&state.db, provider, consumer, selector).await?;
    Ok(pact_response(StatusCode::OK, request, &pact))
}

/// A pact document with the `X-Pact-Consumer-Version` header the Pact Broker sends with every
/// single pact (clients read the consumer version of a `latest` pact from it).
fn pact_response(status: StatusCode, request: &HttpRequest, pact: &Pact) -> HttpResponse {
    let mut response = hal(status, pact_document(&Links::from_request(request), pact));
    if let Ok(value) = HeaderValue::from_str(&pact.consumer_version) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-pact-consumer-version"), value);
    }
    response
}

/// Renders the pact of the `/pacts/provider/P/consumer/C/…/X` path whose last segment `X` the
/// handler turns into a selector (read first, so its error wins over the names').
async fn render_selected_pact(
    request: &HttpRequest,
    state: &AppState,
    path: web::Path<(String, String, String)>,
    selector: impl FnOnce(String) -> Result<PactSelector, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, last) = path.into_inner();
    let selector = selector(last)?;
    render_pact(request, state, &provider, &consumer, selector).await
}

/// `GET /pacts/provider/P/consumer/C/version/V`.
#[tracing::instrument(skip_all)]
pub async fn get_pact_for_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    render_selected_pact(&request, &state, path, |version| {
        segment("version", &version, VersionNumber::parse).map(PactSelector::ForVersion)
    })
    .await
}

/// `GET /pacts/provider/P/consumer/C/latest`.
#[tracing::instrument(skip_all)]
pub async fn get_latest_pact(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer) = path.into_inner();
    render_pact(&request, &state, &provider, &consumer, PactSelector::Latest).await
}

/// `GET /pacts/provider/P/consumer/C/latest/T`.
#[tracing::instrument(skip_all)]
pub async fn get_latest_tagged_pact(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    render_selected_pact(&request, &state, path, |tag| {
        segment("tag", &tag, TagName::parse).map(PactSelector::LatestWithTag)
    })
    .await
}

/// `GET /pacts/provider/P/consumer/C/branch/B/latest`.
#[tracing::instrument(skip_all)]
pub async fn get_latest_branch_pact(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    render_selected_pact(&request, &state, path, |branch| {
        segment("branch", &branch, BranchName::parse).map(PactSelector::LatestOnBranch)
    })
    .await
}

/// `GET /pacts/provider/P/consumer/C/pact-version/SHA`.
#[tracing::instrument(skip_all)]
pub async fn get_pact_by_content_sha(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    render_selected_pact(&request, &state, path, |sha| {
        Ok(PactSelector::ContentSha(sha))
    })
    .await
}

/// `GET /pacts/provider/P/consumer/C/pact-version/SHA/metadata/M`: the metadata is opaque here
/// and is kept in the pact's publish link.
#[tracing::instrument(skip_all)]
pub async fn get_pact_by_content_sha_with_metadata(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, sha, metadata) = path.into_inner();
    let (provider, consumer) = names(&provider, &consumer)?;
    let pact =
        pacts::get_pact(&state.db, provider, consumer, PactSelector::ContentSha(sha)).await?;
    Ok(ok(pact_document_with_metadata(
        &Links::from_request(&request),
        &pact,
        Some(&metadata),
    )))
}

async fn store_pact(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    document: Value,
    on_conflict: OnConflict,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, version) = path.into_inner();
    let (provider, consumer) = names(&provider, &consumer)?;
    let version = segment("version", &version, VersionNumber::parse)?;
    tracing::info!(provider.name = %provider, consumer.name = %consumer, version.number = %version, "pact stored via the pact resource");
    let (pact, outcome) = pacts::put_pact(
        &state.db,
        state.publish,
        Links::from_request(&request).origin(),
        pacts::PutPact {
            provider,
            consumer,
            version,
            document,
            on_conflict,
        },
    )
    .await?;
    state.wake.wake();
    state.metrics.observe_publications(1);
    let status = if outcome == ContractOutcome::Created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(pact_response(status, &request, &pact))
}

/// `PUT /pacts/provider/P/consumer/C/version/V`: 201 new, 200 same content, 409 changed.
#[tracing::instrument(skip_all)]
pub async fn put_pact_for_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: JsonBody<Value>,
) -> Result<HttpResponse, ApiError> {
    store_pact(request, state, path, body.0, OnConflict::Replace).await
}

/// `PATCH /pacts/provider/P/consumer/C/version/V`: merges the interactions into the pact.
#[tracing::instrument(skip_all)]
pub async fn patch_pact_for_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: JsonBody<Value>,
) -> Result<HttpResponse, ApiError> {
    store_pact(request, state, path, body.0, OnConflict::Merge).await
}

/// `GET /pacts/latest`.
#[tracing::instrument(skip_all)]
pub async fn list_latest_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let summaries = pacts::list_latest_pacts(&state.db, None).await?;
    Ok(ok(latest_pacts(&Links::from_request(&request), &summaries)))
}

/// `GET /pacts/provider/P/latest`.
#[tracing::instrument(skip_all)]
pub async fn list_latest_provider_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let provider = segment("provider", &path.into_inner(), PacticipantName::parse)?;
    let summaries = pacts::list_latest_pacts(&state.db, Some(provider.clone())).await?;
    let links = Links::from_request(&request);
    let self_link = json!({
        "href": links.url(&["pacts", "provider", provider.as_str(), "latest"]),
        "title": format!("Latest pact versions for the provider {provider}"),
    });
    Ok(ok(provider_pacts(
        &links,
        self_link,
        provider.as_str(),
        &summaries,
    )))
}
