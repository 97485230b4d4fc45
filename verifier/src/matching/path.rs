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
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use treaty_schemas::{MatchingRule, RuleList};

pub(crate) use super::location::Location;
use super::location::Segment;
use super::regex_cache::{WordHasher, fingerprint};

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
    /// Per token, the [`fingerprint`] of its name for `Token::Field`, else 0.
    fingerprints: Vec<u64>,
    /// The path's weight wherever it applies to a location without XML element positions
    /// (each token then always scores the same); 0 for a path that never applies.
    weight: usize,
}

impl ParsedPath {
    fn new(tokens: Vec<Token>) -> ParsedPath {
        let fingerprints = tokens
            .iter()
            .map(|token| match token {
                Token::Field(name) => fingerprint(name),
                _ => 0,
            })
            .collect();
        ParsedPath {
            weight: positional_weight(&tokens),
            fingerprints,
            tokens,
        }
    }
}

/// Rule paths parsed once per thread: every response of an interaction (and the same paths
/// across interactions) would otherwise parse its contract's rule paths again. Per thread, so
/// that a lookup takes no lock and shares no counter; bounded like the regex cache; an
/// unparsable path is remembered as `None` (such a rule is ignored).
const MAX_CACHED_PATHS: usize = 4096;

type PathCache = HashMap<Box<str>, Option<Rc<ParsedPath>>, BuildHasherDefault<WordHasher>>;

