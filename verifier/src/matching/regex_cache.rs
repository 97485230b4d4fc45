//! A process-wide cache of compiled regular expressions.
//!
//! A contract repeats the same few patterns (the regex matchers and date formats of its
//! interactions) thousands of times, and compiling a regex costs far more than running it, so
//! each distinct source is compiled once per process and shared by every matching run and
//! every concurrent interaction. The cache is bounded: past [`MAX_ENTRIES`] distinct sources it
//! compiles without remembering, so a hostile contract cannot grow it without limit.
//!
//! Pact's regex matchers go through [`matches_whole`], which compiles `^(?:pattern)$` once per
//! process and keeps it in a second, per-thread cache keyed by the pattern as the contract
//! wrote it: a hit costs one hash of the pattern and no lock, no allocation and no `format!`
//! of the anchored source, which matters because every regex-matched value of every
//! interaction looks its pattern up. Where it can, the anchored pattern is compiled to a lazy
//! DFA alone (shared by every thread, each with its own cache of states) and run by a loop of
//! one table lookup per byte, without the layers `regex::Regex` puts around its engines;
//! patterns a DFA cannot take use `regex::Regex`, cloned per thread so that each thread has
//! its own cache pool (a shared `Regex` gives the fast path of its pool to one thread and a
//! mutex to every other).

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock, RwLock};

use regex::Regex;
use regex_automata::hybrid;
use regex_automata::nfa::thompson;
use regex_automata::util::start;
use regex_automata::{Anchored, MatchKind};

use super::path::same_name;

/// How many distinct sources the cache remembers.
const MAX_ENTRIES: usize = 4096;

type Compiled = Result<Arc<Regex>, String>;

static CACHE: LazyLock<RwLock<HashMap<String, Compiled>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// The compiled regex for `source` (used as written: anchor it yourself), or the compiler's
/// error message when the source is not a valid regex.
pub(crate) fn compiled(source: &str) -> Compiled {
    if let Ok(cache) = CACHE.read()
        && let Some(hit) = cache.get(source)
    {
        return hit.clone();
    }
    // Compiled under the lock, so that threads missing together compile a source once.
    let Ok(mut cache) = CACHE.write() else {
        return compile(source);
    };
    if let Some(hit) = cache.get(source) {
        return hit.clone();
    }
    let result = compile(source);
    if cache.len() < MAX_ENTRIES {
        cache.insert(source.to_owned(), result.clone());
    }
    result
}

fn compile(source: &str) -> Compiled {
    Regex::new(source)
        .map(Arc::new)
        .map_err(|error| error.to_string())
}

/// The NFA size limit `regex::Regex` compiles with, so that a source compiles here exactly
/// when it compiles there.
const NFA_SIZE_LIMIT: usize = 10 * (1 << 20);

/// The most memory one thread's cache of one lazy DFA's states may take (`regex` allows its
/// own 2 MiB). A pattern whose states do not fit is still matched correctly: the cache is
/// cleared and refilled as it goes, or the DFA cannot be built and `Regex` takes the pattern.
/// With [`MAX_THREAD_PATTERNS`] this bounds what the per-thread caches can take.
const DFA_CACHE_CAPACITY: usize = 256 * 1024;

/// The lazy DFA for an anchored `source`, or `None` when it cannot be built (the source is
/// invalid, and `Regex` then words the error, or needs what a DFA cannot do, such as a Unicode
/// word boundary).
fn lazy_dfa(source: &str) -> Option<hybrid::dfa::DFA> {
    hybrid::dfa::Builder::new()
        .configure(
            hybrid::dfa::Config::new()
                .match_kind(MatchKind::All)
                .cache_capacity(DFA_CACHE_CAPACITY),
        )
        .thompson(thompson::Config::new().nfa_size_limit(Some(NFA_SIZE_LIMIT)))
        .build(source)
        .ok()
}

/// A shared lazy DFA with one thread's cache of its states.
struct LazyMatcher {
    dfa: Arc<hybrid::dfa::DFA>,
    cache: hybrid::dfa::Cache,
    /// The anchored start state and the cache's clear count when it was found: a cleared
    /// cache forgets its states, so the start is looked up again then.
    start: Option<(usize, hybrid::LazyStateID)>,
}

