//! Validation of a raw publish request (pact-broker-api.md §3.1): every fault is listed with
//! the field it concerns, and contract contents are decoded and checked against the schemas.

use crate::domain::contracts::decode_published_content;
use crate::domain::publish::{
    ContractInput, OnConflict, PreparedContract, PublishInput, PublishRequest,
};
use crate::domain::{BranchName, DomainError, FieldError, PacticipantName, TagName, VersionNumber};

/// Validates a raw publish request, listing every fault.
pub fn validate_publish(input: PublishInput) -> Result<PublishRequest, DomainError> {
    let mut faults = Vec::new();
    let pacticipant = required(
        &mut faults,
        "pacticipantName",
        input.pacticipant_name.as_deref(),
        PacticipantName::parse,
    );
    let version = required(
        &mut faults,
        "pacticipantVersionNumber",
        input.version_number.as_deref(),
        VersionNumber::parse,
    );
    let branch = input.branch.as_deref().and_then(|raw| {
        BranchName::parse(raw)
            .map_err(|message| faults.push(FieldError::new("branch", message)))
            .ok()
    });
    let mut tags = Vec::new();
    for (index, raw) in input.tags.iter().enumerate() {
        match TagName::parse(raw) {
            Ok(tag) => tags.push(tag),
            Err(message) => faults.push(FieldError::new(format!("tags/{index}"), message)),
        }
    }
    let mut contracts = Vec::new();
    match input.contracts {
        None => faults.push(FieldError::new(
            "contracts",
            "is missing: expected an array of contracts",
        )),
        Some(list) if list.is_empty() => faults.push(FieldError::new(
            "contracts",
            "expected at least one contract, found an empty array",
        )),
        Some(list) => {
            for (index, contract) in list.into_iter().enumerate() {
                match validate_contract_input(index, contract, pacticipant.as_ref()) {
                    Ok(prepared) => contracts.push(prepared),
                    Err(mut contract_faults) => faults.append(&mut contract_faults),
                }
            }
        }
    }
    if let Some(url) = &input.build_url
        && let Err(message) = crate::domain::names::check_text(url)
    {
        faults.push(FieldError::new("buildUrl", message));
    }
    match (pacticipant, version) {
        (Some(pacticipant), Some(version)) if faults.is_empty() => Ok(PublishRequest {
            pacticipant,
            version,
            branch,
            tags,
            build_url: input.build_url.filter(|url| !url.trim().is_empty()),
            contracts,
        }),
        _ => Err(DomainError::Invalid(faults)),
    }
}

fn required<T>(
    faults: &mut Vec<FieldError>,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    match raw {
        None => {
            faults.push(FieldError::new(field, "is missing"));
            None
        }
        Some(raw) => parse(raw)
            .map_err(|message| faults.push(FieldError::new(field, message)))
            .ok(),
    }
}

fn validate_contract_input(
    index: usize,
    input: ContractInput,
    pacticipant: Option<&PacticipantName>,
) -> Result<PreparedContract, Vec<FieldError>> {
    let field = |name: &str| format!("contracts/{index}/{name}");
    let mut faults = Vec::new();
    let consumer = required(
        &mut faults,
        &field("consumerName"),
        input.consumer_name.as_deref(),
        PacticipantName::parse,
    );
    if let (Some(consumer), Some(pacticipant)) = (&consumer, pacticipant)
        && consumer != pacticipant
    {
        faults.push(FieldError::new(
            field("consumerName"),
            format!("must equal pacticipantName `{pacticipant}`, found `{consumer}`"),
        ));
    }
    let provider = required(
        &mut faults,
        &field("providerName"),
        input.provider_name.as_deref(),
        PacticipantName::parse,
    );
    if let Some(specification) = input.specification.as_deref()
        && specification != "pact"
    {
        faults.push(FieldError::new(
            field("specification"),
            format!("expected `pact`, found `{specification}`"),
        ));
    }
    if let Some(content_type) = input.content_type.as_deref()
        && !content_type.to_ascii_lowercase().contains("json")
    {
        faults.push(FieldError::new(
            field("contentType"),
            format!("only JSON contracts are supported: expected `application/json`, found `{content_type}`"),
        ));
    }
    let on_conflict = match input.on_conflict.as_deref() {
        None | Some("overwrite") => OnConflict::Replace,
        Some("merge") => OnConflict::Merge,
        Some(other) => {
            faults.push(FieldError::new(
                field("onConflict"),
                format!("expected `overwrite` or `merge`, found `{other}`"),
            ));
            OnConflict::Replace
        }
    };
    let document = match input.content.as_deref() {
        None => {
            faults.push(FieldError::new(
                field("content"),
                "is missing: expected the base64 encoded contract",
            ));
            None
        }
        Some(content) => decode_published_content(&field("content"), content)
            .map_err(|fault| faults.push(fault))
            .ok(),
    };
    let (Some(provider), Some(document)) = (provider, document) else {
        return Err(faults);
    };
    match PreparedContract::new(
        &field("content"),
        consumer.as_ref(),
        provider,
        document,
        on_conflict,
    ) {
        Ok(prepared) if faults.is_empty() => Ok(prepared),
        Ok(_) => Err(faults),
        Err(mut content_faults) => {
            faults.append(&mut content_faults);
            Err(faults)
        }
    }
}
