//! The client: configuration, and the attempt loop every operation goes through.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use tracing::Instrument as _;
use url::Url;

use crate::api::{Api, ApiClient, Profile, SchemeKind, SecurityScheme};
use crate::auth::{Authorize, CredentialError, SchemeCredential};
use crate::body::{self, ReadError, StallGuard};
use crate::error::{ApiError, Error, InvalidInput, TransportError, TransportErrorKind};
use crate::request::{OperationRequest, RawResponse, request_id_from_headers};
use crate::request_body::BodyData;
use crate::retry::{RetryBudget, RetryPolicy, Withdrawal};
use crate::support::encode_query_component;

/// The operation name of configuration errors.
pub(crate) const BUILDER: &str = "ClientBuilder";

/// Longest accepted `User-Agent` suffix, in bytes.
const MAX_USER_AGENT_SUFFIX: usize = 1024;

/// The runtime's client: configuration, connection pool, credentials. A
/// generated crate wraps it in a `Client` of its own, whose methods are the
/// API's operations.
///
/// Cheap to clone (the configuration and the connection pool are shared),
/// `Send` and `Sync`. Its `Debug` output shows the endpoint, retry policy and
/// timeouts, never a credential.
///
/// Operations must run inside a Tokio runtime with its time driver enabled
/// (as `#[tokio::main]` sets up): timeouts and retry waits use it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// The base URL, without a trailing `/`; operation paths are appended.
    endpoint: String,
    #[cfg(feature = "huaweicloud")]
    region: Option<crate::huaweicloud::Region>,
    /// `None` for an API used without credentials.
    auth: Option<Arc<dyn Authorize>>,
    /// What `auth` says must never be shown, asked once: the credentials do not change.
    auth_secrets: Vec<HeaderValue>,
    retry: RetryPolicy,
    /// The token bucket retries draw on; `None` when the budget is unlimited.
    retry_budget: Option<RetryBudget>,
    /// The bound on a whole call, every attempt and wait included.
    operation_timeout: Option<Duration>,
    /// Stalled-stream protection of response bodies; `None` when off.
    stall: Option<StallGuard>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: HeaderValue,
    max_response_body_bytes: u64,
}

