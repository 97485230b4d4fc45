//! Contracts fetched from an http(s) URL with the run's shared client. A Pact Broker pact URL
//! (`…/consumer/{consumer}/version/{version}`) also tells the consumer version.

use super::{LoadedContract, SourceError};

/// Fetches and parses the contract at `url`.
pub async fn load_url(client: &reqwest::Client, url: &str) -> Result<LoadedContract, SourceError> {
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
    if !status.is_success() {
        return Err(SourceError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        });
    }
    let bytes = response.bytes().await.map_err(fetch_error)?;
    let contract =
        treaty_schemas::parse_contract(bytes).map_err(|source| SourceError::Invalid {
            origin: url.to_owned(),
            source,
        })?;
    Ok(LoadedContract {
        contract,
        origin: url.to_owned(),
        consumer_version: consumer_version_from_url(url),
        pending: false,
    })
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
