//! Pacts for verification over HTTP: selection merged by content, the pending flow of a new
//! consumer branch, WIP pacts appearing and disappearing, and 400s for bad requests.

use serde_json::{Value, json};

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

/// The path of an absolute href of this app.
fn path_of(app: &TestApp, href: &Value) -> String {
    href.as_str()
        .unwrap_or_default()
        .trim_start_matches(&app.base)
        .to_owned()
}

/// Publishes `Foo` version `version` on `branch` with one interaction named `description`.
async fn publish(app: &TestApp, version: &str, branch: &str, description: &str) {
    let body = PublishBody::new("Foo", version, "Bar", &pact("Foo", "Bar", &[description]))
        .branch(branch)
        .build();
    let reply = app.publish(&body).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

async fn for_verification(app: &TestApp, body: Value) -> Vec<Value> {
    let reply = app
        .post("/pacts/provider/Bar/for-verification", &body)
        .await;
    assert_eq!(reply.status, 200, "{body}: {}", reply.body);
    reply.body["_embedded"]["pacts"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// What the verifier does to publish: fetch the pact, put the provider version on its branch,
/// post the result to the pact's publish link.
async fn verify(app: &TestApp, entry: &Value, provider_version: &str, branch: &str, success: bool) {
    let document = app
        .get(&path_of(app, &entry["_links"]["self"]["href"]))
        .await;
    assert_eq!(document.status, 200, "{}", document.body);
    let put = app
        .put(
            &format!("/pacticipants/Bar/branches/{branch}/versions/{provider_version}"),
            &json!({}),
        )
        .await;
    assert!(put.status == 200 || put.status == 201, "{}", put.body);
    let publish = path_of(
        app,
        &document.body["_links"]["pb:publish-verification-results"]["href"],
    );
    let result = json!({ "success": success, "providerApplicationVersion": provider_version });
    let reply = app.post(&publish, &result).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
}

fn summary(entry: &Value) -> String {
    let properties = &entry["verificationProperties"];
    format!(
        "{} | pending={} wip={}",
        entry["shortDescription"].as_str().unwrap_or("?"),
        properties
            .get("pending")
            .map_or("absent".to_owned(), Value::to_string),
        properties
            .get("wip")
            .map_or("absent".to_owned(), Value::to_string),
    )
}

dbtest!(
    async fn selected_pacts_are_merged_by_content_with_every_reason(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "1", "main", "same").await;
        publish(&app, "2", "feat", "same").await;
        publish(&app, "3", "other", "different").await;
        let pacts = for_verification(&app, json!({
            "consumerVersionSelectors": [{"mainBranch": true}, {"branch": "feat"}, {"branch": "other"}],
            "includePendingStatus": false,
        })).await;
        let summaries: Vec<String> = pacts.iter().map(summary).collect();
        assert_eq!(summaries, ["latest from main branch, latest from branch feat | pending=absent wip=absent", "latest from branch other | pending=absent wip=absent"]);
        assert_eq!(pacts[0]["_links"]["self"]["name"], "Pact between Foo (2) and Bar");
        let href = path_of(&app, &pacts[0]["_links"]["self"]["href"]);
        assert!(href.starts_with("/pacts/provider/Bar/consumer/Foo/pact-version/") && href.contains("/metadata/"), "{href}");
        let notices = pacts[0]["verificationProperties"]["notices"].as_array().cloned().unwrap_or_default();
        assert_eq!(notices.len(), 1, "no pending notices when pending was not asked for: {notices:?}");
        assert_eq!(notices[0]["when"], "before_verification");
        let text = notices[0]["text"].as_str().unwrap_or_default();
        assert!(text.contains("latest version from the main branch 'main' (1)") && text.contains("latest version from branch 'feat' (2)"), "{text}");
        let document = app.get(&href).await;
        assert_eq!((document.status, document.body["interactions"][0]["description"].clone()), (200, json!("same")));

        let matching = for_verification(&app, json!({"consumerVersionSelectors": [{"matchingBranch": true}], "providerVersionBranch": "other", "includePendingStatus": false})).await;
        assert_eq!(matching.iter().map(summary).collect::<Vec<_>>(), ["latest from branch other | pending=absent wip=absent"]);
        let nothing = for_verification(&app, json!({"consumerVersionSelectors": [{"branch": "none"}]})).await;
        assert!(nothing.is_empty(), "{nothing:?}");
        let get = app.get("/pacts/provider/Bar/for-verification").await;
        assert_eq!(get.status, 200, "{}", get.body);
        assert!(get.body["_links"]["self"]["href"].as_str().unwrap_or_default().ends_with("/pacts/provider/Bar/for-verification"));
        let first_notice = get.body["_embedded"]["pacts"][0]["verificationProperties"]["notices"][0]["text"].as_str().unwrap_or_default().to_owned();
        assert!(first_notice.starts_with("WARNING"), "{first_notice}");
        assert_eq!(app.post("/pacts/provider/Nobody/for-verification", &json!({})).await.status, 404);
    }
);

dbtest!(
    async fn a_new_consumer_branch_is_pending_until_the_provider_branch_verifies_it(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "1", "main", "one").await;
        let request = json!({
            "consumerVersionSelectors": [{"mainBranch": true}, {"branch": "feat"}],
            "providerVersionBranch": "main",
            "includePendingStatus": true,
        });
        let main = for_verification(&app, request.clone()).await;
        verify(&app, &main[0], "100", "main", true).await;
        publish(&app, "2", "feat", "two").await;
        let pacts = for_verification(&app, request.clone()).await;
        assert_eq!(pacts.iter().map(summary).collect::<Vec<_>>(), ["latest from main branch | pending=false wip=absent", "latest from branch feat | pending=true wip=absent"]);
        let reasons: Vec<String> = pacts[1]["verificationProperties"]["notices"].as_array().cloned().unwrap_or_default().iter().map(|notice| notice["text"].as_str().unwrap_or_default().to_owned()).collect();
        assert!(reasons[1].starts_with("This pact is in pending state for this version of Bar because a successful verification result for a version of Bar from branch 'main' has not yet been published"), "{reasons:?}");
        assert!(pacts[0]["verificationProperties"]["notices"][1]["text"].as_str().unwrap_or_default().starts_with("This pact has previously been successfully verified by a version of Bar from branch 'main'"));

        // A failed verification keeps it pending; a success by the branch ends it.
        verify(&app, &pacts[1], "101", "main", false).await;
        assert_eq!(summary(&for_verification(&app, request.clone()).await[1]), "latest from branch feat | pending=true wip=absent");
        app.put("/pacticipants/Bar/branches/earlier/versions/99", &json!({})).await;
        verify(&app, &pacts[1], "102", "main", true).await;
        assert_eq!(summary(&for_verification(&app, request.clone()).await[1]), "latest from branch feat | pending=false wip=absent");
        let on = |branch: &str| json!({"consumerVersionSelectors": [{"branch": "feat"}], "providerVersionBranch": branch});
        // A provider branch that existed before that success still has to verify it itself;
        // one created after it, or not created yet, inherits it.
        assert_eq!(summary(&for_verification(&app, on("earlier")).await[0]), "latest from branch feat | pending=true wip=absent");
        app.put("/pacticipants/Bar/branches/later/versions/103", &json!({})).await;
        assert_eq!(summary(&for_verification(&app, on("later")).await[0]), "latest from branch feat | pending=false wip=absent");
        let new = for_verification(&app, on("brand-new")).await;
        assert_eq!(summary(&new[0]), "latest from branch feat | pending=false wip=absent");
    }
);

dbtest!(
    async fn wip_pacts_appear_and_disappear_as_specified(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "1", "main", "one").await;
        publish(&app, "2", "feat", "two").await;
        publish(&app, "3", "same-as-main", "one").await;
        let request = json!({
            "consumerVersionSelectors": [{"mainBranch": true}],
            "providerVersionBranch": "main",
            "includePendingStatus": true,
            "includeWipPactsSince": "2000-01-01",
        });
        let pacts = for_verification(&app, request.clone()).await;
        // The feat head is WIP; the same-as-main head has the main branch's content, so it is
        // explicitly selected, never WIP.
        assert_eq!(pacts.iter().map(summary).collect::<Vec<_>>(), ["latest from main branch | pending=true wip=absent", "latest from branch feat | pending=true wip=true"]);
        let wip_text = pacts[1]["verificationProperties"]["notices"][0]["text"].as_str().unwrap_or_default().to_owned();
        assert!(wip_text.contains("is a 'work in progress' pact"), "{wip_text}");
        assert!(for_verification(&app, json!({"consumerVersionSelectors": [{"mainBranch": true}], "includeWipPactsSince": "2999-01-01", "providerVersionBranch": "main"})).await.len() == 1, "nothing created since a future date");

        // A success through the WIP URL is stored as WIP: the pact is still WIP.
        verify(&app, &pacts[1], "200", "main", true).await;
        let still = for_verification(&app, request.clone()).await;
        assert_eq!(still.iter().map(summary).collect::<Vec<_>>(), ["latest from main branch | pending=true wip=absent", "latest from branch feat | pending=true wip=true"]);
        // Selected explicitly, it is not WIP (and no longer pending, the WIP success counts);
        // a success while explicitly selected ends WIP for the branch.
        let explicit = for_verification(&app, json!({"consumerVersionSelectors": [{"branch": "feat"}], "providerVersionBranch": "main", "includeWipPactsSince": "2000-01-01"})).await;
        assert_eq!(explicit.iter().map(summary).collect::<Vec<_>>(), ["latest from branch feat | pending=false wip=absent", "latest from branch main, latest from branch same-as-main | pending=true wip=true"]);
        verify(&app, &explicit[0], "201", "main", true).await;
        let after = for_verification(&app, request).await;
        assert_eq!(after.iter().map(summary).collect::<Vec<_>>(), ["latest from main branch | pending=true wip=absent"]);
    }
);

