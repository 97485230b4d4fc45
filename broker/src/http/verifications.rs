//! Verification result routes: publish a result to a pact version (with or without the
//! metadata segment the pacts for verification add), read one by number or the latest, the
//! history of a pact version, and the results of a provider version.

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use crate::app::AppState;
use crate::domain::pact_metadata::PactMetadata;
use crate::domain::verifications::{self, PactVersionRef, VerificationInput, WhichVerification};
use crate::domain::{PacticipantName, VersionNumber};
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, segment};
use crate::http::hal::{Links, created, ok};
use crate::http::views::verifications::{
    verification, verification_list, verification_results_url,
};

fn pact_version(provider: &str, consumer: &str, sha: String) -> Result<PactVersionRef, ApiError> {
    Ok(PactVersionRef {
        provider: segment("provider", provider, PacticipantName::parse)?,
        consumer: segment("consumer", consumer, PacticipantName::parse)?,
        sha,
    })
}

fn verification_number(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|number| *number > 0)
        .ok_or_else(|| {
            ApiError::invalid(
                "verificationNumber",
                format!("expected `latest` or a positive whole number, found `{raw}`"),
            )
        })
}

async fn publish(
    request: HttpRequest,
    state: web::Data<AppState>,
    pact: PactVersionRef,
    metadata: PactMetadata,
    body: Value,
) -> Result<HttpResponse, ApiError> {
    let input = VerificationInput::from_json(&body)?;
    let links = Links::from_request(&request);
    let result =
        verifications::publish_verification(&state.db, pact, metadata, input, links.origin())
            .await?;
    state.wake.wake();
    state.metrics.observe_verification(result.success);
    let location = verification_results_url(
        &links,
        &result.provider,
        &result.consumer,
        &result.sha,
        Some(&result.number.to_string()),
    );
    Ok(created(&location, verification(&links, &result)))
}

/// `POST /pacts/provider/P/consumer/C/pact-version/SHA/verification-results`: 201 with the
/// result.
#[tracing::instrument(skip_all)]
pub async fn publish_verification_results(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: JsonBody<Value>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, sha) = path.into_inner();
    let pact = pact_version(&provider, &consumer, sha)?;
    publish(request, state, pact, PactMetadata::default(), body.0).await
}

/// `POST …/pact-version/SHA/metadata/M/verification-results`: as above, and the metadata's WIP
/// flag is stored with the result.
#[tracing::instrument(skip_all)]
pub async fn publish_verification_results_with_metadata(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
    body: JsonBody<Value>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, sha, metadata) = path.into_inner();
    let pact = pact_version(&provider, &consumer, sha)?;
    publish(
        request,
        state,
        pact,
        PactMetadata::decode(&metadata),
        body.0,
    )
    .await
}

async fn history(
    request: HttpRequest,
    state: web::Data<AppState>,
    pact: PactVersionRef,
) -> Result<HttpResponse, ApiError> {
    let links = Links::from_request(&request);
    let self_href = verification_results_url(
        &links,
        pact.provider.as_str(),
        pact.consumer.as_str(),
        &pact.sha,
        None,
    );
    let title = format!(
        "Verification results of the pact between {} and {}",
        pact.consumer, pact.provider
    );
    let results = verifications::list_verifications_for_pact_version(&state.db, pact).await?;
    Ok(ok(verification_list(&links, &self_href, &title, &results)))
}

/// `GET /pacts/provider/P/consumer/C/pact-version/SHA/verification-results`: the history,
/// newest first.
#[tracing::instrument(skip_all)]
pub async fn list_verification_results(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, sha) = path.into_inner();
    history(request, state, pact_version(&provider, &consumer, sha)?).await
}

/// `GET …/pact-version/SHA/metadata/M/verification-results`: the same history.
#[tracing::instrument(skip_all)]
pub async fn list_verification_results_with_metadata(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, sha, _metadata) = path.into_inner();
    history(request, state, pact_version(&provider, &consumer, sha)?).await
}

async fn render_one(
    request: HttpRequest,
    state: web::Data<AppState>,
    provider: &str,
    consumer: &str,
    sha: String,
    which: &str,
) -> Result<HttpResponse, ApiError> {
    let which = if which == "latest" {
        WhichVerification::Latest
    } else {
        WhichVerification::Number(verification_number(which)?)
    };
    let pact = pact_version(provider, consumer, sha)?;
    let result = verifications::get_verification(&state.db, pact, which).await?;
    Ok(ok(verification(&Links::from_request(&request), &result)))
}

/// `GET …/pact-version/SHA/verification-results/{N|latest}`.
#[tracing::instrument(skip_all)]
pub async fn get_verification_result(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, sha, which) = path.into_inner();
    render_one(request, state, &provider, &consumer, sha, &which).await
}

/// `GET …/pact-version/SHA/metadata/M/verification-results/{N|latest}`.
#[tracing::instrument(skip_all)]
pub async fn get_verification_result_with_metadata(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer, sha, _metadata, which) = path.into_inner();
    render_one(request, state, &provider, &consumer, sha, &which).await
}

/// `GET /pacticipants/P/versions/V/verification-results`: what provider version V verified.
#[tracing::instrument(skip_all)]
pub async fn list_provider_version_verification_results(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, number) = path.into_inner();
    let provider = segment("pacticipant", &provider, PacticipantName::parse)?;
    let number = segment("version", &number, VersionNumber::parse)?;
    let links = Links::from_request(&request);
    let self_href = links.url(&[
        "pacticipants",
        provider.as_str(),
        "versions",
        number.as_str(),
        "verification-results",
    ]);
    let title = format!("Verification results published by {provider} version {number}");
    let results =
        verifications::list_verifications_for_provider_version(&state.db, provider, number).await?;
    Ok(ok(verification_list(&links, &self_href, &title, &results)))
}
