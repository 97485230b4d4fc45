//! The contract files `treaty publish` sends: expand directories into their `*.json` files, read
//! each one and parse it with `treaty_schemas::parse_contract`, keeping the bytes to send.
//!
//! Unlike `crate::source` (which feeds verification and stops at the first bad source), this
//! checks every file and reports every invalid one with its path and faults, because publish
//! must refuse to send anything unless all files are valid.

use std::path::{Path, PathBuf};

use treaty_schemas::{Contract, SchemaError, Severity};

use crate::error::{Error, InvalidContract};

/// A contract file that parsed and validated.
#[derive(Debug, Clone)]
pub struct ContractFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The file's bytes, without a UTF-8 byte order mark.
    pub bytes: Vec<u8>,
    /// The parsed contract.
    pub contract: Contract,
}

/// Reads and parses every file named in `paths`; a directory means every `*.json` file directly
/// inside it, in name order.
///
/// An unreadable path is an [`Error::Read`] (exit 2); files that are not valid contracts are all
/// reported together in one [`Error::InvalidContracts`] (exit 1).
pub fn load_contract_files(paths: &[PathBuf]) -> Result<Vec<ContractFile>, Error> {
    let mut files = Vec::new();
    for path in paths {
        files.extend(expand(path)?);
    }
    let mut loaded = Vec::new();
    let mut invalid = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let bytes = strip_bom(&bytes).to_vec();
        match parse(&bytes) {
            Ok(contract) => loaded.push(ContractFile {
                path,
                bytes,
                contract,
            }),
            Err(problems) => invalid.push(InvalidContract { path, problems }),
        }
    }
    if invalid.is_empty() {
        Ok(loaded)
    } else {
        Err(Error::InvalidContracts(invalid))
    }
}

/// A file stays a file; a directory becomes its `*.json` files, sorted by name.
fn expand(path: &Path) -> Result<Vec<PathBuf>, Error> {
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path).map_err(read_error)? {
        let entry_path = entry.map_err(read_error)?.path();
        let is_json = entry_path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
        if is_json && entry_path.is_file() {
            found.push(entry_path);
        }
    }
    if found.is_empty() {
        return Err(Error::NoContracts {
            path: path.to_owned(),
        });
    }
    found.sort();
    Ok(found)
}

/// Parses one file; on failure, one line per problem (`pointer: message`).
fn parse(bytes: &[u8]) -> Result<Contract, Vec<String>> {
    match treaty_schemas::parse_contract(bytes) {
        Ok(contract) => Ok(contract),
        Err(SchemaError::Invalid(diagnostics)) => {
            let mut problems: Vec<String> = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(ToString::to_string)
                .collect();
            if problems.is_empty() {
                problems.push("not a valid Pact contract".to_owned());
            }
            Err(problems)
        }
        Err(other) => Err(vec![other.to_string()]),
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_without_json_files_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "hi").unwrap();
        let err = load_contract_files(&[dir.path().to_owned()]).unwrap_err();
        assert!(matches!(err, Error::NoContracts { .. }), "{err:?}");
    }

    #[test]
    fn a_missing_file_cannot_be_read() {
        let err = load_contract_files(&["/nonexistent/pact.json".into()]).unwrap_err();
        assert!(matches!(err, Error::Read { .. }), "{err:?}");
        assert_eq!(err.exit_code(), crate::error::EXIT_COULD_NOT_RUN);
    }

    #[test]
    fn every_invalid_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), "{not json").unwrap();
        std::fs::write(dir.path().join("b.json"), "[]").unwrap();
        let Err(Error::InvalidContracts(invalid)) = load_contract_files(&[dir.path().to_owned()])
        else {
            panic!("expected invalid contracts");
        };
        assert_eq!(invalid.len(), 2);
        assert!(invalid[0].path.ends_with("a.json"));
        assert!(invalid[0].problems[0].contains("JSON"), "{:?}", invalid[0]);
        assert!(invalid[1].path.ends_with("b.json"));
    }
}
