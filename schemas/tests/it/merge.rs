//! Merge semantics (the Pact Broker's `onConflict: merge` / `PATCH`): interactions with the same
//! description and provider state(s) are replaced in place, the others are appended in order.

use serde_json::{Value, json};
use treaty_schemas::merge_contracts;

/// An interaction summarised as `description[states]=status` for compact expectations.
fn summary(document: &Value, key: &str) -> Vec<String> {
    document[key]
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|entry| {
                    let states = entry
                        .get("providerStates")
                        .map(Value::to_string)
                        .or_else(|| entry.get("providerState").map(Value::to_string))
                        .unwrap_or_default();
                    let outcome = entry
                        .pointer("/response/status")
                        .or_else(|| entry.pointer("/contents/v"))
                        .cloned()
                        .unwrap_or_default();
                    format!(
                        "{}[{states}]={outcome}",
                        entry["description"].as_str().unwrap_or_default()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn http(description: &str, state: Option<Value>, status: u16) -> Value {
    let mut interaction = json!({"description": description, "request": {"method": "GET", "path": "/"}, "response": {"status": status}});
    if let Some(states) = state {
        interaction["providerStates"] = states;
    }
    interaction
}

fn pact(interactions: Vec<Value>, tool: &str) -> Value {
    json!({
        "consumer": {"name": "c"}, "provider": {"name": "p"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}, "tool": tool}
    })
}

/// Merges `new` into `existing` and compares the summaries of `key` with `expect`.
fn check(existing: &Value, new: &Value, key: &str, expect: &[&str]) -> Value {
    let merged = merge_contracts(existing, new);
    assert_eq!(summary(&merged, key), expect);
    merged
}

#[test]
fn same_description_and_states_are_replaced_in_place_others_appended() {
    let existing = pact(
        vec![
            http("get a", Some(json!([{"name": "a exists"}])), 200),
            http("get b", None, 200),
            http(
                "get c",
                Some(json!([{"name": "c exists", "params": {"id": 1}}])),
                200,
            ),
        ],
        "old",
    );
    let new = pact(
        vec![
            http(
                "get c",
                Some(json!([{"name": "c exists", "params": {"id": 2}}])),
                201,
            ),
            http("get a", Some(json!([{"name": "a exists"}])), 404),
            http("get d", None, 200),
            http("get b", Some(json!([{"name": "b exists"}])), 500),
        ],
        "new",
    );
    let merged = check(
        &existing,
        &new,
        "interactions",
        &[
            r#"get a[[{"name":"a exists"}]]=404"#,
            "get b[]=200",
            r#"get c[[{"name":"c exists","params":{"id":1}}]]=200"#,
            r#"get c[[{"name":"c exists","params":{"id":2}}]]=201"#,
            "get d[]=200",
            r#"get b[[{"name":"b exists"}]]=500"#,
        ],
    );
    assert_eq!(
        merged["metadata"]["tool"], "old",
        "metadata comes from the existing contract"
    );
}

#[test]
fn empty_params_and_broker_ids_do_not_prevent_a_match() {
    let mut existing_interaction = http("get a", Some(json!([{"name": "s", "params": {}}])), 200);
    existing_interaction["_id"] = json!("abc");
    let existing = pact(vec![existing_interaction], "old");
    let new = pact(
        vec![http("get a", Some(json!([{"name": "s"}])), 204)],
        "new",
    );
    check(
        &existing,
        &new,
        "interactions",
        &[r#"get a[[{"name":"s"}]]=204"#],
    );
}

#[test]
fn v2_provider_state_string_matches_itself() {
    let state = |description: &str, name: &str, status: u16| json!({"description": description, "providerState": name, "request": {"method": "GET", "path": "/"}, "response": {"status": status}});
    let existing = json!({"interactions": [state("x", "s1", 200), state("x", "s2", 200)]});
    let new = json!({"interactions": [state("x", "s2", 410)]});
    check(
        &existing,
        &new,
        "interactions",
        &[r#"x["s1"]=200"#, r#"x["s2"]=410"#],
    );
}

#[test]
fn messages_merge_separately_and_missing_lists_are_taken_from_new() {
    let message =
        |description: &str, v: i64| json!({"description": description, "contents": {"v": v}});
    let existing = json!({"interactions": [http("h", None, 200)], "messages": [message("m1", 1)]});
    let new = json!({"messages": [message("m1", 2), message("m2", 1)]});
    let merged = check(&existing, &new, "messages", &["m1[]=2", "m2[]=1"]);
    assert_eq!(summary(&merged, "interactions"), ["h[]=200"]);
    let only_new = check(
        &json!({"interactions": []}),
        &json!({"messages": [message("m", 3)]}),
        "messages",
        &["m[]=3"],
    );
    assert_eq!(only_new["interactions"], json!([]));
}
