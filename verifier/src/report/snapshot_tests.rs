//! Snapshots of every reporter over one fixed report: a passing, a failing, an erroneous and a
//! pending interaction. A change in output shows here as a diff to review.

use std::time::Duration;

use crate::replay::{
    ContractReport, ErrorKind, InteractionOutcome, InteractionReport, MismatchReport,
    VerificationReport,
};

fn interaction(
    description: &str,
    states: &[&str],
    outcome: InteractionOutcome,
) -> InteractionReport {
    InteractionReport {
        description: description.to_owned(),
        provider_states: states.iter().map(|s| (*s).to_owned()).collect(),
        request: "GET /orders/1".to_owned(),
        outcome,
        duration: Duration::from_millis(12),
        pending: false,
        interaction_id: None,
    }
}

fn fixture() -> VerificationReport {
    let mismatch = MismatchReport {
        part: "body".to_owned(),
        path: "$.total".to_owned(),
        expected: Some("12.5".to_owned()),
        actual: Some("\"12.50\"".to_owned()),
        message: "$.total: expected a number, got \"12.50\"".to_owned(),
    };
    let mut pending = interaction(
        "new field",
        &[],
        InteractionOutcome::Failed {
            mismatches: vec![mismatch.clone()],
        },
    );
    pending.pending = true;
    VerificationReport {
        provider: Some("orders".to_owned()),
        provider_base_url: "http://127.0.0.1:8080".to_owned(),
        contracts: vec![
            ContractReport {
                consumer: "web".to_owned(),
                provider: "orders".to_owned(),
                source: "pacts/web-orders.json".to_owned(),
                consumer_version: Some("1.2.3".to_owned()),
                pending: false,
                selection: None,
                interactions: vec![
                    interaction("an order", &["order 1 exists"], InteractionOutcome::Passed),
                    interaction("a total", &[], InteractionOutcome::Failed { mismatches: vec![mismatch] }),
                    interaction(
                        "a <special> order",
                        &["order 2 exists"],
                        InteractionOutcome::Error {
                            kind: ErrorKind::ProviderState,
                            reason: "provider state setup of \"order 2 exists\" failed: http://127.0.0.1:8080/_states answered 500 Internal Server Error".to_owned(),
                        },
                    ),
                ],
            },
            ContractReport {
                consumer: "mobile".to_owned(),
                provider: "orders".to_owned(),
                source: "pacts/mobile-orders.json".to_owned(),
                consumer_version: None,
                pending: false,
                selection: None,
                interactions: vec![pending],
            },
        ],
        duration: Duration::from_millis(1500),
    }
}

