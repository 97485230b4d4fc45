//! Matching-rule paths and the locations they address.
//!
//! A rule path (`$.items[*].price`, `$.a['b-c']`, `$.alligator['@name']`) is parsed into
//! tokens; a [`Location`] is where the comparison currently is in a body (`$`, `items`, `2`,
//! `price`). A rule applies to a location when its tokens match a prefix of the location, which
//! is how Pact lets rules cascade to children. When several rules apply, Pact's weighting picks
//! the most specific one: each token scores 2 for an exact name or index, 1 for a wildcard, and
//! 0 (no match) otherwise; the product times the number of tokens is the rule's weight. So
//! `$.a.b` beats `$.a.*`, and a rule whose path addresses nothing never applies.

mod automaton;
mod weighting;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use treaty_schemas::{MatchingRule, RuleList};

pub(crate) use self::automaton::same_name;
use self::automaton::{Automaton, BEYOND_FLAG, MAX_STATES, NO_RULE, SCAN, decode_best};
use self::weighting::{alignment, positional_alignment, positional_weight, weight};
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
            same = same
                && known
                    .get(position)
                    .is_some_and(|known| same_name(known, path));
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
mod tests;
