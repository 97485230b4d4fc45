//! Contract files and directories of them: read the bytes, parse them with `treaty-schemas`,
//! and name the file in every error.

use std::path::Path;

use super::{LoadedContract, SourceError};

/// Reads and parses one contract file.
pub fn load_file(path: &Path) -> Result<LoadedContract, SourceError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| SourceError::Read {
        path: origin.clone(),
        source,
    })?;
    let contract =
        treaty_schemas::parse_contract(bytes).map_err(|source| SourceError::Invalid {
            origin: origin.clone(),
            source,
        })?;
    Ok(LoadedContract {
        contract,
        origin,
        consumer_version: None,
        pending: false,
        broker: None,
    })
}

/// Reads and parses every `*.json` file directly inside a directory, in file name order.
pub fn load_directory(path: &Path) -> Result<Vec<LoadedContract>, SourceError> {
    let origin = path.display().to_string();
    let read_error = |source| SourceError::Read {
        path: origin.clone(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let file = entry.path();
        let is_json = file
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("json"));
        if is_json && file.is_file() {
            files.push(file);
        }
    }
    if files.is_empty() {
        return Err(SourceError::EmptyDirectory { path: origin });
    }
    files.sort();
    files.iter().map(|file| load_file(file)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_named_in_the_error() {
        let error = load_file(Path::new("/nonexistent/contract.json")).err();
        let message = error.map(|error| error.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("could not read /nonexistent/contract.json"),
            "{message}"
        );
    }

    #[test]
    fn a_directory_without_json_files_is_an_error() {
        let directory = tempfile::tempdir().unwrap();
        std::fs::write(directory.path().join("notes.txt"), "hello").unwrap();
        let error = load_directory(directory.path()).err().unwrap();
        assert!(
            matches!(error, SourceError::EmptyDirectory { .. }),
            "{error}"
        );
    }

    #[test]
    fn an_invalid_file_is_named_in_the_error() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("broken.json");
        std::fs::write(&path, "{not json").unwrap();
        let message = load_file(&path).err().unwrap().to_string();
        assert!(
            message.contains("broken.json is not a valid contract"),
            "{message}"
        );
    }
}
