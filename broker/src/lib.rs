//! Treaty's broker: the Pact Broker HTTP API over SQLite or PostgreSQL.
//!
//! Three layers with dependencies pointing down: [`http`] parses requests and renders HAL,
//! [`domain`] holds the rules over validated value types, [`storage`] holds the diesel queries.
//! [`app`] wires them into a server; [`config`] holds every setting.

#![deny(missing_docs)]

pub mod app;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod http;
pub mod storage;
