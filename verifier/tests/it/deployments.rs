//! `treaty record-deployment` and `record-undeployment` against a fake broker (wiremock): the
//! request order and bodies of `pact broker` (the version's `pb:record-deployment` entry matched
//! by environment name; `{"applicationInstance", "target"}`; a merge-patch PATCH of the matching
//! deployed version only), whatever hrefs the broker renders.

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{stderr, treaty};

fn hal(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Content-Type", "application/hal+json;charset=utf-8")
        .set_body_json(body)
}

#[tokio::test]
async fn record_deployment_posts_to_the_entry_named_after_the_environment() {
    let broker = MockServer::start().await;
    let base = broker.uri();
    Mock::given(method("GET"))
        .and(path("/pacticipants/Foo%20App/versions/1.0%2Bb"))
        .respond_with(hal(
            json!({ "number": "1.0+b", "_links": { "pb:record-deployment": [
            { "name": "test", "href": format!("{base}/elsewhere/test") },
            { "name": "production", "href": format!("{base}/elsewhere/prod") },
        ] } }),
        ))
        .expect(2)
        .mount(&broker)
        .await;
    Mock::given(method("POST"))
        .and(path("/elsewhere/prod"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({ "applicationInstance": "blue", "target": "blue" }),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "uuid": "d1" })))
        .expect(1)
        .mount(&broker)
        .await;

    let args = [
        "record-deployment",
        "-a",
        "Foo App",
        "-e",
        "1.0+b",
        "--environment",
        "production",
        "--application-instance",
        "blue",
        "-b",
        &base,
    ];
    let output = treaty(&args).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let missing = treaty(&[
        "record-deployment",
        "-a",
        "Foo App",
        "-e",
        "1.0+b",
        "--environment",
        "uat",
        "-b",
        &base,
    ])
    .await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("known: test, production"),
        "{}",
        stderr(&missing)
    );
}

#[tokio::test]
async fn record_undeployment_patches_only_the_instance_less_deployment() {
    let broker = MockServer::start().await;
    let base = broker.uri();
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(hal(
            json!({ "_links": { "pb:environments": { "href": format!("{base}/environments") } } }),
        ))
        .mount(&broker)
        .await;
    Mock::given(method("GET"))
        .and(path("/environments"))
        .respond_with(hal(json!({ "_embedded": { "environments": [
            { "uuid": "e1", "name": "test", "displayName": "Test", "production": false },
        ] } })))
        .mount(&broker)
        .await;
    Mock::given(method("GET"))
        .and(path("/environments/e1"))
        .respond_with(hal(json!({ "uuid": "e1", "name": "test", "production": false, "_links": {
            "pb:currently-deployed-deployed-versions": { "href": format!("{base}/environments/e1/current") },
        } })))
        .mount(&broker)
        .await;
    let entry = |uuid: &str, version: &str, instance: Option<&str>| {
        let mut entry = json!({
            "uuid": uuid,
            "currentlyDeployed": true,
            "_embedded": { "pacticipant": { "name": "Foo" }, "version": { "number": version } },
            "_links": { "self": { "href": format!("{base}/deployed-versions/{uuid}") } },
        });
        if let Some(instance) = instance {
            entry["applicationInstance"] = json!(instance);
        }
        entry
    };
    Mock::given(method("GET"))
        .and(path("/environments/e1/current"))
        .and(query_param("pacticipant", "Foo"))
        .respond_with(hal(json!({ "_embedded": { "deployedVersions": [
            entry("d1", "1", Some("blue")),
            entry("d2", "2", None),
        ] } })))
        .mount(&broker)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/deployed-versions/d2"))
        .and(header("content-type", "application/merge-patch+json"))
        .and(body_json(json!({ "currentlyDeployed": false })))
        .respond_with(hal(json!({ "uuid": "d2", "currentlyDeployed": false })))
        .expect(1)
        .mount(&broker)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/deployed-versions/d1"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&broker)
        .await;

    let output = treaty(&[
        "record-undeployment",
        "-a",
        "Foo",
        "--environment",
        "test",
        "-b",
        &base,
    ])
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("version 2"));
}
