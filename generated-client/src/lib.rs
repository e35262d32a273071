#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated from spec/codearts-repo.yaml by `cargo xtask codegen`; never edited by hand.
// The hand-written runtime (HTTP, auth, retries, errors, the Huawei Cloud layer) is the
// `codearts-runtime` crate.
#[rustfmt::skip]
mod generated;

#[cfg(feature = "blocking")]
pub use generated::client::blocking;
pub use generated::client::{Client, ClientBuilder};
pub use generated::{operation, types};

pub use codearts_runtime::huaweicloud::{Credentials, ParseRegionError, Region};
pub use codearts_runtime::{
    ApiError, Async, Authorize, CredentialError, DecodeError, DocumentedError, Error, InvalidInput,
    OperationError, Response, RetryPolicy, SchemeCredential, TransportError, TransportErrorKind,
};

// The repository's README shows this crate in use: its examples are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct RepositoryReadme;