impl LazyMatcher {
    /// Whether the DFA matches the whole of `text`; `None` if it gave up (a quit byte or a
    /// cache it could not use), and the caller then asks `Regex`.
    #[inline]
    fn matches(&mut self, text: &str) -> Option<bool> {
        let (dfa, cache) = (&*self.dfa, &mut self.cache);
        let mut state = match self.start {
            Some((clears, start)) if clears == cache.clear_count() => start,
            _ => {
                let start = dfa
                    .start_state(cache, &start::Config::new().anchored(Anchored::Yes))
                    .ok()?;
                self.start = Some((cache.clear_count(), start));
                start
            }
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if state.is_tagged() {
                // Not computed yet, dead, quit or match: the full step.
                state = dfa.next_state(cache, state, bytes[at]).ok()?;
                at += 1;
            } else {
                // Through untagged states each step is a table lookup; the cache is only
                // read here, so its table stays in registers.
                let table: &hybrid::dfa::Cache = cache;
                let mut previous = state;
                while at < bytes.len() {
                    previous = state;
                    state = dfa.next_state_untagged(table, state, bytes[at]);
                    at += 1;
                    if state.is_tagged() {
                        break;
                    }
                }
                if state.is_unknown() {
                    state = dfa.next_state(cache, previous, bytes[at - 1]).ok()?;
                }
            }
            if state.is_tagged() {
                if state.is_dead() {
                    return Some(false);
                }
                if state.is_quit() {
                    return None;
                }
            }
        }
        Some(dfa.next_eoi_state(cache, state).ok()?.is_match())
    }
}

/// A whole-value pattern as the process compiled it.
#[derive(Clone)]
enum Shared {
    Dfa(Arc<hybrid::dfa::DFA>),
    Regex(Compiled),
}

/// Whole-value patterns by their unanchored pattern, for every thread.
static WHOLE: LazyLock<RwLock<HashMap<Box<str>, Shared>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

fn shared_whole(pattern: &str) -> Shared {
    if let Ok(cache) = WHOLE.read()
        && let Some(hit) = cache.get(pattern)
    {
        return hit.clone();
    }
    let build = || {
        let pattern = super::regex_dialect::with_literal_braces(pattern);
        let source = format!("^(?:{pattern})$");
        // The DFA is searched anchored and must end at the end of the text, which is what
        // `^(?:p)$` means only when `p` is a whole regex: a pattern such as `a)|(b` closes the
        // wrapper's group and leaves `^` and `$` each on one branch, which `Regex` searches
        // unanchored, so only `Regex` gives the same verdict for it.
        let whole_regex = regex_syntax::Parser::new().parse(&pattern).is_ok();
        match lazy_dfa(&source).filter(|_| whole_regex) {
            Some(dfa) => Shared::Dfa(Arc::new(dfa)),
            None => Shared::Regex(compiled(&source)),
        }
    };
    let Ok(mut cache) = WHOLE.write() else {
        return build();
    };
    if let Some(hit) = cache.get(pattern) {
        return hit.clone();
    }
    let built = build();
    if cache.len() < MAX_ENTRIES {
        cache.insert(Box::from(pattern), built.clone());
    }
    built
}

/// A whole-value pattern as one thread runs it.
enum Whole {
    Dfa(Box<LazyMatcher>),
    /// This thread's own clone.
    Regex(Regex),
    Invalid(String),
}

impl Whole {
    fn of(shared: Shared) -> Whole {
        match shared {
            Shared::Dfa(dfa) => Whole::Dfa(Box::new(LazyMatcher {
                cache: dfa.create_cache(),
                dfa,
                start: None,
            })),
            Shared::Regex(Ok(regex)) => Whole::Regex(Regex::clone(&regex)),
            Shared::Regex(Err(error)) => Whole::Invalid(error),
        }
    }

