//! Test support for the workspace. The library itself is the generated code
//! of every fixture spec in `fixtures/ok/` and of every real spec in `corpus/`
//! (see `build.rs`), each compiled against the runtime crate, warning-free and
//! clippy-clean.

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

/// Clients generated from the real public specs in `tests/corpus/`.
pub mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
}
