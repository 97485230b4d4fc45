//! Access control: who may call what. The rules are pure functions over the request's method
//! and path and the caller, tested as tables: [`required_role`] (what a request needs),
//! [`decide`] (whether a caller may). [`AccessControl`] holds the operator's settings and the
//! little state the rules need (whether the broker is open, recent failures per address), and
//! [`AccessControl::check`] is the use case the HTTP middleware calls.
//!
//! Credentials are bearer tokens (stored as salted hashes, see [`tokens`]) and the Pact
//! Broker's two basic-auth users. With none configured and no token in the database the broker
//! runs open: every request is allowed, and start-up says so.

pub mod throttle;
pub mod tokens;

use std::fmt;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::DomainError;
use crate::storage::Db;
use crate::storage::tokens as store;
use throttle::Throttle;

/// What a caller may do; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Read everything (and ask for pacts for verification, a read that is a POST).
    Read,
    /// Publish contracts and verification results; record deployments and releases; write
    /// pacticipants, versions, branches and tags.
    Write,
    /// Everything: deletes, environments, webhooks and tokens too.
    Admin,
}

impl Role {
    /// Every role, weakest first.
    pub const ALL: [Role; 3] = [Role::Read, Role::Write, Role::Admin];

    /// The role's name, as stored and as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Admin => "admin",
        }
    }

    /// Parses `read`, `write` or `admin`.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| format!("must be read, write or admin, found `{text}`"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The role a request needs, from its method and raw path; `None` for the probes
/// (`/health`, `/ready`), which are always open.
pub fn required_role(method: &str, path: &str) -> Option<Role> {
    if path == "/health" || path == "/ready" {
        return None;
    }
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if is_tokens_path(path) {
        return Some(Role::Admin);
    }
    match method {
        "GET" | "HEAD" | "OPTIONS" => Some(Role::Read),
        "POST" if is_pacts_for_verification(path) => Some(Role::Read),
        "DELETE" => Some(Role::Admin),
        _ if under("/environments") || under("/webhooks") => Some(Role::Admin),
        _ => Some(Role::Write),
    }
}

/// `/tokens` and `/tokens/…`.
fn is_tokens_path(path: &str) -> bool {
    path.strip_prefix("/tokens")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// `/pacts/provider/{provider}/for-verification`: a query sent as a POST.
fn is_pacts_for_verification(path: &str) -> bool {
    path.strip_prefix("/pacts/provider/")
        .and_then(|rest| rest.strip_suffix("/for-verification"))
        .is_some_and(|provider| !provider.is_empty() && !provider.contains('/'))
}

/// Who is calling, as far as the credentials tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No `Authorization` header.
    Anonymous,
    /// Valid credentials.
    Known {
        /// The token's name or the basic-auth user name.
        name: String,
        /// What it may do.
        role: Role,
    },
    /// Credentials were sent and are wrong; the reason says how.
    Rejected(String),
}

/// Whether the broker checks credentials at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No credentials are configured: everything is allowed.
    Open,
    /// Credentials are configured; anonymous callers may read when `public_read`.
    Enforced {
        /// `--allow-public-read`.
        public_read: bool,
    },
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// 401: no or bad credentials; the message says what to send.
    Unauthorized(String),
    /// 403: the caller is known but its role may not do this.
    Forbidden(String),
    /// 429: the address sent too many wrong credentials lately; try again after the pause.
    Throttled(Duration),
}

/// Whether `caller` may do `action` (`METHOD /path`, for messages), which needs `required`.
pub fn decide(required: Option<Role>, caller: &Caller, mode: Mode, action: &str) -> Decision {
    let Some(required) = required else {
        return Decision::Allow;
    };
    let Mode::Enforced { public_read } = mode else {
        return Decision::Allow;
    };
    match caller {
        Caller::Rejected(reason) => Decision::Unauthorized(reason.clone()),
        Caller::Anonymous if public_read && required == Role::Read => Decision::Allow,
        Caller::Anonymous => Decision::Unauthorized(format!(
            "{action} needs credentials: send `Authorization: Bearer TOKEN` (--broker-token, \
             PACT_BROKER_TOKEN) or basic auth (--broker-username and --broker-password)"
        )),
        Caller::Known { role, .. } if *role >= required => Decision::Allow,
        Caller::Known { name, role } => Decision::Forbidden(format!(
            "`{name}` has the {role} role and {action} needs the {required} role: use credentials \
             with the {required} role"
        )),
    }
}

