//! An in-memory broker for the can-i-deploy tables: versions, branches, publications,
//! verifications, deployments and releases in vectors, answering [`MatrixSource`] the way the
//! database does (the latest verification per content and provider version, current
//! deployments only, a new deployment ending the previous one of the same instance).

use std::collections::HashMap;
use std::convert::Infallible;

use crate::domain::matrix::load::{FoundPacticipant, MatrixSource, PactFact, VerificationFact};
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
pub(super) struct World {
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

    pub(super) fn version(&mut self, name: &str, number: &str) -> i64 {
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
    pub(super) fn publish(
        mut self,
        consumer: &str,
        version: &str,
        provider: &str,
        content: &str,
    ) -> Self {
        let consumer_version = self.version(consumer, version);
        let provider = self.pacticipant(provider);
        self.pacts
            .push((consumer_version, provider, content.to_owned()));
        self
    }

    /// `provider` `version` verifies content `content`.
    pub(super) fn verify(
        mut self,
        provider: &str,
        version: &str,
        content: &str,
        success: bool,
    ) -> Self {
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
    pub(super) fn deploy_instance(
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

    pub(super) fn deploy(self, name: &str, version: &str, environment: &str) -> Self {
        self.deploy_instance(name, version, environment, None)
    }

    pub(super) fn undeploy(mut self, name: &str, version: &str, environment: &str) -> Self {
        let version = self.version(name, version);
        for deployment in &mut self.deployments {
            if deployment.version == version && deployment.environment == environment {
                deployment.current = false;
            }
        }
        self
    }

    pub(super) fn release(mut self, name: &str, version: &str, environment: &str) -> Self {
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

    pub(super) fn end_support(mut self, name: &str, version: &str, environment: &str) -> Self {
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

    pub(super) fn branch(mut self, name: &str, version: &str, branch: &str) -> Self {
        let id = self.version(name, version);
        if let Some(version) = self.versions.iter_mut().find(|v| v.id == id) {
            version.branches.push(branch.to_owned());
        }
        self
    }

    pub(super) fn main_branch(mut self, name: &str, branch: &str) -> Self {
        let id = self.pacticipant(name);
        if let Some(entry) = self.pacticipants.iter_mut().find(|(i, _, _)| *i == id) {
            entry.2 = Some(branch.to_owned());
        }
        self
    }

    pub(super) fn with_environment(mut self, environment: &str) -> Self {
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
        pacticipant_ids: &[i64],
        environment: &str,
    ) -> Result<Vec<(i64, SelectedVersion)>, Infallible> {
        let mut selected: Vec<(i64, SelectedVersion)> = Vec::new();
        for deployment in self
            .deployments
            .iter()
            .filter(|d| d.current && d.environment == environment)
        {
            let Some(version) = self
                .versions
                .iter()
                .find(|v| v.id == deployment.version && pacticipant_ids.contains(&v.pacticipant))
            else {
                continue;
            };
            if selected.iter().any(|(_, s)| s.id == version.id) {
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
            selected.push((
                version.pacticipant,
                SelectedVersion {
                    id: version.id,
                    number: version.number.clone(),
                    selection,
                },
            ));
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

    fn pacts_of_versions(
        &mut self,
        consumer_version_ids: &[i64],
        provider_ids: &[i64],
    ) -> Result<Vec<PactFact>, Infallible> {
        Ok(self
            .pacts_where(|cv, p| consumer_version_ids.contains(&cv) && provider_ids.contains(&p)))
    }

    fn recent_pacts(
        &mut self,
        consumer_id: i64,
        provider_id: i64,
        _limit: usize,
    ) -> Result<Vec<PactFact>, Infallible> {
        let of_consumer: Vec<i64> = self
            .versions
            .iter()
            .filter(|v| v.pacticipant == consumer_id)
            .map(|v| v.id)
            .collect();
        Ok(self.pacts_where(|cv, p| p == provider_id && of_consumer.contains(&cv)))
    }

    fn verifications_by_versions(
        &mut self,
        content_ids: &[i64],
        provider_version_ids: &[i64],
    ) -> Result<Vec<VerificationFact>, Infallible> {
        Ok(self.latest_verifications_where(|content, pv| {
            content_ids.contains(&content) && provider_version_ids.contains(&pv)
        }))
    }

    fn recent_verifications(
        &mut self,
        consumer_id: i64,
        _provider_id: i64,
        content_id: i64,
        _limit: usize,
    ) -> Result<Vec<VerificationFact>, Infallible> {
        Ok(self
            .latest_verifications_where(|content, _| content == content_id)
            .into_iter()
            .filter(|fact| fact.consumer_id == consumer_id)
            .collect())
    }

    fn versions_facts(&mut self, version_ids: &[i64]) -> Result<Vec<VersionFacts>, Infallible> {
        Ok(version_ids
            .iter()
            .filter(|id| self.versions.iter().any(|v| v.id == **id))
            .map(|id| self.version_facts(*id))
            .collect())
    }
}

impl World {
    /// The newest pact of each (consumer version, provider) that `wanted` accepts.
    fn pacts_where(&self, wanted: impl Fn(i64, i64) -> bool) -> Vec<PactFact> {
        let mut latest: HashMap<(i64, i64), String> = HashMap::new();
        for (cv, p, content) in &self.pacts {
            if wanted(*cv, *p) {
                latest.insert((*cv, *p), content.clone());
            }
        }
        let mut found: Vec<PactFact> = latest
            .into_iter()
            .map(|((cv, p), content)| PactFact {
                consumer_version_id: cv,
                provider_id: p,
                content_id: Self::content_id(&content),
                sha: content,
                created_at: "2026-12-04T00:00:00.000Z".to_owned(),
            })
            .collect();
        found.sort_by_key(|pact| (pact.consumer_version_id, pact.provider_id));
        found
    }

    /// The latest verification of each (consumer, content, provider version) that `wanted`
    /// accepts (by content id and provider version).
    fn latest_verifications_where(
        &self,
        wanted: impl Fn(i64, i64) -> bool,
    ) -> Vec<VerificationFact> {
        let mut latest: Vec<VerificationFact> = Vec::new();
        for (number, (content, pv, success)) in self.verifications.iter().enumerate() {
            let content_id = Self::content_id(content);
            let Some(consumer_id) = self.consumer_of_content(content) else {
                continue;
            };
            if !wanted(content_id, *pv) {
                continue;
            }
            latest.retain(|fact| {
                (fact.consumer_id, fact.content_id, fact.provider_version_id)
                    != (consumer_id, content_id, *pv)
            });
            latest.push(VerificationFact {
                consumer_id,
                content_id,
                provider_version_id: *pv,
                verification: VerificationFacts {
                    success: *success,
                    number: number as i64 + 1,
                    verified_at: "2026-12-04T00:00:00.000Z".to_owned(),
                },
            });
        }
        latest
    }

    /// Number, branches, tags and current environments of one version.
    fn version_facts(&self, version_id: i64) -> VersionFacts {
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
        version.map_or_else(VersionFacts::default, |v| VersionFacts {
            id: v.id,
            number: v.number,
            branches: v.branches,
            tags: v.tags,
            environments,
        })
    }
}