dbtest!(
    async fn bad_requests_get_a_400_naming_the_selector(backend) {
        let app = TestApp::start(backend).await;
        publish(&app, "1", "main", "one").await;
        let cases = [
            (json!({"consumerVersionSelectors": [{"mainBranch": true}, {"branch": "a", "tag": "b"}]}), "consumerVersionSelectors/1", "cannot specify both a tag and a branch"),
            (json!({"consumerVersionSelectors": [{"latest": true, "deployed": true}]}), "consumerVersionSelectors/0", "cannot specify the field latest with the field deployed"),
            (json!({"consumerVersionSelectors": [{"mainbranch": true}]}), "consumerVersionSelectors/0", "unknown key `mainbranch`"),
            (json!({"consumerVersionSelectors": [{"deployed": true, "environment": "nowhere"}]}), "consumerVersionSelectors/0", "environment with name 'nowhere' does not exist"),
            (json!({"consumerVersionSelectors": [{"matchingBranch": true}]}), "consumerVersionSelectors/0", "the providerVersionBranch must be specified"),
            (json!({"includeWipPactsSince": "yesterday"}), "includeWipPactsSince", "expected a date"),
            (json!({"providerVersionTag": ["x"]}), "providerVersionTag", "unknown key"),
        ];
        for (body, field, message) in cases {
            let reply = app.post("/pacts/provider/Bar/for-verification", &body).await;
            assert_eq!(reply.status, 400, "{body}: {}", reply.body);
            let text = reply.body["errors"][field][0].as_str().unwrap_or_default();
            assert!(text.contains(message), "{body}: {}", reply.body);
        }
    }
);