impl Client {
    /// The base URL requests go to (no trailing `/`).
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint
    }

    /// The Huawei Cloud region the endpoint is from, if it came from one.
    #[cfg(feature = "huaweicloud")]
    pub fn region(&self) -> Option<crate::huaweicloud::Region> {
        self.inner.region
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// Sends `request`, retrying as the [`RetryPolicy`] allows, and returns
    /// the 2xx answer with its whole body; any other status is an
    /// [`Error::Api`]. Called by generated operations.
    #[doc(hidden)]
    pub fn execute(
        &self,
        request: OperationRequest,
    ) -> impl Future<Output = Result<RawResponse, Error>> + Send + '_ {
        let span = tracing::debug_span!(
            "operation",
            operation = request.operation,
            method = %request.method,
            attempts = tracing::field::Empty,
        );
        self.run(request).instrument(span)
    }

    async fn run(&self, request: OperationRequest) -> Result<RawResponse, Error> {
        let prepared = self.prepare(&request)?;
        let operation = request.operation;
        let policy = self.inner.retry;
        let max_attempts = policy.attempts().max(1);
        // `None` also for a limit too long to be a point in time: no deadline.
        let deadline = self.inner.operation_timeout.and_then(|limit| {
            Instant::now()
                .checked_add(limit)
                .map(|at| Deadline { at, limit })
        });
        let budget = self.inner.retry_budget.as_ref();
        // What the last retry took from the budget, refunded on success.
        let mut withdrawal: Option<Withdrawal> = None;
        // The error of the attempt before the current one, for a deadline error.
        let mut previous: Option<Error> = None;
        let mut attempt: u32 = 1;
        // Bounded: `attempt` grows by one per iteration and the loop returns
        // once it reaches `max_attempts`.
        loop {
            if let Some(deadline) = deadline {
                if Instant::now() >= deadline.at {
                    tracing::Span::current().record("attempts", attempt - 1);
                    return Err(deadline.error(operation, attempt - 1, previous.take()));
                }
            }
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let result = self
                .attempt(operation, &prepared, deadline)
                .instrument(span)
                .await;
            let mut error = match result {
                Ok(raw) => {
                    tracing::Span::current().record("attempts", attempt);
                    if let Some(budget) = budget {
                        budget.refund(withdrawal);
                    }
                    return Ok(raw);
                }
                Err(error) => error,
            };
            set_attempts(&mut error, attempt);
            if let (Some(deadline), Error::Transport(e)) = (deadline, &error) {
                if e.kind() == TransportErrorKind::OperationTimeout {
                    // The deadline cut this attempt short.
                    tracing::Span::current().record("attempts", attempt);
                    return Err(deadline.error(operation, attempt, previous.take()));
                }
            }
            // A streaming body was consumed by the attempt that sent it (even one that
            // failed to connect): it cannot be sent again.
            let replayable = !matches!(prepared.body, Some(BodyData::Stream(_)));
            let retry = replayable
                && match &error {
                    Error::Transport(e) => {
                        e.is_retryable() && (request.idempotent || e.is_connect_phase())
                    }
                    Error::Api(e) => e.is_retryable() && request.idempotent,
                    _ => false,
                };
            if !retry || attempt >= max_attempts {
                tracing::Span::current().record("attempts", attempt);
                tracing::debug!(error = %error, "operation failed");
                return Err(error);
            }
            let delay = match error.retry_after() {
                Some(wait) if wait > policy.retry_after_cap() => {
                    tracing::Span::current().record("attempts", attempt);
                    tracing::debug!(
                        retry_after_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "not retrying: the server asked for a longer wait than the retry policy allows",
                    );
                    return Err(error);
                }
                Some(wait) => wait,
                None => policy.backoff(attempt),
            };
            if let Some(deadline) = deadline {
                if delay >= deadline.at.saturating_duration_since(Instant::now()) {
                    tracing::Span::current().record("attempts", attempt);
                    tracing::debug!(
                        error = %error,
                        "not retrying: the wait would pass the operation deadline",
                    );
                    return Err(deadline.error(operation, attempt, Some(error)));
                }
            }
            if let Some(budget) = budget {
                match budget.withdraw(&error) {
                    Some(taken) => withdrawal = Some(taken),
                    None => {
                        tracing::Span::current().record("attempts", attempt);
                        tracing::debug!(
                            error = %error,
                            "not retrying: the client's retry budget is exhausted",
                        );
                        return Err(error);
                    }
                }
            }
            tracing::debug!(
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying",
            );
            tokio::time::sleep(delay).await;
            previous = Some(error);
            attempt += 1;
        }
    }

    /// Everything about the request that does not change between attempts.
    fn prepare(&self, request: &OperationRequest) -> Result<Prepared, Error> {
        let operation = request.operation;
        if !request.path.starts_with('/') {
            return Err(InvalidInput::new(operation, "path", "must start with `/`").into());
        }
        let mut url = format!("{}{}", self.inner.endpoint, request.path);
        for (i, (name, value)) in request.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode_query_component(name));
            url.push('=');
            url.push_str(&encode_query_component(value));
        }
        let url = Url::parse(&url).map_err(|error| {
            InvalidInput::new(
                operation,
                "path",
                format!("does not make a valid URL: {error}"),
            )
        })?;

        // Kept as lists, not a map: each attempt builds its own map (with room for the
        // credentials), so a map here would only be built to be copied.
        let mut appended = Vec::with_capacity(request.headers.len());
        let mut inserted = Vec::with_capacity(4);
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                InvalidInput::new(
                    operation,
                    format!("header {name}"),
                    "is not a valid header name",
                )
            })?;
            appended.push((name, value.clone()));
        }
        let accept = HeaderValue::from_str(request.accept)
            .map_err(|_| InvalidInput::new(operation, "accept", "is not a valid media type"))?;
        inserted.push((ACCEPT, accept));
        inserted.push((USER_AGENT, self.inner.user_agent.clone()));
        let body = match &request.body {
            Some((content_type, body)) => {
                let content_type = HeaderValue::from_str(content_type).map_err(|_| {
                    InvalidInput::new(operation, "content_type", "is not a valid media type")
                })?;
                inserted.push((CONTENT_TYPE, content_type));
                Some(body.clone())
            }
            None => {
                // Some gateways answer 411 to a POST without a length; hyper
                // sends none for an empty body, so say it explicitly.
                if matches!(request.method, Method::POST | Method::PUT | Method::PATCH) {
                    inserted.push((CONTENT_LENGTH, HeaderValue::from_static("0")));
                }
                None
            }
        };
        Ok(Prepared {
            method: request.method.clone(),
            url,
            appended,
            inserted,
            body,
        })
    }

    /// One attempt: a fresh request, fresh credentials, the whole answer read
    /// within the attempt timeout (and before the operation's `deadline`). A
    /// non-2xx answer is an [`Error::Api`].
    async fn attempt(
        &self,
        operation: &'static str,
        prepared: &Prepared,
        deadline: Option<Deadline>,
    ) -> Result<RawResponse, Error> {
        let mut request = reqwest::Request::new(prepared.method.clone(), prepared.url.clone());
        // Room for the credential headers too (up to four), so that adding them does not
        // grow the map.
        let capacity = prepared.appended.len() + prepared.inserted.len() + 4;
        let mut headers = HeaderMap::with_capacity(capacity);
        for (name, value) in &prepared.appended {
            headers.append(name, value.clone());
        }
        for (name, value) in &prepared.inserted {
            headers.insert(name, value.clone());
        }
        *request.headers_mut() = headers;
        match &prepared.body {
            Some(BodyData::Bytes(bytes)) => {
                *request.body_mut() = Some(reqwest::Body::from(bytes.clone()));
            }
            Some(BodyData::Stream(stream)) => {
                let Some(stream) = stream.take() else {
                    return Err(InvalidInput::new(
                        operation,
                        "body",
                        "is a stream that was already sent (a streaming body is sent once)",
                    )
                    .into());
                };
                *request.body_mut() = Some(stream);
            }
            None => {}
        }
        // Last, so that a signature covers every other header.
        if let Some(auth) = &self.inner.auth {
            auth.authorize(&mut request, SystemTime::now())
                .map_err(|error| credential_error(operation, None, &error))?;
        }
        let mut secrets = self.inner.auth_secrets.clone();
        secrets.extend(
            request
                .headers()
                .values()
                .filter(|v| v.is_sensitive())
                .cloned(),
        );
        let https = request.url().scheme() == "https";
        let limit = self.inner.max_response_body_bytes;
        let stall = self.inner.stall;

        let exchange = async {
            let mut response = self
                .inner
                .http
                .execute(request)
                .await
                .map_err(|error| classify_send_error(operation, error, https))?;
            let status = response.status();
            // Taken, not cloned: the body is read without them.
            let headers = std::mem::take(response.headers_mut());
            let span = tracing::Span::current();
            span.record("status", status.as_u16());
            // Scrubbed before it is logged or kept: a server may echo anything there.
            let request_id = request_id_from_headers(&headers).map(|id| body::scrub(id, &secrets));
            if let Some(id) = &request_id {
                span.record("request_id", id.as_str());
            }
            // An error body is kept only up to a small bound (its tail is not read).
            let read_limit = match status.is_success() {
                true => limit,
                false => limit.min(ApiError::MAX_BODY_BYTES),
            };
            let read = body::read_limited(&mut response, read_limit, !status.is_success(), stall)
                .await
                .map_err(|error| match error {
                    ReadError::TooLarge => Error::from(TransportError::new(
                        operation,
                        TransportErrorKind::BodyTooLarge { limit },
                        false,
                        None,
                    )),
                    ReadError::Stalled => {
                        let stalled =
                            TransportError::new(operation, TransportErrorKind::Stalled, true, None);
                        match stall {
                            Some(guard) => stalled.with_timeout(guard.grace_period),
                            None => stalled,
                        }
                        .into()
                    }
                    ReadError::Interrupted(error) => classify_body_error(operation, error),
                })?;
            if !status.is_success() {
                return Err(Error::from(ApiError::from_response(
                    operation,
                    status,
                    headers,
                    read.bytes,
                    read.truncated,
                    &secrets,
                )));
            }
            Ok(RawResponse {
                status,
                headers,
                body: read.bytes,
                request_id,
                secrets,
            })
        };

        let timeout = self.inner.timeout;
        // The attempt ends at its timeout or the operation's deadline, whichever
        // comes first (`None`: a timeout too long to be a point in time).
        let (end, by_deadline) = match (Instant::now().checked_add(timeout), deadline) {
            (Some(end), Some(deadline)) if deadline.at < end => (Some(deadline.at), true),
            (None, Some(deadline)) => (Some(deadline.at), true),
            (end, _) => (end, false),
        };
        let result = match end {
            Some(end) => tokio::time::timeout_at(end, exchange).await,
            None => Ok(exchange.await),
        };
        match result {
            Ok(result) => result,
            Err(_elapsed) => match deadline {
                Some(deadline) if by_deadline => Err(deadline.error(operation, 1, None)),
                _ => Err(
                    TransportError::new(operation, TransportErrorKind::Timeout, true, None)
                        .with_timeout(timeout)
                        .into(),
                ),
            },
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut s = f.debug_struct("Client");
        s.field("endpoint", &inner.endpoint);
        #[cfg(feature = "huaweicloud")]
        s.field("region", &inner.region);
        s.field(
            "credentials",
            &inner.auth.as_ref().map_or("none", |auth| auth.kind()),
        )
        .field("retry", &inner.retry)
        .field(
            "retry_budget_available",
            &inner.retry_budget.as_ref().map(RetryBudget::available),
        )
        .field("operation_timeout", &inner.operation_timeout)
        .field("stalled_stream_protection", &inner.stall)
        .field("connect_timeout", &inner.connect_timeout)
        .field("timeout", &inner.timeout)
        .field("max_response_body_bytes", &inner.max_response_body_bytes)
        .field("user_agent", &inner.user_agent)
        .finish_non_exhaustive()
    }
}

