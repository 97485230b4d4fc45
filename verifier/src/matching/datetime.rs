//! Dates, times and timestamps in Java `DateTimeFormatter` patterns (`yyyy-MM-dd'T'HH:mm:ss`),
//! which is how Pact contracts write their formats, plus semantic versions.
//!
//! A pattern is translated into an anchored regex with a named group per field; the captured
//! year, month and day are then checked with chrono so that `2024-02-30` is refused. Without a
//! format, ISO 8601 is expected (`2024-05-01`, `13:45:00`, `2024-05-01T13:45:00Z`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

/// Which of the three date-time matchers is checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateTimeKind {
    /// `date`.
    Date,
    /// `time`.
    Time,
    /// `timestamp`.
    Timestamp,
}

impl DateTimeKind {
    /// `a date`, `a time`, `a timestamp`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            DateTimeKind::Date => "a date",
            DateTimeKind::Time => "a time",
            DateTimeKind::Timestamp => "a timestamp",
        }
    }

    /// `a date in the format yyyy-MM-dd`, or `an ISO 8601 date` without a format.
    pub(crate) fn describe(self, format: Option<&str>) -> String {
        match format {
            Some(format) => format!("{} in the format {format}", self.name()),
            None => format!("an ISO 8601 {}", &self.name()[2..]),
        }
    }
}

/// Checks `text` against `format` (ISO 8601 when `None`); the error says why it failed.
pub(crate) fn check_date_time(
    kind: DateTimeKind,
    format: Option<&str>,
    text: &str,
) -> Result<(), String> {
    match format {
        Some(format) => check_pattern(format, text),
        None => check_iso(kind, text),
    }
}

fn check_iso(kind: DateTimeKind, text: &str) -> Result<(), String> {
    let ok = match kind {
        DateTimeKind::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
        DateTimeKind::Time => {
            let local = text.trim_end_matches('Z');
            let local = local.split(['+', '-']).next().unwrap_or(local);
            NaiveTime::parse_from_str(local, "%H:%M:%S%.f").is_ok()
                || NaiveTime::parse_from_str(local, "%H:%M").is_ok()
        }
        DateTimeKind::Timestamp => {
            DateTime::parse_from_rfc3339(text).is_ok()
                || NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        }
    };
    if ok {
        Ok(())
    } else {
        Err("not ISO 8601".to_owned())
    }
}

fn check_pattern(format: &str, text: &str) -> Result<(), String> {
    let source = pattern_to_regex(format)?;
    let regex = super::regex_cache::compiled(&source)
        .map_err(|error| format!("unusable format: {error}"))?;
    let captures = regex
        .captures(text)
        .ok_or_else(|| "does not fit the format".to_owned())?;
    let field = |name: &str| {
        captures
            .name(name)
            .and_then(|m| m.as_str().parse::<i32>().ok())
    };
    if let (Some(year), Some(month), Some(day)) = (field("year"), field("month"), field("day")) {
        let year = if year < 100 { 2000 + year } else { year };
        let month = u32::try_from(month).unwrap_or(0);
        let day = u32::try_from(day).unwrap_or(0);
        if NaiveDate::from_ymd_opt(year, month, day).is_none() {
            return Err("no such day".to_owned());
        }
    }
    Ok(())
}

const MONTHS: &str = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
const MONTH_NAMES: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";
const DAYS: &str = "Mon|Tue|Wed|Thu|Fri|Sat|Sun";
const DAY_NAMES: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday";

