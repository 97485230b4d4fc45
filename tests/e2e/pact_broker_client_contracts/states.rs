//! The provider states of the Pact Broker client's contract, as the Pact Broker's
//! `spec/service_consumers/shared_provider_states.rb` defines them, built through the broker's
//! HTTP API; a fixed UUID the API cannot choose is set with one `UPDATE` through
//! `treaty_broker::storage`.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use serde_json::{Value, json};
use treaty_broker::storage::AnyConnection;

use super::api::Api;

/// The environment UUIDs and the deployed-version UUID the states must have.
const TEST_ENVIRONMENT: &str = "cb632df3-0a0d-4227-aac3-60114dd36479";
const NAMED_ENVIRONMENT: &str = "16926ef3-590f-4e3f-838e-719717aa88c9";
const DEPLOYED_VERSION: &str = "ff3adecf-cfc5-4653-a4e3-f1861092f8e0";
/// The webhook the update interaction replaces.
const WEBHOOK: &str = "696c5f93-1b7f-44bc-8d03-59440fcaa9a0";
/// The version of Foo the environment states use.
const FOO_SHA: &str = "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30";

/// Handles one `{"state", "action"}` call: every call first removes what the states before
/// left; a setup then creates its state.
pub(super) fn change_state(broker: &str, database: &str, body: &[u8]) -> Result<(), String> {
    let call: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let api = Api { base: broker };
    api.clear()?;
    if call["action"] == "teardown" {
        return Ok(());
    }
    let state = call["state"].as_str().unwrap_or_default();
    set_up(&api, database, state)
}

/// Creates the named state (shared_provider_states.rb).
fn set_up(api: &Api<'_>, database: &str, state: &str) -> Result<(), String> {
    match state {
        // The index and "does not exist" states need nothing.
        "the pacticipant relations are present"
        | "the pb:environments relation exists in the index resource"
        | "the pb:latest-tagged-version relation exists in the index resource"
        | "the pb:latest-version relation exists in the index resource"
        | "the pb:pacticipant-branch relation exists in the index resource"
        | "the pb:pacticipant-version and pb:environments relations exist in the index resource"
        | "the pb:publish-contracts relations exists in the index resource"
        | "the 'Pricing Service' does not exist in the pact-broker"
        | "no pact between Condor and the Pricing Service exists"
        | "'Condor' does not exist in the pact-broker" => Ok(()),
        "an environment with name test and UUID 16926ef3-590f-4e3f-838e-719717aa88c9 exists" => api
            .environment("test", Some((database, NAMED_ENVIRONMENT)))
            .map(drop),
        "the pact for Foo Thing version 1.2.3 has been verified by Bar version 4.5.6" => {
            verified_then_newer_pact(api, "Foo Thing")
        }
        "the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6" => {
            verified_then_newer_pact(api, "Foo")
        }
        "the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 with tag prod, and 1.2.4 unsuccessfully by 9.9.9" =>
        {
            api.verify(&api.pact("Foo", "1.2.3", "Bar", 1)?, "4.5.6", true)?;
            api.tag("Bar", "4.5.6", "prod")?;
            api.verify(&api.pact("Foo", "1.2.4", "Bar", 2)?, "9.9.9", false)
        }
        "the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6 (tagged prod) and version 5.6.7" =>
        {
            let pact = api.pact("Foo", "1.2.3", "Bar", 1)?;
            api.verify(&pact, "4.5.6", true)?;
            api.tag("Bar", "4.5.6", "prod")?;
            api.verify(&pact, "5.6.7", true)
        }
        "the pact for Foo version 1.2.3 has been successfully verified by Bar version 4.5.6, and 1.2.4 unsuccessfully by 9.9.9" =>
        {
            api.verify(&api.pact("Foo", "1.2.3", "Bar", 1)?, "4.5.6", true)?;
            api.verify(&api.pact("Foo", "1.2.4", "Bar", 2)?, "9.9.9", false)
        }
        "the pact for Foo version 1.2.3 and 1.2.4 has been verified by Bar version 4.5.6" => {
            api.verify(&api.pact("Foo", "1.2.3", "Bar", 1)?, "4.5.6", true)?;
            api.verify(&api.pact("Foo", "1.2.4", "Bar", 2)?, "4.5.6", true)
        }
        "the pact for Foo version 1.2.3 has been verified by Bar version 4.5.6 and version 5.6.7" =>
        {
            let pact = api.pact("Foo", "1.2.3", "Bar", 1)?;
            api.verify(&pact, "4.5.6", true)?;
            api.verify(&pact, "5.6.7", true)
        }
        "provider Bar version 4.5.6 has a successful verification for Foo version 1.2.3 tagged prod and a failed verification for version 3.4.5 tagged prod" =>
        {
            let pact = api.pact("Foo", "1.2.3", "Bar", 1)?;
            api.tag("Foo", "1.2.3", "prod")?;
            api.verify(&pact, "4.5.6", true)?;
            let pact = api.pact("Foo", "3.4.5", "Bar", 2)?;
            api.tag("Foo", "3.4.5", "prod")?;
            api.verify(&pact, "4.5.6", false)
        }
        "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with 2 environments that aren't test available for deployment" =>
        {
            api.version("Foo", FOO_SHA)?;
            api.environment("prod", None)?;
            api.environment("dev", None).map(drop)
        }
        "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for deployment"
        | "version 5556b8149bf8bac76bc30f50a8a2dd4c22c85f30 of pacticipant Foo exists with a test environment available for release" =>
        {
            api.version("Foo", FOO_SHA)?;
            api.environment("test", Some((database, TEST_ENVIRONMENT)))
                .map(drop)
        }
        "an environment with name test exists" | "an environment exists" => {
            api.environment("test", None).map(drop)
        }
        "a latest pact between Condor and the Pricing Service exists"
        | "a pact between Condor and the Pricing Service exists"
        | "the 'Pricing Service' and 'Condor' already exist in the pact-broker, and Condor already has a pact published for version 1.3.0" => {
            api.pact("Condor", "1.3.0", "Pricing Service", 1).map(drop)
        }
        "tagged as prod pact between Condor and the Pricing Service exists"
        | "a pact between Condor and the Pricing Service exists for the production version of Condor" =>
        {
            api.pact("Condor", "1.3.0", "Pricing Service", 1)?;
            api.tag("Condor", "1.3.0", "prod")
        }
        "a branch named main exists for pacticipant Foo" => api.send(
            reqwest::Method::PUT,
            "/pacticipants/Foo/branches/main/versions/1",
            &json!({}),
        ),
        "the 'Pricing Service' already exists in the pact-broker" => {
            api.send(
                reqwest::Method::POST,
                "/pacticipants",
                &json!({
                    "name": "Pricing Service",
                    "repositoryUrl": "git@git.realestate.com.au:business-systems/pricing-service",
                }),
            )?;
            api.version("Pricing Service", "1.3.0")
        }
        "'Condor' exists in the pact-broker" => api.version("Condor", "1.3.0"),
        "'Condor' exists in the pact-broker with version 1.3.0, tagged with 'prod'" => {
            api.tag("Condor", "1.3.0", "prod")
        }
        "'Condor' exists in the pact-broker with the latest tagged 'production' version 1.2.3" => {
            api.tag("Condor", "1.2.3", "production")?;
            api.version("Condor", "2.0.0")
        }
        "'Condor' exists in the pact-broker with the latest version 1.2.3" => {
            api.version("Condor", "1.0.0")?;
            api.version("Condor", "1.2.3")
        }
        "the 'Pricing Service' and 'Condor' already exist in the pact-broker" => {
            api.pacticipant("Condor")?;
            api.pacticipant("Pricing Service")
        }
        "a webhook with the uuid 696c5f93-1b7f-44bc-8d03-59440fcaa9a0 exists" => {
            api.pacticipant("Condor")?;
            api.pacticipant("Pricing Service")?;
            let path = format!("/webhooks/{WEBHOOK}");
            api.send(
                reqwest::Method::PUT,
                &path,
                &json!({
                    "description": "an existing webhook",
                    "consumer": { "name": "Condor" },
                    "provider": { "name": "Pricing Service" },
                    "events": [{ "name": "contract_published" }],
                    "request": { "method": "GET", "url": "https://webhook/existing" },
                }),
            )
        }
        "a pacticipant with name Foo exists" => api.send(
            reqwest::Method::POST,
            "/pacticipants",
            &json!({ "name": "Foo" }),
        ),
        "an version is deployed to environment with UUID 16926ef3-590f-4e3f-838e-719717aa88c9 with target customer-1" => {
            deployed(api, database, NAMED_ENVIRONMENT, Some("customer-1"))
        }
        "a currently deployed version exists" => deployed(api, database, TEST_ENVIRONMENT, None),
        unknown => Err(format!("no such provider state in this test: {unknown:?}")),
    }
}

