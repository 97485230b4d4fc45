//! The per-thread rule automaton behind `RuleSet`: its states, transitions and key tables.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::weighting::is_decimal_of;
use super::{ParsedPath, Token};
use crate::matching::location::Segment;
use crate::matching::regex_cache::WordHasher;

/// How many states one automaton builds; past that, lookups below the last built state scan
/// the rules (a contract would need many wildcard paths crossing each other to get there).
pub(super) const MAX_STATES: usize = 512;

/// The state of a location whose rules are found by trying every rule.
pub(super) const SCAN: u32 = u32::MAX;

/// A transition not followed yet.
const UNBUILT: u32 = u32::MAX - 1;

/// The depth of a state below which no rule path reaches: every location under it selects
/// the same way, so it stands for all of them.
const BEYOND: u32 = u32::MAX;

/// Automata get ids from one counter so that a location can tell whose state it carries.
static NEXT_AUTOMATON: AtomicU64 = AtomicU64::new(1);

/// Rule lookup for one set of rule paths, as a lazily built automaton over locations.
///
/// Without XML element positions, token `i` of a rule path can only take step `i` of a
/// location, so which rules apply below a location depends only on which rules matched every
/// step so far and on the depth. A state is that pair; it knows the rule [`RuleSet::select`]
/// picks there and, per step kind, the state one step down. Locations carry their state
/// (`Location::rules`), so looking a rule up is one step per body node. States are built the
/// first time a body reaches them and kept with the automaton, which is cached per thread by
/// its rule paths: the interactions of a contract mostly share them.
///
/// [`RuleSet::select`]: super::RuleSet::select
pub(super) struct Automaton {
    pub(super) id: u64,
    /// The rule paths as written, to check a cache hit; empty for sets not cached.
    pub(super) paths: Box<[Box<str>]>,
    /// By rule position; `None` for a path that does not parse.
    pub(super) rules: Vec<Option<Rc<ParsedPath>>>,
    /// False when the rules do not fit a state's mask: every lookup then scans.
    pub(super) enabled: bool,
    max_states: usize,
    pub(super) states: RefCell<States>,
}

#[derive(Default)]
pub(super) struct States {
    pub(super) list: Vec<State>,
    by_key: HashMap<(u32, u64), u32, BuildHasherDefault<WordHasher>>,
}

pub(super) struct State {
    /// The rule selected here, see [`encode_best`].
    best: u32,
    /// The depth of the locations in this state, or [`BEYOND`].
    depth: u32,
    /// The rules that apply at a child whatever its key, or whatever its index: those whose
    /// path ended here or above (they cascade) and those whose next token is a wildcard.
    field_base: u64,
    index_base: u64,
    /// The rules whose next token names a key (or an index), by that key.
    fields: Box<[Transition<Box<str>>]>,
    /// `fields` as an open-addressing table of positions plus one (0 for empty), by
    /// [`name_slot`]; empty when there are few enough fields to compare one by one.
    field_table: Box<[u8]>,
    indexes: Box<[Transition<usize>]>,
    /// The states of children no token names.
    other_field: Cell<(u32, u32)>,
    other_index: Cell<(u32, u32)>,
}

struct Transition<K> {
    key: K,
    rules: u64,
    /// The state one step down and the rule it selects (`UNBUILT` first), kept together so
    /// that a step reads one cell.
    next: Cell<(u32, u32)>,
}

/// Adds `bit` to the transition for `key`, creating it.
fn add_transition<K: PartialEq>(transitions: &mut Vec<Transition<K>>, key: K, bit: u64) {
    match transitions
        .iter_mut()
        .find(|transition| transition.key == key)
    {
        Some(transition) => transition.rules |= bit,
        None => transitions.push(Transition {
            key,
            rules: bit,
            next: Cell::new((UNBUILT, NO_RULE)),
        }),
    }
}

/// States with more named transitions than this look names up by table.
const FIELDS_SEARCHED_IN_ORDER: usize = 4;

/// The slot of `name` in a field table of `2^bits` slots: a multiplicative hash of its length
/// and first and last bytes, which tells most keys of one object apart at the cost of two
/// loads.
#[inline]
fn name_slot(name: &str, bits: u32) -> usize {
    let bytes = name.as_bytes();
    let (first, last) = match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => (u32::from(*first), u32::from(*last)),
        _ => (0, 0),
    };
    let mixed = (bytes.len() as u32 ^ first << 8 ^ last << 16).wrapping_mul(0x9E37_79B1);
    (mixed >> (32 - bits)) as usize
}

/// `a == b`, comparing keys of up to 16 bytes (most) by a few word loads instead of a call.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0..=3 => a == b,
        4..=7 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        8..=16 => {
            a.first_chunk::<8>() == b.first_chunk::<8>()
                && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        _ => a == b,
    }
}

