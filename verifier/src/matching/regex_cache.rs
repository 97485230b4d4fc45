//! A process-wide cache of compiled regular expressions.
//!
//! A contract repeats the same few patterns (the regex matchers and date formats of its
//! interactions) thousands of times, and compiling a regex costs far more than running it, so
//! each distinct source is compiled once per process and shared by every matching run and
//! every concurrent interaction. The cache is bounded: past [`MAX_ENTRIES`] distinct sources it
//! compiles without remembering, so a hostile contract cannot grow it without limit.
//!
//! Pact's regex matchers go through [`matches_whole`], which keeps a second, per-thread cache
//! keyed by the pattern as the contract wrote it: a hit costs one hash of the pattern and no
//! lock, no allocation and no `format!` of the anchored source, which matters because every
//! regex-matched value of every interaction looks its pattern up.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock, RwLock};

use regex::Regex;

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
    let result = Regex::new(source)
        .map(Arc::new)
        .map_err(|error| error.to_string());
    if let Ok(mut cache) = CACHE.write()
        && cache.len() < MAX_ENTRIES
    {
        cache.insert(source.to_owned(), result.clone());
    }
    result
}

/// True when `text` matches `pattern` as a whole (Pact regexes are anchored at both ends, like
/// Java's `matches()`); the compiler's error message when the pattern is not a valid regex.
pub(crate) fn matches_whole(pattern: &str, text: &str) -> Result<bool, String> {
    let cached = ANCHORED.with(|cache| {
        cache.borrow().get(pattern).map(|compiled| match compiled {
            Ok(regex) => Ok(regex.is_match(text)),
            Err(error) => Err(error.clone()),
        })
    });
    if let Some(result) = cached {
        return result;
    }
    let compiled = compiled(&format!("^(?:{pattern})$"));
    let result = match &compiled {
        Ok(regex) => Ok(regex.is_match(text)),
        Err(error) => Err(error.clone()),
    };
    ANCHORED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() < MAX_ENTRIES {
            cache.insert(Box::from(pattern), compiled);
        }
    });
    result
}

thread_local! {
    /// Anchored regexes by their unanchored pattern, for [`matches_whole`].
    static ANCHORED: RefCell<HashMap<Box<str>, Compiled, BuildHasherDefault<WordHasher>>> =
        RefCell::new(HashMap::default());
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn an_invalid_source_is_an_error_every_time() {
        assert!(compiled("(").is_err());
        assert!(compiled("(").is_err());
    }
}
