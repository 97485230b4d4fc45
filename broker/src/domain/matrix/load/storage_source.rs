//! [`MatrixSource`] over the database: each method is one function of
//! [`crate::storage::matrix`] (or of the version, branch and tag storage), named after its query;
//! the indexes each one uses are listed there.

use std::collections::HashMap;

use crate::domain::matrix::load::{FoundPacticipant, MatrixSource, PactFact, VerificationFact};
use crate::domain::matrix::{
    EnvironmentFacts, Pacticipant, SelectedVersion, Selection, VerificationFacts, VersionFacts,
};
use crate::storage::models::{PacticipantRow, VerificationRow};
use crate::storage::{AnyConnection, StorageError, environments, matrix, pacticipants, versions};

/// [`MatrixSource`] over the database, one storage function per method. A question names the
/// same pacticipants and environment several times (as selectors, counterparts and
/// destinations), so their look-ups are kept for the question's lifetime.
pub struct StorageSource<'a> {
    /// The connection the reads run on.
    conn: &'a mut AnyConnection,
    /// Pacticipants looked up by name so far.
    pacticipants: HashMap<String, Option<FoundPacticipant>>,
    /// Environment ids looked up by name so far.
    environments: HashMap<String, Option<i64>>,
}

impl<'a> StorageSource<'a> {
    /// A source reading through `conn`, with nothing looked up yet.
    pub fn new(conn: &'a mut AnyConnection) -> Self {
        Self {
            conn,
            pacticipants: HashMap::new(),
            environments: HashMap::new(),
        }
    }

    /// Keeps the counterparts' rows a listing found, so that the question does not look them up
    /// again by name, and hands back their ids and names.
    fn remember(&mut self, rows: Vec<PacticipantRow>) -> Vec<Pacticipant> {
        rows.into_iter()
            .map(|row| {
                let pacticipant = Pacticipant {
                    id: row.id,
                    name: row.name,
                };
                self.pacticipants.insert(
                    pacticipant.name.clone(),
                    Some(FoundPacticipant {
                        pacticipant: pacticipant.clone(),
                        main_branch: row.main_branch,
                    }),
                );
                pacticipant
            })
            .collect()
    }

    /// The id of the environment named `name`, looked up once per question.
    fn environment_id(&mut self, name: &str) -> Result<Option<i64>, StorageError> {
        if let Some(known) = self.environments.get(name) {
            return Ok(*known);
        }
        let id = environments::find_environment_by_name(self.conn, name)?.map(|row| row.id);
        self.environments.insert(name.to_owned(), id);
        Ok(id)
    }
}

fn as_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

