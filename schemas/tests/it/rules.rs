//! Matching rules: every matcher kind Treaty knows, written as Pact tools write it, converts to
//! the expected [`MatchingRule`]; V2 flat paths land in the right category and are re-rooted.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use treaty_schemas::wire::parse_http_response;
use treaty_schemas::{
    ArrayContainsVariant, Combine, MatchingRule, RuleCategory, RuleList, SpecVersion,
};

/// Parses `matcher` as the only matcher at `$.x` of a V3 response body and compares.
fn check(matcher: Value, expect: MatchingRule) {
    let response = json!({"matchingRules": {"body": {"$.x": {"matchers": [matcher.clone()]}}}});
    let parsed = parse_http_response(&response, SpecVersion::V3)
        .unwrap_or_else(|error| panic!("{matcher}: {error}"));
    let list = &parsed.matching_rules.category(RuleCategory::Body).unwrap()["$.x"];
    assert_eq!(list.rules, [expect], "{matcher}");
}

#[test]
fn every_matcher_kind_converts() {
    use MatchingRule::*;
    check(
        json!({"match": "regex", "regex": "\\d+"}),
        Regex("\\d+".to_owned()),
    );
    check(json!({"regex": "\\d+"}), Regex("\\d+".to_owned()));
    check(
        json!({"match": "type"}),
        Type {
            min: None,
            max: None,
        },
    );
    check(
        json!({"match": "type", "min": 1, "max": 3}),
        Type {
            min: Some(1),
            max: Some(3),
        },
    );
    check(
        json!({"min": 2}),
        Type {
            min: Some(2),
            max: None,
        },
    );
    check(
        json!({"match": "max", "max": 5}),
        Type {
            min: None,
            max: Some(5),
        },
    );
    check(
        json!({"match": "include", "value": "lig"}),
        Include("lig".to_owned()),
    );
    check(json!({"match": "integer"}), Integer);
    check(json!({"match": "decimal"}), Decimal);
    check(json!({"match": "number"}), Number);
    check(json!({"match": "boolean"}), Boolean);
    check(json!({"match": "null"}), Null);
    check(
        json!({"match": "date", "format": "yyyy-MM-dd"}),
        Date(Some("yyyy-MM-dd".to_owned())),
    );
    check(
        json!({"match": "date", "date": "dd/MM/yyyy"}),
        Date(Some("dd/MM/yyyy".to_owned())),
    );
    check(json!({"match": "date"}), Date(None));
    check(
        json!({"match": "time", "time": "HH:mm"}),
        Time(Some("HH:mm".to_owned())),
    );
    check(
        json!({"match": "timestamp", "timestamp": "yyyy-MM-dd HH:mm"}),
        Timestamp(Some("yyyy-MM-dd HH:mm".to_owned())),
    );
    check(
        json!({"match": "datetime", "format": "yyyy"}),
        Timestamp(Some("yyyy".to_owned())),
    );
    check(
        json!({"timestamp": "yyyy"}),
        Timestamp(Some("yyyy".to_owned())),
    );
    check(
        json!({"match": "contentType", "value": "image/png"}),
        ContentType("image/png".to_owned()),
    );
    check(json!({"match": "values"}), Values);
    check(
        json!({"match": "eachKey", "rules": [{"match": "regex", "regex": "[a-z]+"}], "value": {"a": 1}}),
        EachKey(vec![Regex("[a-z]+".to_owned())]),
    );
    check(
        json!({"match": "eachValue", "rules": [{"match": "type"}]}),
        EachValue(vec![Type {
            min: None,
            max: None,
        }]),
    );
    check(
        json!({"match": "arrayContains", "variants": [
            {"index": 0, "rules": {"$.id": {"matchers": [{"match": "integer"}], "combine": "AND"}}, "generators": {"$.id": {"type": "RandomInt"}}},
            {"index": 2, "rules": {}}
        ]}),
        ArrayContains(vec![
            ArrayContainsVariant {
                index: 0,
                rules: BTreeMap::from([(
                    "$.id".to_owned(),
                    RuleList {
                        rules: vec![Integer],
                        combine: Combine::And,
                    },
                )]),
                generators: BTreeMap::from([("$.id".to_owned(), json!({"type": "RandomInt"}))]),
            },
            ArrayContainsVariant {
                index: 2,
                rules: BTreeMap::new(),
                generators: BTreeMap::new(),
            },
        ]),
    );
    check(json!({"match": "notEmpty"}), NotEmpty);
    check(json!({"match": "semver"}), Semver);
    check(
        json!({"match": "statusCode", "status": "clientError"}),
        StatusCode(json!("clientError")),
    );
    check(
        json!({"match": "statusCode", "status": [200, 201]}),
        StatusCode(json!([200, 201])),
    );
    check(json!({"match": "equality"}), Equality);
    check(
        json!({"match": "jsonSchema", "schema": {"type": "object", "required": ["id"]}}),
        JsonSchema(json!({"type": "object", "required": ["id"]})),
    );
    check(
        json!({"match": "somethingNew", "x": 1}),
        Unknown(json!({"match": "somethingNew", "x": 1})),
    );
}

