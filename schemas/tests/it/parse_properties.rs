//! Property tests of contract parsing, validation and content identity: nothing a caller can
//! hand the crate makes it panic, every generated valid V2/V3/V4 document parses, and
//! parse → canonical form → parse is stable (the same model, the same content hash).
//!
//! The strategies are in `pact_strategies.rs`; each property runs 256 cases and writes no
//! regression files (a failure prints the minimal input instead).

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use treaty_schemas::canonical::canonical_form;
use treaty_schemas::wire::{parse_http_request, parse_http_response, parse_message};
use treaty_schemas::{
    Contract, Interaction, InteractionKind, SpecVersion, canonical_json, content_hash,
    detect_spec_version, merge_contracts, parse_contract, parse_contract_value,
    parse_contract_value_with_warnings, validate_document, with_interaction_ids,
};

use crate::pact_strategies::{Version, any_pact_document, config, json_value, pact_document};

const VERSIONS: [SpecVersion; 5] = [
    SpecVersion::V1,
    SpecVersion::V1_1,
    SpecVersion::V2,
    SpecVersion::V3,
    SpecVersion::V4,
];

/// Every entry point that takes a whole document or a fragment, called on `value`; their
/// results are thrown away, only a panic fails.
fn feed_everything(value: &Value) {
    let _ = parse_contract_value(value);
    let _ = parse_contract_value_with_warnings(value);
    let _ = detect_spec_version(value);
    let _ = canonical_json(value);
    let _ = content_hash(value);
    let _ = with_interaction_ids(value);
    let _ = merge_contracts(value, value);
    for version in VERSIONS {
        let _ = validate_document(value, version);
        let _ = parse_http_request(value, version);
        let _ = parse_http_response(value, version);
        let _ = parse_message(value, version);
    }
}

/// Replaces the value found by following `choices` (each picks a member or element, modulo
/// the count) with `replacement`; stops early at a scalar or an empty container.
fn replace_at(value: &mut Value, choices: &[usize], replacement: Value) {
    if let Some((&choice, rest)) = choices.split_first() {
        let child = match &mut *value {
            Value::Object(object) if !object.is_empty() => {
                let count = object.len();
                object.values_mut().nth(choice % count)
            }
            Value::Array(items) if !items.is_empty() => {
                let count = items.len();
                items.get_mut(choice % count)
            }
            _ => None,
        };
        if let Some(child) = child {
            return replace_at(child, rest, replacement);
        }
    }
    *value = replacement;
}

/// A document rebuilt from `document`'s canonical form: its interactions and messages as the
/// canonical form has them, the names (which the canonical form leaves out) and the
/// specification version it declares.
fn rebuilt_from_canonical(document: &Value) -> Value {
    let canonical = canonical_form(document);
    let mut rebuilt = Map::new();
    rebuilt.insert("consumer".into(), document["consumer"].clone());
    rebuilt.insert("provider".into(), document["provider"].clone());
    rebuilt.insert(
        "interactions".into(),
        canonical.get("interactions").cloned().unwrap_or(json!([])),
    );
    if let Some(messages) = canonical.get("messages") {
        rebuilt.insert("messages".into(), messages.clone());
    }
    rebuilt.insert(
        "metadata".into(),
        json!({ "pactSpecification": { "version": canonical["pactSpecificationVersion"] } }),
    );
    Value::Object(rebuilt)
}

/// An interaction without what the canonical form deliberately drops or reorders: the V4 `key`
/// (derived from the content) and the order of header and query names (JSON object members
/// have none; the model keeps the order written).
fn without_member_order(interaction: &Interaction) -> Interaction {
    fn sort(entries: &mut Option<Vec<(String, Vec<String>)>>) {
        if let Some(entries) = entries {
            entries.sort_by(|left, right| left.0.cmp(&right.0));
        }
    }
    let mut interaction = interaction.clone();
    interaction.key = None;
    if let InteractionKind::Http { request, response } = &mut interaction.kind {
        sort(&mut request.headers);
        sort(&mut request.query);
        sort(&mut response.headers);
    }
    interaction
}

/// True when both contracts hold the same interactions, in any order (the canonical form sorts
/// them), apart from [`without_member_order`]'s differences.
fn same_interactions(left: &Contract, right: &Contract) -> bool {
    let mut unmatched: Vec<Interaction> = right
        .interactions
        .iter()
        .map(without_member_order)
        .collect();
    left.interactions.len() == right.interactions.len()
        && left.interactions.iter().all(|interaction| {
            let interaction = without_member_order(interaction);
            match unmatched.iter().position(|other| *other == interaction) {
                Some(position) => {
                    unmatched.swap_remove(position);
                    true
                }
                None => false,
            }
        })
}

