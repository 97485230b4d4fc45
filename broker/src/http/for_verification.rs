//! `/pacts/provider/{provider}/for-verification`: the contracts a provider must verify, with
//! why each was selected and whether it is pending (`POST` with selectors), and the deprecated
//! `GET` that answers with the default selectors and a warning.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use crate::app::AppState;
use crate::domain::PacticipantName;
use crate::domain::for_verification::{self, VerificationQuery};
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, segment};
use crate::http::hal::{Links, ok};
use crate::http::views::for_verification::pacts_for_verification;

async fn answer(
    request: HttpRequest,
    state: web::Data<AppState>,
    provider: String,
    query: VerificationQuery,
    deprecated: bool,
) -> Result<HttpResponse, ApiError> {
    let provider = segment("provider", &provider, PacticipantName::parse)?;
    let links = Links::from_request(&request);
    let self_href = links.url(&["pacts", "provider", provider.as_str(), "for-verification"]);
    let pacts =
        for_verification::pacts_for_verification(&state.db, provider, query, deprecated).await?;
    Ok(ok(pacts_for_verification(&links, &self_href, &pacts)))
}

/// `POST /pacts/provider/P/for-verification` with `consumerVersionSelectors`,
/// `providerVersionBranch`, `providerVersionTags`, `includePendingStatus`,
/// `includeWipPactsSince`.
#[tracing::instrument(skip_all)]
pub async fn post_pacts_for_verification(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<Value>,
) -> Result<HttpResponse, ApiError> {
    let query = VerificationQuery::from_json(&body.0)?;
    answer(request, state, path.into_inner(), query, false).await
}

/// `GET /pacts/provider/P/for-verification`: the default selectors, without pending, with the
/// Pact Broker's deprecation warning (the Pact verifier only reads `_links.self` here).
#[tracing::instrument(skip_all)]
pub async fn get_pacts_for_verification(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = VerificationQuery {
        include_pending_status: false,
        ..VerificationQuery::default()
    };
    answer(request, state, path.into_inner(), query, true).await
}
