//! Bearer tokens: created with a role, shown once, stored as a salted SHA-256 of their secret,
//! listed without secrets, revoked by name.
//!
//! A token reads `treaty_<key>_<secret>`: the key (24 hex digits) finds the row by index, the
//! secret (32 random bytes, base64url) is checked against the row's hash in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::access::{Caller, Role};
use crate::domain::{DomainError, FieldError};
use crate::storage::models::ApiTokenRow;
use crate::storage::tokens::{self as store, NewToken};
use crate::storage::{Db, now};

/// What every token starts with.
const PREFIX: &str = "treaty_";
/// The longest token name, in bytes.
const MAX_NAME_LENGTH: usize = 100;
/// How stale `last_used_at` may get before a request refreshes it (one write a minute per
/// token at most, not one per request).
const LAST_USED_RESOLUTION: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// A token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Unique name.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// Creation time.
    pub created_at: String,
    /// When a request last used it (to the minute), if ever.
    pub last_used_at: Option<String>,
}

impl Token {
    fn from_row(row: ApiTokenRow) -> Result<Self, DomainError> {
        let role = Role::parse(&row.role).map_err(|message| {
            DomainError::Storage(crate::storage::StorageError::Corrupt(format!(
                "token `{}`: role {message}",
                row.name
            )))
        })?;
        Ok(Self {
            name: row.name,
            role,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        })
    }
}

/// A token just created: the only time its secret exists outside the client.
#[derive(Clone, PartialEq, Eq)]
pub struct CreatedToken {
    /// The stored token.
    pub token: Token,
    /// The whole token to send as `Authorization: Bearer …`.
    pub secret: String,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("token", &self.token)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Checks a token name: 1 to 100 letters, digits, `.`, `_` or `-`.
fn validate_name(name: &str) -> Result<(), FieldError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if name.is_empty() {
        return Err(FieldError::new(
            "name",
            "is missing: name the token after its user, for example `orders-ci`",
        ));
    }
    if name.len() > MAX_NAME_LENGTH {
        return Err(FieldError::new(
            "name",
            format!(
                "must be at most {MAX_NAME_LENGTH} bytes long, found {}",
                name.len()
            ),
        ));
    }
    if !name.chars().all(allowed) {
        return Err(FieldError::new(
            "name",
            format!("may contain only letters, digits, `.`, `_` and `-`, found `{name}`"),
        ));
    }
    Ok(())
}

