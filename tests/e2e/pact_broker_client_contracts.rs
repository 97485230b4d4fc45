//! treaty-broker verified as the provider of the contract the Pact Broker's own client has with
//! the Pact Broker (`shared/pact-broker-client-contracts/pact_broker_client_v2-pact_broker.json`,
//! 67 interactions, Pact V2). The real `treaty verify` replays them against the real broker
//! through a small server this test runs; it also answers the provider-state calls, putting the
//! broker into each named state through the broker's own HTTP API, as the Pact Broker's
//! `spec/service_consumers/shared_provider_states.rb` defines them.
//!
//! Excluded, because treaty-broker has no webhooks yet (a later issue), are the 14 webhook
//! interactions ([`EXCLUDED`], removed from a copy of the file before `treaty verify` reads it):
//! - "a request for the index resource with the webhook relation" (needs `pb:webhooks`);
//! - "a request to create a global webhook with a JSON body";
//! - "a request to create a webhook for a consumer and provider" (404 for an unknown consumer);
//! - "a request to create a webhook with a JSON body and a uuid";
//! - "a request to create a webhook with a JSON body for a consumer";
//! - "a request to create a webhook with a JSON body for a consumer and provider";
//! - "a request to create a webhook with a JSON body for a consumer specified by a label";
//! - "a request to create a webhook with a JSON body for a consumer that does not exist";
//! - "a request to create a webhook with a JSON body for a provider";
//! - "a request to create a webhook with a JSON body for a provider specified by a label";
//! - "a request to create a webhook with a non-JSON body for a consumer and provider";
//! - "a request to create a webhook with every possible event type";
//! - "a request to update a webhook";
//! - "an invalid request to create a webhook for a consumer and provider".
//!
//! Everything else (53 interactions) must pass, and the test checks that 53 did.
//!
//! Two things stand between the file and the broker, both as in the Pact Broker's own
//! verification (`spec/service_consumers/hal_relation_proxy_app.rb`):
//! - The file's matrix queries were written with their parameters sorted by name
//!   (`q[][pacticipant]=Foo&q[][pacticipant]=Bar&q[][version]=1.2.3&…`), which loses which
//!   version belongs to which pacticipant. The server in front of the broker puts a query back
//!   in its meant order when its parameters are exactly those of one of [`MEANT_QUERIES`].
//! - Some states need identifiers the API cannot choose (environments with a given UUID, a
//!   deployed version with a given UUID). The test creates them through the API and then sets
//!   the UUID with one `UPDATE` through `treaty_broker::storage` (the only direct database
//!   access here).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use serde_json::{Value, json};
use treaty_broker::storage::AnyConnection;

use crate::support::broker::{Broker, Database};
use crate::support::{block_on, describe, http_client, read_json, skipped, treaty, workspace_root};

/// Interactions left out, by description: treaty-broker has no webhooks yet.
const EXCLUDED: [&str; 14] = [
    "a request for the index resource with the webhook relation",
    "a request to create a global webhook with a JSON body",
    "a request to create a webhook for a consumer and provider",
    "a request to create a webhook with a JSON body and a uuid",
    "a request to create a webhook with a JSON body for a consumer",
    "a request to create a webhook with a JSON body for a consumer and provider",
    "a request to create a webhook with a JSON body for a consumer specified by a label",
    "a request to create a webhook with a JSON body for a consumer that does not exist",
    "a request to create a webhook with a JSON body for a provider",
    "a request to create a webhook with a JSON body for a provider specified by a label",
    "a request to create a webhook with a non-JSON body for a consumer and provider",
    "a request to create a webhook with every possible event type",
    "a request to update a webhook",
    "an invalid request to create a webhook for a consumer and provider",
];