/// The parts of a request that every attempt reuses.
struct Prepared {
    method: Method,
    url: Url,
    /// The operation's header parameters, in order (a name may repeat).
    appended: Vec<(HeaderName, HeaderValue)>,
    /// The client's own headers, each replacing any parameter of the same name.
    inserted: Vec<(HeaderName, HeaderValue)>,
    body: Option<BodyData>,
}

/// The end of a call with an operation timeout.
#[derive(Clone, Copy)]
struct Deadline {
    at: Instant,
    /// The operation timeout it was set from.
    limit: Duration,
}

impl Deadline {
    /// The error of a call stopped by its deadline after `attempts` attempts,
    /// with the last attempt's error (`previous`) as its source.
    fn error(&self, operation: &'static str, attempts: u32, previous: Option<Error>) -> Error {
        let source = previous.map(|error| Box::new(error) as BoxError);
        let mut error = TransportError::new(
            operation,
            TransportErrorKind::OperationTimeout,
            true,
            source,
        )
        .with_timeout(self.limit);
        error.set_attempts(attempts);
        error.into()
    }
}

/// A boxed error that can cross threads.
type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

fn set_attempts(error: &mut Error, attempts: u32) {
    match error {
        Error::Transport(e) => e.set_attempts(attempts),
        Error::Api(e) => e.set_attempts(attempts),
        _ => {}
    }
}

/// A credential problem as invalid input of `parameter` (default: the
/// credential field concerned). A `CredentialError` never contains a secret
/// (its documented contract), so its message can be kept.
fn credential_error(
    operation: &'static str,
    parameter: Option<&'static str>,
    error: &CredentialError,
) -> Error {
    let parameter = parameter.unwrap_or_else(|| match error.field() {
        "request" => "credentials",
        field => field,
    });
    InvalidInput::new(operation, parameter, error.to_string()).into()
}

/// Sorts a failure of `reqwest::Client::execute` (before any response header
/// arrived) into a kind, and says whether a new attempt might succeed.
fn classify_send_error(operation: &'static str, error: reqwest::Error, https: bool) -> Error {
    let (kind, retryable) = if error.is_connect() {
        if error.is_timeout() {
            (TransportErrorKind::ConnectTimeout, true)
        } else if https && !is_tcp_or_dns_failure(&error) {
            // The TCP connection was made (no TCP or DNS error in the
            // chain), so the handshake on top of it failed.
            (TransportErrorKind::Tls, false)
        } else {
            (TransportErrorKind::Connect, true)
        }
    } else if error.is_timeout() {
        // A timeout of a caller-supplied HTTP client.
        (TransportErrorKind::Timeout, true)
    } else if error.is_builder() || error.is_redirect() {
        (TransportErrorKind::Other, false)
    } else if Causes::of(&error).malformed {
        // A malformed answer (a head too large or that does not parse, a
        // server speaking another protocol): the server would send it again.
        (TransportErrorKind::Protocol, false)
    } else {
        // The connection failed while the request was sent or the answer
        // awaited (reset, closed before an answer): transient.
        (TransportErrorKind::Other, true)
    };
    // Without the URL: an API key may be in its query.
    TransportError::new(
        operation,
        kind,
        retryable,
        Some(Box::new(error.without_url())),
    )
    .into()
}

