//! Validation messages for broken contract files: every fault is listed with its JSON pointer
//! and what was expected. The expected lists are plain-string snapshots.

use serde_json::json;
use treaty_schemas::wire::{parse_http_request, parse_http_response, parse_message};
use treaty_schemas::{SchemaError, Severity, SpecVersion, parse_contract, validate_document};

use crate::support::{fixtures_dir, json_files, read_json};

/// Parses `invalid/<file>` and compares the diagnostics, rendered `pointer: message`, with
/// `expect`, in order.
fn check(file: &str, expect: &[&str]) {
    let bytes = std::fs::read(fixtures_dir().join("invalid").join(file)).unwrap();
    let actual = rendered(parse_contract(&bytes).map(drop));
    assert_eq!(actual, expect, "{file}: diagnostics differ");
}

fn rendered(result: Result<(), SchemaError>) -> Vec<String> {
    match result {
        Ok(()) => vec!["<valid>".to_owned()],
        Err(SchemaError::Invalid(diagnostics)) => {
            assert!(
                diagnostics
                    .iter()
                    .all(|diagnostic| diagnostic.severity == Severity::Error)
            );
            diagnostics.iter().map(ToString::to_string).collect()
        }
        Err(other) => vec![format!("<{other}>")],
    }
}

#[test]
fn broken_files_list_every_fault_with_its_pointer() {
    check(
        "blank-names.json",
        &[
            r#"/consumer/name: expected a non-blank consumer name"#,
            r#"/provider/name: expected a non-blank provider name"#,
        ],
    );
    check(
        "no-interactions.json",
        &[r#"/: missing required key `interactions` (or `messages` for a message pact)"#],
    );
    check(
        "not-an-object.json",
        &[r#"/: expected a pact document (an object), found array"#],
    );
    check(
        "unknown-spec-version.json",
        &[
            r#"/metadata/pactSpecification/version: expected a pact specification version from 1.0.0 to 4.x, found "5.0.0""#,
        ],
    );
    check(
        "v2-bad-rule-path.json",
        &[
            r#"/interactions/0/request/query: expected string, found object"#,
            r#"/interactions/0/response/matchingRules: expected rule paths starting with $.body, $.headers, $.query, $.path or $.status, found "$.bdy.id""#,
        ],
    );
    check(
        "v3-bad-messages.json",
        &[
            r#"/messages/0: missing required key `description`"#,
            r#"/messages/0/metaData: expected object, found string"#,
            r#"/messages/0/providerStates/0: missing required key `name`"#,
        ],
    );
    check(
        "v3-bad-rules.json",
        &[
            r#"/interactions/0/response/matchingRules/body/$.id/matchers: expected array, found object"#,
            r#"/interactions/0/response/matchingRules/body/$.name/combine: expected one of "AND", "OR", found "XOR""#,
            r#"/interactions/0/response/matchingRules/body/$.name/matchers/0: missing required key `regex`"#,
            r#"/interactions/0/response/matchingRules/body/$.tags: missing required key `matchers`"#,
            r#"/interactions/0/response/matchingRules/header/Accept/matchers/0/min: expected a number >= 0, found -1"#,
        ],
    );
    check(
        "v3-many-faults.json",
        &[
            r#"/consumer: missing required key `name`"#,
            r#"/interactions/0: missing required key `description`"#,
            r#"/interactions/0/request/headers/X-Count: expected string or array, found integer"#,
            r#"/interactions/0/request/method: expected string, found integer"#,
            r#"/interactions/0/request/query/q/0: expected string, found integer"#,
            r#"/interactions/0/response: missing required key `status`"#,
            r#"/interactions/0/response/headers/Accept/1: expected string, found integer"#,
            r#"/provider/name: expected string, found integer"#,
        ],
    );
    check(
        "v3-status-out-of-range.json",
        &[
            r#"/interactions/0/response/status: expected a status code between 100 and 599, found 99"#,
            r#"/interactions/1/response/status: expected a status code between 100 and 599, found 600"#,
        ],
    );
    check(
        "v3-status-string.json",
        &[r#"/interactions/1/response/status: expected integer, found string"#],
    );
    check(
        "v4-bad-base64.json",
        &[
            r#"/interactions/0/response/body/content: expected base64 text (invalid symbol 33, offset 12)"#,
        ],
    );
    check(
        "v4-bad-types.json",
        &[
            r#"/interactions/0: missing required key `response`"#,
            r#"/interactions/1/type: expected one of "Synchronous/HTTP", "Asynchronous/Messages", "Synchronous/Messages", found "Asynchronous/Message""#,
            r#"/interactions/2: missing required key `type`"#,
            r#"/interactions/3/response: expected array, found object"#,
            r#"/interactions/4/pending: expected boolean, found string"#,
            r#"/interactions/4/response/body/contentType: expected null or string, found integer"#,
            r#"/interactions/4/response/body/encoded: expected boolean or string, found integer"#,
        ],
    );
}

#[test]
fn every_broken_fixture_has_a_snapshot() {
    let source = include_str!("validation.rs");
    for file in json_files(&fixtures_dir().join("invalid")) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            source.contains(&format!("\"{name}\"")),
            "invalid/{name} has no check in validation.rs"
        );
    }
}

#[test]
fn valid_fixtures_have_no_schema_findings() {
    for file in json_files(&fixtures_dir().join("valid")) {
        let document = read_json(&file);
        let version = treaty_schemas::detect_spec_version(&document).unwrap();
        let findings = validate_document(&document, version);
        assert!(findings.is_empty(), "{}: {findings:?}", file.display());
    }
}

#[test]
fn syntax_errors_are_reported_as_json_errors() {
    let error = parse_contract(b"{\"consumer\": ").unwrap_err();
    assert!(matches!(error, SchemaError::Json(_)), "{error}");
}

#[test]
fn fragment_parsers_report_pointers_relative_to_the_fragment() {
    let response = json!({"status": "200", "headers": {"X": 1}, "body": {"content": "%%", "encoded": "base64"}});
    assert_eq!(
        rendered(parse_http_response(&response, SpecVersion::V4).map(drop)),
        [
            "/body/content: expected base64 text (invalid symbol 37, offset 0)",
            "/headers/X: expected string or array of strings, found integer",
            "/status: expected integer, found string",
        ]
    );
    let request =
        json!({"method": "GET", "query": 7, "matchingRules": {"$.nowhere": {"match": "type"}}});
    assert_eq!(
        rendered(parse_http_request(&request, SpecVersion::V2).map(drop)),
        [
            "/matchingRules/$.nowhere: expected a rule path starting with $.body, $.headers, $.query, $.path or $.status, found \"$.nowhere\"",
            "/query: expected string or object, found integer",
        ]
    );
    let message = json!({"contents": {}, "matchingRules": {"body": {"$.a": {"matchers": [{"match": "include"}], "combine": "NOR"}}}});
    assert_eq!(
        rendered(parse_message(&message, SpecVersion::V3).map(drop)),
        [
            "/matchingRules/body/$.a/combine: expected \"AND\" or \"OR\", found \"NOR\"",
            "/matchingRules/body/$.a/matchers/0: missing required key `value`",
        ]
    );
}

#[test]
fn valid_contracts_can_carry_warnings() {
    use treaty_schemas::parse_contract_value_with_warnings;
    let warnings = |document: serde_json::Value| -> Vec<String> {
        let (_, warnings) = parse_contract_value_with_warnings(&document).unwrap();
        assert!(
            warnings
                .iter()
                .all(|warning| warning.severity == Severity::Warning)
        );
        warnings.iter().map(ToString::to_string).collect()
    };
    let interaction = |description: &str, status: u16| json!({"description": description, "request": {"method": "GET", "path": "/"}, "response": {"status": status}});
    let pact = |interactions: Vec<serde_json::Value>| {
        json!({"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": interactions,
               "metadata": {"pactSpecification": {"version": "3.0.0"}}})
    };
    assert_eq!(
        warnings(pact(vec![])),
        ["/interactions: the contract has no interactions: verifying it proves nothing"]
    );
    assert_eq!(
        warnings(pact(vec![
            interaction("a", 200),
            interaction("b", 200),
            interaction("a", 200),
            interaction("b", 404)
        ])),
        [
            "/interactions/2: duplicate of /interactions/0: the same interaction is listed twice",
            "/interactions/3: same description and provider states as /interactions/1 but different content: merging keeps only one of them; give each a unique description",
        ]
    );
    let mut unknown = interaction("a", 200);
    unknown["response"]["matchingRules"] =
        json!({"body": {"$.a": {"matchers": [{"match": "fuzzy"}]}}});
    assert_eq!(
        warnings(pact(vec![unknown])),
        [
            "/interactions/0/response/matchingRules/body/$.a/matchers/0: unknown matcher kind \"fuzzy\": kept, but the verifier cannot apply it"
        ]
    );
    for file in json_files(&fixtures_dir().join("valid")) {
        assert!(warnings(read_json(&file)).is_empty(), "{}", file.display());
    }
}
