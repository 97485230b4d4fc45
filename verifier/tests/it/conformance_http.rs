//! The Pact specification's V2-V4 response cases end to end: one real HTTP provider (a raw
//! HTTP/1.1 server on 127.0.0.1, so status, header lines and body bytes are exactly what the
//! case says) serves each case's `actual` response at `/case/<n>`, a contract file per case
//! holds the case's `expected` response, and the real `treaty verify` binary checks one against
//! the other. Exit 0 must mean `match: true`, exit 1 `match: false`; exit 2 is always wrong.
//!
//! A header value containing a line break (the two "content type with parameters in different
//! order" cases) goes on the wire as obsolete line folding, CRLF and indentation, exactly as
//! written; RFC 9112 section 5.2 says a user agent must read each fold as spaces, and `treaty
//! verify` does (the reference `pact verifier` refuses the response instead). Header names go
//! on the wire as the case spells them; the client lowercases them.
//! With `TREATY_E2E_PACT_CLI=1` the reference `pact verifier` (from `TREATY_PACT_BIN` or
//! `target/pact-venv/bin/pact`) is run on the same files and how many it agrees on is printed,
//! for information only.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::conformance::{case_files, cases_dir};
use crate::verify_support::{both, verify};

/// The folders checked, with the `pactSpecification` version their contracts declare.
const VERSIONS: &[(&str, &str)] = &[("v2", "2.0.0"), ("v3", "3.0.0"), ("v4", "4.0")];

/// How many response cases V2, V3 and V4 hold together (85 + 97 + 97).
const CASE_COUNT: usize = 279;

/// Cases where `treaty verify` over HTTP deliberately gives the other answer, by path under
/// the cases directory, each with its reason. Empty: every case holds over HTTP.
const DEVIATIONS: &[(&str, &str)] = &[];

/// How many `treaty verify` processes run at once.
const PARALLEL: usize = 8;

/// What the provider answers for one case.
#[derive(Debug, Clone)]
struct Served {
    status: u16,
    /// Header lines in the case's order; a name may repeat (one line per value).
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// How many requests for this case arrived.
    hits: Arc<AtomicUsize>,
}

/// One case, ready to serve and verify.
#[derive(Debug)]
struct Case {
    relative: String,
    should_match: bool,
    served: Served,
    contract: Value,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pact_specification_response_cases_over_http() {
    let started = Instant::now();
    let Some(root) = cases_dir("pact_specification_response_cases_over_http") else {
        return;
    };
    let mut cases = Vec::new();
    for (folder, spec) in VERSIONS {
        for file in case_files(&root.join(folder).join("response")) {
            let relative = file
                .strip_prefix(&root)
                .unwrap_or(&file)
                .to_string_lossy()
                .replace('\\', "/");
            cases.push(load_case(&file, relative, spec, cases.len()));
        }
    }
    assert_eq!(
        cases.len(),
        CASE_COUNT,
        "expected {CASE_COUNT} V2-V4 response cases under {}",
        root.display()
    );

    let served: Arc<Vec<Served>> = Arc::new(cases.iter().map(|case| case.served.clone()).collect());
    let port = start_provider(Arc::clone(&served)).await;
    let base_url = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(n, case)| {
            let path = dir.path().join(format!("case-{n}.json"));
            std::fs::write(&path, serde_json::to_vec_pretty(&case.contract).unwrap()).unwrap();
            path.to_string_lossy().into_owned()
        })
        .collect();

    let outputs = run_bounded(&files, |file| {
        let base_url = base_url.clone();
        async move {
            let output = verify(&["--provider-base-url", &base_url, &file]).await;
            (output.status.code(), both(&output))
        }
    })
    .await;

