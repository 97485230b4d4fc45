//! `treaty verify` against a small real provider written with actix-web: provider states create
//! the data the requests read, `ProviderState` generators fill the path from state parameters,
//! a contract the provider breaks fails, and interactions with provider states run one at a
//! time unless `--concurrency` is given.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

use crate::verify_support::{both, contract, interaction, verify, write_contract};

/// The provider's users, and the state change calls it received.
#[derive(Default)]
struct Store {
    users: Mutex<HashMap<u64, String>>,
    state_calls: Mutex<Vec<Value>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

/// Answers after 100 ms, counting how many such requests were in flight at once.
async fn slow(store: web::Data<Store>) -> HttpResponse {
    let now = store.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    store.most_in_flight.fetch_max(now, Ordering::SeqCst);
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    store.in_flight.fetch_sub(1, Ordering::SeqCst);
    HttpResponse::Ok().json(json!({}))
}

async fn get_user(store: web::Data<Store>, id: web::Path<u64>) -> HttpResponse {
    let users = store.users.lock().unwrap();
    match users.get(&id) {
        Some(name) => HttpResponse::Ok().json(json!({"id": *id, "name": name})),
        None => HttpResponse::NotFound().json(json!({"error": "no such user"})),
    }
}

async fn change_state(store: web::Data<Store>, body: web::Json<Value>) -> HttpResponse {
    store.state_calls.lock().unwrap().push(body.0.clone());
    let id = body["params"]["id"].as_u64().unwrap_or(1);
    let mut users = store.users.lock().unwrap();
    match (body["state"].as_str(), body["action"].as_str()) {
        (Some("a user exists"), Some("setup")) => {
            users.insert(id, "Ada".to_owned());
        }
        (Some("a user exists"), Some("teardown")) => {
            users.remove(&id);
        }
        _ => {}
    }
    HttpResponse::Ok().json(json!({}))
}

/// Starts the provider on a free port in its own thread; returns its base URL and store.
fn start_provider() -> (String, Arc<Store>) {
    let store = web::Data::new(Store::default());
    let shared = store.clone().into_inner();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || {
                App::new()
                    .app_data(store.clone())
                    .route("/users/{id}", web::get().to(get_user))
                    .route("/_states", web::post().to(change_state))
                    .route("/slow/{id}", web::get().to(slow))
            })
            .workers(1)
            .bind(("127.0.0.1", 0))
            .unwrap();
            let port = server.addrs()[0].port();
            let running = server.run();
            sender.send(port).unwrap();
            running.await
        })
    });
    let port = receiver.recv().unwrap();
    (format!("http://127.0.0.1:{port}"), shared)
}

#[tokio::test]
async fn states_create_the_data_and_generators_fill_the_path() {
    let (base, store) = start_provider();
    let dir = tempfile::tempdir().unwrap();
    let mut by_state = interaction(
        "user from state",
        &[("a user exists", json!({"id": 7}))],
        "GET",
        "/users/1",
        200,
        json!({"id": 7, "name": "Ada"}),
    );
    by_state["request"]["generators"] =
        json!({"path": {"type": "ProviderState", "expression": "/users/${id}"}});
    let doc = contract(
        "web",
        "users",
        vec![
            interaction(
                "user 3",
                &[("a user exists", json!({"id": 3}))],
                "GET",
                "/users/3",
                200,
                json!({"id": 3, "name": "Ada"}),
            ),
            by_state,
        ],
    );
    let file = write_contract(dir.path(), "web-users.json", &doc);

    let output = verify(&[
        &file,
        "--provider-base-url",
        &base,
        "--provider-states-setup-url",
        &format!("{base}/_states"),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let calls = store.state_calls.lock().unwrap().clone();
    let actions: Vec<String> = calls
        .iter()
        .map(|c| format!("{} {}", c["action"].as_str().unwrap(), c["params"]["id"]))
        .collect();
    assert_eq!(actions, ["setup 3", "teardown 3", "setup 7", "teardown 7"]);
}

#[tokio::test]
async fn without_its_state_the_provider_answers_404_and_the_contract_fails() {
    let (base, _store) = start_provider();
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "users",
        vec![interaction(
            "user 3",
            &[("a user exists", json!({"id": 3}))],
            "GET",
            "/users/3",
            200,
            json!({"id": 3}),
        )],
    );
    let file = write_contract(dir.path(), "web-users.json", &doc);

    // No state change URL: the user is never created.
    let output = verify(&[
        &file,
        "--hostname",
        "127.0.0.1",
        "--port",
        base.rsplit(':').next().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("FAILED"),
        "{}",
        both(&output)
    );
}

/// The most requests in flight at once when verifying four slow interactions, with or without
/// provider states and an explicit `--concurrency`.
async fn most_in_flight(with_states: bool, extra: &[&str]) -> usize {
    let (base, store) = start_provider();
    let dir = tempfile::tempdir().unwrap();
    let state = [("nothing in particular", json!({}))];
    let states: &[(&str, Value)] = if with_states { &state } else { &[] };
    let interactions = (0..4)
        .map(|i| {
            interaction(
                &format!("slow {i}"),
                states,
                "GET",
                &format!("/slow/{i}"),
                200,
                json!({}),
            )
        })
        .collect();
    let file = write_contract(dir.path(), "c.json", &contract("web", "slow", interactions));
    let states_url = format!("{base}/_states");
    let mut args = vec![
        file.as_str(),
        "--provider-base-url",
        &base,
        "--provider-states-setup-url",
        &states_url,
    ];
    args.extend_from_slice(extra);
    let output = verify(&args).await;
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    store.most_in_flight.load(Ordering::SeqCst)
}

#[tokio::test]
async fn stateless_interactions_run_concurrently_and_stateful_ones_one_at_a_time() {
    // The default concurrency is the number of CPUs.
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);
    let stateless = most_in_flight(false, &[]).await;
    assert!(
        stateless > 1 || cpus == 1,
        "stateless interactions ran one at a time"
    );
    assert_eq!(
        most_in_flight(true, &[]).await,
        1,
        "stateful interactions overlapped"
    );
    assert!(
        most_in_flight(true, &["--concurrency", "4"]).await > 1,
        "--concurrency 4 was ignored"
    );
}
