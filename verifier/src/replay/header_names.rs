//! Header names in a response head: the token characters, and comparisons with known
//! lowercase names in any case, a word at a time.

use super::response_head::FramingField;

/// What a header name that [`known_name`] recognises is to the reader of a head.
#[derive(Clone, Copy)]
pub(super) enum KnownName {
    /// `Content-Type`, which matching always reads.
    ContentType,
    /// One of the framing and connection headers.
    Framing(FramingField),
    /// Any other.
    Other,
}

/// The name at the start of `line` when it is one that responses usually have, in any case and
/// followed by a colon: the name in lowercase, and what it is. Comparing a few names of the
/// right first letter is quicker than reading a name through the token table (what the other
/// names go through), and a name that compares equal is a token.
#[inline(always)]
pub(super) fn known_name(line: &[u8]) -> Option<(&'static str, KnownName)> {
    let is = |lower: &'static str| name_then_colon(line, lower);
    let framing = KnownName::Framing;
    let found = match line.first()? | 0x20 {
        b'c' if is("content-type") => ("content-type", KnownName::ContentType),
        b'c' if is("content-length") => ("content-length", framing(FramingField::ContentLength)),
        b'c' if is("connection") => ("connection", framing(FramingField::Connection)),
        b'c' if is("cache-control") => ("cache-control", KnownName::Other),
        b'd' if is("date") => ("date", KnownName::Other),
        b's' if is("server") => ("server", KnownName::Other),
        b't' if is("transfer-encoding") => {
            ("transfer-encoding", framing(FramingField::TransferEncoding))
        }
        b'k' if is("keep-alive") => ("keep-alive", KnownName::Other),
        b'v' if is("vary") => ("vary", KnownName::Other),
        b'e' if is("etag") => ("etag", KnownName::Other),
        b'l' if is("last-modified") => ("last-modified", KnownName::Other),
        _ => return None,
    };
    Some(found)
}

/// True when `line` starts with `lower` in any case and a colon.
#[inline(always)]
fn name_then_colon(line: &[u8], lower: &str) -> bool {
    line.get(lower.len()) == Some(&b':') && same_name(&line[..lower.len()], lower.as_bytes())
}

/// True when `name` is `lower` (lowercase letters, digits and `-`, at least four bytes, as
/// long as `name`) in any case, compared a word at a time: a letter's byte is compared with
/// its 0x20 bit set, any other byte as it is.
#[inline(always)]
fn same_name(name: &[u8], lower: &[u8]) -> bool {
    const LETTER_BITS: u64 = 0x4040_4040_4040_4040;
    let length = lower.len();
    if name.len() != length || length < 4 {
        return false;
    }
    if length < 8 {
        let word = |bytes: &[u8], at: usize| {
            let mut word = [0u8; 4];
            word.copy_from_slice(&bytes[at..at + 4]);
            u32::from_le_bytes(word)
        };
        let same = |at: usize| {
            let want = word(lower, at);
            word(name, at) | ((want & LETTER_BITS as u32) >> 1) == want
        };
        return same(0) && same(length - 4);
    }
    let word = |bytes: &[u8], at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let same = |at: usize| {
        let want = word(lower, at);
        word(name, at) | ((want & LETTER_BITS) >> 1) == want
    };
    let mut at = 0;
    while at + 8 < length {
        if !same(at) {
            return false;
        }
        at += 8;
    }
    same(length - 8)
}

/// True when the header name `name`, a token (as every parsed header name is), is `lower`
/// (lowercase letters and `-`) in any case. Setting the 0x20 bit lowercases a letter and leaves
/// `-` as it is; the only other byte it turns into a lowercase letter or `-` is a control
/// character, which no token has. Quicker than [`is_lowercase`].
///
/// Names of eight bytes or more are compared eight bytes at a time, the last word overlapping
/// the one before it.
#[inline]
pub(super) fn token_is(name: &[u8], lower: &[u8]) -> bool {
    const FOLD: u64 = 0x2020_2020_2020_2020;
    let length = name.len();
    if length != lower.len() {
        return false;
    }
    if length < 8 {
        return name
            .iter()
            .zip(lower)
            .all(|(&byte, &want)| byte | 0x20 == want);
    }
    let word = |bytes: &[u8], at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let mut at = 0;
    while at + 8 < length {
        if word(name, at) | FOLD != word(lower, at) {
            return false;
        }
        at += 8;
    }
    word(name, length - 8) | FOLD == word(lower, length - 8)
}