/// The matrix queries as the client sends them (the file lost their order; see the module doc).
const MEANT_QUERIES: [&str; 7] = [
    "q[][pacticipant]=Foo Thing&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=4.5.6&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=4.5.6&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=prod&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.4&q[][pacticipant]=Bar&q[][latest]=true&latestby=cvpv",
    "q[][pacticipant]=Wiffle&q[][version]=1.2.3&q[][pacticipant]=Meep&q[][version]=9.9.9&latestby=cvpv",
    "q[][pacticipant]=Foo&q[][version]=1.2.3&q[][pacticipant]=Bar&q[][version]=9.9.9&latestby=cvpv",
    "q[][pacticipant]=Bar&q[][version]=4.5.6&q[][pacticipant]=Foo&q[][tag]=prod&latestby=cvpv&ignore[][pacticipant]=Foo&ignore[][version]=3.4.5",
];

/// The environment UUIDs and the deployed-version UUID the states must have.
const TEST_ENVIRONMENT: &str = "cb632df3-0a0d-4227-aac3-60114dd36479";
const NAMED_ENVIRONMENT: &str = "16926ef3-590f-4e3f-838e-719717aa88c9";
const DEPLOYED_VERSION: &str = "ff3adecf-cfc5-4653-a4e3-f1861092f8e0";
/// The version of Foo the environment states use.
const FOO_SHA: &str = "5556b8149bf8bac76bc30f50a8a2dd4c22c85f30";

/// The path the verifier's provider-state calls go to.
const STATES_PATH: &str = "/_states";

#[test]
fn treaty_broker_honours_the_pact_broker_clients_contract() {
    let source = workspace_root()
        .join("../shared/pact-broker-client-contracts/pact_broker_client_v2-pact_broker.json");
    if !source.is_file() {
        skipped(&format!(
            "skipped: pact_broker_client_contracts needs the client's contract, not found at {} (put `shared/` beside the repository)",
            source.display()
        ));
        return;
    }
    for database in Database::all("pact_broker_client_contracts") {
        let broker = Broker::start(&database);
        let contract = without_webhooks(&source, database.dir.path());
        let front = Front::start(&broker.url, &database.url);
        let report = database.dir.path().join("report.json");
        let output = treaty(&[
            "verify",
            contract.to_str().expect("a UTF-8 path"),
            "--provider-base-url",
            &front.url,
            "--provider-states-setup-url",
            &format!("{}{STATES_PATH}", front.url),
            // One at a time in file order: the stateless ones (publish, create Foo, 404 for Foo)
            // see the broker as the previous teardown left it, empty.
            "--concurrency",
            "1",
            "--request-timeout",
            "20s",
            "--json",
            report.to_str().expect("a UTF-8 path"),
        ]);
        let report = read_json(&report);
        let failed: Vec<String> = report["contracts"][0]["interactions"]
            .as_array()
            .expect("interactions in the report")
            .iter()
            .filter(|interaction| interaction["outcome"] != "passed")
            .map(|interaction| serde_json::to_string_pretty(interaction).unwrap_or_default())
            .collect();
        assert!(
            failed.is_empty() && output.status.success(),
            "{}: {} interactions did not pass:\n{}\n{}\nbroker log:\n{}",
            database.backend,
            failed.len(),
            failed.join("\n"),
            describe(&output),
            broker.log()
        );
        assert_eq!(report["summary"]["passed"], 53, "{}", database.backend);
    }
}

/// A copy of the contract at `source` without the [`EXCLUDED`] interactions, in `dir`.
fn without_webhooks(source: &Path, dir: &Path) -> std::path::PathBuf {
    let mut contract = read_json(source);
    let interactions = contract["interactions"]
        .as_array_mut()
        .expect("a V2 contract has interactions");
    assert_eq!(interactions.len(), 67, "the contract as copied");
    interactions.retain(|interaction| {
        !EXCLUDED.contains(&interaction["description"].as_str().unwrap_or_default())
    });
    assert_eq!(
        interactions.len(),
        67 - EXCLUDED.len(),
        "each exclusion matched"
    );
    let path = dir.join("pact_broker_client_v2-pact_broker.json");
    std::fs::write(&path, contract.to_string()).expect("write the contract copy");
    path
}

/// The server in front of the broker: provider states on [`STATES_PATH`], everything else
/// forwarded to the broker (with the matrix queries put back in order).
struct Front {
    url: String,
}

