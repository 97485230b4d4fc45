//! The replay engine through the library API (no contract files): what an embedding program
//! gets from `treaty::replay::replay`, checked against a wiremock provider.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, json};
use treaty::replay::{self, Filters, InteractionOutcome, ReplayOptions};
use treaty::source::LoadedContract;
use treaty_schemas::{
    Body, BodyContent, Contract, HttpRequest, HttpResponse, Interaction, InteractionKind,
    MatchingRules, ProviderState, SpecVersion,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn http(description: &str, states: &[&str], route: &str, status: u16) -> Interaction {
    Interaction {
        key: None,
        description: description.to_owned(),
        provider_states: states
            .iter()
            .map(|name| ProviderState {
                name: (*name).to_owned(),
                params: Map::new(),
            })
            .collect(),
        pending: false,
        comments: None,
        kind: InteractionKind::Http {
            request: HttpRequest {
                method: "GET".to_owned(),
                path: route.to_owned(),
                query: None,
                headers: None,
                body: Body::Absent,
                matching_rules: MatchingRules::default(),
                generators: Default::default(),
            },
            response: HttpResponse {
                status: Some(status),
                headers: None,
                body: Body::Present {
                    content: BodyContent::Json(json!({})),
                    content_type: None,
                },
                matching_rules: MatchingRules::default(),
                generators: Default::default(),
            },
        },
    }
}

fn loaded(consumer: &str, interactions: Vec<Interaction>) -> LoadedContract {
    LoadedContract {
        contract: Contract {
            consumer: consumer.to_owned(),
            provider: "api".to_owned(),
            spec_version: SpecVersion::V3,
            interactions,
            metadata: Map::new(),
        },
        origin: format!("{consumer}.json"),
        consumer_version: None,
        pending: false,
        broker: None,
    }
}

fn options(base_url: String, state_setup_url: Option<String>) -> ReplayOptions {
    ReplayOptions {
        base_url,
        state_setup_url,
        custom_headers: Vec::new(),
        request_timeout: Duration::from_millis(500),
        concurrency: 8,
        concurrency_explicit: false,
        filters: Filters::default(),
        provider: Some("api".to_owned()),
    }
}

#[tokio::test]
async fn results_come_back_in_contract_order_with_their_outcomes() {
    let provider = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_millis(200)),
        )
        .mount(&provider)
        .await;
    Mock::given(path("/fast"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&provider)
        .await;
    Mock::given(path("/missing"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&provider)
        .await;
    Mock::given(path("/stuck"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    let contracts = vec![
        loaded(
            "web",
            vec![
                http("slow", &[], "/slow", 200),
                http("missing", &[], "/missing", 200),
            ],
        ),
        loaded(
            "mobile",
            vec![
                http("stateful", &["s"], "/fast", 200),
                http("stuck", &[], "/stuck", 200),
                http("fast", &[], "/fast", 200),
            ],
        ),
    ];
    let options = options(provider.uri(), Some(format!("{}/_states", provider.uri())));
    let client = replay::build_client(&options).unwrap();
    let mut progress = Vec::new();

    let report = replay::replay(client, Arc::new(contracts), options, &mut |p| {
        progress.push((p.done, p.total));
    })
    .await;

    let outcomes: Vec<(String, &str)> = report
        .contracts
        .iter()
        .flat_map(|c| {
            c.interactions
                .iter()
                .map(|i| (i.description.clone(), i.outcome.as_str()))
        })
        .collect();
    let expected = [
        ("slow", "passed"),
        ("missing", "failed"),
        ("stateful", "passed"),
        ("stuck", "error"),
        ("fast", "passed"),
    ];
    let expected: Vec<(String, &str)> = expected
        .iter()
        .map(|(d, o)| ((*d).to_owned(), *o))
        .collect();
    assert_eq!(outcomes, expected);
    assert_eq!(progress.len(), 5);
    assert_eq!(progress.last(), Some(&(5, 5)));
    assert!(!report.succeeded());
    let stuck = &report.contracts[1].interactions[1].outcome;
    assert!(
        matches!(
            stuck,
            InteractionOutcome::Error {
                kind: replay::ErrorKind::Timeout,
                ..
            }
        ),
        "{stuck:?}"
    );
}