/// Parses a V2 response with one flat rule at `path` and returns where it landed.
fn v2_location(path: &str) -> (RuleCategory, String) {
    let response = json!({"matchingRules": {path: {"match": "type"}}});
    let parsed = parse_http_response(&response, SpecVersion::V2)
        .unwrap_or_else(|error| panic!("{path}: {error}"));
    let mut locations = parsed
        .matching_rules
        .categories
        .iter()
        .flat_map(|(category, entries)| entries.keys().map(move |key| (*category, key.clone())));
    let location = locations.next().unwrap();
    assert!(locations.next().is_none());
    location
}

#[test]
fn v2_paths_land_in_their_category() {
    let cases = [
        ("$.body", RuleCategory::Body, "$"),
        (
            "$.body.animals[0].name",
            RuleCategory::Body,
            "$.animals[0].name",
        ),
        ("$.body[*].id", RuleCategory::Body, "$[*].id"),
        (
            "$.body.alligator['@name']",
            RuleCategory::Body,
            "$.alligator['@name']",
        ),
        ("$.headers.Accept", RuleCategory::Header, "Accept"),
        (
            "$.headers['Content-Type']",
            RuleCategory::Header,
            "Content-Type",
        ),
        ("$.header.X-Id", RuleCategory::Header, "X-Id"),
        ("$.query.q", RuleCategory::Query, "q"),
        ("$.path", RuleCategory::Path, ""),
    ];
    for (path, category, key) in cases {
        assert_eq!(v2_location(path), (category, key.to_owned()), "{path}");
    }
}

#[test]
fn v3_categories_combine_and_unkeyed_lists() {
    let request = json!({
        "method": "GET",
        "path": "/items/1",
        "matchingRules": {
            "path": {"matchers": [{"match": "regex", "regex": "/items/\\d+"}]},
            "query": {"q": {"matchers": [{"match": "type"}, {"match": "include", "value": "a"}], "combine": "OR"}},
            "header": {"X-Id": {"matchers": [{"match": "integer"}], "combine": "AND"}},
            "somePluginCategory": {"anything": true}
        }
    });
    let parsed = treaty_schemas::wire::parse_http_request(&request, SpecVersion::V3).unwrap();
    let rules = &parsed.matching_rules;
    assert_eq!(
        rules.categories.len(),
        3,
        "unknown categories are ignored: {rules:?}"
    );
    assert_eq!(
        rules.category(RuleCategory::Path).unwrap()[""].rules,
        [MatchingRule::Regex("/items/\\d+".to_owned())]
    );
    assert_eq!(
        rules.category(RuleCategory::Query).unwrap()["q"].combine,
        Combine::Or
    );
    assert_eq!(
        rules.category(RuleCategory::Header).unwrap()["X-Id"].combine,
        Combine::And
    );
}
