//! `POST /contracts/publish`: new, idempotent, conflicting, overwritten, merged, several
//! contracts at once, and validation failures.

use serde_json::json;

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, contract, encode, pact};

dbtest!(
    async fn publishing_creates_pacticipants_version_branch_tags_and_pact(backend) {
        let app = TestApp::start(backend).await;
        let body = PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["a request"])).branch("main").tags(&["dev", "prod"]).build();
        let reply = app.publish(&body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.content_type, "application/hal+json;charset=utf-8");
        assert_eq!(reply.body["_embedded"]["pacticipant"]["name"], "Foo");
        assert_eq!(reply.body["_embedded"]["version"]["number"], "1.0.0");
        assert_eq!(reply.body["_links"]["pb:contracts"].as_array().map(Vec::len), Some(1));
        assert_eq!(reply.body["_links"]["pb:pacticipant-version-tags"].as_array().map(Vec::len), Some(2));
        // The `pact` CLI prints notices only when `logs` deserialises too (a string deprecationWarning).
        assert!(reply.body["logs"][0]["deprecationWarning"].is_string(), "{}", reply.body);
        let notices = reply.body["notices"].to_string();
        assert!(notices.contains("Pact published for Foo version 1.0.0 and provider Bar"), "{notices}");

        let pact_reply = app.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").await;
        assert_eq!(pact_reply.status, 200);
        assert_eq!(pact_reply.body["interactions"][0]["description"], "a request");
        assert!(pact_reply.body["interactions"][0]["_id"].is_string());
        let consumer = app.get("/pacticipants/Foo").await;
        assert_eq!(consumer.body["mainBranch"], "main", "main branch detected automatically");
        assert_eq!(app.get("/pacticipants/Bar").await.status, 200, "provider created");
        let version = app.get("/pacticipants/Foo/versions/1.0.0").await;
        let tags: Vec<&str> = version.body["_embedded"]["tags"].as_array().into_iter().flatten().filter_map(|tag| tag["name"].as_str()).collect();
        assert_eq!(tags, ["dev", "prod"]);
        assert_eq!(version.body["_embedded"]["branchVersions"][0]["name"], "main");
    }
);

dbtest!(
    async fn publishing_the_same_content_again_is_an_idempotent_success(backend) {
        let app = TestApp::start(backend).await;
        let document = pact("Foo", "Bar", &["a request", "another request"]);
        let body = PublishBody::new("Foo", "1.0.0", "Bar", &document).build();
        assert_eq!(app.publish(&body).await.status, 200);
        // Same meaning, different key and interaction order: still the same content.
        let mut reordered = document.clone();
        if let Some(interactions) = reordered["interactions"].as_array_mut() {
            interactions.reverse();
        }
        let again = app.publish(&PublishBody::new("Foo", "1.0.0", "Bar", &reordered).build()).await;
        assert_eq!(again.status, 200, "{}", again.body);
        assert!(again.body["notices"].to_string().contains("unchanged"), "{}", again.body);
        let counts = app.row_counts().await;
        assert_eq!((counts["versions"], counts["contents"], counts["publications"]), (1, 1, 1));
    }
);

dbtest!(
    async fn publishing_different_content_for_the_same_version_is_a_conflict(backend) {
        let app = TestApp::start(backend).await;
        assert_eq!(app.publish(&PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["a request"])).build()).await.status, 200);
        let changed = PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["a different request"])).tags(&["never"]).build();
        let reply = app.publish(&changed).await;
        assert_eq!(reply.status, 409, "{}", reply.body);
        let message = reply.body["errors"]["contracts"][0].as_str().unwrap_or_default();
        assert!(message.contains("`Foo` version `1.0.0`"), "{message}");
        assert!(message.contains("publish under a new consumer version, or start the broker with --allow-contract-overwrite"), "{message}");
        assert_eq!(reply.body["notices"][0]["type"], "error");
        // Nothing of the refused request was written, not even its tag.
        let counts = app.row_counts().await;
        assert_eq!((counts["tags"], counts["contents"], counts["publications"]), (0, 1, 1));
        let stored = app.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").await;
        assert_eq!(stored.body["interactions"][0]["description"], "a request");
    }
);

dbtest!(
    async fn overwriting_is_allowed_when_the_operator_says_so(backend) {
        let app = TestApp::builder(backend).allow_contract_overwrite().start().await;
        assert_eq!(app.publish(&PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["a request"])).build()).await.status, 200);
        let reply = app.publish(&PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["a new request"])).build()).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let stored = app.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").await;
        assert_eq!(stored.body["interactions"][0]["description"], "a new request");
    }
);

