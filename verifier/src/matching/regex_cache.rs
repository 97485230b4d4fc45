//! A process-wide cache of compiled regular expressions.
//!
//! A contract repeats the same few patterns (the regex matchers and date formats of its
//! interactions) thousands of times, and compiling a regex costs far more than running it, so
//! each distinct source is compiled once per process and shared by every matching run and
//! every concurrent interaction. The cache is bounded: past [`MAX_ENTRIES`] distinct sources it
//! compiles without remembering, so a hostile contract cannot grow it without limit.

use std::collections::HashMap;
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
    fn an_invalid_source_is_an_error_every_time() {
        assert!(compiled("(").is_err());
        assert!(compiled("(").is_err());
    }
}
