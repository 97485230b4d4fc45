//! Queries on `api_tokens`: the bearer tokens, looked up by their public key on every
//! authenticated request (index `api_tokens_public_key_key`).

use diesel::prelude::*;

use crate::storage::models::ApiTokenRow;
use crate::storage::schema::api_tokens;
use crate::storage::{AnyConnection, StorageResult, now};

/// A token to store: everything but the secret itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// Unique name.
    pub name: String,
    /// `read`, `write` or `admin`.
    pub role: String,
    /// The public part of the token.
    pub public_key: String,
    /// Random salt, hex.
    pub salt: String,
    /// SHA-256 of salt and secret, hex.
    pub secret_hash: String,
}

/// Inserts a token (its name and key must be free) and returns it.
pub fn insert_token(conn: &mut AnyConnection, token: &NewToken) -> StorageResult<ApiTokenRow> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::name.eq(&token.name),
            api_tokens::role.eq(&token.role),
            api_tokens::public_key.eq(&token.public_key),
            api_tokens::salt.eq(&token.salt),
            api_tokens::secret_hash.eq(&token.secret_hash),
            api_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(api_tokens::table
        .filter(api_tokens::public_key.eq(&token.public_key))
        .select(ApiTokenRow::as_select())
        .first(conn)?)
}

/// The token with this public key. Index: `api_tokens_public_key_key`.
pub fn find_token_by_key(
    conn: &mut AnyConnection,
    public_key: &str,
) -> StorageResult<Option<ApiTokenRow>> {
    Ok(api_tokens::table
        .filter(api_tokens::public_key.eq(public_key))
        .select(ApiTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// The token with this name. Index: `api_tokens_name_key`.
pub fn find_token_by_name(
    conn: &mut AnyConnection,
    name: &str,
) -> StorageResult<Option<ApiTokenRow>> {
    Ok(api_tokens::table
        .filter(api_tokens::name.eq(name))
        .select(ApiTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every token, by name.
pub fn list_tokens(conn: &mut AnyConnection) -> StorageResult<Vec<ApiTokenRow>> {
    Ok(api_tokens::table
        .order(api_tokens::name.asc())
        .select(ApiTokenRow::as_select())
        .load(conn)?)
}

/// Whether any token exists.
pub fn any_token_exists(conn: &mut AnyConnection) -> StorageResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        api_tokens::table.select(api_tokens::id),
    ))
    .get_result(conn)?)
}

/// Deletes the token named `name`; whether there was one.
pub fn delete_token_by_name(conn: &mut AnyConnection, name: &str) -> StorageResult<bool> {
    let deleted =
        diesel::delete(api_tokens::table.filter(api_tokens::name.eq(name))).execute(conn)?;
    Ok(deleted > 0)
}

/// Records that the token was used at `at` (a stored timestamp).
pub fn touch_token(conn: &mut AnyConnection, id: i64, at: &str) -> StorageResult<()> {
    diesel::update(api_tokens::table.filter(api_tokens::id.eq(id)))
        .set(api_tokens::last_used_at.eq(at))
        .execute(conn)?;
    Ok(())
}
