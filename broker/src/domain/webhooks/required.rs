//! Which provider versions must verify a newly published content: the Pact Broker's rule
//! (`calculate_required_verifications_for_pact`) as a pure function over loaded data.
//!
//! A provider version is required when it is the head of the provider's main branch, or is
//! currently deployed, or currently released and supported, and it has not verified the
//! content yet. One provider version in several of those roles is required once, with every
//! reason.

use std::collections::HashSet;

/// A provider version and why it would need to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The provider version's id.
    pub version_id: i64,
    /// Why: `latest from main branch`, `deployed in prod`, `released in prod`.
    pub description: String,
}

/// A provider version that must verify, with every reason, in the order first found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    /// The provider version's id.
    pub version_id: i64,
    /// Why, without repeats.
    pub descriptions: Vec<String>,
    /// Whether it is the head of the main branch.
    pub main_branch_head: bool,
}

/// The candidates of a provider, in the Pact Broker's order: the main branch head, then the
/// deployed versions, then the released ones.
pub fn candidates(
    main_branch_head: Option<i64>,
    deployed: &[(i64, String)],
    released: &[(i64, String)],
) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    if let Some(version_id) = main_branch_head {
        candidates.push(Candidate {
            version_id,
            description: "latest from main branch".to_owned(),
        });
    }
    candidates.extend(deployed.iter().map(|(version_id, environment)| Candidate {
        version_id: *version_id,
        description: format!("deployed in {environment}"),
    }));
    candidates.extend(released.iter().map(|(version_id, environment)| Candidate {
        version_id: *version_id,
        description: format!("released in {environment}"),
    }));
    candidates
}

/// The candidates that have not verified the content (`verified` holds the provider version
/// ids that have), one per provider version.
pub fn required_verifications(candidates: &[Candidate], verified: &HashSet<i64>) -> Vec<Required> {
    let mut required: Vec<Required> = Vec::new();
    for candidate in candidates {
        if verified.contains(&candidate.version_id) {
            continue;
        }
        let main = candidate.description == "latest from main branch";
        match required
            .iter_mut()
            .find(|entry| entry.version_id == candidate.version_id)
        {
            Some(entry) => {
                if !entry.descriptions.contains(&candidate.description) {
                    entry.descriptions.push(candidate.description.clone());
                }
                entry.main_branch_head |= main;
            }
            None => required.push(Required {
                version_id: candidate.version_id,
                descriptions: vec![candidate.description.clone()],
                main_branch_head: main,
            }),
        }
    }
    required
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(version: i64, name: &str) -> (i64, String) {
        (version, name.to_owned())
    }

    #[test]
    fn required_verifications_follow_the_pact_broker_rule() {
        struct Case {
            name: &'static str,
            main: Option<i64>,
            deployed: Vec<(i64, String)>,
            released: Vec<(i64, String)>,
            verified: Vec<i64>,
            expected: Vec<(i64, Vec<&'static str>)>,
        }
        let cases = [
            Case {
                name: "no main branch and nothing deployed: nothing is required",
                main: None,
                deployed: vec![],
                released: vec![],
                verified: vec![],
                expected: vec![],
            },
            Case {
                name: "the main branch head that has not verified",
                main: Some(7),
                deployed: vec![],
                released: vec![],
                verified: vec![],
                expected: vec![(7, vec!["latest from main branch"])],
            },
            Case {
                name: "a main head that verified already is not required",
                main: Some(7),
                deployed: vec![env(3, "prod")],
                released: vec![],
                verified: vec![7],
                expected: vec![(3, vec!["deployed in prod"])],
            },
            Case {
                name: "one version in three roles is required once with every reason",
                main: Some(5),
                deployed: vec![env(5, "test"), env(5, "prod")],
                released: vec![env(5, "prod")],
                verified: vec![],
                expected: vec![(
                    5,
                    vec![
                        "latest from main branch",
                        "deployed in test",
                        "deployed in prod",
                        "released in prod",
                    ],
                )],
            },
            Case {
                name: "two instances in one environment give one reason",
                main: None,
                deployed: vec![env(4, "prod"), env(4, "prod")],
                released: vec![],
                verified: vec![],
                expected: vec![(4, vec!["deployed in prod"])],
            },
            Case {
                name: "order: main head, deployed, released",
                main: Some(9),
                deployed: vec![env(8, "prod")],
                released: vec![env(2, "store")],
                verified: vec![],
                expected: vec![
                    (9, vec!["latest from main branch"]),
                    (8, vec!["deployed in prod"]),
                    (2, vec!["released in store"]),
                ],
            },
        ];
        for case in cases {
            let found = required_verifications(
                &candidates(case.main, &case.deployed, &case.released),
                &case.verified.iter().copied().collect(),
            );
            let found: Vec<(i64, Vec<String>)> = found
                .into_iter()
                .map(|required| (required.version_id, required.descriptions))
                .collect();
            let expected: Vec<(i64, Vec<String>)> = case
                .expected
                .into_iter()
                .map(|(id, reasons)| (id, reasons.into_iter().map(str::to_owned).collect()))
                .collect();
            assert_eq!(found, expected, "{}", case.name);
        }
    }
}
