//! The hand-written runtime that every generated operation calls.
//!
//! It owns everything that is not specific to one operation: the HTTP client
//! ([`Client`], [`ClientBuilder`]), endpoints and [`Region`]s, authentication
//! ([`Credentials`]), retries ([`RetryPolicy`]) and timeouts, response body
//! limits, the one [`Error`] type, and the [`Response`] wrapper that keeps the
//! status, the request id and the headers next to the typed body.
//!
//! # Invariants
//!
//! - Modules of the runtime refer to each other only through `super::`: the same
//!   source is compiled as a nested module inside other crates.
//! - Examples in these docs are `text` blocks: the same source is in crates of other
//!   names, where a doctest naming this crate would not compile.
//! - No secret (token, secret key, security token) is ever written to `Debug`
//!   or `Display` output, to an error message, or to a tracing field.
//! - Nothing here panics on input or on anything a server sends.
//! - Invalid input is rejected before anything is sent.

#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod client;
mod credentials;
mod error;
mod operation;
mod region;
// What generated code builds requests with; not part of the API.
#[doc(hidden)]
pub mod request;
mod response;
mod retry;
// AK/SK request signing, behind `Credentials`; public only for its test vectors.
#[doc(hidden)]
pub mod signer;
#[doc(hidden)]
pub mod support;

pub use client::{Client, ClientBuilder};
pub use credentials::{CredentialError, Credentials};
pub use error::{ApiError, DecodeError, Error, InvalidInput, TransportError, TransportErrorKind};
#[doc(hidden)]
pub use operation::Handle;
pub use operation::{Async, DocumentedError, OperationError};
pub use region::{ParseRegionError, Region};
pub use response::Response;
pub use retry::RetryPolicy;

#[doc(hidden)]
pub use bytes::Bytes;
#[doc(hidden)]
pub use http::{HeaderMap, HeaderValue, Method, StatusCode};
#[doc(hidden)]
pub use request::{OperationRequest, RawResponse};
