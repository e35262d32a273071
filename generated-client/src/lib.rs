#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Hand-written: HTTP, auth, retries, timeouts, errors. Also copied into the
// standalone crates that `cargo xtask codegen --out` writes. Its public items are
// re-exported below; the module itself is for generated code and the runtime's tests.
#[doc(hidden)]
pub mod runtime;

// Generated from spec/codearts-repo.yaml by `cargo xtask codegen`; never edited by hand.
#[rustfmt::skip]
mod generated;

pub use generated::{operation, types};

#[cfg(feature = "blocking")]
pub use runtime::blocking;
pub use runtime::{
    ApiError, Async, Client, ClientBuilder, CredentialError, Credentials, DecodeError,
    DocumentedError, Error, InvalidInput, OperationError, ParseRegionError, Region, Response,
    RetryPolicy, TransportError, TransportErrorKind,
};

// The repository's README shows this crate in use: its examples are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct RepositoryReadme;
