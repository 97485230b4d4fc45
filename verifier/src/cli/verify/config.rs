//! [`VerifyConfig`]: the flags of `treaty verify` checked and converted once, so that the run
//! itself never meets a malformed URL, header, regular expression or duration. The broker
//! flags are checked in [`super::broker_config`].

use std::path::PathBuf;
use std::time::Duration;

use regex::Regex;
use reqwest::header::{HeaderName, HeaderValue};

use super::args::VerifyArgs;
use super::broker_config::{BrokerConfig, Context, broker_config};
use crate::error::Error;
use crate::replay::{Filters, ReplayOptions};
use crate::source::{self, ContractSource};

/// Everything `treaty verify` needs, validated.
#[derive(Debug, Clone)]
pub struct VerifyConfig {
    /// Where the contracts come from, in the order given.
    pub sources: Vec<ContractSource>,
    /// How to replay them.
    pub replay: ReplayOptions,
    /// Which report files to write.
    pub reports: ReportFiles,
    /// Colour on the console.
    pub color: bool,
    /// The broker client, publishing, and what to do when nothing is verified.
    pub broker: BrokerConfig,
}

/// Report files to write besides the console output.
#[derive(Debug, Clone, Default)]
pub struct ReportFiles {
    /// JSON report path.
    pub json: Option<PathBuf>,
    /// JUnit XML report path.
    pub junit: Option<PathBuf>,
    /// Markdown report path.
    pub markdown: Option<PathBuf>,
}

impl VerifyConfig {
    /// Checks and converts the raw flags.
    pub fn from_args(args: VerifyArgs) -> Result<Self, Error> {
        let mut sources: Vec<ContractSource> = args
            .sources
            .iter()
            .map(|argument| source::classify(argument))
            .collect();
        sources.extend(args.file.into_iter().map(ContractSource::File));
        sources.extend(args.dir.into_iter().map(ContractSource::Directory));
        for url in args.url {
            check_http_url("--url", &url)?;
            sources.push(ContractSource::Url(url));
        }
        let (broker_source, broker) = broker_config(
            args.broker,
            Context {
                sources: &sources,
                provider: args.provider.as_deref(),
                filters_interactions: args.filter_description.is_some()
                    || args.filter_state.is_some(),
            },
        )?;
        sources.extend(broker_source);
        if sources.is_empty() {
            return Err(usage(
                "no contracts to verify: give contract files, directories or URLs (SOURCE, --file, --dir or --url), or --broker-base-url and --provider",
            ));
        }
        let base_url = base_url(
            args.provider_base_url.as_deref(),
            args.hostname.as_deref(),
            args.port,
            args.base_path.as_deref(),
            args.transport.as_deref(),
        )?;
        if let Some(url) = &args.provider_states_setup_url {
            check_http_url("--provider-states-setup-url", url)?;
        }
        let custom_headers = args
            .header
            .iter()
            .map(|header| parse_header(header))
            .collect::<Result<_, _>>()?;
        let filters = Filters {
            description: args
                .filter_description
                .as_deref()
                .map(|r| regex("--filter-description", r))
                .transpose()?,
            state: args
                .filter_state
                .as_deref()
                .map(|r| regex("--filter-state", r))
                .transpose()?,
            consumers: args.filter_consumer,
        };
        let default_concurrency = std::thread::available_parallelism().map_or(4, usize::from);
        let replay = ReplayOptions {
            base_url,
            state_setup_url: args.provider_states_setup_url,
            custom_headers,
            request_timeout: parse_duration(&args.request_timeout)?,
            concurrency: args.concurrency.map_or(default_concurrency, usize::from),
            concurrency_explicit: args.concurrency.is_some(),
            filters,
            provider: args.provider,
        };
        let reports = ReportFiles {
            json: args.json,
            junit: args.junit,
            markdown: args.markdown,
        };
        let color = !args.no_color && std::io::IsTerminal::is_terminal(&std::io::stdout());
        Ok(VerifyConfig {
            sources,
            replay,
            reports,
            color,
            broker,
        })
    }
}

fn usage(message: impl Into<String>) -> Error {
    Error::Usage(message.into())
}

