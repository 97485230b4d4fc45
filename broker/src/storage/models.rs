//! Row structs, one per table, as loaded from and written to the database.
//!
//! Every struct is checked against both backends so that a column type mismatch fails here, at
//! the struct, rather than at a query far away.

use diesel::prelude::*;

use crate::storage::schema::{
    api_tokens, branch_versions, branches, contents, deployed_versions, environments, pact_heads,
    pacticipant_labels, pacticipants, publications, released_versions, required_verifications,
    tags, verifications, version_heads, versions, webhook_attempts, webhook_deliveries, webhooks,
};

/// A pacticipant (consumer or provider).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = pacticipants, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct PacticipantRow {
    /// Primary key.
    pub id: i64,
    /// Unique, case-sensitive name.
    pub name: String,
    /// Optional human name.
    pub display_name: Option<String>,
    /// Optional source repository URL.
    pub repository_url: Option<String>,
    /// Optional main branch name.
    pub main_branch: Option<String>,
    /// RFC 3339 UTC creation time.
    pub created_at: String,
    /// RFC 3339 UTC time of the last change.
    pub updated_at: String,
}

/// A new pacticipant.
#[derive(Debug, Insertable)]
#[diesel(table_name = pacticipants)]
pub struct NewPacticipant<'a> {
    /// Unique name.
    pub name: &'a str,
    /// Optional human name.
    pub display_name: Option<&'a str>,
    /// Optional repository URL.
    pub repository_url: Option<&'a str>,
    /// Optional main branch.
    pub main_branch: Option<&'a str>,
    /// Creation time.
    pub created_at: &'a str,
    /// Same as `created_at` on insert.
    pub updated_at: &'a str,
}

/// A version of a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = versions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct VersionRow {
    /// Primary key; also the creation order.
    pub id: i64,
    /// Owning pacticipant.
    pub pacticipant_id: i64,
    /// Version number as given by the client.
    pub number: String,
    /// Optional CI build URL.
    pub build_url: Option<String>,
    /// Creation time.
    pub created_at: String,
}

/// A branch of a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = branches, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct BranchRow {
    /// Primary key.
    pub id: i64,
    /// Owning pacticipant.
    pub pacticipant_id: i64,
    /// Branch name.
    pub name: String,
    /// Creation time.
    pub created_at: String,
}

/// A version's membership of a branch.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = branch_versions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct BranchVersionRow {
    /// Primary key.
    pub id: i64,
    /// The branch.
    pub branch_id: i64,
    /// The version.
    pub version_id: i64,
    /// When the version joined the branch.
    pub created_at: String,
}

/// A tag on a version.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tags, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct TagRow {
    /// Primary key.
    pub id: i64,
    /// The tagged version.
    pub version_id: i64,
    /// Tag name.
    pub name: String,
    /// Creation time.
    pub created_at: String,
}

/// A contract's content, stored once per content hash.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = contents, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ContentRow {
    /// Primary key.
    pub id: i64,
    /// Content hash (`treaty_schemas::content_hash`).
    pub sha: String,
    /// The JSON document as first published.
    pub content: String,
    /// Creation time.
    pub created_at: String,
}

/// A consumer version's contract with a provider.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = publications, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct PublicationRow {
    /// Primary key.
    pub id: i64,
    /// The consumer version.
    pub consumer_version_id: i64,
    /// The provider pacticipant.
    pub provider_id: i64,
    /// The content.
    pub content_id: i64,
    /// 1 for the first publication, +1 per merge or overwrite.
    pub revision: i64,
    /// Creation time.
    pub created_at: String,
}

/// The newest publication of an integration in a scope (`latest`, a consumer branch, a tag).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = pact_heads, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct PactHeadRow {
    /// Primary key.
    pub id: i64,
    /// The provider.
    pub provider_id: i64,
    /// The consumer.
    pub consumer_id: i64,
    /// `latest`, `branch` or `tag`.
    pub scope: String,
    /// `""` for `latest`; the branch or tag name otherwise.
    pub scope_name: String,
    /// The newest consumer version in the scope with a pact for the provider.
    pub consumer_version_id: i64,
    /// Its newest publication (revision).
    pub publication_id: i64,
    /// That publication's content.
    pub content_id: i64,
    /// When the head last moved.
    pub updated_at: String,
}

/// The newest version of a pacticipant on a branch or with a tag.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = version_heads, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct VersionHeadRow {
    /// Primary key.
    pub id: i64,
    /// The pacticipant.
    pub pacticipant_id: i64,
    /// `branch` or `tag`.
    pub scope: String,
    /// The branch or tag name.
    pub scope_name: String,
    /// The newest version in the scope.
    pub version_id: i64,
    /// When the head last moved.
    pub updated_at: String,
}

/// A verification result.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = verifications, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct VerificationRow {
    /// Primary key; also the order in which results arrived.
    pub id: i64,
    /// The consumer of the integration.
    pub consumer_id: i64,
    /// The provider of the integration.
    pub provider_id: i64,
    /// The verified content.
    pub content_id: i64,
    /// The provider version that verified it.
    pub provider_version_id: i64,
    /// 1, 2, … per (consumer, provider, content); appears in the result's URL.
    pub number: i64,
    /// Whether the verification passed.
    pub success: bool,
    /// Whether the content was verified as a work-in-progress pact.
    pub wip: bool,
    /// The provider's CI build URL.
    pub build_url: Option<String>,
    /// The `testResults` JSON as posted.
    pub test_results: Option<String>,
    /// The `verifiedBy` JSON as posted.
    pub verified_by: Option<String>,
    /// When the result was published.
    pub created_at: String,
}

