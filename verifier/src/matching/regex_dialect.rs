//! Contract regexes written for Ruby or Java engines, where a `{` that does not start a
//! quantifier is a literal brace (`/pacticipants/{pacticipant}`, as the Pact Broker client's
//! contracts write URL templates). The `regex` crate rejects such a brace, so a pattern it
//! cannot parse is retried with those braces escaped; a pattern it parses is never changed.

use std::borrow::Cow;

/// `pattern` with its literal braces escaped when `regex` cannot parse it as written and the
/// escaped form parses; otherwise `pattern` unchanged.
pub(crate) fn with_literal_braces(pattern: &str) -> Cow<'_, str> {
    if !pattern.contains(['{', '}']) || regex_syntax::Parser::new().parse(pattern).is_ok() {
        return Cow::Borrowed(pattern);
    }
    let escaped = escape_literal_braces(pattern);
    if regex_syntax::Parser::new().parse(&escaped).is_ok() {
        Cow::Owned(escaped)
    } else {
        Cow::Borrowed(pattern)
    }
}

/// Escapes every `{` and `}` outside a character class that is not part of a counted
/// repetition (`{n}`, `{n,}`, `{n,m}`) or of an escape such as `\p{L}` or `\x{41}`.
fn escape_literal_braces(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.char_indices().peekable();
    let mut in_class = false;
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                    let braced = matches!(escaped, 'p' | 'P' | 'x' | 'u');
                    if braced && chars.peek().is_some_and(|&(_, next)| next == '{') {
                        for (_, inner) in chars.by_ref() {
                            out.push(inner);
                            if inner == '}' {
                                break;
                            }
                        }
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '{' if !in_class => match repetition_len(&pattern[at..]) {
                Some(len) => {
                    out.push_str(&pattern[at..at + len]);
                    for _ in 1..len {
                        chars.next();
                    }
                }
                None => out.push_str("\\{"),
            },
            '}' if !in_class => out.push_str("\\}"),
            _ => out.push(c),
        }
    }
    out
}

/// The length of the counted repetition `{n}`, `{n,}` or `{n,m}` at the start of `text`.
fn repetition_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix('{')?;
    let end = body.find('}')?;
    let (low, high) = match body[..end].split_once(',') {
        Some((low, high)) => (low, Some(high)),
        None => (&body[..end], None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let valid = digits(low) && high.is_none_or(|high| high.is_empty() || digits(high));
    valid.then_some(end + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_braces_of_url_templates_are_escaped() {
        assert_eq!(
            with_literal_braces(r".*(\/pacticipants\/{pacticipant})$"),
            r".*(\/pacticipants\/\{pacticipant\})$"
        );
        let escaped = with_literal_braces(r"http://.*/pacts/{provider}/x{2}");
        assert_eq!(escaped, r"http://.*/pacts/\{provider\}/x{2}");
        let regex = regex::Regex::new(&format!("^(?:{escaped})$")).unwrap();
        assert!(regex.is_match("http://h/pacts/{provider}/xx"));
    }

    #[test]
    fn valid_patterns_and_escapes_are_left_alone() {
        for pattern in [r"a{2,3}", r"\d{4}-\d{2}", r"\p{L}+", r"[{}]", r"plain"] {
            assert_eq!(with_literal_braces(pattern), pattern);
        }
        assert_eq!(with_literal_braces(r"\p{L}{name}"), r"\p{L}\{name\}");
        assert_eq!(with_literal_braces(r"[{]{x}"), r"[{]\{x\}");
    }

    #[test]
    fn a_pattern_that_stays_invalid_is_returned_as_written() {
        assert_eq!(with_literal_braces(r"({x}"), r"({x}");
    }
}