/// The provider's base URL from `--provider-base-url`, or from the `pact verifier` style
/// `--hostname`/`--port`/`--base-path`/`--transport`; no trailing slash.
fn base_url(
    provider_base_url: Option<&str>,
    hostname: Option<&str>,
    port: Option<u16>,
    base_path: Option<&str>,
    transport: Option<&str>,
) -> Result<String, Error> {
    let url = match (provider_base_url, hostname, port) {
        (Some(url), _, _) => url.to_owned(),
        (None, None, None) => {
            return Err(usage(
                "the provider's address is missing: give --provider-base-url URL (or --hostname and --port)",
            ));
        }
        (None, host, port) => {
            let scheme = transport.unwrap_or("http");
            let host = host.unwrap_or("localhost");
            let port = port.map(|port| format!(":{port}")).unwrap_or_default();
            let path = base_path.unwrap_or("").trim_matches('/');
            let path = if path.is_empty() {
                String::new()
            } else {
                format!("/{path}")
            };
            format!("{scheme}://{host}{port}{path}")
        }
    };
    check_http_url("--provider-base-url", &url)?;
    Ok(url.trim_end_matches('/').to_owned())
}

fn check_http_url(flag: &str, url: &str) -> Result<(), Error> {
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => Ok(()),
        _ => Err(usage(format!(
            "invalid {flag} `{url}`: expected an http(s) URL such as http://127.0.0.1:8080"
        ))),
    }
}

/// `Name: value` (or `Name=value`, the `pact verifier` form) into a header whose value is
/// marked sensitive. The value is never echoed in an error.
fn parse_header(raw: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let colon = raw.find(':');
    let equals = raw.find('=');
    let split = match (colon, equals) {
        (Some(colon), Some(equals)) => colon.min(equals),
        (Some(at), None) | (None, Some(at)) => at,
        (None, None) => {
            return Err(usage(
                "invalid --header: expected 'Name: value' (the value is not shown here)",
            ));
        }
    };
    let (name, value) = (raw[..split].trim(), raw[split + 1..].trim());
    let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        usage(format!(
            "invalid --header name `{name}`: expected a token such as Authorization"
        ))
    })?;
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        usage(format!(
            "invalid --header value for `{name}`: expected visible ASCII on one line"
        ))
    })?;
    value.set_sensitive(true);
    Ok((name, value))
}

fn regex(flag: &str, pattern: &str) -> Result<Regex, Error> {
    Regex::new(pattern).map_err(|e| usage(format!("invalid {flag} `{pattern}`: {e}")))
}

/// `500ms`, `5s`, `2m`, or a bare number of milliseconds (the `pact verifier` unit).
fn parse_duration(raw: &str) -> Result<Duration, Error> {
    let raw = raw.trim();
    let digits_end = raw
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(raw.len());
    let (number, unit) = raw.split_at(digits_end);
    let invalid = || {
        usage(format!(
            "invalid --request-timeout `{raw}`: expected a duration such as 500ms, 5s or 1m"
        ))
    };
    let number: f64 = number.parse().map_err(|_| invalid())?;
    let seconds = match unit.trim() {
        "" | "ms" => number / 1000.0,
        "s" => number,
        "m" | "min" => number * 60.0,
        _ => return Err(invalid()),
    };
    if !(seconds > 0.0 && seconds < 86_400.0) {
        return Err(invalid());
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_units_and_bare_milliseconds() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("1500").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0s").is_err());
    }

    #[test]
    fn headers_accept_both_spellings_and_hide_their_values() {
        let (name, value) = parse_header("Authorization: Bearer a=b").unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("authorization", "Bearer a=b")
        );
        assert!(value.is_sensitive());
        let (name, value) = parse_header("X-Api-Key=k:1").unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("x-api-key", "k:1")
        );
        let error = parse_header("secret-without-separator")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn the_base_url_comes_from_either_style_of_flags() {
        assert_eq!(
            base_url(Some("http://h:1/api/"), None, None, None, None).unwrap(),
            "http://h:1/api"
        );
        assert_eq!(
            base_url(None, Some("127.0.0.1"), Some(8080), Some("/v1/"), None).unwrap(),
            "http://127.0.0.1:8080/v1"
        );
        assert_eq!(
            base_url(None, None, Some(80), None, Some("https")).unwrap(),
            "https://localhost:80"
        );
        assert!(base_url(None, None, None, None, None).is_err());
        assert!(base_url(Some("ftp://x"), None, None, None, None).is_err());
    }
}