dbtest!(
    async fn deployed_and_released_selectors_read_the_current_records(backend) {
        let app = TestApp::start(backend).await;
        let production = crate::environments::create_environment(&app, "production", true).await;
        let test = crate::environments::create_environment(&app, "test", false).await;
        publish(&app, "1", "main", "one").await;
        publish(&app, "2", "main", "two").await;
        publish(&app, "3", "feat", "three").await;
        let record = |version: &str, kind: &str, environment: &str| {
            format!("/pacticipants/Foo/versions/{version}/{kind}/environment/{environment}")
        };
        assert_eq!(app.post(&record("1", "deployed-versions", &production), &json!({})).await.status, 201);
        assert_eq!(app.post(&record("3", "released-versions", &test), &json!({})).await.status, 201);
        let select = |selectors: Value| json!({ "consumerVersionSelectors": selectors, "includePendingStatus": false });
        let descriptions = |pacts: Vec<Value>| -> Vec<String> {
            pacts.iter().map(|entry| format!("{} {}", entry["_links"]["self"]["name"].as_str().unwrap_or("?"), entry["shortDescription"].as_str().unwrap_or("?"))).collect()
        };
        assert_eq!(descriptions(for_verification(&app, select(json!([{"deployedOrReleased": true}]))).await),
            ["Pact between Foo (1) and Bar deployed to production", "Pact between Foo (3) and Bar released in test"]);
        assert_eq!(descriptions(for_verification(&app, select(json!([{"environment": "test"}]))).await),
            ["Pact between Foo (3) and Bar released in test"]);
        assert!(for_verification(&app, select(json!([{"deployed": true, "environment": "test"}]))).await.is_empty());
        // The defaults: the main branch head, plus what is deployed and released.
        assert_eq!(descriptions(for_verification(&app, select(Value::Null)).await),
            ["Pact between Foo (1) and Bar deployed to production", "Pact between Foo (2) and Bar latest from main branch", "Pact between Foo (3) and Bar released in test"]);
        // Deploying version 2 replaces version 1 in production.
        assert_eq!(app.post(&record("2", "deployed-versions", &production), &json!({})).await.status, 201);
        assert_eq!(descriptions(for_verification(&app, select(json!([{"deployed": true}]))).await),
            ["Pact between Foo (2) and Bar deployed to production"]);
    }
);

