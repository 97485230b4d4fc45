//! Pacts for verification: which contracts a provider must verify (consumer version
//! selectors), whether each is pending for the provider's branch or tags, and which
//! work-in-progress contracts to add.
//!
//! The decisions are pure functions over loaded facts ([`selectors::select_pacts`],
//! [`pending::pending_status`], [`wip::wip_pacts`]), tested as tables without a database;
//! [`load`] is the thin loader that reads the few indexed rows they need.

pub mod query;
pub mod selectors;

#[cfg(test)]
pub(crate) mod testing;