fn spec_version_of(version: Version) -> SpecVersion {
    match version {
        Version::V2 => SpecVersion::V2,
        Version::V3 => SpecVersion::V3,
        Version::V4 => SpecVersion::V4,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        feed_everything(&value);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_contract(&bytes);
        let mut with_bom = "\u{feff}".as_bytes().to_vec();
        with_bom.extend(&bytes);
        let _ = parse_contract(&with_bom);
    }

    /// A valid document's text with a few bytes overwritten: mostly invalid JSON, sometimes
    /// valid JSON with a changed name, number or key.
    #[test]
    fn corrupted_contract_text_never_panics(
        document in any_pact_document(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = serde_json::to_vec(&document).unwrap();
        for (position, byte) in edits {
            let position = position % bytes.len();
            bytes[position] = byte;
        }
        let _ = parse_contract(&bytes);
    }

    /// A valid document with one member or element, at any depth, replaced by any JSON value:
    /// reaches the conversion and canonical code with wrong types in every place.
    #[test]
    fn mutated_contract_never_panics(
        document in any_pact_document(),
        choices in prop::collection::vec(any::<usize>(), 0..8),
        replacement in json_value(),
    ) {
        let mut document = document;
        replace_at(&mut document, &choices, replacement);
        feed_everything(&document);
    }

    #[test]
    fn valid_v2_documents_parse(document in pact_document(Version::V2)) {
        check_valid(&document, Version::V2)?;
    }

    #[test]
    fn valid_v3_documents_parse(document in pact_document(Version::V3)) {
        check_valid(&document, Version::V3)?;
    }

    #[test]
    fn valid_v4_documents_parse(document in pact_document(Version::V4)) {
        check_valid(&document, Version::V4)?;
    }

    /// parse → canonical → parse: the rebuilt document parses into the same model (names,
    /// version, interactions) and has the same canonical text, hence the same content hash;
    /// doing it again changes nothing.
    #[test]
    fn canonical_round_trip_is_stable(document in any_pact_document()) {
        let original = parse_contract_value(&document).unwrap();
        let rebuilt = rebuilt_from_canonical(&document);
        let reparsed = parse_contract_value(&rebuilt);
        prop_assert!(reparsed.is_ok(), "the canonical form does not parse: {reparsed:?}\n{rebuilt:#}");
        let reparsed = reparsed.unwrap();
        prop_assert_eq!(&original.consumer, &reparsed.consumer);
        prop_assert_eq!(&original.provider, &reparsed.provider);
        prop_assert_eq!(original.spec_version, reparsed.spec_version);
        prop_assert!(
            same_interactions(&original, &reparsed),
            "the canonical form means something else\noriginal: {:#?}\nreparsed: {:#?}",
            original.interactions,
            reparsed.interactions
        );
        prop_assert_eq!(canonical_json(&document), canonical_json(&rebuilt));
        prop_assert_eq!(content_hash(&document), content_hash(&rebuilt));
        prop_assert_eq!(&rebuilt_from_canonical(&rebuilt), &rebuilt);
    }

    /// The hash ignores the broker's `_id`s, interaction order and indentation, and the bytes
    /// path parses the same model as the value path.
    #[test]
    fn identity_ignores_ids_order_and_layout(document in any_pact_document()) {
        let hash = content_hash(&document);
        prop_assert_eq!(&content_hash(&with_interaction_ids(&document)), &hash);
        let mut reversed = document.clone();
        for key in ["interactions", "messages"] {
            if let Some(Value::Array(entries)) = reversed.get_mut(key) {
                entries.reverse();
            }
        }
        prop_assert_eq!(&content_hash(&reversed), &hash);
        let pretty = serde_json::to_vec_pretty(&document).unwrap();
        prop_assert_eq!(parse_contract(&pretty).unwrap(), parse_contract_value(&document).unwrap());
    }
}

fn check_valid(document: &Value, version: Version) -> Result<(), TestCaseError> {
    let parsed = parse_contract_value(document);
    prop_assert!(
        parsed.is_ok(),
        "a valid document was refused: {parsed:?}\n{document:#}"
    );
    let contract = parsed.unwrap();
    prop_assert_eq!(contract.spec_version, spec_version_of(version));
    let written = ["interactions", "messages"]
        .iter()
        .filter_map(|key| document.get(key).and_then(Value::as_array))
        .map(Vec::len)
        .sum::<usize>();
    prop_assert_eq!(contract.interactions.len(), written);
    Ok(())
}
