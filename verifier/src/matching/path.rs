//! Matching-rule paths and the locations they address.
//!
//! A rule path (`$.items[*].price`, `$.a['b-c']`, `$.alligator['@name']`) is parsed into
//! tokens; a [`Location`] is where the comparison currently is in a body (`$`, `items`, `2`,
//! `price`). A rule applies to a location when its tokens match a prefix of the location, which
//! is how Pact lets rules cascade to children. When several rules apply, Pact's weighting picks
//! the most specific one: each token scores 2 for an exact name or index, 1 for a wildcard, and
//! 0 (no match) otherwise; the product times the number of tokens is the rule's weight. So
//! `$.a.b` beats `$.a.*`, and a rule whose path addresses nothing never applies.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use treaty_schemas::{MatchingRule, RuleList};

pub(crate) use super::location::Location;
use super::location::{RuleState, Segment};
use super::regex_cache::WordHasher;

/// One token of a parsed rule path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// `$`.
    Root,
    /// `.name` or `['name']`.
    Field(String),
    /// `[2]`.
    Index(usize),
    /// `[*]`: any array index.
    StarIndex,
    /// `.*`: any key or index.
    Star,
}

/// Parses a rule path. Paths without the leading `$` are read as relative to the root, as
/// Pact does for V3 keys such as `alligator.name`.
pub(crate) fn parse_rule_path(path: &str) -> Result<Vec<Token>, String> {
    let mut tokens = vec![Token::Root];
    let rest: Cow<'_, str> = match path.strip_prefix('$') {
        Some(rest) => Cow::Borrowed(rest),
        None if path.starts_with('[') || path.starts_with('.') => Cow::Borrowed(path),
        None => Cow::Owned(format!(".{path}")),
    };
    // Byte offsets: every delimiter (`.`, `[`, `]`, quotes) is ASCII, so slicing at them keeps
    // whole characters; positions in messages are counted in characters.
    let rest = rest.as_ref();
    let bytes = rest.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'.' => {
                let start = at + 1;
                let end = rest[start..]
                    .find(['.', '['])
                    .map_or(rest.len(), |offset| start + offset);
                match &rest[start..end] {
                    "" => {
                        let position = rest[..start].chars().count();
                        return Err(format!("empty name at position {position} in `{path}`"));
                    }
                    "*" => tokens.push(Token::Star),
                    name => tokens.push(Token::Field(name.to_owned())),
                }
                at = end;
            }
            b'[' => {
                let inner_start = at + 1;
                let close = rest[inner_start..]
                    .match_indices(']')
                    .map(|(offset, _)| inner_start + offset)
                    .find(|&i| !inside_quotes(&rest[inner_start..i]))
                    .ok_or_else(|| format!("unclosed `[` in `{path}`"))?;
                tokens.push(bracket_token(rest[inner_start..close].trim(), path)?);
                at = close + 1;
            }
            _ => {
                let other = rest[at..].chars().next().unwrap_or_default();
                return Err(format!("unexpected `{other}` in `{path}`"));
            }
        }
    }
    Ok(tokens)
}

fn inside_quotes(text: &str) -> bool {
    match text.chars().next() {
        Some(quote @ ('\'' | '"')) => text.len() < 2 || !text.ends_with(quote),
        _ => false,
    }
}

fn bracket_token(inner: &str, path: &str) -> Result<Token, String> {
    if inner == "*" {
        return Ok(Token::StarIndex);
    }
    for quote in ['\'', '"'] {
        if let Some(name) = inner
            .strip_prefix(quote)
            .and_then(|s| s.strip_suffix(quote))
        {
            return Ok(if name == "*" {
                Token::Star
            } else {
                Token::Field(name.to_owned())
            });
        }
    }
    inner
        .parse::<usize>()
        .map(Token::Index)
        .map_err(|_| format!("`[{inner}]` in `{path}` is neither an index, `*` nor a quoted name"))
}

/// The weight of a rule path for a location: 0 when the rule does not apply, otherwise
/// higher for more specific paths (see the module documentation).
pub(crate) fn weight(tokens: &[Token], location: &Location) -> usize {
    alignment(tokens, location).map_or(0, |(weight, _)| weight)
}

/// The weight and the number of location segments the rule path covers, when it applies.
fn alignment(tokens: &[Token], location: &Location) -> Option<(usize, usize)> {
    let (Token::Root, rest) = tokens.split_first()? else {
        return None;
    };
    // Every token takes one segment, so a path longer than the location cannot align; checked
    // here because `select` tries every rule at every node of a body.
    if rest.len() > location.depth() {
        return None;
    }
    let (product, covered) = align(rest, &location.segments())?;
    Some((
        product.saturating_mul(2).saturating_mul(tokens.len()),
        covered,
    ))
}

