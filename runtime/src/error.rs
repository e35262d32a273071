//! The one error type of every operation, and its four kinds.
//!
//! | kind | meaning |
//! | --- | --- |
//! | [`InvalidInput`] | the request (or the client's configuration) was rejected before anything was sent |
//! | [`TransportError`] | no complete HTTP response was received |
//! | [`ApiError`] | the server answered with a status other than 2xx |
//! | [`DecodeError`] | the server answered 2xx with a body that is not the documented shape |
//!
//! Every `Display` names the operation; none contains a secret.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};

use crate::body::{self, DISPLAY_EXCERPT_CHARS, EXCERPT_BYTES};
use crate::request::request_id_from_headers;
use crate::retry::parse_retry_after;

/// A boxed error that can cross threads.
type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Header names whose values are never printed by `Debug`.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "proxy-authorization",
    "set-cookie",
    "x-auth-token",
    "x-security-token",
    "x-subject-token",
];

/// Every failure of an operation.
///
/// `Display` is one line that names the operation, and for answers of the
/// server, the HTTP status, the error code and message and the request id:
///
/// ```text
/// ShowRepository: HTTP 404 Not Found: CH.00402000: The repository does not exist. Check and try again. (request id abc)
/// ```
///
/// [`source`](std::error::Error::source) leads to the underlying cause
/// (the I/O error of a transport failure, the JSON error of a decode failure).
///
/// An operation's call returns this error wrapped in an
/// [`OperationError`](crate::OperationError), typed to the error responses that
/// operation documents: `error.documented()` gives them as the operation's own
/// enum, ready to `match`; `?` (or `Error::from`) unwraps it into this `Error`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request, or the client's configuration, was rejected before
    /// anything was sent.
    #[error(transparent)]
    InvalidInput(InvalidInput),
    /// No complete HTTP response was received: connection refused, timeout,
    /// TLS failure, connection closed mid-body, body over the limit.
    #[error(transparent)]
    Transport(TransportError),
    /// The server answered with a status other than 2xx.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The server answered 2xx, but the body is not the documented shape.
    #[error(transparent)]
    Decode(Box<DecodeError>),
}

impl Error {
    /// The operation that failed (`"ClientBuilder"` for a configuration error).
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidInput(e) => e.operation(),
            Error::Transport(e) => e.operation(),
            Error::Api(e) => e.operation(),
            Error::Decode(e) => e.operation(),
        }
    }

    /// The HTTP status of the server's answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status()),
            Error::Decode(e) => Some(e.status()),
            Error::InvalidInput(_) | Error::Transport(_) => None,
        }
    }

    /// The request id the server gave its answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id(),
            Error::Decode(e) => e.request_id(),
            Error::InvalidInput(_) | Error::Transport(_) => None,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after(),
            _ => None,
        }
    }

    /// A bounded, lossily decoded excerpt of the body the server sent.
    pub fn body_excerpt(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(e.body_excerpt()),
            Error::Decode(e) => Some(e.body_excerpt()),
            Error::InvalidInput(_) | Error::Transport(_) => None,
        }
    }

    /// Whether the same request might succeed later: connection failures,
    /// timeouts, a connection closed before the answer or mid-body, and HTTP
    /// 429, 502, 503 and 504; not a malformed answer
    /// ([`TransportErrorKind::Protocol`]).
    ///
    /// The client retries such failures by itself for idempotent requests
    /// (see [`RetryPolicy`](crate::RetryPolicy)); this error is what remained.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::InvalidInput(_) | Error::Decode(_) => false,
            Error::Transport(e) => e.is_retryable(),
            Error::Api(e) => e.is_retryable(),
        }
    }

    /// Whether this is a timeout: connecting, one attempt, or the whole
    /// operation's deadline (not a stalled body: see
    /// [`TransportErrorKind::Stalled`]).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(e) => e.kind().is_timeout(),
            _ => false,
        }
    }

    /// The server's error answer, for an [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The transport failure, for an [`Error::Transport`].
    pub fn transport(&self) -> Option<&TransportError> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }

    /// The decode failure, for an [`Error::Decode`].
    pub fn decode(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(e) => Some(e),
            _ => None,
        }
    }

    /// The rejected input, for an [`Error::InvalidInput`].
    pub fn invalid_input(&self) -> Option<&InvalidInput> {
        match self {
            Error::InvalidInput(e) => Some(e),
            _ => None,
        }
    }
}