/// Sorts a failure to read a response body: a malformed body (invalid chunked
/// framing, one that does not decompress) is not retried; a connection closed
/// or reset mid-body is, as is a timeout.
fn classify_body_error(operation: &'static str, error: reqwest::Error) -> Error {
    let causes = Causes::of(&error);
    let (kind, retryable) = if error.is_timeout() {
        (TransportErrorKind::Timeout, true)
    } else if causes.malformed || (error.is_decode() && !causes.connection) {
        // reqwest calls every body error of a decompressing client a decode
        // error: it is the decoder's own only when the connection did not fail.
        (TransportErrorKind::Protocol, false)
    } else {
        (TransportErrorKind::BodyInterrupted, true)
    };
    TransportError::new(
        operation,
        kind,
        retryable,
        Some(Box::new(error.without_url())),
    )
    .into()
}

/// What an error chain says about a failed exchange, the way aws-sdk-rust's
/// classifiers tell a response error (not retried) from an I/O failure
/// (retried).
#[derive(Default)]
struct Causes {
    /// The answer was malformed: one of hyper's parse errors (a bad or
    /// oversized head, too many headers, not HTTP/1 at all), or the
    /// `InvalidData`/`InvalidInput` I/O error of an invalid body framing or
    /// compressed stream.
    malformed: bool,
    /// The connection itself failed: any other error of hyper (closed, reset,
    /// an incomplete message), or a reset, aborted or cut-off I/O.
    connection: bool,
}

impl Causes {
    fn of(error: &reqwest::Error) -> Causes {
        use std::io::ErrorKind::*;
        let mut causes = Causes::default();
        let mut next: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
        // Bounded: error chains are finite; 32 links is far more than any real one.
        for _ in 0..32 {
            let Some(current) = next else {
                break;
            };
            next = current.source();
            if let Some(hyper) = current.downcast_ref::<hyper::Error>() {
                // Every parse error: a bad head, one too large, too many headers, a
                // bad status or version (`is_parse_too_large` needs hyper's server).
                if hyper.is_parse() {
                    causes.malformed = true;
                } else {
                    causes.connection = true;
                }
            } else if let Some(io) = current.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    InvalidData | InvalidInput => causes.malformed = true,
                    UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe
                    | NotConnected => causes.connection = true,
                    _ => {}
                }
                // `io::Error::source` skips the error it wraps: look at that one.
                if let Some(inner) = io.get_ref() {
                    next = Some(inner);
                }
            }
        }
        causes
    }
}

/// Whether the error chain holds the connector's TCP or DNS failure (hyper's
/// connector names them "tcp connect error", "dns error", ...).
fn is_tcp_or_dns_failure(error: &reqwest::Error) -> bool {
    if error.is_dns() {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    // Bounded: error chains are finite; 32 links is far more than any real one.
    for _ in 0..32 {
        let Some(current) = source else {
            return false;
        };
        let text = current.to_string();
        if text.starts_with("tcp ") || text.starts_with("dns ") {
            return true;
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | NotConnected
                    | AddrNotAvailable
                    | TimedOut
            ) && io.get_ref().is_none()
            {
                return true;
            }
        }
        source = current.source();
    }
    false
}

// ---------------------------------------------------------------------------

/// Configures and builds a client of a generated crate (`C`: its async or
/// blocking client; generated crates name this type `ClientBuilder`).
///
/// Invalid settings are reported by [`build`](Self::build), as an
/// [`Error::InvalidInput`] whose operation is `"ClientBuilder"`.
pub struct ClientBuilder<C> {
    pub(crate) settings: Settings,
    client: PhantomData<fn() -> C>,
}

/// What a [`ClientBuilder`] holds: not generic, so that turning it into a client
/// (`build_client`) is compiled once, here, rather than in every generated crate.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) endpoint: Option<String>,
    #[cfg(feature = "huaweicloud")]
    pub(crate) region: Option<crate::huaweicloud::Region>,
    pub(crate) auth: Option<Result<Arc<dyn Authorize>, RejectedCredential>>,
    pub(crate) env_credentials: bool,
    pub(crate) env_endpoint: bool,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) stall_grace_period: Option<Duration>,
    pub(crate) stall_min_bytes_per_sec: u64,
    pub(crate) user_agent: Option<String>,
    pub(crate) max_response_body_bytes: u64,
    pub(crate) allow_http: bool,
    pub(crate) http_client: Option<ConfigureHttp>,
}

/// A credential given to the builder that did not pass its checks, and the
/// setting it came from; `build` reports it.
type RejectedCredential = (&'static str, CredentialError);

/// The caller's settings of the HTTP client (see [`ClientBuilder::configure_http_client`]).
type ConfigureHttp =
    Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static>;

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            settings: self.settings.clone(),
            client: PhantomData,
        }
    }
}