fn check(actual: &str, expected: &str) {
    if actual != expected {
        panic!("snapshot differs\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}

#[test]
fn console() {
    let mut out = Vec::new();
    super::console::render(&fixture(), false, &mut out).unwrap();
    check(
        &String::from_utf8(out).unwrap(),
        r#"Verifying web 1.2.3 -> orders (pacts/web-orders.json)
  OK      GET /orders/1 - an order (given order 1 exists) (12ms)
  FAILED  GET /orders/1 - a total (12ms)
          $.total: expected a number, got "12.50"
  ERROR   GET /orders/1 - a <special> order (given order 2 exists) (12ms)
          provider state setup of "order 2 exists" failed: http://127.0.0.1:8080/_states answered 500 Internal Server Error
Verifying mobile -> orders (pacts/mobile-orders.json)
  PENDING GET /orders/1 - new field (12ms)
          $.total: expected a number, got "12.50"

consumer  contract version  passed  failed  result
web       1.2.3             1       2       failed
mobile    -                 0       1       pending
1 pending failure does not fail the run (mobile)

4 interactions in 2 contracts, failed in 1.5s
"#,
    );
}

#[test]
fn markdown() {
    check(
        &super::markdown::render(&fixture()),
        r#"## Contract verification of orders: ❌ failed

| Consumer | Contract version | Passed | Failed | Result |
|---|---|---:|---:|---|
| web | 1.2.3 | 1 | 2 | ❌ failed |
| mobile | - | 0 | 1 | ⏳ pending |

4 interactions in 2 contracts against `http://127.0.0.1:8080`.

⏳ 1 pending failure does not fail the run (mobile).

### Failures

- **web** — a total: `GET /orders/1`
  - $.total: expected a number, got "12.50"
- **web** — a <special> order (given order 2 exists): `GET /orders/1`
  - provider state setup of "order 2 exists" failed: http://127.0.0.1:8080/_states answered 500 Internal Server Error
- **mobile** — new field (pending): `GET /orders/1`
  - $.total: expected a number, got "12.50"
"#,
    );
}

#[test]
fn junit() {
    check(
        &super::junit::render(&fixture()),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="treaty verify" tests="4" failures="1" errors="1" skipped="1" time="1.500">
  <testsuite name="web" tests="3" failures="1" errors="1" skipped="0" time="0.036">
    <properties>
      <property name="source" value="pacts/web-orders.json"/>
      <property name="contractVersion" value="1.2.3"/>
    </properties>
    <testcase name="an order (given order 1 exists)" classname="web.orders" time="0.012"/>
    <testcase name="a total" classname="web.orders" time="0.012">
      <failure message="$.total: expected a number, got &quot;12.50&quot;" type="mismatch">$.total: expected a number, got &quot;12.50&quot;</failure>
    </testcase>
    <testcase name="a &lt;special&gt; order (given order 2 exists)" classname="web.orders" time="0.012">
      <error message="provider state setup of &quot;order 2 exists&quot; failed: http://127.0.0.1:8080/_states answered 500 Internal Server Error" type="provider-state">provider state setup of &quot;order 2 exists&quot; failed: http://127.0.0.1:8080/_states answered 500 Internal Server Error</error>
    </testcase>
  </testsuite>
  <testsuite name="mobile" tests="1" failures="0" errors="0" skipped="1" time="0.012">
    <properties>
      <property name="source" value="pacts/mobile-orders.json"/>
      <property name="contractVersion" value="-"/>
    </properties>
    <testcase name="new field" classname="mobile.orders" time="0.012">
      <skipped message="pending, does not fail the run: $.total: expected a number, got &quot;12.50&quot;"/>
    </testcase>
  </testsuite>
</testsuites>
"#,
    );
}

#[test]
fn json_is_valid_json_with_the_outcomes() {
    let value: serde_json::Value = serde_json::from_str(&super::json::render(&fixture())).unwrap();
    assert_eq!(value["result"], "failed");
    assert_eq!(value["contracts"][1]["result"], "pending");
    assert_eq!(
        value["contracts"][0]["interactions"][1]["mismatches"][0]["actual"],
        "\"12.50\""
    );
}

#[test]
fn counts_are_singular_for_one() {
    let mut report = fixture();
    assert_eq!(super::counts(&report), "4 interactions in 2 contracts");
    report.contracts.truncate(1);
    report.contracts[0].interactions.truncate(1);
    assert_eq!(super::counts(&report), "1 interaction in 1 contract");
}

/// A contract from the broker: pending, work in progress, with the broker's reasons.
fn broker_fixture() -> VerificationReport {
    let mut report = fixture();
    report.contracts.remove(0);
    let contract = &mut report.contracts[0];
    contract.pending = true;
    contract.consumer_version = Some("2.0.0".to_owned());
    contract.selection = Some(crate::source::Selection {
        reasons: "latest from branch feat/x".to_owned(),
        notices: vec!["The pact is pending for branch main.".to_owned()],
        wip: true,
    });
    report
}

#[test]
fn broker_contracts_say_why_they_were_selected_and_that_they_are_pending() {
    let report = broker_fixture();
    let mut out = Vec::new();
    super::console::render(&report, false, &mut out).unwrap();
    check(
        &String::from_utf8(out).unwrap(),
        r#"Verifying mobile 2.0.0 -> orders (pacts/mobile-orders.json)
  selected: latest from branch feat/x
  pending, work in progress: its failures are reported and do not fail the run
  broker: The pact is pending for branch main.
  PENDING GET /orders/1 - new field (12ms)
          $.total: expected a number, got "12.50"

consumer  contract version  passed  failed  result
mobile    2.0.0             0       1       pending
1 pending failure does not fail the run (mobile 2.0.0)

1 interaction in 1 contract, passed in 1.5s
"#,
    );
    let markdown = super::markdown::render(&report);
    assert!(
        markdown.contains(
            "### Why these contracts\n\n- **mobile** 2.0.0\n  - selected: latest from branch feat/x\n  - pending, work in progress: its failures are reported and do not fail the run\n  - broker: The pact is pending for branch main.\n"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("⏳ 1 pending failure does not fail the run (mobile 2.0.0)."),
        "{markdown}"
    );
    let junit = super::junit::render(&report);
    assert!(
        junit.contains(r#"<property name="selection" value="2.0.0: selected: latest from branch feat/x; pending, work in progress: its failures are reported and do not fail the run; broker: The pact is pending for branch main."/>"#),
        "{junit}"
    );
    assert!(
        junit.contains(r#"<skipped message="pending, does not fail the run: $.total"#),
        "{junit}"
    );
    let json: serde_json::Value = serde_json::from_str(&super::json::render(&report)).unwrap();
    assert_eq!(json["result"], "passed");
    assert_eq!(json["summary"]["pendingFailed"], 1);
    assert_eq!(
        json["contracts"][0]["selection"]["reasons"],
        "latest from branch feat/x"
    );
    assert_eq!(json["contracts"][0]["selection"]["wip"], true);
}