impl From<InvalidInput> for Error {
    fn from(error: InvalidInput) -> Self {
        Error::InvalidInput(error)
    }
}

impl From<TransportError> for Error {
    fn from(error: TransportError) -> Self {
        Error::Transport(error)
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Error::Decode(Box::new(error))
    }
}

// ---------------------------------------------------------------------------

/// A request, or the client's configuration, that was rejected before
/// anything was sent.
///
/// Names the operation (`"ClientBuilder"` for configuration), the parameter
/// and the reason; never the offending value when it could be a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    operation: &'static str,
    parameter: Cow<'static, str>,
    reason: Cow<'static, str>,
}

impl InvalidInput {
    /// A rejection of `parameter` of `operation`, for `reason`.
    ///
    /// The reason must not contain a secret value.
    pub fn new(
        operation: &'static str,
        parameter: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        InvalidInput {
            operation,
            parameter: parameter.into(),
            reason: reason.into(),
        }
    }

    /// The operation (`"ClientBuilder"` for configuration).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The parameter (or builder setting) that was rejected.
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// Why it was rejected.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: invalid input `{}`: {}",
            self.operation, self.parameter, self.reason
        )
    }
}

impl StdError for InvalidInput {}

// ---------------------------------------------------------------------------

/// What went wrong in a [`TransportError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, unreachable, DNS).
    Connect,
    /// The connection was not made within the connect timeout.
    ConnectTimeout,
    /// The attempt (connecting, sending, and reading the whole response) did
    /// not finish within the per-attempt timeout.
    Timeout,
    /// The operation's deadline
    /// ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)),
    /// which bounds all its attempts and the waits between them, passed, or a
    /// retry's wait would have passed it. [`TransportError::attempts`] says how
    /// many attempts were made; [`source`](std::error::Error::source) is the
    /// last attempt's error when one failed before the deadline.
    OperationTimeout,
    /// The response body stalled: less than the minimum throughput arrived
    /// during the grace period of stalled-stream protection
    /// ([`ClientBuilder::stalled_stream_grace_period`](crate::ClientBuilder::stalled_stream_grace_period)).
    /// Transient, retried like a timeout.
    Stalled,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// The connection closed, or failed, before the response body was complete.
    BodyInterrupted,
    /// The response body is longer than the configured limit (once
    /// decompressed, for a compressed body).
    BodyTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The answer is not valid HTTP: a malformed or oversized head, too many
    /// headers, invalid body framing, a body that does not decompress, a
    /// server speaking another protocol. Not retried: the server would most
    /// likely answer the same way again.
    Protocol,
    /// Any other failure to exchange the request and response.
    Other,
}

impl TransportErrorKind {
    /// Whether this kind is a timeout ([`ConnectTimeout`](Self::ConnectTimeout),
    /// [`Timeout`](Self::Timeout) or [`OperationTimeout`](Self::OperationTimeout)).
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            TransportErrorKind::ConnectTimeout
                | TransportErrorKind::Timeout
                | TransportErrorKind::OperationTimeout
        )
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportErrorKind::Connect => f.write_str("could not connect"),
            TransportErrorKind::ConnectTimeout => f.write_str("timed out while connecting"),
            TransportErrorKind::Timeout => f.write_str("attempt timed out"),
            TransportErrorKind::OperationTimeout => f.write_str("operation deadline exceeded"),
            TransportErrorKind::Stalled => {
                f.write_str("response body stalled (below the minimum throughput)")
            }
            TransportErrorKind::Tls => f.write_str("TLS handshake failed"),
            TransportErrorKind::BodyInterrupted => {
                f.write_str("connection closed before the response body was complete")
            }
            TransportErrorKind::BodyTooLarge { limit } => {
                write!(f, "response body is larger than the limit of {limit} bytes")
            }
            TransportErrorKind::Protocol => f.write_str("the answer is not valid HTTP"),
            TransportErrorKind::Other => f.write_str("HTTP exchange failed"),
        }
    }
}

/// No complete HTTP response was received.
///
/// [`source`](std::error::Error::source) leads to the underlying error.
pub struct TransportError {
    operation: &'static str,
    kind: TransportErrorKind,
    attempts: u32,
    timeout: Option<Duration>,
    retryable: bool,
    source: Option<BoxError>,
}