fn hash_secret(salt: &str, secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(b":");
    hasher.update(secret.as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Creates a token named `name` with role `role` (given as typed); a taken name is a conflict.
pub async fn create_token(db: &Db, name: String, role: &str) -> Result<CreatedToken, DomainError> {
    let mut faults = Vec::new();
    if let Err(fault) = validate_name(&name) {
        faults.push(fault);
    }
    let role = Role::parse(role)
        .map_err(|message| faults.push(FieldError::new("role", message)))
        .ok();
    let Some(role) = role.filter(|_| faults.is_empty()) else {
        return Err(DomainError::Invalid(faults));
    };
    let public_key = hex(&rand::random::<[u8; 12]>());
    let secret = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let salt = hex(&rand::random::<[u8; 16]>());
    let new = NewToken {
        name: name.clone(),
        role: role.as_str().to_owned(),
        secret_hash: hash_secret(&salt, &secret),
        public_key: public_key.clone(),
        salt,
    };
    let row = db
        .write(move |conn| {
            if store::find_token_by_name(conn, &new.name)?.is_some() {
                return Err(DomainError::Conflict {
                    field: "name".to_owned(),
                    message: format!(
                        "a token named `{}` already exists: revoke it first, or choose another name",
                        new.name
                    ),
                });
            }
            Ok(store::insert_token(conn, &new)?)
        })
        .await?;
    Ok(CreatedToken {
        token: Token::from_row(row)?,
        secret: format!("{PREFIX}{public_key}_{secret}"),
    })
}

/// Every token, by name.
pub async fn list_tokens(db: &Db) -> Result<Vec<Token>, DomainError> {
    let rows = db
        .run(|conn| store::list_tokens(conn).map_err(DomainError::from))
        .await?;
    rows.into_iter().map(Token::from_row).collect()
}

/// The token named `name`, or a not-found error.
pub async fn get_token(db: &Db, name: String) -> Result<Token, DomainError> {
    let row = db
        .run(move |conn| store::find_token_by_name(conn, &name)?.ok_or_else(|| not_found(&name)))
        .await?;
    Token::from_row(row)
}

/// Revokes (deletes) the token named `name`; not-found when there is none.
pub async fn revoke_token(db: &Db, name: String) -> Result<(), DomainError> {
    db.write(move |conn| {
        if store::delete_token_by_name(conn, &name)? {
            Ok(())
        } else {
            Err(not_found(&name))
        }
    })
    .await
}

fn not_found(name: &str) -> DomainError {
    DomainError::NotFound(format!(
        "no token named `{name}`: list them with `treaty-broker token list` or GET /tokens"
    ))
}

/// The caller a bearer token identifies, refreshing its last-used time when it is over a
/// minute old.
pub(crate) async fn authenticate(db: &Db, token: &str) -> Result<Caller, DomainError> {
    let unknown = || Caller::Rejected("unknown or revoked token".to_owned());
    let Some((public_key, secret)) = token
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('_'))
    else {
        return Ok(unknown());
    };
    let (public_key, secret) = (public_key.to_owned(), secret.to_owned());
    db.run(move |conn| {
        let Some(row) = store::find_token_by_key(conn, &public_key)? else {
            return Ok(unknown());
        };
        let expected = hash_secret(&row.salt, &secret);
        if !bool::from(expected.as_bytes().ct_eq(row.secret_hash.as_bytes())) {
            return Ok(unknown());
        }
        let Ok(role) = Role::parse(&row.role) else {
            return Ok(unknown());
        };
        // Last use is bookkeeping: failing to record it (a busy SQLite, a read-only replica)
        // must not refuse a valid token.
        if is_stale(row.last_used_at.as_deref())
            && let Err(error) = store::touch_token(conn, row.id, &now())
        {
            tracing::warn!(token.name = %row.name, error = %error, "cannot record the token's last use");
        }
        Ok(Caller::Known {
            name: row.name,
            role,
        })
    })
    .await
}

/// Whether a stored last-used time is missing or older than [`LAST_USED_RESOLUTION`].
fn is_stale(last_used_at: Option<&str>) -> bool {
    last_used_at
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
        .is_none_or(|at| chrono::Utc::now().signed_duration_since(at) >= LAST_USED_RESOLUTION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names_are_short_and_plain() {
        let table = [
            ("orders-ci", true),
            ("a.b_c-1", true),
            ("", false),
            ("has space", false),
            ("slash/no", false),
            ("é", false),
        ];
        for (name, valid) in table {
            assert_eq!(validate_name(name).is_ok(), valid, "{name}");
        }
        assert!(validate_name(&"x".repeat(100)).is_ok());
        assert!(validate_name(&"x".repeat(101)).is_err());
    }

    #[test]
    fn the_hash_depends_on_salt_and_secret() {
        let hash = hash_secret("salt", "secret");
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, hash_secret("salt2", "secret"));
        assert_ne!(hash, hash_secret("salt", "secret2"));
        assert_eq!(hash, hash_secret("salt", "secret"));
    }

    #[test]
    fn last_used_is_refreshed_only_when_a_minute_old() {
        let recent = now();
        let old = (chrono::Utc::now() - chrono::TimeDelta::seconds(61))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        assert!(is_stale(None));
        assert!(is_stale(Some("garbage")));
        assert!(is_stale(Some(&old)));
        assert!(!is_stale(Some(&recent)));
    }
}