/// The table of [`State::field_table`] for `fields`.
fn field_table(fields: &[Transition<Box<str>>]) -> Box<[u8]> {
    if fields.len() <= FIELDS_SEARCHED_IN_ORDER {
        return Box::default();
    }
    // At most half full, so that a search always meets an empty slot.
    let bits = (fields.len() * 2).next_power_of_two().trailing_zeros();
    let mut table = vec![0u8; 1 << bits];
    let mask = table.len() - 1;
    for (position, field) in fields.iter().enumerate() {
        let mut slot = name_slot(&field.key, bits);
        while table[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        // At most 64 rules, so at most 64 fields.
        table[slot] = u8::try_from(position + 1).unwrap_or(u8::MAX);
    }
    table.into_boxed_slice()
}

/// The index `name` spells in decimal as a location step would (`"12"`, not `"012"`).
fn decimal_index(name: &str) -> Option<usize> {
    if name.is_empty() || !name.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    name.parse()
        .ok()
        .filter(|index| is_decimal_of(name, *index))
}

impl Automaton {
    pub(super) fn new(
        paths: Box<[Box<str>]>,
        rules: Vec<Option<Rc<ParsedPath>>>,
        max_states: usize,
    ) -> Automaton {
        let enabled = rules.len() <= 64;
        let automaton = Automaton {
            id: NEXT_AUTOMATON.fetch_add(1, Ordering::Relaxed),
            paths,
            enabled,
            max_states,
            states: RefCell::new(States::default()),
            rules,
        };
        if enabled {
            let everything = automaton
                .rules
                .iter()
                .enumerate()
                .filter(|(_, path)| path.as_ref().is_some_and(|path| path.weight > 0))
                .fold(0u64, |mask, (position, _)| mask | (1 << position));
            // The root is state 0.
            automaton.intern(0, everything);
        }
        automaton
    }

    fn path(&self, position: usize) -> Option<&ParsedPath> {
        self.rules.get(position)?.as_deref()
    }

    /// The state for `rules` at `depth`, built if new; [`SCAN`] past the state limit.
    fn intern(&self, depth: u32, rules: u64) -> u32 {
        // Once no path reaches this deep, the depth no longer matters.
        let depth = if depth != BEYOND
            && bits(rules).all(|position| {
                self.path(position)
                    .is_none_or(|path| path.covered() < depth as usize)
            }) {
            BEYOND
        } else {
            depth
        };
        if let Some(&known) = self.states.borrow().by_key.get(&(depth, rules)) {
            return known;
        }
        if self.states.borrow().list.len() >= self.max_states {
            return SCAN;
        }
        let state = self.build(depth, rules);
        let mut states = self.states.borrow_mut();
        let Ok(id) = u32::try_from(states.list.len()) else {
            return SCAN;
        };
        states.list.push(state);
        states.by_key.insert((depth, rules), id);
        id
    }

    fn build(&self, depth: u32, rules: u64) -> State {
        let mut best: Option<(usize, u32, bool)> = None;
        let (mut field_base, mut index_base) = (0u64, 0u64);
        let mut fields = Vec::new();
        let mut indexes = Vec::new();
        for position in bits(rules) {
            let Some(path) = self.path(position) else {
                continue;
            };
            let bit = 1u64 << position;
            let covered = path.covered();
            if depth == BEYOND || covered <= depth as usize {
                // The path ends here or above: it applies here and cascades below.
                field_base |= bit;
                index_base |= bit;
                let cascaded = depth == BEYOND || covered != depth as usize;
                if path.weight > 0 && best.is_none_or(|(weight, _, _)| path.weight > weight) {
                    best = Some((path.weight, position as u32, cascaded));
                }
                continue;
            }
            match path.tokens.get(depth as usize + 1) {
                Some(Token::Field(name)) => {
                    if let Some(index) = decimal_index(name) {
                        add_transition(&mut indexes, index, bit);
                    }
                    add_transition(&mut fields, Box::from(name.as_str()), bit);
                }
                Some(Token::Index(index)) => add_transition(&mut indexes, *index, bit),
                Some(Token::Star) => {
                    field_base |= bit;
                    index_base |= bit;
                }
                Some(Token::StarIndex) => index_base |= bit,
                Some(Token::Root) | None => {}
            }
        }
        let field_table = field_table(&fields);
        State {
            field_table,
            best: encode_best(
                best.map(|(_, position, cascaded)| (position, cascaded)),
                depth == BEYOND,
            ),
            depth,
            field_base,
            index_base,
            fields: fields.into_boxed_slice(),
            indexes: indexes.into_boxed_slice(),
            other_field: Cell::new((UNBUILT, NO_RULE)),
            other_index: Cell::new((UNBUILT, NO_RULE)),
        }
    }

    /// The state one `segment` below state `from`, with the rule it selects.
    #[inline]
    pub(super) fn step(&self, from: u32, segment: Segment<'_>) -> (u32, u32) {
        if from == SCAN {
            return (SCAN, NO_RULE);
        }
        let (rules, depth) = {
            let states = self.states.borrow();
            let Some(state) = states.list.get(from as usize) else {
                return (SCAN, NO_RULE);
            };
            let Some((rules, next)) = state.slot(segment) else {
                return (SCAN, NO_RULE);
            };
            match next.get() {
                (UNBUILT, _) => (rules, state.depth),
                known => return known,
            }
        };
        self.step_first_time(from, segment, rules, depth)
    }

    /// [`Automaton::step`] along a transition not followed before: builds the state.
    #[cold]
    fn step_first_time(
        &self,
        from: u32,
        segment: Segment<'_>,
        rules: u64,
        depth: u32,
    ) -> (u32, u32) {
        let depth = if depth == BEYOND { BEYOND } else { depth + 1 };
        let next = self.intern(depth, rules);
        let states = self.states.borrow();
        let next = (next, states.best(next));
        if let Some((_, slot)) = states
            .list
            .get(from as usize)
            .and_then(|state| state.slot(segment))
        {
            slot.set(next);
        }
        next
    }
}

impl States {
    /// What state `id` selects; [`NO_RULE`] for [`SCAN`].
    #[inline]
    pub(super) fn best(&self, id: u32) -> u32 {
        self.list
            .get(id as usize)
            .map_or(NO_RULE, |state| state.best)
    }
}

impl State {
    /// The transition for key `name`, if a rule names it.
    #[inline]
    fn field(&self, name: &str) -> Option<&Transition<Box<str>>> {
        if self.field_table.is_empty() {
            return self.fields.iter().find(|t| same_name(&t.key, name));
        }
        let mask = self.field_table.len() - 1;
        let mut slot = name_slot(name, self.field_table.len().trailing_zeros());
        loop {
            let position = usize::from(*self.field_table.get(slot)?);
            let transition = self.fields.get(position.checked_sub(1)?)?;
            if same_name(&transition.key, name) {
                return Some(transition);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The rules that apply one `segment` below and where the state they make is kept;
    /// `None` for an XML element position (such locations scan).
    #[inline]
    fn slot(&self, segment: Segment<'_>) -> Option<(u64, &Cell<(u32, u32)>)> {
        Some(match segment {
            Segment::Field(name) => match self.field(name) {
                Some(transition) => (self.field_base | transition.rules, &transition.next),
                None => (self.field_base, &self.other_field),
            },
            Segment::Index(index) => match self.indexes.iter().find(|t| t.key == index) {
                Some(transition) => (self.index_base | transition.rules, &transition.next),
                None => (self.index_base, &self.other_index),
            },
            Segment::ElementIndex(_) => return None,
        })
    }
}

/// The rule a state selects, for [`RuleState::best`]: its position and whether it was written
/// for an ancestor, or [`NO_RULE`]; with [`BEYOND_FLAG`] for a state at [`BEYOND`].
///
/// [`RuleState::best`]: crate::matching::location::RuleState::best
fn encode_best(best: Option<(u32, bool)>, beyond: bool) -> u32 {
    let best = best.map_or(NO_RULE, |(position, cascaded)| {
        position << 1 | u32::from(cascaded)
    });
    if beyond { best | BEYOND_FLAG } else { best }
}

pub(super) fn decode_best(best: u32) -> Option<(usize, bool)> {
    let best = best & !BEYOND_FLAG;
    (best != NO_RULE).then_some(((best >> 1) as usize, best & 1 == 1))
}

/// See [`encode_best`].
pub(super) const NO_RULE: u32 = u32::MAX >> 1;

/// Marks the states at [`BEYOND`]: every step from one leads back to it.
pub(super) const BEYOND_FLAG: u32 = 1 << 31;

/// The positions of the bits set in `mask`, lowest first.
fn bits(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            return None;
        }
        let position = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        Some(position)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_whole_strings() {
        let names = [
            "",
            "a",
            "b",
            "ab",
            "abc",
            "abd",
            "abcd",
            "abce",
            "bbcd",
            "abcdefg",
            "abcdefh",
            "bbcdefg",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "bbcdefghijklmnop",
            "abcdefgXijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "é",
            "éa",
            "aé",
        ];
        for a in names {
            for b in names {
                assert_eq!(same_name(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn decimal_indexes_are_canonical() {
        assert_eq!(decimal_index("0"), Some(0));
        assert_eq!(decimal_index("12"), Some(12));
        assert_eq!(decimal_index("012"), None);
        assert_eq!(decimal_index("+1"), None);
        assert_eq!(decimal_index(""), None);
        assert_eq!(decimal_index("1a"), None);
        assert_eq!(decimal_index("99999999999999999999999"), None);
        assert_eq!(decimal_index("١"), None);
    }
}
