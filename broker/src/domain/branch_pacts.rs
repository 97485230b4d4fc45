//! Pacts of a provider by consumer branch: the `get-pacts` listings (pact-broker-api.md §3.8),
//! for a named branch or each consumer's main branch, all versions or only each branch head.

use std::collections::{HashMap, HashSet};

use crate::domain::pacticipants::require_pacticipant;
use crate::domain::pacts::PactSummary;
use crate::domain::{BranchName, DomainError, PacticipantName};
use crate::storage::{Db, branches, pacticipants, publications};

/// Which consumer branches.
#[derive(Debug, Clone)]
pub enum BranchSelection {
    /// Each consumer's main branch.
    Main,
    /// Branches with this name.
    Named(BranchName),
}

/// The pacts of `provider` from consumer versions on the selected branches, optionally of one
/// consumer; with `latest_only`, just the head of each branch. Newest first.
pub async fn list_branch_pacts(
    db: &Db,
    provider: PacticipantName,
    selection: BranchSelection,
    consumer: Option<PacticipantName>,
    latest_only: bool,
) -> Result<Vec<PactSummary>, DomainError> {
    db.run(move |conn| {
        let provider_row = require_pacticipant(conn, provider.as_str())?;
        let consumer_id = match &consumer {
            Some(name) => Some(require_pacticipant(conn, name.as_str())?.id),
            None => None,
        };
        let branch_rows = match &selection {
            BranchSelection::Main => branches::list_main_branches(conn)?,
            BranchSelection::Named(name) => branches::find_branches_named(conn, name.as_str())?,
        };
        let branch_ids: Vec<i64> = branch_rows
            .iter()
            .filter(|branch| consumer_id.is_none_or(|id| branch.pacticipant_id == id))
            .map(|branch| branch.id)
            .collect();
        let mut rows = publications::list_pacts_on_branches(conn, provider_row.id, &branch_ids)?;
        if latest_only {
            let mut seen = HashSet::new();
            rows.retain(|(_, version, _)| seen.insert(version.pacticipant_id));
        }
        let consumer_ids: Vec<i64> = rows
            .iter()
            .map(|(_, version, _)| version.pacticipant_id)
            .collect();
        let names: HashMap<i64, String> =
            pacticipants::find_pacticipants_by_ids(conn, &consumer_ids)?
                .into_iter()
                .map(|row| (row.id, row.name))
                .collect();
        Ok(rows
            .into_iter()
            .map(|(publication, version, sha)| PactSummary {
                consumer: names
                    .get(&version.pacticipant_id)
                    .cloned()
                    .unwrap_or_default(),
                provider: provider_row.name.clone(),
                consumer_version: version.number,
                sha,
                created_at: publication.created_at,
            })
            .collect())
    })
    .await
}
