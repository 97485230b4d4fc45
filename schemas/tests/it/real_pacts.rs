//! The 149 real Pact files in `shared/real-pacts/` (from pact-jvm's and pact-reference's own
//! test suites, which both read every one of them) load, each into a contract with the
//! interactions or messages the file holds.

use std::path::{Path, PathBuf};

use crate::support::{json_files, read_json};

/// `shared/real-pacts/` beside the repository, or `None` after saying the test is skipped.
fn real_pacts_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/real-pacts");
    if dir.is_dir() {
        return Some(dir);
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: every_real_pact_file_loads needs the real Pact files, not found at {} (put `shared/` beside the repository)",
        dir.display()
    );
    None
}

#[test]
fn every_real_pact_file_loads() {
    let Some(dir) = real_pacts_dir() else {
        return;
    };
    let files = json_files(&dir);
    assert_eq!(
        files.len(),
        149,
        "SOURCES.md counts 149 files in {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let document = read_json(file);
        let expected = ["interactions", "messages"]
            .iter()
            .filter_map(|key| document.get(key).and_then(|list| list.as_array()))
            .map(Vec::len)
            .sum::<usize>();
        match treaty_schemas::parse_contract_value(&document) {
            Ok(contract) if contract.interactions.len() == expected => {}
            Ok(contract) => failures.push(format!(
                "{name}: {} interactions loaded, the file has {expected}",
                contract.interactions.len()
            )),
            Err(error) => failures.push(format!("{name}: {error}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} real Pact files do not load:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// The loose files are read with a warning that says what was assumed; a file that really is
/// broken is still refused with its pointer.
#[test]
fn loose_real_pact_files_load_with_a_warning_and_broken_ones_are_still_refused() {
    let Some(dir) = real_pacts_dir() else {
        return;
    };
    for (file, pointer, assumed) in [
        (
            "core_model_src_test_resources_pact-invalid-version.json",
            "/metadata/pact-specification",
            "read as V3",
        ),
        (
            "core_model_src_test_resources_test_pact_no_version.json",
            "/metadata/pact-specification",
            "read as V3",
        ),
        (
            "rust_pact_verifier_tests_issue396.json",
            "/interactions/0/response/matchingRules",
            "have the V3 shape",
        ),
    ] {
        let document = read_json(&dir.join(file));
        let (contract, warnings) =
            treaty_schemas::parse_contract_value_with_warnings(&document).unwrap();
        assert_eq!(
            contract.spec_version,
            treaty_schemas::SpecVersion::V3,
            "{file}"
        );
        assert!(
            warnings
                .iter()
                .any(|warning| warning.pointer == pointer && warning.message.contains(assumed)),
            "{file}: {warnings:?}"
        );
    }
    let broken = serde_json::json!({
        "consumer": { "name": "c" }, "provider": { "name": "p" }, "interactions": [],
        "metadata": { "pactSpecification": { "version": "nine" } }
    });
    let error = treaty_schemas::parse_contract_value(&broken)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("/metadata/pactSpecification/version"),
        "{error}"
    );
}