impl TransportError {
    /// A transport failure of `operation` after `attempts` attempts.
    pub(super) fn new(
        operation: &'static str,
        kind: TransportErrorKind,
        retryable: bool,
        source: Option<BoxError>,
    ) -> Self {
        TransportError {
            operation,
            kind,
            attempts: 1,
            timeout: None,
            retryable,
            source,
        }
    }

    pub(super) fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub(super) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// The operation.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// How many attempts were made in all, this failed one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether a later attempt might succeed.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// Whether the connection failed before any of the request was sent, so
    /// that retrying cannot repeat a side effect.
    pub fn is_connect_phase(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::ConnectTimeout
        )
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.kind)?;
        if let Some(timeout) = self.timeout {
            write!(f, " after {timeout:?}")?;
        }
        let plural = if self.attempts == 1 { "" } else { "s" };
        write!(f, " ({} attempt{plural})", self.attempts)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("operation", &self.operation)
            .field("kind", &self.kind)
            .field("attempts", &self.attempts)
            .field("timeout", &self.timeout)
            .field("retryable", &self.retryable)
            .field("source", &self.source)
            .finish()
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

// ---------------------------------------------------------------------------

/// The server answered with a status other than 2xx.
///
/// When the body is the Huawei error shape `{"error_code": "...", "error_msg": "..."}`
/// (or `{"code", "message"}`, or either nested under `"error"`), the code and
/// message are extracted; extra fields are ignored and nulls tolerated. At most
/// the first [`MAX_BODY_BYTES`](Self::MAX_BODY_BYTES) (64 KiB) of the body are
/// read and kept, whatever the client's limit on 2xx bodies: the rest is not
/// read (the connection is closed) and [`is_body_truncated`](Self::is_body_truncated)
/// says so.
///
/// Any secret the client sent (token, access key, secret key, security token,
/// API key, password) that the server echoed, in the bytes, in an escaped JSON
/// string or in a header, is replaced by `<redacted>` wherever this error shows
/// it: `Display`, [`error_msg`](Self::error_msg), [`error_code`](Self::error_code),
/// the excerpt, [`body`](Self::body), [`headers`](Self::headers) and every typed
/// body decoded from them. Whole occurrences only, so that the server's text stays
/// readable: a secret of 16 bytes or more wherever it occurs, one of 8 to 15 bytes
/// where it is not part of a longer run of ASCII letters and digits, and one
/// shorter than 8 bytes nowhere (it could not be told from ordinary text; such a
/// secret is never shown by `Debug`, which hides credential headers whole, but an
/// echo of it is left as the server sent it).
///
/// The error responses an operation documents are typed: a call's
/// [`OperationError::documented`](crate::OperationError::documented) decodes
/// this body into the operation's own enum (its `DocumentedError`, e.g.
/// `ShowRepositoryStatisticsStatusError::NotFound`), and
/// [`DocumentedError::from_api_error`](crate::DocumentedError::from_api_error)
/// does the same from an `ApiError` (only for an error of that operation).
#[derive(Clone)]
pub struct ApiError {
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    body_truncated: bool,
    error_code: Option<String>,
    error_msg: Option<String>,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    excerpt: String,
    attempts: u32,
}

impl ApiError {
    /// The most of an error body that is read and kept: 64 KiB. An error's
    /// status, code and message come first; its tail is not worth holding
    /// many of in memory at once. The client's limit on 2xx bodies
    /// ([`ClientBuilder::max_response_body_bytes`](crate::ClientBuilder::max_response_body_bytes))
    /// applies too when it is smaller.
    pub const MAX_BODY_BYTES: u64 = 64 * 1024;

