//! XML bodies, compared element by element as Pact does.
//!
//! Element names are compared with their namespace (a declared prefix does not matter, the
//! namespace URI does). The rule path of an element is its parent's path plus its local name,
//! with `['@name']` for attributes and `['#text']` for the element's text (its text children,
//! each trimmed, joined). Children are grouped by name: without a type rule the n-th expected
//! child is compared with the n-th actual one of that name; with a type rule every actual child
//! is compared with the first example. In lenient mode (responses, messages) unexpected
//! attributes and children are allowed.

use roxmltree::{Document, Node};
use serde_json::Value;
use treaty_schemas::MatchingRule;

use crate::matching::mismatch::Mismatch;
use crate::matching::path::{Location, RuleSet};
use crate::matching::rules::Evaluator;

use super::text::compare_text_at;

/// Compares XML documents under one set of body rules.
pub(crate) struct XmlMatcher<'a> {
    /// The body rules.
    pub(crate) rules: RuleSet<'a>,
    /// Evaluates single rules.
    pub(crate) evaluator: &'a Evaluator,
    /// True for requests: attributes and children the contract does not name are mismatches.
    pub(crate) strict: bool,
}

impl XmlMatcher<'_> {
    /// Parses both documents and compares their root elements.
    pub(crate) fn compare_documents(&self, expected: &str, actual: &str) -> Vec<Mismatch> {
        let mut out = Vec::new();
        let expected_document = match parse(expected) {
            Ok(document) => document,
            Err(error) => {
                out.push(Mismatch::body(
                    "$",
                    None,
                    None,
                    format!("the expected XML body does not parse: {error}"),
                ));
                return out;
            }
        };
        let actual_document = match parse(actual) {
            Ok(document) => document,
            Err(error) => {
                let detail = format!("expected an XML body, but it does not parse: {error}");
                out.push(Mismatch::body(
                    "$",
                    None,
                    Some(Value::String(actual.to_owned())),
                    detail,
                ));
                return out;
            }
        };
        let (expected_root, actual_root) = (
            expected_document.root_element(),
            actual_document.root_element(),
        );
        // The root element gets a position too, so that `$[*]` reaches it as the cases expect.
        let root = Location::root();
        let first = root.element_index(0);
        let location = first.field(expected_root.tag_name().name());
        self.compare_element(&location, expected_root, actual_root, &mut out);
        out
    }

    fn compare_element(
        &self,
        location: &Location,
        expected: Node<'_, '_>,
        actual: Node<'_, '_>,
        out: &mut Vec<Mismatch>,
    ) {
        if let Some(failure) = self.element_failure(location, expected, actual) {
            out.push(Mismatch::body(
                location.to_string(),
                Some(Value::String(qualified_name(expected))),
                Some(Value::String(qualified_name(actual))),
                failure,
            ));
            return;
        }
        self.compare_attributes(location, expected, actual, out);
        self.compare_children(location, expected, actual, out);
        self.compare_text(location, expected, actual, out);
    }

    /// The element-level check: the name, and `min`/`max` on the number of child elements.
    fn element_failure(
        &self,
        location: &Location,
        expected: Node<'_, '_>,
        actual: Node<'_, '_>,
    ) -> Option<String> {
        let same_name = expected.tag_name() == actual.tag_name();
        let name_failure = || {
            format!(
                "expected element <{}>, got <{}>",
                qualified_name(expected),
                qualified_name(actual)
            )
        };
        let Some(selected) = self.rules.select(location) else {
            return (!same_name).then(name_failure);
        };
        let mut failures = Vec::new();
        let mut passed = false;
        for rule in &selected.list.rules {
            let result = match rule {
                MatchingRule::Type { min, max } => {
                    let children = actual.children().filter(Node::is_element).count();
                    if !same_name {
                        Err(name_failure())
                    } else if let Some(min) =
                        min.filter(|min| !selected.cascaded && children < *min)
                    {
                        Err(format!(
                            "expected at least {min} child element(s), got {children}"
                        ))
                    } else if let Some(max) =
                        max.filter(|max| !selected.cascaded && children > *max)
                    {
                        Err(format!(
                            "expected at most {max} child element(s), got {children}"
                        ))
                    } else {
                        Ok(())
                    }
                }
                // Other rules are about the element's text or attributes, which they reach by
                // cascading; the element itself must still have the expected name.
                _ if same_name => Ok(()),
                _ => Err(name_failure()),
            };
            match result {
                Ok(()) => passed = true,
                Err(failure) => failures.push(failure),
            }
        }
        let or = selected.list.combine == treaty_schemas::Combine::Or;
        if failures.is_empty() || (or && passed) {
            None
        } else {
            Some(failures.join("; "))
        }
    }

    fn compare_attributes(
        &self,
        location: &Location,
        expected: Node<'_, '_>,
        actual: Node<'_, '_>,
        out: &mut Vec<Mismatch>,
    ) {
        for attribute in expected.attributes() {
            let name = format!("@{}", attribute.name());
            let child = location.field(&name);
            let found = actual.attributes().find(|candidate| {
                candidate.name() == attribute.name()
                    && candidate.namespace() == attribute.namespace()
            });
            match found {
                Some(found) => {
                    self.compare_text_value(&child, attribute.value(), found.value(), out)
                }
                None => {
                    let detail = format!(
                        "expected attribute {}=\"{}\", but it is missing",
                        attribute.name(),
                        attribute.value()
                    );
                    out.push(Mismatch::body(
                        child.to_string(),
                        Some(Value::String(attribute.value().to_owned())),
                        None,
                        detail,
                    ));
                }
            }
        }
        if self.strict {
            for attribute in actual.attributes() {
                let known = expected.attributes().any(|candidate| {
                    candidate.name() == attribute.name()
                        && candidate.namespace() == attribute.namespace()
                });
                if !known {
                    let name = format!("@{}", attribute.name());
                    let child = location.field(&name);
                    let detail = format!(
                        "unexpected attribute {}=\"{}\"",
                        attribute.name(),
                        attribute.value()
                    );
                    out.push(Mismatch::body(
                        child.to_string(),
                        None,
                        Some(Value::String(attribute.value().to_owned())),
                        detail,
                    ));
                }
            }
        }
    }

    fn compare_children(
        &self,
        location: &Location,
        expected: Node<'_, '_>,
        actual: Node<'_, '_>,
        out: &mut Vec<Mismatch>,
    ) {
        let expected_groups = group_children(expected);
        let actual_groups = group_children(actual);
        for (name, expected_children) in &expected_groups {
            let Some(first) = expected_children.first() else {
                continue;
            };
            let local_name = first.tag_name().name();
            let child_location = |index: usize| {
                let element = location.element_index(index);
                element.field(local_name).to_string()
            };
            let actual_children = actual_groups
                .iter()
                .find(|(candidate, _)| candidate == name)
                .map(|(_, children)| children.as_slice())
                .unwrap_or_default();
            if actual_children.is_empty() {
                let detail = format!(
                    "expected child <{}>, but it is missing",
                    qualified_name(*first)
                );
                out.push(Mismatch::body(
                    child_location(0),
                    Some(Value::String(qualified_name(*first))),
                    None,
                    detail,
                ));
            } else if self
                .rules
                .type_rule_applies(&location.element_index(0).field(local_name))
            {
                for (index, actual_child) in actual_children.iter().enumerate() {
                    let element = location.element_index(index);
                    self.compare_element(&element.field(local_name), *first, *actual_child, out);
                }
            } else {
                for (index, (expected_child, actual_child)) in
                    expected_children.iter().zip(actual_children).enumerate()
                {
                    let element = location.element_index(index);
                    self.compare_element(
                        &element.field(local_name),
                        *expected_child,
                        *actual_child,
                        out,
                    );
                }
                if expected_children.len() > actual_children.len()
                    || (self.strict && expected_children.len() < actual_children.len())
                {
                    let detail = format!(
                        "expected {} <{}> element(s), got {}",
                        expected_children.len(),
                        qualified_name(*first),
                        actual_children.len()
                    );
                    out.push(Mismatch::body(
                        location.field(local_name).to_string(),
                        None,
                        None,
                        detail,
                    ));
                }
            }
        }
        for (name, actual_children) in &actual_groups {
            let Some(first) = actual_children.first() else {
                continue;
            };
            let element = location.element_index(0);
            let child_location = element.field(first.tag_name().name());
            let known = expected_groups
                .iter()
                .any(|(candidate, _)| candidate == name);
            if !known && (self.strict || self.rules.type_rule_applies(&child_location)) {
                let detail = format!("unexpected child <{}>", qualified_name(*first));
                out.push(Mismatch::body(
                    child_location.to_string(),
                    None,
                    Some(Value::String(qualified_name(*first))),
                    detail,
                ));
            }
        }
    }

    fn compare_text(
        &self,
        location: &Location,
        expected: Node<'_, '_>,
        actual: Node<'_, '_>,
        out: &mut Vec<Mismatch>,
    ) {
        let expected_text = text_of(expected);
        let actual_text = text_of(actual);
        self.compare_text_value(&location.field("#text"), &expected_text, &actual_text, out);
    }

    fn compare_text_value(
        &self,
        location: &Location,
        expected: &str,
        actual: &str,
        out: &mut Vec<Mismatch>,
    ) {
        out.extend(compare_text_at(
            location,
            expected,
            actual,
            &self.rules,
            self.evaluator,
            "",
        ));
    }
}

