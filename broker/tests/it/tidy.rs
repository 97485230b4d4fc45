//! Source rules checked as tests: the layering (domain imports neither actix nor diesel; the
//! HTTP layer uses neither storage nor diesel, only the domain; storage imports neither the
//! domain, the HTTP layer nor actix) and a `//!` header on every file.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn violations(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&root().join("src").join(layer)) {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for needle in forbidden {
                if code.contains(needle) {
                    found.push(format!(
                        "{}:{}: `{needle}` in {layer}",
                        file.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn the_domain_imports_neither_actix_nor_diesel() {
    let found = violations("domain", &["actix", "diesel"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_http_layer_reaches_storage_only_through_the_domain() {
    let found = violations("http", &["crate::storage", "diesel"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn storage_imports_neither_the_domain_nor_http_nor_actix() {
    let found = violations("storage", &["crate::domain", "crate::http", "actix"]);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_source_file_starts_with_a_module_comment() {
    let mut missing = Vec::new();
    for file in rust_files(&root().join("src"))
        .into_iter()
        .chain(rust_files(&root().join("tests")))
    {
        let text = std::fs::read_to_string(&file).expect("read source");
        if !text.trim_start().starts_with("//!") {
            missing.push(file.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "files without a `//!` header:\n{}",
        missing.join("\n")
    );
}
