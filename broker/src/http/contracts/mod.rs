//! Contract routes: the all-in-one publish and the pact resources.

pub mod pacts;
pub mod publish;