    let mut failures = Vec::new();
    let mut deviations_seen = Vec::new();
    let mut passed = 0;
    for (case, (code, text)) in cases.iter().zip(&outputs) {
        let wanted = if case.should_match { 0 } else { 1 };
        let agrees = *code == Some(wanted);
        let hits = case.served.hits.load(Ordering::SeqCst);
        let agrees = agrees && hits == 1;
        let text = if hits == 1 {
            text.clone()
        } else {
            format!("the provider answered {hits} requests for this case (expected 1)\n{text}")
        };
        let deviation = DEVIATIONS.iter().find(|(path, _)| *path == case.relative);
        match (agrees, deviation) {
            (true, None) => passed += 1,
            (true, Some(_)) => {
                passed += 1;
                failures.push(format!(
                    "{}: listed as a deviation but passes; remove it from DEVIATIONS",
                    case.relative
                ));
            }
            (false, Some((_, reason))) => deviations_seen.push(format!(
                "{}: exit {code:?}, case says match: {}\n    reason: {reason}",
                case.relative, case.should_match
            )),
            (false, None) => failures.push(format!(
                "{}: case says match: {} (exit {wanted}), treaty verify said:\n{text}",
                case.relative, case.should_match
            )),
        }
    }
    let failed = cases.len() - passed;
    println!(
        "conformance over HTTP: {passed} passed, {failed} failed ({} listed deviations) in {:.1?}",
        deviations_seen.len(),
        started.elapsed()
    );
    for deviation in &deviations_seen {
        println!("known deviation: {deviation}");
    }
    for failure in &failures {
        println!("FAILED {failure}");
    }

    if std::env::var("TREATY_E2E_PACT_CLI").is_ok_and(|value| value == "1") {
        reference_verifier(&cases, &files, port).await;
    }

    assert_eq!(
        deviations_seen.len(),
        DEVIATIONS.len(),
        "some listed deviations were not found"
    );
    assert!(
        failures.is_empty(),
        "{} specification case(s) disagree over HTTP; see the output above",
        failures.len()
    );
}

/// Reads a case: what to serve at `/case/<n>` and the contract expecting it.
fn load_case(file: &Path, relative: String, spec: &str, n: usize) -> Case {
    let text = std::fs::read_to_string(file).unwrap();
    let case: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .unwrap_or_else(|error| panic!("{relative}: not JSON: {error}"));
    let should_match = case["match"]
        .as_bool()
        .unwrap_or_else(|| panic!("{relative}: no boolean `match`"));
    let (expected, actual) = (&case["expected"], &case["actual"]);
    let status = |side: &Value| {
        side.get("status")
            .and_then(Value::as_u64)
            .map_or(200, |status| u16::try_from(status).unwrap())
    };

    let mut headers = Vec::new();
    if let Some(Value::Object(map)) = actual.get("headers") {
        for (name, value) in map {
            match value {
                Value::Array(values) => {
                    for value in values {
                        headers.push((name.clone(), header_text(value)));
                    }
                }
                value => headers.push((name.clone(), header_text(value))),
            }
        }
    }
    let served = Served {
        status: status(actual),
        headers,
        body: body_bytes(actual.get("body"), spec == "4.0"),
        hits: Arc::new(AtomicUsize::new(0)),
    };

    let mut response = expected.as_object().cloned().unwrap_or_default();
    response.insert("status".to_owned(), json!(status(expected)));
    let mut interaction = json!({
        "description": format!("case {n}: {relative}"),
        "request": { "method": "GET", "path": format!("/case/{n}") },
        "response": response,
    });
    if spec == "4.0" {
        interaction["type"] = json!("Synchronous/HTTP");
        interaction["key"] = json!(format!("case-{n}"));
    }
    let contract = json!({
        "consumer": { "name": "spec-cases" },
        "provider": { "name": "spec-provider" },
        "interactions": [interaction],
        "metadata": { "pactSpecification": { "version": spec } }
    });
    Case {
        relative,
        should_match,
        served,
        contract,
    }
}

/// A header value as wire text: strings as written, anything else as JSON. A line break inside
/// a string is sent as obsolete line folding (CRLF followed by the next line's indentation,
/// RFC 9112 section 5.2), which is how a multi-line value travels over HTTP/1.1; a space is
/// added if the next line has no indentation, so the break stays a fold.
fn header_text(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.trim_end_matches('\r'))
        .collect();
    let mut wire = lines[0].to_owned();
    for line in &lines[1..] {
        wire.push_str("\r\n");
        if !line.starts_with([' ', '\t']) {
            wire.push(' ');
        }
        wire.push_str(line);
    }
    wire
}

