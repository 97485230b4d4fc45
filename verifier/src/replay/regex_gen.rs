//! Strings that match a regular expression, for the `Regex` generator: literals, classes,
//! alternation, groups and bounded repetition. Anchors and look-arounds produce nothing;
//! unbounded repetition stops a few repeats past its minimum. Classes prefer printable ASCII.

use rand::Rng;
use regex_syntax::hir::{Class, Hir, HirKind};

/// How many repeats past the minimum an unbounded repetition (`*`, `+`, `{n,}`) may add.
const EXTRA_REPEATS: u32 = 4;

/// A string the pattern matches, or `None` when the pattern does not parse.
pub fn generate(pattern: &str, rng: &mut impl Rng) -> Option<String> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let mut output = String::new();
    walk(&hir, rng, &mut output);
    Some(output)
}

fn walk(hir: &Hir, rng: &mut impl Rng, output: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => output.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges: Vec<(u32, u32)> = class
                .ranges()
                .iter()
                .map(|range| (range.start() as u32, range.end() as u32))
                .collect();
            if let Some(found) = pick(&ranges, rng).and_then(char::from_u32) {
                output.push(found);
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges: Vec<(u32, u32)> = class
                .ranges()
                .iter()
                .map(|range| (u32::from(range.start()), u32::from(range.end())))
                .collect();
            if let Some(found) = pick(&ranges, rng).and_then(char::from_u32) {
                output.push(found);
            }
        }
        HirKind::Repetition(repetition) => {
            let max = repetition
                .max
                .unwrap_or(repetition.min.saturating_add(EXTRA_REPEATS));
            let count = rng.random_range(repetition.min..=max.max(repetition.min));
            for _ in 0..count {
                walk(&repetition.sub, rng, output);
            }
        }
        HirKind::Capture(capture) => walk(&capture.sub, rng, output),
        HirKind::Concat(items) => items.iter().for_each(|item| walk(item, rng, output)),
        HirKind::Alternation(items) => {
            if !items.is_empty() {
                walk(&items[rng.random_range(0..items.len())], rng, output);
            }
        }
    }
}

/// A code point from the ranges, from their printable ASCII part when they have one.
fn pick(ranges: &[(u32, u32)], rng: &mut impl Rng) -> Option<u32> {
    let printable: Vec<(u32, u32)> = ranges
        .iter()
        .filter_map(|&(start, end)| {
            let (start, end) = (start.max(0x21), end.min(0x7e));
            (start <= end).then_some((start, end))
        })
        .collect();
    let candidates = if printable.is_empty() {
        ranges
    } else {
        &printable
    };
    let (start, end) = *candidates.get(rng.random_range(0..candidates.len().max(1)))?;
    Some(rng.random_range(start..=end))
}

#[cfg(test)]
mod tests {
    use super::generate;

    #[test]
    fn generated_strings_match_their_pattern() {
        let patterns = [
            r"\d{3}-\d{4}",
            r"[A-Z][a-z]+",
            r"(red|green|blue)",
            r"^\w{5,8}$",
            r"ab?c*",
            r"[0-9a-f]{8}",
        ];
        let mut rng = rand::rng();
        for pattern in patterns {
            let checker = regex::Regex::new(&format!("^(?:{pattern})$")).unwrap();
            for _ in 0..50 {
                let value = generate(pattern, &mut rng).unwrap();
                assert!(
                    checker.is_match(&value),
                    "{value:?} does not match {pattern}"
                );
            }
        }
    }

    #[test]
    fn an_invalid_pattern_generates_nothing() {
        assert_eq!(generate("(unclosed", &mut rand::rng()), None);
    }
}
