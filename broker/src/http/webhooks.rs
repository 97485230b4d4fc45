//! Webhook routes: `GET`/`POST /webhooks`, `GET`/`POST /webhooks/provider/P/consumer/C`,
//! `GET`/`PUT`/`DELETE /webhooks/{uuid}`, `POST /webhooks/{uuid}/execute` (a test run that
//! records nothing), `GET /webhooks/{uuid}/deliveries`, and the watchdog's
//! `GET /verifications/overdue`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::PacticipantName;
use crate::domain::webhooks::{self, deliveries, watchdog};
use crate::http::error::ApiError;
use crate::http::extract::{JsonBody, query_pairs, segment};
use crate::http::hal::{Links, created, hal, ok};
use crate::http::views::webhooks::{
    WebhookBody, delivery_list, execution_result, overdue_list, webhook, webhook_list, webhook_url,
};

/// The most deliveries one read lists.
const DELIVERIES_LISTED: u32 = 100;

fn names(provider: &str, consumer: &str) -> Result<(PacticipantName, PacticipantName), ApiError> {
    Ok((
        segment("provider", provider, PacticipantName::parse)?,
        segment("consumer", consumer, PacticipantName::parse)?,
    ))
}

/// `GET /webhooks`.
#[tracing::instrument(skip_all)]
pub async fn list_webhooks(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let found = webhooks::list_webhooks(&state.db).await?;
    let links = Links::from_request(&request);
    Ok(ok(webhook_list(&links, links.url(&["webhooks"]), &found)))
}

/// `POST /webhooks`: 201 with `Location`; 400 for a bad field, an unknown pacticipant named in
/// the scope or a target the broker may not call.
#[tracing::instrument(skip_all)]
pub async fn create_webhook(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<WebhookBody>,
) -> Result<HttpResponse, ApiError> {
    let made =
        webhooks::create_webhook(&state.db, &state.webhooks.policy, body.0.input(), None).await?;
    let links = Links::from_request(&request);
    Ok(created(
        &webhook_url(&links, &made.uuid),
        webhook(&links, &made),
    ))
}

/// `GET /webhooks/provider/P/consumer/C`: the webhooks scoped to exactly these two.
#[tracing::instrument(skip_all)]
pub async fn list_pacticipant_webhooks(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer) = path.into_inner();
    let (provider, consumer) = names(&provider, &consumer)?;
    let links = Links::from_request(&request);
    let self_url = links.url(&[
        "webhooks",
        "provider",
        provider.as_str(),
        "consumer",
        consumer.as_str(),
    ]);
    let found = webhooks::list_webhooks_for(&state.db, provider, consumer).await?;
    Ok(ok(webhook_list(&links, self_url, &found)))
}

/// `POST /webhooks/provider/P/consumer/C`: 201; 404 when either pacticipant is unknown.
#[tracing::instrument(skip_all)]
pub async fn create_pacticipant_webhook(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<WebhookBody>,
) -> Result<HttpResponse, ApiError> {
    let (provider, consumer) = path.into_inner();
    let fixed = names(&provider, &consumer)?;
    let made = webhooks::create_webhook(
        &state.db,
        &state.webhooks.policy,
        body.0.input(),
        Some(fixed),
    )
    .await?;
    let links = Links::from_request(&request);
    Ok(created(
        &webhook_url(&links, &made.uuid),
        webhook(&links, &made),
    ))
}

/// `GET /webhooks/{uuid}`.
#[tracing::instrument(skip_all)]
pub async fn get_webhook(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = webhooks::get_webhook(&state.db, path.into_inner()).await?;
    Ok(ok(webhook(&Links::from_request(&request), &found)))
}

/// `PUT /webhooks/{uuid}`: 201 with `Location` when it creates, 200 when it replaces.
#[tracing::instrument(skip_all)]
pub async fn put_webhook(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<WebhookBody>,
) -> Result<HttpResponse, ApiError> {
    let (stored, was_created) = webhooks::put_webhook(
        &state.db,
        &state.webhooks.policy,
        path.into_inner(),
        body.0.input(),
    )
    .await?;
    let links = Links::from_request(&request);
    let resource = webhook(&links, &stored);
    Ok(if was_created {
        created(&webhook_url(&links, &stored.uuid), resource)
    } else {
        ok(resource)
    })
}

/// `DELETE /webhooks/{uuid}`: 204; its deliveries go with it.
#[tracing::instrument(skip_all)]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    webhooks::delete_webhook(&state.db, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /webhooks/{uuid}/execute`: sends the webhook once now, rendered with the latest pact
/// in its scope, and answers with what happened: 200 when the target answered 2xx, 502 when it
/// did not or could not be reached, 400 when the broker may not call it. Nothing is recorded
/// and nothing is retried.
#[tracing::instrument(skip_all)]
pub async fn execute_webhook(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let links = Links::from_request(&request);
    let (found, rendered) =
        webhooks::test_request(&state.db, links.origin(), path.into_inner()).await?;
    if let Err(error) = state.webhooks.policy.check_url(&rendered.url) {
        return Err(ApiError::invalid("request.url", error.to_string()));
    }
    let result = state.sender.send(&rendered).await;
    if !result.retryable && result.status.is_none() {
        return Err(ApiError::invalid(
            "request.url",
            result
                .error
                .unwrap_or_else(|| "the target is not allowed".to_owned()),
        ));
    }
    tracing::info!(
        webhook.uuid = %found.uuid,
        response.status = result.status,
        success = result.succeeded(),
        "webhook test execution"
    );
    let status = if result.succeeded() {
        StatusCode::OK
    } else {
        StatusCode::BAD_GATEWAY
    };
    Ok(hal(
        status,
        execution_result(&links, &found.uuid, &rendered, &result),
    ))
}

/// `GET /webhooks/{uuid}/deliveries`: the newest deliveries with every attempt.
#[tracing::instrument(skip_all)]
pub async fn list_deliveries(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let uuid = path.into_inner();
    let found = deliveries::list_deliveries(&state.db, uuid.clone(), DELIVERIES_LISTED).await?;
    Ok(ok(delivery_list(
        &Links::from_request(&request),
        &uuid,
        &found,
    )))
}

/// `GET /verifications/overdue[?limit=N]`: required verifications still missing after
/// `--verification-overdue-after`, oldest first.
#[tracing::instrument(skip_all)]
pub async fn list_overdue_verifications(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let limit = match query_pairs(&request)?.remove("limit") {
        None => watchdog::MAX_LISTED,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|limit| (1..=watchdog::MAX_LISTED).contains(limit))
            .ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    format!(
                        "expected a whole number from 1 to {}, found `{raw}`",
                        watchdog::MAX_LISTED
                    ),
                )
            })?,
    };
    let after = state.webhooks.overdue_after;
    let overdue = watchdog::overdue_verifications(&state.db, after, limit).await?;
    Ok(ok(overdue_list(
        &Links::from_request(&request),
        after.as_secs(),
        &overdue,
    )))
}
