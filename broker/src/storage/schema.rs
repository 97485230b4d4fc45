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

diesel::table! {
    /// The newest publication per integration overall (`latest`), per consumer branch (`branch`)
    /// and per consumer tag (`tag`), maintained in the writing transaction.
    pact_heads (id) {
        id -> BigInt,
        provider_id -> BigInt,
        consumer_id -> BigInt,
        scope -> Text,
        scope_name -> Text,
        consumer_version_id -> BigInt,
        publication_id -> BigInt,
        content_id -> BigInt,
        updated_at -> Text,
    }
}

diesel::table! {
    /// The newest version of a pacticipant per branch and per tag, with or without a pact.
    version_heads (id) {
        id -> BigInt,
        pacticipant_id -> BigInt,
        scope -> Text,
        scope_name -> Text,
        version_id -> BigInt,
        updated_at -> Text,
    }
}

diesel::table! {
    /// A provider version's verification of a content for one integration.
    verifications (id) {
        id -> BigInt,
        consumer_id -> BigInt,
        provider_id -> BigInt,
        content_id -> BigInt,
        provider_version_id -> BigInt,
        number -> BigInt,
        success -> Bool,
        wip -> Bool,
        build_url -> Nullable<Text>,
        test_results -> Nullable<Text>,
        verified_by -> Nullable<Text>,
        created_at -> Text,
    }
}

diesel::table! {
    /// Environments versions are deployed or released to.
    environments (id) {
        id -> BigInt,
        uuid -> Text,
        name -> Text,
        display_name -> Nullable<Text>,
        production -> Bool,
        contacts -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    /// Versions deployed to an environment (optionally as an application instance).
    deployed_versions (id) {
        id -> BigInt,
        uuid -> Text,
        pacticipant_id -> BigInt,
        version_id -> BigInt,
        environment_id -> BigInt,
        application_instance -> Nullable<Text>,
        currently_deployed -> Bool,
        created_at -> Text,
        undeployed_at -> Nullable<Text>,
    }
}

diesel::table! {
    /// Versions released to an environment.
    released_versions (id) {
        id -> BigInt,
        uuid -> Text,
        pacticipant_id -> BigInt,
        version_id -> BigInt,
        environment_id -> BigInt,
        currently_supported -> Bool,
        created_at -> Text,
        support_ended_at -> Nullable<Text>,
    }
}

diesel::joinable!(versions -> pacticipants (pacticipant_id));
diesel::joinable!(branches -> pacticipants (pacticipant_id));
diesel::joinable!(branch_versions -> branches (branch_id));
diesel::joinable!(branch_versions -> versions (version_id));
diesel::joinable!(tags -> versions (version_id));
diesel::joinable!(publications -> versions (consumer_version_id));
diesel::joinable!(publications -> contents (content_id));
diesel::joinable!(pact_heads -> publications (publication_id));
diesel::joinable!(pact_heads -> contents (content_id));
diesel::joinable!(pact_heads -> versions (consumer_version_id));
diesel::joinable!(version_heads -> versions (version_id));
diesel::joinable!(verifications -> contents (content_id));
diesel::joinable!(verifications -> versions (provider_version_id));
diesel::joinable!(deployed_versions -> versions (version_id));
diesel::joinable!(deployed_versions -> environments (environment_id));
diesel::joinable!(released_versions -> versions (version_id));
diesel::joinable!(released_versions -> environments (environment_id));

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        name -> Text,
        role -> Text,
        public_key -> Text,
        salt -> Text,
        secret_hash -> Text,
        created_at -> Text,
        last_used_at -> Nullable<Text>,
    }
}

diesel::table! {
    /// Webhooks: events, scope and request template.
    webhooks (id) {
        id -> BigInt,
        uuid -> Text,
        description -> Nullable<Text>,
        consumer_name -> Nullable<Text>,
        consumer_label -> Nullable<Text>,
        provider_name -> Nullable<Text>,
        provider_label -> Nullable<Text>,
        events -> Text,
        request -> Text,
        enabled -> Bool,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    /// Triggered webhooks, delivered at least once.
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        event_name -> Text,
        variables -> Text,
        status -> Text,
        attempt_count -> Integer,
        next_attempt_at -> Text,
        claim_token -> Nullable<Text>,
        claimed_until -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    /// Every attempt to deliver a webhook.
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        number -> Integer,
        started_at -> Text,
        duration_ms -> BigInt,
        success -> Bool,
        response_status -> Nullable<Integer>,
        response_excerpt -> Nullable<Text>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    /// Provider versions that must verify a content, and when they did.
    required_verifications (id) {
        id -> BigInt,
        consumer_id -> BigInt,
        provider_id -> BigInt,
        content_id -> BigInt,
        consumer_version_id -> BigInt,
        provider_version_id -> BigInt,
        descriptions -> Text,
        created_at -> Text,
        verified_at -> Nullable<Text>,
    }
}

diesel::table! {
    /// Labels on pacticipants.
    pacticipant_labels (id) {
        id -> BigInt,
        pacticipant_id -> BigInt,
        name -> Text,
        created_at -> Text,
    }
}

diesel::joinable!(pacticipant_labels -> pacticipants (pacticipant_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(required_verifications -> contents (content_id));

diesel::allow_tables_to_appear_in_same_query!(
    pacticipants,
    versions,
    branches,
    branch_versions,
    tags,
    contents,
    publications,
    pact_heads,
    version_heads,
    verifications,
    environments,
    deployed_versions,
    released_versions,
    webhooks,
    webhook_deliveries,
    webhook_attempts,
    required_verifications,
    pacticipant_labels,
);