/// One basic-auth user as configured.
#[derive(Clone, PartialEq, Eq)]
pub struct BasicUser {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl fmt::Debug for BasicUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicUser")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The operator's access settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessPolicy {
    /// The Pact Broker's read-write basic-auth user (`PACT_BROKER_BASIC_AUTH_USERNAME`): it may
    /// do everything, as in the Pact Broker, so it has the admin role.
    pub read_write: Option<BasicUser>,
    /// The read-only basic-auth user (`PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME`).
    pub read_only: Option<BasicUser>,
    /// Anonymous callers may read.
    pub allow_public_read: bool,
}

impl AccessPolicy {
    /// Whether a basic-auth user is configured.
    pub fn has_basic_auth(&self) -> bool {
        self.read_write.is_some() || self.read_only.is_some()
    }

    /// The caller these basic-auth credentials identify. Every configured user is compared, in
    /// constant time, whatever matches first.
    fn basic_caller(&self, username: &str, password: &str) -> Caller {
        let mut found = None;
        for (user, role) in [
            (&self.read_write, Role::Admin),
            (&self.read_only, Role::Read),
        ] {
            if let Some(user) = user
                && same_secret(&user.username, username) & same_secret(&user.password, password)
                && found.is_none()
            {
                found = Some(Caller::Known {
                    name: user.username.clone(),
                    role,
                });
            }
        }
        found.unwrap_or_else(|| {
            Caller::Rejected("wrong user name or password for basic auth".to_owned())
        })
    }
}

/// Compares two secrets in time independent of where they differ (both are hashed first, so
/// the time does not reveal the length either).
pub(crate) fn same_secret(expected: &str, given: &str) -> bool {
    let expected = Sha256::digest(expected.as_bytes());
    let given = Sha256::digest(given.as_bytes());
    expected.as_slice().ct_eq(given.as_slice()).into()
}

/// How long a broker with no basic auth and no token found stays open before looking again.
const OPEN_RECHECK: Duration = Duration::from_secs(1);

/// The access settings and state shared by every request.
#[derive(Debug)]
pub struct AccessControl {
    policy: AccessPolicy,
    /// Set once a token has been seen: from then on the broker stays closed (revoking every
    /// token does not reopen it until a restart).
    tokens_seen: AtomicBool,
    /// When the open broker last looked for tokens.
    checked_at: Mutex<Option<Instant>>,
    throttle: Throttle,
}

impl AccessControl {
    /// Access control with `policy`.
    pub fn new(policy: AccessPolicy) -> Self {
        Self {
            policy,
            tokens_seen: AtomicBool::new(false),
            checked_at: Mutex::new(None),
            throttle: Throttle::default(),
        }
    }

    /// The settings.
    pub fn policy(&self) -> &AccessPolicy {
        &self.policy
    }

