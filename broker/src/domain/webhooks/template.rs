//! The Pact Broker's webhook template variables (`${pactbroker.consumerName}` and the rest) and
//! how a webhook's URL, headers and body are rendered with them, after the Pact Broker's
//! `pact_and_verification_parameters.rb`, `render.rb` and `webhook_request_template.rb`.
//!
//! As in the Pact Broker, a known variable without a value renders as the empty string and a
//! `${pactbroker.…}` that is not a known variable is left as it is (creation can reject it
//! first with [`unknown_variables`]). Unlike the Pact Broker, rendering is a single pass, so a
//! value that itself contains `${pactbroker.…}` is inserted literally and never expanded, and a
//! JSON body is rendered string by string ([`render_json`]) so that a value with quotes cannot
//! break it.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// The consumer's name.
pub const CONSUMER_NAME: &str = "pactbroker.consumerName";
/// The provider's name.
pub const PROVIDER_NAME: &str = "pactbroker.providerName";
/// The consumer version number of the pact that triggered the webhook.
pub const CONSUMER_VERSION_NUMBER: &str = "pactbroker.consumerVersionNumber";
/// The provider version number of the verification result.
pub const PROVIDER_VERSION_NUMBER: &str = "pactbroker.providerVersionNumber";
/// The provider version's tags, joined by `, `.
pub const PROVIDER_VERSION_TAGS: &str = "pactbroker.providerVersionTags";
/// The provider version's branch.
pub const PROVIDER_VERSION_BRANCH: &str = "pactbroker.providerVersionBranch";
/// The descriptions of the provider versions (for `contract_requiring_verification_published`),
/// joined by `, `.
pub const PROVIDER_VERSION_DESCRIPTIONS: &str = "pactbroker.providerVersionDescriptions";
/// The consumer version's tags, joined by `, `.
pub const CONSUMER_VERSION_TAGS: &str = "pactbroker.consumerVersionTags";
/// The consumer version's branch.
pub const CONSUMER_VERSION_BRANCH: &str = "pactbroker.consumerVersionBranch";
/// The URL of the pact (with webhook metadata).
pub const PACT_URL: &str = "pactbroker.pactUrl";
/// The URL of the verification result.
pub const VERIFICATION_RESULT_URL: &str = "pactbroker.verificationResultUrl";
/// The verification status as GitHub's commit status API spells it.
pub const GITHUB_VERIFICATION_STATUS: &str = "pactbroker.githubVerificationStatus";
/// The verification status as Bitbucket's build status API spells it.
pub const BITBUCKET_VERIFICATION_STATUS: &str = "pactbroker.bitbucketVerificationStatus";
/// The verification status as Azure DevOps' status API spells it.
pub const AZURE_DEV_OPS_VERIFICATION_STATUS: &str = "pactbroker.azureDevOpsVerificationStatus";
/// The verification status as GitLab's commit status API spells it.
pub const GITLAB_VERIFICATION_STATUS: &str = "pactbroker.gitlabVerificationStatus";
/// The consumer's labels, joined by `, `.
pub const CONSUMER_LABELS: &str = "pactbroker.consumerLabels";
/// The provider's labels, joined by `, `.
pub const PROVIDER_LABELS: &str = "pactbroker.providerLabels";
/// The name of the event that triggered the webhook (`contract_published`, …).
pub const EVENT_NAME: &str = "pactbroker.eventName";
/// The build URL given when the pact or the verification result was published.
pub const BUILD_URL: &str = "pactbroker.buildUrl";
/// The provider version currently deployed (for `contract_requiring_verification_published`).
pub const CURRENTLY_DEPLOYED_PROVIDER_VERSION_NUMBER: &str =
    "pactbroker.currentlyDeployedProviderVersionNumber";

