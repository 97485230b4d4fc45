//! Treaty's CLI library.
