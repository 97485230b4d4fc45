//! The HTTP layer: the route table (every URL the broker answers, in one function), and the
//! handlers that parse a request, call the domain and render HAL.
//!
//! Handlers stay about one screen; rules belong in `crate::domain`.

pub mod auth;
pub mod branches;
pub mod contracts;
pub mod deployments;
pub mod environments;
pub mod error;
pub mod extract;
pub mod for_verification;
pub mod hal;
pub mod index;
pub mod limits;
pub mod logging;
pub mod matrix;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod pacticipants;
pub mod problem;
pub mod public_url;
pub mod tags;
pub mod tokens;
pub mod verifications;
pub mod versions;
pub mod views;
pub mod webhooks;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::http::error::ApiError;

/// Registers every route. Path parameters are matched on the raw path (so `%2F` stays inside
/// its segment) and then fully percent-decoded by `web::Path`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use web::{delete, get, patch, post, put, resource};
    cfg.app_data(web::PathConfig::default().error_handler(|error, request| {
        ApiError::invalid(
            "path",
            format!("cannot read the path `{}`: {error}", request.path()),
        )
        .into()
    }))
    .service(resource("/").route(get().to(index::get_index)))
    .service(resource("/health").route(get().to(ops::get_health)))
    .service(resource("/ready").route(get().to(ops::get_ready)))
    .service(resource("/metrics").route(get().to(metrics::get_metrics)))
    .service(resource("/openapi.json").route(get().to(openapi::get_openapi)))
    // Publishing and pacts.
    .service(resource("/contracts/publish").route(post().to(contracts::publish::publish_contracts)))
    .service(resource("/pacts/latest").route(get().to(contracts::pacts::list_latest_pacts)))
    .service(
        resource("/pacts/provider/{provider}/latest")
            .route(get().to(contracts::pacts::list_latest_provider_pacts)),
    )
    // Pacts for verification (selectors, pending, WIP).
    .service(
        resource("/pacts/provider/{provider}/for-verification")
            .route(get().to(for_verification::get_pacts_for_verification))
            .route(post().to(for_verification::post_pacts_for_verification)),
    )
    // A provider's pacts by consumer tag, and its whole history (`pb:provider-pacts*`).
    .service(
        resource("/pacts/provider/{provider}")
            .route(get().to(contracts::provider_pacts::list_provider_pacts)),
    )
    .service(
        resource("/pacts/provider/{provider}/tag/{tag}")
            .route(get().to(contracts::provider_pacts::list_provider_pacts_with_tag)),
    )
    .service(
        resource("/pacts/provider/{provider}/latest/{tag}")
            .route(get().to(contracts::provider_pacts::list_latest_provider_pacts_with_tag)),
    )
    // Pacts by consumer branch (`get-pacts`); `branch/latest` is matched before `branch/{branch}`.
    .service(
        resource("/pacts/provider/{provider}/branch")
            .route(get().to(contracts::branch_pacts::list_main_branch_pacts)),
    )
    .service(
        resource("/pacts/provider/{provider}/branch/latest")
            .route(get().to(contracts::branch_pacts::list_latest_main_branch_pacts)),
    )
    .service(
        resource("/pacts/provider/{provider}/branch/{branch}")
            .route(get().to(contracts::branch_pacts::list_branch_pacts_for_provider)),
    )
    .service(
        resource("/pacts/provider/{provider}/branch/{branch}/latest")
            .route(get().to(contracts::branch_pacts::list_latest_branch_pacts_for_provider)),
    )
    // One consumer's pacts on its main branch or a named branch, all or the head only
    // (`pb:*branch-pact-versions`); `branch/versions` and `branch/latest/versions` are matched
    // before `branch/{branch}`.
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/branch/versions")
            .route(get().to(contracts::branch_pacts::list_consumer_main_branch_pacts)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions")
            .route(get().to(contracts::branch_pacts::list_latest_consumer_main_branch_pacts)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}")
            .route(get().to(contracts::branch_pacts::list_consumer_branch_pacts)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions")
            .route(get().to(contracts::branch_pacts::list_latest_consumer_branch_pacts)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/version/{version}")
            .route(get().to(contracts::pacts::get_pact_for_version))
            .route(put().to(contracts::pacts::put_pact_for_version))
            .route(patch().to(contracts::pacts::patch_pact_for_version)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/latest")
            .route(get().to(contracts::pacts::get_latest_pact)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/latest/{tag}")
            .route(get().to(contracts::pacts::get_latest_tagged_pact)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest")
            .route(get().to(contracts::pacts::get_latest_branch_pact)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}")
            .route(get().to(contracts::pacts::get_pact_by_content_sha)),
    )
    .service(
        // The same pact, addressed with the opaque metadata the verification endpoints add.
        resource(
            "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}",
        )
        .route(get().to(contracts::pacts::get_pact_by_content_sha_with_metadata)),
    )
    // Verification results; `{number}` is a result number or `latest`.
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results")
            .route(get().to(verifications::list_verification_results))
            .route(post().to(verifications::publish_verification_results)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}/verification-results")
            .route(get().to(verifications::list_verification_results_with_metadata))
            .route(post().to(verifications::publish_verification_results_with_metadata)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results/{number}")
            .route(get().to(verifications::get_verification_result)),
    )
    .service(
        resource("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}/verification-results/{number}")
            .route(get().to(verifications::get_verification_result_with_metadata)),
    )
    .service(
        resource("/pacticipants/{pacticipant}/versions/{version}/verification-results")
            .route(get().to(verifications::list_provider_version_verification_results)),
    )
    // Pacticipants.
    .service(
        resource("/pacticipants")
            .route(get().to(pacticipants::list_pacticipants))
            .route(post().to(pacticipants::create_pacticipant)),
    )
    .service(
        resource("/pacticipants/{pacticipant}")
            .route(get().to(pacticipants::get_pacticipant))
            .route(patch().to(pacticipants::patch_pacticipant))
            .route(put().to(pacticipants::put_pacticipant))
            .route(delete().to(pacticipants::delete_pacticipant)),
    )
    // Versions.
    .service(
        resource("/pacticipants/{pacticipant}/versions").route(get().to(versions::list_versions)),
    )
    .service(
        resource("/pacticipants/{pacticipant}/versions/{version}")
            .route(get().to(versions::get_version))
            .route(put().to(versions::put_version))
            .route(patch().to(versions::put_version))
            .route(delete().to(versions::delete_version)),
    )
    .service(
        resource("/pacticipants/{pacticipant}/latest-version")
            .route(get().to(versions::get_latest_version)),
    )
    .service(
        resource("/pacticipants/{pacticipant}/latest-version/{tag}")
            .route(get().to(versions::get_latest_tagged_version)),
    )
    // Tags.
    .service(
        resource("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}")
            .route(get().to(tags::get_tag))
            .route(put().to(tags::put_tag))
            .route(delete().to(tags::delete_tag)),
    )
    // Branches.
    .service(
        resource("/pacticipants/{pacticipant}/branches").route(get().to(branches::list_branches)),
    )
    .service(
        resource("/pacticipants/{pacticipant}/branches/{branch}")
            .route(get().to(branches::get_branch))
            .route(delete().to(branches::delete_branch)),
    )
    .service(
        resource("/pacticipants/{pacticipant}/branches/{branch}/versions")
            .route(get().to(branches::list_branch_versions)),
    )
    .service(
        resource("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}")
            .route(get().to(branches::get_branch_version))
            .route(put().to(branches::put_branch_version)),
    )
    // Labels.
    .service(
        resource("/pacticipants/{pacticipant}/labels/{label}")
            .route(get().to(pacticipants::get_label))
            .route(put().to(pacticipants::put_label))
            .route(delete().to(pacticipants::delete_label)),
    )
    .service(
        resource("/pacticipants/label/{label}")
            .route(get().to(pacticipants::list_pacticipants_with_label)),
    )
    // The matrix and can-i-deploy.
    .service(resource("/matrix").route(get().to(matrix::get_matrix)))
    .service(resource("/can-i-deploy").route(get().to(matrix::get_can_i_deploy)))
    // Environments.
    .service(
        resource("/environments")
            .route(get().to(environments::list_environments))
            .route(post().to(environments::create_environment)),
    )
    .service(
        resource("/environments/{uuid}")
            .route(get().to(environments::get_environment))
            .route(put().to(environments::replace_environment))
            .route(delete().to(environments::delete_environment)),
    )
    // Deployments and releases.
    .service(
        resource("/environments/{uuid}/deployed-versions/currently-deployed")
            .route(get().to(deployments::list_currently_deployed)),
    )
    .service(
        resource("/environments/{uuid}/released-versions/currently-supported")
            .route(get().to(deployments::list_currently_supported)),
    )
    .service(
        resource(
            "/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{uuid}",
        )
        .route(get().to(deployments::list_deployed_versions_for_version))
        .route(post().to(deployments::record_deployment)),
    )
    .service(
        resource(
            "/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{uuid}",
        )
        .route(get().to(deployments::list_released_versions_for_version))
        .route(post().to(deployments::record_release)),
    )
    .service(
        resource("/deployed-versions/{uuid}")
            .route(get().to(deployments::get_deployed_version))
            .route(patch().to(deployments::patch_deployed_version)),
    )
    .service(
        resource("/released-versions/{uuid}")
            .route(get().to(deployments::get_released_version))
            .route(patch().to(deployments::patch_released_version)),
    )
    // Webhooks, their deliveries, and the watchdog.
    .service(
        resource("/webhooks")
            .route(get().to(webhooks::list_webhooks))
            .route(post().to(webhooks::create_webhook)),
    )
    .service(
        resource("/webhooks/provider/{provider}/consumer/{consumer}")
            .route(get().to(webhooks::list_pacticipant_webhooks))
            .route(post().to(webhooks::create_pacticipant_webhook)),
    )
    .service(
        resource("/webhooks/{uuid}")
            .route(get().to(webhooks::get_webhook))
            .route(put().to(webhooks::put_webhook))
            .route(delete().to(webhooks::delete_webhook)),
    )
    .service(resource("/webhooks/{uuid}/execute").route(post().to(webhooks::execute_webhook)))
    .service(resource("/webhooks/{uuid}/deliveries").route(get().to(webhooks::list_deliveries)))
    .service(
        resource("/verifications/overdue")
            .route(get().to(webhooks::list_overdue_verifications)),
    )
    // Bearer tokens (admin only).
    .service(
        resource("/tokens")
            .route(get().to(tokens::list_tokens))
            .route(post().to(tokens::create_token)),
    )
    .service(
        resource("/tokens/{name}")
            .route(get().to(tokens::get_token))
            .route(delete().to(tokens::revoke_token)),
    )
    .default_service(web::to(no_route));
}

/// Any URL no route matches: a JSON 404 (an error, so that problem details apply to it too).
async fn no_route(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NoRoute(request.path().to_owned()))
}