/// Every variable the Pact Broker knows, in the order of its `PactAndVerificationParameters`
/// (the Pact Broker's `ALL` omits the last one, but renders it all the same).
pub const VARIABLES: &[&str] = &[
    CONSUMER_NAME,
    PROVIDER_NAME,
    CONSUMER_VERSION_NUMBER,
    PROVIDER_VERSION_NUMBER,
    PROVIDER_VERSION_TAGS,
    PROVIDER_VERSION_DESCRIPTIONS,
    PROVIDER_VERSION_BRANCH,
    CONSUMER_VERSION_TAGS,
    CONSUMER_VERSION_BRANCH,
    PACT_URL,
    VERIFICATION_RESULT_URL,
    GITHUB_VERIFICATION_STATUS,
    BITBUCKET_VERIFICATION_STATUS,
    AZURE_DEV_OPS_VERIFICATION_STATUS,
    GITLAB_VERIFICATION_STATUS,
    CONSUMER_LABELS,
    PROVIDER_LABELS,
    EVENT_NAME,
    BUILD_URL,
    CURRENTLY_DEPLOYED_PROVIDER_VERSION_NUMBER,
];

/// Why stored variables could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The stored value is not a JSON object.
    #[error("webhook variables must be a JSON object of strings, found {found}")]
    NotAnObject {
        /// The JSON type found (`array`, `string`, …).
        found: &'static str,
    },
    /// A variable's value is not a string.
    #[error("webhook variable `{name}` must be a string, found {found}")]
    NotAString {
        /// The variable.
        name: String,
        /// The JSON type found.
        found: &'static str,
    },
}

/// The values of the template variables for one webhook execution, by variable name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Variables {
    values: BTreeMap<String, String>,
}

impl Variables {
    /// No values: every known variable renders as the empty string.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` (one of [`VARIABLES`], such as [`CONSUMER_NAME`]) to `value`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        self.values.insert(name.to_owned(), value.into());
        self
    }

    /// The value of `name`, if it was set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Sets the four verification-status variables from the verification's success, as the
    /// Pact Broker derives them: `None` (not verified yet) is pending.
    pub fn set_verification_success(&mut self, success: Option<bool>) -> &mut Self {
        for (name, value) in verification_statuses(success) {
            self.set(name, value);
        }
        self
    }

    /// The values as a JSON object of strings, to be stored with a delivery job.
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.values
                .iter()
                .map(|(name, value)| (name.clone(), Value::String(value.clone())))
                .collect(),
        )
    }

    /// Reads back what [`Variables::to_json`] stored.
    pub fn from_json(json: &Value) -> Result<Self, TemplateError> {
        let Value::Object(object) = json else {
            return Err(TemplateError::NotAnObject {
                found: json_type(json),
            });
        };
        let mut values = BTreeMap::new();
        for (name, value) in object {
            let Value::String(text) = value else {
                return Err(TemplateError::NotAString {
                    name: name.clone(),
                    found: json_type(value),
                });
            };
            values.insert(name.clone(), text.clone());
        }
        Ok(Self { values })
    }

    /// What `${name}` renders as: the value if set; the empty string for a known variable
    /// without one; `None` (left as written) for an unknown variable without one.
    fn lookup(&self, name: &str) -> Option<&str> {
        match self.values.get(name) {
            Some(value) => Some(value),
            None => VARIABLES.contains(&name).then_some(""),
        }
    }
}

/// The four verification-status variables and their values for a verification's success
/// (`None`: not verified yet), exactly as the Pact Broker spells them.
pub fn verification_statuses(success: Option<bool>) -> [(&'static str, &'static str); 4] {
    let (github, bitbucket, azure, gitlab) = match success {
        Some(true) => ("success", "SUCCESSFUL", "succeeded", "success"),
        Some(false) => ("failure", "FAILED", "failed", "failed"),
        None => ("pending", "INPROGRESS", "pending", "pending"),
    };
    [
        (GITHUB_VERIFICATION_STATUS, github),
        (BITBUCKET_VERIFICATION_STATUS, bitbucket),
        (AZURE_DEV_OPS_VERIFICATION_STATUS, azure),
        (GITLAB_VERIFICATION_STATUS, gitlab),
    ]
}

/// The `pactbroker.…` names used in `template` that are not in [`VARIABLES`], each once, in
/// order of first use (so creation can reject a typo such as `${pactbroker.consumername}`).
pub fn unknown_variables(template: &str) -> Vec<String> {
    let mut unknown: Vec<String> = Vec::new();
    for placeholder in placeholders(template) {
        if !VARIABLES.contains(&placeholder.name) && !unknown.iter().any(|u| u == placeholder.name)
        {
            unknown.push(placeholder.name.to_owned());
        }
    }
    unknown
}