impl Front {
    fn start(broker_url: &str, database_url: &str) -> Front {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
        let port = listener.local_addr().expect("a local address").port();
        let broker = broker_url.to_owned();
        let database = database_url.to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (broker, database) = (broker.clone(), database.clone());
                std::thread::spawn(move || serve(stream, &broker, &database));
            }
        });
        Front {
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

/// One request as read off the connection.
struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Serves one keep-alive connection until the client closes it.
fn serve(stream: TcpStream, broker: &str, database: &str) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let (status, headers, body) = if request.target.starts_with(STATES_PATH) {
            match change_state(broker, database, &request.body) {
                Ok(()) => (200, Vec::new(), b"{}".to_vec()),
                Err(message) => (
                    500,
                    Vec::new(),
                    json!({ "error": message }).to_string().into(),
                ),
            }
        } else {
            forward(broker, request)
        };
        let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&body).is_err() {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok()?;
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

/// Sends `request` on to the broker and returns its status, headers and body.
fn forward(broker: &str, request: Request) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut url = reqwest::Url::parse(&format!("{broker}{}", request.target)).expect("a URL");
    if let Some(meant) = meant_query(&url) {
        url.set_query(None);
        url.query_pairs_mut().extend_pairs(meant);
    }
    block_on(async {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).expect("a method");
        // The broker's public address is http://example.org, as in the Pact Broker's own
        // verification (`base_urls`): the contract expects some links to start with it.
        let mut outgoing = http_client()
            .request(method, url)
            .header("X-Forwarded-Host", "example.org")
            .header("X-Forwarded-Proto", "http")
            .body(request.body);
        for (name, value) in &request.headers {
            let hop = ["host", "content-length", "connection", "x-forwarded-host"];
            if !hop.contains(&name.to_ascii_lowercase().as_str()) {
                outgoing = outgoing.header(name, value);
            }
        }
        let response = outgoing.send().await.expect("the broker answers");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter(|(name, _)| {
                !["content-length", "transfer-encoding", "connection"].contains(&name.as_str())
            })
            .map(|(name, value)| {
                let value = value.to_str().unwrap_or_default().to_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        let body = response.bytes().await.expect("the broker's body").to_vec();
        (status, headers, body)
    })
}

/// The [`MEANT_QUERIES`] entry with exactly `url`'s query parameters, in its order.
fn meant_query(url: &reqwest::Url) -> Option<Vec<(String, String)>> {
    let sorted = |mut pairs: Vec<(String, String)>| {
        pairs.sort();
        pairs
    };
    let given = sorted(url.query_pairs().into_owned().collect());
    MEANT_QUERIES.iter().find_map(|meant| {
        let pairs: Vec<(String, String)> = meant
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        (sorted(pairs.clone()) == given).then_some(pairs)
    })
}

/// Handles one `{"state", "action"}` call: every call first removes what the states before
/// left; a setup then creates its state.
fn change_state(broker: &str, database: &str, body: &[u8]) -> Result<(), String> {
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
fn set_uuid(database: &str, table: &str, from: &str, to: &str) -> Result<(), String> {
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

/// The broker's HTTP API, blocking, for the state server.
struct Api<'a> {
    base: &'a str,
}

/// A published pact: what verification results are posted to.
struct PublishedPact {
    verification_results: String,
}

impl Api<'_> {
    /// Sends a request and returns the JSON body of a 2xx answer.
    fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, String> {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        block_on(async {
            let mut request = http_client()
                .request(method.clone(), &url)
                .header("Accept", "application/hal+json");
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .map_err(|e| format!("{method} {url}: {e}"))?;
            let status = response.status();
            let json = response.json::<Value>().await.unwrap_or(Value::Null);
            if status.is_success() {
                Ok(json)
            } else {
                Err(format!("{method} {url}: {status} {json}"))
            }
        })
    }

    fn send(&self, method: reqwest::Method, path: &str, body: &Value) -> Result<(), String> {
        self.call(method, path, Some(body)).map(drop)
    }

    /// Deletes every pacticipant and environment.
    fn clear(&self) -> Result<(), String> {
        let pacticipants = self.call(reqwest::Method::GET, "/pacticipants", None)?;
        for pacticipant in list(&pacticipants, "pacticipants") {
            if let Some(href) = pacticipant["_links"]["self"]["href"].as_str() {
                self.call(reqwest::Method::DELETE, href, None)?;
            }
        }
        let environments = self.call(reqwest::Method::GET, "/environments", None)?;
        for environment in list(&environments, "environments") {
            let uuid = environment["uuid"].as_str().unwrap_or_default();
            self.call(
                reqwest::Method::DELETE,
                &format!("/environments/{uuid}"),
                None,
            )?;
        }
        Ok(())
    }

    fn version(&self, pacticipant: &str, version: &str) -> Result<(), String> {
        let path = format!("/pacticipants/{}/versions/{version}", escape(pacticipant));
        self.send(reqwest::Method::PUT, &path, &json!({}))
    }

    fn tag(&self, pacticipant: &str, version: &str, tag: &str) -> Result<(), String> {
        let path = format!(
            "/pacticipants/{}/versions/{version}/tags/{tag}",
            escape(pacticipant)
        );
        self.send(reqwest::Method::PUT, &path, &json!({}))
    }

    /// Creates an environment; with `Some((database, uuid))` its UUID is then set to `uuid`.
    fn environment(&self, name: &str, uuid: Option<(&str, &str)>) -> Result<String, String> {
        let body = json!({
            "name": name,
            "displayName": name,
            "production": false,
            "contacts": [{ "name": "foo", "details": { "emailAddress": "foo@bar.com" } }],
        });
        let created = self.call(reqwest::Method::POST, "/environments", Some(&body))?;
        let current = created["uuid"]
            .as_str()
            .ok_or("an environment has a uuid")?;
        match uuid {
            Some((database, uuid)) => {
                set_uuid(database, "environments", current, uuid)?;
                Ok(uuid.to_owned())
            }
            None => Ok(current.to_owned()),
        }
    }

    /// Publishes a pact; `variant` makes its content differ from the other pacts of a state.
    fn pact(
        &self,
        consumer: &str,
        version: &str,
        provider: &str,
        variant: u32,
    ) -> Result<PublishedPact, String> {
        // The first variant has no interactions, like TestDataBuilder's pacts (the contract
        // expects `"interactions": []`); each other variant has one more.
        let interactions: Vec<Value> = (1..variant)
            .map(|n| {
                json!({
                    "description": format!("a request {n}"),
                    "request": { "method": "GET", "path": format!("/things/{n}") },
                    "response": { "status": 200 },
                })
            })
            .collect();
        let content = json!({
            "consumer": { "name": consumer },
            "provider": { "name": provider },
            "interactions": interactions,
            "metadata": { "pactSpecification": { "version": "2.0.0" } },
        });
        let path = format!(
            "/pacts/provider/{}/consumer/{}/version/{version}",
            escape(provider),
            escape(consumer)
        );
        let published = self.call(reqwest::Method::PUT, &path, Some(&content))?;
        let verification_results = published["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .ok_or_else(|| format!("no pb:publish-verification-results in {published}"))?
            .to_owned();
        Ok(PublishedPact {
            verification_results,
        })
    }

    fn verify(
        &self,
        pact: &PublishedPact,
        provider_version: &str,
        success: bool,
    ) -> Result<(), String> {
        let body = json!({ "success": success, "providerApplicationVersion": provider_version });
        self.send(reqwest::Method::POST, &pact.verification_results, &body)
    }
}

/// The embedded list of a HAL collection (`_embedded.<name>`, or `<name>` at the top).
fn list<'v>(body: &'v Value, name: &str) -> &'v [Value] {
    body["_embedded"][name]
        .as_array()
        .or_else(|| body[name].as_array())
        .map_or(&[], Vec::as_slice)
}

/// A name as a path segment (the names here only have spaces to escape).
fn escape(name: &str) -> String {
    name.replace(' ', "%20")
}
