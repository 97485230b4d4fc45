//! Row structs, one per table, as loaded from and written to the database.
//!
//! Every struct is checked against both backends so that a column type mismatch fails here, at
//! the struct, rather than at a query far away.

use diesel::prelude::*;

use crate::storage::schema::{
    branch_versions, branches, contents, pacticipants, publications, tags, versions,
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
