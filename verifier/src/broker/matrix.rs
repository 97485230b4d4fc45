//! The matrix question as the Pact CLI asks it: the `GET /matrix` query string built in the
//! order and with the parameters the real `pact broker can-i-deploy` and `can-i-merge` send
//! (§3.2 of the API note), and the parts of the answer Treaty reads.
//!
//! The query never reads the index: like the Pact CLI, it goes straight to `/matrix`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;

use crate::broker::BrokerClient;
use crate::broker::wire::{Notice, error_lines};
use crate::error::Error;

/// What a query value keeps unencoded (RFC 3986 unreserved, as the Pact CLI's `urlencoding`).
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(value: &str) -> String {
    utf8_percent_encode(value, VALUE).to_string()
}

/// Which versions of one pacticipant are asked about (`--pacticipant` and the flags after it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// The pacticipant.
    pub pacticipant: String,
    /// `--version`.
    pub version: Option<String>,
    /// `--latest` (`Some(None)`) or `--latest TAG` (`Some(Some(tag))`).
    pub latest: Option<Option<String>>,
    /// `--branch`.
    pub branch: Option<String>,
    /// `--tag` (repeatable).
    pub tags: Vec<String>,
    /// `--main-branch`.
    pub main_branch: bool,
}

/// An `--ignore` entry (with the `--version` right after it, if any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ignore {
    /// The pacticipant to leave out.
    pub pacticipant: String,
    /// Only this version of it.
    pub version: Option<String>,
}

/// A whole can-i-deploy or can-i-merge question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixQuestion {
    /// The selectors, in command-line order.
    pub selectors: Vec<Selector>,
    /// The `--ignore` entries.
    pub ignore: Vec<Ignore>,
    /// `--to TAG`.
    pub to_tag: Option<String>,
    /// `--to-environment E`.
    pub to_environment: Option<String>,
    /// `can-i-merge` rather than `can-i-deploy`.
    pub merge: bool,
}

impl MatrixQuestion {
    /// The path and query of the request, byte for byte what the Pact CLI sends.
    pub fn path_and_query(&self) -> String {
        let mut query = String::from("/matrix?");
        for selector in &self.selectors {
            query.push_str(&format!(
                "q[][pacticipant]={}&",
                encode(&selector.pacticipant)
            ));
            if let Some(version) = &selector.version {
                query.push_str(&format!("q[][version]={}&", encode(version)));
            }
            match &selector.latest {
                Some(Some(tag)) if !tag.is_empty() => {
                    query.push_str(&format!("q[][latest]=true&q[][tag]={}&", encode(tag)));
                }
                Some(_) => query.push_str("q[][latest]=true&"),
                None => {}
            }
            if let Some(branch) = &selector.branch {
                query.push_str(&format!("q[][branch]={}&", encode(branch)));
            }
            for tag in &selector.tags {
                query.push_str(&format!("q[][tag]={}&", encode(tag)));
            }
            if selector.main_branch {
                query.push_str("q[][mainBranch]=true&");
            }
        }
        for ignore in &self.ignore {
            query.push_str(&format!(
                "ignore[][pacticipant]={}&",
                encode(&ignore.pacticipant)
            ));
            if let Some(version) = &ignore.version {
                query.push_str(&format!("ignore[][version]={}&", encode(version)));
            }
        }
        if let Some(tag) = &self.to_tag {
            query.push_str(&format!("tag={}&", encode(tag)));
        }
        if self.to_environment.is_some() || self.selectors.len() > 1 {
            query.push_str("latestby=cvpv");
        } else {
            query.push_str("latestby=cvp");
        }
        if let Some(environment) = &self.to_environment {
            query.push_str(&format!("&environment={}", encode(environment)));
        }
        if self.to_environment.is_none() && self.selectors.len() == 1 {
            query.push_str("&latest=true");
        }
        if self.merge {
            query.push_str("&mainBranch=true");
        }
        query
    }
}

/// `summary` of a matrix answer.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Summary {
    /// `true`, `false` or `null` (unknown).
    #[serde(default)]
    pub deployable: Option<bool>,
    /// The broker's reasons joined by newlines.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A notice of a matrix answer; Treaty's broker marks its explanation lines.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct MatrixNotice {
    /// The notice.
    #[serde(flatten)]
    pub notice: Notice,
    /// Whether it is one of Treaty's explanation lines (absent from other brokers).
    #[serde(default)]
    pub explanation: bool,
}

/// One side of a row.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RowSide {
    /// The pacticipant's name.
    #[serde(default)]
    pub name: String,
    /// Its version, when the row has one.
    #[serde(default)]
    pub version: Option<RowVersion>,
}

/// A version in a row.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RowVersion {
    /// The number.
    #[serde(default)]
    pub number: Option<String>,
}

/// A row's verification result.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RowVerification {
    /// Whether it passed.
    #[serde(default)]
    pub success: Option<bool>,
}