    /// The error for a non-2xx answer. `secrets` are replaced wherever the
    /// server echoed them into a field this error prints.
    pub(super) fn from_response(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        body_truncated: bool,
        secrets: &[HeaderValue],
    ) -> Self {
        // Scrubbed once here, body and headers, so that the excerpt, the extracted fields,
        // the request id, `body()`, `headers()` and every typed error body decoded from them
        // never hold a secret the server echoed.
        let body = body::scrub_json_strings(body::scrub_bytes(body, secrets), secrets);
        let mut headers = headers;
        for value in headers.values_mut() {
            if body::contains_secret(value.as_bytes(), secrets) {
                // `<redacted>` is a valid header value, so the scrubbed one is too; should it
                // somehow not be, the whole value goes.
                let scrubbed = body::scrub_bytes(Bytes::copy_from_slice(value.as_bytes()), secrets);
                *value = HeaderValue::from_maybe_shared(scrubbed)
                    .unwrap_or_else(|_| HeaderValue::from_static(body::REDACTED));
            }
        }
        let fields = ErrorBodyFields::parse(&body);
        ApiError {
            operation,
            status,
            retry_after: parse_retry_after(&headers, SystemTime::now()),
            excerpt: body::excerpt(&body, EXCERPT_BYTES),
            error_code: fields.code,
            error_msg: fields.message,
            request_id: request_id_from_headers(&headers).or(fields.request_id),
            headers,
            body,
            body_truncated,
            attempts: 1,
        }
    }

    pub(super) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// The operation.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers, with any secret the client sent that the server echoed
    /// replaced by `<redacted>`.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received, at most [`MAX_BODY_BYTES`](Self::MAX_BODY_BYTES) (or the
    /// client's smaller body limit) long (see [`is_body_truncated`](Self::is_body_truncated)),
    /// except that any secret the client sent (token, keys) that the server echoed is
    /// replaced by `<redacted>`.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Whether the body was longer than [`MAX_BODY_BYTES`](Self::MAX_BODY_BYTES) (or the
    /// client's smaller limit) and was cut.
    pub fn is_body_truncated(&self) -> bool {
        self.body_truncated
    }

    /// The service's error code, e.g. `CH.00402000`.
    pub fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref()
    }

    /// The service's error message.
    pub fn error_msg(&self) -> Option<&str> {
        self.error_msg.as_deref()
    }

    /// The request id (from `X-Request-Id` and similar headers, else from a
    /// `request_id` field of the body).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The wait the server asked for with `Retry-After` (delta-seconds or an
    /// HTTP-date).
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The first KiB of the body, lossily decoded as UTF-8 and cut on a
    /// character boundary; empty for an empty body.
    pub fn body_excerpt(&self) -> &str {
        &self.excerpt
    }

    /// How many attempts were made in all, this one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the status says a later attempt might succeed: 429, 502, 503, 504.
    pub fn is_retryable(&self) -> bool {
        matches!(self.status.as_u16(), 429 | 502 | 503 | 504)
    }
}

/// `404 Not Found`, or `599` for a status without a reason phrase.
struct StatusDisplay(StatusCode);

impl fmt::Display for StatusDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.canonical_reason() {
            Some(reason) => write!(f, "{} {reason}", self.0.as_u16()),
            None => write!(f, "{}", self.0.as_u16()),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, StatusDisplay(self.status))?;
        let code = self.error_code.as_deref().map(|c| body::one_line(c, 100));
        let message = self.error_msg.as_deref().map(|m| body::one_line(m, 500));
        match (code, message) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}")?,
            (Some(code), None) => write!(f, ": {code}")?,
            (None, Some(message)) => write!(f, ": {message}")?,
            (None, None) if self.body.is_empty() => f.write_str(": empty body")?,
            (None, None) => write!(
                f,
                ": {}",
                body::one_line(&self.excerpt, DISPLAY_EXCERPT_CHARS)
            )?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {})", body::one_line(id, 200))?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("error_code", &self.error_code)
            .field("error_msg", &self.error_msg)
            .field("request_id", &self.request_id)
            .field("retry_after", &self.retry_after)
            .field("attempts", &self.attempts)
            .field("headers", &RedactedHeaders::new(&self.headers))
            .field("body_len", &self.body.len())
            .field("body_truncated", &self.body_truncated)
            .field("body_excerpt", &self.excerpt)
            .finish()
    }
}

impl StdError for ApiError {}

/// Debug output of a header map with the values of credential headers hidden.
pub(super) struct RedactedHeaders<'a> {
    headers: &'a HeaderMap,
    secrets: &'a [HeaderValue],
}

impl<'a> RedactedHeaders<'a> {
    pub(super) fn new(headers: &'a HeaderMap) -> Self {
        RedactedHeaders {
            headers,
            secrets: &[],
        }
    }

