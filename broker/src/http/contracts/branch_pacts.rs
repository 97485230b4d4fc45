//! The `get-pacts` listings: a provider's pacts by consumer branch (`/pacts/provider/P/branch…`
//! and `/pacts/provider/P/consumer/C/branch…`), with the `pb:pacts` links the CLI reads.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::branch_pacts::{BranchSelection, list_branch_pacts};
use crate::domain::{BranchName, PacticipantName};
use crate::http::error::ApiError;
use crate::http::extract::segment;
use crate::http::hal::{Links, ok};
use crate::http::views::pacts::branch_pacts;

async fn respond(
    request: &HttpRequest,
    state: &AppState,
    provider: &str,
    selection: BranchSelection,
    consumer: Option<&str>,
    latest_only: bool,
) -> Result<HttpResponse, ApiError> {
    let provider = segment("provider", provider, PacticipantName::parse)?;
    let consumer = consumer
        .map(|name| segment("consumer", name, PacticipantName::parse))
        .transpose()?;
    let summaries = list_branch_pacts(
        &state.db,
        provider.clone(),
        selection,
        consumer,
        latest_only,
    )
    .await?;
    let links = Links::from_request(request);
    let self_href = format!("{}{}", links.url(&[]).trim_end_matches('/'), request.path());
    Ok(ok(branch_pacts(
        &links,
        &self_href,
        provider.as_str(),
        &summaries,
    )))
}

fn branch(raw: &str) -> Result<BranchSelection, ApiError> {
    Ok(BranchSelection::Named(segment(
        "branch",
        raw,
        BranchName::parse,
    )?))
}

/// `GET /pacts/provider/P/branch`: pacts from every consumer's main branch.
#[tracing::instrument(skip_all)]
pub async fn list_main_branch_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    respond(
        &request,
        &state,
        &path.into_inner(),
        BranchSelection::Main,
        None,
        false,
    )
    .await
}

/// `GET /pacts/provider/P/branch/latest`: the head of every consumer's main branch.
#[tracing::instrument(skip_all)]
pub async fn list_latest_main_branch_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    respond(
        &request,
        &state,
        &path.into_inner(),
        BranchSelection::Main,
        None,
        true,
    )
    .await
}

/// `GET /pacts/provider/P/branch/B`: pacts from consumer versions on branch B.
#[tracing::instrument(skip_all)]
pub async fn list_branch_pacts_for_provider(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, name) = path.into_inner();
    respond(&request, &state, &provider, branch(&name)?, None, false).await
}

/// `GET /pacts/provider/P/branch/B/latest`: the head of branch B of every consumer.
#[tracing::instrument(skip_all)]
pub async fn list_latest_branch_pacts_for_provider(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, name) = path.into_inner();
    respond(&request, &state, &provider, branch(&name)?, None, true).await
}

/// `GET /pacts/provider/P/consumer/C/branch/B`: consumer C's pacts on branch B.
#[tracing::instrument(skip_all)]
pub async fn list_consumer_branch_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, name) = path.into_inner();
    respond(
        &request,
        &state,
        &provider,
        branch(&name)?,
        Some(&consumer),
        false,
    )
    .await
}

/// `GET /pacts/provider/P/consumer/C/branch/versions`: consumer C's pacts on its main branch.
#[tracing::instrument(skip_all)]
pub async fn list_consumer_main_branch_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer) = path.into_inner();
    respond(
        &request,
        &state,
        &provider,
        BranchSelection::Main,
        Some(&consumer),
        false,
    )
    .await
}

/// `GET /pacts/provider/P/consumer/C/branch/latest/versions`: the head of C's main branch.
#[tracing::instrument(skip_all)]
pub async fn list_latest_consumer_main_branch_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer) = path.into_inner();
    respond(
        &request,
        &state,
        &provider,
        BranchSelection::Main,
        Some(&consumer),
        true,
    )
    .await
}

/// `GET /pacts/provider/P/consumer/C/branch/B/latest/versions`: the head of C's branch B.
#[tracing::instrument(skip_all)]
pub async fn list_latest_consumer_branch_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, name) = path.into_inner();
    respond(
        &request,
        &state,
        &provider,
        branch(&name)?,
        Some(&consumer),
        true,
    )
    .await
}