dbtest!(
    async fn tag_selectors_and_pending_by_provider_tags(backend) {
        let app = TestApp::start(backend).await;
        let tagged = |version: &str, tags: &[&str], description: &str| {
            PublishBody::new("Foo", version, "Bar", &pact("Foo", "Bar", &[description])).tags(tags).build()
        };
        for (version, tags, description) in [("1", ["prod"], "one"), ("2", ["prod"], "two"), ("3", ["dev"], "three")] {
            assert_eq!(app.publish(&tagged(version, &tags, description)).await.status, 200);
        }
        let names = |pacts: &[Value]| -> Vec<String> {
            pacts.iter().map(|entry| format!("{} {}", entry["_links"]["self"]["name"].as_str().unwrap_or("?"), entry["shortDescription"].as_str().unwrap_or("?"))).collect()
        };
        let select = |selectors: Value| json!({ "consumerVersionSelectors": selectors, "includePendingStatus": false });
        assert_eq!(names(&for_verification(&app, select(json!([{"tag": "prod"}]))).await),
            ["Pact between Foo (1) and Bar one of prod", "Pact between Foo (2) and Bar one of prod"]);
        assert_eq!(names(&for_verification(&app, select(json!([{"tag": "prod", "latest": true}]))).await),
            ["Pact between Foo (2) and Bar latest with tag prod"]);
        assert_eq!(names(&for_verification(&app, select(json!([{"tag": "nope", "latest": true, "fallbackTag": "dev"}]))).await),
            ["Pact between Foo (3) and Bar latest with tag dev"]);

        // Pending and WIP by provider tags: the dev head is WIP, the prod head pending until a
        // provider version tagged `ptag` verifies it.
        let request = json!({
            "consumerVersionSelectors": [{"tag": "prod", "latest": true}],
            "providerVersionTags": ["ptag"],
            "includePendingStatus": true,
            "includeWipPactsSince": "2000-01-01",
        });
        let pacts = for_verification(&app, request.clone()).await;
        assert_eq!(pacts.iter().map(summary).collect::<Vec<_>>(), ["latest with tag prod | pending=true wip=absent", "latest with tag dev | pending=true wip=true"]);
        assert!(pacts[0]["verificationProperties"]["notices"][1]["text"].as_str().unwrap_or_default().contains("a version of Bar with tag 'ptag'"), "{}", pacts[0]);
        let document = app.get(&path_of(&app, &pacts[0]["_links"]["self"]["href"])).await;
        assert_eq!(app.put("/pacticipants/Bar/versions/7/tags/ptag", &json!({})).await.status, 201);
        let publish = path_of(&app, &document.body["_links"]["pb:publish-verification-results"]["href"]);
        assert_eq!(app.post(&publish, &json!({"success": true, "providerApplicationVersion": "7"})).await.status, 201);
        let after = for_verification(&app, request).await;
        assert_eq!(after.iter().map(summary).collect::<Vec<_>>(), ["latest with tag prod | pending=false wip=absent", "latest with tag dev | pending=true wip=true"]);
        assert!(after[0]["verificationProperties"]["notices"][1]["text"].as_str().unwrap_or_default().starts_with("This pact has previously been successfully verified by a version of Bar with tag 'ptag'"), "{}", after[0]);
    }
);
