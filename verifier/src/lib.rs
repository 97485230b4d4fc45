//! Treaty's CLI as a library: the matching engine, the broker client and the commands behind
//! the `treaty` binary.

pub mod broker;
pub mod cli;
pub mod error;
pub mod matching;
pub mod replay;
pub mod report;
pub mod source;
