//! Rack's nested query parameters, as the Pact Broker reads `/matrix` (Ruby's
//! `Rack::Utils.parse_nested_query`): `q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B`
//! is two hashes, because a key already in the last hash starts a new one.

/// Splits a query string into decoded `(key, value)` pairs (`+` is a space, `%XX` decoded,
/// brackets in keys decoded too, as some clients encode them).
pub fn decode_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(key), decode(value))
        })
        .collect()
}

fn decode(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// A Rack-style nested array of hashes: `name[][key]=v` (or `name[]key=v`) appends to the last
/// hash unless it already has `key`, in which case a new hash starts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NestedParams {
    /// `q[]` hashes, as ordered key/value lists.
    pub q: Vec<Vec<(String, String)>>,
    /// `ignore[]` hashes; a bare `ignore[]=X` is `{pacticipant: X}`.
    pub ignore: Vec<Vec<(String, String)>>,
    /// Top-level parameters (the last value wins).
    pub top: Vec<(String, String)>,
}

impl NestedParams {
    /// Parses decoded pairs.
    pub fn parse(pairs: &[(String, String)]) -> Self {
        let mut params = Self::default();
        for (key, value) in pairs {
            if let Some(inner) = nested_key(key, "q") {
                push_nested(&mut params.q, inner, value);
            } else if let Some(inner) = nested_key(key, "ignore") {
                let inner = if inner.is_empty() {
                    "pacticipant"
                } else {
                    inner
                };
                push_nested(&mut params.ignore, inner, value);
            } else {
                params.top.retain(|(existing, _)| existing != key);
                params.top.push((key.clone(), value.clone()));
            }
        }
        params
    }

    /// A top-level parameter, `None` when absent or empty (as the Pact Broker treats empty).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.top
            .iter()
            .find(|(existing, _)| existing == key)
            .map(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
    }
}

/// `name[][key]` or `name[]key` → `key`; `name[]` → `""`.
fn nested_key<'a>(key: &'a str, name: &str) -> Option<&'a str> {
    let rest = key.strip_prefix(name)?.strip_prefix("[]")?;
    let rest = rest.strip_prefix('[').unwrap_or(rest);
    Some(rest.strip_suffix(']').unwrap_or(rest))
}

fn push_nested(hashes: &mut Vec<Vec<(String, String)>>, key: &str, value: &str) {
    let start_new = hashes
        .last()
        .is_none_or(|hash| hash.iter().any(|(existing, _)| existing == key));
    if start_new {
        hashes.push(Vec::new());
    }
    if let Some(hash) = hashes.last_mut() {
        hash.push((key.to_owned(), value.to_owned()));
    }
}

pub(super) fn field<'a>(hash: &'a [(String, String)], key: &str) -> Option<&'a str> {
    hash.iter()
        .find(|(existing, _)| existing == key)
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.is_empty())
}
