//! A provider's pact listings by consumer tag and of its whole history: `pb:provider-pacts`
//! (`/pacts/provider/P`), `pb:provider-pacts-with-tag` (`/pacts/provider/P/tag/T`) and
//! `pb:latest-provider-pacts-with-tag` (`/pacts/provider/P/latest/T`), in the provider-pacts
//! shape (pact-broker-api.md §3.8).

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::app::AppState;
use crate::domain::pacts::{self, ProviderPacts};
use crate::domain::{PacticipantName, TagName};
use crate::http::error::ApiError;
use crate::http::extract::segment;
use crate::http::hal::{Links, ok};
use crate::http::views::pacts::provider_pacts;

async fn respond(
    request: &HttpRequest,
    state: &AppState,
    provider: &str,
    tag: Option<&str>,
    latest: bool,
) -> Result<HttpResponse, ApiError> {
    let provider = segment("provider", provider, PacticipantName::parse)?;
    let tag = tag
        .map(|raw| segment("tag", raw, TagName::parse))
        .transpose()?;
    let suffix = tag
        .as_ref()
        .map(|tag| format!(" with consumer version tag '{tag}'"))
        .unwrap_or_default();
    let (which, title) = match (tag, latest) {
        (Some(tag), true) => (
            ProviderPacts::LatestWithTag(tag),
            format!("Latest pact versions for the provider {provider}{suffix}"),
        ),
        (Some(tag), false) => (
            ProviderPacts::WithTag(tag),
            format!("All pact versions for the provider {provider}{suffix}"),
        ),
        (None, _) => (
            ProviderPacts::All,
            format!("All pact versions for the provider {provider}"),
        ),
    };
    let summaries = pacts::list_provider_pacts(&state.db, provider.clone(), which).await?;
    let links = Links::from_request(request);
    let self_href = format!("{}{}", links.url(&[]).trim_end_matches('/'), request.path());
    Ok(ok(provider_pacts(
        &links,
        json!({ "href": self_href, "title": title }),
        provider.as_str(),
        &summaries,
    )))
}

/// `GET /pacts/provider/P`: every pact of every consumer version, newest first.
#[tracing::instrument(skip_all)]
pub async fn list_provider_pacts(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    respond(&request, &state, &path.into_inner(), None, false).await
}

/// `GET /pacts/provider/P/tag/T`: every pact of consumer versions tagged T, newest first.
#[tracing::instrument(skip_all)]
pub async fn list_provider_pacts_with_tag(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, tag) = path.into_inner();
    respond(&request, &state, &provider, Some(&tag), false).await
}

/// `GET /pacts/provider/P/latest/T`: the latest pact of each consumer among its versions
/// tagged T.
#[tracing::instrument(skip_all)]
pub async fn list_latest_provider_pacts_with_tag(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, tag) = path.into_inner();
    respond(&request, &state, &provider, Some(&tag), true).await
}