impl<C: ApiClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// The default connect timeout: 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default timeout of one attempt: 30 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default limit on a response body: 16 MiB.
    pub const DEFAULT_MAX_RESPONSE_BODY_BYTES: u64 = 16 * 1024 * 1024;
    /// The default grace period of stalled-stream protection: 20 s (as in
    /// the AWS SDK for Rust).
    pub const DEFAULT_STALLED_STREAM_GRACE_PERIOD: Duration = Duration::from_secs(20);
    /// The default minimum throughput of a response body: 1 byte per second.
    pub const DEFAULT_STALLED_STREAM_MIN_THROUGHPUT: u64 = 1;

    /// A builder with the defaults: credentials and endpoint from the
    /// environment, 10 s connect timeout, 30 s per attempt, no operation
    /// timeout, [`RetryPolicy::new`] (with its retry budget), stalled-stream
    /// protection (1 byte/s over 20 s), 16 MiB response body limit.
    pub fn new() -> Self {
        ClientBuilder {
            settings: Settings {
                endpoint: None,
                #[cfg(feature = "huaweicloud")]
                region: None,
                auth: None,
                env_credentials: true,
                env_endpoint: true,
                connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
                timeout: Self::DEFAULT_TIMEOUT,
                retry: RetryPolicy::new(),
                operation_timeout: None,
                stall_grace_period: Some(Self::DEFAULT_STALLED_STREAM_GRACE_PERIOD),
                stall_min_bytes_per_sec: Self::DEFAULT_STALLED_STREAM_MIN_THROUGHPUT,
                user_agent: None,
                max_response_body_bytes: Self::DEFAULT_MAX_RESPONSE_BODY_BYTES,
                allow_http: false,
                http_client: None,
            },
            client: PhantomData,
        }
    }

    /// The base URL of the API, e.g. `https://api.example` or a proxy's
    /// `https://proxy.example/api` (a path prefix is kept; operation paths are
    /// appended). Takes precedence over every other source of the endpoint.
    ///
    /// It must be `https`, or `http` to a loopback address (`127.0.0.0/8`,
    /// `[::1]`, or the name `localhost`, which the client then always connects
    /// to as `127.0.0.1` or `::1` without asking a resolver; not `*.localhost`)
    /// unless [`allow_http`](Self::allow_http) is set; without user info, query
    /// or fragment. A plain-`http` loopback endpoint is never reached through a
    /// proxy (one from the environment, `HTTP_PROXY` or `ALL_PROXY`, would see
    /// the credentials in clear).
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.settings.endpoint = Some(url.into());
        self
    }

    /// Authenticates with `key` through the API's API-key security scheme
    /// (when it declares several, use [`api_key_for`](Self::api_key_for)).
    /// Replaces earlier credentials.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        let credential = self
            .only_scheme("api_key", |kind| matches!(kind, SchemeKind::ApiKey { .. }))
            .and_then(|scheme| SchemeCredential::api_key(scheme, key));
        self.with_credential("api_key", credential)
    }

    /// Authenticates with `key` through the API-key security scheme named
    /// `scheme` in the spec. Replaces earlier credentials.
    pub fn api_key_for(self, scheme: &str, key: impl Into<String>) -> Self {
        let credential = match C::API.security_schemes.iter().find(|s| s.name == scheme) {
            Some(found) => SchemeCredential::api_key(found, key),
            None => Err(CredentialError::NoScheme {
                field: "api_key",
                reason: format!("the API declares no security scheme named {scheme:?}"),
            }),
        };
        self.with_credential("api_key", credential)
    }

    /// Authenticates with `token` as `Authorization: Bearer <token>`, through
    /// the API's bearer, OAuth 2 or OpenID Connect scheme. Replaces earlier credentials.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        let credential = self
            .first_scheme("bearer_token", |kind| *kind == SchemeKind::Bearer)
            .and_then(|scheme| SchemeCredential::bearer(scheme, token));
        self.with_credential("bearer_token", credential)
    }

    /// Authenticates with HTTP basic authentication, through the API's basic
    /// scheme. Replaces earlier credentials.
    pub fn basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self {
        let credential = self
            .first_scheme("basic_auth", |kind| *kind == SchemeKind::Basic)
            .and_then(|scheme| SchemeCredential::basic(scheme, user, password));
        self.with_credential("basic_auth", credential)
    }

    /// Authenticates with credentials of your own: `authorize` is called on
    /// every attempt, after every other header is set. Replaces earlier credentials.
    pub fn authorizer(mut self, authorizer: impl Authorize) -> Self {
        self.settings.auth = Some(Ok(Arc::new(authorizer)));
        self
    }

    pub(crate) fn with_credential(
        mut self,
        parameter: &'static str,
        credential: Result<impl Authorize, CredentialError>,
    ) -> Self {
        self.settings.auth = Some(match credential {
            Ok(credential) => Ok(Arc::new(credential)),
            Err(error) => Err((parameter, error)),
        });
        self
    }

    /// The one scheme of this kind; an error when there are none or several.
    fn only_scheme(
        &self,
        field: &'static str,
        kind: impl Fn(&SchemeKind) -> bool,
    ) -> Result<&'static SecurityScheme, CredentialError> {
        let mut schemes = C::API.security_schemes.iter().filter(|s| kind(&s.kind));
        match (schemes.next(), schemes.next()) {
            (Some(scheme), None) => Ok(scheme),
            (Some(_), Some(_)) => Err(CredentialError::NoScheme {
                field,
                reason: format!(
                    "the API declares several schemes for a {field}: name one with `api_key_for`"
                ),
            }),
            (None, _) => Err(no_scheme(field)),
        }
    }

    /// The first scheme of this kind (they all send the credential the same way).
    fn first_scheme(
        &self,
        field: &'static str,
        kind: impl Fn(&SchemeKind) -> bool,
    ) -> Result<&'static SecurityScheme, CredentialError> {
        C::API
            .security_schemes
            .iter()
            .find(|s| kind(&s.kind))
            .ok_or_else(|| no_scheme(field))
    }

    /// Does not look for credentials in the environment when none were given.
    pub fn no_env_credentials(mut self) -> Self {
        self.settings.env_credentials = false;
        self
    }

    /// Reads nothing from the environment: neither credentials nor the endpoint.
    pub fn no_env(mut self) -> Self {
        self.settings.env_credentials = false;
        self.settings.env_endpoint = false;
        self
    }

    /// The timeout for making a connection (TCP and TLS), 10 s by default;
    /// also with [`configure_http_client`](Self::configure_http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// The timeout of one attempt, from sending the request to the last byte
    /// of the answer, 30 s by default. Each retry gets the full timeout again.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// The retry policy ([`RetryPolicy::new`] by default).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Makes a single attempt per request.
    pub fn disable_retries(mut self) -> Self {
        self.settings.retry = RetryPolicy::disabled();
        self
    }

    /// The deadline of a whole call: all its attempts and the waits between
    /// them. None by default (each attempt is bounded by
    /// [`timeout`](Self::timeout), and the [`RetryPolicy`] bounds their number).
    ///
    /// The deadline is checked before each attempt, cuts an attempt short,
    /// and a retry whose wait would pass it is not made. A call stopped by it
    /// fails with a [`TransportErrorKind::OperationTimeout`] error, which
    /// says how many attempts were made and has the last attempt's error (if
    /// one failed before) as its source.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.settings.operation_timeout = Some(timeout);
        self
    }

    /// The grace period of stalled-stream protection, 20 s by default: a
    /// response body that delivers less than the
    /// [minimum throughput](Self::stalled_stream_min_throughput) (bytes per
    /// second × grace period, and at least one byte) within a grace period
    /// fails with a [`TransportErrorKind::Stalled`] error, which is
    /// retried like a timeout. This catches a server that trickles its answer
    /// long before the attempt [`timeout`](Self::timeout), which must allow for
    /// the largest answer.
    ///
    /// It covers the body (error bodies too), from the moment the response
    /// head is received. The wait for the head itself is bounded by the
    /// attempt timeout and the [operation timeout](Self::operation_timeout)
    /// only: until the head is complete, no progress can be measured, and a
    /// server may rightly think for a while before it answers.
    ///
    /// Sets protection on if it was [disabled](Self::disable_stalled_stream_protection).
    pub fn stalled_stream_grace_period(mut self, grace_period: Duration) -> Self {
        self.settings.stall_grace_period = Some(grace_period);
        self
    }

    /// The minimum throughput of a response body under stalled-stream
    /// protection, in bytes per second; 1 by default. At least one byte per
    /// [grace period](Self::stalled_stream_grace_period) is always required.
    pub fn stalled_stream_min_throughput(mut self, bytes_per_second: u64) -> Self {
        self.settings.stall_min_bytes_per_sec = bytes_per_second;
        self
    }

    /// Turns stalled-stream protection off: a slow body is then bounded by the
    /// attempt timeout only.
    pub fn disable_stalled_stream_protection(mut self) -> Self {
        self.settings.stall_grace_period = None;
        self
    }

    /// Text appended to the `User-Agent` (which starts with the generated
    /// crate's name and version), e.g. `my-tool/1.2`. Visible ASCII and
    /// spaces, at most 1 KiB.
    pub fn user_agent(mut self, suffix: impl Into<String>) -> Self {
        self.settings.user_agent = Some(suffix.into());
        self
    }

    /// The largest response body accepted, 16 MiB by default, counted once
    /// decompressed (the client asks for and decompresses gzip, deflate,
    /// brotli and zstd answers). A longer 2xx body is a
    /// [`TransportErrorKind::BodyTooLarge`] error (rejected from its
    /// `Content-Length` when declared, else when the limit is passed: it is
    /// never held in memory whole, so a decompression bomb is this error too).
    /// An error body is read only up to [`ApiError::MAX_BODY_BYTES`] (64 KiB), or
    /// this limit when smaller, and cut there.
    pub fn max_response_body_bytes(mut self, limit: u64) -> Self {
        self.settings.max_response_body_bytes = limit;
        self
    }

    /// Allows a plain `http` endpoint on a non-loopback host. Credentials are
    /// then sent unencrypted (through a proxy too, if one is configured): use
    /// only on a trusted network.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.settings.allow_http = allow;
        self
    }

    /// Settings of your own for the HTTP client (a proxy, root certificates,
    /// client certificates, a DNS resolver, pool sizes, ...): `configure` is
    /// handed a fresh [`reqwest::ClientBuilder`] and returns it configured; the
    /// runtime then applies its own policy on top and builds the client.
    /// Replaces an earlier `configure_http_client`.
    ///
    /// Whatever `configure` sets, the client
    /// - follows no redirect (a redirect is returned as an [`Error::Api`]), so
    ///   that no credential is ever sent to a host other than the endpoint's;
    /// - connects within [`connect_timeout`](Self::connect_timeout);
    /// - uses no proxy for a plain-`http` loopback endpoint (a proxy would see
    ///   the credentials in clear), and always connects to the loopback
    ///   addresses for the name `localhost` there.
    ///
    /// The per-attempt timeout, retries and body limit apply as usual. Each
    /// [`build`](Self::build) calls `configure` and makes a new connection
    /// pool: clone the built client to share one.
    ///
    /// ```
    /// # fn doc<C: codearts_runtime::ApiClient>(builder: codearts_runtime::ClientBuilder<C>) {
    /// let builder = builder.configure_http_client(|http| http.pool_max_idle_per_host(4));
    /// # }
    /// ```
    pub fn configure_http_client(
        mut self,
        configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.settings.http_client = Some(Arc::new(configure));
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// The endpoint is [`endpoint`](Self::endpoint) (or, for a Huawei Cloud API,
    /// the region's); failing that, `{PREFIX}_ENDPOINT` from the environment
    /// (for a Huawei Cloud API, else `{PREFIX}_REGION`), unless
    /// [`no_env`](Self::no_env); failing that, the spec's server.
    ///
    /// Credentials are the ones given to the builder; failing that, the
    /// environment's (unless [`no_env_credentials`](Self::no_env_credentials)):
    /// `{PREFIX}_TOKEN` (a bearer token, or the API key when the API has no
    /// bearer scheme), `{PREFIX}_API_KEY`, `{PREFIX}_USERNAME` and
    /// `{PREFIX}_PASSWORD`; a Huawei Cloud API reads its own (see its
    /// `Credentials`) and must have credentials. `PREFIX` is the generated
    /// crate's (its client's docs name the variables).
    ///
    /// TLS uses rustls, or the platform's library when the crate feature
    /// `native-tls` is enabled.
    pub fn build(self) -> Result<C, Error> {
        C::from_client(self.settings.build_client(C::API)?)
    }
}

