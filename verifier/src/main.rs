//! The `treaty` binary.
fn main() {}
