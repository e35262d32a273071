//! Test support for the workspace. The library itself is the generated code
//! of every fixture spec in `fixtures/ok/` (see `build.rs`), each compiled
//! beside its own copy of the runtime, warning-free and clippy-clean.

// Each fixture gets its own copy of the runtime, on purpose.
#![allow(clippy::duplicate_mod)]
// The runtime is written for the client crate's MSRV (1.85, before let
// chains); this crate's MSRV is the workspace's, where clippy would ask for them.
#![allow(clippy::collapsible_if)]

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
