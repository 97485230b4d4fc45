//! Contract routes: the all-in-one publish and the pact resources.

pub mod branch_pacts;
pub mod pacts;
pub mod publish;