impl MatrixSource for StorageSource<'_> {
    type Error = StorageError;

    fn pacticipant(&mut self, name: &str) -> Result<Option<FoundPacticipant>, StorageError> {
        if let Some(known) = self.pacticipants.get(name) {
            return Ok(known.clone());
        }
        let found = pacticipants::find_pacticipant(self.conn, name)?.map(|row| FoundPacticipant {
            pacticipant: Pacticipant {
                id: row.id,
                name: row.name,
            },
            main_branch: row.main_branch,
        });
        self.pacticipants.insert(name.to_owned(), found.clone());
        Ok(found)
    }

    fn environment_exists(&mut self, name: &str) -> Result<bool, StorageError> {
        Ok(self.environment_id(name)?.is_some())
    }

    fn version(
        &mut self,
        pacticipant_id: i64,
        number: &str,
    ) -> Result<Option<(i64, String)>, StorageError> {
        Ok(versions::find_version(self.conn, pacticipant_id, number)?
            .map(|row| (row.id, row.number)))
    }

    fn latest_version(
        &mut self,
        pacticipant_id: i64,
        tag: Option<&str>,
        branch: Option<&str>,
    ) -> Result<Option<(i64, String)>, StorageError> {
        let row = match (tag, branch) {
            (Some(tag), _) => matrix::find_head_version(self.conn, pacticipant_id, "tag", tag)?,
            (None, Some(branch)) => {
                matrix::find_head_version(self.conn, pacticipant_id, "branch", branch)?
            }
            (None, None) => versions::find_latest_version(self.conn, pacticipant_id)?,
        };
        Ok(row.map(|row| (row.id, row.number)))
    }

    fn branch_versions(
        &mut self,
        pacticipant_id: i64,
        branch: &str,
        limit: usize,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        Ok(
            matrix::list_branch_versions(self.conn, pacticipant_id, branch, as_limit(limit))?
                .into_iter()
                .map(|row| (row.id, row.number))
                .collect(),
        )
    }

    fn tagged_versions(
        &mut self,
        pacticipant_id: i64,
        tag: &str,
        limit: usize,
    ) -> Result<Vec<(i64, String)>, StorageError> {
        Ok(
            matrix::list_tagged_versions(self.conn, pacticipant_id, tag, as_limit(limit))?
                .into_iter()
                .map(|row| (row.id, row.number))
                .collect(),
        )
    }

    fn versions_in_environment(
        &mut self,
        pacticipant_ids: &[i64],
        environment: &str,
    ) -> Result<Vec<(i64, SelectedVersion)>, StorageError> {
        let Some(environment_id) = self.environment_id(environment)? else {
            return Ok(Vec::new());
        };
        let mut selected: Vec<(i64, SelectedVersion)> = Vec::new();
        for entry in
            matrix::list_versions_in_environment(self.conn, environment_id, pacticipant_ids)?
        {
            let selection = match entry.deployed_as {
                Some(instance) => Selection::Deployed {
                    environment: environment.to_owned(),
                    instance,
                },
                None => Selection::Released {
                    environment: environment.to_owned(),
                },
            };
            if !selected
                .iter()
                .any(|(_, existing)| existing.id == entry.version.id)
            {
                selected.push((
                    entry.version.pacticipant_id,
                    SelectedVersion {
                        id: entry.version.id,
                        number: entry.version.number,
                        selection,
                    },
                ));
            }
        }
        Ok(selected)
    }

    fn providers_of_versions(
        &mut self,
        consumer_version_ids: &[i64],
    ) -> Result<Vec<Pacticipant>, StorageError> {
        let rows = matrix::list_providers_of_consumer_versions(self.conn, consumer_version_ids)?;
        Ok(self.remember(rows))
    }

    fn providers_of(&mut self, consumer_id: i64) -> Result<Vec<Pacticipant>, StorageError> {
        let rows = matrix::list_providers_of_consumer(self.conn, consumer_id)?;
        Ok(self.remember(rows))
    }

    fn consumers_of(&mut self, provider_id: i64) -> Result<Vec<Pacticipant>, StorageError> {
        let rows = matrix::list_consumers_of_provider(self.conn, provider_id)?;
        Ok(self.remember(rows))
    }

    fn pacts_of_versions(
        &mut self,
        consumer_version_ids: &[i64],
        provider_ids: &[i64],
    ) -> Result<Vec<PactFact>, StorageError> {
        Ok(
            matrix::list_pacts_of_consumer_versions(self.conn, consumer_version_ids, provider_ids)?
                .into_iter()
                .map(pact_fact)
                .collect(),
        )
    }

    fn recent_pacts(
        &mut self,
        consumer_id: i64,
        provider_id: i64,
        limit: usize,
    ) -> Result<Vec<PactFact>, StorageError> {
        Ok(matrix::list_recent_pacts_of_integration(
            self.conn,
            consumer_id,
            provider_id,
            as_limit(limit),
        )?
        .into_iter()
        .map(pact_fact)
        .collect())
    }

    fn verifications_by_versions(
        &mut self,
        content_ids: &[i64],
        provider_version_ids: &[i64],
    ) -> Result<Vec<VerificationFact>, StorageError> {
        Ok(matrix::list_latest_verifications_by_versions(
            self.conn,
            content_ids,
            provider_version_ids,
        )?
        .into_iter()
        .map(verification_fact)
        .collect())
    }

    fn recent_verifications(
        &mut self,
        consumer_id: i64,
        provider_id: i64,
        content_id: i64,
        limit: usize,
    ) -> Result<Vec<VerificationFact>, StorageError> {
        Ok(matrix::list_recent_verifications_of_content(
            self.conn,
            consumer_id,
            provider_id,
            content_id,
            as_limit(limit),
        )?
        .into_iter()
        .map(verification_fact)
        .collect())
    }

    fn versions_facts(&mut self, version_ids: &[i64]) -> Result<Vec<VersionFacts>, StorageError> {
        if version_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut facts: HashMap<i64, VersionFacts> =
            versions::find_versions_by_ids(self.conn, version_ids)?
                .into_iter()
                .map(|row| {
                    let facts = VersionFacts {
                        id: row.id,
                        number: row.number,
                        ..VersionFacts::default()
                    };
                    (row.id, facts)
                })
                .collect();
        for (version_id, name) in matrix::list_branch_names_of_versions(self.conn, version_ids)? {
            if let Some(version) = facts.get_mut(&version_id) {
                version.branches.push(name);
            }
        }
        for (version_id, name) in matrix::list_tag_names_of_versions(self.conn, version_ids)? {
            if let Some(version) = facts.get_mut(&version_id) {
                version.tags.push(name);
            }
        }
        for (version_id, row) in
            matrix::list_current_environments_of_versions(self.conn, version_ids)?
        {
            if let Some(version) = facts.get_mut(&version_id) {
                version.environments.push(EnvironmentFacts {
                    uuid: row.uuid,
                    name: row.name,
                    display_name: row.display_name,
                    production: row.production,
                });
            }
        }
        Ok(facts.into_values().collect())
    }
}

fn pact_fact(pact: matrix::PactOfVersion) -> PactFact {
    PactFact {
        consumer_version_id: pact.publication.consumer_version_id,
        provider_id: pact.publication.provider_id,
        content_id: pact.publication.content_id,
        sha: pact.sha,
        created_at: pact.publication.created_at,
    }
}

fn verification_fact(row: VerificationRow) -> VerificationFact {
    VerificationFact {
        consumer_id: row.consumer_id,
        content_id: row.content_id,
        provider_version_id: row.provider_version_id,
        verification: VerificationFacts {
            success: row.success,
            number: row.number,
            verified_at: row.created_at,
        },
    }
}