/// Whether `text` uses any `${pactbroker.…}` placeholder, known or not (the Pact Broker's
/// `Render.includes_parameter?`).
pub fn includes_variable(text: &str) -> bool {
    placeholders(text).next().is_some()
}

/// `template` with every `${pactbroker.…}` placeholder replaced by `placeholder` (the Pact
/// Broker's `render_with_placeholder`), so a URL template can be parsed before it has values.
pub fn render_with_placeholder(template: &str, placeholder: &str) -> String {
    substitute(template, |_| Some(placeholder.to_owned()))
}

/// Renders a header value, a user name or password, or a body that is not JSON: values are
/// inserted as they are.
pub fn render_text(template: &str, vars: &Variables) -> String {
    substitute(template, |name| vars.lookup(name).map(str::to_owned))
}

/// Renders a URL: each value is percent-encoded whole, every byte but the unreserved
/// `A-Z a-z 0-9 - . _ ~`, as the Pact Broker does with `CGI.escape` (so `${pactbroker.pactUrl}`
/// in a query becomes `https%3A%2F%2F…`, and a `/` or `?` in a version number cannot change
/// the path). A space becomes `%20` where `CGI.escape` writes `+`: the same in a query, and
/// still a space in a path.
pub fn render_url(template: &str, vars: &Variables) -> String {
    substitute(template, |name| {
        vars.lookup(name)
            .map(|value| utf8_percent_encode(value, URL_COMPONENT).to_string())
    })
}

/// Renders a JSON body: every string and every object key in the tree is rendered with
/// [`render_text`], so the result is valid JSON whatever the values contain.
pub fn render_json(body: &Value, vars: &Variables) -> Value {
    match body {
        Value::String(text) => Value::String(render_text(text, vars)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| render_json(item, vars)).collect())
        }
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| (render_text(key, vars), render_json(value, vars)))
                .collect(),
        ),
        Value::Null | Value::Bool(_) | Value::Number(_) => body.clone(),
    }
}

/// What a URL component keeps unencoded: RFC 3986's unreserved characters.
const URL_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What starts a placeholder.
const OPEN: &str = "${pactbroker.";

/// One `${pactbroker.X}` in a template.
struct Placeholder<'a> {
    /// Byte offset of the `$`.
    start: usize,
    /// Byte offset just past the `}`.
    end: usize,
    /// `pactbroker.X`.
    name: &'a str,
}

/// The placeholders in `template`, left to right: `${pactbroker.` then at least one character
/// up to the next `}` (the Pact Broker's `\$\{pactbroker\.[^\}]+\}`), where the name holds no
/// `$` or `{` (so `${pactbroker.${pactbroker.consumerName}}` holds one placeholder, the inner).
fn placeholders(template: &str) -> impl Iterator<Item = Placeholder<'_>> {
    let mut position = 0;
    std::iter::from_fn(move || {
        while let Some(found) = template[position..].find(OPEN) {
            let start = position + found;
            let name_start = start + 2;
            let after_open = start + OPEN.len();
            let close = after_open + template[after_open..].find('}')?;
            let name = &template[name_start..close];
            let suffix = &template[after_open..close];
            if suffix.is_empty() || suffix.contains(['$', '{']) {
                position = after_open;
                continue;
            }
            position = close + 1;
            return Some(Placeholder {
                start,
                end: close + 1,
                name,
            });
        }
        None
    })
}

