//! Parses one contract file with [`treaty_schemas::parse_contract`] and prints the interaction
//! count and the time taken: a probe for the parser's memory and time on large files, meant to
//! run under `/usr/bin/time -f %M` (`cargo run --release -p treaty-schemas --example parse_big
//! -- FILE`).

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("parse_big: error: expected a contract file path as the only argument");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("parse_big: error: cannot read {path}: {error}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let parsed = treaty_schemas::parse_contract(bytes);
    let elapsed = started.elapsed();
    match parsed {
        Ok(contract) => {
            println!(
                "{path}: {} interactions in {} ms",
                contract.interactions.len(),
                elapsed.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("parse_big: error: {path}: {error}");
            ExitCode::from(1)
        }
    }
}
