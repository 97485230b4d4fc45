//! The bridge to the matching engine: a provider's answer, read into the engine's
//! [`ActualResponse`], is handed to [`match_response`], and its mismatches become report
//! entries. Replay does no matching of its own.

use serde_json::Value;
use treaty_schemas::HttpResponse;

use super::report::MismatchReport;
use crate::matching::{ActualResponse, Mismatch, match_response};

/// Compares a received response with the contract's, through the matching engine.
pub(crate) fn compare(expected: &HttpResponse, received: &ActualResponse) -> Vec<MismatchReport> {
    let mismatches = match_response(expected, received);
    if mismatches.is_empty() {
        return Vec::new();
    }
    mismatches.into_iter().map(to_report).collect()
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