    /// The `WWW-Authenticate` challenge of a 401.
    pub fn challenge(&self) -> &'static str {
        if self.policy.has_basic_auth() {
            "Bearer realm=\"treaty-broker\", Basic realm=\"treaty-broker\""
        } else {
            "Bearer realm=\"treaty-broker\""
        }
    }

    /// Notes that a token now exists, so that this process closes at once.
    pub fn note_token_created(&self) {
        self.tokens_seen.store(true, Ordering::Relaxed);
    }

    /// Whether credentials are checked: yes with basic auth or once any token exists. An open
    /// broker looks for tokens at most once a second, so a token created by
    /// `treaty-broker token create` closes a running broker within a second.
    pub async fn mode(&self, db: &Db) -> Result<Mode, DomainError> {
        let enforced = Mode::Enforced {
            public_read: self.policy.allow_public_read,
        };
        if self.policy.has_basic_auth() || self.tokens_seen.load(Ordering::Relaxed) {
            return Ok(enforced);
        }
        {
            let checked_at = self.checked_at.lock().unwrap_or_else(|e| e.into_inner());
            if checked_at.is_some_and(|at| at.elapsed() < OPEN_RECHECK) {
                return Ok(Mode::Open);
            }
        }
        let exists = db
            .run(|conn| store::any_token_exists(conn).map_err(DomainError::from))
            .await?;
        *self.checked_at.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        if exists {
            self.note_token_created();
            Ok(enforced)
        } else {
            Ok(Mode::Open)
        }
    }

    /// Decides one request: `authorization` is the `Authorization` header (`Err` when it is
    /// not text), `peer` the client's address. An address that keeps sending wrong credentials
    /// is refused for a while without them being checked (see [`throttle`]).
    pub async fn check(
        &self,
        db: &Db,
        method: &str,
        path: &str,
        authorization: Option<Result<&str, ()>>,
        peer: Option<IpAddr>,
    ) -> Result<Decision, DomainError> {
        let required = required_role(method, path);
        if required.is_none() {
            return Ok(Decision::Allow);
        }
        let mode = self.mode(db).await?;
        if mode == Mode::Open {
            // Whoever made the first token over the API of an open broker would own it and lock
            // its operator out: the first token comes from the operator's shell.
            if is_tokens_path(path) {
                return Ok(Decision::Forbidden(
                    "this broker is open (no credentials are configured): create the first token with `treaty-broker token create --name NAME --role admin`, or configure basic auth".to_owned(),
                ));
            }
            return Ok(Decision::Allow);
        }
        if let (Some(peer), Some(_)) = (peer, &authorization)
            && let Some(pause) = self.throttle.blocked(peer, Instant::now())
        {
            return Ok(Decision::Throttled(pause));
        }
        let caller = match authorization {
            None => Caller::Anonymous,
            Some(Err(())) => {
                Caller::Rejected("the Authorization header is not valid text".to_owned())
            }
            Some(Ok(header)) => self.identify(db, header).await?,
        };
        let decision = decide(required, &caller, mode, &format!("{method} {path}"));
        if let (Caller::Rejected(_), Some(peer)) = (&caller, peer) {
            let pause = self.throttle.record_failure(peer, Instant::now());
            if !pause.is_zero() {
                tracing::warn!(client.address = %peer, pause_ms = pause.as_millis() as u64, "repeated credential failures: refusing this address for a while");
            }
        }
        Ok(decision)
    }

    /// The caller an `Authorization` header names.
    async fn identify(&self, db: &Db, header: &str) -> Result<Caller, DomainError> {
        let (scheme, value) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
        let value = value.trim();
        if scheme.eq_ignore_ascii_case("bearer") {
            return tokens::authenticate(db, value).await;
        }
        if scheme.eq_ignore_ascii_case("basic") {
            let decoded = STANDARD
                .decode(value)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            return Ok(
                match decoded.as_deref().and_then(|text| text.split_once(':')) {
                    Some((username, password)) => self.policy.basic_caller(username, password),
                    None => Caller::Rejected(
                        "basic auth credentials are not base64 of `user:password`".to_owned(),
                    ),
                },
            );
        }
        // The scheme is quoted only when it looks like one: a bare token sent without `Bearer `
        // must not come back in the answer (and from there into CI logs).
        let named = if scheme.len() <= 20 && scheme.chars().all(|c| c.is_ascii_alphabetic()) {
            format!(" `{scheme}`")
        } else {
            String::new()
        };
        Ok(Caller::Rejected(format!(
            "unsupported Authorization scheme{named}: send `Bearer TOKEN` or `Basic CREDENTIALS`"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_request_needs_its_role() {
        let read = Some(Role::Read);
        let write = Some(Role::Write);
        let admin = Some(Role::Admin);
        let table = [
            ("GET", "/health", None),
            ("GET", "/ready", None),
            ("GET", "/", read),
            ("HEAD", "/pacticipants", read),
            ("GET", "/pacts/provider/P/consumer/C/latest", read),
            ("GET", "/matrix", read),
            ("GET", "/can-i-deploy", read),
            ("GET", "/environments", read),
            ("POST", "/pacts/provider/P/for-verification", read),
            ("POST", "/pacts/provider/a%2Fb/for-verification", read),
            ("POST", "/pacts/provider//for-verification", write),
            ("POST", "/contracts/publish", write),
            ("PUT", "/pacts/provider/P/consumer/C/version/1", write),
            (
                "POST",
                "/pacts/provider/P/consumer/C/pact-version/abc/verification-results",
                write,
            ),
            ("POST", "/pacticipants", write),
            ("PATCH", "/pacticipants/P", write),
            ("PUT", "/pacticipants/P/versions/1/tags/prod", write),
            ("PUT", "/pacticipants/P/branches/main/versions/1", write),
            (
                "POST",
                "/pacticipants/P/versions/1/deployed-versions/environment/u",
                write,
            ),
            ("PATCH", "/deployed-versions/u", write),
            ("PATCH", "/released-versions/u", write),
            ("DELETE", "/pacticipants/P", admin),
            ("DELETE", "/pacticipants/P/versions/1/tags/prod", admin),
            ("POST", "/environments", admin),
            ("PUT", "/environments/u", admin),
            ("DELETE", "/environments/u", admin),
            ("POST", "/webhooks", admin),
            ("GET", "/tokens", admin),
            ("POST", "/tokens", admin),
            ("DELETE", "/tokens/ci", admin),
            ("GET", "/tokensmith", read),
            // What the router sees: `%74okens` arrives here decoded, as `/tokens`.
            ("POST", "/tokens", admin),
            ("POST", "/environmentsx", write),
        ];
        for (method, path, expected) in table {
            assert_eq!(required_role(method, path), expected, "{method} {path}");
        }
    }

    #[test]
    fn decisions_follow_the_mode_the_caller_and_the_role() {
        let known = |role| Caller::Known {
            name: "ci".to_owned(),
            role,
        };
        let closed = Mode::Enforced { public_read: false };
        let public = Mode::Enforced { public_read: true };
        let rejected = Caller::Rejected("bad token".to_owned());
        use Decision::{Allow, Forbidden, Unauthorized};
        let kind = |decision: Decision| match decision {
            Allow => "allow",
            Unauthorized(_) => "401",
            Forbidden(_) => "403",
            Decision::Throttled(_) => "429",
        };
        let table = [
            (None, Caller::Anonymous, closed, "allow"),
            (Some(Role::Admin), Caller::Anonymous, Mode::Open, "allow"),
            (Some(Role::Admin), rejected.clone(), Mode::Open, "allow"),
            (Some(Role::Read), Caller::Anonymous, closed, "401"),
            (Some(Role::Read), Caller::Anonymous, public, "allow"),
            (Some(Role::Write), Caller::Anonymous, public, "401"),
            (Some(Role::Read), rejected.clone(), public, "401"),
            (Some(Role::Read), known(Role::Read), closed, "allow"),
            (Some(Role::Write), known(Role::Read), closed, "403"),
            (Some(Role::Write), known(Role::Write), closed, "allow"),
            (Some(Role::Admin), known(Role::Write), closed, "403"),
            (Some(Role::Admin), known(Role::Admin), closed, "allow"),
            (Some(Role::Read), known(Role::Admin), closed, "allow"),
        ];
        for (required, caller, mode, expected) in table {
            let decision = decide(required, &caller, mode, "GET /x");
            assert_eq!(kind(decision), expected, "{required:?} {caller:?} {mode:?}");
        }
    }

    #[test]
    fn refusals_say_what_to_send_and_which_role_is_missing() {
        let closed = Mode::Enforced { public_read: false };
        let Decision::Unauthorized(message) =
            decide(Some(Role::Read), &Caller::Anonymous, closed, "GET /matrix")
        else {
            panic!("expected a 401");
        };
        assert!(
            message.contains("GET /matrix needs credentials"),
            "{message}"
        );
        assert!(message.contains("--broker-token"), "{message}");
        let caller = Caller::Known {
            name: "ci".to_owned(),
            role: Role::Read,
        };
        let Decision::Forbidden(message) = decide(
            Some(Role::Write),
            &caller,
            closed,
            "POST /contracts/publish",
        ) else {
            panic!("expected a 403");
        };
        assert_eq!(
            message,
            "`ci` has the read role and POST /contracts/publish needs the write role: use \
             credentials with the write role"
        );
    }

    #[test]
    fn basic_users_map_to_their_roles() {
        let user = |name: &str, password: &str| {
            Some(BasicUser {
                username: name.to_owned(),
                password: password.to_owned(),
            })
        };
        let policy = AccessPolicy {
            read_write: user("rw", "secret"),
            read_only: user("ro", "other"),
            allow_public_read: false,
        };
        let role_of = |caller: Caller| match caller {
            Caller::Known { role, .. } => Some(role),
            _ => None,
        };
        assert_eq!(
            role_of(policy.basic_caller("rw", "secret")),
            Some(Role::Admin)
        );
        assert_eq!(
            role_of(policy.basic_caller("ro", "other")),
            Some(Role::Read)
        );
        assert_eq!(role_of(policy.basic_caller("ro", "secret")), None);
        assert_eq!(role_of(policy.basic_caller("rw", "")), None);
        assert_eq!(role_of(policy.basic_caller("", "")), None);
        assert_eq!(
            format!("{:?}", policy.read_write),
            "Some(BasicUser { username: \"rw\", password: \"<redacted>\" })"
        );
    }

    #[test]
    fn roles_parse_from_their_names_only() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("Admin").is_err());
        assert!(Role::parse("").is_err());
    }
}
