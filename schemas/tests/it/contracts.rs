//! Whole contract files, one per specification version and interaction kind, parse into the
//! model; each is checked against a one-line-per-interaction summary of what was read.

use treaty_schemas::{
    Body, BodyContent, Contract, HttpRequest, HttpResponse, Interaction, InteractionKind,
    MatchingRule, MatchingRules, Message, parse_contract,
};

use crate::support::fixtures_dir;

/// Parses `valid/<file>` and compares its summary with `expect` (one line per interaction).
fn check(file: &str, expect: &str) {
    let bytes = std::fs::read(fixtures_dir().join("valid").join(file)).unwrap();
    let contract = parse_contract(&bytes).unwrap_or_else(|error| panic!("{file}: {error}"));
    let actual = summarise(&contract);
    assert_eq!(
        actual.trim(),
        expect.trim(),
        "{file}: summary differs; actual:\n{actual}"
    );
}

#[test]
fn v1_ruby_file() {
    check(
        "v1-ruby.json",
        r#"
V1 Billing UI -> Billing API
http "a request for invoice 7" states=[invoice 7 exists] get /invoices/7 query=expand=lines;currency=EUR headers=Accept body=absent rules=- -> 200 headers=Content-Type body=json rules=-
"#,
    );
}

#[test]
fn v2_http_file() {
    check(
        "v2-http.json",
        r#"
V2 order-web -> order-api
http "a request for order 42" states=[order 42 exists] GET /orders/42 query=include=items,customer;note=a b headers=Accept body=absent rules=- -> 200 headers=Content-Type body=json rules=body:$.id=type,$.items=type(1..),$.items[*].quantity=type,$.items[*].sku=regex;header:Content-Type=regex
http "a request to create an order" states=[] POST /orders query=- headers=Content-Type body=json rules=body:$.items[*].quantity=type -> 201 headers=Location body=json rules=body:$.id=type;header:Location=regex
http "a health check" states=[] GET /health query=- headers=- body=absent rules=- -> 200 headers=Content-Type body=text rules=-
"#,
    );
}

#[test]
fn v3_http_file() {
    check(
        "v3-http.json",
        r#"
V3 checkout-web -> catalogue-api
http "a search for products" states=[products exist{category,count}] GET /products query=category=books;tag=new,sale headers=Accept body=absent rules=query:category=regex -> 200 headers=Content-Type body=json rules=body:$.next=null,$.products=type(1..50),$.products[*].id=regex,$.products[*].price=decimal,$.products[*].published=date(yyyy-MM-dd),$.products[*].tags=values,$.products[*].title=OR(type,include);header:Content-Type=regex
http "a request for product p-404" states=[no product p-404] GET /products/p-404 query=- headers=- body=absent rules=path:=regex -> 404 headers=- body=absent rules=-
"#,
    );
}

#[test]
fn v3_message_file() {
    check(
        "v3-message.json",
        r#"
V3 email-service -> account-events
async "an account created event" states=[an account is created{id}] contents=json metadata=contentType,topic rules=body:$.accountId=integer,$.at=timestamp(yyyy-MM-dd'T'HH:mm:ssX),$.email=regex
async "an account closed event" states=[] contents=text metadata=contentType rules=-
"#,
    );
}

#[test]
fn v4_http_file() {
    check(
        "v4-http.json",
        r#"
V4 mobile-app -> profile-api
http "a request for the profile of user 10" key=5f1b2c3d4e states=[user 10 exists{id}] GET /users/10/profile query=fields=name,avatar headers=Accept,Authorization body=absent rules=header:Authorization=regex -> 200 headers=Content-Type body=json(application/json) rules=body:$.avatar=jsonSchema,$.id=integer,$.name=notEmpty,$.roles=arrayContains(1),$.version=semver;status:=statusCode
http "an avatar upload" key=0a9b8c7d6e pending states=[] PUT /users/10/avatar query=- headers=Content-Type body=bytes(8,image/png) rules=- -> 204 headers=- body=absent rules=-
"#,
    );
}

