//! The successful answer of an operation: its typed body, next to the status,
//! the request id and the headers.

use std::fmt;

use http::{HeaderMap, StatusCode};

use crate::error::RedactedHeaders;
use crate::request::RawResponse;

/// The successful (2xx) answer of an operation.
///
/// `B` is the decoded body (`()` when the operation returns none); `H` holds
/// the response headers the API documents, typed (`()` when it documents none).
/// All headers, documented or not, are in `raw_headers`.
#[derive(Clone)]
#[non_exhaustive]
pub struct Response<B, H = ()> {
    /// The HTTP status (2xx).
    pub status: StatusCode,
    /// The request id the server gave (`X-Request-Id` or similar): quote it
    /// when asking Huawei Cloud support about a call.
    pub request_id: Option<String>,
    /// The documented response headers, typed.
    pub headers: H,
    /// Every response header.
    pub raw_headers: HeaderMap,
    /// The decoded body.
    pub body: B,
}

impl<B, H> Response<B, H> {
    /// The answer for `raw`, with its decoded `body` and typed `headers`. Takes `raw`, whose
    /// body has been decoded by then, so that its headers move rather than being copied.
    #[doc(hidden)]
    pub fn new(raw: RawResponse, body: B, headers: H) -> Self {
        Response {
            status: raw.status,
            request_id: raw.request_id,
            headers,
            raw_headers: raw.headers,
            body,
        }
    }

    /// The decoded body alone.
    pub fn into_body(self) -> B {
        self.body
    }

    /// The same answer with its body transformed by `f`.
    pub fn map<B2>(self, f: impl FnOnce(B) -> B2) -> Response<B2, H> {
        Response {
            status: self.status,
            request_id: self.request_id,
            headers: self.headers,
            raw_headers: self.raw_headers,
            body: f(self.body),
        }
    }

    /// The body and the typed headers.
    pub fn into_parts(self) -> (B, H) {
        (self.body, self.headers)
    }
}

impl<B: fmt::Debug, H: fmt::Debug> fmt::Debug for Response<B, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("headers", &self.headers)
            .field("raw_headers", &RedactedHeaders::new(&self.raw_headers))
            .field("body", &self.body)
            .finish()
    }
}