/// True when `bytes` is `lower` (lowercase ASCII letters and `-`) in any case: what
/// `eq_ignore_ascii_case` says, for less. Setting the 0x20 bit lowercases a letter, and only a
/// letter's two cases give that lowercase letter; `-` is compared as it is.
pub(super) fn is_lowercase(bytes: &[u8], lower: &[u8]) -> bool {
    bytes.len() == lower.len()
        && bytes.iter().zip(lower).all(|(&byte, &want)| {
            if want == b'-' {
                byte == b'-'
            } else {
                byte | 0x20 == want
            }
        })
}

/// True for the characters of an HTTP token (RFC 9110 section 5.6.2), as `httparse` has them.
pub(super) fn is_token(byte: u8) -> bool {
    TOKEN[usize::from(byte)]
}

/// [`is_token`] as a table.
static TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(
            byte as u8,
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'!' | b'#' | b'$' | b'%' | b'&' | b'\''
                | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
        );
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_in_any_case() {
        assert!(is_lowercase(b"Content-Length", b"content-length"));
        assert!(is_lowercase(b"CONNECTION", b"connection"));
        assert!(is_lowercase(b"Keep-Alive", b"keep-alive"));
        assert!(!is_lowercase(b"Content-Lengths", b"content-length"));
        assert!(!is_lowercase(b"Content_Length", b"content-length"));
        assert!(!is_lowercase(b"Content\rLength", b"content-length"));
        assert!(!is_lowercase(b"Connectiom", b"connection"));
        // Every byte against every letter and `-`: what `eq_ignore_ascii_case` says.
        for byte in 0..=255u8 {
            for want in (b'a'..=b'z').chain([b'-']) {
                assert_eq!(
                    is_lowercase(&[byte], &[want]),
                    byte.eq_ignore_ascii_case(&want),
                    "{byte:#x} {want:#x}"
                );
            }
        }
    }

    #[test]
    fn token_names_compare_in_any_case() {
        assert!(token_is(b"Content-Length", b"content-length"));
        assert!(token_is(b"CONNECTION", b"connection"));
        assert!(!token_is(b"Content-Lengths", b"content-length"));
        assert!(!token_is(b"Content_Length", b"content-length"));
        assert!(token_is(b"TRANSFER-encoding", b"transfer-encoding"));
        assert!(token_is(b"Content-Type", b"content-type"));
        assert!(token_is(b"Date", b"date"));
        // A difference at every position of names of every length up to 17.
        let lower = b"transfer-encoding";
        for length in 1..=lower.len() {
            let lower = &lower[..length];
            assert!(token_is(&lower.to_ascii_uppercase(), lower));
            for at in 0..length {
                let mut name = lower.to_vec();
                name[at] = b'x';
                assert_eq!(token_is(&name, lower), lower[at] == b'x', "{length} {at}");
            }
        }
        // Every token byte against every letter and `-`: what `eq_ignore_ascii_case` says.
        for byte in (0..=255u8).filter(|&byte| is_token(byte)) {
            for want in (b'a'..=b'z').chain([b'-']) {
                assert_eq!(
                    token_is(&[byte], &[want]),
                    byte.eq_ignore_ascii_case(&want),
                    "{byte:#x} {want:#x}"
                );
            }
        }
    }

    #[test]
    fn known_names_compare_as_eq_ignore_ascii_case_does() {
        for lower in [
            "date",
            "vary",
            "server",
            "connection",
            "content-type",
            "content-length",
            "transfer-encoding",
        ] {
            let lower = lower.as_bytes();
            for at in 0..lower.len() {
                for byte in 0..=255u8 {
                    let mut name = lower.to_vec();
                    name[at] = byte;
                    assert_eq!(
                        same_name(&name, lower),
                        name.eq_ignore_ascii_case(lower),
                        "{:?}",
                        String::from_utf8_lossy(&name)
                    );
                }
            }
            assert!(!same_name(&lower[1..], lower));
        }
    }
}