impl Settings {
    fn build_client(mut self, api: &Api) -> Result<Client, Error> {
        let endpoint = self.resolve_endpoint(api)?;
        let auth = self.resolve_auth(api)?;

        if self.timeout.is_zero() {
            return Err(invalid("timeout", "must be greater than zero"));
        }
        if self.connect_timeout.is_zero() {
            return Err(invalid("connect_timeout", "must be greater than zero"));
        }
        if self
            .operation_timeout
            .is_some_and(|timeout| timeout.is_zero())
        {
            return Err(invalid("operation_timeout", "must be greater than zero"));
        }
        if self.stall_grace_period.is_some_and(|grace| grace.is_zero()) {
            return Err(invalid(
                "stalled_stream_grace_period",
                "must be greater than zero (or disable stalled-stream protection)",
            ));
        }

        let user_agent = user_agent(api.user_agent, self.user_agent.as_deref())?;

        let http = http_client(self.http_client.as_deref(), &endpoint, self.connect_timeout)?;
        let connect_timeout = self.connect_timeout;

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                endpoint,
                #[cfg(feature = "huaweicloud")]
                region: self.region,
                auth_secrets: auth.as_ref().map(|auth| auth.secrets()).unwrap_or_default(),
                auth,
                retry: self.retry,
                retry_budget: RetryBudget::new(&self.retry),
                operation_timeout: self.operation_timeout,
                stall: self.stall_grace_period.map(|grace_period| StallGuard {
                    grace_period,
                    min_bytes_per_sec: self.stall_min_bytes_per_sec,
                }),
                connect_timeout,
                timeout: self.timeout,
                user_agent,
                max_response_body_bytes: self.max_response_body_bytes,
            }),
        })
    }

    /// The endpoint, from the first source that has one (see [`ClientBuilder::build`]).
    fn resolve_endpoint(&mut self, api: &Api) -> Result<String, Error> {
        if let Some(endpoint) = &self.endpoint {
            return validate_endpoint(endpoint, self.allow_http);
        }
        #[cfg(feature = "huaweicloud")]
        if let Some(region) = self.region {
            return validate_endpoint(region.endpoint(), false);
        }
        if self.env_endpoint {
            let variable = api.env_var("ENDPOINT");
            if let Some(endpoint) = env_var(&variable)? {
                return validate_endpoint(&endpoint, self.allow_http);
            }
            #[cfg(feature = "huaweicloud")]
            if api.profile == Profile::HuaweiCloud {
                if let Some(region) = crate::huaweicloud::region_from_env(api)? {
                    self.region = Some(region);
                    return validate_endpoint(region.endpoint(), false);
                }
            }
        }
        if let Some(endpoint) = api.default_endpoint {
            return validate_endpoint(endpoint, self.allow_http).map_err(|error| {
                invalid(
                    "endpoint",
                    format!("the spec's server cannot be used ({error}); set `.endpoint(..)`"),
                )
            });
        }
        let hint = match api.profile {
            Profile::HuaweiCloud => format!(
                "no endpoint: set `.region(..)` or `.endpoint(..)`, or {} or {}",
                api.env_var("ENDPOINT"),
                api.env_var("REGION")
            ),
            _ => format!(
                "no endpoint: set `.endpoint(..)`, or {}",
                api.env_var("ENDPOINT")
            ),
        };
        Err(invalid("endpoint", hint))
    }

    /// The credentials, from the builder or the environment (see [`ClientBuilder::build`]).
    fn resolve_auth(&mut self, api: &Api) -> Result<Option<Arc<dyn Authorize>>, Error> {
        let from_env = match self.auth.take() {
            Some(Ok(auth)) => return Ok(Some(auth)),
            Some(Err((parameter, error))) => {
                return Err(credential_error(BUILDER, Some(parameter), &error));
            }
            None if self.env_credentials => match api.profile {
                #[cfg(feature = "huaweicloud")]
                Profile::HuaweiCloud => crate::huaweicloud::credentials_from_env(api)?,
                _ => generic_credentials_from_env(api)?,
            },
            None => None,
        };
        match api.profile {
            Profile::HuaweiCloud if from_env.is_none() => Err(invalid(
                "credentials",
                format!(
                    "no credentials: call `.auth_token(..)` or `.credentials(..)`, \
                     or set {}, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK",
                    api.env_var("TOKEN")
                ),
            )),
            #[cfg(not(feature = "huaweicloud"))]
            Profile::HuaweiCloud => Err(invalid(
                "credentials",
                "this is a Huawei Cloud API: enable the runtime's `huaweicloud` feature",
            )),
            _ => Ok(from_env),
        }
    }
}

