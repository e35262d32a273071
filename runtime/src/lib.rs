//! The runtime of the clients that `codearts-codegen` generates from OpenAPI
//! specs: the generic core every generated crate uses, and a Huawei Cloud
//! layer (crate feature `huaweicloud`) for the APIs whose spec asks for it.
//!
//! The core owns everything that is not specific to one operation: the HTTP
//! client ([`Client`], [`ClientBuilder`]), authentication through the spec's
//! security schemes ([`Authorize`], [`SchemeCredential`]), retries
//! ([`RetryPolicy`]) and timeouts, response body limits, the one [`Error`]
//! type, and the [`Response`] wrapper that keeps the status, the request id
//! and the headers next to the typed body. A generated crate describes its API
//! in an [`Api`] and wraps [`Client`] in a client type of its own, whose
//! methods are the API's operations.
//!
//! # Invariants
//!
//! - No secret (token, key, password, secret key, security token) is ever
//!   written to `Debug` or `Display` output, to an error message, or to a
//!   tracing field.
//! - Nothing here panics on input or on anything a server sends.
//! - Invalid input is rejected before anything is sent.
//! - Nothing in the core is specific to one cloud: the Huawei Cloud layer is
//!   compiled only with its feature, and applies only to an API whose
//!   [`Api::profile`] is [`Profile::HuaweiCloud`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod client;
mod error;
#[cfg(feature = "huaweicloud")]
pub mod huaweicloud;
mod operation;
// What generated code builds requests with; not part of the API.
#[doc(hidden)]
pub mod request;
mod request_body;
mod response;
mod retry;
#[doc(hidden)]
pub mod support;

pub use api::{Api, ApiClient, ApiKeyLocation, Profile, SchemeKind, SecurityScheme};
pub use auth::{Authorize, CredentialError, SchemeCredential};
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, DecodeError, Error, InvalidInput, TransportError, TransportErrorKind};
#[doc(hidden)]
pub use operation::Handle;
pub use operation::{Async, AsyncMode, DocumentedError, OperationError};
pub use request_body::{BinaryBody, FilePart, Multipart};
pub use response::Response;
pub use retry::RetryPolicy;

#[doc(hidden)]
pub use bytes::Bytes;
#[doc(hidden)]
pub use http::{HeaderMap, HeaderValue, Method, StatusCode};
#[doc(hidden)]
pub use request::{OperationRequest, RawResponse};
// The enum macros name serde through the runtime, so a generated crate needs no
// particular version of it.
#[doc(hidden)]
pub use serde;