#[test]
fn v4_message_file() {
    check(
        "v4-messages.json",
        r#"
V4 shipping-worker -> order-events
async "an order shipped event" key=m1 states=[order 42 is shipped] contents=json(application/json) metadata=contentType,kafka_topic rules=body:$.orderId=integer,$.shippedAt=timestamp(yyyy-MM-dd'T'HH:mm:ssX);metadata:kafka_topic=regex
sync "a stock level query" key=s1 states=[] contents=json(application/json) metadata=contentType rules=- => contents=json(application/json) metadata=- rules=body:$.level=integer
"#,
    );
}

#[test]
fn a_byte_order_mark_is_allowed() {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(std::fs::read(fixtures_dir().join("valid/v2-http.json")).unwrap());
    let contract = parse_contract(&bytes).unwrap();
    assert_eq!(contract.interactions.len(), 3);
}

fn summarise(contract: &Contract) -> String {
    let mut lines = vec![format!(
        "{:?} {} -> {}",
        contract.spec_version, contract.consumer, contract.provider
    )];
    lines.extend(contract.interactions.iter().map(summarise_interaction));
    lines.join("\n")
}

fn summarise_interaction(interaction: &Interaction) -> String {
    let states: Vec<String> = interaction
        .provider_states
        .iter()
        .map(|state| {
            let params: Vec<&str> = state.params.keys().map(String::as_str).collect();
            if params.is_empty() {
                state.name.clone()
            } else {
                format!("{}{{{}}}", state.name, params.join(","))
            }
        })
        .collect();
    let mut head = String::new();
    if let Some(key) = &interaction.key {
        head.push_str(&format!(" key={key}"));
    }
    if interaction.pending {
        head.push_str(" pending");
    }
    let head = format!(
        "\"{}\"{head} states=[{}]",
        interaction.description,
        states.join(";")
    );
    match &interaction.kind {
        InteractionKind::Http { request, response } => {
            format!(
                "http {head} {} -> {}",
                summarise_request(request),
                summarise_response(response)
            )
        }
        InteractionKind::AsyncMessage(message) => {
            format!("async {head} {}", summarise_message(message))
        }
        InteractionKind::SyncMessage { request, responses } => {
            let responses: Vec<String> = responses.iter().map(summarise_message).collect();
            format!(
                "sync {head} {} => {}",
                summarise_message(request),
                responses.join(" | ")
            )
        }
    }
}

fn summarise_request(request: &HttpRequest) -> String {
    format!(
        "{} {} query={} headers={} body={} rules={}",
        request.method,
        request.path,
        pairs(request.query.as_deref()),
        names(request.headers.as_deref()),
        body(&request.body),
        rules(&request.matching_rules)
    )
}

fn summarise_response(response: &HttpResponse) -> String {
    let status = response
        .status
        .map_or("-".to_owned(), |status| status.to_string());
    format!(
        "{status} headers={} body={} rules={}",
        names(response.headers.as_deref()),
        body(&response.body),
        rules(&response.matching_rules)
    )
}

fn summarise_message(message: &Message) -> String {
    let metadata: Vec<&str> = message.metadata.keys().map(String::as_str).collect();
    let metadata = if metadata.is_empty() {
        "-".to_owned()
    } else {
        metadata.join(",")
    };
    format!(
        "contents={} metadata={metadata} rules={}",
        body(&message.contents),
        rules(&message.matching_rules)
    )
}

fn pairs(pairs: Option<&[(String, Vec<String>)]>) -> String {
    match pairs {
        None => "-".to_owned(),
        Some(pairs) => pairs
            .iter()
            .map(|(name, values)| format!("{name}={}", values.join(",")))
            .collect::<Vec<_>>()
            .join(";"),
    }
}

fn names(pairs: Option<&[(String, Vec<String>)]>) -> String {
    match pairs {
        None => "-".to_owned(),
        Some(pairs) => pairs
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(","),
    }
}