    /// Hides the values that hold one of `secrets` too.
    pub(super) fn secrets(self, secrets: &'a [HeaderValue]) -> Self {
        RedactedHeaders { secrets, ..self }
    }
}

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.headers {
            if value.is_sensitive()
                || SENSITIVE_HEADERS.contains(&name.as_str())
                || body::contains_secret(value.as_bytes(), self.secrets)
            {
                map.entry(&name.as_str(), &body::REDACTED);
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// The fields of an error body this client understands.
#[derive(Default)]
struct ErrorBodyFields {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
}

impl ErrorBodyFields {
    /// Reads `error_code`/`error_msg` (or `code`/`message`, or the same nested
    /// under `error`) and `request_id` from a JSON object; anything else gives
    /// no fields.
    fn parse(body: &[u8]) -> Self {
        let Ok(serde_json::Value::Object(top)) =
            serde_json::from_slice::<serde_json::Value>(crate::support::strip_bom(body))
        else {
            return ErrorBodyFields::default();
        };
        let nested = match top.get("error") {
            Some(serde_json::Value::Object(inner)) => Some(inner),
            _ => None,
        };
        let pick = |keys: &[&str]| -> Option<String> {
            let maps = std::iter::once(&top).chain(nested);
            maps.flat_map(|map| keys.iter().filter_map(move |k| map.get(*k)))
                .find_map(scalar_text)
        };
        ErrorBodyFields {
            code: pick(&["error_code", "code", "errorCode"]),
            message: pick(&[
                "error_msg",
                "message",
                "error_message",
                "errorMessage",
                "msg",
            ]),
            request_id: pick(&["request_id", "requestId"]),
        }
    }
}

/// A non-empty string, a number or a boolean as text; anything else is `None`.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------

/// The server answered 2xx, but its body is not the documented shape: not
/// JSON, truncated JSON, the wrong JSON type, an empty body, or text that is
/// not UTF-8.
pub struct DecodeError {
    operation: &'static str,
    status: StatusCode,
    content_type: Option<String>,
    path: Option<String>,
    message: String,
    excerpt: String,
    request_id: Option<String>,
    empty_body: bool,
}

impl DecodeError {
    /// A decode failure; every text is scrubbed of `secrets`.
    ///
    /// The deserialiser's error is kept as text only (no `source`): its
    /// message can quote the body, and is scrubbed and bounded here.
    pub(super) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body_bytes: &[u8],
        path: Option<String>,
        message: String,
        secrets: &[HeaderValue],
    ) -> Self {
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .map(|v| body::scrub(String::from_utf8_lossy(v.as_bytes()).into_owned(), secrets))
            .map(|v| body::one_line(&v, 200));
        DecodeError {
            operation,
            status,
            content_type,
            path: path.map(|p| body::scrub(p, secrets)),
            message: body::one_line(&body::scrub(message, secrets), 1000),
            excerpt: body::scrubbed_excerpt(body_bytes, EXCERPT_BYTES, secrets),
            request_id: request_id_from_headers(headers).map(|id| body::scrub(id, secrets)),
            empty_body: body_bytes.iter().all(u8::is_ascii_whitespace),
        }
    }

    /// The operation.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The (2xx) HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Content-Type` the server declared.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Where in the document decoding failed, `jq`-style (`.namespace.id`,
    /// `.[2].name`, `.` for the top level); `None` when the body is not JSON text.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// What was wrong (the deserialiser's message).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The first KiB of the body, lossily decoded as UTF-8.
    pub fn body_excerpt(&self) -> &str {
        &self.excerpt
    }

    /// The request id of the answer.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Whether the body was empty (or only whitespace).
    pub fn is_empty_body(&self) -> bool {
        self.empty_body
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}: ", self.operation, self.status.as_u16())?;
        if self.empty_body {
            f.write_str("response body is empty")?;
        } else {
            f.write_str("response body does not match the documented shape")?;
            if let Some(path) = &self.path {
                write!(f, " at {}", body::one_line(path, 200))?;
            }
        }
        write!(f, ": {}", body::one_line(&self.message, 500))?;
        match &self.content_type {
            Some(content_type) => write!(f, " (content-type {content_type})")?,
            None => f.write_str(" (no content-type)")?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {})", body::one_line(id, 200))?;
        }
        Ok(())
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("empty_body", &self.empty_body)
            .field("body_excerpt", &self.excerpt)
            .finish()
    }
}

impl StdError for DecodeError {}
