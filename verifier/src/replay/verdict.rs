//! The bridge to the matching engine: a provider's answer read into plain data, handed to
//! [`crate::matching`], and its mismatches turned into report entries. Replay does no matching
//! of its own.

use treaty_schemas::HttpResponse;

use super::report::MismatchReport;

/// A provider's answer, fully read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReceivedResponse {
    /// The status code.
    pub(crate) status: u16,
    /// Headers: name (lowercase) to its values, in the order received.
    pub(crate) headers: Vec<(String, Vec<String>)>,
    /// The body's bytes (empty when there was none).
    pub(crate) body: Vec<u8>,
}

/// Reads a whole response.
pub(crate) async fn receive(
    response: reqwest::Response,
) -> Result<ReceivedResponse, reqwest::Error> {
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
    let body = response.bytes().await?.to_vec();
    Ok(ReceivedResponse {
        status,
        headers,
        body,
    })
}

/// Compares a received response with the contract's, through the matching engine.
pub(crate) fn compare(expected: &HttpResponse, received: &ReceivedResponse) -> Vec<MismatchReport> {
    // FIXME: temporary until `matching::match_response` lands; only the status is compared.
    match expected.status {
        Some(status) if status != received.status => vec![MismatchReport {
            part: "status".to_owned(),
            path: String::new(),
            expected: Some(status.to_string()),
            actual: Some(received.status.to_string()),
            message: format!("status: expected {status}, got {}", received.status),
        }],
        _ => Vec::new(),
    }
}
