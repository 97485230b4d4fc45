//! Contracts fetched from an http(s) URL. A URL on the broker's origin goes through the broker
//! client (its credentials, its retries); any other through the run's shared client, without
//! credentials. A Pact Broker pact URL (`…/consumer/{consumer}/version/{version}`) also tells the
//! consumer version, and a broker's pact document tells where its verification result goes, so
//! that `treaty verify URL --publish` (a webhook's URL) publishes to that pact's own link.

use reqwest::{Method, Url};

use super::{LoadedContract, SourceError};
use crate::broker::{BrokerClient, hal};
use crate::error::Error;

/// Fetches and parses the contract at `url`.
pub async fn load_url(
    client: &reqwest::Client,
    broker: Option<&BrokerClient>,
    url: &str,
) -> Result<LoadedContract, SourceError> {
    let parsed = Url::parse(url).map_err(|e| SourceError::Fetch {
        url: url.to_owned(),
        reason: e.to_string(),
    })?;
    let bytes = match broker.filter(|broker| broker.is_same_origin(&parsed)) {
        Some(broker) => fetch_from_broker(broker, &parsed, url).await?,
        None => fetch(client, url).await?,
    };
    let document = serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|error| {
        SourceError::Invalid {
            origin: url.to_owned(),
            source: treaty_schemas::SchemaError::Json(error),
        }
    })?;
    let mut origin_base = parsed.clone();
    origin_base.set_path("");
    origin_base.set_query(None);
    super::broker::read_pact_document(document, url, |href| hal::resolve(&origin_base, href))
}

/// `GET url` through the broker client; any answer but 2xx is a [`SourceError::Status`].
async fn fetch_from_broker(
    broker: &BrokerClient,
    parsed: &Url,
    url: &str,
) -> Result<Vec<u8>, SourceError> {
    let answer = broker
        .send(Method::GET, parsed.clone(), None)
        .await
        .map_err(|error| SourceError::Fetch {
            url: url.to_owned(),
            reason: match error {
                Error::Connect { reason, .. } => reason,
                other => other.to_string(),
            },
        })?;
    if !answer.status.is_success() {
        return Err(SourceError::Status {
            url: url.to_owned(),
            status: answer.status.as_u16(),
        });
    }
    let text = match answer.body {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    };
    Ok(text.into_bytes())
}

/// `GET url` with the run's client.
async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, SourceError> {
    let fetch_error = |error: reqwest::Error| SourceError::Fetch {
        url: url.to_owned(),
        reason: crate::replay::transport::describe(&error),
    };
    let response = client
        .get(url)
        .header(
            reqwest::header::ACCEPT,
            "application/hal+json, application/json",
        )
        .send()
        .await
        .map_err(fetch_error)?;
    let status = response.status();
    if matches!(status.as_u16(), 401 | 403) {
        return Err(SourceError::Fetch {
            url: url.to_owned(),
            reason: format!(
                "the server answered {status} and no credentials were sent: they go only to the                  broker's origin; give the broker's URL as --broker-base-url"
            ),
        });
    }
    if !status.is_success() {
        return Err(SourceError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        });
    }
    Ok(response.bytes().await.map_err(fetch_error)?.to_vec())
}

/// The consumer version named by a broker pact URL (the segment after `/version/`), if any.
pub fn consumer_version_from_url(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let mut segments = path.split('/');
    segments.by_ref().find(|segment| *segment == "version")?;
    let version = segments.next().filter(|segment| !segment.is_empty())?;
    let decoded = percent_encoding::percent_decode_str(version).decode_utf8_lossy();
    Some(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::consumer_version_from_url;

    #[test]
    fn broker_pact_urls_name_the_consumer_version() {
        let url = "http://broker/pacts/provider/orders/consumer/web/version/1.2%2B3";
        assert_eq!(consumer_version_from_url(url).as_deref(), Some("1.2+3"));
        assert_eq!(consumer_version_from_url("http://host/pact.json"), None);
    }
}