    fn matches(&mut self, pattern: &str, text: &str) -> Result<bool, String> {
        match self {
            Whole::Dfa(matcher) => match matcher.matches(text) {
                Some(verdict) => Ok(verdict),
                None => {
                    let pattern = super::regex_dialect::with_literal_braces(pattern);
                    compiled(&format!("^(?:{pattern})$")).map(|regex| regex.is_match(text))
                }
            },
            Whole::Regex(regex) => Ok(regex.is_match(text)),
            Whole::Invalid(error) => Err(error.clone()),
        }
    }
}

/// True when `text` matches `pattern` as a whole (Pact regexes are anchored at both ends, like
/// Java's `matches()`); the compiler's error message when the pattern is not a valid regex.
pub(crate) fn matches_whole(pattern: &str, text: &str) -> Result<bool, String> {
    let cached = ANCHORED.with(|patterns| {
        patterns
            .borrow_mut()
            .find(pattern)
            .map(|whole| whole.matches(pattern, text))
    });
    if let Some(result) = cached {
        return result;
    }
    let mut whole = Whole::of(shared_whole(pattern));
    let result = whole.matches(pattern, text);
    ANCHORED.with(|patterns| patterns.borrow_mut().insert(pattern, whole));
    result
}

/// One thread's whole-value patterns, by their unanchored pattern.
#[derive(Default)]
struct ThreadPatterns {
    entries: Vec<(Box<str>, Whole)>,
    /// Positions in `entries`, once there are too many to compare one by one.
    index: HashMap<Box<str>, usize, BuildHasherDefault<EndsHasher>>,
}

/// How many patterns one thread keeps, each with its own cache of DFA states (at most
/// [`DFA_CACHE_CAPACITY`]) or its own clone of a `Regex`.
const MAX_THREAD_PATTERNS: usize = 256;

/// Up to this many patterns are found by comparing them in turn, which beats hashing a few.
const PATTERNS_SEARCHED_IN_ORDER: usize = 16;

impl ThreadPatterns {
    #[inline]
    fn find(&mut self, pattern: &str) -> Option<&mut Whole> {
        let position = if self.entries.len() <= PATTERNS_SEARCHED_IN_ORDER {
            self.entries
                .iter()
                .position(|(known, _)| same_name(known, pattern))?
        } else {
            *self.index.get(pattern)?
        };
        self.entries.get_mut(position).map(|(_, whole)| whole)
    }

    /// Remembers `pattern`; a thread that has seen [`MAX_THREAD_PATTERNS`] patterns forgets
    /// them all first, so that its caches stay bounded and the patterns in use come back.
    fn insert(&mut self, pattern: &str, whole: Whole) {
        if self.entries.len() >= MAX_THREAD_PATTERNS {
            self.entries.clear();
            self.index.clear();
        }
        self.index.insert(Box::from(pattern), self.entries.len());
        self.entries.push((Box::from(pattern), whole));
    }
}

thread_local! {
    /// Whole-value patterns for [`matches_whole`].
    static ANCHORED: RefCell<ThreadPatterns> = RefCell::new(ThreadPatterns::default());
}

/// A multiply-rotate hash over 8-byte words (rustc's `FxHasher` scheme), for the caches here
/// and in `path`: the keys are patterns and rule paths of the contracts being verified and the
/// maps are bounded, so a keyed hash buys little, and SipHash cost more than the rest of a
/// lookup.
#[derive(Clone, Copy, Default)]
pub(crate) struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        let mut word = [0u8; 8];
        for chunk in &mut chunks {
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The same word as copying the rest into zeroed bytes, without a `memcpy` call of
            // variable length.
            let word = rest
                .iter()
                .rev()
                .fold(0u64, |word, byte| (word << 8) | u64::from(*byte));
            self.add(word);
        }
        self.add(bytes.len() as u64);
    }
}

/// A hash of a byte string's length and its first and last eight bytes, for keys that differ
/// there (patterns): constant time whatever the length; keys alike at both ends only share a
/// bucket, the map still compares them whole.
#[derive(Clone, Copy, Default)]
pub(crate) struct EndsHasher(WordHasher);

impl Hasher for EndsHasher {
    fn finish(&self) -> u64 {
        self.0.finish()
    }

