//! Contract routes: the all-in-one publish, the pact resources and the pact listings.

pub mod branch_pacts;
pub mod pacts;
pub mod provider_pacts;
pub mod publish;
