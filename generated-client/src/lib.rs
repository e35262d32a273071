#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Hand-written: HTTP, auth, retries, timeouts, errors. Also copied into the
// standalone crates that `cargo xtask codegen --out` writes.
pub mod runtime;

// Generated from spec/codearts-repo.yaml by `cargo xtask codegen`; never edited by hand.
#[rustfmt::skip]
pub mod generated;

pub use generated::{operation, types};
pub use runtime::{
    ApiError, Client, ClientBuilder, Credentials, Error, Region, Response, RetryPolicy,
};
