//! Webhook deliveries are durable: queued in the event's transaction, they survive a SIGKILL of
//! the broker and are sent by the next process on the same database; two processes on one
//! PostgreSQL database share the work and send each delivery exactly once.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use crate::support::broker::{Broker, Database};
use crate::support::receiver::{self, Receiver};
use crate::support::skipped;
use crate::support::webhooks::{Publication, create, pact, wait_settled};

/// A delivery claimed by a process that is then killed is claimed again when its lease runs
/// out: 2 × the 500 ms timeout + 10 s. Waiting longer than that covers it. (The kill usually
/// catches a claim in flight, so that test takes about 11 s per backend.)
const AFTER_RESTART: Duration = Duration::from_secs(40);

/// Flags for these tests: loopback allowed over http, short retries, a 500 ms call timeout.
fn flags(extra: &[&'static str]) -> Vec<&'static str> {
    let mut flags = vec![
        "--webhook-host-allow",
        "127.0.0.1",
        "--webhook-scheme-allow",
        "http",
        "--webhook-retry-delay-ms",
        "200",
        "--webhook-poll-ms",
        "50",
        "--webhook-timeout-ms",
        "500",
    ];
    flags.extend_from_slice(extra);
    flags
}

/// A webhook on every publication, the consumer version in its URL.
fn once_per_version(broker: &Broker, receiver: &Receiver, prefix: &str) -> String {
    create(
        broker,
        &json!({
            "events": [{ "name": "contract_published" }],
            "request": {
                "method": "POST",
                "url": format!("{}/{prefix}/${{pactbroker.consumerVersionNumber}}", receiver.url),
                "body": { "event": "${pactbroker.eventName}" },
            },
        }),
    )
}

#[test]
fn pending_deliveries_survive_kill_9_and_are_sent_after_restart() {
    const N: usize = 10;
    for database in Database::all("pending_deliveries_survive_kill_9_and_are_sent_after_restart") {
        let backend = database.backend;
        let receiver = Receiver::start();
        // While the first process lives, every call fails: its deliveries stay pending.
        receiver.fail_always(true);
        let mut broker = Broker::start_with_args(&database, "broker", &flags(&[]));
        let uuid = once_per_version(&broker, &receiver, "durable");
        let versions: Vec<String> = (0..N).map(|n| format!("1.0.{n}")).collect();
        for version in &versions {
            Publication::new("web", version)
                .publish(&broker, &[("orders", pact("web", "orders", version))]);
        }
        broker.kill();
        let before = receiver.calls();
        assert!(
            before.iter().all(|call| call.answered == 500),
            "[{backend}] {}",
            receiver::list(&before)
        );

        receiver.fail_always(false);
        broker.restart();
        let settled = wait_settled(&broker, &uuid, N, AFTER_RESTART);
        for delivery in &settled {
            assert_eq!(delivery["status"], "delivered", "[{backend}] {delivery}");
            assert_eq!(delivery["event"], "contract_published", "[{backend}]");
            let attempts = delivery["attempts"].as_array().expect("attempts");
            assert_eq!(
                attempts.last().map(|attempt| &attempt["responseStatus"]),
                Some(&json!(200)),
                "[{backend}] {delivery}"
            );
        }
        let calls = receiver.calls();
        let delivered: BTreeMap<&str, usize> = calls
            .iter()
            .filter(|call| call.answered == 200)
            .fold(BTreeMap::new(), |mut seen, call| {
                *seen.entry(call.path()).or_default() += 1;
                seen
            });
        for version in &versions {
            let path = format!("/durable/{version}");
            assert!(
                delivered
                    .get(path.as_str())
                    .is_some_and(|count| *count >= 1),
                "[{backend}] {path} never delivered; {} calls before the kill, all calls:\n{}\nbroker log:\n{}",
                before.len(),
                receiver::list(&calls),
                broker.log()
            );
        }
        assert!(
            calls
                .iter()
                .all(|call| call.json()["event"] == "contract_published"),
            "[{backend}]"
        );
    }
}

/// Attempts a broker's log records (`webhook attempt` lines).
fn attempts_logged(log: &str) -> usize {
    log.lines()
        .filter(|line| line.contains("webhook attempt") && !line.contains("cannot record"))
        .count()
}

#[test]
fn two_brokers_on_one_postgresql_database_deliver_each_job_exactly_once() {
    const N: usize = 60;
    // Two processes on one SQLite file are not supported (one worker per database there).
    if std::env::var_os("TREATY_TEST_DATABASE_URL").is_none() {
        skipped(
            "skipped: set TREATY_TEST_DATABASE_URL to run two_brokers_on_one_postgresql_database_deliver_each_job_exactly_once (PostgreSQL only: two broker processes share deliveries only there)",
        );
        return;
    }
    let database =
        Database::postgres("two_brokers_on_one_postgresql_database_deliver_each_job_exactly_once")
            .expect("TREATY_TEST_DATABASE_URL is set");
    let receiver = Receiver::start();
    let extra = ["--webhook-concurrency", "4"];
    // One after the other, so that the second finds the migrations done.
    let first = Broker::start_with_args(&database, "broker-a", &flags(&extra));
    let second = Broker::start_with_args(&database, "broker-b", &flags(&extra));
    let uuid = once_per_version(&first, &receiver, "once");

    // Each broker gets half of the publications, both at once.
    std::thread::scope(|scope| {
        for (offset, broker) in [(0, &first), (1, &second)] {
            scope.spawn(move || {
                for n in (offset..N).step_by(2) {
                    let version = format!("2.0.{n}");
                    Publication::new("web", &version)
                        .publish(broker, &[("orders", pact("web", "orders", &version))]);
                }
            });
        }
    });

    let settled = wait_settled(&first, &uuid, N, Duration::from_secs(30));
    for delivery in &settled {
        assert_eq!(delivery["status"], "delivered", "{delivery}");
        assert_eq!(
            delivery["attemptCount"], 1,
            "a delivery sent more than once: {delivery}"
        );
    }
    // Nothing is still on its way.
    std::thread::sleep(Duration::from_millis(300));
    let calls = receiver.calls();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for call in &calls {
        *seen.entry(call.path()).or_default() += 1;
    }
    let twice: Vec<(&&str, &usize)> = seen.iter().filter(|(_, count)| **count > 1).collect();
    assert!(
        twice.is_empty(),
        "sent more than once: {twice:?}\n{}",
        receiver::list(&calls)
    );
    assert_eq!(seen.len(), N, "{}", receiver::list(&calls));
    assert_eq!(calls.len(), N, "{}", receiver::list(&calls));
    for n in 0..N {
        assert!(
            seen.contains_key(format!("/once/2.0.{n}").as_str()),
            "2.0.{n}"
        );
    }

    // Both processes delivered some, and together each delivery once.
    let (a, b) = (
        attempts_logged(&first.log()),
        attempts_logged(&second.log()),
    );
    assert_eq!(
        a + b,
        N,
        "attempts logged: {a} by the first broker, {b} by the second"
    );
    assert!(
        a > 0 && b > 0,
        "attempts logged: {a} by the first broker, {b} by the second"
    );
}
