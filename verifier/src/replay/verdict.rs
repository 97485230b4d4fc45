//! The bridge to the matching engine: a provider's answer read into the engine's
//! [`ActualResponse`], handed to [`match_response`], and its mismatches turned into report
//! entries. Replay does no matching of its own.

use serde_json::Value;
use treaty_schemas::HttpResponse;

use super::report::MismatchReport;
use crate::matching::{ActualResponse, Mismatch, match_response};

/// Reads a whole response: status, headers (in the order received, repeated names grouped)
/// and the body's bytes.
pub(crate) async fn receive(response: reqwest::Response) -> Result<ActualResponse, reqwest::Error> {
    let status = response.status().as_u16();
    let mut headers: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in response.headers() {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        match headers
            .iter_mut()
            .find(|(existing, _)| existing == name.as_str())
        {
            Some((_, values)) => values.push(value),
            None => headers.push((name.as_str().to_owned(), vec![value])),
        }
    }
    let body = response.bytes().await?;
    Ok(ActualResponse::from_parts(status, headers, &body))
}

/// Compares a received response with the contract's, through the matching engine.
pub(crate) fn compare(expected: &HttpResponse, received: &ActualResponse) -> Vec<MismatchReport> {
    match_response(expected, received)
        .into_iter()
        .map(to_report)
        .collect()
}

fn to_report(mismatch: Mismatch) -> MismatchReport {
    let show = |value: Option<Value>| value.map(|value| value.to_string());
    MismatchReport {
        part: mismatch.kind.as_str().to_owned(),
        path: mismatch.path,
        expected: show(mismatch.expected),
        actual: show(mismatch.actual),
        message: mismatch.message,
    }
}
