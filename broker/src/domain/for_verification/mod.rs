//! Pacts for verification: which contracts a provider must verify (consumer version
//! selectors), whether each is pending for the provider's branch or tags, and which
//! work-in-progress contracts to add.
//!
//! The decisions are pure functions over loaded facts ([`selectors::select_pacts`],
//! [`pending::pending_status`], [`wip::wip_pacts`], [`notices::notices`]), tested as tables
//! without a database; [`load`] is the thin loader that reads the few indexed rows they need,
//! and [`pacts_for_verification`] runs the two around them.

pub mod load;
pub mod notices;
pub mod pending;
pub mod query;
pub mod selectors;
pub mod wip;

#[cfg(test)]
pub(crate) mod testing;

use std::sync::Arc;

pub use query::VerificationQuery;

use crate::domain::pact_metadata::PactMetadata;
use crate::domain::pacticipants::require_pacticipant;
use crate::domain::{DomainError, PacticipantName};
use crate::storage::Db;
use notices::{Notice, NoticeContext};
use pending::{PendingStatus, ProviderTarget};
use selectors::SelectedPact;

/// One contract the provider must verify, with everything its entry says.
#[derive(Debug, Clone)]
pub struct VerifiablePact {
    /// The content and why it was selected.
    pub pact: SelectedPact,
    /// Its pending status (WIP pacts are always pending).
    pub status: PendingStatus,
    /// Whether it is a WIP pact.
    pub wip: bool,
    /// Whether pending was asked for (`pending` is rendered only then).
    pub include_pending_status: bool,
    /// Whether the deprecated `GET` asked (adds a warning notice).
    pub deprecated: bool,
    /// The provider's branch and tags.
    pub target: Arc<ProviderTarget>,
}

impl VerifiablePact {
    /// `latest from branch main, deployed to production`.
    pub fn short_description(&self) -> String {
        notices::short_description(&self.pact)
    }

    /// `Pact between C (V) and P`.
    pub fn name(&self) -> String {
        notices::pact_name(&self.pact, &self.target.provider)
    }

    /// The `pending` flag, when it was asked for.
    pub fn pending(&self) -> Option<bool> {
        self.include_pending_status.then_some(self.status.pending)
    }

    /// What the pact's URL records, so that a result posted through it is attributed.
    pub fn metadata(&self) -> PactMetadata {
        PactMetadata {
            wip: self.wip,
            pending: self.pending(),
        }
    }

    /// The notices, naming the pact by `url`.
    pub fn notices(&self, url: &str) -> Vec<Notice> {
        notices::notices(&NoticeContext {
            pact: &self.pact,
            status: &self.status,
            target: &self.target,
            url,
            wip: self.wip,
            include_pending_status: self.include_pending_status,
            deprecated: self.deprecated,
        })
    }
}

/// The contracts `provider` must verify for `query`: the selected ones (merged by content), then
/// the WIP ones. `deprecated` marks the `GET` form.
pub async fn pacts_for_verification(
    db: &Db,
    provider: PacticipantName,
    query: VerificationQuery,
    deprecated: bool,
) -> Result<Vec<VerifiablePact>, DomainError> {
    db.run(move |conn| {
        let provider = require_pacticipant(conn, provider.as_str())?;
        let facts = load::load_selection(conn, &provider, &query)?;
        let selected = selectors::select_pacts(
            &facts.pacts,
            &query.selectors,
            query.provider_branch.as_deref(),
        );
        let mut content_ids: Vec<i64> = selected
            .iter()
            .map(|pact| pact.content_id)
            .chain(
                facts
                    .wip_candidates
                    .iter()
                    .map(|candidate| candidate.pact.content_id),
            )
            .collect();
        content_ids.sort_unstable();
        content_ids.dedup();
        let (target, verified) =
            load::load_verifications(conn, &provider, &query, &facts.consumer_names, &content_ids)?;
        let wip = wip::wip_pacts(
            &facts.wip_candidates,
            &selected,
            &target,
            &verified,
            query.include_wip_pacts_since.as_deref(),
        );
        let target = Arc::new(target);
        let mut verifiable: Vec<VerifiablePact> = selected
            .into_iter()
            .map(|pact| VerifiablePact {
                status: pending::pending_status(
                    &pact.consumer,
                    pact.content_id,
                    &target,
                    &verified,
                ),
                pact,
                wip: false,
                include_pending_status: query.include_pending_status,
                deprecated,
                target: Arc::clone(&target),
            })
            .collect();
        verifiable.extend(wip.into_iter().map(|wip| VerifiablePact {
            pact: wip.pact,
            status: PendingStatus {
                pending: true,
                pending_tags: wip.pending_tags,
                non_pending_tags: Vec::new(),
            },
            wip: true,
            include_pending_status: query.include_pending_status,
            deprecated,
            target: Arc::clone(&target),
        }));
        Ok(verifiable)
    })
    .await
}
