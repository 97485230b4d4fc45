//! Response and request shapes, one file per resource: functions from domain results to the
//! Pact Broker's JSON, and serde structs for request bodies. No rules live here.

pub mod deployments;
pub mod environments;
pub mod for_verification;
pub mod matrix;
pub mod pacticipants;
pub mod pacts;
pub mod publish;
pub mod tokens;
pub mod verifications;
pub mod versions;
pub mod webhooks;