/// Parses a document; a DOCTYPE is allowed (roxmltree still guards against entity expansion
/// attacks), and a byte order mark is skipped.
pub(crate) fn parse(text: &str) -> Result<Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    Document::parse_with_options(text.trim_start_matches('\u{feff}'), options)
}

/// `{namespace}name`, or `name` outside any namespace.
fn qualified_name(node: Node<'_, '_>) -> String {
    let name = node.tag_name();
    match name.namespace() {
        Some(namespace) => format!("{{{namespace}}}{}", name.name()),
        None => name.name().to_owned(),
    }
}

/// Child elements grouped by qualified name, groups in order of first appearance.
fn group_children<'a, 'input>(node: Node<'a, 'input>) -> Vec<(String, Vec<Node<'a, 'input>>)> {
    let mut groups: Vec<(String, Vec<Node<'a, 'input>>)> = Vec::new();
    for child in node.children().filter(Node::is_element) {
        let name = qualified_name(child);
        match groups.iter_mut().find(|(existing, _)| *existing == name) {
            Some((_, children)) => children.push(child),
            None => groups.push((name, vec![child])),
        }
    }
    groups
}

/// The element's own text: its text children, each trimmed, joined.
fn text_of(node: Node<'_, '_>) -> String {
    node.children()
        .filter(Node::is_text)
        .filter_map(|child| child.text())
        .map(str::trim)
        .collect()
}
