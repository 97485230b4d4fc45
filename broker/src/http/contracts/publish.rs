//! `POST /contracts/publish`: the publish the `pact broker publish` command uses.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::publish::{self, PublishInput};
use crate::http::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::hal::{Links, ok};
use crate::http::views::publish::{PublishContractsBody, publish_response};

/// Validates the request, publishes every contract in one transaction and answers 200 with
/// notices (409 when a contract's content changed for an existing consumer version).
#[tracing::instrument(name = "publish_contracts", skip_all)]
pub async fn publish_contracts(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<PublishContractsBody>,
) -> Result<HttpResponse, ApiError> {
    let publish_request = publish::validate_publish(PublishInput::from(body.0))?;
    let pacticipant = publish_request.pacticipant.to_string();
    let version = publish_request.version.to_string();
    let links = Links::from_request(&request);
    let outcome =
        publish::publish_contracts(&state.db, state.publish, links.origin(), publish_request)
            .await?;
    state.wake.wake();
    state.metrics.observe_publications(outcome.contracts.len());
    tracing::info!(
        pacticipant.name = %pacticipant,
        version.number = %version,
        contracts = outcome.contracts.len(),
        "contracts published"
    );
    Ok(ok(publish_response(&links, &outcome)))
}