/// A matrix row.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Row {
    /// The consumer.
    pub consumer: RowSide,
    /// The provider.
    pub provider: RowSide,
    /// The verification result, if any.
    #[serde(default, rename = "verificationResult")]
    pub verification_result: Option<RowVerification>,
    /// Left out by `--ignore`.
    #[serde(default)]
    pub ignored: bool,
}

/// The parts of a matrix answer Treaty reads; the whole body is kept for `--output json`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct MatrixAnswer {
    /// The verdict.
    #[serde(default)]
    pub summary: Option<Summary>,
    /// The notices.
    #[serde(default)]
    pub notices: Vec<MatrixNotice>,
    /// The rows.
    pub matrix: Vec<Row>,
}

impl MatrixAnswer {
    /// `summary.deployable`, `None` when unknown or missing.
    pub fn deployable(&self) -> Option<bool> {
        self.summary.as_ref().and_then(|summary| summary.deployable)
    }
}

impl BrokerClient {
    /// Asks the matrix question: the parsed answer and the body as received. A 400 means the
    /// question cannot be asked (unknown pacticipant or environment, contradictory flags).
    pub async fn ask_matrix(
        &self,
        question: &MatrixQuestion,
    ) -> Result<(MatrixAnswer, Value), Error> {
        let url = self.url_for(&question.path_and_query())?;
        let response = self.send(Method::GET, url.clone(), None).await?;
        if response.status == StatusCode::BAD_REQUEST {
            return Err(Error::CannotAsk {
                messages: error_lines(&response.body),
            });
        }
        let response = Self::expect_success(response, "matrix query")?;
        let answer = serde_json::from_value(response.body.clone()).map_err(|error| {
            Error::BrokerProtocol {
                url: url.to_string(),
                detail: format!(
                    "the matrix answer is not what the Pact Broker API describes: {error}"
                ),
            }
        })?;
        Ok((answer, response.body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selector(pacticipant: &str, version: &str) -> Selector {
        Selector {
            pacticipant: pacticipant.into(),
            version: Some(version.into()),
            ..Selector::default()
        }
    }

    #[test]
    fn the_query_is_the_one_the_pact_cli_sends() {
        let one = MatrixQuestion {
            selectors: vec![selector("Foo", "1.0.0")],
            to_environment: Some("production".into()),
            ..MatrixQuestion::default()
        };
        assert_eq!(
            one.path_and_query(),
            "/matrix?q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production"
        );
        let no_destination = MatrixQuestion {
            to_environment: None,
            ..one.clone()
        };
        assert_eq!(
            no_destination.path_and_query(),
            "/matrix?q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvp&latest=true"
        );
        let tagged = MatrixQuestion {
            selectors: vec![Selector {
                pacticipant: "Foo".into(),
                latest: Some(Some("dev".into())),
                ..Selector::default()
            }],
            to_tag: Some("prod".into()),
            ..MatrixQuestion::default()
        };
        assert_eq!(
            tagged.path_and_query(),
            "/matrix?q[][pacticipant]=Foo&q[][latest]=true&q[][tag]=dev&tag=prod&latestby=cvp&latest=true"
        );
        let two = MatrixQuestion {
            selectors: vec![
                selector("Foo", "1.0.0"),
                Selector {
                    pacticipant: "Bar".into(),
                    latest: Some(None),
                    ..Selector::default()
                },
            ],
            ..MatrixQuestion::default()
        };
        assert_eq!(
            two.path_and_query(),
            "/matrix?q[][pacticipant]=Foo&q[][version]=1.0.0&q[][pacticipant]=Bar&q[][latest]=true&latestby=cvpv"
        );
        let ignoring = MatrixQuestion {
            selectors: vec![selector("Bar", "3.0.0")],
            ignore: vec![Ignore {
                pacticipant: "Foo".into(),
                version: None,
            }],
            to_environment: Some("production".into()),
            ..MatrixQuestion::default()
        };
        assert_eq!(
            ignoring.path_and_query(),
            "/matrix?q[][pacticipant]=Bar&q[][version]=3.0.0&ignore[][pacticipant]=Foo&latestby=cvpv&environment=production"
        );
        let merge = MatrixQuestion {
            merge: true,
            ..no_destination
        };
        assert_eq!(
            merge.path_and_query(),
            "/matrix?q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvp&latest=true&mainBranch=true"
        );
    }

    #[test]
    fn values_are_percent_encoded() {
        let question = MatrixQuestion {
            selectors: vec![selector("Foo App", "1.0.0+b/7 x")],
            to_environment: Some("prod eu".into()),
            ..MatrixQuestion::default()
        };
        assert_eq!(
            question.path_and_query(),
            "/matrix?q[][pacticipant]=Foo%20App&q[][version]=1.0.0%2Bb%2F7%20x&latestby=cvpv&environment=prod%20eu"
        );
    }
}
