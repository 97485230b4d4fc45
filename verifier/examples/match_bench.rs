//! Measures the matching engine alone on the bench workload: every HTTP interaction of a
//! generated contract is matched against the response nginx would send for it, N times.
//!
//! ```sh
//! python3 bench/gen_contracts.py --out /tmp/mh/data
//! cargo run --release -p treaty --example match_bench -- /tmp/mh/data 20
//! ```
//!
//! The first argument is `gen_contracts.py`'s output directory; the contract is
//! `contracts/n1000/*.json` (loaded with [`treaty::source::files::load_directory`]) and the responses
//! come from `nginx-locations.conf` beside it (`location = /path { return STATUS 'JSON'; }`),
//! with the headers nginx sends. The second argument is the number of rounds (default 20).
//! Each round builds every [`ActualResponse`] from its parts, as replay does, and matches it;
//! every interaction must pass. It prints the time per interaction; run it under
//! `valgrind --tool=callgrind` for instructions per interaction.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use treaty::matching::{ActualResponse, match_response};
use treaty_schemas::InteractionKind;

fn main() -> anyhow::Result<()> {
    let mut arguments = std::env::args().skip(1);
    let data = arguments
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: match_bench DATA_DIR [ROUNDS]"))?;
    let rounds: usize = match arguments.next() {
        Some(rounds) => rounds.parse()?,
        None => 20,
    };
    let data = Path::new(&data);
    let locations = read_locations(&data.join("nginx-locations.conf"))?;
    let contracts = treaty::source::files::load_directory(&data.join("contracts/n1000"))?;

    let mut cases = Vec::new();
    for loaded in &contracts {
        for interaction in &loaded.contract.interactions {
            let InteractionKind::Http { request, response } = &interaction.kind else {
                continue;
            };
            let (status, body) = locations
                .get(request.path.as_str())
                .ok_or_else(|| anyhow::anyhow!("no nginx location for {}", request.path))?;
            cases.push((response, *status, body.as_bytes()));
        }
    }
    anyhow::ensure!(!cases.is_empty(), "no HTTP interactions found");

    let headers = |length: usize| {
        vec![
            ("server".to_owned(), vec!["nginx/1.22.1".to_owned()]),
            (
                "date".to_owned(),
                vec!["Fri, 27 Nov 2026 06:00:00 GMT".to_owned()],
            ),
            (
                "content-type".to_owned(),
                vec!["application/json".to_owned()],
            ),
            ("content-length".to_owned(), vec![length.to_string()]),
            ("connection".to_owned(), vec!["keep-alive".to_owned()]),
        ]
    };

    let started = Instant::now();
    let mut mismatches = 0;
    for _ in 0..rounds {
        for (expected, status, body) in &cases {
            let actual = ActualResponse::from_parts(*status, headers(body.len()), body);
            let found = match_response(expected, &actual);
            if let Some(first) = found.first() {
                eprintln!("mismatch: {first:?}");
            }
            mismatches += found.len();
        }
    }
    let elapsed = started.elapsed();
    anyhow::ensure!(mismatches == 0, "{mismatches} mismatches");
    let matched = rounds * cases.len();
    println!(
        "{matched} interactions matched ({} per round, {rounds} rounds), 0 mismatches, {:.0} ns per interaction",
        cases.len(),
        elapsed.as_nanos() as f64 / matched as f64
    );
    Ok(())
}

/// `path -> (status, body)` from nginx's `location = /path { return STATUS 'BODY'; }` lines.
fn read_locations(file: &Path) -> anyhow::Result<HashMap<String, (u16, String)>> {
    let text = std::fs::read_to_string(file)?;
    let mut locations = HashMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("location = ") else {
            continue;
        };
        let Some((path, rest)) = rest.split_once(" { return ") else {
            continue;
        };
        let Some((status, rest)) = rest.split_once(" '") else {
            continue;
        };
        let Some(body) = rest.strip_suffix("'; }") else {
            continue;
        };
        locations.insert(path.to_owned(), (status.parse()?, body.to_owned()));
    }
    Ok(locations)
}
