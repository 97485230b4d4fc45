//! Publishing contracts: validation of the all-in-one publish request, then, in one
//! transaction, the pacticipants, version, branch, tags and each contract's publication.
//!
//! Contracts are immutable: the same content again is an idempotent success, different content
//! for an existing consumer version and provider is refused unless the operator allowed
//! overwriting or the client asked to merge.

use std::sync::Arc;

use serde_json::Value;

use crate::domain::contracts::{
    content_sha, decode_published_content, merge_documents, validate_contract,
};
use crate::domain::versions::{attach_branch, attach_tag};
use crate::domain::{BranchName, DomainError, FieldError, PacticipantName, TagName, VersionNumber};
use crate::storage::models::{PacticipantRow, VersionRow};
use crate::storage::{
    AnyConnection, Db, StorageError, contents, pacticipants, publications, versions,
};

/// Operator settings that change publishing rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublishSettings {
    /// Let different content replace an existing publication (`--allow-contract-overwrite`).
    pub allow_contract_overwrite: bool,
}

/// What to do when a consumer version already published other content for the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflict {
    /// Refuse with a conflict (or replace, when the operator allowed overwriting).
    Replace,
    /// Merge the new interactions into the existing contract.
    Merge,
}

/// The all-in-one publish request as received, before validation.
#[derive(Debug, Clone, Default)]
pub struct PublishInput {
    /// `pacticipantName`.
    pub pacticipant_name: Option<String>,
    /// `pacticipantVersionNumber`.
    pub version_number: Option<String>,
    /// `branch`.
    pub branch: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `buildUrl`.
    pub build_url: Option<String>,
    /// `contracts`; `None` when the key is missing.
    pub contracts: Option<Vec<ContractInput>>,
}

/// One entry of `contracts`, before validation.
#[derive(Debug, Clone, Default)]
pub struct ContractInput {
    /// `consumerName`.
    pub consumer_name: Option<String>,
    /// `providerName`.
    pub provider_name: Option<String>,
    /// `specification`.
    pub specification: Option<String>,
    /// `contentType`.
    pub content_type: Option<String>,
    /// `content` (base64).
    pub content: Option<String>,
    /// `onConflict`.
    pub on_conflict: Option<String>,
}

/// A validated contract, ready to store.
#[derive(Debug, Clone)]
pub struct PreparedContract {
    /// The provider.
    pub provider: PacticipantName,
    /// The document as JSON text, stored as is when the content is new.
    pub text: String,
    /// The parsed document.
    pub document: Value,
    /// Its content hash.
    pub sha: String,
    /// Conflict handling.
    pub on_conflict: OnConflict,
}

impl PreparedContract {
    /// Validates a contract document and computes its identity.
    pub fn new(
        field: &str,
        provider: PacticipantName,
        document: Value,
        on_conflict: OnConflict,
    ) -> Result<Self, Vec<FieldError>> {
        validate_contract(field, &document)?;
        let text = serde_json::to_string(&document).map_err(|error| {
            vec![FieldError::new(
                field,
                format!("cannot serialise the contract: {error}"),
            )]
        })?;
        let sha = content_sha(&document);
        Ok(Self {
            provider,
            text,
            document,
            sha,
            on_conflict,
        })
    }
}

/// A validated publish request.
#[derive(Debug, Clone)]
pub struct PublishRequest {
    /// The consumer.
    pub pacticipant: PacticipantName,
    /// The consumer version.
    pub version: VersionNumber,
    /// Branch of that version.
    pub branch: Option<BranchName>,
    /// Tags for that version.
    pub tags: Vec<TagName>,
    /// CI build URL.
    pub build_url: Option<String>,
    /// One or more contracts.
    pub contracts: Vec<PreparedContract>,
}

/// What happened to one contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractOutcome {
    /// A new publication.
    Created,
    /// The same content was already published; nothing changed.
    Unchanged,
    /// Merged into the existing contract (new revision).
    Merged,
    /// Replaced the existing content (operator allowed overwriting).
    Overwritten,
}

/// One contract's result.
#[derive(Debug, Clone)]
pub struct PublishedContract {
    /// Provider name.
    pub provider: String,
    /// Content hash now published.
    pub sha: String,
    /// What happened.
    pub outcome: ContractOutcome,
}

/// The result of a publish.
#[derive(Debug, Clone)]
pub struct PublishOutcome {
    /// The consumer.
    pub pacticipant: PacticipantRow,
    /// The consumer version.
    pub version: VersionRow,
    /// The branch, if one was given.
    pub branch: Option<String>,
    /// The tags given.
    pub tags: Vec<String>,
    /// Per contract, in request order.
    pub contracts: Vec<PublishedContract>,
}

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
    match PreparedContract::new(&field("content"), provider, document, on_conflict) {
        Ok(prepared) if faults.is_empty() => Ok(prepared),
        Ok(_) => Err(faults),
        Err(mut content_faults) => {
            faults.append(&mut content_faults);
            Err(faults)
        }
    }
}

