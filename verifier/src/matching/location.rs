//! Where a comparison is in a body: a [`Location`] is the path from the root (`$`) through
//! object keys, array indexes and XML element positions, shown as a JSON-path such as
//! `$.items[2].price` or `$.animals.alligator[1]['@name']`.

use std::fmt;
use std::sync::Arc;

/// One step into a body: an object key (or XML element, `@attribute`, `#text`) or an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// An object key, XML element name, `@attribute` or `#text`.
    Field(Arc<str>),
    /// An array index.
    Index(usize),
    /// The position of an XML element among its siblings of the same name. It sits before the
    /// element's name and is optional when rules are matched: `$.animals.alligator` and
    /// `$.animals[*].alligator` both address every `<alligator>` in `<animals>`, as the
    /// specification cases write both.
    ElementIndex(usize),
}

/// Where a comparison is in a body, from the root (`$`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// The steps below the root.
    pub(crate) segments: Vec<Segment>,
    /// A hint for rule lookup: bit `i` is clear only when rule `i` of the rule set that made
    /// this location (`RuleSet::field`, `RuleSet::index`) cannot apply here or below. All
    /// set means no hint.
    pub(crate) live_rules: u64,
}

impl Default for Location {
    fn default() -> Location {
        Location {
            segments: Vec::new(),
            live_rules: u64::MAX,
        }
    }
}

impl Location {
    /// The root of the body, `$`.
    pub(crate) fn root() -> Location {
        Location::default()
    }

    /// This location followed by an object key.
    pub(crate) fn field(&self, name: &str) -> Location {
        self.then(Segment::Field(Arc::from(name)))
    }

    /// This location followed by an array index.
    pub(crate) fn index(&self, index: usize) -> Location {
        self.then(Segment::Index(index))
    }

    /// This location followed by the position of an XML element among same-name siblings;
    /// the element's name follows with [`Location::field`].
    pub(crate) fn element_index(&self, index: usize) -> Location {
        self.then(Segment::ElementIndex(index))
    }

    fn then(&self, segment: Segment) -> Location {
        let mut segments = Vec::with_capacity(self.segments.len() + 1);
        segments.extend_from_slice(&self.segments);
        segments.push(segment);
        Location {
            segments,
            live_rules: u64::MAX,
        }
    }

    /// The number of steps below the root.
    pub(crate) fn depth(&self) -> usize {
        self.segments.len()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        let mut pending_element_index = None;
        for segment in &self.segments {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::ElementIndex(index) => pending_element_index = Some(*index),
                Segment::Field(name) => {
                    if is_plain_name(name) {
                        write!(f, ".{name}")?;
                    } else {
                        write!(f, "['{}']", name.replace('\'', "\\'"))?;
                    }
                    // XML elements read best as `$.animals.alligator[1]`; the first of its
                    // name goes without an index, as in `$.animals.alligator`.
                    if let Some(index) = pending_element_index.take().filter(|index| *index > 0) {
                        write!(f, "[{index}]")?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_json_path() {
        assert_eq!(
            Location::root()
                .field("items")
                .index(2)
                .field("price")
                .to_string(),
            "$.items[2].price"
        );
        assert_eq!(
            Location::root().field("a-b").field("@name").to_string(),
            "$['a-b']['@name']"
        );
        assert_eq!(Location::root().to_string(), "$");
    }
}
