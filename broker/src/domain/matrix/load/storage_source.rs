//! [`MatrixSource`] over the database: each method is one function of
//! [`crate::storage::matrix`] (or of the version, branch and tag storage), named after its query;
//! the indexes each one uses are listed there.

use crate::domain::matrix::load::{FoundPacticipant, MatrixSource, PactFact, VerificationFact};
use crate::domain::matrix::{
    EnvironmentFacts, Pacticipant, SelectedVersion, Selection, VerificationFacts, VersionFacts,
};
use crate::storage::{
    AnyConnection, StorageError, branches, environments, matrix, pacticipants, tags, versions,
};

/// [`MatrixSource`] over the database, one storage function per method.
pub struct StorageSource<'a> {
    /// The connection the reads run on.
    pub conn: &'a mut AnyConnection,
}

fn as_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

impl MatrixSource for StorageSource<'_> {
    type Error = StorageError;

    fn pacticipant(&mut self, name: &str) -> Result<Option<FoundPacticipant>, StorageError> {
        Ok(
            pacticipants::find_pacticipant(self.conn, name)?.map(|row| FoundPacticipant {
                pacticipant: Pacticipant {
                    id: row.id,
                    name: row.name,
                },
                main_branch: row.main_branch,
            }),
        )
    }

    fn environment_exists(&mut self, name: &str) -> Result<bool, StorageError> {
        Ok(environments::find_environment_by_name(self.conn, name)?.is_some())
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
        pacticipant_id: i64,
        environment: &str,
    ) -> Result<Vec<SelectedVersion>, StorageError> {
        let Some(found) = environments::find_environment_by_name(self.conn, environment)? else {
            return Ok(Vec::new());
        };
        let mut selected: Vec<SelectedVersion> = Vec::new();
        for entry in matrix::list_versions_in_environment(self.conn, found.id, pacticipant_id)? {
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
                .any(|existing| existing.id == entry.version.id)
            {
                selected.push(SelectedVersion {
                    id: entry.version.id,
                    number: entry.version.number,
                    selection,
                });
            }
        }
        Ok(selected)
    }

    fn providers_of_versions(
        &mut self,
        consumer_version_ids: &[i64],
    ) -> Result<Vec<Pacticipant>, StorageError> {
        Ok(pacticipants_from(
            matrix::list_providers_of_consumer_versions(self.conn, consumer_version_ids)?,
        ))
    }

    fn providers_of(&mut self, consumer_id: i64) -> Result<Vec<Pacticipant>, StorageError> {
        Ok(pacticipants_from(matrix::list_providers_of_consumer(
            self.conn,
            consumer_id,
        )?))
    }

    fn consumers_of(&mut self, provider_id: i64) -> Result<Vec<Pacticipant>, StorageError> {
        Ok(pacticipants_from(matrix::list_consumers_of_provider(
            self.conn,
            provider_id,
        )?))
    }

    fn pacts(
        &mut self,
        consumer_id: i64,
        consumer_version_ids: Option<&[i64]>,
        provider_id: i64,
        limit: usize,
    ) -> Result<Vec<PactFact>, StorageError> {
        let found = match consumer_version_ids {
            Some(ids) => matrix::list_pacts_of_consumer_versions(self.conn, ids, provider_id)?,
            None => matrix::list_recent_pacts_of_integration(
                self.conn,
                consumer_id,
                provider_id,
                as_limit(limit),
            )?,
        };
        Ok(found
            .into_iter()
            .map(|pact| PactFact {
                consumer_version_id: pact.publication.consumer_version_id,
                content_id: pact.publication.content_id,
                sha: pact.sha,
                created_at: pact.publication.created_at,
            })
            .collect())
    }

    fn verifications(
        &mut self,
        consumer_id: i64,
        provider_id: i64,
        content_id: i64,
        provider_version_ids: Option<&[i64]>,
        limit: usize,
    ) -> Result<Vec<VerificationFact>, StorageError> {
        let rows = match provider_version_ids {
            Some(ids) => matrix::list_latest_verifications_by_versions(
                self.conn,
                consumer_id,
                content_id,
                ids,
            )?,
            None => matrix::list_recent_verifications_of_content(
                self.conn,
                consumer_id,
                provider_id,
                content_id,
                as_limit(limit),
            )?,
        };
        Ok(rows
            .into_iter()
            .map(|row| VerificationFact {
                provider_version_id: row.provider_version_id,
                verification: VerificationFacts {
                    success: row.success,
                    number: row.number,
                    verified_at: row.created_at,
                },
            })
            .collect())
    }

    fn version_facts(&mut self, version_id: i64) -> Result<VersionFacts, StorageError> {
        let number = versions::find_versions_by_ids(self.conn, &[version_id])?
            .into_iter()
            .next()
            .map(|row| row.number)
            .unwrap_or_default();
        let branches = branches::list_branches_of_version(self.conn, version_id)?
            .into_iter()
            .map(|(branch, _)| branch.name)
            .collect();
        let tags = tags::list_tags_for_version(self.conn, version_id)?
            .into_iter()
            .map(|row| row.name)
            .collect();
        let environments = matrix::list_current_environments_of_version(self.conn, version_id)?
            .into_iter()
            .map(|(row, _)| EnvironmentFacts {
                uuid: row.uuid,
                name: row.name,
                display_name: row.display_name,
                production: row.production,
            })
            .collect();
        Ok(VersionFacts {
            id: version_id,
            number,
            branches,
            tags,
            environments,
        })
    }
}

fn pacticipants_from(rows: Vec<(i64, String)>) -> Vec<Pacticipant> {
    rows.into_iter()
        .map(|(id, name)| Pacticipant { id, name })
        .collect()
}