/// Translates a `DateTimeFormatter` pattern into an anchored regex source.
fn pattern_to_regex(format: &str) -> Result<String, String> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = String::from("^");
    let mut seen = std::collections::HashSet::new();
    let mut at = 0;
    while at < chars.len() {
        let letter = chars[at];
        if letter == '\'' {
            // A quoted literal; `''` is a single quote.
            let end = (at + 1..chars.len())
                .find(|&i| chars[i] == '\'')
                .unwrap_or(chars.len());
            let literal: String = chars[at + 1..end].iter().collect();
            out.push_str(&regex::escape(if literal.is_empty() {
                "'"
            } else {
                &literal
            }));
            at = end + 1;
            continue;
        }
        if letter == '[' || letter == ']' {
            return Err("optional sections ([…]) in formats are not supported".to_owned());
        }
        let mut count = 1;
        while at + count < chars.len() && chars[at + count] == letter {
            count += 1;
        }
        at += count;
        if !letter.is_ascii_alphabetic() {
            out.push_str(&regex::escape(&letter.to_string().repeat(count)));
            continue;
        }
        let mut named = |name: &str, body: &str| {
            if seen.insert(name.to_owned()) {
                format!("(?P<{name}>{body})")
            } else {
                format!("(?:{body})")
            }
        };
        let piece = match (letter, count) {
            ('y' | 'u' | 'Y', 2) => named("year", r"\d{2}"),
            ('y' | 'u' | 'Y', _) => named("year", r"\d{4}"),
            ('M' | 'L', 1) => named("month", "1[0-2]|0?[1-9]"),
            ('M' | 'L', 2) => named("month", "1[0-2]|0[1-9]"),
            ('M' | 'L', 3) => format!("(?:{MONTHS})"),
            ('M' | 'L', _) => format!("(?:{MONTH_NAMES})"),
            ('d', 1) => named("day", "3[01]|[12][0-9]|0?[1-9]"),
            ('d', _) => named("day", "3[01]|[12][0-9]|0[1-9]"),
            ('D', _) => r"\d{1,3}".to_owned(),
            ('E', 4..) => format!("(?:{DAY_NAMES})"),
            ('E', _) => format!("(?:{DAYS})"),
            ('a', _) => "(?:AM|PM|am|pm)".to_owned(),
            ('H', 1) => "(?:2[0-3]|[01]?[0-9])".to_owned(),
            ('H', _) => "(?:2[0-3]|[01][0-9])".to_owned(),
            ('k', _) => "(?:2[0-4]|[01]?[0-9])".to_owned(),
            ('h', 1) => "(?:1[0-2]|0?[1-9])".to_owned(),
            ('h', _) => "(?:1[0-2]|0[1-9])".to_owned(),
            ('K', _) => "(?:1[01]|0?[0-9])".to_owned(),
            ('m' | 's', 1) => "(?:[0-5]?[0-9])".to_owned(),
            ('m' | 's', _) => "(?:[0-5][0-9])".to_owned(),
            ('S', n) => format!(r"\d{{{n}}}"),
            ('n', _) => r"\d{1,9}".to_owned(),
            ('X', 1) => "(?:Z|[+-][0-9]{2}(?:[0-9]{2})?)".to_owned(),
            ('X', 2 | 4) => "(?:Z|[+-][0-9]{4})".to_owned(),
            ('X', _) => "(?:Z|[+-][0-9]{2}:[0-9]{2})".to_owned(),
            ('x', 1) => "(?:[+-][0-9]{2}(?:[0-9]{2})?)".to_owned(),
            ('x', 2 | 4) => "(?:[+-][0-9]{4})".to_owned(),
            ('x', _) => "(?:[+-][0-9]{2}:[0-9]{2})".to_owned(),
            ('Z', 1..=3) => "(?:[+-][0-9]{4})".to_owned(),
            ('Z', _) => "(?:Z|GMT|[+-][0-9]{2}:[0-9]{2})".to_owned(),
            ('z' | 'O' | 'V', _) => r"(?:[A-Za-z][A-Za-z0-9_/+\-:]*)".to_owned(),
            ('G', _) => "(?:AD|BC)".to_owned(),
            (other, _) => return Err(format!("the pattern letter `{other}` is not supported")),
        };
        out.push_str(&piece);
    }
    out.push('$');
    Ok(out)
}

/// True for a semantic version (`1.2.3`, `1.0.0-rc.1+build.5`).
pub(crate) fn is_semver(text: &str) -> bool {
    let (core, build) = text.split_once('+').unwrap_or((text, ""));
    let (core, pre) = core
        .split_once('-')
        .map_or((core, None), |(c, p)| (c, Some(p)));
    let numeric = |part: &str| {
        !part.is_empty()
            && part.chars().all(|c| c.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
    };
    let parts: Vec<&str> = core.split('.').collect();
    let ident_ok = |ids: &str| {
        ids.split('.')
            .all(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    };
    parts.len() == 3
        && parts.iter().all(|part| numeric(part))
        && pre.is_none_or(ident_ok)
        && (!text.contains('+') || ident_ok(build))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_patterns() {
        let check = |format, text| check_date_time(DateTimeKind::Timestamp, Some(format), text);
        assert!(check("yyyy-MM-dd'T'HH:mm:ss", "2024-05-01T13:45:00").is_ok());
        assert!(check("yyyy-MM-dd'T'HH:mm:ss", "2024-05-01 13:45:00").is_err());
        assert!(check("yyyy-MM-dd", "2024-02-30").is_err());
        assert!(check("yyyy-MM-dd", "2024-02-29").is_ok());
        assert!(check("dd/MM/yyyy", "29/10/2015").is_ok());
        assert!(
            check(
                "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
                "2024-05-01T13:45:00.123+02:00"
            )
            .is_ok()
        );
        assert!(
            check(
                "EEE, dd MMM yyyy HH:mm:ss z",
                "Wed, 01 May 2024 13:45:00 GMT"
            )
            .is_ok()
        );
        assert!(check("HH:mm", "25:00").is_err());
        assert!(check("qq", "1").is_err());
    }

    #[test]
    fn iso_defaults() {
        assert!(check_date_time(DateTimeKind::Date, None, "2024-05-01").is_ok());
        assert!(check_date_time(DateTimeKind::Date, None, "01/05/2024").is_err());
        assert!(check_date_time(DateTimeKind::Time, None, "13:45:00").is_ok());
        assert!(check_date_time(DateTimeKind::Timestamp, None, "2024-05-01T13:45:00Z").is_ok());
        assert!(check_date_time(DateTimeKind::Timestamp, None, "yesterday").is_err());
    }

    #[test]
    fn semantic_versions() {
        assert!(is_semver("1.2.3"));
        assert!(is_semver("1.0.0-rc.1+build.5"));
        assert!(!is_semver("1.2"));
        assert!(!is_semver("01.2.3"));
    }
}
