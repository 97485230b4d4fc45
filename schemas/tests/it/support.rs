//! Helpers shared by the test modules: where the data lives and how to read it.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// `schemas/tests/fixtures/`.
pub(crate) fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

/// `shared/pact-spec-testcases/`: next to the repository by default, or where
/// `TREATY_SPEC_TESTCASES` points; `None`, after saying on standard error that `test` is
/// skipped and how to run it, when the cases are not there (a clone of the project alone).
/// `.ci/run` fails on any such line, so CI always runs these tests.
pub(crate) fn spec_testcases_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("TREATY_SPEC_TESTCASES") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/pact-spec-testcases"),
    };
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

/// Reads a JSON file, allowing a leading byte order mark.
pub(crate) fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    serde_json::from_str(text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Every `*.json` file under `dir`, sorted, recursively.
pub(crate) fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .unwrap_or_else(|error| panic!("{}: {error}", current.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
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