thread_local! {
    static PATHS: RefCell<PathCache> = RefCell::new(HashMap::default());
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

/// The body rules of one request, response or message, parsed once, ready to be looked up
/// by location.
pub(crate) struct RuleSet<'a> {
    entries: Vec<(Rc<ParsedPath>, Cow<'a, RuleList>)>,
    /// The first step below the root, where a body has the most children to try every rule
    /// on; `None` when the set has more than 64 rules (locations then carry no hint).
    first_step: Option<FirstStep>,
}

/// Which rules may take the first step below the root, as bitmasks over the rules.
struct FirstStep {
    /// Paths that address the root itself (`$`): they cascade.
    ended: u64,
    /// Paths whose first step is not a name (`[*]`, `.*`, `[2]`): compared one by one.
    other: u64,
    /// Paths whose first step is a name, grouped by that name: its fingerprint, the position
    /// of one rule of the group (whose path spells the name), and the group's rules.
    names: Vec<(u64, usize, u64)>,
}

impl FirstStep {
    fn new(entries: &[(Rc<ParsedPath>, Cow<'_, RuleList>)]) -> Option<FirstStep> {
        if entries.len() > 64 {
            return None;
        }
        let mut step = FirstStep {
            ended: 0,
            other: 0,
            names: Vec::with_capacity(entries.len()),
        };
        for (position, (path, _)) in entries.iter().enumerate() {
            let bit = 1u64 << position;
            if path.weight == 0 {
                continue;
            }
            match (path.tokens.get(1), path.fingerprints.get(1)) {
                (None, _) => step.ended |= bit,
                (Some(Token::Field(name)), Some(print)) => {
                    match step.names.iter_mut().find(|(known, representative, _)| {
                        known == print && first_name(entries, *representative) == Some(name)
                    }) {
                        Some((_, _, rules)) => *rules |= bit,
                        None => step.names.push((*print, position, bit)),
                    }
                }
                _ => step.other |= bit,
            }
        }
        Some(step)
    }
}

/// The name the path of rule `position` starts with, if it starts with one.
fn first_name<'e>(
    entries: &'e [(Rc<ParsedPath>, Cow<'_, RuleList>)],
    position: usize,
) -> Option<&'e String> {
    match entries.get(position)?.0.tokens.get(1)? {
        Token::Field(name) => Some(name),
        _ => None,
    }
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
        let mut entries = Vec::with_capacity(rules.map_or(0, BTreeMap::len));
        entries.extend(rules.into_iter().flatten().filter_map(|(path, list)| {
            parsed_path(path).map(|tokens| (tokens, Cow::Borrowed(list)))
        }));
        RuleSet::from_entries(entries)
    }

    fn from_entries(entries: Vec<(Rc<ParsedPath>, Cow<'a, RuleList>)>) -> RuleSet<'a> {
        RuleSet {
            first_step: FirstStep::new(&entries),
            entries,
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
        let mut entries = self.entries.clone();
        entries.push((Rc::new(ParsedPath::new(tokens)), Cow::Owned(list)));
        RuleSet::from_entries(entries)
    }

    /// The most specific rule list that applies at `location`, if any.
    pub(crate) fn select(&self, location: &Location) -> Option<Selected<'_>> {
        // Without XML element positions every token takes the segment at its own position, so
        // a rule is checked by one loop, from its most specific token up, instead of `align`'s
        // search; this runs for every rule at every node of a body.
        let positional = !location.has_element_indexes();
        let mut best: Option<(usize, usize, &RuleList)> = None;
        for position in self.candidates(location.live_rules) {
            let Some((path, list)) = self.entries.get(position) else {
                continue;
            };
            let aligned = if positional && position < location.exact_rules {
                // `narrow` checked every token of this path down to here.
                let covered = path.tokens.len() - 1;
                (covered <= location.depth() && path.weight > 0).then_some((path.weight, covered))
            } else if positional {
                positional_alignment(&path.tokens, location)
            } else {
                alignment(&path.tokens, location)
            };
            let Some((weight, covered)) = aligned else {
                continue;
            };
            if weight > 0 && best.is_none_or(|(best_weight, _, _)| weight > best_weight) {
                best = Some((weight, covered, list));
            }
        }
        best.map(|(_, covered, list)| Selected {
            list,
            cascaded: covered != location.depth(),
        })
    }

    /// `location` followed by an object key, with the rules that may still apply there.
    pub(crate) fn field<'c>(&self, location: &'c Location<'_>, name: &'c str) -> Location<'c> {
        let mut child = location.field(name);
        self.narrow(location, &mut child);
        child
    }

    /// `location` followed by an array index, with the rules that may still apply there.
    pub(crate) fn index<'c>(&self, location: &'c Location<'_>, index: usize) -> Location<'c> {
        let mut child = location.index(index);
        self.narrow(location, &mut child);
        child
    }

    /// The rules that may apply at `child` given those that may apply at its parent: a rule
    /// whose path ended above still cascades, a longer one must match the new segment. This
    /// keeps `select` from trying every rule at every node. The result only ever leaves out
    /// rules that cannot apply; rules this set does not have (a set extended for `eachValue`)
    /// stay in, and XML element positions turn the hint off.
    /// The positions of the rules a `live_rules` mask leaves in, in order; all of them when
    /// the set is too large for the mask.
    fn candidates(&self, live: u64) -> impl Iterator<Item = usize> + use<> {
        let count = self.entries.len();
        let (mut bits, beyond) = if count <= 64 {
            let valid = u64::MAX.checked_shr(64 - count as u32).unwrap_or(0);
            (live & valid, count..count)
        } else {
            (0, 0..count)
        };
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let position = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(position)
        })
        .chain(beyond)
    }

    fn narrow(&self, parent_location: &Location, child: &mut Location) {
        let parent = parent_location.live_rules;
        let depth = child.depth();
        let Some(last) = child.last() else {
            return;
        };
        if self.entries.len() > 64 || child.has_element_indexes() {
            return;
        }
        let Some(first_step) = &self.first_step else {
            return;
        };
        let count = self.entries.len() as u32;
        // Bits past this set's rules stay set: they belong to rules added later.
        let mut live = u64::MAX.checked_shl(count).unwrap_or(0);
        // Below the first step, a location no rule of this set reaches any more (most of a
        // body) keeps only the bits of rules added later.
        if depth > 1 && parent & !live == 0 {
            child.live_rules = live;
            child.exact_rules = parent_location.exact_rules.min(self.entries.len());
            return;
        }
        // Names are compared by fingerprint first: most rules name another key.
        let key = match last {
            Segment::Field(name) => Some((name, fingerprint(name))),
            _ => None,
        };
        let mut candidates = !live;
        if depth == 1 {
            // One step below the root only the rules whose first step could be this one.
            // The rules of the group named by this key apply here (every one has a positive
            // weight and this very name as its first step); the others are checked below.
            live |= parent & first_step.ended;
            candidates = first_step.other;
            match key {
                Some((key, print)) => {
                    if let Some((_, _, rules)) =
                        first_step.names.iter().find(|(known, representative, _)| {
                            *known == print
                                && first_name(&self.entries, *representative)
                                    .is_some_and(|name| name == key)
                        })
                    {
                        live |= parent & rules;
                    }
                }
                None => {
                    for (_, _, rules) in &first_step.names {
                        candidates |= rules;
                    }
                }
            }
        }
        let mut bits = parent & candidates;
        while bits != 0 {
            let position = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let Some((path, _)) = self.entries.get(position) else {
                continue;
            };
            let applies = path.weight > 0
                && match (path.tokens.get(depth), key) {
                    // The path ended above (or at the root): it still cascades here.
                    (None, _) => true,
                    (Some(Token::Field(name)), Some((key, print))) => {
                        path.fingerprints.get(depth) == Some(&print) && name == key
                    }
                    (Some(token), _) => score(token, &last) > 0,
                };
            if applies {
                live |= 1 << position;
            }
        }
        child.live_rules = live;
        // The bits of rules the parent knew exactly stay exact; a rule this set added (for
        // `eachValue`) had only its last token checked, so `select` checks it whole.
        child.exact_rules = parent_location.exact_rules.min(self.entries.len());
    }

    /// True when some rule that applies at `location` (its own or an ancestor's) is a type
    /// rule, which makes repeated elements be compared with the first example.
    pub(crate) fn type_rule_applies(&self, location: &Location) -> bool {
        self.entries.iter().any(|(path, list)| {
            weight(&path.tokens, location) > 0
                && list
                    .rules
                    .iter()
                    .any(|rule| matches!(rule, MatchingRule::Type { .. }))
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

    #[test]
    fn narrowed_locations_select_what_a_full_search_selects() {
        let paths = [
            "$", "$.a", "$.a.b", "$.a[*]", "$.a[*].b", "$.a.*", "$[*].b", "$.a.0", "$.*.b", "$.c",
            "$['a'].c", "$.b", "$.b[*]", "$['0']", "$.0.b", "$.ab", "$.b.a",
        ];
        let rules: BTreeMap<String, RuleList> = paths
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
            .collect();
        let set = RuleSet::new(Some(&rules));
        let steps: [&[&str]; 13] = [
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
        ];
        for steps in steps {
            for depth in 1..=steps.len() {
                let picked = |location: &Location<'_>| {
                    set.select(location)
                        .map(|selected| (selected.list.clone(), selected.cascaded))
                };
                let narrowed = walk(
                    &steps[..depth],
                    &|at, name| match name.parse::<usize>() {
                        Ok(index) => set.index(at, index),
                        Err(_) => set.field(at, name),
                    },
                    &mut |location| picked(location),
                );
                let full = walk(&steps[..depth], &plain_step, &mut |location| {
                    assert_eq!(location.live_rules, u64::MAX);
                    picked(location)
                });
                assert_eq!(narrowed, full, "{steps:?}");
            }
        }
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
