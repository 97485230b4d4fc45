//! The matrix and can-i-deploy over HTTP, on both backends, built with the real write
//! endpoints (publish, verification results, environments, deployments, releases, branches):
//! the response shape the `pact` CLI reads, the tri-state verdict, notices and explanations,
//! undeployment, the provider side with `ignore[]`, two applications released together,
//! can-i-merge, `/can-i-deploy`, and the 400s.

use serde_json::{Value, json};

use crate::dbtest;
use crate::environments::create_environment;
use crate::support::fixtures::{PublishBody, pact};
use crate::support::{Reply, TestApp};

/// `consumer` `version` publishes a pact with `provider` whose interactions are `descriptions`.
async fn publish(
    app: &TestApp,
    consumer: &str,
    version: &str,
    provider: &str,
    descriptions: &[&str],
) {
    let body = PublishBody::new(
        consumer,
        version,
        provider,
        &pact(consumer, provider, descriptions),
    )
    .build();
    let reply = app.publish(&body).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// `provider` `provider_version` publishes a result for the pact of `consumer` `version`.
async fn verify(
    app: &TestApp,
    consumer: &str,
    version: &str,
    provider: &str,
    provider_version: &str,
    success: bool,
) {
    let document = app
        .get(&format!(
            "/pacts/provider/{provider}/consumer/{consumer}/version/{version}"
        ))
        .await;
    let href = document.body["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = app
        .post(
            href.trim_start_matches(&app.base),
            &json!({ "success": success, "providerApplicationVersion": provider_version }),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
}

async fn deploy(app: &TestApp, pacticipant: &str, number: &str, environment: &str) -> Reply {
    let reply = app
        .post(&format!("/pacticipants/{pacticipant}/versions/{number}/deployed-versions/environment/{environment}"), &json!({}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply
}

async fn release(app: &TestApp, pacticipant: &str, number: &str, environment: &str) {
    let reply = app
        .post(&format!("/pacticipants/{pacticipant}/versions/{number}/released-versions/environment/{environment}"), &json!({}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
}

async fn put_version(app: &TestApp, pacticipant: &str, number: &str) {
    let reply = app
        .put(
            &format!("/pacticipants/{pacticipant}/versions/{number}"),
            &json!({}),
        )
        .await;
    assert!(reply.status == 201 || reply.status == 200, "{}", reply.body);
}

fn texts(body: &Value) -> Vec<String> {
    body["notices"]
        .as_array()
        .map(|notices| {
            notices
                .iter()
                .filter_map(|notice| notice["text"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_notice(body: &Value, text: &str) {
    let all = texts(body);
    assert!(
        all.iter().any(|notice| notice.contains(text)),
        "no notice contains {text:?}: {all:#?}"
    );
}

fn to_environment(pacticipant: &str, version: &str, environment: &str) -> String {
    format!(
        "/matrix?q[][pacticipant]={pacticipant}&q[][version]={version}&latestby=cvpv&environment={environment}"
    )
}

dbtest!(
    async fn a_consumer_waits_for_its_provider_then_deploys(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "web", "1.2.3", "orders", &["get order"]).await;
        let production = create_environment(&app, "production", true).await;

        let before = app.get(&to_environment("web", "1.2.3", "production")).await;
        assert_eq!(before.status, 200, "{}", before.body);
        assert!(before.content_type.starts_with("application/hal+json"), "{}", before.content_type);
        assert_eq!(before.body["summary"]["deployable"], Value::Null);
        assert_eq!(before.body["summary"]["unknown"], 1);
        assert_notice(&before.body, "There is no verified pact between version 1.2.3 of web and a version of orders currently in production (no version is currently recorded as deployed/released in this environment)");
        assert_notice(&before.body, "orders has no version recorded in production: record its deployment or release, or --ignore orders");
        assert_eq!(before.body["matrix"][0]["provider"]["version"], Value::Null);
        assert_eq!(before.body["matrix"][0]["verificationResult"], Value::Null);

        verify(&app, "web", "1.2.3", "orders", "4.5.6", true).await;
        let environment = create_environment(&app, "test", false).await;
        deploy(&app, "orders", "4.5.6", &production).await;
        deploy(&app, "orders", "4.5.6", &environment).await;
        let after = app.get(&to_environment("web", "1.2.3", "production")).await;
        assert_eq!(after.body["summary"]["deployable"], true, "{}", after.body);
        assert_eq!(after.body["summary"]["reason"], "All required verification results are published and successful");
        assert_eq!((after.body["summary"]["success"].clone(), after.body["summary"]["failed"].clone()), (json!(1), json!(0)));
        let row = &after.body["matrix"][0];
        assert_eq!(row["consumer"]["name"], "web");
        assert_eq!(row["consumer"]["version"]["number"], "1.2.3");
        assert_eq!(row["provider"]["version"]["number"], "4.5.6");
        let environments: Vec<&str> = row["provider"]["version"]["environments"].as_array().unwrap().iter().filter_map(|e| e["name"].as_str()).collect();
        assert_eq!(environments, vec!["production", "test"]);
        assert_eq!(row["pact"]["_links"]["self"]["href"], app.url("/pacts/provider/orders/consumer/web/version/1.2.3"));
        assert_eq!(row["verificationResult"]["success"], true);
        let result = row["verificationResult"]["_links"]["self"]["href"].as_str().unwrap();
        assert!(result.ends_with("/verification-results/1"), "{result}");
        assert_eq!(app.get(result.trim_start_matches(&app.base)).await.status, 200);
        assert!(row["explanation"].as_str().unwrap().starts_with("web 1.2.3 (the version asked about) with orders 4.5.6 (deployed to production): verified successfully"), "{}", row["explanation"]);
    }
);

dbtest!(
    async fn an_undeployed_provider_no_longer_counts(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "web", "1", "orders", &["get order"]).await;
        verify(&app, "web", "1", "orders", "4", true).await;
        let production = create_environment(&app, "production", true).await;
        let deployed = deploy(&app, "orders", "4", &production).await;
        assert_eq!(app.get(&to_environment("web", "1", "production")).await.body["summary"]["deployable"], true);
        let uuid = deployed.body["uuid"].as_str().unwrap();
        let response = app
            .client
            .patch(app.url(&format!("/deployed-versions/{uuid}")))
            .header("Content-Type", "application/merge-patch+json")
            .body(json!({ "currentlyDeployed": false }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let after = app.get(&to_environment("web", "1", "production")).await;
        assert_eq!(after.body["summary"]["deployable"], Value::Null, "{}", after.body);
    }
);

dbtest!(
    async fn a_provider_is_checked_against_its_deployed_and_released_consumers(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "web", "1", "orders", &["get order"]).await;
        publish(&app, "mobile", "7", "orders", &["list orders"]).await;
        publish(&app, "mobile", "8", "orders", &["list orders", "cancel order"]).await;
        let production = create_environment(&app, "production", true).await;
        deploy(&app, "web", "1", &production).await;
        release(&app, "mobile", "7", &production).await;
        release(&app, "mobile", "8", &production).await;
        verify(&app, "web", "1", "orders", "5", true).await;
        verify(&app, "mobile", "7", "orders", "5", true).await;
        verify(&app, "mobile", "8", "orders", "5", false).await;

        let answer = app.get(&to_environment("orders", "5", "production")).await;
        assert_eq!(answer.body["summary"]["deployable"], false, "{}", answer.body);
        assert_eq!((answer.body["summary"]["success"].clone(), answer.body["summary"]["failed"].clone()), (json!(2), json!(1)));
        assert_notice(&answer.body, "The verification for the pact between one of the versions of mobile currently in production (8) and version 5 of orders failed");

        let ignoring = app.get("/matrix?q[][pacticipant]=orders&q[][version]=5&ignore[][pacticipant]=mobile&latestby=cvpv&environment=production").await;
        assert_eq!(ignoring.body["summary"]["deployable"], true, "{}", ignoring.body);
        assert_eq!(ignoring.body["summary"]["ignored"], 2);
        let ignored: Vec<bool> = ignoring.body["matrix"].as_array().unwrap().iter().map(|row| row["ignored"] == true).collect();
        assert_eq!(ignored, vec![false, true, true]);

        let fresh = app.get(&to_environment("orders", "6", "production")).await;
        assert_eq!(fresh.body["summary"]["deployable"], false, "{}", fresh.body);
        assert_notice(&fresh.body, "No pacts or verifications have been published for version 6 of orders");
    }
);

dbtest!(
    async fn each_integration_gets_its_own_rows_when_all_are_read_together(backend) {
        // orders consumes stock and payments and is consumed by web, and every counterpart is in
        // production: the loader reads the pacts and verifications of all four integrations in
        // one query each, and each row must still pair the right versions.
        let app = TestApp::start(backend).await;
        publish(&app, "orders", "3", "stock", &["reserve"]).await;
        publish(&app, "orders", "3", "payments", &["charge"]).await;
        publish(&app, "web", "9", "orders", &["get order"]).await;
        publish(&app, "mobile", "2", "orders", &["list orders"]).await;
        verify(&app, "orders", "3", "stock", "11", true).await;
        verify(&app, "orders", "3", "payments", "21", false).await;
        verify(&app, "orders", "3", "payments", "22", true).await;
        verify(&app, "web", "9", "orders", "3", true).await;
        let production = create_environment(&app, "production", true).await;
        for (pacticipant, number) in [("stock", "11"), ("payments", "21"), ("web", "9"), ("mobile", "2")] {
            deploy(&app, pacticipant, number, &production).await;
        }

        let answer = app.get(&to_environment("orders", "3", "production")).await;
        assert_eq!(answer.body["summary"]["deployable"], Value::Null, "{}", answer.body);
        let summary = &answer.body["summary"];
        assert_eq!((summary["success"].clone(), summary["failed"].clone(), summary["unknown"].clone()), (json!(2), json!(1), json!(1)), "{}", answer.body);
        let rows: Vec<(String, String, String, String, Value)> = answer.body["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                let name = |side: &str| row[side]["name"].as_str().unwrap_or_default().to_owned();
                let number = |side: &str| row[side]["version"]["number"].as_str().unwrap_or("-").to_owned();
                (name("consumer"), number("consumer"), name("provider"), number("provider"), row["verificationResult"]["success"].clone())
            })
            .collect();
        let row = |c: &str, cv: &str, p: &str, pv: &str, success: Value| (c.to_owned(), cv.to_owned(), p.to_owned(), pv.to_owned(), success);
        assert_eq!(rows, vec![
            row("mobile", "2", "orders", "-", Value::Null),
            row("orders", "3", "payments", "21", json!(false)),
            row("orders", "3", "stock", "11", json!(true)),
            row("web", "9", "orders", "3", json!(true)),
        ]);
    }
);

dbtest!(
    async fn two_applications_released_together_are_checked_against_each_other(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "web", "1", "orders", &["get order"]).await;
        verify(&app, "web", "1", "orders", "4", true).await;
        let production = create_environment(&app, "production", true).await;
        deploy(&app, "web", "1", &production).await;
        deploy(&app, "orders", "4", &production).await;
        publish(&app, "web", "2", "orders", &["get order", "cancel order"]).await;
        verify(&app, "web", "2", "orders", "5", true).await;

        let alone = app.get(&to_environment("web", "2", "production")).await;
        assert_eq!(alone.body["summary"]["deployable"], Value::Null, "{}", alone.body);
        assert_notice(&alone.body, "no verification of web 2 (the version asked about) by orders 4 (deployed to production)");
        let together = app
            .get("/matrix?q[][pacticipant]=web&q[][version]=2&q[][pacticipant]=orders&q[][version]=5&latestby=cvpv&environment=production")
            .await;
        assert_eq!(together.body["summary"]["deployable"], true, "{}", together.body);
        assert_eq!(together.body["matrix"].as_array().unwrap().len(), 1);
        assert_eq!(together.body["matrix"][0]["provider"]["version"]["number"], "5");
    }
);

dbtest!(
    async fn can_i_merge_checks_the_latest_main_branch_version(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "web", "2", "orders", &["get order"]).await;
        verify(&app, "web", "2", "orders", "6", true).await;
        let reply = app.put("/pacticipants/orders/branches/main/versions/6", &json!({})).await;
        assert!(reply.status == 201 || reply.status == 200, "{}", reply.body);
        let merge = "/matrix?q[][pacticipant]=web&q[][version]=2&latestby=cvp&latest=true&mainBranch=true";
        let answer = app.get(merge).await;
        assert_eq!(answer.body["summary"]["deployable"], true, "{}", answer.body);
        assert_eq!(answer.body["matrix"][0]["provider"]["version"]["branch"], "main");

        put_version(&app, "orders", "7").await;
        let reply = app.put("/pacticipants/orders/branches/main/versions/7", &json!({})).await;
        assert!(reply.status == 201 || reply.status == 200, "{}", reply.body);
        let answer = app.get(merge).await;
        assert_eq!(answer.body["summary"]["deployable"], Value::Null, "{}", answer.body);
        assert_notice(&answer.body, "There is no verified pact between version 2 of web and the latest version of orders from the main branch (7)");
    }
);

dbtest!(
    async fn the_can_i_deploy_resource_answers_the_same_question(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "web", "1", "orders", &["get order"]).await;
        verify(&app, "web", "1", "orders", "4", true).await;
        let production = create_environment(&app, "production", true).await;
        deploy(&app, "orders", "4", &production).await;
        let index = app.get("/").await;
        let template = index.body["_links"]["pb:can-i-deploy-pacticipant-version-to-environment"]["href"].as_str().unwrap().to_owned();
        assert_eq!(index.body["_links"]["pb:can-i-deploy-pacticipant-version-to-environment"]["templated"], true);
        let href = template.replace("{pacticipant}", "web").replace("{version}", "1").replace("{environment}", "production");
        let answer = app.get(href.trim_start_matches(&app.base)).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body["summary"]["deployable"], true);
        let to_tag = app.get("/can-i-deploy?pacticipant=web&version=1&to=prod").await;
        assert_eq!(to_tag.body["summary"]["deployable"], Value::Null, "no orders version is tagged prod: {}", to_tag.body);
        assert_notice(&to_tag.body, "the latest version of orders with tag prod (no such version exists)");
        let refused = app.get("/can-i-deploy?pacticipant=web&version=1").await;
        assert_eq!(refused.status, 400);
        assert_eq!(refused.body["errors"][0], "Must specify either an environment or a 'to' tag.");
    }
);

dbtest!(
    async fn unknown_names_and_contradictions_are_400s_with_a_list_of_messages(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "web", "1", "orders", &["get order"]).await;
        let unknown = app.get("/matrix?q[][pacticipant]=nobody&q[][version]=1&latestby=cvpv&environment=production").await;
        assert_eq!(unknown.status, 400, "{}", unknown.body);
        assert_eq!(unknown.body["errors"], json!(["Pacticipant nobody not found", "Environment with name 'production' does not exist"]), "a list of messages, as the Pact Broker's matrix answers");
        let both = app.get("/matrix?q[][pacticipant]=web&q[][version]=1&tag=prod&environment=production").await;
        assert_eq!(both.status, 400);
        assert_eq!(both.body["errors"][0], "Cannot specify more than one of tag, environment and mainBranch.");
        let latest = app.get("/matrix?q[][pacticipant]=web&q[][version]=1&q[][latest]=true").await;
        assert_eq!(latest.status, 400);
        assert_eq!(latest.body["errors"][0], "A version number and latest flag cannot both be specified for web");
        let none = app.get("/matrix").await;
        assert_eq!(none.status, 400);
        assert_eq!(none.body["errors"][0], "Please provide 1 or more version selectors.");
    }
);

dbtest!(
    async fn a_branch_selector_between_two_named_pacticipants_lists_each_version(backend) {
        let app = TestApp::start(backend).await;
        for version in ["1", "2"] {
            let document = pact("web", "orders", &["get order", version]);
            let reply = app.publish(&PublishBody::new("web", version, "orders", &document).branch("feat/x").build()).await;
            assert_eq!(reply.status, 200, "{}", reply.body);
        }
        publish(&app, "web", "3", "orders", &["on another branch"]).await;
        verify(&app, "web", "1", "orders", "4", true).await;
        let answer = app
            .get("/matrix?q[][pacticipant]=web&q[][branch]=feat%2Fx&q[][pacticipant]=orders&q[][version]=4&latestby=cvpv")
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let rows: Vec<(String, Value)> = answer.body["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| (row["consumer"]["version"]["number"].as_str().unwrap().to_owned(), row["verificationResult"]["success"].clone()))
            .collect();
        assert_eq!(rows, vec![("2".to_owned(), Value::Null), ("1".to_owned(), json!(true))]);
        assert_eq!(answer.body["summary"]["deployable"], Value::Null);
        assert_eq!(answer.body["matrix"][0]["consumer"]["version"]["branch"], "feat/x");
        assert_notice(&answer.body, "There is no verified pact between one of the versions of web from branch feat/x (2) and version 4 of orders");
    }
);