dbtest!(
    async fn merge_adds_new_interactions_to_the_existing_contract(backend) {
        let app = TestApp::start(backend).await;
        assert_eq!(app.publish(&PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["one", "two"])).build()).await.status, 200);
        let merge = PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["two", "three"])).on_conflict("merge").build();
        let reply = app.publish(&merge).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let stored = app.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").await;
        let mut descriptions: Vec<&str> = stored.body["interactions"].as_array().into_iter().flatten().filter_map(|i| i["description"].as_str()).collect();
        descriptions.sort_unstable();
        assert_eq!(descriptions, ["one", "three", "two"]);
    }
);

dbtest!(
    async fn several_contracts_publish_in_one_request(backend) {
        let app = TestApp::start(backend).await;
        let body = PublishBody::new("Foo", "1.0.0", "Bar", &pact("Foo", "Bar", &["a request"]))
            .with_contract(contract("Foo", "Baz", &pact("Foo", "Baz", &["a baz request"])))
            .build();
        let reply = app.publish(&body).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["_links"]["pb:contracts"].as_array().map(Vec::len), Some(2));
        assert_eq!(app.get("/pacts/provider/Baz/consumer/Foo/version/1.0.0").await.status, 200);
        assert_eq!(app.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").await.status, 200);
    }
);

dbtest!(
    async fn invalid_requests_list_every_fault_by_field(backend) {
        let app = TestApp::start(backend).await;
        let mut body = PublishBody::new("Foo", " ", "Bar", &pact("Foo", "Bar", &["a request"])).branch("").build();
        body["contracts"][0]["consumerName"] = json!("NotFoo");
        body["contracts"].as_array_mut().expect("array").push(json!({
            "consumerName": "Foo", "providerName": "Baz", "specification": "pact",
            "contentType": "application/json", "content": "%%% not base64 %%%",
        }));
        let reply = app.publish(&body).await;
        assert_eq!(reply.status, 400, "{}", reply.body);
        let errors = &reply.body["errors"];
        assert!(errors["pacticipantVersionNumber"][0].as_str().unwrap_or_default().contains("blank"), "{errors}");
        assert!(errors["branch"][0].is_string(), "{errors}");
        assert!(errors["contracts/0/consumerName"][0].as_str().unwrap_or_default().contains("must equal pacticipantName `Foo`"), "{errors}");
        assert!(errors["contracts/1/content"][0].as_str().unwrap_or_default().contains("base64"), "{errors}");
        assert_eq!(app.row_counts().await["pacticipants"], 0);
    }
);

dbtest!(
    async fn content_that_is_not_a_pact_is_refused_with_its_pointer(backend) {
        let app = TestApp::start(backend).await;
        let not_json = json!({
            "pacticipantName": "Foo", "pacticipantVersionNumber": "1",
            "contracts": [{ "consumerName": "Foo", "providerName": "Bar", "content": encode_text("{not json") }],
        });
        let reply = app.publish(&not_json).await;
        assert_eq!(reply.status, 400);
        assert!(reply.body["errors"]["contracts/0/content"][0].as_str().unwrap_or_default().contains("not valid JSON"), "{}", reply.body);

        let mut broken = pact("Foo", "Bar", &["a request"]);
        broken["interactions"][0]["response"]["status"] = json!("two hundred");
        let reply = app.publish(&PublishBody::new("Foo", "1", "Bar", &broken).build()).await;
        assert_eq!(reply.status, 400, "{}", reply.body);
        let messages = reply.body["errors"]["contracts/0/content"].to_string();
        assert!(messages.contains("/interactions/0/response/status"), "{messages}");
        let array = json!({ "pacticipantName": "Foo", "pacticipantVersionNumber": "1",
            "contracts": [{ "consumerName": "Foo", "providerName": "Bar", "content": encode(&json!([1, 2])) }] });
        assert_eq!(app.publish(&array).await.status, 400);
    }
);

fn encode_text(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

dbtest!(
    async fn names_inside_the_contract_must_be_the_integrations(backend) {
        let app = TestApp::start(backend).await;
        let reply = app.publish(&PublishBody::new("Foo", "1", "Bar", &pact("Other", "Bar", &["a request"])).build()).await;
        assert_eq!(reply.status, 400, "{}", reply.body);
        let message = reply.body["errors"]["contracts/0/content"][0].as_str().unwrap_or_default();
        assert!(message.contains("/consumer/name") && message.contains("`Other`"), "{message}");
        let put = app.put("/pacts/provider/Baz/consumer/Foo/version/1", &pact("Foo", "Bar", &["a request"])).await;
        assert_eq!(put.status, 400, "{}", put.body);
        assert!(put.body["errors"]["pact"][0].as_str().unwrap_or_default().contains("/provider/name"));
    }
);