fn no_scheme(field: &'static str) -> CredentialError {
    CredentialError::NoScheme {
        field,
        reason: format!("the API declares no security scheme for a {field}"),
    }
}

/// Credentials of the spec's schemes from `{PREFIX}_TOKEN`, `{PREFIX}_API_KEY`,
/// `{PREFIX}_USERNAME` and `{PREFIX}_PASSWORD`, in that order; `None` when none is set.
fn generic_credentials_from_env(api: &Api) -> Result<Option<Arc<dyn Authorize>>, Error> {
    let schemes = api.security_schemes;
    let bearer = schemes.iter().find(|s| s.kind == SchemeKind::Bearer);
    let api_key = schemes
        .iter()
        .find(|s| matches!(s.kind, SchemeKind::ApiKey { .. }));
    let basic = schemes.iter().find(|s| s.kind == SchemeKind::Basic);
    let from_env = |variable: String, credential: Result<SchemeCredential, CredentialError>| {
        credential
            .map(|c| Some(Arc::new(c) as Arc<dyn Authorize>))
            .map_err(|error| Error::from(InvalidInput::new(BUILDER, variable, error.to_string())))
    };
    let token_variable = api.env_var("TOKEN");
    if let Some(token) = env_var(&token_variable)? {
        let credential = match (bearer, api_key) {
            (Some(scheme), _) => SchemeCredential::bearer(scheme, token),
            (None, Some(scheme)) => SchemeCredential::api_key(scheme, token),
            (None, None) => Err(no_scheme("token")),
        };
        return from_env(token_variable, credential);
    }
    let key_variable = api.env_var("API_KEY");
    if let Some(key) = env_var(&key_variable)? {
        let credential = api_key
            .ok_or_else(|| no_scheme("api_key"))
            .and_then(|scheme| SchemeCredential::api_key(scheme, key));
        return from_env(key_variable, credential);
    }
    let (user_variable, password_variable) = (api.env_var("USERNAME"), api.env_var("PASSWORD"));
    match (env_var(&user_variable)?, env_var(&password_variable)?) {
        (None, None) => Ok(None),
        (Some(user), Some(password)) => {
            let credential = basic
                .ok_or_else(|| no_scheme("basic_auth"))
                .and_then(|scheme| SchemeCredential::basic(scheme, user, password));
            from_env(user_variable, credential)
        }
        (Some(_), None) => from_env(
            password_variable.clone(),
            Err(CredentialError::Incomplete {
                field: "password",
                missing: password_variable,
                present: user_variable,
            }),
        ),
        (None, Some(_)) => from_env(
            user_variable.clone(),
            Err(CredentialError::Incomplete {
                field: "user",
                missing: user_variable,
                present: password_variable,
            }),
        ),
    }
}

