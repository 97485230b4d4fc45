//! can-i-deploy as tables, without a database: each case builds a small world of publications,
//! verifications, deployments and releases in memory (a [`MatrixSource`]), asks one question
//! through the same [`gather`] and [`decide`] the broker uses, and checks `deployable`, the
//! counts and a notice.

use std::collections::HashMap;
use std::convert::Infallible;

use crate::domain::matrix::load::{
    FoundPacticipant, GatherError, MatrixSource, PactFact, VerificationFact, answer, gather,
};
use crate::domain::matrix::query::parse_matrix_query;
use crate::domain::matrix::{
    EnvironmentFacts, Pacticipant, SelectedVersion, Selection, VerificationFacts, VersionFacts,
};

#[derive(Debug, Clone)]
struct Version {
    id: i64,
    pacticipant: i64,
    number: String,
    branches: Vec<String>,
    tags: Vec<String>,
}

#[derive(Debug, Clone)]
struct Deployment {
    version: i64,
    environment: String,
    instance: Option<String>,
    current: bool,
    released: bool,
}

/// An in-memory broker: what the tables describe.
#[derive(Debug, Default)]
struct World {
    pacticipants: Vec<(i64, String, Option<String>)>,
    versions: Vec<Version>,
    environments: Vec<String>,
    deployments: Vec<Deployment>,
    /// (consumer version, provider, content key).
    pacts: Vec<(i64, i64, String)>,
    /// (content key, provider version, success), oldest first.
    verifications: Vec<(String, i64, bool)>,
}

impl World {
    fn pacticipant(&mut self, name: &str) -> i64 {
        if let Some((id, _, _)) = self.pacticipants.iter().find(|(_, n, _)| n == name) {
            return *id;
        }
        let id = self.pacticipants.len() as i64 + 1;
        self.pacticipants.push((id, name.to_owned(), None));
        id
    }

    fn version(&mut self, name: &str, number: &str) -> i64 {
        let pacticipant = self.pacticipant(name);
        if let Some(version) = self
            .versions
            .iter()
            .find(|v| v.pacticipant == pacticipant && v.number == number)
        {
            return version.id;
        }
        let id = self.versions.len() as i64 + 100;
        self.versions.push(Version {
            id,
            pacticipant,
            number: number.to_owned(),
            branches: Vec::new(),
            tags: Vec::new(),
        });
        id
    }

    /// `consumer` `version` publishes content `content` for `provider`.
    fn publish(mut self, consumer: &str, version: &str, provider: &str, content: &str) -> Self {
        let consumer_version = self.version(consumer, version);
        let provider = self.pacticipant(provider);
        self.pacts
            .push((consumer_version, provider, content.to_owned()));
        self
    }

    /// `provider` `version` verifies content `content`.
    fn verify(mut self, provider: &str, version: &str, content: &str, success: bool) -> Self {
        let provider_version = self.version(provider, version);
        self.verifications
            .push((content.to_owned(), provider_version, success));
        self
    }

    fn environment(&mut self, environment: &str) {
        if !self.environments.iter().any(|e| e == environment) {
            self.environments.push(environment.to_owned());
        }
    }

    /// Records a deployment; the previous one of the same pacticipant and instance ends.
    fn deploy_instance(
        mut self,
        name: &str,
        version: &str,
        environment: &str,
        instance: Option<&str>,
    ) -> Self {
        self.environment(environment);
        let version = self.version(name, version);
        let pacticipant = self
            .versions
            .iter()
            .find(|v| v.id == version)
            .map(|v| v.pacticipant);
        let versions = self.versions.clone();
        for deployment in &mut self.deployments {
            let same_pacticipant = versions
                .iter()
                .any(|v| v.id == deployment.version && Some(v.pacticipant) == pacticipant);
            if same_pacticipant
                && !deployment.released
                && deployment.environment == environment
                && deployment.instance.as_deref() == instance
            {
                deployment.current = false;
            }
        }
        self.deployments.push(Deployment {
            version,
            environment: environment.to_owned(),
            instance: instance.map(str::to_owned),
            current: true,
            released: false,
        });
        self
    }

