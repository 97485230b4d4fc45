//! The Pact specification's matching cases (`shared/pact-spec-testcases`, V1 to V4) run as
//! data through the matching engine: response cases through `match_response`, request cases
//! through `match_request`, message cases through `match_message`.
//!
//! A case passes when the mismatch list is empty exactly when the case says `match: true`.
//! Every failure fails the test, except the deviations listed in [`DEVIATIONS`], each with its
//! reason; a listed deviation that starts passing fails the test too, so the list stays true.
//! With `TREATY_CONFORMANCE_VERBOSE=1` every case's mismatches are printed, to review wording.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use treaty::matching::{
    ActualRequest, ActualResponse, Mismatch, match_message, match_request, match_response,
};
use treaty_schemas::SpecVersion;
use treaty_schemas::wire::{parse_http_request, parse_http_response, parse_message};

/// Where the cases live by default: `shared/` beside the repository (also read by
/// `conformance_http`); `TREATY_SPEC_TESTCASES` points elsewhere.
const DEFAULT_CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/pact-spec-testcases"
);

/// The directory of the Pact specification cases, or `None` after saying on standard error
/// that `test` is skipped and how to run it (a clone of the project alone has no `shared/`).
/// `.ci/run` fails on any such line, so CI always runs these tests.
pub(crate) fn cases_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("TREATY_SPEC_TESTCASES")
        .map_or_else(|| PathBuf::from(DEFAULT_CASES), PathBuf::from);
    if dir.is_dir() {
        return Some(dir);
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {test} needs the Pact specification cases, not found at {} (put `shared/` beside the repository or set TREATY_SPEC_TESTCASES)",
        dir.display()
    );
    None
}

/// Cases where Treaty deliberately gives the other answer, by path under the cases directory.
const DEVIATIONS: &[(&str, &str)] = &[
    (
        "v1/request/query/different param order.json",
        "the model parses every query string into parameters, so V1 queries are compared as \
         parameters like V1.1+ (pact-reference and pact-jvm say `true` too); a plain string \
         comparison could not also pass `matches with equals in the query value`",
    ),
    (
        "v1/request/query/trailing amperand.json",
        "same as above: a trailing `&` adds no parameter (pact-reference and pact-jvm say `true`)",
    ),
];

/// The folders per specification version.
const VERSIONS: &[(&str, SpecVersion)] = &[
    ("v1", SpecVersion::V1),
    ("v1.1", SpecVersion::V1_1),
    ("v2", SpecVersion::V2),
    ("v3", SpecVersion::V3),
    ("v4", SpecVersion::V4),
];

#[test]
fn pact_specification_cases() {
    let Some(root) = cases_dir("pact_specification_cases") else {
        return;
    };
    let mut report = String::new();
    let mut failures = Vec::new();
    let mut deviations_seen = Vec::new();
    let (mut passed_total, mut failed_total, mut deviated_total) = (0, 0, 0);
    for (folder, version) in VERSIONS {
        let (mut passed, mut failed, mut deviated) = (0, 0, 0);
        for file in case_files(&root.join(folder)) {
            let relative = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            let outcome = check(&file, *version);
            let deviation = DEVIATIONS.iter().find(|(path, _)| *path == relative);
            match (outcome, deviation) {
                (Ok(()), None) => passed += 1,
                (Ok(()), Some(_)) => {
                    passed += 1;
                    failures.push(format!(
                        "{relative}: listed as a deviation but passes; remove it from DEVIATIONS"
                    ));
                }
                (Err(problem), Some((_, reason))) => {
                    failed += 1;
                    deviated += 1;
                    deviations_seen.push(format!("{relative}: {problem}\n    reason: {reason}"));
                }
                (Err(problem), None) => {
                    failed += 1;
                    failures.push(format!("{relative}: {problem}"));
                }
            }
        }
        let _ = writeln!(
            report,
            "conformance {folder}: {passed} passed, {failed} failed ({deviated} listed deviations)"
        );
        passed_total += passed;
        failed_total += failed;
        deviated_total += deviated;
    }
    println!(
        "{report}conformance: {passed_total} passed, {failed_total} failed ({deviated_total} listed deviations)"
    );
    for deviation in &deviations_seen {
        println!("known deviation: {deviation}");
    }
    for failure in &failures {
        println!("FAILED {failure}");
    }
    assert_eq!(
        deviations_seen.len(),
        DEVIATIONS.len(),
        "some listed deviations were not found"
    );
    assert!(
        failures.is_empty(),
        "{} specification case(s) failed; see the output above",
        failures.len()
    );
    assert_eq!(
        passed_total + failed_total,
        803,
        "the suite should have 803 cases"
    );
}

/// Every `.json` file under `folder`, sorted (also used by `conformance_http`).
pub(crate) fn case_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let entries = std::fs::read_dir(&directory)
            .unwrap_or_else(|error| panic!("{}: {error}", directory.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs one case; the error says what went wrong (verdict or parsing).
fn check(file: &Path, version: SpecVersion) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|error| format!("unreadable: {error}"))?;
    let case: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|error| format!("not JSON: {error}"))?;
    let should_match = case["match"].as_bool().ok_or("no boolean `match`")?;
    let (expected, actual) = (&case["expected"], &case["actual"]);
    let kind = file
        .parent()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|name| name.to_str());
    let mismatches = match kind {
        Some("response") => {
            let expected = parse_http_response(expected, version)
                .map_err(|error| format!("expected side: {error}"))?;
            let actual = parse_http_response(actual, version)
                .map_err(|error| format!("actual side: {error}"))?;
            match_response(&expected, &ActualResponse::from_model(&actual))
        }
        Some("request") => {
            let expected = parse_http_request(expected, version)
                .map_err(|error| format!("expected side: {error}"))?;
            let actual = parse_http_request(actual, version)
                .map_err(|error| format!("actual side: {error}"))?;
            match_request(&expected, &ActualRequest::from_model(&actual))
        }
        Some("message") => {
            let expected = parse_message(expected, version)
                .map_err(|error| format!("expected side: {error}"))?;
            let actual =
                parse_message(actual, version).map_err(|error| format!("actual side: {error}"))?;
            match_message(&expected, &actual)
        }
        other => return Err(format!("unknown case kind {other:?}")),
    };
    if std::env::var_os("TREATY_CONFORMANCE_VERBOSE").is_some() && !mismatches.is_empty() {
        println!("{}:{}", file.display(), list(&mismatches));
    }
    if mismatches.is_empty() == should_match {
        return Ok(());
    }
    if should_match {
        Err(format!("expected a match, got:{}", list(&mismatches)))
    } else {
        Err("expected at least one mismatch, got none".to_owned())
    }
}

fn list(mismatches: &[Mismatch]) -> String {
    mismatches
        .iter()
        .map(|mismatch| format!("\n    - {mismatch}"))
        .collect()
}