    fn write(&mut self, bytes: &[u8]) {
        let word = |chunk: &[u8]| {
            chunk
                .iter()
                .rev()
                .fold(0u64, |word, byte| (word << 8) | u64::from(*byte))
        };
        let length = bytes.len();
        let (head, tail) = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(head), Some(tail)) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
            _ => (word(bytes), 0),
        };
        self.0.add(head);
        self.0.add(tail);
        self.0.add(length as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_that_closes_the_wrapper_group_matches_as_regex_reads_it() {
        // `^(?:a)|(b)$`: `^` on one branch, `$` on the other, searched unanchored by `Regex`.
        let regex = Regex::new("^(?:a)|(b)$").unwrap();
        for text in ["abc", "xb", "a", "b", "c", ""] {
            assert_eq!(
                matches_whole("a)|(b", text),
                Ok(regex.is_match(text)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_thread_with_more_patterns_than_it_keeps_still_matches_them_all() {
        let count = MAX_THREAD_PATTERNS + 2;
        for round in 0..2 {
            for n in 0..count {
                let pattern = format!("x{n}y+");
                assert_eq!(
                    matches_whole(&pattern, &format!("x{n}yy")),
                    Ok(true),
                    "{round}"
                );
                assert_eq!(
                    matches_whole(&pattern, &format!("x{n}")),
                    Ok(false),
                    "{round}"
                );
            }
            ANCHORED.with(|patterns| {
                assert!(patterns.borrow().entries.len() <= MAX_THREAD_PATTERNS);
            });
        }
    }

    #[test]
    fn the_same_source_gives_the_same_compiled_regex() {
        let first = compiled("^a+$").unwrap();
        let second = compiled("^a+$").unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert!(first.is_match("aaa"));
    }

    #[test]
    fn matches_whole_anchors_the_pattern() {
        assert_eq!(matches_whole("a+", "aaa"), Ok(true));
        assert_eq!(matches_whole("a+", "baaa"), Ok(false));
        assert_eq!(matches_whole("a|b", "ab"), Ok(false));
        assert!(matches_whole("(", "x").is_err());
        assert!(matches_whole("(", "x").is_err());
    }

    /// `matches_whole` agrees with `regex::Regex` on the anchored pattern, whichever engine
    /// runs it.
    #[test]
    fn whole_matches_agree_with_the_regex_crate() {
        let patterns = [
            r"^SKU-\d{6}$",
            r"\d+",
            r"[a-z0-9.]+@example\.com",
            r"^(S|M|L|XL)$",
            r"a|ab",
            r"(?i)straße",
            r"\w+",
            r"\bword\b",
            r"(?m)^a$",
            r"a$|b",
            r"",
            r".*",
            r"(?s).",
            r"[^x]",
            r"\p{Greek}+",
            r"x*",
            r"^$",
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
        ];
        let texts = [
            "",
            "SKU-123456",
            "SKU-12345",
            "SKU-١٢٣٤٥٦",
            "123",
            "a",
            "ab",
            "b",
            "STRASSE",
            "straße",
            "word",
            "wörd",
            "a\nb",
            "a\n",
            "\n",
            "é",
            "αβγ",
            "x",
            "xx",
            "2020-01-01T00:00:00Z",
            "jane@example.com",
            "XL",
            "XLL",
            "\u{10ffff}",
        ];
        for pattern in patterns {
            let regex = Regex::new(&format!("^(?:{pattern})$")).unwrap();
            for text in texts {
                assert_eq!(
                    matches_whole(pattern, text),
                    Ok(regex.is_match(text)),
                    "/{pattern}/ on {text:?}"
                );
            }
        }
    }

    #[test]
    fn simple_patterns_run_as_a_dfa_and_the_others_as_a_regex() {
        assert!(lazy_dfa(r"^(?:SKU-\d{6})$").is_some());
        assert!(lazy_dfa(r"^(?:\bword\b)$").is_none());
        assert_eq!(matches_whole(r"\bword\b", "word"), Ok(true));
        assert_eq!(matches_whole(r"\w{50}", &"é".repeat(50)), Ok(true));
        assert_eq!(matches_whole(r"\w{50}", &"x".repeat(49)), Ok(false));
    }

    #[test]
    fn an_invalid_pattern_reports_the_regex_crate_error() {
        for pattern in ["(", "[z-a]", "a{2,1}", r"\p{Nope}", "x{99999999}"] {
            let expected = Regex::new(&format!("^(?:{pattern})$"))
                .unwrap_err()
                .to_string();
            assert_eq!(matches_whole(pattern, "x"), Err(expected), "{pattern}");
        }
    }

    #[test]
    fn a_lazy_matcher_survives_its_cache_being_cleared() {
        let source = r"^(?:[a-z]{2}\d{3}|\p{Greek}+)$";
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::All)
                    .cache_capacity(0)
                    .skip_cache_capacity_check(true),
            )
            .build(source)
            .unwrap();
        let dfa = Arc::new(dfa);
        let mut matcher = LazyMatcher {
            cache: dfa.create_cache(),
            dfa,
            start: None,
        };
        let regex = Regex::new(source).unwrap();
        for text in [
            "ab123", "αβγ", "ab12", "a1234", "", "ab123x", "αβγ1", "zz999",
        ]
        .repeat(20)
        {
            assert_eq!(matcher.matches(text), Some(regex.is_match(text)), "{text}");
        }
        assert!(matcher.cache.clear_count() > 0);
    }

    #[test]
    fn many_patterns_are_found_by_hash() {
        for round in 0..2 {
            for n in 0..(PATTERNS_SEARCHED_IN_ORDER * 2) {
                let pattern = format!("p{n}x*");
                let text = format!("p{n}xx");
                assert_eq!(matches_whole(&pattern, &text), Ok(true), "{round} {n}");
                assert_eq!(matches_whole(&pattern, "p"), Ok(false), "{round} {n}");
            }
        }
    }

    #[test]
    fn threads_share_compiled_patterns() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| matches_whole(r"t\d+", "t42")))
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), Ok(true));
        }
    }

    #[test]
    fn the_word_hash_pads_the_last_word_with_zeros() {
        for length in 0..20 {
            let bytes: Vec<u8> = (0..length).map(|i| (i * 37 + 11) as u8).collect();
            let mut expected = WordHasher::default();
            let mut chunks = bytes.chunks(8);
            for chunk in &mut chunks {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                expected.add(u64::from_le_bytes(word));
            }
            expected.add(bytes.len() as u64);
            let mut hasher = WordHasher::default();
            hasher.write(&bytes);
            assert_eq!(hasher.finish(), expected.finish(), "{length}");
        }
    }

    #[test]
    fn the_ends_hash_reads_length_and_both_ends() {
        let hash = |bytes: &[u8]| {
            let mut hasher = EndsHasher::default();
            hasher.write(bytes);
            hasher.finish()
        };
        assert_eq!(hash(b"abcdefgh-xx-12345678"), hash(b"abcdefgh-yy-12345678"));
        assert_ne!(hash(b"abcdefgh-xx-12345678"), hash(b"abcdefgh-xx-12345679"));
        assert_ne!(hash(b"abcdefgh-xx-12345678"), hash(b"bbcdefgh-xx-12345678"));
        assert_ne!(hash(b"abc"), hash(b"abd"));
        assert_ne!(hash(b""), hash(b"\0"));
        // Patterns alike at both ends still find their own entries.
        let (first, second) = (r"^xxxxxxxx(a|b)yyyyyyyy$", r"^xxxxxxxx(a|c)yyyyyyyy$");
        assert_eq!(hash(first.as_bytes()), hash(second.as_bytes()));
        assert_eq!(matches_whole(first, "xxxxxxxxbyyyyyyyy"), Ok(true));
        assert_eq!(matches_whole(second, "xxxxxxxxbyyyyyyyy"), Ok(false));
        assert_eq!(matches_whole(second, "xxxxxxxxcyyyyyyyy"), Ok(true));
    }

    #[test]
    fn an_invalid_source_is_an_error_every_time() {
        assert!(compiled("(").is_err());
        assert!(compiled("(").is_err());
    }
}