    fn deploy(self, name: &str, version: &str, environment: &str) -> Self {
        self.deploy_instance(name, version, environment, None)
    }

    fn undeploy(mut self, name: &str, version: &str, environment: &str) -> Self {
        let version = self.version(name, version);
        for deployment in &mut self.deployments {
            if deployment.version == version && deployment.environment == environment {
                deployment.current = false;
            }
        }
        self
    }

    fn release(mut self, name: &str, version: &str, environment: &str) -> Self {
        self.environment(environment);
        let version = self.version(name, version);
        self.deployments.push(Deployment {
            version,
            environment: environment.to_owned(),
            instance: None,
            current: true,
            released: true,
        });
        self
    }

    fn end_support(mut self, name: &str, version: &str, environment: &str) -> Self {
        let version = self.version(name, version);
        for deployment in &mut self.deployments {
            if deployment.released
                && deployment.version == version
                && deployment.environment == environment
            {
                deployment.current = false;
            }
        }
        self
    }

    fn branch(mut self, name: &str, version: &str, branch: &str) -> Self {
        let id = self.version(name, version);
        if let Some(version) = self.versions.iter_mut().find(|v| v.id == id) {
            version.branches.push(branch.to_owned());
        }
        self
    }

    fn main_branch(mut self, name: &str, branch: &str) -> Self {
        let id = self.pacticipant(name);
        if let Some(entry) = self.pacticipants.iter_mut().find(|(i, _, _)| *i == id) {
            entry.2 = Some(branch.to_owned());
        }
        self
    }

    fn with_environment(mut self, environment: &str) -> Self {
        self.environment(environment);
        self
    }

    fn name_of(&self, id: i64) -> Pacticipant {
        let name = self
            .pacticipants
            .iter()
            .find(|(i, _, _)| *i == id)
            .map(|(_, n, _)| n.clone())
            .unwrap_or_default();
        Pacticipant { id, name }
    }

    fn content_id(content: &str) -> i64 {
        content
            .bytes()
            .fold(0i64, |hash, byte| hash * 131 + i64::from(byte))
    }

    fn consumer_of_content(&self, content: &str) -> Option<i64> {
        self.pacts
            .iter()
            .find(|(_, _, c)| c == content)
            .and_then(|(cv, _, _)| {
                self.versions
                    .iter()
                    .find(|v| v.id == *cv)
                    .map(|v| v.pacticipant)
            })
    }
}

impl MatrixSource for World {
    type Error = Infallible;

    fn pacticipant(&mut self, name: &str) -> Result<Option<FoundPacticipant>, Infallible> {
        Ok(self
            .pacticipants
            .iter()
            .find(|(_, n, _)| n == name)
            .map(|(id, n, main)| FoundPacticipant {
                pacticipant: Pacticipant {
                    id: *id,
                    name: n.clone(),
                },
                main_branch: main.clone(),
            }))
    }

    fn environment_exists(&mut self, name: &str) -> Result<bool, Infallible> {
        Ok(self.environments.iter().any(|e| e == name))
    }

    fn version(
        &mut self,
        pacticipant_id: i64,
        number: &str,
    ) -> Result<Option<(i64, String)>, Infallible> {
        Ok(self
            .versions
            .iter()
            .find(|v| v.pacticipant == pacticipant_id && v.number == number)
            .map(|v| (v.id, v.number.clone())))
    }

