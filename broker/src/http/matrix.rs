//! Matrix routes: `GET /matrix` (what `pact broker can-i-deploy` and `can-i-merge` call) and
//! `GET /can-i-deploy?pacticipant=&version=&environment=|to=`. Parse the query, ask the domain,
//! render; the rules live in `crate::domain::matrix`.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::matrix::{self, MatrixQuery};
use crate::http::error::ApiError;
use crate::http::hal::{Links, ok};
use crate::http::views;

/// `GET /matrix?q[][pacticipant]=…`.
#[tracing::instrument(skip_all)]
pub async fn get_matrix(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query =
        matrix::parse_matrix_query(request.query_string()).map_err(ApiError::InvalidMatrixQuery)?;
    answer(&request, &state, query).await
}

/// `GET /can-i-deploy?pacticipant=&version=&environment=` (or `to=TAG`).
#[tracing::instrument(skip_all)]
pub async fn get_can_i_deploy(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = matrix::parse_can_i_deploy_query(request.query_string())
        .map_err(ApiError::InvalidMatrixQuery)?;
    answer(&request, &state, query).await
}

async fn answer(
    request: &HttpRequest,
    state: &AppState,
    query: MatrixQuery,
) -> Result<HttpResponse, ApiError> {
    let answer = matrix::can_i_deploy(&state.db, query)
        .await
        .map_err(|error| ApiError::from(error).in_matrix())?;
    state
        .metrics
        .observe_can_i_deploy(answer.verdict.deployable);
    let links = Links::from_request(request);
    let self_href = format!("{}{}", links.url(&[]).trim_end_matches('/'), request.uri());
    Ok(ok(views::matrix::matrix(&links, &answer, &self_href)))
}