/// [`alignment`] for a location without XML element positions, where token `i` can only
/// take segment `i`; compared from the rule's last token up, the one most likely to differ.
fn positional_alignment(tokens: &[Token], location: &Location) -> Option<(usize, usize)> {
    let (Token::Root, rest) = tokens.split_first()? else {
        return None;
    };
    let depth = location.depth();
    if rest.len() > depth {
        return None;
    }
    let mut product: usize = 1;
    let steps = location.steps_up().skip(depth - rest.len());
    for (token, segment) in rest.iter().rev().zip(steps) {
        match score(token, &segment) {
            0 => return None,
            points => product = product.saturating_mul(points),
        }
    }
    Some((
        product.saturating_mul(2).saturating_mul(tokens.len()),
        rest.len(),
    ))
}

/// The best product of token scores over `segments` and how many segments it covers; optional
/// XML element indexes may be skipped.
fn align(tokens: &[Token], segments: &[Segment<'_>]) -> Option<(usize, usize)> {
    let Some((token, rest_tokens)) = tokens.split_first() else {
        return Some((1, 0));
    };
    let (segment, rest_segments) = segments.split_first()?;
    let consumed = match score(token, segment) {
        0 => None,
        points => align(rest_tokens, rest_segments)
            .map(|(product, covered)| (product.saturating_mul(points), covered + 1)),
    };
    let skipped = match segment {
        Segment::ElementIndex(_) => {
            align(tokens, rest_segments).map(|(product, covered)| (product, covered + 1))
        }
        _ => None,
    };
    match (consumed, skipped) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[inline]
fn score(token: &Token, segment: &Segment<'_>) -> usize {
    match (token, segment) {
        (Token::Field(name), Segment::Field(actual)) if name.as_str() == *actual => 2,
        (Token::Index(index), Segment::Index(actual) | Segment::ElementIndex(actual))
            if index == actual =>
        {
            2
        }
        // `$.animals.0` is written with a dot in the cases; Pact compares path steps as text.
        (Token::Field(name), Segment::Index(actual) | Segment::ElementIndex(actual))
            if is_decimal_of(name, *actual) =>
        {
            2
        }
        (Token::StarIndex, Segment::Index(_) | Segment::ElementIndex(_)) | (Token::Star, _) => 1,
        _ => 0,
    }
}

/// The weight a rule path has wherever it applies positionally: an exact name or index
/// scores 2, a wildcard 1; 0 for a path that does not start at the root.
fn positional_weight(tokens: &[Token]) -> usize {
    let Some((Token::Root, rest)) = tokens.split_first() else {
        return 0;
    };
    let product = rest.iter().fold(1usize, |product, token| match token {
        Token::Field(_) | Token::Index(_) => product.saturating_mul(2),
        Token::StarIndex | Token::Star | Token::Root => product,
    });
    product.saturating_mul(2).saturating_mul(tokens.len())
}

/// True when `name` is `index` written in decimal (`"12"` for 12, not `"012"`), without
/// formatting the index.
fn is_decimal_of(name: &str, mut index: usize) -> bool {
    let mut digits = name.bytes().rev();
    loop {
        let (Some(digit), Ok(expected)) = (digits.next(), u8::try_from(index % 10)) else {
            return false;
        };
        if digit != b'0' + expected {
            return false;
        }
        index /= 10;
        if index == 0 {
            return digits.next().is_none();
        }
    }
}

/// A rule path parsed once, with what rule lookup needs worked out beforehand.
#[derive(Debug)]
struct ParsedPath {
    tokens: Vec<Token>,
    /// The path's weight wherever it applies to a location without XML element positions
    /// (each token then always scores the same); 0 for a path that never applies.
    weight: usize,
}

impl ParsedPath {
    fn new(tokens: Vec<Token>) -> ParsedPath {
        ParsedPath {
            weight: positional_weight(&tokens),
            tokens,
        }
    }

    /// How many location steps the path addresses (its tokens after `$`).
    fn covered(&self) -> usize {
        self.tokens.len().saturating_sub(1)
    }
}

/// Rule paths parsed once per thread: the contracts of a run repeat the same paths, and an
/// automaton is built for every distinct set of them. Per thread, so that a lookup takes no
/// lock and shares no counter; bounded like the regex cache; an unparsable path is remembered
/// as `None` (such a rule is ignored).
const MAX_CACHED_PATHS: usize = 4096;

type PathCache = HashMap<Box<str>, Option<Rc<ParsedPath>>, BuildHasherDefault<WordHasher>>;

thread_local! {
    static PATHS: RefCell<PathCache> = RefCell::new(HashMap::default());
    /// Automata by a hash of their rule paths (see [`RuleSet::new`]).
    static AUTOMATA: RefCell<HashMap<u64, Rc<Automaton>, BuildHasherDefault<WordHasher>>> =
        RefCell::new(HashMap::default());
}

fn parsed_path(path: &str) -> Option<Rc<ParsedPath>> {
    PATHS.with(|cache| {
        if let Some(hit) = cache.borrow().get(path) {
            return hit.clone();
        }
        let parsed = parse_rule_path(path)
            .ok()
            .map(|tokens| Rc::new(ParsedPath::new(tokens)));
        let mut cache = cache.borrow_mut();
        if cache.len() < MAX_CACHED_PATHS {
            cache.insert(Box::from(path), parsed.clone());
        }
        parsed
    })
}

/// How many distinct sets of rule paths each thread keeps an automaton for.
const MAX_CACHED_AUTOMATA: usize = 256;

/// How many states one automaton builds; past that, lookups below the last built state scan
/// the rules (a contract would need many wildcard paths crossing each other to get there).
const MAX_STATES: usize = 512;

/// The state of a location whose rules are found by trying every rule.
const SCAN: u32 = u32::MAX;

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
struct Automaton {
    id: u64,
    /// The rule paths as written, to check a cache hit; empty for sets not cached.
    paths: Box<[Box<str>]>,
    /// By rule position; `None` for a path that does not parse.
    rules: Vec<Option<Rc<ParsedPath>>>,
    /// False when the rules do not fit a state's mask: every lookup then scans.
    enabled: bool,
    max_states: usize,
    states: RefCell<States>,
}

#[derive(Default)]
struct States {
    list: Vec<State>,
    by_key: HashMap<(u32, u64), u32, BuildHasherDefault<WordHasher>>,
}

struct State {
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
    other_field: Cell<u32>,
    other_index: Cell<u32>,
}

struct Transition<K> {
    key: K,
    rules: u64,
    next: Cell<u32>,
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
            next: Cell::new(UNBUILT),
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
fn same_name(a: &str, b: &str) -> bool {
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
    fn new(
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
            other_field: Cell::new(UNBUILT),
            other_index: Cell::new(UNBUILT),
        }
    }

    /// The state one `segment` below state `from`, with the rule it selects.
    #[inline]
    fn step(&self, from: u32, segment: Segment<'_>) -> (u32, u32) {
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
                UNBUILT => (rules, state.depth),
                known => return (known, states.best(known)),
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
        if let Some((_, slot)) = states
            .list
            .get(from as usize)
            .and_then(|state| state.slot(segment))
        {
            slot.set(next);
        }
        (next, states.best(next))
    }
}

impl States {
    /// What state `id` selects; [`NO_RULE`] for [`SCAN`].
    #[inline]
    fn best(&self, id: u32) -> u32 {
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
    fn slot(&self, segment: Segment<'_>) -> Option<(u64, &Cell<u32>)> {
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
fn encode_best(best: Option<(u32, bool)>, beyond: bool) -> u32 {
    let best = best.map_or(NO_RULE, |(position, cascaded)| {
        position << 1 | u32::from(cascaded)
    });
    if beyond { best | BEYOND_FLAG } else { best }
}

fn decode_best(best: u32) -> Option<(usize, bool)> {
    let best = best & !BEYOND_FLAG;
    (best != NO_RULE).then_some(((best >> 1) as usize, best & 1 == 1))
}

/// See [`encode_best`].
const NO_RULE: u32 = u32::MAX >> 1;

/// Marks the states at [`BEYOND`]: every step from one leads back to it.
const BEYOND_FLAG: u32 = 1 << 31;

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

/// The body rules of one request, response or message, parsed once, ready to be looked up
/// by location.
pub(crate) struct RuleSet<'a> {
    /// `None` for a set without rules.
    automaton: Option<Rc<Automaton>>,
    /// The rule lists by position: the contract's, then those added for `eachValue`.
    borrowed: Vec<&'a RuleList>,
    owned: Vec<RuleList>,
}

/// The rule list that applies at a location.
#[derive(Clone, Copy)]
pub(crate) struct Selected<'s> {
    /// The rules.
    pub(crate) list: &'s RuleList,
    /// True when the list was written for an ancestor of the location and cascades to it.
    pub(crate) cascaded: bool,
}

impl<'a> RuleSet<'a> {
    /// Parses the rule paths of a category. A path that cannot be parsed addresses nothing
    /// and is left out, like a path that matches no location.
    pub(crate) fn new(rules: Option<&'a BTreeMap<String, RuleList>>) -> RuleSet<'a> {
        let Some(rules) = rules.filter(|rules| !rules.is_empty()) else {
            return RuleSet {
                automaton: None,
                borrowed: Vec::new(),
                owned: Vec::new(),
            };
        };
        // Cached by the number of paths and the first and last of them; a hit is confirmed
        // path by path while the lists are collected.
        let mut hasher = WordHasher::default();
        hasher.write_usize(rules.len());
        for (path, _) in rules
            .first_key_value()
            .into_iter()
            .chain(rules.last_key_value())
        {
            hasher.write(path.as_bytes());
        }
        let key = hasher.finish();
        let cached = AUTOMATA.with(|cache| cache.borrow().get(&key).cloned());
        let known = cached
            .as_ref()
            .map_or(&[][..], |automaton| &automaton.paths[..]);
        let mut same = known.len() == rules.len();
        let mut borrowed = Vec::with_capacity(rules.len());
        for (position, (path, list)) in rules.iter().enumerate() {
            borrowed.push(list);
            same = same && known.get(position).is_some_and(|known| **known == **path);
        }
        let automaton = match cached {
            Some(automaton) if same => automaton,
            _ => {
                let built = Rc::new(Automaton::new(
                    rules.keys().map(|path| Box::from(path.as_str())).collect(),
                    rules.keys().map(|path| parsed_path(path)).collect(),
                    MAX_STATES,
                ));
                AUTOMATA.with(|cache| {
                    let mut cache = cache.borrow_mut();
                    if cache.len() < MAX_CACHED_AUTOMATA || cache.contains_key(&key) {
                        cache.insert(key, built.clone());
                    }
                });
                built
            }
        };
        RuleSet {
            automaton: Some(automaton),
            borrowed,
            owned: Vec::new(),
        }
    }

    /// The root of a body, `$`, with its automaton state.
    pub(crate) fn root(&self) -> Location<'static> {
        let mut root = Location::root();
        if let Some(automaton) = self.automaton.as_deref()
            && automaton.enabled
        {
            root.rules = RuleState {
                set: automaton.id,
                state: 0,
                best: automaton.states.borrow().best(0),
            };
        }
        root
    }

    /// The rule list at `position`.
    #[inline]
    fn list(&self, position: usize) -> Option<&RuleList> {
        match self.borrowed.get(position) {
            Some(list) => Some(list),
            None => self.owned.get(position - self.borrowed.len()),
        }
    }

    /// These rules plus `list` for every child of `location`: how `eachValue` applies its
    /// rules to each value (and, by cascading, below it).
    pub(crate) fn with_rule_for_children(
        &self,
        location: &Location,
        list: RuleList,
    ) -> RuleSet<'a> {
        let mut tokens = vec![Token::Root];
        for segment in location.segments() {
            tokens.push(match segment {
                Segment::Field(name) => Token::Field(name.to_owned()),
                Segment::Index(index) | Segment::ElementIndex(index) => Token::Index(index),
            });
        }
        tokens.push(Token::Star);
        let mut rules = self
            .automaton
            .as_ref()
            .map(|automaton| automaton.rules.clone())
            .unwrap_or_default();
        rules.push(Some(Rc::new(ParsedPath::new(tokens))));
        let mut owned = self.owned.clone();
        owned.push(list);
        RuleSet {
            automaton: Some(Rc::new(Automaton::new(Box::default(), rules, MAX_STATES))),
            borrowed: self.borrowed.clone(),
            owned,
        }
    }

    /// The state of `location` in `automaton` and the rule it selects: what the location
    /// carries when this set made it, else worked out step by step from the root; [`SCAN`]
    /// for XML element positions.
    #[inline]
    fn state_of(automaton: &Automaton, location: &Location) -> (u32, u32) {
        let carried = location.rules;
        if carried.set == automaton.id {
            return (carried.state, carried.best);
        }
        RuleSet::work_out_state(automaton, location)
    }

    fn work_out_state(automaton: &Automaton, location: &Location) -> (u32, u32) {
        if !automaton.enabled || location.has_element_indexes() {
            return (SCAN, NO_RULE);
        }
        match (location.parent(), location.last()) {
            (Some(parent), Some(segment)) => {
                automaton.step(RuleSet::state_of(automaton, parent).0, segment)
            }
            _ => (0, automaton.states.borrow().best(0)),
        }
    }

    /// True when no rule applies at `location` or anywhere below it, as far as the state
    /// it carries tells (false when it cannot tell).
    #[inline]
    pub(crate) fn none_at_or_below(&self, location: &Location) -> bool {
        let Some(automaton) = self.automaton.as_deref() else {
            return true;
        };
        let carried = location.rules;
        carried.set == automaton.id && carried.best == BEYOND_FLAG | NO_RULE
    }

    /// The most specific rule list that applies at `location`, if any.
    #[inline]
    pub(crate) fn select(&self, location: &Location) -> Option<Selected<'_>> {
        let automaton = self.automaton.as_deref()?;
        let (state, best) = RuleSet::state_of(automaton, location);
        if state == SCAN {
            return self.scan(automaton, location);
        }
        let (position, cascaded) = decode_best(best)?;
        Some(Selected {
            list: self.list(position)?,
            cascaded,
        })
    }

    /// [`RuleSet::select`] by trying every rule, for locations without an automaton state.
    fn scan(&self, automaton: &Automaton, location: &Location) -> Option<Selected<'_>> {
        // Without XML element positions every token takes the segment at its own position, so
        // a rule is checked by one loop, from its most specific token up, instead of `align`'s
        // search.
        let positional = !location.has_element_indexes();
        let mut best: Option<(usize, usize, usize)> = None;
        for (position, path) in automaton.rules.iter().enumerate() {
            let Some(path) = path else {
                continue;
            };
            let aligned = if positional {
                positional_alignment(&path.tokens, location)
            } else {
                alignment(&path.tokens, location)
            };
            let Some((weight, covered)) = aligned else {
                continue;
            };
            if weight > 0 && best.is_none_or(|(best_weight, _, _)| weight > best_weight) {
                best = Some((weight, covered, position));
            }
        }
        best.and_then(|(_, covered, position)| {
            Some(Selected {
                list: self.list(position)?,
                cascaded: covered != location.depth(),
            })
        })
    }

    /// `location` followed by an object key, with its automaton state.
    #[inline]
    pub(crate) fn field<'c>(&self, location: &'c Location<'_>, name: &'c str) -> Location<'c> {
        let mut child = location.field(name);
        self.carry(location, &mut child);
        child
    }

    /// `location` followed by an array index, with its automaton state.
    #[inline]
    pub(crate) fn index<'c>(&self, location: &'c Location<'_>, index: usize) -> Location<'c> {
        let mut child = location.index(index);
        self.carry(location, &mut child);
        child
    }

    // Always inlined: it runs once per body node, and a call costs it a fifth more.
    #[inline(always)]
    fn carry(&self, parent: &Location, child: &mut Location) {
        let (Some(automaton), Some(segment)) = (self.automaton.as_deref(), child.last()) else {
            return;
        };
        let carried = parent.rules;
        if carried.set == automaton.id && carried.best & BEYOND_FLAG != 0 {
            // No rule reaches below: every step leads back to the same state.
            child.rules = carried;
            return;
        }
        let (from, _) = RuleSet::state_of(automaton, parent);
        let (state, best) = automaton.step(from, segment);
        child.rules = RuleState {
            set: automaton.id,
            state,
            best,
        };
    }

    /// True when some rule that applies at `location` (its own or an ancestor's) is a type
    /// rule, which makes repeated elements be compared with the first example.
    pub(crate) fn type_rule_applies(&self, location: &Location) -> bool {
        let Some(automaton) = self.automaton.as_deref() else {
            return false;
        };
        automaton.rules.iter().enumerate().any(|(position, path)| {
            path.as_ref()
                .is_some_and(|path| weight(&path.tokens, location) > 0)
                && self.list(position).is_some_and(|list| {
                    list.rules
                        .iter()
                        .any(|rule| matches!(rule, MatchingRule::Type { .. }))
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Calls `check` with the location `steps` lead to (numbers are indexes), each step made
    /// by `step`.
    fn walk<R>(
        steps: &[&str],
        step: &dyn for<'c> Fn(&'c Location<'_>, &'c str) -> Location<'c>,
        check: &mut dyn FnMut(&Location<'_>) -> R,
    ) -> R {
        fn go<R>(
            at: &Location<'_>,
            steps: &[&str],
            step: &dyn for<'c> Fn(&'c Location<'_>, &'c str) -> Location<'c>,
            check: &mut dyn FnMut(&Location<'_>) -> R,
        ) -> R {
            match steps.split_first() {
                None => check(at),
                Some((first, rest)) => go(&step(at, first), rest, step, check),
            }
        }
        go(&Location::root(), steps, step, check)
    }

    fn plain_step<'c>(at: &'c Location<'_>, name: &'c str) -> Location<'c> {
        match name.parse::<usize>() {
            Ok(index) => at.index(index),
            Err(_) => at.field(name),
        }
    }

    fn weight_of(path: &str, steps: &[&str]) -> usize {
        let tokens = parse_rule_path(path).unwrap();
        walk(steps, &plain_step, &mut |location| {
            weight(&tokens, location)
        })
    }

    #[test]
    fn parses_dots_brackets_and_wildcards() {
        assert_eq!(
            parse_rule_path("$.a['b-c'][2][*].*").unwrap(),
            vec![
                Token::Root,
                Token::Field("a".into()),
                Token::Field("b-c".into()),
                Token::Index(2),
                Token::StarIndex,
                Token::Star
            ]
        );
        assert_eq!(
            parse_rule_path("$.alligator['@name']").unwrap()[2],
            Token::Field("@name".into())
        );
        assert_eq!(
            parse_rule_path("name").unwrap(),
            vec![Token::Root, Token::Field("name".into())]
        );
        assert!(parse_rule_path("$.a[").is_err());
        assert!(parse_rule_path("$.a[x]").is_err());
    }

    #[test]
    fn index_names_compare_as_decimal_text() {
        for (name, index, equal) in [
            ("0", 0, true),
            ("12", 12, true),
            ("012", 12, false),
            ("1", 12, false),
            ("", 0, false),
            ("x0", 0, false),
            ("18446744073709551615", usize::MAX, true),
        ] {
            assert_eq!(is_decimal_of(name, index), equal, "{name} {index}");
            assert_eq!(name == index.to_string(), equal, "{name} {index}");
        }
    }

    #[test]
    fn positional_alignment_agrees_with_align() {
        let paths = [
            "$", "$.a", "$.a.b", "$.a[*]", "$.a.*", "$[*].b", "$.a.0", "$.*.b",
        ];
        let locations: [&[&str]; 6] = [&[], &["a"], &["a", "b"], &["a", "0"], &["0", "b"], &["c"]];
        for path in paths {
            let tokens = parse_rule_path(path).unwrap();
            for steps in locations {
                walk(steps, &plain_step, &mut |location| {
                    assert_eq!(
                        positional_alignment(&tokens, location),
                        alignment(&tokens, location),
                        "{path} at {steps:?}"
                    );
                });
            }
        }
    }

    fn type_rules(paths: &[&str]) -> BTreeMap<String, RuleList> {
        paths
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let list = RuleList {
                    rules: vec![MatchingRule::Type {
                        min: Some(i),
                        max: None,
                    }],
                    combine: treaty_schemas::Combine::And,
                };
                (path.to_string(), list)
            })
            .collect()
    }

    type Picked = Option<(RuleList, bool)>;

    /// What `set` selects at `steps` three ways: with locations the set made (automaton
    /// states), with plain locations (states worked out from the root), and by scanning.
    fn picked_three_ways(set: &RuleSet<'_>, steps: &[&str]) -> (Picked, Picked, Picked) {
        let picked = |selected: Option<Selected<'_>>| {
            selected.map(|selected| (selected.list.clone(), selected.cascaded))
        };
        let stepped = walk(
            steps,
            &|at, name| match name.parse::<usize>() {
                Ok(index) => set.index(at, index),
                Err(_) => set.field(at, name),
            },
            &mut |location| picked(set.select(location)),
        );
        let plain = walk(steps, &plain_step, &mut |location| {
            assert_eq!(location.rules, RuleState::NONE);
            picked(set.select(location))
        });
        let scanned = walk(steps, &plain_step, &mut |location| {
            picked(set.scan(set.automaton.as_deref().unwrap(), location))
        });
        (stepped, plain, scanned)
    }

    const PATHS: [&str; 24] = [
        "$",
        "$.a",
        "$.a.b",
        "$.a[*]",
        "$.a[*].b",
        "$.a.*",
        "$[*].b",
        "$.a.0",
        "$.*.b",
        "$.c",
        "$['a'].c",
        "$.b",
        "$.b[*]",
        "$['0']",
        "$.0.b",
        "$.ab",
        "$.b.a",
        "$.d[1]",
        "$.d[*].e",
        "$.d.*.f",
        "$.e['01']",
        "$.e.1",
        "$.unparsable[",
        "$.x.y.z",
    ];

    const STEPS: [&[&str]; 22] = [
        &["b"],
        &["b", "0"],
        &["b", "a"],
        &["0"],
        &["a", "c"],
        &["ab", "c"],
        &["a"],
        &["a", "b"],
        &["a", "0", "b"],
        &["0", "b"],
        &["c", "d", "e"],
        &["x", "b"],
        &["a", "0"],
        &["d", "1", "e"],
        &["d", "1", "f"],
        &["d", "0", "e", "g"],
        &["d", "x", "f"],
        &["e", "1"],
        &["e", "01"],
        &["x", "y", "z", "w", "v"],
        &["x", "y", "z"],
        &["unparsable"],
    ];

    #[test]
    fn automaton_states_select_what_a_full_search_selects() {
        let rules = type_rules(&PATHS);
        for set in [RuleSet::new(Some(&rules)), RuleSet::new(Some(&rules))] {
            for steps in STEPS {
                for depth in 0..=steps.len() {
                    let (stepped, plain, scanned) = picked_three_ways(&set, &steps[..depth]);
                    assert_eq!(stepped, scanned, "{:?}", &steps[..depth]);
                    assert_eq!(plain, scanned, "{:?}", &steps[..depth]);
                }
            }
        }
    }

    #[test]
    fn a_set_extended_for_each_value_selects_what_a_full_search_selects() {
        let rules = type_rules(&PATHS);
        let set = RuleSet::new(Some(&rules));
        let extra = |min| RuleList {
            rules: vec![MatchingRule::Type {
                min: Some(min),
                max: None,
            }],
            combine: treaty_schemas::Combine::And,
        };
        let root = set.root();
        let d = set.field(&root, "d");
        let extended = set.with_rule_for_children(&d, extra(100));
        let d1 = extended.index(&d, 1);
        let twice = extended.with_rule_for_children(&d1, extra(101));
        for set in [&extended, &twice] {
            for steps in STEPS {
                for depth in 0..=steps.len() {
                    let (stepped, plain, scanned) = picked_three_ways(set, &steps[..depth]);
                    assert_eq!(stepped, scanned, "{:?}", &steps[..depth]);
                    assert_eq!(plain, scanned, "{:?}", &steps[..depth]);
                }
            }
        }
        let picked = |set: &RuleSet<'_>, location: &Location<'_>| {
            set.select(location).map(|selected| selected.list.clone())
        };
        let q = twice.field(&d1, "q");
        assert_eq!(picked(&twice, &q), Some(extra(101)));
        // An equal weight goes to the rule written first: `$.d[*].e` over `$.d.1.*`.
        let e = twice.field(&d1, "e");
        assert_eq!(picked(&twice, &e).unwrap().rules, rules["$.d[*].e"].rules);
        let d0 = twice.index(&d, 0);
        assert_eq!(picked(&twice, &d0), Some(extra(100)));
        // Locations the base set made are followed in the extended set's automaton.
        assert_eq!(picked(&extended, &set.index(&d, 0)), Some(extra(100)));
    }

    #[test]
    fn xml_element_positions_are_looked_up_by_search() {
        let rules = type_rules(&["$.animals.alligator['@name']", "$.animals[*].alligator"]);
        let set = RuleSet::new(Some(&rules));
        let root = set.root();
        let first = root.element_index(0);
        let animals = first.field("animals");
        let second = animals.element_index(1);
        let alligator = second.field("alligator");
        let name = alligator.field("@name");
        let min = |location: &Location<'_>| match set.select(location).unwrap().list.rules[..] {
            [MatchingRule::Type { min, .. }] => min,
            _ => None,
        };
        assert_eq!(min(&alligator), Some(1));
        assert_eq!(min(&name), Some(0));
        assert!(!set.select(&name).unwrap().cascaded);
        assert!(set.select(&name.field("#text")).unwrap().cascaded);
    }

    #[test]
    fn sets_with_the_same_paths_share_an_automaton_but_not_their_lists() {
        let first = type_rules(&["$.a", "$.b"]);
        let mut second = type_rules(&["$.a", "$.b"]);
        second.get_mut("$.b").unwrap().rules = vec![MatchingRule::Integer];
        let (first, second) = (RuleSet::new(Some(&first)), RuleSet::new(Some(&second)));
        assert!(Rc::ptr_eq(
            first.automaton.as_ref().unwrap(),
            second.automaton.as_ref().unwrap()
        ));
        let root = Location::root();
        let at_b = first.field(&root, "b");
        assert_eq!(
            second.select(&at_b).unwrap().list.rules,
            vec![MatchingRule::Integer]
        );
        let other = type_rules(&["$.a", "$.c"]);
        let other = RuleSet::new(Some(&other));
        assert!(!Rc::ptr_eq(
            first.automaton.as_ref().unwrap(),
            other.automaton.as_ref().unwrap()
        ));
        assert!(other.select(&other.field(&root, "b")).is_none());
    }

    #[test]
    fn the_root_a_set_makes_selects_what_a_plain_root_selects() {
        let rules = type_rules(&["$", "$.a"]);
        let set = RuleSet::new(Some(&rules));
        let picked = |location: &Location<'_>| {
            set.select(location)
                .map(|selected| (selected.list.clone(), selected.cascaded))
        };
        assert_eq!(picked(&set.root()), picked(&Location::root()));
        assert!(picked(&set.root()).is_some());
        let empty = RuleSet::new(None);
        let root = empty.root();
        assert!(empty.select(&root).is_none());
        assert!(empty.select(&empty.field(&root, "a")).is_none());
    }

    #[test]
    fn many_keys_are_found_by_table() {
        let paths: Vec<String> = (0..40)
            .map(|i| format!("$.{}", "k".repeat(i % 7 + 1) + &i.to_string()))
            .chain(["$.a".to_owned(), "$['']".to_owned(), "$.é".to_owned()])
            .collect();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let rules = type_rules(&paths);
        let set = RuleSet::new(Some(&rules));
        let root = set.root();
        for (i, path) in paths.iter().enumerate() {
            let tokens = parse_rule_path(path).unwrap();
            let Token::Field(name) = &tokens[1] else {
                panic!("{path}")
            };
            let at = set.field(&root, name);
            assert_eq!(
                set.select(&at).unwrap().list.rules,
                vec![MatchingRule::Type {
                    min: Some(i),
                    max: None
                }],
                "{path}"
            );
        }
        for other in ["k", "kk0", "b", "kkkkkkkkkk1", "e"] {
            assert!(
                set.select(&set.field(&set.root(), other)).is_none(),
                "{other}"
            );
        }
    }

    #[test]
    fn no_rule_below_is_told_only_where_none_reaches() {
        let rules = type_rules(&["$.a.b", "$.c", "$.d[*].e"]);
        let set = RuleSet::new(Some(&rules));
        let root = set.root();
        let at = |steps: &[&str]| {
            walk(
                steps,
                &|at, name| match name.parse::<usize>() {
                    Ok(index) => set.index(at, index),
                    Err(_) => set.field(at, name),
                },
                &mut |location| set.none_at_or_below(location),
            )
        };
        assert!(!set.none_at_or_below(&root));
        assert!(!at(&["a"]));
        assert!(!at(&["a", "b"]));
        assert!(at(&["a", "x"]));
        assert!(at(&["a", "x", "y"]));
        assert!(!at(&["c"]));
        assert!(!at(&["c", "x"]), "`$.c` cascades below");
        assert!(at(&["x"]));
        assert!(!at(&["d", "0"]));
        assert!(at(&["d", "0", "f"]));
        // A plain location tells nothing.
        assert!(!set.none_at_or_below(&Location::root().field("x")));
        let empty = RuleSet::new(None);
        assert!(empty.none_at_or_below(&Location::root()));
    }

    #[test]
    fn sets_differing_only_inside_get_their_own_automata() {
        let first = type_rules(&["$.a", "$.b", "$.c"]);
        let second = type_rules(&["$.a", "$.bb", "$.c"]);
        let root = Location::root();
        for _ in 0..2 {
            let set = RuleSet::new(Some(&first));
            assert!(set.select(&set.field(&root, "b")).is_some());
            assert!(set.select(&set.field(&root, "bb")).is_none());
            let set = RuleSet::new(Some(&second));
            assert!(set.select(&set.field(&root, "b")).is_none());
            assert!(set.select(&set.field(&root, "bb")).is_some());
        }
    }

    #[test]
    fn past_the_state_limit_lookups_scan() {
        let rules = type_rules(&PATHS);
        let mut set = RuleSet::new(Some(&rules));
        let automaton = set.automaton.as_ref().unwrap();
        set.automaton = Some(Rc::new(Automaton::new(
            Box::default(),
            automaton.rules.clone(),
            3,
        )));
        for steps in STEPS {
            let (stepped, plain, scanned) = picked_three_ways(&set, steps);
            assert_eq!(stepped, scanned, "{steps:?}");
            assert_eq!(plain, scanned, "{steps:?}");
        }
        assert_eq!(set.automaton.unwrap().states.borrow().list.len(), 3);
    }

    #[test]
    fn more_rules_than_a_state_holds_are_scanned() {
        let paths: Vec<String> = (0..70).map(|i| format!("$.k{i}")).collect();
        let mut paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        paths.push("$.a");
        paths.push("$.a.*");
        let rules = type_rules(&paths);
        let set = RuleSet::new(Some(&rules));
        assert!(!set.automaton.as_ref().unwrap().enabled);
        for steps in [&["k69"][..], &["k7", "x"], &["a", "x"], &["a"], &["b"], &[]] {
            let (stepped, plain, scanned) = picked_three_ways(&set, steps);
            assert_eq!(stepped, scanned, "{steps:?}");
            assert_eq!(plain, scanned, "{steps:?}");
        }
        let root = Location::root();
        let at = set.field(&root, "k69");
        assert_eq!(
            set.select(&at).unwrap().list.rules,
            vec![MatchingRule::Type {
                min: Some(69),
                max: None
            }]
        );
    }

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

    #[test]
    fn a_rule_added_for_children_is_found_below_a_narrowed_location() {
        let list = |min| RuleList {
            rules: vec![MatchingRule::Type {
                min: Some(min),
                max: None,
            }],
            combine: treaty_schemas::Combine::And,
        };
        let rules: BTreeMap<String, RuleList> =
            [("$.a".to_owned(), list(1)), ("$.b.c".to_owned(), list(2))].into();
        let set = RuleSet::new(Some(&rules));
        let root = Location::root();
        let a = set.field(&root, "a");
        let extended = set.with_rule_for_children(&a, list(3));
        let child = extended.field(&a, "x");
        let selected = extended.select(&child).unwrap();
        assert_eq!(*selected.list, list(3));
        assert!(!selected.cascaded);
        let grandchild = extended.index(&child, 0);
        assert_eq!(*extended.select(&grandchild).unwrap().list, list(3));
        let other = set.field(&root, "b");
        assert!(extended.select(&extended.field(&other, "x")).is_none());
    }

    #[test]
    fn exact_beats_star_beats_nothing() {
        let exact = weight_of("$.a.b", &["a", "b"]);
        let star = weight_of("$.a.*", &["a", "b"]);
        assert!(exact > star && star > 0);
        assert_eq!(weight_of("$.a[*]", &["a", "b"]), 0);
        assert!(weight_of("$.a[*]", &["a", "0"]) > 0);
        assert!(weight_of("$.a[1]", &["a", "1"]) > weight_of("$.a[*]", &["a", "1"]));
    }

    #[test]
    fn rules_cascade_to_children_but_not_to_other_branches() {
        assert!(weight_of("$.a", &["a", "0", "b"]) > 0);
        assert_eq!(weight_of("$.product.price", &["0", "product", "price"]), 0);
        assert_eq!(weight_of("$.a.b", &["a"]), 0);
        assert!(weight_of("$", &["a"]) > 0);
    }

    #[test]
    fn xml_element_positions_are_optional_in_rule_paths() {
        let root = Location::root();
        let first = root.element_index(0);
        let animals = first.field("animals");
        let second = animals.element_index(1);
        let alligator = second.field("alligator");
        let alligator = alligator.field("@phoneNumber");
        for path in [
            "$.animals.alligator['@phoneNumber']",
            "$.animals[*].alligator['@phoneNumber']",
            "$.animals.1",
        ] {
            assert!(
                weight(&parse_rule_path(path).unwrap(), &alligator) > 0,
                "{path}"
            );
        }
        assert_eq!(
            weight(
                &parse_rule_path("$.animals[0].alligator").unwrap(),
                &alligator
            ),
            0
        );
        assert!(weight(&parse_rule_path("$[*]").unwrap(), &alligator) > 0);
        assert_eq!(
            alligator.to_string(),
            "$.animals.alligator[1]['@phoneNumber']"
        );
    }
}