    fn latest_version(
        &mut self,
        pacticipant_id: i64,
        tag: Option<&str>,
        branch: Option<&str>,
    ) -> Result<Option<(i64, String)>, Infallible> {
        Ok(self
            .versions
            .iter()
            .filter(|v| v.pacticipant == pacticipant_id)
            .filter(|v| tag.is_none_or(|tag| v.tags.iter().any(|t| t == tag)))
            .filter(|v| branch.is_none_or(|branch| v.branches.iter().any(|b| b == branch)))
            .max_by_key(|v| v.id)
            .map(|v| (v.id, v.number.clone())))
    }

    fn branch_versions(
        &mut self,
        pacticipant_id: i64,
        branch: &str,
        _limit: usize,
    ) -> Result<Vec<(i64, String)>, Infallible> {
        Ok(self
            .versions
            .iter()
            .rev()
            .filter(|v| v.pacticipant == pacticipant_id && v.branches.iter().any(|b| b == branch))
            .map(|v| (v.id, v.number.clone()))
            .collect())
    }

    fn tagged_versions(
        &mut self,
        pacticipant_id: i64,
        tag: &str,
        _limit: usize,
    ) -> Result<Vec<(i64, String)>, Infallible> {
        Ok(self
            .versions
            .iter()
            .rev()
            .filter(|v| v.pacticipant == pacticipant_id && v.tags.iter().any(|t| t == tag))
            .map(|v| (v.id, v.number.clone()))
            .collect())
    }

    fn versions_in_environment(
        &mut self,
        pacticipant_id: i64,
        environment: &str,
    ) -> Result<Vec<SelectedVersion>, Infallible> {
        let mut selected: Vec<SelectedVersion> = Vec::new();
        for deployment in self
            .deployments
            .iter()
            .filter(|d| d.current && d.environment == environment)
        {
            let Some(version) = self
                .versions
                .iter()
                .find(|v| v.id == deployment.version && v.pacticipant == pacticipant_id)
            else {
                continue;
            };
            if selected.iter().any(|s| s.id == version.id) {
                continue;
            }
            let selection = if deployment.released {
                Selection::Released {
                    environment: environment.to_owned(),
                }
            } else {
                Selection::Deployed {
                    environment: environment.to_owned(),
                    instance: deployment.instance.clone(),
                }
            };
            selected.push(SelectedVersion {
                id: version.id,
                number: version.number.clone(),
                selection,
            });
        }
        Ok(selected)
    }