/// `template` with each placeholder replaced by `value(name)`, or left as written when that is
/// `None`; one pass, so inserted values are never rendered again.
fn substitute(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut rendered = String::with_capacity(template.len());
    let mut copied = 0;
    for placeholder in placeholders(template) {
        if let Some(replacement) = value(placeholder.name) {
            rendered.push_str(&template[copied..placeholder.start]);
            rendered.push_str(&replacement);
            copied = placeholder.end;
        }
    }
    rendered.push_str(&template[copied..]);
    rendered
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every variable set to a value naming it (`pactbroker.consumerName` → `<consumerName>`).
    fn every_variable() -> Variables {
        let mut vars = Variables::new();
        for name in VARIABLES {
            vars.set(name, format!("<{}>", &name["pactbroker.".len()..]));
        }
        vars
    }

    #[test]
    fn every_variable_is_substituted_in_text() {
        let vars = every_variable();
        for name in VARIABLES {
            let rendered = render_text(&format!("a ${{{name}}} b"), &vars);
            assert_eq!(
                rendered,
                format!("a <{}> b", &name["pactbroker.".len()..]),
                "{name}"
            );
        }
        assert_eq!(VARIABLES.len(), 20);
        assert!(
            unknown_variables(
                &VARIABLES
                    .iter()
                    .map(|n| format!("${{{n}}}"))
                    .collect::<String>()
            )
            .is_empty()
        );
    }

    #[test]
    fn text_rendering_follows_the_pact_broker() {
        let mut vars = Variables::new();
        vars.set(CONSUMER_NAME, "web")
            .set(PROVIDER_NAME, "api")
            .set(CONSUMER_VERSION_NUMBER, "${pactbroker.providerName}")
            .set("custom.thing", "kept");
        let table = [
            ("no placeholders", "no placeholders"),
            ("${pactbroker.consumerName}", "web"),
            (
                "${pactbroker.consumerName}/${pactbroker.providerName}",
                "web/api",
            ),
            (
                "${pactbroker.consumerName}${pactbroker.consumerName}",
                "webweb",
            ),
            // Known but not set: empty, as the Pact Broker's parameters default to "".
            ("[${pactbroker.buildUrl}]", "[]"),
            // Unknown: left as written.
            ("${pactbroker.consumername}", "${pactbroker.consumername}"),
            ("${pactbroker.}", "${pactbroker.}"),
            ("${pactbroker.consumerName", "${pactbroker.consumerName"),
            ("$pactbroker.consumerName", "$pactbroker.consumerName"),
            ("${PactBroker.consumerName}", "${PactBroker.consumerName}"),
            (
                "${pactbroker.${pactbroker.consumerName}}",
                "${pactbroker.web}",
            ),
            // Values are inserted once, never rendered again.
            (
                "${pactbroker.consumerVersionNumber}",
                "${pactbroker.providerName}",
            ),
            // Other scopes are not ours.
            ("${custom.thing}", "${custom.thing}"),
            ("ünïcode ${pactbroker.consumerName} ✓", "ünïcode web ✓"),
        ];
        for (template, expected) in table {
            assert_eq!(render_text(template, &vars), expected, "{template}");
        }
    }

    #[test]
    fn verification_statuses_are_spelled_as_each_service_expects() {
        let table = [
            (
                Some(true),
                ["success", "SUCCESSFUL", "succeeded", "success"],
            ),
            (Some(false), ["failure", "FAILED", "failed", "failed"]),
            (None, ["pending", "INPROGRESS", "pending", "pending"]),
        ];
        for (success, [github, bitbucket, azure, gitlab]) in table {
            let mut vars = Variables::new();
            vars.set_verification_success(success);
            assert_eq!(
                vars.get(GITHUB_VERIFICATION_STATUS),
                Some(github),
                "{success:?}"
            );
            assert_eq!(
                vars.get(BITBUCKET_VERIFICATION_STATUS),
                Some(bitbucket),
                "{success:?}"
            );
            assert_eq!(
                vars.get(AZURE_DEV_OPS_VERIFICATION_STATUS),
                Some(azure),
                "{success:?}"
            );
            assert_eq!(
                vars.get(GITLAB_VERIFICATION_STATUS),
                Some(gitlab),
                "{success:?}"
            );
        }
    }

    #[test]
    fn unknown_variables_are_listed_once_in_order() {
        let table: [(&str, &[&str]); 6] = [
            ("https://ci/${pactbroker.consumerName}", &[]),
            ("${pactbroker.consumername}", &["pactbroker.consumername"]),
            (
                "${pactbroker.b} ${pactbroker.a} ${pactbroker.b} ${pactbroker.eventName}",
                &["pactbroker.b", "pactbroker.a"],
            ),
            ("${pactbroker.consumer Name}", &["pactbroker.consumer Name"]),
            ("${pactbroker.} ${other.thing} $pactbroker.x", &[]),
            ("${pactbroker.x", &[]),
        ];
        for (template, expected) in table {
            assert_eq!(unknown_variables(template), expected, "{template}");
        }
    }

    #[test]
    fn placeholders_are_detected_and_replaced() {
        assert!(includes_variable("Bearer ${pactbroker.anything}"));
        assert!(!includes_variable("Bearer abc"));
        assert_eq!(
            render_with_placeholder(
                "https://${pactbroker.x}.example/${pactbroker.consumerName}",
                "p"
            ),
            "https://p.example/p"
        );
    }

    #[test]
    fn url_values_are_percent_encoded_whole() {
        let mut vars = Variables::new();
        vars.set(
            PACT_URL,
            "https://broker/pacts/provider/a b/consumer/c?x=1&y=2#f",
        )
        .set(CONSUMER_VERSION_NUMBER, "1.0.0+build/7")
        .set(CONSUMER_NAME, "Zoë_-.~*'()");
        let table = [
            (
                "https://ci/build?pact=${pactbroker.pactUrl}",
                "https://ci/build?pact=https%3A%2F%2Fbroker%2Fpacts%2Fprovider%2Fa%20b%2Fconsumer%2Fc%3Fx%3D1%26y%3D2%23f",
            ),
            (
                "https://ci/v/${pactbroker.consumerVersionNumber}",
                "https://ci/v/1.0.0%2Bbuild%2F7",
            ),
            (
                "https://ci/${pactbroker.consumerName}",
                "https://ci/Zo%C3%AB_-.~%2A%27%28%29",
            ),
            // The template's own text is not touched; missing values are empty.
            (
                "https://ci/a b?q=${pactbroker.buildUrl}&r=1",
                "https://ci/a b?q=&r=1",
            ),
            (
                "https://ci/${pactbroker.nope}",
                "https://ci/${pactbroker.nope}",
            ),
        ];
        for (template, expected) in table {
            assert_eq!(render_url(template, &vars), expected, "{template}");
        }
    }

    #[test]
    fn json_bodies_stay_valid_whatever_the_values() {
        let mut vars = Variables::new();
        vars.set(CONSUMER_NAME, "we\"b\\\n")
            .set(PROVIDER_NAME, "api")
            .set_verification_success(Some(false));
        let table = [
            (
                json!({"state": "${pactbroker.githubVerificationStatus}", "n": 1, "ok": true, "none": null}),
                json!({"state": "failure", "n": 1, "ok": true, "none": null}),
            ),
            (
                json!({"text": "consumer ${pactbroker.consumerName} ${pactbroker.buildUrl}"}),
                json!({"text": "consumer we\"b\\\n "}),
            ),
            (
                json!({"${pactbroker.providerName}": ["${pactbroker.consumerName}", {"deep": "${pactbroker.providerName}"}]}),
                json!({"api": ["we\"b\\\n", {"deep": "api"}]}),
            ),
            (json!("${pactbroker.providerName}"), json!("api")),
            (json!(42), json!(42)),
            (
                json!({"x": "${pactbroker.unknown}"}),
                json!({"x": "${pactbroker.unknown}"}),
            ),
        ];
        for (body, expected) in table {
            let rendered = render_json(&body, &vars);
            assert_eq!(rendered, expected, "{body}");
            let text = rendered.to_string();
            assert_eq!(
                serde_json::from_str::<Value>(&text).ok(),
                Some(rendered),
                "{text}"
            );
        }
    }

    #[test]
    fn variables_round_trip_through_json() {
        let mut vars = every_variable();
        vars.set(CONSUMER_NAME, "quote \" and ✓");
        assert_eq!(Variables::from_json(&vars.to_json()), Ok(vars));
        assert_eq!(Variables::from_json(&json!({})), Ok(Variables::new()));
        let table = [
            (
                json!([]),
                "webhook variables must be a JSON object of strings, found an array",
            ),
            (
                json!("x"),
                "webhook variables must be a JSON object of strings, found a string",
            ),
            (
                json!({"pactbroker.consumerName": 1}),
                "webhook variable `pactbroker.consumerName` must be a string, found a number",
            ),
            (
                json!({"pactbroker.consumerName": null}),
                "webhook variable `pactbroker.consumerName` must be a string, found null",
            ),
        ];
        for (json, message) in table {
            assert_eq!(
                Variables::from_json(&json).map_err(|error| error.to_string()),
                Err(message.to_owned()),
                "{json}"
            );
        }
    }
}
