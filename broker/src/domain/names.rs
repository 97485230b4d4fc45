//! Validated names and numbers: once parsed, a value is non-blank, single-line and of a
//! bounded length, so nothing further down checks again.

use std::fmt;

/// The longest name or version number accepted, in bytes.
const MAX_LENGTH: usize = 1000;

fn check(kind: &str, raw: &str) -> Result<(), String> {
    if raw.trim().is_empty() {
        return Err(format!("{kind} must not be blank"));
    }
    if raw.contains(['\n', '\r']) {
        return Err(format!("{kind} must be a single line, found a line break"));
    }
    if raw.len() > MAX_LENGTH {
        return Err(format!(
            "{kind} must be at most {MAX_LENGTH} bytes long, found {}",
            raw.len()
        ));
    }
    if raw.chars().any(char::is_control) {
        return Err(format!("{kind} must not contain control characters"));
    }
    Ok(())
}

macro_rules! validated_name {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Validates `raw`; the error says what was wrong, lowercase, without a period.
            pub fn parse(raw: &str) -> Result<Self, String> {
                check($kind, raw)?;
                Ok(Self(raw.to_owned()))
            }

            /// The value as given.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

validated_name!(
    /// A pacticipant's name (case-sensitive, as the Pact Broker matches it).
    PacticipantName,
    "a pacticipant name"
);
validated_name!(
    /// A version number, any single-line string (`1.0.0+b/7 x` included).
    VersionNumber,
    "a version number"
);
validated_name!(
    /// A branch name (`feat/x` included).
    BranchName,
    "a branch name"
);
validated_name!(
    /// A tag name.
    TagName,
    "a tag name"
);

/// The branch names that become a pacticipant's main branch automatically (Pact Broker's
/// `auto_detect_main_branch`).
pub const MAIN_BRANCH_CANDIDATES: [&str; 3] = ["develop", "main", "master"];

/// The display name the Pact Broker derives from a name: words split on `-`, `_`, spaces and
/// lower-to-upper case changes, each capitalised (`foo-bar` → `Foo Bar`).
pub fn display_name_from(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for character in name.chars() {
        if matches!(character, '-' | '_' | ' ') {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if character.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = character.is_lowercase() || character.is_ascii_digit();
        current.push(character);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
        .iter()
        .map(|word| {
            let mut characters = word.chars();
            match characters.next() {
                Some(first) => first.to_uppercase().chain(characters).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_reject_blank_and_multiline() {
        assert!(PacticipantName::parse("  ").is_err());
        assert!(VersionNumber::parse("1\n2").is_err());
        assert_eq!(
            BranchName::parse("feat/x").map(|b| b.to_string()),
            Ok("feat/x".to_owned())
        );
    }

    #[test]
    fn display_names_follow_the_pact_broker() {
        assert_eq!(display_name_from("foo-bar"), "Foo Bar");
        assert_eq!(display_name_from("FooBar"), "Foo Bar");
        assert_eq!(display_name_from("Foo App"), "Foo App");
    }
}

/// The longest free-text value stored (a build URL, a repository URL, a display name, an
/// application instance), in bytes.
pub const MAX_TEXT_LENGTH: usize = 2048;

/// Checks a free-text value before it is stored: at most [`MAX_TEXT_LENGTH`] bytes and no
/// control characters (PostgreSQL cannot store NUL in text, and a line break would forge log
/// lines and headers). The message says what was found.
pub fn check_text(value: &str) -> Result<(), String> {
    if value.len() > MAX_TEXT_LENGTH {
        return Err(format!(
            "must be at most {MAX_TEXT_LENGTH} bytes long, found {}",
            value.len()
        ));
    }
    if let Some(control) = value.chars().find(|c| c.is_control()) {
        return Err(format!(
            "must not contain control characters, found U+{:04X}",
            u32::from(control)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn free_text_is_bounded_and_has_no_control_characters() {
        assert!(check_text("https://ci.example/build/1").is_ok());
        assert!(check_text("Orders service ✓").is_ok());
        assert!(check_text(&"x".repeat(MAX_TEXT_LENGTH)).is_ok());
        assert!(check_text(&"x".repeat(MAX_TEXT_LENGTH + 1)).is_err());
        for bad in ["a\u{0}b", "line\nbreak", "bell\u{7}", "tab\t"] {
            assert!(check_text(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_text("a\u{0}"),
            Err("must not contain control characters, found U+0000".to_owned())
        );
    }
}