/// Publishes everything in one transaction: nothing is written unless every contract is.
pub async fn publish_contracts(
    db: &Db,
    settings: PublishSettings,
    request: PublishRequest,
) -> Result<PublishOutcome, DomainError> {
    let request = Arc::new(request);
    db.write(move |conn| publish_in_transaction(conn, settings, &request))
        .await
}

fn publish_in_transaction(
    conn: &mut AnyConnection,
    settings: PublishSettings,
    request: &PublishRequest,
) -> Result<PublishOutcome, DomainError> {
    let (pacticipant, _) =
        pacticipants::find_or_insert_pacticipant(conn, request.pacticipant.as_str())?;
    let (version, _) = versions::find_or_insert_version(
        conn,
        pacticipant.id,
        request.version.as_str(),
        request.build_url.as_deref(),
    )?;
    if let Some(branch) = &request.branch {
        attach_branch(conn, &pacticipant, &version, branch)?;
    }
    for tag in &request.tags {
        attach_tag(conn, &pacticipant, &version, tag)?;
    }
    let mut contracts = Vec::with_capacity(request.contracts.len());
    for contract in &request.contracts {
        let (provider, _) =
            pacticipants::find_or_insert_pacticipant(conn, contract.provider.as_str())?;
        contracts.push(store_contract(
            conn,
            settings,
            &pacticipant,
            &version,
            &provider,
            contract,
        )?);
    }
    let pacticipant =
        pacticipants::find_pacticipant(conn, request.pacticipant.as_str())?.unwrap_or(pacticipant);
    Ok(PublishOutcome {
        pacticipant,
        version,
        branch: request.branch.as_ref().map(ToString::to_string),
        tags: request.tags.iter().map(ToString::to_string).collect(),
        contracts,
    })
}

/// Links `contract` to the consumer version and provider, applying the immutability rules.
pub(crate) fn store_contract(
    conn: &mut AnyConnection,
    settings: PublishSettings,
    consumer: &PacticipantRow,
    version: &VersionRow,
    provider: &PacticipantRow,
    contract: &PreparedContract,
) -> Result<PublishedContract, DomainError> {
    let published = |sha: &str, outcome| PublishedContract {
        provider: provider.name.clone(),
        sha: sha.to_owned(),
        outcome,
    };
    let Some((existing, existing_content)) =
        publications::find_latest_revision(conn, version.id, provider.id)?
    else {
        let content = contents::insert_content_if_absent(conn, &contract.sha, &contract.text)?;
        publications::insert_publication(conn, version.id, provider.id, content.id, 1)?;
        return Ok(published(&contract.sha, ContractOutcome::Created));
    };
    if existing_content.sha == contract.sha {
        return Ok(published(&contract.sha, ContractOutcome::Unchanged));
    }
    let (sha, text, outcome) = match contract.on_conflict {
        OnConflict::Merge => {
            let stored: Value =
                serde_json::from_str(&existing_content.content).map_err(|error| {
                    StorageError::Corrupt(format!(
                        "content {} is not JSON: {error}",
                        existing_content.sha
                    ))
                })?;
            let merged = merge_documents(&stored, &contract.document);
            let sha = content_sha(&merged);
            if sha == existing_content.sha {
                return Ok(published(&sha, ContractOutcome::Unchanged));
            }
            let text = serde_json::to_string(&merged).map_err(|error| {
                StorageError::Corrupt(format!("merged content cannot be serialised: {error}"))
            })?;
            (sha, text, ContractOutcome::Merged)
        }
        OnConflict::Replace if settings.allow_contract_overwrite => (
            contract.sha.clone(),
            contract.text.clone(),
            ContractOutcome::Overwritten,
        ),
        OnConflict::Replace => {
            return Err(DomainError::ContractConflict {
                message: format!(
                    "cannot change the pact between consumer `{}` version `{}` and provider `{}`: \
                     that version already published a pact with different content; publish under a \
                     new consumer version, or start the broker with --allow-contract-overwrite",
                    consumer.name, version.number, provider.name
                ),
            });
        }
    };
    let content = contents::insert_content_if_absent(conn, &sha, &text)?;
    publications::insert_publication(
        conn,
        version.id,
        provider.id,
        content.id,
        existing.revision + 1,
    )?;
    Ok(published(&sha, outcome))
}
