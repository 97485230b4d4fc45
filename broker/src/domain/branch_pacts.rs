//! Pacts of a provider by consumer branch: the `get-pacts` listings (pact-broker-api.md §3.8),
//! for a named branch or each consumer's main branch, all versions or only each branch head
//! (the heads are read from `pact_heads`; the all-versions listings list history).

use crate::domain::pacticipants::require_pacticipant;
use crate::domain::pacts::{PactSummary, summarise};
use crate::domain::{BranchName, DomainError, PacticipantName};
use crate::storage::publications::{HeadSelection, HistorySelection};
use crate::storage::{Db, branches, publications};

/// Which consumer branches.
#[derive(Debug, Clone)]
pub enum BranchSelection {
    /// Each consumer's main branch.
    Main,
    /// Branches with this name.
    Named(BranchName),
}

/// The pacts of `provider` from consumer versions on the selected branches, optionally of one
/// consumer; with `latest_only`, just the head of each branch (read from the pact heads).
/// Newest first.
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
        let listings = if latest_only {
            let heads = match &selection {
                BranchSelection::Main => HeadSelection::MainBranch,
                BranchSelection::Named(name) => HeadSelection::Branch(name.as_str()),
            };
            publications::list_head_pacts(conn, Some(provider_row.id), consumer_id, heads)?
        } else {
            let branch_rows = match &selection {
                BranchSelection::Main => branches::list_main_branches(conn)?,
                BranchSelection::Named(name) => branches::find_branches_named(conn, name.as_str())?,
            };
            let branch_ids: Vec<i64> = branch_rows
                .iter()
                .filter(|branch| consumer_id.is_none_or(|id| branch.pacticipant_id == id))
                .map(|branch| branch.id)
                .collect();
            publications::list_pact_history(
                conn,
                provider_row.id,
                None,
                HistorySelection::Branches(&branch_ids),
            )?
        };
        summarise(conn, listings)
    })
    .await
}