/// The `User-Agent`: the crate's, then the caller's suffix.
fn user_agent(base: &str, suffix: Option<&str>) -> Result<HeaderValue, Error> {
    let full = match suffix {
        None => base.to_owned(),
        Some(suffix) if suffix.len() > MAX_USER_AGENT_SUFFIX => {
            return Err(invalid("user_agent", "must be at most 1024 bytes long"));
        }
        Some(suffix) => format!("{base} {}", suffix.trim()),
    };
    if !full.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Err(invalid(
            "user_agent",
            "must contain only visible ASCII characters and spaces",
        ));
    }
    HeaderValue::from_str(&full).map_err(|_| invalid("user_agent", "is not a valid header value"))
}

/// An environment variable; `None` when unset or empty.
pub(crate) fn env_var(name: &str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(InvalidInput::new(BUILDER, name.to_owned(), "is not valid UTF-8").into())
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.settings.auth {
            None => "none",
            Some(Ok(auth)) => auth.kind(),
            Some(Err(_)) => "invalid",
        };
        let mut s = f.debug_struct("ClientBuilder");
        s.field("endpoint", &self.settings.endpoint);
        #[cfg(feature = "huaweicloud")]
        s.field("region", &self.settings.region);
        s.field("credentials", &credentials)
            .field("env_credentials", &self.settings.env_credentials)
            .field("env_endpoint", &self.settings.env_endpoint)
            .field("connect_timeout", &self.settings.connect_timeout)
            .field("timeout", &self.settings.timeout)
            .field("retry", &self.settings.retry)
            .field("operation_timeout", &self.settings.operation_timeout)
            .field("stall_grace_period", &self.settings.stall_grace_period)
            .field(
                "stall_min_bytes_per_sec",
                &self.settings.stall_min_bytes_per_sec,
            )
            .field("user_agent", &self.settings.user_agent)
            .field(
                "max_response_body_bytes",
                &self.settings.max_response_body_bytes,
            )
            .field("allow_http", &self.settings.allow_http)
            .field("http_client", &self.settings.http_client.is_some())
            .finish()
    }
}

pub(crate) fn invalid(
    parameter: &'static str,
    reason: impl Into<std::borrow::Cow<'static, str>>,
) -> Error {
    InvalidInput::new(BUILDER, parameter, reason).into()
}

/// Checks a base URL and returns it without a trailing `/`.
fn validate_endpoint(endpoint: &str, allow_http: bool) -> Result<String, Error> {
    let url = Url::parse(endpoint.trim()).map_err(|error| match error {
        url::ParseError::RelativeUrlWithoutBase => invalid(
            "endpoint",
            "is not an absolute URL: it needs a scheme, as in `https://host`",
        ),
        error => invalid("endpoint", format!("is not a valid URL: {error}")),
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http || is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                "endpoint",
                "plain http is allowed only to a loopback address; use https, \
                 or `.allow_http(true)` on a trusted network",
            ));
        }
        _ => return Err(invalid("endpoint", "must be an http or https URL")),
    }
    if url.host().is_none() {
        return Err(invalid("endpoint", "must name a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "endpoint",
            "must not contain user info (credentials belong in `.credentials(..)`)",
        ));
    }
    if url.query().is_some() {
        return Err(invalid("endpoint", "must not have a query string"));
    }
    if url.fragment().is_some() {
        return Err(invalid("endpoint", "must not have a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether `url` is a plain-`http` URL the client accepts without
/// [`ClientBuilder::allow_http`]: one to a literal loopback address
/// (`127.0.0.0/8`, `::1`) or to the name `localhost`, which [`http_client`]
/// pins to those addresses. `*.localhost` names are not: the system resolver
/// would be asked for them, and may answer anything.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The HTTP client: the caller's settings (if any), then the runtime's policy
/// (see [`ClientBuilder::configure_http_client`]) for `endpoint`, a URL
/// [`validate_endpoint`] accepted.
fn http_client(
    configure: Option<&(dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync)>,
    endpoint: &str,
    connect_timeout: Duration,
) -> Result<reqwest::Client, Error> {
    let mut builder = reqwest::Client::builder();
    if let Some(configure) = configure {
        builder = configure(builder);
    }
    builder = builder
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none());
    let url = Url::parse(endpoint)
        .map_err(|error| invalid("endpoint", format!("is not a valid URL: {error}")))?;
    if url.scheme() == "http" && is_loopback(&url) {
        // The credentials go in clear: to the loopback address itself, never to a
        // proxy, and never to what a resolver says `localhost` is.
        builder = builder.no_proxy();
        if let Some(url::Host::Domain(domain)) = url.host() {
            let loopback = [
                std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, 0)),
                std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0)),
            ];
            builder = builder.resolve_to_addrs(domain, &loopback);
        }
    }
    builder.build().map_err(|error| {
        invalid(
            "configure_http_client",
            format!("the HTTP client cannot be built: {error}"),
        )
    })
}
