//! Token resources: name, role, created and last-used times; the secret only in the answer to
//! the `POST` that created it.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::access::tokens::{CreatedToken, Token};
use crate::http::hal::Links;

/// The body of `POST /tokens`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenBody {
    /// Unique name.
    #[serde(default)]
    pub name: String,
    /// `read`, `write` or `admin`.
    #[serde(default)]
    pub role: String,
}

/// `/tokens/{name}`.
pub fn token_url(links: &Links, name: &str) -> String {
    links.url(&["tokens", name])
}

/// One token, without its secret.
pub fn token(links: &Links, token: &Token) -> Value {
    json!({
        "name": token.name,
        "role": token.role.as_str(),
        "createdAt": token.created_at,
        "lastUsedAt": token.last_used_at,
        "_links": { "self": { "href": token_url(links, &token.name) } },
    })
}

/// A token just created: the same resource plus `token`, the secret, shown this once.
pub fn created_token(links: &Links, created: &CreatedToken) -> Value {
    let mut body = token(links, &created.token);
    if let Value::Object(fields) = &mut body {
        fields.insert("token".to_owned(), json!(created.secret));
    }
    body
}

/// `GET /tokens`.
pub fn token_list(links: &Links, tokens: &[Token]) -> Value {
    json!({
        "tokens": tokens.iter().map(|entry| token(links, entry)).collect::<Vec<_>>(),
        "_links": { "self": { "href": links.url(&["tokens"]) } },
    })
}
