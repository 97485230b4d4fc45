//! The OpenAPI 3.1 description of the whole HTTP API, served at `GET /openapi.json`. Built
//! from [`OPERATIONS`], one row per route; a test in `broker/tests/it/openapi.rs` compares the
//! rows with the route table in `http::configure`, so neither can change without the other.
//!
//! Schemas say what every answer of a kind is sure to hold (HAL bodies are objects with
//! `_links`; errors carry `error` or `errors`), not every field: the Pact Broker's shapes are
//! documented in docs/API-DESIGN.md and pinned by the Pact clients' own contracts.

use actix_web::HttpResponse;
use serde_json::{Map, Value, json};

use crate::http::hal::ok;

/// What a request sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// Nothing.
    None,
    /// JSON matching the named component schema.
    Json(&'static str),
    /// Optionally JSON matching the named schema (an empty body is fine too).
    OptionalJson(&'static str),
    /// `application/merge-patch+json` matching the named schema.
    MergePatch(&'static str),
}

/// What a successful answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 200 with the named schema.
    Ok(&'static str),
    /// 200 or 201 (created) with the named schema.
    OkOrCreated(&'static str),
    /// 201 with the named schema.
    Created(&'static str),
    /// 204, no body.
    NoContent,
    /// 200 with the metrics text.
    Metrics,
}

/// One route: method, path template, summary, body, answer.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// `get`, `post`, `put`, `patch` or `delete`.
    pub method: &'static str,
    /// The path template, as in the route table.
    pub path: &'static str,
    /// One line.
    pub summary: &'static str,
    /// The request body.
    pub body: Body,
    /// The success answer.
    pub answer: Answer,
    /// Query parameters (all optional strings; `[]` ones repeatable).
    pub query: &'static [&'static str],
}

const fn op(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    body: Body,
    answer: Answer,
) -> Operation {
    Operation {
        method,
        path,
        summary,
        body,
        answer,
        query: &[],
    }
}

const MATRIX_QUERY: &[&str] = &[
    "q[][pacticipant]",
    "q[][version]",
    "q[][branch]",
    "q[][latest]",
    "q[][tag]",
    "q[][mainBranch]",
    "q[][environment]",
    "ignore[][pacticipant]",
    "ignore[][version]",
    "latestby",
    "environment",
    "tag",
    "latest",
    "mainBranch",
    "success",
    "limit",
];

const CAN_I_DEPLOY_QUERY: &[&str] = &["pacticipant", "version", "environment", "to", "ignore[]"];

use Answer::{Created, Metrics, NoContent, Ok as Okay, OkOrCreated};
use Body::{Json, MergePatch, None as Empty, OptionalJson};

/// Every route the broker answers (the default 404 aside).
pub const OPERATIONS: &[Operation] = &[
    op(
        "get",
        "/",
        "The index: the HAL relations clients discover",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/health",
        "200 while the process runs",
        Empty,
        Okay("Status"),
    ),
    op(
        "get",
        "/ready",
        "200 while the database answers, 503 otherwise",
        Empty,
        Okay("Status"),
    ),
    op(
        "get",
        "/metrics",
        "Prometheus metrics (OpenMetrics text)",
        Empty,
        Metrics,
    ),
    op(
        "get",
        "/openapi.json",
        "This description",
        Empty,
        Okay("Object"),
    ),
    op(
        "post",
        "/contracts/publish",
        "Publish a consumer version's contracts",
        Json("PublishContracts"),
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/latest",
        "The latest pact of every integration",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/latest",
        "The latest pact of each of a provider's consumers",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/for-verification",
        "Pacts for verification, default selectors",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/pacts/provider/{provider}/for-verification",
        "Pacts for verification",
        Json("PactsForVerification"),
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}",
        "Every pact of a provider",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/tag/{tag}",
        "A provider's pacts by consumer tag",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/latest/{tag}",
        "A provider's latest pacts by consumer tag",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/branch",
        "A provider's pacts on its consumers' main branches",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/branch/latest",
        "The latest of those",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/branch/{branch}",
        "A provider's pacts on a consumer branch",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/branch/{branch}/latest",
        "The latest of those",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/versions",
        "One consumer's pacts on its main branch",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions",
        "The latest of those",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}",
        "One consumer's pacts on a branch",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions",
        "The latest of those",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
        "A consumer version's pact",
        Empty,
        Okay("Pact"),
    ),
    op(
        "put",
        "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
        "Publish a pact (the old way)",
        Json("PactDocument"),
        OkOrCreated("Pact"),
    ),
    op(
        "patch",
        "/pacts/provider/{provider}/consumer/{consumer}/version/{version}",
        "Merge interactions into a pact",
        Json("PactDocument"),
        OkOrCreated("Pact"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/latest",
        "The latest pact of an integration",
        Empty,
        Okay("Pact"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/latest/{tag}",
        "The latest pact with a consumer tag",
        Empty,
        Okay("Pact"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest",
        "The latest pact on a consumer branch",
        Empty,
        Okay("Pact"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}",
        "A pact by content",
        Empty,
        Okay("Pact"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}",
        "A pact by content, with verification metadata",
        Empty,
        Okay("Pact"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results",
        "A pact version's verification results",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results",
        "Publish a verification result",
        Json("VerificationResult"),
        Created("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}/verification-results",
        "The same results",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}/verification-results",
        "Publish a verification result (with metadata)",
        Json("VerificationResult"),
        Created("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results/{number}",
        "A verification result by number or `latest`",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}/verification-results/{number}",
        "The same result",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/versions/{version}/verification-results",
        "A provider version's verification results",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants",
        "Every pacticipant",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/pacticipants",
        "Create a pacticipant",
        Json("Pacticipant"),
        Created("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}",
        "A pacticipant",
        Empty,
        Okay("Hal"),
    ),
    op(
        "patch",
        "/pacticipants/{pacticipant}",
        "Update (or create) a pacticipant",
        Json("Pacticipant"),
        OkOrCreated("Hal"),
    ),
    op(
        "put",
        "/pacticipants/{pacticipant}",
        "Replace a pacticipant",
        Json("Pacticipant"),
        OkOrCreated("Hal"),
    ),
    op(
        "delete",
        "/pacticipants/{pacticipant}",
        "Delete a pacticipant and all it has",
        Empty,
        NoContent,
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/versions",
        "A pacticipant's versions",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/versions/{version}",
        "A version",
        Empty,
        Okay("Hal"),
    ),
    op(
        "put",
        "/pacticipants/{pacticipant}/versions/{version}",
        "Create or update a version",
        Json("Version"),
        OkOrCreated("Hal"),
    ),
    op(
        "patch",
        "/pacticipants/{pacticipant}/versions/{version}",
        "Create or update a version",
        Json("Version"),
        OkOrCreated("Hal"),
    ),
    op(
        "delete",
        "/pacticipants/{pacticipant}/versions/{version}",
        "Delete a version",
        Empty,
        NoContent,
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/latest-version",
        "The latest version",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/latest-version/{tag}",
        "The latest version with a tag",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
        "A tag",
        Empty,
        Okay("Hal"),
    ),
    op(
        "put",
        "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
        "Tag a version",
        Empty,
        OkOrCreated("Hal"),
    ),
    op(
        "delete",
        "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
        "Remove a tag",
        Empty,
        NoContent,
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/branches",
        "A pacticipant's branches",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/branches/{branch}",
        "A branch",
        Empty,
        Okay("Hal"),
    ),
    op(
        "delete",
        "/pacticipants/{pacticipant}/branches/{branch}",
        "Delete a branch",
        Empty,
        NoContent,
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/branches/{branch}/versions",
        "A branch's versions",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
        "A version on a branch",
        Empty,
        Okay("Hal"),
    ),
    op(
        "put",
        "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
        "Add a version to a branch",
        Empty,
        OkOrCreated("Hal"),
    ),
    Operation {
        query: MATRIX_QUERY,
        ..op("get", "/matrix", "The matrix", Empty, Okay("Matrix"))
    },
    Operation {
        query: CAN_I_DEPLOY_QUERY,
        ..op(
            "get",
            "/can-i-deploy",
            "Can a version be deployed to an environment",
            Empty,
            Okay("Matrix"),
        )
    },
    Operation {
        query: &["name"],
        ..op(
            "get",
            "/environments",
            "Every environment (filter by name)",
            Empty,
            Okay("Hal"),
        )
    },
    op(
        "post",
        "/environments",
        "Create an environment",
        Json("Environment"),
        Created("Hal"),
    ),
    op(
        "get",
        "/environments/{uuid}",
        "An environment",
        Empty,
        Okay("Hal"),
    ),
    op(
        "put",
        "/environments/{uuid}",
        "Replace an environment",
        Json("Environment"),
        Okay("Hal"),
    ),
    op(
        "delete",
        "/environments/{uuid}",
        "Delete an environment and its records",
        Empty,
        NoContent,
    ),
    Operation {
        query: &["pacticipant", "applicationInstance"],
        ..op(
            "get",
            "/environments/{uuid}/deployed-versions/currently-deployed",
            "Versions deployed in an environment now",
            Empty,
            Okay("Hal"),
        )
    },
    Operation {
        query: &["pacticipant"],
        ..op(
            "get",
            "/environments/{uuid}/released-versions/currently-supported",
            "Versions supported in an environment now",
            Empty,
            Okay("Hal"),
        )
    },
    op(
        "get",
        "/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{uuid}",
        "A version's deployments to an environment",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{uuid}",
        "Record a deployment",
        OptionalJson("Deployment"),
        Created("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{uuid}",
        "A version's releases to an environment",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{uuid}",
        "Record a release",
        Empty,
        OkOrCreated("Hal"),
    ),
    op(
        "get",
        "/deployed-versions/{uuid}",
        "A deployment record",
        Empty,
        Okay("Hal"),
    ),
    op(
        "patch",
        "/deployed-versions/{uuid}",
        "Record an undeployment (currentlyDeployed: false)",
        MergePatch("DeployedPatch"),
        Okay("Hal"),
    ),
    op(
        "get",
        "/released-versions/{uuid}",
        "A release record",
        Empty,
        Okay("Hal"),
    ),
    op(
        "patch",
        "/released-versions/{uuid}",
        "Record support ended (currentlySupported: false)",
        MergePatch("ReleasedPatch"),
        Okay("Hal"),
    ),
    op(
        "get",
        "/pacticipants/{pacticipant}/labels/{label}",
        "A label of a pacticipant",
        Empty,
        Okay("Hal"),
    ),
    op(
        "put",
        "/pacticipants/{pacticipant}/labels/{label}",
        "Label a pacticipant (webhooks can be scoped by label)",
        OptionalJson("Object"),
        OkOrCreated("Hal"),
    ),
    op(
        "delete",
        "/pacticipants/{pacticipant}/labels/{label}",
        "Remove a label",
        Empty,
        NoContent,
    ),
    op(
        "get",
        "/pacticipants/label/{label}",
        "The pacticipants with a label",
        Empty,
        Okay("Hal"),
    ),
    op(
        "get",
        "/webhooks",
        "Every webhook (links and embedded resources)",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/webhooks",
        "Create a webhook (admin)",
        Json("Webhook"),
        Created("Hal"),
    ),
    op(
        "get",
        "/webhooks/provider/{provider}/consumer/{consumer}",
        "The webhooks of one consumer and provider",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/webhooks/provider/{provider}/consumer/{consumer}",
        "Create a webhook for one consumer and provider (admin)",
        Json("Webhook"),
        Created("Hal"),
    ),
    op(
        "get",
        "/webhooks/{uuid}",
        "A webhook, secrets redacted",
        Empty,
        Okay("Hal"),
    ),
    op(
        "put",
        "/webhooks/{uuid}",
        "Create or replace a webhook (admin)",
        Json("Webhook"),
        OkOrCreated("Hal"),
    ),
    op(
        "delete",
        "/webhooks/{uuid}",
        "Delete a webhook and its deliveries (admin)",
        Empty,
        NoContent,
    ),
    op(
        "post",
        "/webhooks/{uuid}/execute",
        "Send the webhook once now with the latest pact (admin); 502 when the target fails",
        OptionalJson("Object"),
        Okay("Hal"),
    ),
    op(
        "get",
        "/webhooks/{uuid}/deliveries",
        "The webhook's newest deliveries and every attempt",
        Empty,
        Okay("Object"),
    ),
    Operation {
        query: &["limit"],
        ..op(
            "get",
            "/verifications/overdue",
            "Required verifications still missing after --verification-overdue-after",
            Empty,
            Okay("Hal"),
        )
    },
    op(
        "get",
        "/tokens",
        "Every token (admin), never secrets",
        Empty,
        Okay("Hal"),
    ),
    op(
        "post",
        "/tokens",
        "Create a token (admin); the answer holds it, once",
        Json("TokenRequest"),
        Created("Hal"),
    ),
    op(
        "get",
        "/tokens/{name}",
        "A token (admin)",
        Empty,
        Okay("Hal"),
    ),
    op(
        "delete",
        "/tokens/{name}",
        "Revoke a token (admin)",
        Empty,
        NoContent,
    ),
];

fn schemas() -> Value {
    let string = json!({ "type": "string" });
    json!({
        "Object": { "type": "object" },
        "Hal": { "type": "object", "properties": { "_links": { "type": "object" } } },
        "Status": { "type": "object", "required": ["status"], "properties": { "status": string } },
        "Error": {
            "type": "object",
            "description": "`error`: one message; `errors`: messages by field, or a list (matrix)",
            "anyOf": [{ "required": ["error"] }, { "required": ["errors"] }],
        },
        "Pact": {
            "type": "object",
            "required": ["consumer", "provider"],
            "properties": {
                "consumer": { "type": "object", "properties": { "name": string } },
                "provider": { "type": "object", "properties": { "name": string } },
                "_links": { "type": "object" },
            },
        },
        "PactDocument": {
            "type": "object",
            "required": ["consumer", "provider"],
            "properties": {
                "consumer": { "type": "object", "required": ["name"], "properties": { "name": string } },
                "provider": { "type": "object", "required": ["name"], "properties": { "name": string } },
                "interactions": { "type": "array", "items": { "type": "object" } },
                "metadata": { "type": "object" },
            },
        },
        "PublishContracts": {
            "type": "object",
            "required": ["pacticipantName", "pacticipantVersionNumber", "contracts"],
            "properties": {
                "pacticipantName": string,
                "pacticipantVersionNumber": string,
                "branch": string,
                "tags": { "type": "array", "items": string },
                "buildUrl": string,
                "contracts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["consumerName", "providerName", "specification", "contentType", "content"],
                        "properties": {
                            "consumerName": string,
                            "providerName": string,
                            "specification": { "enum": ["pact"] },
                            "contentType": { "enum": ["application/json"] },
                            "content": { "type": "string", "description": "base64 of the pact document" },
                            "onConflict": { "enum": ["overwrite", "merge"] },
                        },
                    },
                },
            },
        },
        "PactsForVerification": {
            "type": "object",
            "properties": {
                "consumerVersionSelectors": { "type": "array", "items": { "type": "object" } },
                "providerVersionBranch": string,
                "providerVersionTags": { "type": "array", "items": string },
                "includePendingStatus": { "type": "boolean" },
                "includeWipPactsSince": string,
            },
        },
        "VerificationResult": {
            "type": "object",
            "required": ["success", "providerApplicationVersion"],
            "properties": {
                "success": { "type": "boolean" },
                "providerApplicationVersion": string,
                "buildUrl": string,
                "testResults": {},
            },
        },
        "Pacticipant": {
            "type": "object",
            "properties": {
                "name": string, "displayName": string, "repositoryUrl": string, "mainBranch": string,
            },
        },
        "Version": { "type": "object", "properties": { "branch": string, "buildUrl": string } },
        "Environment": {
            "type": "object",
            "required": ["name", "production"],
            "properties": {
                "name": string, "displayName": string, "production": { "type": "boolean" },
                "contacts": { "type": "array", "items": { "type": "object" } },
            },
        },
        "Deployment": { "type": "object", "properties": { "applicationInstance": string } },
        "DeployedPatch": { "type": "object", "properties": { "currentlyDeployed": { "type": "boolean" } } },
        "ReleasedPatch": { "type": "object", "properties": { "currentlySupported": { "type": "boolean" } } },
        "Webhook": {
            "type": "object",
            "required": ["request"],
            "properties": {
                "description": string,
                "consumer": { "type": "object", "properties": { "name": string, "label": string } },
                "provider": { "type": "object", "properties": { "name": string, "label": string } },
                "events": { "type": "array", "items": { "type": "object", "required": ["name"], "properties": { "name": { "enum": [
                    "contract_published", "contract_content_changed", "contract_requiring_verification_published",
                    "provider_verification_published", "provider_verification_succeeded", "provider_verification_failed",
                ] } } } },
                "request": {
                    "type": "object",
                    "required": ["method", "url"],
                    "properties": {
                        "method": string, "url": string,
                        "headers": { "type": "object", "additionalProperties": string },
                        "body": {}, "username": string, "password": string,
                    },
                },
                "enabled": { "type": "boolean" },
            },
        },
        "TokenRequest": {
            "type": "object",
            "required": ["name", "role"],
            "properties": { "name": string, "role": { "enum": ["read", "write", "admin"] } },
        },
        "Matrix": {
            "type": "object",
            "required": ["summary", "matrix"],
            "properties": {
                "summary": {
                    "type": "object",
                    "required": ["deployable", "reason"],
                    "properties": { "deployable": { "type": ["boolean", "null"] }, "reason": string },
                },
                "matrix": { "type": "array", "items": { "type": "object" } },
                "notices": { "type": "array", "items": { "type": "object" } },
            },
        },
    })
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_content(name: &str) -> Value {
    json!({
        "application/hal+json": { "schema": schema_ref(name) },
        "application/json": { "schema": schema_ref(name) },
    })
}

fn operation(entry: &Operation) -> Value {
    let mut parameters: Vec<Value> = entry
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    for name in entry.query {
        let schema = if name.contains("[]") {
            json!({ "type": "array", "items": { "type": "string" } })
        } else {
            json!({ "type": "string" })
        };
        parameters.push(json!({ "name": name, "in": "query", "required": false, "schema": schema, "style": "form", "explode": true }));
    }
    let mut responses = Map::new();
    let with_body = |description: &str, name: &str| json!({ "description": description, "content": json_content(name) });
    match entry.answer {
        Answer::Ok(name) => {
            responses.insert("200".into(), with_body("OK", name));
        }
        Answer::OkOrCreated(name) => {
            responses.insert("200".into(), with_body("Updated, or unchanged", name));
            responses.insert("201".into(), with_body("Created", name));
        }
        Answer::Created(name) => {
            responses.insert("201".into(), with_body("Created", name));
        }
        Answer::NoContent => {
            responses.insert("204".into(), json!({ "description": "Done" }));
        }
        Answer::Metrics => {
            responses.insert(
                "200".into(),
                json!({ "description": "Metrics", "content": { "application/openmetrics-text": { "schema": { "type": "string" } } } }),
            );
        }
    }
    responses.insert(
        "4XX".into(),
        json!({
            "description": "Bad input, missing credentials (401, with WWW-Authenticate), a role that may not (403), not found, a conflict, a body or head over its limit",
            "content": {
                "application/hal+json": { "schema": schema_ref("Error") },
                "application/json": { "schema": schema_ref("Error") },
                "application/problem+json": { "schema": { "type": "object" } },
            },
        }),
    );
    responses.insert(
        "503".into(),
        json!({ "description": "The database does not answer (Retry-After: 1)", "content": json_content(if entry.path == "/ready" { "Status" } else { "Error" }) }),
    );
    let mut body = json!({
        "summary": entry.summary,
        "operationId": format!("{}{}", entry.method, entry.path.replace(['/', '{', '}', '.', '-'], "_")),
        "responses": responses,
    });
    if !parameters.is_empty() {
        body["parameters"] = Value::Array(parameters);
    }
    match entry.body {
        Body::None => {}
        Body::Json(name) => {
            body["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": schema_ref(name) } } });
        }
        Body::OptionalJson(name) => {
            body["requestBody"] = json!({ "required": false, "content": { "application/json": { "schema": schema_ref(name) } } });
        }
        Body::MergePatch(name) => {
            body["requestBody"] = json!({ "required": true, "content": { "application/merge-patch+json": { "schema": schema_ref(name) } } });
        }
    }
    body
}

/// The whole description.
pub fn document() -> Value {
    let mut paths = Map::new();
    for entry in OPERATIONS {
        let item = paths.entry(entry.path).or_insert_with(|| json!({}));
        item[entry.method] = operation(entry);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Treaty broker",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The Pact Broker HTTP API as Treaty answers it, plus tokens, metrics and this description. Every request except /health and /ready needs credentials once any are configured.",
        },
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "basic": { "type": "http", "scheme": "basic" },
            },
        },
        "security": [{ "bearer": [] }, { "basic": [] }, {}],
        "paths": paths,
    })
}

/// `GET /openapi.json`.
pub async fn get_openapi() -> HttpResponse {
    ok(document())
}
