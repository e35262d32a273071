//! The request an operation hands to [`Client::execute`](crate::Client::execute),
//! and the raw answer it gets back.

use std::fmt::{self, Display};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};

use crate::error::{Error, InvalidInput, RedactedHeaders};
use crate::support::StyledValue;

/// Response headers that carry a request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "x-request-id",
    "x-openstack-request-id",
    "x-compute-request-id",
    "x-apig-request-id",
];

/// The longest request id this client keeps.
const MAX_REQUEST_ID_CHARS: usize = 256;

/// One operation's request, before the client adds the endpoint, the common
/// headers and the credentials. Built by generated code.
#[derive(Clone)]
pub struct OperationRequest {
    pub(super) operation: &'static str,
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) headers: Vec<(&'static str, HeaderValue)>,
    pub(super) accept: &'static str,
    pub(super) body: Option<(&'static str, Bytes)>,
    pub(super) idempotent: bool,
}

impl OperationRequest {
    /// A request of `operation` for `path`, which must already be
    /// percent-encoded and start with `/`.
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        );
        OperationRequest {
            operation,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            accept: "application/json",
            body: None,
            idempotent,
        }
    }

    /// Adds a query parameter (not yet encoded); repeat for every item of an array.
    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
    }

    /// Adds a header; a name given twice is sent twice.
    pub fn header(&mut self, name: &'static str, value: HeaderValue) {
        self.headers.push((name, value));
    }

    /// Adds one query pair per value: one for a scalar, none for an unset option, one per
    /// item of an exploded array (`ids=1&ids=2`).
    pub fn query_each<V: Display>(
        &mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) {
        for value in values {
            self.query(name, value.to_string());
        }
    }

    /// Adds one query pair per list, its items joined with commas (`explode: false`); none
    /// for an unset option.
    pub fn query_joined<T: Display>(
        &mut self,
        name: &'static str,
        lists: impl IntoIterator<Item = Vec<T>>,
    ) {
        for list in lists {
            self.query(name, joined(&list));
        }
    }

    /// Adds one header per value (one for a scalar, none for an unset option), each checked
    /// by [`header_value`](crate::support::header_value) before anything is sent.
    pub fn header_each<V: Display>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> Result<(), Error> {
        for value in values {
            let value = crate::support::header_value(operation, name, &value.to_string())?;
            self.header(name, value);
        }
        Ok(())
    }

    /// Adds one header per list, its items joined with commas (a header array); none for an
    /// unset option.
    pub fn header_joined<T: Display>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        lists: impl IntoIterator<Item = Vec<T>>,
    ) -> Result<(), Error> {
        self.header_each(operation, name, lists.into_iter().map(|list| joined(&list)))
    }

    /// Adds a `oneOf`/`anyOf` query parameter (`form` style), each value as the variant it
    /// holds: one pair for a scalar; for a list, one pair per item when `explode` (the
    /// default), else one pair of the items joined with commas. None for an unset option.
    /// A value no parameter can carry is an error, before anything is sent.
    pub fn query_union<'v, T: serde::Serialize + 'v>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        explode: bool,
        values: impl IntoIterator<Item = &'v T>,
    ) -> Result<(), Error> {
        for value in values {
            match crate::support::styled_value(operation, name, value)? {
                StyledValue::One(text) => self.query(name, text),
                StyledValue::List(items) if explode => self.query_each(name, items),
                StyledValue::List(items) => self.query(name, joined(&items)),
            }
        }
        Ok(())
    }

    /// Adds a `oneOf`/`anyOf` header parameter (`simple` style): the variant's value, a list
    /// joined with commas; checked as [`header_each`](Self::header_each) checks values.
    pub fn header_union<'v, T: serde::Serialize + 'v>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        values: impl IntoIterator<Item = &'v T>,
    ) -> Result<(), Error> {
        for value in values {
            let text = match crate::support::styled_value(operation, name, value)? {
                StyledValue::One(text) => text,
                StyledValue::List(items) => joined(&items),
            };
            self.header_each(operation, name, [text])?;
        }
        Ok(())
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json_body<T: serde::Serialize>(
        &mut self,
        operation: &'static str,
        body: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            InvalidInput::new(
                operation,
                "body",
                format!("cannot be serialised as JSON: {error}"),
            )
        })?;
        self.body = Some(("application/json", Bytes::from(bytes)));
        Ok(())
    }

    /// Sets a body that is already encoded, with its media type.
    pub fn raw_body(&mut self, content_type: &'static str, body: Bytes) {
        self.body = Some((content_type, body));
    }

    /// Sets the media type of the `Accept` header (default `application/json`).
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// Says whether repeating the request is harmless, which allows retries.
    pub fn idempotent(&mut self, idempotent: bool) {
        self.idempotent = idempotent;
    }

    /// The operation's name.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The percent-encoded path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the request may be retried after a transient failure.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }
}

impl fmt::Debug for OperationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values set by an operation are parameters of the API, not
        // credentials; query values are shown as their names only.
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        let query_names: Vec<&str> = self.query.iter().map(|(name, _)| *name).collect();
        f.debug_struct("OperationRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query_names)
            .field("headers", &header_names)
            .field("accept", &self.accept)
            .field("body_len", &self.body.as_ref().map(|(_, body)| body.len()))
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// A complete 2xx answer, before decoding. Read by generated code.
#[derive(Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body (at most the client's body limit long).
    pub body: Bytes,
    /// The request id (`X-Request-Id` or a similar header).
    pub request_id: Option<String>,
    /// Credential values sent with the request, to be scrubbed from errors.
    pub(super) secrets: Vec<HeaderValue>,
}

impl RawResponse {
    /// A response with the request id read from `headers`.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let request_id = request_id_from_headers(&headers);
        RawResponse {
            status,
            headers,
            body,
            request_id,
            secrets: Vec::new(),
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field(
                "headers",
                &RedactedHeaders::new(&self.headers).secrets(&self.secrets),
            )
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The request id of an answer: the first non-empty value among
/// `X-Request-Id`, `X-Openstack-Request-Id`, `X-Compute-Request-Id` and
/// `X-Apig-Request-Id`, printable and at most 256 characters.
pub(super) fn request_id_from_headers(headers: &HeaderMap) -> Option<String> {
    // One pass over the (few) headers, rather than a hashed lookup per candidate name: most
    // answers carry none of them, and this runs for every response.
    let mut best: Option<(usize, String)> = None;
    for (name, value) in headers {
        let Some(rank) = REQUEST_ID_HEADERS.iter().position(|n| *n == name.as_str()) else {
            continue;
        };
        if best
            .as_ref()
            .is_some_and(|(best_rank, _)| *best_rank <= rank)
        {
            continue;
        }
        let text = String::from_utf8_lossy(value.as_bytes());
        let text: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_REQUEST_ID_CHARS)
            .collect();
        if !text.is_empty() {
            best = Some((rank, text));
        }
    }
    best.map(|(_, text)| text)
}

/// The items of an array parameter joined with commas, as OpenAPI's `simple` and `form`
/// (`explode: false`) styles write them.
fn joined<T: Display>(items: &[T]) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        // Writing to a String cannot fail.
        let _ = fmt::Write::write_fmt(&mut out, format_args!("{item}"));
    }
    out
}
