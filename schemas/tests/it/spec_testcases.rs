//! Every expected and actual side of every case in `shared/pact-spec-testcases` converts with
//! the fragment parsers of its folder's version, plus spot checks of what some sides become.

use std::path::Path;

use serde_json::Value;
use treaty_schemas::wire::{parse_http_request, parse_http_response, parse_message};
use treaty_schemas::{Body, BodyContent, RuleCategory, SpecVersion};

use crate::support::{json_files, read_json, spec_testcases_dir};

/// Parses one side of a case as its folder says; `Err` carries the parser's message.
fn parse_side(kind: &str, side: &Value, version: SpecVersion) -> Result<(), String> {
    let result = match kind {
        "request" => parse_http_request(side, version).map(drop),
        "response" => parse_http_response(side, version).map(drop),
        "message" => parse_message(side, version).map(drop),
        other => return Err(format!("unknown case kind `{other}`")),
    };
    result.map_err(|error| error.to_string())
}

fn version_of_folder(folder: &str) -> SpecVersion {
    match folder {
        "v1" => SpecVersion::V1,
        "v1.1" => SpecVersion::V1_1,
        "v2" => SpecVersion::V2,
        "v3" => SpecVersion::V3,
        "v4" => SpecVersion::V4,
        other => panic!("unexpected version folder `{other}`"),
    }
}

#[test]
fn every_spec_testcase_side_parses() {
    let Some(root) = spec_testcases_dir("every_spec_testcase_side_parses") else {
        return;
    };
    let files = json_files(&root);
    assert_eq!(
        files.len(),
        803,
        "the README counts 803 cases under {}",
        root.display()
    );
    let mut failures = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).expect("file under root");
        let mut components = relative
            .iter()
            .map(|part| part.to_string_lossy().into_owned());
        let version = version_of_folder(&components.next().expect("version folder"));
        let kind = components.next().expect("kind folder");
        let case = read_json(file);
        for side in ["expected", "actual"] {
            let value = case
                .get(side)
                .unwrap_or_else(|| panic!("{}: no `{side}`", relative.display()));
            if let Err(message) = parse_side(&kind, value, version) {
                failures.push(format!("{} ({side}): {message}", relative.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} sides failed to parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What a few sides must become: the shape a matcher sees.
fn check_body(case: &str, side: &str, expect: &Body) {
    let Some(root) = spec_testcases_dir(case) else {
        return;
    };
    let path = root.join(case);
    let version = version_of_folder(case.split('/').next().expect("version folder"));
    let value = &read_json(Path::new(&path))[side];
    let body = if case.contains("/request/") {
        parse_http_request(value, version).expect("parses").body
    } else if case.contains("/response/") {
        parse_http_response(value, version).expect("parses").body
    } else {
        parse_message(value, version).expect("parses").contents
    };
    assert_eq!(&body, expect, "{case} ({side})");
}

#[test]
fn spec_testcase_bodies_become_the_documented_shapes() {
    let json_type = |value: &str| Body::Present {
        content: BodyContent::Json(serde_json::from_str(value).expect("json")),
        content_type: Some("application/json".to_owned()),
    };
    check_body(
        "v4/request/body/empty body no content type.json",
        "expected",
        &Body::Present {
            content: BodyContent::Text(String::new()),
            content_type: None,
        },
    );
    check_body("v3/request/body/null body.json", "expected", &Body::Null);
    check_body(
        "v4/response/body/objects in array with type mismatching.json",
        "actual",
        &Body::Present {
            content: BodyContent::Json(serde_json::json!([
                {"name": "Peter Peterson", "age": 22, "gender": "Male"}, {}
            ])),
            content_type: None,
        },
    );
    check_body(
        "v4/request/body/array with at least one element matching by example.json",
        "expected",
        &json_type(r#"{"animals": [{"name": "Fred"}]}"#),
    );
}

#[test]
fn xml_string_bodies_are_text() {
    for case in [
        "v3/request/body/matches with regex xml.json",
        "v2/response/body/matches with regex xml.json",
    ] {
        let Some(root) = spec_testcases_dir("xml_string_bodies_are_text") else {
            return;
        };
        let value = read_json(&root.join(case));
        let version = version_of_folder(case.split('/').next().expect("version folder"));
        let body = if case.contains("/request/") {
            parse_http_request(&value["expected"], version)
                .expect("parses")
                .body
        } else {
            parse_http_response(&value["expected"], version)
                .expect("parses")
                .body
        };
        assert!(
            matches!(&body, Body::Present { content: BodyContent::Text(text), .. } if text.contains('<')),
            "{case}: {body:?}"
        );
    }
}

#[test]
fn v2_flat_rules_are_rerooted_and_v1_queries_decoded() {
    let Some(root) = spec_testcases_dir("v2_flat_rules_are_rerooted_and_v1_queries_decoded") else {
        return;
    };
    let case =
        read_json(&root.join("v2/request/query/matches with equals in the query value.json"));
    let actual = parse_http_request(&case["actual"], SpecVersion::V2).expect("parses");
    let expected_query = vec![
        (
            "options".to_owned(),
            vec!["delete.topic.enable=true".to_owned()],
        ),
        ("broker".to_owned(), vec!["1".to_owned()]),
    ];
    assert_eq!(actual.query, Some(expected_query));

    let case = read_json(&root.join("v2/response/body/matches with regex.json"));
    let expected = parse_http_response(&case["expected"], SpecVersion::V2).expect("parses");
    let body_rules = expected
        .matching_rules
        .category(RuleCategory::Body)
        .expect("body rules");
    assert!(
        body_rules
            .keys()
            .all(|path| path.starts_with('$') && !path.starts_with("$.body")),
        "{body_rules:?}"
    );
}
