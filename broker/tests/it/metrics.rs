//! `/metrics` scraped and parsed after traffic: request counts and latency by route pattern
//! and status, publications, verification results, can-i-deploy outcomes, the pool.

use std::collections::BTreeMap;

use serde_json::json;

use crate::dbtest;
use crate::support::TestApp;
use crate::support::fixtures::{PublishBody, pact};

/// Every sample of an OpenMetrics text, by `name{labels}` exactly as written.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (series, value) = line
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("a sample: {line}"));
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("a number: {line}"));
            (series.to_owned(), value)
        })
        .collect()
}

/// The value of the one series of `name` whose labels include every one of `labels`.
fn value(samples: &BTreeMap<String, f64>, name: &str, labels: &[&str]) -> f64 {
    let matching: Vec<(&String, &f64)> = samples
        .iter()
        .filter(|(series, _)| {
            series.split('{').next() == Some(name)
                && labels.iter().all(|label| series.contains(label))
        })
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "one series {name} with {labels:?}: {matching:?}"
    );
    *matching[0].1
}

dbtest!(
    async fn metrics_count_requests_publications_results_and_answers(backend) {
        let app = TestApp::start(backend).await;
        let published = app
            .publish(&PublishBody::new("web", "1", "orders", &pact("web", "orders", &["a"])).build())
            .await;
        assert_eq!(published.status, 200);
        let document = app.get("/pacts/provider/orders/consumer/web/version/1").await;
        let href = document.body["_links"]["pb:publish-verification-results"]["href"]
            .as_str()
            .expect("href")
            .trim_start_matches(&app.base)
            .to_owned();
        for success in [true, false] {
            let result = app.post(&href, &json!({ "success": success, "providerApplicationVersion": "2" })).await;
            assert_eq!(result.status, 201, "{}", result.body);
        }
        let answer = app.get("/matrix?q[][pacticipant]=web&q[][version]=1&q[][pacticipant]=orders&q[][version]=2&latestby=cvpv").await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        for _ in 0..3 {
            assert_eq!(app.get("/pacticipants/nobody").await.status, 404);
        }

        let response = app.client.get(app.url("/metrics")).send().await.expect("scrape");
        assert_eq!(response.status().as_u16(), 200);
        let content_type = response.headers()["content-type"].to_str().expect("text").to_owned();
        assert!(content_type.starts_with("application/openmetrics-text"), "{content_type}");
        let text = response.text().await.expect("body");
        assert!(text.trim_end().ends_with("# EOF"), "{text}");
        let samples = samples(&text);

        let route = "route=\"/pacticipants/{pacticipant}\"";
        assert_eq!(value(&samples, "treaty_http_requests_total", &[route, "status=\"404\"", "method=\"GET\""]), 3.0);
        assert_eq!(
            value(&samples, "treaty_http_requests_total", &["route=\"/contracts/publish\"", "status=\"200\""]),
            1.0
        );
        assert_eq!(value(&samples, "treaty_http_request_duration_seconds_count", &[route]), 3.0);
        assert!(value(&samples, "treaty_http_request_duration_seconds_sum", &[route]) > 0.0);
        assert_eq!(value(&samples, "treaty_publications_total", &[]), 1.0);
        assert_eq!(value(&samples, "treaty_verification_results_total", &["success=\"true\""]), 1.0);
        assert_eq!(value(&samples, "treaty_verification_results_total", &["success=\"false\""]), 1.0);
        assert_eq!(value(&samples, "treaty_can_i_deploy_answers_total", &["outcome=\"not_deployable\""]), 1.0);
        assert_eq!(value(&samples, "treaty_db_pool_max_connections", &[]), 10.0);
        let open = value(&samples, "treaty_db_pool_connections", &[]);
        let idle = value(&samples, "treaty_db_pool_idle_connections", &[]);
        assert!(open >= 1.0 && idle <= open, "open {open}, idle {idle}");
    }
);