fn body(body: &Body) -> String {
    match body {
        Body::Absent => "absent".to_owned(),
        Body::Null => "null".to_owned(),
        Body::Present {
            content,
            content_type,
        } => {
            let (kind, size) = match content {
                BodyContent::Json(_) => ("json", None),
                BodyContent::Text(_) => ("text", None),
                BodyContent::Bytes(bytes) => ("bytes", Some(bytes.len())),
            };
            let details: Vec<String> = size
                .map(|size| size.to_string())
                .into_iter()
                .chain(content_type.clone())
                .collect();
            if details.is_empty() {
                kind.to_owned()
            } else {
                format!("{kind}({})", details.join(","))
            }
        }
    }
}

fn rules(rules: &MatchingRules) -> String {
    if rules.is_empty() {
        return "-".to_owned();
    }
    rules
        .categories
        .iter()
        .map(|(category, entries)| {
            let entries: Vec<String> = entries
                .iter()
                .map(|(key, list)| {
                    let matchers: Vec<String> = list.rules.iter().map(matcher).collect();
                    let joined = matchers.join(",");
                    if list.combine == treaty_schemas::Combine::Or {
                        format!("{key}=OR({joined})")
                    } else {
                        format!("{key}={joined}")
                    }
                })
                .collect();
            format!("{}:{}", category.as_str(), entries.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn matcher(rule: &MatchingRule) -> String {
    match rule {
        MatchingRule::Type {
            min: None,
            max: None,
        } => "type".to_owned(),
        MatchingRule::Type { min, max } => format!(
            "type({}..{})",
            min.map_or(String::new(), |min| min.to_string()),
            max.map_or(String::new(), |max| max.to_string())
        ),
        MatchingRule::Regex(_) => "regex".to_owned(),
        MatchingRule::Include(_) => "include".to_owned(),
        MatchingRule::Date(Some(format)) => format!("date({format})"),
        MatchingRule::Timestamp(Some(format)) => format!("timestamp({format})"),
        MatchingRule::ArrayContains(variants) => format!("arrayContains({})", variants.len()),
        MatchingRule::JsonSchema(_) => "jsonSchema".to_owned(),
        MatchingRule::StatusCode(_) => "statusCode".to_owned(),
        other => {
            let debug = format!("{other:?}");
            let name = debug
                .split(['(', ' '])
                .next()
                .unwrap_or_default()
                .to_owned();
            let mut characters = name.chars();
            characters
                .next()
                .map(|first| first.to_lowercase().chain(characters).collect())
                .unwrap_or_default()
        }
    }
}

#[test]
fn specification_version_is_detected_from_every_metadata_spelling() {
    use serde_json::json;
    use treaty_schemas::{SpecVersion, detect_spec_version};
    let cases = [
        (
            json!({"metadata": {"pactSpecification": {"version": "3.0.0"}}}),
            SpecVersion::V3,
        ),
        (
            json!({"metadata": {"pact-specification": {"version": "2.0.0"}}}),
            SpecVersion::V2,
        ),
        (
            json!({"metadata": {"pactSpecificationVersion": "1.0.0"}}),
            SpecVersion::V1,
        ),
        (
            json!({"metadata": {"pactSpecification": {"version": "1.1.0"}}}),
            SpecVersion::V1_1,
        ),
        (
            json!({"metadata": {"pactSpecification": {"version": "4.0"}}}),
            SpecVersion::V4,
        ),
        (
            json!({"metadata": {"pactSpecification": {"version": "4.1"}}}),
            SpecVersion::V4,
        ),
        (json!({"interactions": []}), SpecVersion::V2),
        (json!({"messages": []}), SpecVersion::V3),
        (
            json!({"interactions": [{"type": "Synchronous/HTTP"}]}),
            SpecVersion::V4,
        ),
    ];
    for (document, expect) in cases {
        assert_eq!(detect_spec_version(&document), Ok(expect), "{document}");
    }
}
