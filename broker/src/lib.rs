//! Treaty's broker.
