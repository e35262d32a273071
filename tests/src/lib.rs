//! Test support for the workspace. The library itself is the generated code
//! of every fixture spec in `fixtures/ok/` (see `build.rs`), each compiled
//! against the runtime crate, warning-free and clippy-clean.

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