/// Foo Thing or Foo 1.2.3's pact verified by Bar 4.5.6 and 7.8.9, then a newer pact (2.0.0)
/// verified by 4.5.6.
fn verified_then_newer_pact(api: &Api<'_>, consumer: &str) -> Result<(), String> {
    let pact = api.pact(consumer, "1.2.3", "Bar", 1)?;
    api.verify(&pact, "4.5.6", true)?;
    api.verify(&pact, "7.8.9", true)?;
    api.verify(&api.pact(consumer, "2.0.0", "Bar", 2)?, "4.5.6", true)
}

/// Foo's version deployed to the environment `uuid` (created as `test`), the deployment's UUID
/// set to [`DEPLOYED_VERSION`].
fn deployed(
    api: &Api<'_>,
    database: &str,
    uuid: &str,
    instance: Option<&str>,
) -> Result<(), String> {
    api.version("Foo", FOO_SHA)?;
    api.environment("test", Some((database, uuid)))?;
    let path = format!("/pacticipants/Foo/versions/{FOO_SHA}/deployed-versions/environment/{uuid}");
    let body = match instance {
        Some(instance) => json!({ "applicationInstance": instance }),
        None => json!({}),
    };
    let created = api.call(reqwest::Method::POST, &path, Some(&body))?;
    let current = created["uuid"]
        .as_str()
        .ok_or("a deployed version has a uuid")?;
    set_uuid(database, "deployed_versions", current, DEPLOYED_VERSION)
}

/// Sets a row's `uuid` directly: the API gives every environment and deployment a random one.
pub(super) fn set_uuid(database: &str, table: &str, from: &str, to: &str) -> Result<(), String> {
    let mut conn = AnyConnection::establish(database).map_err(|e| e.to_string())?;
    if database.starts_with("postgres") {
        conn.batch_execute(&format!(
            "UPDATE {table} SET uuid = '{to}' WHERE uuid = '{from}'"
        ))
    } else {
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = 10000; UPDATE {table} SET uuid = '{to}' WHERE uuid = '{from}'"
        ))
    }
    .map_err(|e| e.to_string())
}
