//! The opaque metadata segment of a pact URL (`…/pact-version/SHA/metadata/M`): what the pacts
//! for verification knew when they handed the pact out (whether it was WIP, whether it was
//! pending), so that a result posted through that URL is stored with it.
//!
//! The token is base64url without padding of a short query string (`w=false&p=true`), after the
//! Pact Broker's Rack-style query; clients treat it as opaque. Decoding is lenient: a token
//! Treaty did not write (or an older broker's, such as `s[][l]=true`) decodes to no metadata,
//! because the pact it addresses is the same either way.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// What a pact URL's metadata records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PactMetadata {
    /// The pact was handed out as work in progress.
    pub wip: bool,
    /// The pact was pending for the provider branch (`None` when pending was not asked for).
    pub pending: Option<bool>,
}

impl PactMetadata {
    /// The URL-safe token for this metadata.
    pub fn encode(&self) -> String {
        // `w` is always written, so that the token (a path segment) is never empty.
        let mut pairs: Vec<&str> = vec![if self.wip { "w=true" } else { "w=false" }];
        match self.pending {
            Some(true) => pairs.push("p=true"),
            Some(false) => pairs.push("p=false"),
            None => {}
        }
        URL_SAFE_NO_PAD.encode(pairs.join("&"))
    }

    /// Reads a token; anything unreadable is no metadata.
    pub fn decode(token: &str) -> Self {
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(token.trim_end_matches('=')) else {
            return Self::default();
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Self::default();
        };
        let mut metadata = Self::default();
        for pair in text.split('&') {
            match pair.split_once('=') {
                Some(("w", value)) => metadata.wip = value == "true",
                Some(("p", value)) => metadata.pending = Some(value == "true"),
                _ => {}
            }
        }
        metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_unknown_tokens_mean_nothing() {
        let cases = [
            PactMetadata::default(),
            PactMetadata {
                wip: true,
                pending: Some(true),
            },
            PactMetadata {
                wip: false,
                pending: Some(false),
            },
        ];
        for metadata in cases {
            let token = metadata.encode();
            assert!(
                token
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{token}"
            );
            assert_eq!(PactMetadata::decode(&token), metadata, "{token}");
        }
        // The Pact Broker's `s[][l]=true` and garbage both carry no WIP or pending flag.
        assert_eq!(
            PactMetadata::decode("c1tdW2xdPXRydWU"),
            PactMetadata::default()
        );
        assert_eq!(PactMetadata::decode("%%%"), PactMetadata::default());
        assert_eq!(
            PactMetadata::decode(&URL_SAFE_NO_PAD.encode("w=true")),
            PactMetadata {
                wip: true,
                pending: None
            }
        );
    }
}