    fn providers_of_versions(
        &mut self,
        consumer_version_ids: &[i64],
    ) -> Result<Vec<Pacticipant>, Infallible> {
        let mut ids: Vec<i64> = self
            .pacts
            .iter()
            .filter(|(cv, _, _)| consumer_version_ids.contains(cv))
            .map(|(_, p, _)| *p)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids.into_iter().map(|id| self.name_of(id)).collect())
    }

    fn providers_of(&mut self, consumer_id: i64) -> Result<Vec<Pacticipant>, Infallible> {
        let versions: Vec<i64> = self
            .versions
            .iter()
            .filter(|v| v.pacticipant == consumer_id)
            .map(|v| v.id)
            .collect();
        self.providers_of_versions(&versions)
    }

    fn consumers_of(&mut self, provider_id: i64) -> Result<Vec<Pacticipant>, Infallible> {
        let mut ids: Vec<i64> = self
            .pacts
            .iter()
            .filter(|(_, p, _)| *p == provider_id)
            .filter_map(|(cv, _, _)| {
                self.versions
                    .iter()
                    .find(|v| v.id == *cv)
                    .map(|v| v.pacticipant)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids.into_iter().map(|id| self.name_of(id)).collect())
    }

    fn pacts(
        &mut self,
        consumer_id: i64,
        consumer_version_ids: Option<&[i64]>,
        provider_id: i64,
        _limit: usize,
    ) -> Result<Vec<PactFact>, Infallible> {
        let mut latest: HashMap<i64, String> = HashMap::new();
        for (cv, p, content) in &self.pacts {
            let of_consumer = self
                .versions
                .iter()
                .any(|v| v.id == *cv && v.pacticipant == consumer_id);
            if *p == provider_id
                && of_consumer
                && consumer_version_ids.is_none_or(|ids| ids.contains(cv))
            {
                latest.insert(*cv, content.clone());
            }
        }
        let mut found: Vec<PactFact> = latest
            .into_iter()
            .map(|(cv, content)| PactFact {
                consumer_version_id: cv,
                content_id: Self::content_id(&content),
                sha: content,
                created_at: "2026-12-04T00:00:00.000Z".to_owned(),
            })
            .collect();
        found.sort_by_key(|pact| pact.consumer_version_id);
        Ok(found)
    }

    fn verifications(
        &mut self,
        consumer_id: i64,
        _provider_id: i64,
        content_id: i64,
        provider_version_ids: Option<&[i64]>,
        _limit: usize,
    ) -> Result<Vec<VerificationFact>, Infallible> {
        let mut latest: Vec<VerificationFact> = Vec::new();
        for (number, (content, pv, success)) in self.verifications.iter().enumerate() {
            if Self::content_id(content) != content_id
                || self.consumer_of_content(content) != Some(consumer_id)
                || !provider_version_ids.is_none_or(|ids| ids.contains(pv))
            {
                continue;
            }
            latest.retain(|fact| fact.provider_version_id != *pv);
            latest.push(VerificationFact {
                provider_version_id: *pv,
                verification: VerificationFacts {
                    success: *success,
                    number: number as i64 + 1,
                    verified_at: "2026-12-04T00:00:00.000Z".to_owned(),
                },
            });
        }
        Ok(latest)
    }

    fn version_facts(&mut self, version_id: i64) -> Result<VersionFacts, Infallible> {
        let version = self.versions.iter().find(|v| v.id == version_id).cloned();
        let environments = self
            .deployments
            .iter()
            .filter(|d| d.current && d.version == version_id)
            .map(|d| EnvironmentFacts {
                uuid: d.environment.clone(),
                name: d.environment.clone(),
                display_name: None,
                production: d.environment == "production",
            })
            .collect();
        Ok(
            version.map_or_else(VersionFacts::default, |v| VersionFacts {
                id: v.id,
                number: v.number,
                branches: v.branches,
                tags: v.tags,
                environments,
            }),
        )
    }
}

/// One row of a table: a world, a question and the answer expected.
struct Case {
    name: &'static str,
    world: fn() -> World,
    query: &'static str,
    deployable: Option<bool>,
    /// (success, failed, unknown).
    counts: (usize, usize, usize),
    /// A text that must appear in one of the notices (Pact Broker's or Treaty's).
    notice: &'static str,
}

/// `q[][pacticipant]=P&q[][version]=V&latestby=cvpv&environment=E`, as the CLI sends it.
macro_rules! to_env {
    ($pacticipant:literal, $version:literal, $environment:literal) => {
        concat!(
            "q[][pacticipant]=",
            $pacticipant,
            "&q[][version]=",
            $version,
            "&latestby=cvpv&environment=",
            $environment
        )
    };
}

fn check(case: &Case) {
    let mut world = (case.world)();
    let query =
        parse_matrix_query(case.query).unwrap_or_else(|faults| panic!("{}: {faults:?}", case.name));
    let facts = match gather(&mut world, query) {
        Ok(facts) => facts,
        Err(GatherError::Invalid(faults)) => panic!("{}: refused: {faults:?}", case.name),
        Err(GatherError::Source(never)) => match never {},
    };
    let answer = answer(facts);
    let notices: Vec<String> = answer
        .verdict
        .reasons
        .iter()
        .map(super::super::explain::reason_text)
        .chain(answer.explanation.iter().map(|line| line.text.clone()))
        .collect();
    let counts = &answer.verdict.counts;
    assert_eq!(
        answer.verdict.deployable, case.deployable,
        "{}: deployable; notices: {notices:#?}",
        case.name
    );
    assert_eq!(
        (counts.success, counts.failed, counts.unknown),
        case.counts,
        "{}: counts; notices: {notices:#?}",
        case.name
    );
    assert!(
        notices.iter().any(|notice| notice.contains(case.notice)),
        "{}: no notice contains {:?}; notices: {notices:#?}",
        case.name,
        case.notice
    );
}

