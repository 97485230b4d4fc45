//! Every report format of `treaty verify`, written for a run with passing, failing and
//! erroneous interactions across two consumers, then parsed back: JSON against its schema,
//! JUnit XML with roxmltree, Markdown by lines.

use std::path::Path;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::verify_support::{both, contract, interaction, read_json, verify, write_contract};

struct Reports {
    json: Value,
    junit: String,
    markdown: String,
    exit: Option<i32>,
}

/// `web` has a passing, a failing and an erroneous (state setup) interaction; `mobile` passes.
async fn mixed_run(dir: &Path) -> Reports {
    let provider = MockServer::start().await;
    Mock::given(path("/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&provider)
        .await;
    Mock::given(path("/broken"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&provider)
        .await;
    let web = contract(
        "web",
        "api",
        vec![
            interaction("fine <&> \"quoted\"", &[], "GET", "/ok", 200, json!({})),
            interaction("broken | piped", &[], "GET", "/broken", 200, json!({})),
            interaction(
                "needs a state",
                &[("a fixture", json!({}))],
                "GET",
                "/ok",
                200,
                json!({}),
            ),
        ],
    );
    let mobile = contract(
        "mobile",
        "api",
        vec![interaction("fine too", &[], "GET", "/ok", 200, json!({}))],
    );
    let web_file = write_contract(dir, "web.json", &web);
    let mobile_file = write_contract(dir, "mobile.json", &mobile);
    let (json_path, junit_path, markdown_path) =
        (dir.join("r.json"), dir.join("r.xml"), dir.join("r.md"));
    let states = format!("{}/_states", provider.uri());
    let output = verify(&[
        &web_file,
        &mobile_file,
        "--provider-base-url",
        &provider.uri(),
        "--provider",
        "api",
        "--provider-states-setup-url",
        &states,
        "--json",
        json_path.to_str().unwrap(),
        "--junit",
        junit_path.to_str().unwrap(),
        "--markdown",
        markdown_path.to_str().unwrap(),
    ])
    .await;
    assert!(output.status.code() == Some(1), "{}", both(&output));
    Reports {
        json: read_json(&json_path),
        junit: std::fs::read_to_string(junit_path).unwrap(),
        markdown: std::fs::read_to_string(markdown_path).unwrap(),
        exit: output.status.code(),
    }
}

#[tokio::test]
async fn the_json_report_is_valid_against_its_schema_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let reports = mixed_run(dir.path()).await;
    assert_eq!(reports.exit, Some(1));

    assert_valid_report(&reports.json);

    let report = &reports.json;
    assert_eq!(report["result"], "failed");
    assert_eq!(report["provider"]["name"], "api");
    assert_eq!(
        report["summary"],
        json!({"contracts": 2, "interactions": 4, "passed": 2, "failed": 2, "skipped": 0, "pendingFailed": 0})
    );
    let web = &report["contracts"][0];
    assert_eq!(
        (web["consumer"].as_str(), web["result"].as_str()),
        (Some("web"), Some("failed"))
    );
    let outcomes: Vec<&str> = web["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["passed", "failed", "error"]);
    assert_eq!(web["interactions"][1]["mismatches"][0]["part"], "status");
    assert_eq!(web["interactions"][2]["error"]["kind"], "provider-state");
    assert_eq!(
        web["interactions"][2]["providerStates"],
        json!(["a fixture"])
    );
    assert_eq!(report["contracts"][1]["result"], "passed");
}

#[tokio::test]
async fn the_junit_report_has_a_testsuite_per_consumer_and_a_testcase_per_interaction() {
    let dir = tempfile::tempdir().unwrap();
    let reports = mixed_run(dir.path()).await;

    let document = roxmltree::Document::parse(&reports.junit).unwrap();
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        (
            root.attribute("tests"),
            root.attribute("failures"),
            root.attribute("errors")
        ),
        (Some("4"), Some("1"), Some("1"))
    );
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(names, ["web", "mobile"]);
    let cases: Vec<_> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let titles: Vec<_> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        titles,
        [
            "fine <&> \"quoted\"",
            "broken | piped",
            "needs a state (given a fixture)"
        ]
    );
    assert!(cases[0].children().all(|n| !n.is_element()));
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(
        failure.attribute("message").unwrap().contains("status"),
        "{}",
        reports.junit
    );
    let error = cases[2]
        .children()
        .find(|n| n.has_tag_name("error"))
        .unwrap();
    assert_eq!(error.attribute("type"), Some("provider-state"));
    assert_eq!(suites[1].attribute("failures"), Some("0"));
}

#[tokio::test]
async fn the_markdown_report_has_a_summary_table_and_the_failures() {
    let dir = tempfile::tempdir().unwrap();
    let reports = mixed_run(dir.path()).await;
    let lines: Vec<&str> = reports.markdown.lines().collect();

    assert_eq!(lines[0], "## Contract verification of api: ❌ failed");
    let table_start = lines
        .iter()
        .position(|l| l.starts_with("| Consumer |"))
        .unwrap();
    assert_eq!(lines[table_start + 2], "| web | - | 1 | 2 | ❌ failed |");
    assert_eq!(lines[table_start + 3], "| mobile | - | 1 | 0 | ✅ passed |");
    assert!(lines.contains(&"### Failures"), "{}", reports.markdown);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("- **web** — broken \\| piped: `GET /broken`")),
        "{}",
        reports.markdown
    );
    assert!(
        lines.iter().any(|l| l.starts_with("  - status")),
        "{}",
        reports.markdown
    );
}

/// Fails with every fault when `report` is not valid against the JSON report's schema.
pub(crate) fn assert_valid_report(report: &Value) {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schemas/json/verification-report.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
}
