//! Webhooks: a request the broker sends when something happens (a contract is published or
//! changed, a verification result arrives). These modules are the pure rules — the template
//! variables and their rendering, where a webhook may send, when a failed delivery is tried
//! again, and which headers are secret; the rest (storage, HTTP and the delivery worker) is
//! added by the main branch.

pub mod redact;
pub mod schedule;
pub mod target;
pub mod template;
