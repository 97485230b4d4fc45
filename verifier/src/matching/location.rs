//! Where a comparison is in a body: a [`Location`] is the path from the root (`$`) through
//! object keys, array indexes and XML element positions, shown as a JSON-path such as
//! `$.items[2].price` or `$.animals.alligator[1]['@name']`.
//!
//! A location is a chain of borrowed links, one per step, each living on the stack frame of
//! the comparison at that step: going one step down allocates nothing, and the JSON-path text
//! is only built when a mismatch is reported.

use std::fmt;

/// One step into a body: an object key (or XML element, `@attribute`, `#text`) or an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segment<'a> {
    /// An object key, XML element name, `@attribute` or `#text`.
    Field(&'a str),
    /// An array index.
    Index(usize),
    /// The position of an XML element among its siblings of the same name. It sits before the
    /// element's name and is optional when rules are matched: `$.animals.alligator` and
    /// `$.animals[*].alligator` both address every `<alligator>` in `<animals>`, as the
    /// specification cases write both.
    ElementIndex(usize),
}

/// Where a comparison is in a body, from the root (`$`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location<'a> {
    /// The location one step up; `None` at the root.
    parent: Option<&'a Location<'a>>,
    /// The last step; `None` at the root.
    segment: Option<Segment<'a>>,
    /// The number of steps below the root.
    depth: usize,
    /// True when some step is an XML element position.
    element_indexes: bool,
    /// Where rule lookup is for this location, when a rule set made it (`RuleSet::field`,
    /// `RuleSet::index`).
    pub(crate) rules: RuleState,
}

/// A location's state in the rule-lookup automaton of one rule set (see `path::RuleSet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RuleState {
    /// The id of the automaton the state belongs to; 0 for none.
    pub(crate) set: u64,
    /// The state in that automaton.
    pub(crate) state: u32,
    /// The rule that state selects, as the automaton encodes it.
    pub(crate) best: u32,
}

impl RuleState {
    /// No state: the rule set works it out from the location's steps.
    pub(crate) const NONE: RuleState = RuleState {
        set: 0,
        state: 0,
        best: 0,
    };
}

impl Location<'static> {
    /// The root of the body, `$`.
    pub(crate) fn root() -> Location<'static> {
        Location {
            parent: None,
            segment: None,
            depth: 0,
            element_indexes: false,
            rules: RuleState::NONE,
        }
    }
}

impl<'a> Location<'a> {
    /// This location followed by an object key.
    pub(crate) fn field<'c>(&'c self, name: &'c str) -> Location<'c> {
        self.then(Segment::Field(name))
    }

    /// This location followed by an array index.
    pub(crate) fn index(&self, index: usize) -> Location<'_> {
        self.then(Segment::Index(index))
    }

    /// This location followed by the position of an XML element among same-name siblings;
    /// the element's name follows with [`Location::field`].
    pub(crate) fn element_index(&self, index: usize) -> Location<'_> {
        self.then(Segment::ElementIndex(index))
    }

    fn then<'c>(&'c self, segment: Segment<'c>) -> Location<'c> {
        Location {
            parent: Some(self),
            segment: Some(segment),
            depth: self.depth + 1,
            element_indexes: self.element_indexes || matches!(segment, Segment::ElementIndex(_)),
            rules: RuleState::NONE,
        }
    }

    /// The number of steps below the root.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// The location one step up, `None` at the root.
    pub(crate) fn parent(&self) -> Option<&'a Location<'a>> {
        self.parent
    }

    /// The last step, `None` at the root.
    pub(crate) fn last(&self) -> Option<Segment<'a>> {
        self.segment
    }

    /// True when some step is an XML element position (rule paths may then skip steps).
    pub(crate) fn has_element_indexes(&self) -> bool {
        self.element_indexes
    }

    /// The steps from this location up to the root, last step first.
    pub(crate) fn steps_up(&self) -> impl Iterator<Item = Segment<'a>> + '_ {
        let mut at = Some(self);
        std::iter::from_fn(move || {
            let here = at?;
            at = here.parent;
            here.segment
        })
    }

    /// The steps from the root down to this location.
    pub(crate) fn segments(&self) -> Vec<Segment<'a>> {
        let mut segments: Vec<Segment<'a>> = self.steps_up().collect();
        segments.reverse();
        segments
    }
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        let mut pending_element_index = None;
        for segment in self.segments() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::ElementIndex(index) => pending_element_index = Some(index),
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
        let root = Location::root();
        let items = root.field("items");
        let item = items.index(2);
        assert_eq!(item.field("price").to_string(), "$.items[2].price");
        let a_b = root.field("a-b");
        assert_eq!(a_b.field("@name").to_string(), "$['a-b']['@name']");
        assert_eq!(Location::root().to_string(), "$");
    }
}
