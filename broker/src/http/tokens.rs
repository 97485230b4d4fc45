//! Token routes (admin only, see `crate::domain::access::required_role`): `GET`/`POST
//! /tokens` (list; create, answering the secret once) and `GET`/`DELETE /tokens/{name}`.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::AppState;
use crate::domain::access::tokens;
use crate::http::error::ApiError;
use crate::http::extract::JsonBody;
use crate::http::hal::{Links, created, ok};
use crate::http::views::tokens::{TokenBody, created_token, token, token_list, token_url};

/// `GET /tokens`.
#[tracing::instrument(skip_all)]
pub async fn list_tokens(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let list = tokens::list_tokens(&state.db).await?;
    Ok(ok(token_list(&Links::from_request(&request), &list)))
}

/// `POST /tokens`: 201 with the token in the body, the only time it is shown.
#[tracing::instrument(skip_all)]
pub async fn create_token(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: JsonBody<TokenBody>,
) -> Result<HttpResponse, ApiError> {
    let TokenBody { name, role } = body.0;
    let made = tokens::create_token(&state.db, name, &role).await?;
    state.access.note_token_created();
    tracing::info!(token.name = %made.token.name, token.role = %made.token.role, "token created");
    let links = Links::from_request(&request);
    Ok(created(
        &token_url(&links, &made.token.name),
        created_token(&links, &made),
    ))
}

/// `GET /tokens/{name}`.
#[tracing::instrument(skip_all)]
pub async fn get_token(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = tokens::get_token(&state.db, path.into_inner()).await?;
    Ok(ok(token(&Links::from_request(&request), &found)))
}

/// `DELETE /tokens/{name}`: 204; 404 when there is no such token.
#[tracing::instrument(skip_all)]
pub async fn revoke_token(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let name = path.into_inner();
    tokens::revoke_token(&state.db, name.clone()).await?;
    tracing::info!(token.name = %name, "token revoked");
    Ok(HttpResponse::NoContent().finish())
}
