//! `treaty create-webhook`'s flags turned into the webhook definition the broker receives, and
//! the address it goes to: the checks and conversions, with no network.
//!
//! The body is the Pact CLI's (pact-broker-api.md §3.7), except that the method is `POST` when
//! `-X` is not given (the Pact CLI sends `null`, which the Pact Broker refuses). Header values
//! and the `--user` password may be secrets, so errors never echo them.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::broker::webhooks::WebhookAddress;
use crate::cli::environments::single_line;
use crate::cli::webhooks::CreateWebhookArgs;
use crate::error::Error;

/// The events a webhook can fire on: the flag that asks for it, the broker's name, and the short
/// name tables use.
pub const EVENTS: [(&str, &str, &str); 6] = [
    (
        "--contract-content-changed",
        "contract_content_changed",
        "content_changed",
    ),
    ("--contract-published", "contract_published", "published"),
    (
        "--provider-verification-published",
        "provider_verification_published",
        "verification",
    ),
    (
        "--provider-verification-succeeded",
        "provider_verification_succeeded",
        "succeeded",
    ),
    (
        "--provider-verification-failed",
        "provider_verification_failed",
        "failed",
    ),
    (
        "--contract-requiring-verification-published",
        "contract_requiring_verification_published",
        "requires_verification",
    ),
];

/// A validated webhook definition: where it goes, what is sent, and the scope it has (which the
/// body omits on the pacticipants route), for the summary line.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDefinition {
    /// Where the definition is sent.
    pub address: WebhookAddress,
    /// The JSON body.
    pub body: Value,
    /// The body with `consumer` and `provider` always present when given, to describe it.
    pub described: Value,
}

impl CreateWebhookArgs {
    /// Checks the flags and builds the definition; a `-d @FILE` is read here.
    pub fn definition(&self) -> Result<WebhookDefinition, Error> {
        let events = self.events();
        if events.is_empty() {
            let flags: Vec<&str> = EVENTS.iter().map(|(flag, _, _)| *flag).collect();
            return Err(Error::Usage(format!(
                "no event given: expected at least one of {}",
                flags.join(", ")
            )));
        }
        let mut request = Map::new();
        let method = single_line("-X/--request", &self.request)?;
        if !method.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(Error::Usage(format!(
                "invalid -X/--request `{method}`: expected an HTTP method such as POST"
            )));
        }
        request.insert("method".into(), json!(method.to_ascii_uppercase()));
        request.insert("url".into(), json!(single_line("WEBHOOK_URL", &self.url)?));
        if !self.header.is_empty() {
            request.insert("headers".into(), Value::Object(headers(&self.header)?));
        }
        if let Some(data) = &self.data {
            request.insert("body".into(), request_body(data)?);
        }
        if let Some(user) = &self.user {
            let (username, password) = credentials(user)?;
            request.insert("username".into(), json!(username));
            request.insert("password".into(), json!(password));
        }

        let consumer = scope("--consumer", &self.consumer, &self.consumer_label)?;
        let provider = scope("--provider", &self.provider, &self.provider_label)?;
        let address = match (&self.uuid, &self.consumer, &self.provider) {
            (Some(uuid), _, _) => WebhookAddress::Uuid(single_line("--uuid", uuid)?),
            (None, Some(consumer), Some(provider)) => WebhookAddress::Pacticipants {
                consumer: consumer.clone(),
                provider: provider.clone(),
            },
            _ => WebhookAddress::Collection,
        };

        let mut body = Map::new();
        if let Some(description) = &self.description {
            body.insert(
                "description".into(),
                json!(single_line("--description", description)?),
            );
        }
        body.insert(
            "events".into(),
            Value::Array(events.iter().map(|name| json!({ "name": name })).collect()),
        );
        body.insert("request".into(), Value::Object(request));
        let mut described = body.clone();
        for (key, value) in [("consumer", consumer), ("provider", provider)] {
            if let Some(value) = value {
                described.insert(key.into(), value.clone());
                // The pacticipants route names both in its path, and the body names neither.
                if !matches!(address, WebhookAddress::Pacticipants { .. }) {
                    body.insert(key.into(), value);
                }
            }
        }
        Ok(WebhookDefinition {
            address,
            body: Value::Object(body),
            described: Value::Object(described),
        })
    }

    /// The broker's names of the events asked for, in the order of [`EVENTS`].
    fn events(&self) -> Vec<&'static str> {
        let asked = [
            self.contract_content_changed,
            self.contract_published,
            self.provider_verification_published,
            self.provider_verification_succeeded,
            self.provider_verification_failed,
            self.contract_requiring_verification_published,
        ];
        EVENTS
            .iter()
            .zip(asked)
            .filter(|(_, asked)| *asked)
            .map(|((_, name, _), _)| *name)
            .collect()
    }
}