fn web_needs_orders() -> World {
    World::default().publish("web", "1", "orders", "A")
}

#[test]
fn consumer_provider_and_both() {
    let cases = [
        Case {
            name: "consumer whose provider in the environment verified its pact",
            world: || {
                web_needs_orders().verify("orders", "4", "A", true).deploy(
                    "orders",
                    "4",
                    "production",
                )
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "All required verification results are published and successful",
        },
        Case {
            name: "a consumer cannot be deployed before its provider",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .with_environment("production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "There is no verified pact between version 1 of web and a version of orders currently in production (no version is currently recorded as deployed/released in this environment)",
        },
        Case {
            name: "the missing provider's fix is named",
            world: || web_needs_orders().with_environment("production"),
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "orders has no version recorded in production: record its deployment or release, or --ignore orders",
        },
        Case {
            name: "consumer whose deployed provider never verified its pact",
            world: || web_needs_orders().deploy("orders", "4", "production"),
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "no verification of web 1 (the version asked about) by orders 4 (deployed to production)",
        },
        Case {
            name: "consumer whose deployed provider failed its pact",
            world: || {
                web_needs_orders().verify("orders", "4", "A", false).deploy(
                    "orders",
                    "4",
                    "production",
                )
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(false),
            counts: (0, 1, 0),
            notice: "The verification for the pact between version 1 of web and the version of orders currently in production (4) failed",
        },
        Case {
            name: "provider verified the pact of the consumer deployed there",
            world: || {
                web_needs_orders()
                    .deploy("web", "1", "production")
                    .verify("orders", "5", "A", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 1 (deployed to production) with orders 5 (the version asked about): verified successfully",
        },
        Case {
            name: "provider that failed its deployed consumer's pact",
            world: || {
                web_needs_orders()
                    .deploy("web", "1", "production")
                    .verify("orders", "5", "A", false)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(false),
            counts: (0, 1, 0),
            notice: "The verification for the pact between the version of web currently in production (1) and version 5 of orders failed",
        },
        Case {
            name: "provider that has not verified its deployed consumer's pact",
            world: || {
                web_needs_orders()
                    .deploy("web", "1", "production")
                    .verify("orders", "4", "A", true)
                    .verify("orders", "5", "B", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "run orders' verification with the `deployedOrReleased` selector",
        },
        Case {
            name: "a provider whose consumers are not in the environment can deploy",
            world: || {
                web_needs_orders()
                    .verify("orders", "5", "A", false)
                    .with_environment("production")
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(true),
            counts: (0, 0, 0),
            notice: "There are no missing dependencies",
        },
        Case {
            name: "a service in the middle is checked as consumer and as provider",
            world: || {
                web_needs_orders()
                    .publish("orders", "5", "stock", "S")
                    .deploy("web", "1", "production")
                    .deploy("stock", "9", "production")
                    .verify("orders", "5", "A", true)
                    .verify("stock", "9", "S", false)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(false),
            counts: (1, 1, 0),
            notice: "The verification for the pact between version 5 of orders and the version of stock currently in production (9) failed",
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn environments_deployments_instances_and_releases() {
    let cases = [
        Case {
            name: "several environments: verified against what test runs",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "test")
                    .deploy("orders", "3", "production")
            },
            query: to_env!("web", "1", "test"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 4 (deployed to test): verified successfully",
        },
        Case {
            name: "several environments: not verified against what production runs",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "test")
                    .deploy("orders", "3", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "by orders 3 (deployed to production)",
        },
        Case {
            name: "a version deployed then undeployed no longer counts",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "production")
                    .undeploy("orders", "4", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "orders has no version recorded in production",
        },
        Case {
            name: "a new deployment replaces the previous one",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", false)
                    .deploy("orders", "4", "production")
                    .verify("orders", "5", "A", true)
                    .deploy("orders", "5", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 5 (deployed to production)",
        },
        Case {
            name: "application instances coexist, and each must be compatible",
            world: || {
                web_needs_orders()
                    .verify("orders", "3", "A", false)
                    .verify("orders", "4", "A", true)
                    .deploy_instance("orders", "3", "production", Some("eu"))
                    .deploy_instance("orders", "4", "production", Some("us"))
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(false),
            counts: (1, 1, 0),
            notice: "orders 3 (deployed to production as eu): the verification failed",
        },
        Case {
            name: "a pact verified by one of two instances counts as verified (Pact Broker semantics)",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .deploy_instance("orders", "3", "production", Some("eu"))
                    .deploy_instance("orders", "4", "production", Some("us"))
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 4 (deployed to production as us): verified successfully",
        },
        Case {
            name: "every supported release of a consumer must be verified",
            world: || {
                web_needs_orders()
                    .publish("web", "2", "orders", "B")
                    .release("web", "1", "production")
                    .release("web", "2", "production")
                    .verify("orders", "5", "A", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: None,
            counts: (1, 0, 1),
            notice: "There is no verified pact between one of the versions of web currently in production (2) and version 5 of orders",
        },
        Case {
            name: "a release whose support ended no longer counts",
            world: || {
                web_needs_orders()
                    .publish("web", "2", "orders", "B")
                    .release("web", "1", "production")
                    .release("web", "2", "production")
                    .end_support("web", "2", "production")
                    .verify("orders", "5", "A", true)
            },
            query: to_env!("orders", "5", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 1 (released to production) with orders 5",
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn verifications_content_and_integrations() {
    let cases = [
        Case {
            name: "a failed then fixed verification by the same provider version",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", false)
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "All required verification results are published and successful",
        },
        Case {
            name: "content shared by two consumer versions is verified once",
            world: || {
                web_needs_orders()
                    .publish("web", "2", "orders", "A")
                    .verify("orders", "4", "A", true)
                    .deploy("orders", "4", "production")
            },
            query: to_env!("web", "2", "production"),
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 2 (the version asked about) with orders 4",
        },
        Case {
            name: "an application without integrations can deploy",
            world: || {
                let mut world = web_needs_orders().with_environment("production");
                world.version("lonely", "1");
                world
            },
            query: to_env!("lonely", "1", "production"),
            deployable: Some(true),
            counts: (0, 0, 0),
            notice: "There are no missing dependencies",
        },
        Case {
            name: "a version that does not exist is not deployable",
            world: || web_needs_orders().deploy("orders", "4", "production"),
            query: to_env!("web", "9", "production"),
            deployable: Some(false),
            counts: (0, 0, 0),
            notice: "No pacts or verifications have been published for version 9 of web",
        },
        Case {
            name: "unknown beats failed",
            world: || {
                web_needs_orders()
                    .publish("web", "1", "stock", "S")
                    .verify("orders", "4", "A", false)
                    .deploy("orders", "4", "production")
                    .deploy("stock", "2", "production")
            },
            query: to_env!("web", "1", "production"),
            deployable: None,
            counts: (0, 1, 1),
            notice: "The verification for the pact between version 1 of web and the version of orders currently in production (4) failed",
        },
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn ignore_release_together_and_merge() {
    let cases = [
        Case {
            name: "--ignore leaves the missing provider out",
            world: || web_needs_orders().with_environment("production"),
            query: "q[][pacticipant]=web&q[][version]=1&ignore[][pacticipant]=orders&latestby=cvpv&environment=production",
            deployable: Some(true),
            counts: (0, 0, 0),
            notice: "ignored as asked: web 1 (the version asked about) with orders",
        },
        Case {
            name: "--ignore of a pacticipant that does not exist warns",
            world: || {
                web_needs_orders().verify("orders", "4", "A", true).deploy(
                    "orders",
                    "4",
                    "production",
                )
            },
            query: "q[][pacticipant]=web&q[][version]=1&ignore[][pacticipant]=nobody&latestby=cvpv&environment=production",
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "WARN: Cannot ignore any version of nobody (no such pacticipant exists)",
        },
        Case {
            name: "alone, the new consumer is not verified by the provider in production",
            world: release_together_world,
            query: to_env!("web", "2", "production"),
            deployable: None,
            counts: (0, 0, 1),
            notice: "by orders 4 (deployed to production)",
        },
        Case {
            name: "two applications released together are checked against each other",
            world: release_together_world,
            query: "q[][pacticipant]=web&q[][version]=2&q[][pacticipant]=orders&q[][version]=5&latestby=cvpv&environment=production",
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "web 2 (the version asked about) with orders 5 (the version asked about): verified successfully",
        },
        Case {
            name: "can-i-merge: compatible with the latest main-branch version of the provider",
            world: merge_world,
            query: "q[][pacticipant]=web&q[][version]=2&latestby=cvp&latest=true&mainBranch=true",
            deployable: Some(true),
            counts: (1, 0, 0),
            notice: "orders 6 (latest on main branch main): verified successfully",
        },
        Case {
            name: "can-i-merge: the newest main-branch version has not verified it",
            world: || merge_world().branch("orders", "7", "main"),
            query: "q[][pacticipant]=web&q[][version]=2&latestby=cvp&latest=true&mainBranch=true",
            deployable: None,
            counts: (0, 0, 1),
            notice: "the latest version of orders from the main branch (7)",
        },
        Case {
            name: "no destination: checked against the latest version of the provider",
            world: || {
                web_needs_orders()
                    .verify("orders", "4", "A", true)
                    .verify("orders", "5", "A", false)
            },
            query: "q[][pacticipant]=web&q[][version]=1&latestby=cvp&latest=true",
            deployable: Some(false),
            counts: (0, 1, 0),
            notice: "WARN: It is recommended to specify the environment",
        },
    ];
    for case in &cases {
        check(case);
    }
}

/// Production runs web 1 and orders 4 (compatible); web 2 and orders 5 verified each other.
fn release_together_world() -> World {
    web_needs_orders()
        .verify("orders", "4", "A", true)
        .deploy("web", "1", "production")
        .deploy("orders", "4", "production")
        .publish("web", "2", "orders", "B")
        .verify("orders", "5", "B", true)
        .verify("orders", "5", "A", true)
}

/// web 2 on a feature branch; orders' main branch is at 6, which verified web 2's pact.
fn merge_world() -> World {
    web_needs_orders()
        .publish("web", "2", "orders", "B")
        .branch("web", "2", "feat/x")
        .main_branch("orders", "main")
        .verify("orders", "6", "B", true)
        .branch("orders", "6", "main")
}

#[test]
fn unknown_pacticipants_and_environments_are_refused() {
    let mut world = web_needs_orders().with_environment("production");
    let query = parse_matrix_query("q[][pacticipant]=nobody&q[][version]=1&environment=staging")
        .unwrap_or_else(|faults| panic!("{faults:?}"));
    match gather(&mut world, query) {
        Err(GatherError::Invalid(faults)) => {
            let messages: Vec<(&str, &str)> = faults
                .iter()
                .map(|f| (f.field.as_str(), f.message.as_str()))
                .collect();
            assert_eq!(
                messages,
                vec![
                    ("q[0][pacticipant]", "Pacticipant nobody not found"),
                    (
                        "environment",
                        "Environment with name 'staging' does not exist"
                    ),
                ]
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}
