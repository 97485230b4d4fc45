//! The `treaty-broker` binary.
fn main() {}
