//! The database schema as diesel sees it, identical for SQLite and PostgreSQL.
//!
//! Generated with `diesel print-schema` (see `broker/README.md`), then ids mapped to `BigInt` on
//! both backends; regenerate rather than hand-edit, and keep the migrations the source of truth.

diesel::table! {
    /// Consumers and providers.
    pacticipants (id) {
        id -> BigInt,
        name -> Text,
        display_name -> Nullable<Text>,
        repository_url -> Nullable<Text>,
        main_branch -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    /// Versions of a pacticipant, ordered by creation (`id`).
    versions (id) {
        id -> BigInt,
        pacticipant_id -> BigInt,
        number -> Text,
        build_url -> Nullable<Text>,
        created_at -> Text,
    }
}

diesel::table! {
    /// Branches of a pacticipant.
    branches (id) {
        id -> BigInt,
        pacticipant_id -> BigInt,
        name -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    /// Which versions belong to which branch.
    branch_versions (id) {
        id -> BigInt,
        branch_id -> BigInt,
        version_id -> BigInt,
        created_at -> Text,
    }
}

diesel::table! {
    /// Tags on versions.
    tags (id) {
        id -> BigInt,
        version_id -> BigInt,
        name -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    /// Contract contents, stored once per content hash.
    contents (id) {
        id -> BigInt,
        sha -> Text,
        content -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    /// A consumer version's contract with a provider; the newest revision counts.
    publications (id) {
        id -> BigInt,
        consumer_version_id -> BigInt,
        provider_id -> BigInt,
        content_id -> BigInt,
        revision -> BigInt,
        created_at -> Text,
    }
}

diesel::joinable!(versions -> pacticipants (pacticipant_id));
diesel::joinable!(branches -> pacticipants (pacticipant_id));
diesel::joinable!(branch_versions -> branches (branch_id));
diesel::joinable!(branch_versions -> versions (version_id));
diesel::joinable!(tags -> versions (version_id));
diesel::joinable!(publications -> versions (consumer_version_id));
diesel::joinable!(publications -> contents (content_id));

diesel::allow_tables_to_appear_in_same_query!(
    pacticipants,
    versions,
    branches,
    branch_versions,
    tags,
    contents,
    publications,
);