/// The body's bytes: no body and `null` are empty, strings are sent as their raw text (XML,
/// plain text), other JSON values serialised. A V4 body wrapped in `{content, contentType,
/// encoded}` is unwrapped first (no case here is encoded).
fn body_bytes(body: Option<&Value>, v4: bool) -> Vec<u8> {
    let body = match body {
        Some(Value::Object(wrapper)) if v4 && wrapper.contains_key("content") => {
            assert!(
                matches!(
                    wrapper.get("encoded"),
                    None | Some(Value::Null | Value::Bool(false))
                ),
                "encoded V4 bodies are not supported by this test: {wrapper:?}"
            );
            wrapper.get("content")
        }
        other => other,
    };
    match body {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) => text.clone().into_bytes(),
        Some(value) => serde_json::to_vec(value).unwrap(),
    }
}

/// Starts the provider on 127.0.0.1:0 and returns its port. Each connection carries one
/// request, answered with the case its path names and then closed.
async fn start_provider(served: Arc<Vec<Served>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(answer(stream, Arc::clone(&served)));
        }
    });
    port
}

/// Reads one request head and writes the response for its path, byte for byte.
async fn answer(mut stream: TcpStream, served: Arc<Vec<Served>>) {
    let mut head = Vec::new();
    let mut buffer = [0_u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 65_536 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let target = head.split(' ').nth(1).unwrap_or_default();
    let case = target
        .strip_prefix("/case/")
        .and_then(|n| n.parse::<usize>().ok())
        .and_then(|n| served.get(n));
    let mut response = Vec::new();
    match case {
        Some(case) => {
            case.hits.fetch_add(1, Ordering::SeqCst);
            response.extend(format!("HTTP/1.1 {} Case\r\n", case.status).into_bytes());
            for (name, value) in &case.headers {
                response.extend(format!("{name}: {value}\r\n").into_bytes());
            }
            response.extend(
                format!(
                    "Content-Length: {}\r\nConnection: close\r\n\r\n",
                    case.body.len()
                )
                .into_bytes(),
            );
            response.extend_from_slice(&case.body);
        }
        None => response.extend_from_slice(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
    }
    let _ = stream.write_all(&response).await;
    let _ = stream.shutdown().await;
}

/// Runs `job` on every file with at most [`PARALLEL`] at once; results in file order.
async fn run_bounded<F, Fut>(files: &[String], job: F) -> Vec<(Option<i32>, String)>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = (Option<i32>, String)> + Send + 'static,
{
    let mut results = vec![(None, String::new()); files.len()];
    let mut running = JoinSet::new();
    let mut queue = files.iter().cloned().enumerate();
    loop {
        while running.len() < PARALLEL {
            let Some((slot, file)) = queue.next() else {
                break;
            };
            let work = job(file);
            running.spawn(async move { (slot, work.await) });
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        let (slot, result) = joined.unwrap();
        results[slot] = result;
    }
    results
}

/// Runs the reference `pact verifier` on the same files and prints how many it agrees on.
async fn reference_verifier(cases: &[Case], files: &[String], port: u16) {
    let pact = std::env::var_os("TREATY_PACT_BIN").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/pact-venv/bin/pact"
            ))
        },
        PathBuf::from,
    );
    if !pact.exists() {
        println!(
            "reference pact verifier: not run, {} does not exist (set TREATY_PACT_BIN)",
            pact.display()
        );
        return;
    }
    let port = port.to_string();
    let outputs = run_bounded(files, |file| {
        let (pact, port) = (pact.clone(), port.clone());
        async move {
            let output = tokio::process::Command::new(pact)
                .args(["verifier", "--hostname", "127.0.0.1", "--port", &port, "-f"])
                .arg(&file)
                .env("PACT_DO_NOT_TRACK", "true")
                .output()
                .await
                .unwrap();
            (output.status.code(), both(&output))
        }
    })
    .await;
    let mut agreed = 0;
    for (case, (code, text)) in cases.iter().zip(&outputs) {
        let wanted = if case.should_match { 0 } else { 1 };
        if *code == Some(wanted) {
            agreed += 1;
        } else {
            let lines: Vec<&str> = text.lines().collect();
            let last = lines[lines.len().saturating_sub(15)..].join("\n");
            println!(
                "reference pact verifier disagrees on {} (match: {}, exit {code:?}):\n{last}",
                case.relative, case.should_match
            );
        }
    }
    println!(
        "reference pact verifier over HTTP: agrees on {agreed} of {}",
        cases.len()
    );
}