/// `{"name": N}` for a name, `{"label": L}` for a label (clap keeps them exclusive), or nothing.
fn scope(
    flag: &str,
    name: &Option<String>,
    label: &Option<String>,
) -> Result<Option<Value>, Error> {
    Ok(match (name, label) {
        (Some(name), _) => Some(json!({ "name": single_line(flag, name)? })),
        (None, Some(label)) => {
            Some(json!({ "label": single_line(&format!("{flag}-label"), label)? }))
        }
        (None, None) => None,
    })
}

/// `-H 'Name: value'` flags into the `headers` object; the name is checked and keeps its case, a
/// name given twice (in any case) is refused, and a value is never echoed in an error.
pub fn headers(raw: &[String]) -> Result<Map<String, Value>, Error> {
    let mut headers = Map::new();
    for raw in raw {
        let Some((name, value)) = raw.split_once(':') else {
            return Err(Error::Usage(
                "invalid -H/--header: expected 'Name: value' with a colon, e.g. -H 'Content-Type: application/json' (the value given is not shown here)"
                    .into(),
            ));
        };
        let (name, value) = (name.trim(), value.trim());
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(Error::Usage(format!(
                "invalid -H/--header name `{name}`: expected a token such as Authorization"
            )));
        }
        if value.chars().any(char::is_control) {
            return Err(Error::Usage(format!(
                "invalid -H/--header value for `{name}`: expected one line without control characters"
            )));
        }
        if headers.keys().any(|known| known.eq_ignore_ascii_case(name)) {
            return Err(Error::Usage(format!(
                "-H/--header `{name}` is given twice: expected each header once"
            )));
        }
        headers.insert(name.to_owned(), json!(value));
    }
    Ok(headers)
}