/// An environment.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = environments, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct EnvironmentRow {
    /// Primary key.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// Unique name.
    pub name: String,
    /// Human name.
    pub display_name: Option<String>,
    /// Whether this is a production environment.
    pub production: bool,
    /// The `contacts` JSON array.
    pub contacts: Option<String>,
    /// Creation time.
    pub created_at: String,
    /// Time of the last change.
    pub updated_at: String,
}

/// A version deployed to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = deployed_versions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct DeployedVersionRow {
    /// Primary key.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// The pacticipant.
    pub pacticipant_id: i64,
    /// The deployed version.
    pub version_id: i64,
    /// The environment.
    pub environment_id: i64,
    /// The application instance, if several run side by side.
    pub application_instance: Option<String>,
    /// Whether it is still deployed.
    pub currently_deployed: bool,
    /// When the deployment was recorded.
    pub created_at: String,
    /// When it was undeployed.
    pub undeployed_at: Option<String>,
}

/// A version released to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = released_versions, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ReleasedVersionRow {
    /// Primary key.
    pub id: i64,
    /// Public identifier.
    pub uuid: String,
    /// The pacticipant.
    pub pacticipant_id: i64,
    /// The released version.
    pub version_id: i64,
    /// The environment.
    pub environment_id: i64,
    /// Whether it is still supported.
    pub currently_supported: bool,
    /// When the release was recorded.
    pub created_at: String,
    /// When its support ended.
    pub support_ended_at: Option<String>,
}

/// A bearer token: its name, role and the salted hash of its secret (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct ApiTokenRow {
    /// Primary key.
    pub id: i64,
    /// Unique name chosen by the operator.
    pub name: String,
    /// `read`, `write` or `admin`.
    pub role: String,
    /// The token's public part, by which it is looked up.
    pub public_key: String,
    /// Random salt, hex.
    pub salt: String,
    /// SHA-256 of salt and secret, hex.
    pub secret_hash: String,
    /// Creation time.
    pub created_at: String,
    /// When a request last used it, to the minute.
    pub last_used_at: Option<String>,
}

/// A webhook as stored: its scope by name or label, its events and request template as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhooks, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct WebhookRow {
    /// Primary key.
    pub id: i64,
    /// The public identifier, in its URL.
    pub uuid: String,
    /// What it is for.
    pub description: Option<String>,
    /// The consumer it is limited to, by name.
    pub consumer_name: Option<String>,
    /// The consumers it is limited to, by label.
    pub consumer_label: Option<String>,
    /// The provider it is limited to, by name.
    pub provider_name: Option<String>,
    /// The providers it is limited to, by label.
    pub provider_label: Option<String>,
    /// The event names, as a JSON array of strings.
    pub events: String,
    /// The request template, as JSON.
    pub request: String,
    /// Whether events trigger it.
    pub enabled: bool,
    /// Creation time.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// A triggered webhook waiting for, or done with, delivery.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct WebhookDeliveryRow {
    /// Primary key.
    pub id: i64,
    /// The webhook.
    pub webhook_id: i64,
    /// The event that triggered it.
    pub event_name: String,
    /// The template variables of that event, as a JSON object.
    pub variables: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made so far.
    pub attempt_count: i32,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: String,
    /// The claim of the worker sending it now, if any.
    pub claim_token: Option<String>,
    /// Until when that claim holds.
    pub claimed_until: Option<String>,
    /// When the event happened.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

/// One attempt to deliver a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_attempts, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct WebhookAttemptRow {
    /// Primary key.
    pub id: i64,
    /// The delivery.
    pub delivery_id: i64,
    /// 1, 2, … per delivery.
    pub number: i32,
    /// When it started.
    pub started_at: String,
    /// How long it took.
    pub duration_ms: i64,
    /// Whether the receiver answered 2xx.
    pub success: bool,
    /// The receiver's status, if it answered.
    pub response_status: Option<i32>,
    /// The start of the receiver's body.
    pub response_excerpt: Option<String>,
    /// Why it failed, when it did not get a 2xx.
    pub error: Option<String>,
}

/// A provider version that must verify a content.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = required_verifications, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct RequiredVerificationRow {
    /// Primary key.
    pub id: i64,
    /// The consumer.
    pub consumer_id: i64,
    /// The provider.
    pub provider_id: i64,
    /// The content to verify.
    pub content_id: i64,
    /// The consumer version whose publication required it.
    pub consumer_version_id: i64,
    /// The provider version that must verify.
    pub provider_version_id: i64,
    /// Why, as a JSON array of strings (`latest from main branch`, `deployed in prod`).
    pub descriptions: String,
    /// When it became required.
    pub created_at: String,
    /// When that provider version verified the content.
    pub verified_at: Option<String>,
}

/// A label on a pacticipant.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = pacticipant_labels, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub struct LabelRow {
    /// Primary key.
    pub id: i64,
    /// The pacticipant.
    pub pacticipant_id: i64,
    /// The label.
    pub name: String,
    /// Creation time.
    pub created_at: String,
}