/// `-d DATA` or `-d @FILE` into the request body: JSON when the text parses as JSON, else the
/// text as a string.
pub fn request_body(data: &str) -> Result<Value, Error> {
    let text = match data.strip_prefix('@') {
        Some("") => {
            return Err(Error::Usage(
                "invalid -d/--data `@`: expected @FILE, the path of a file holding the body".into(),
            ));
        }
        Some(path) => {
            let path = PathBuf::from(path);
            std::fs::read_to_string(&path).map_err(|source| Error::Read { path, source })?
        }
        None => data.to_owned(),
    };
    Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// `--user USER:PASS` into the user name and password (which may hold colons itself).
pub fn credentials(raw: &str) -> Result<(String, String), Error> {
    match raw.split_once(':') {
        Some((username, password)) if !username.is_empty() => {
            Ok((username.to_owned(), password.to_owned()))
        }
        _ => Err(Error::Usage(
            "invalid --user: expected USER:PASSWORD with a colon and a non-empty user name (the value given is not shown here)"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    /// The definition `treaty create-webhook ARGS -b http://broker` gives.
    fn definition(args: &[&str]) -> Result<WebhookDefinition, Error> {
        let mut argv = vec!["treaty", "create-webhook"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["-b", "http://broker"]);
        match Cli::try_parse_from(argv).expect("the flags parse").command {
            Command::CreateWebhook(args) => args.definition(),
            other => panic!("parsed as {other:?}"),
        }
    }

    fn usage(result: Result<WebhookDefinition, Error>) -> String {
        match result {
            Err(Error::Usage(message)) => message,
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn a_minimal_webhook_posts_to_the_collection_with_post_as_method() {
        let made = definition(&["https://ci.example/hook", "--contract-published"]).unwrap();
        assert_eq!(made.address, WebhookAddress::Collection);
        assert_eq!(
            made.body,
            json!({
                "events": [{ "name": "contract_published" }],
                "request": { "method": "POST", "url": "https://ci.example/hook" }
            })
        );
    }

    #[test]
    fn every_flag_lands_in_the_pact_cli_body() {
        let made = definition(&[
            "https://ci.example/hook",
            "-X",
            "put",
            "-H",
            "Content-Type: application/json",
            "-H",
            "X-Token:abc:def",
            "-d",
            r#"{"ref": "main"}"#,
            "--user",
            "bot:p:w",
            "--consumer-label",
            "mobile",
            "--provider",
            "Pricing",
            "--description",
            "trigger CI",
            "--provider-verification-failed",
            "--contract-content-changed",
        ])
        .unwrap();
        assert_eq!(made.address, WebhookAddress::Collection);
        assert_eq!(
            made.body,
            json!({
                "description": "trigger CI",
                "consumer": { "label": "mobile" },
                "provider": { "name": "Pricing" },
                "events": [{ "name": "contract_content_changed" }, { "name": "provider_verification_failed" }],
                "request": {
                    "method": "PUT",
                    "url": "https://ci.example/hook",
                    "headers": { "Content-Type": "application/json", "X-Token": "abc:def" },
                    "body": { "ref": "main" },
                    "username": "bot",
                    "password": "p:w"
                }
            })
        );
    }

    #[test]
    fn every_event_flag_maps_to_its_broker_name_in_a_fixed_order() {
        let mut args = vec!["https://h"];
        args.extend(EVENTS.iter().rev().map(|(flag, _, _)| *flag));
        let made = definition(&args).unwrap();
        let names: Vec<&str> = EVENTS.iter().map(|(_, name, _)| *name).collect();
        let sent: Vec<&str> = made.body["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["name"].as_str().unwrap())
            .collect();
        assert_eq!(sent, names);
    }

    #[test]
    fn no_event_flag_is_a_usage_error_listing_them() {
        let message = usage(definition(&["https://h"]));
        assert!(message.contains("--contract-published"), "{message}");
        assert!(
            message.contains("--contract-requiring-verification-published"),
            "{message}"
        );
        assert_eq!(
            Error::Usage(message).exit_code(),
            crate::error::EXIT_COULD_NOT_RUN
        );
    }

    #[test]
    fn data_is_json_when_it_parses_and_a_string_otherwise() {
        assert_eq!(request_body("[1, 2]").unwrap(), json!([1, 2]));
        assert_eq!(request_body("42").unwrap(), json!(42));
        assert_eq!(request_body("\"quoted\"").unwrap(), json!("quoted"));
        assert_eq!(request_body("ref=main&x=1").unwrap(), json!("ref=main&x=1"));
        assert_eq!(request_body("{not json").unwrap(), json!("{not json"));
    }

    #[test]
    fn data_at_file_reads_the_file_and_applies_the_same_rule() {
        let dir = tempfile::tempdir().unwrap();
        let json_file = dir.path().join("body.json");
        std::fs::write(&json_file, "{\"pact\": \"${pactbroker.pactUrl}\"}\n").unwrap();
        let text_file = dir.path().join("body.txt");
        std::fs::write(&text_file, "plain text\n").unwrap();
        assert_eq!(
            request_body(&format!("@{}", json_file.display())).unwrap(),
            json!({ "pact": "${pactbroker.pactUrl}" })
        );
        assert_eq!(
            request_body(&format!("@{}", text_file.display())).unwrap(),
            json!("plain text\n")
        );
        let missing = dir.path().join("missing.json");
        match request_body(&format!("@{}", missing.display())) {
            Err(error @ Error::Read { .. }) => {
                assert_eq!(error.exit_code(), crate::error::EXIT_COULD_NOT_RUN)
            }
            other => panic!("expected a read error, got {other:?}"),
        }
        assert!(
            usage(definition(&[
                "https://h",
                "--contract-published",
                "-d",
                "@"
            ]))
            .contains("@FILE")
        );
    }

    #[test]
    fn headers_split_at_the_first_colon_and_keep_the_name_as_written() {
        let parsed = headers(&["Authorization: Bearer a:b".into(), "x-empty:".into()]).unwrap();
        assert_eq!(
            Value::Object(parsed),
            json!({ "Authorization": "Bearer a:b", "x-empty": "" })
        );
    }

    #[test]
    fn a_header_without_a_colon_is_a_usage_error_naming_the_flag_not_the_value() {
        let message = usage(definition(&[
            "https://h",
            "--contract-published",
            "-H",
            "Authorization Bearer s3cret",
        ]));
        assert!(message.contains("-H/--header"), "{message}");
        assert!(!message.contains("s3cret"), "{message}");
    }

    #[test]
    fn bad_header_names_and_repeated_headers_are_usage_errors() {
        assert!(
            usage(definition(&[
                "https://h",
                "--contract-published",
                "-H",
                "Bad Name: x"
            ]))
            .contains("`Bad Name`")
        );
        assert!(
            usage(definition(&[
                "https://h",
                "--contract-published",
                "-H",
                ": x"
            ]))
            .contains("-H/--header name")
        );
        let twice = usage(definition(&[
            "https://h",
            "--contract-published",
            "-H",
            "X-A: 1",
            "-H",
            "x-a: 2",
        ]));
        assert!(twice.contains("given twice"), "{twice}");
    }

    #[test]
    fn user_needs_a_colon_and_a_name_and_is_never_echoed() {
        assert_eq!(credentials("u:").unwrap(), ("u".into(), String::new()));
        for bad in ["s3cret", ":s3cret"] {
            let message = usage(definition(&[
                "https://h",
                "--contract-published",
                "--user",
                bad,
            ]));
            assert!(message.contains("--user"), "{message}");
            assert!(!message.contains("s3cret"), "{message}");
        }
    }

    #[test]
    fn a_bad_method_is_a_usage_error() {
        let message = usage(definition(&[
            "https://h",
            "--contract-published",
            "-X",
            "PO ST",
        ]));
        assert!(message.contains("-X/--request"), "{message}");
    }

    #[test]
    fn consumer_and_provider_names_choose_the_pacticipants_route_and_leave_the_body() {
        let made = definition(&[
            "https://h",
            "--contract-published",
            "--consumer",
            "Condor",
            "--provider",
            "Pricing",
        ])
        .unwrap();
        assert_eq!(
            made.address,
            WebhookAddress::Pacticipants {
                consumer: "Condor".into(),
                provider: "Pricing".into()
            }
        );
        assert!(made.body.get("consumer").is_none(), "{}", made.body);
        assert!(made.body.get("provider").is_none(), "{}", made.body);
        assert_eq!(made.described["consumer"], json!({ "name": "Condor" }));
        assert_eq!(made.described["provider"], json!({ "name": "Pricing" }));
    }

    #[test]
    fn a_uuid_chooses_put_and_keeps_the_scope_in_the_body() {
        let made = definition(&[
            "https://h",
            "--contract-published",
            "--uuid",
            "abc-123",
            "--consumer",
            "Condor",
            "--provider",
            "Pricing",
        ])
        .unwrap();
        assert_eq!(made.address, WebhookAddress::Uuid("abc-123".into()));
        assert_eq!(made.body["consumer"], json!({ "name": "Condor" }));
        assert_eq!(made.body["provider"], json!({ "name": "Pricing" }));
    }

    #[test]
    fn one_name_alone_posts_to_the_collection() {
        let made =
            definition(&["https://h", "--contract-published", "--consumer", "Condor"]).unwrap();
        assert_eq!(made.address, WebhookAddress::Collection);
        assert_eq!(made.body["consumer"], json!({ "name": "Condor" }));
        assert!(made.body.get("provider").is_none());
    }

    #[test]
    fn a_name_and_a_label_for_the_same_side_are_refused_by_clap() {
        let error = Cli::try_parse_from([
            "treaty",
            "create-webhook",
            "https://h",
            "--contract-published",
            "--consumer",
            "a",
            "--consumer-label",
            "b",
            "-b",
            "http://broker",
        ])
        .unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }
}
