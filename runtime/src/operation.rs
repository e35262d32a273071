//! What ties a generated operation to the runtime: the error of one operation,
//! typed to the errors that operation documents, and the handle a request
//! builder keeps of the client that sends it (async, or blocking).

use std::fmt;
use std::marker::PhantomData;

use crate::client::Client;
use crate::error::{ApiError, DecodeError, Error, InvalidInput, TransportError};

/// The error responses one operation documents, decodable from an [`ApiError`].
///
/// Every operation has one such enum, generated beside it
/// (`operation::show_repository_statistics_status::ShowRepositoryStatisticsStatusError`);
/// an operation that documents no error response has an empty one. Most code
/// reaches it through [`OperationError::documented`].
pub trait DocumentedError: Sized {
    /// The `operationId` of the operation whose errors these are.
    const OPERATION: &'static str;

    /// The documented error `error` is, by its status and body shape; no check
    /// of which operation it came from. Generated; call
    /// [`from_api_error`](Self::from_api_error) instead.
    #[doc(hidden)]
    fn from_documented_status(error: &ApiError) -> Option<Self>;

    /// The documented error this API error is: `None` unless `error` came from
    /// this operation, has a status the operation documents, and a body of the
    /// documented shape.
    fn from_api_error(error: &ApiError) -> Option<Self> {
        if error.operation() != Self::OPERATION {
            return None;
        }
        Self::from_documented_status(error)
    }
}

/// The failure of one call of an operation: an [`Error`], typed to the errors
/// that operation documents (`E`).
///
/// [`documented`](Self::documented) gives the documented error the server
/// answered with, as the operation's own enum, ready to `match`;
/// [`error`](Self::error) and [`into_error`](Self::into_error) give the
/// underlying [`Error`], with its status, request id and body excerpt. It
/// converts into [`Error`] with `?`, so functions that call several operations
/// can return `Result<_, Error>`.
///
/// ```text
/// use codearts_repo::operation::show_repository_statistics_status::ShowRepositoryStatisticsStatusError as StatusError;
///
/// match client.show_repository_statistics_status(2111915566).await {
///     Ok(status) => println!("{:?}", status.body),
///     Err(error) => match error.documented() {
///         Some(StatusError::NotFound(body)) => println!("no such repository: {:?}", body.error_msg),
///         _ => return Err(error.into()),
///     },
/// }
/// ```
pub struct OperationError<E> {
    error: Error,
    documented: PhantomData<fn() -> E>,
}

impl<E> OperationError<E> {
    /// `error`, typed to the operation whose documented errors are `E`.
    pub fn new(error: Error) -> Self {
        OperationError {
            error,
            documented: PhantomData,
        }
    }

    /// The underlying error.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The underlying error, owned.
    pub fn into_error(self) -> Error {
        self.error
    }

    /// The operation that failed.
    pub fn operation(&self) -> &'static str {
        self.error.operation()
    }

    /// The HTTP status of the server's answer, when there was one.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.error.status()
    }

    /// The request id the server gave its answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.error.request_id()
    }

    /// See [`Error::is_retryable`].
    pub fn is_retryable(&self) -> bool {
        self.error.is_retryable()
    }

    /// See [`Error::is_timeout`].
    pub fn is_timeout(&self) -> bool {
        self.error.is_timeout()
    }

    /// See [`Error::body_excerpt`].
    pub fn body_excerpt(&self) -> Option<&str> {
        self.error.body_excerpt()
    }

    /// The server's error answer, for an [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError> {
        self.error.api()
    }

    /// The rejected input, for an [`Error::InvalidInput`].
    pub fn invalid_input(&self) -> Option<&InvalidInput> {
        self.error.invalid_input()
    }

    /// The transport failure, for an [`Error::Transport`].
    pub fn transport(&self) -> Option<&TransportError> {
        self.error.transport()
    }

    /// The decode failure, for an [`Error::Decode`].
    pub fn decode(&self) -> Option<&DecodeError> {
        self.error.decode()
    }
}

impl<E: DocumentedError> OperationError<E> {
    /// The documented error the server answered with, decoded into the
    /// operation's enum; `None` for any other failure (transport, invalid
    /// input, an undocumented status, a body not of the documented shape).
    pub fn documented(&self) -> Option<E> {
        self.error.api().and_then(E::from_api_error)
    }
}

impl<E> From<OperationError<E>> for Error {
    fn from(error: OperationError<E>) -> Self {
        error.error
    }
}

impl<E> From<Error> for OperationError<E> {
    fn from(error: Error) -> Self {
        OperationError::new(error)
    }
}

impl<E> fmt::Debug for OperationError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.error, f)
    }
}

impl<E> fmt::Display for OperationError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<E> std::error::Error for OperationError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

/// The mode of a request sent with `.await` (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

/// The client a request builder sends with, and how it is sent (`M`: [`Async`],
/// or the blocking client). Generated request builders keep one.
/// The async mode of a request builder: only [`Async`] (the trait is sealed). Generated
/// code's `IntoFuture` impls are generic over it so that they are compiled only where a
/// request is awaited.
pub trait AsyncMode: Send + Sync + sealed::Sealed {}

impl AsyncMode for Async {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Async {}
}

#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct Handle<'a, M> {
    client: &'a Client,
    mode: M,
}

impl<'a> From<&'a Client> for Handle<'a, Async> {
    fn from(client: &'a Client) -> Self {
        Handle::new(client, Async)
    }
}

impl<'a, M> Handle<'a, M> {
    pub(super) fn new(client: &'a Client, mode: M) -> Self {
        Handle { client, mode }
    }

    /// How requests are sent.
    pub fn mode(&self) -> &M {
        &self.mode
    }

    /// Sends `request` (see [`Client::execute`]).
    pub fn execute(&self, request: crate::request::OperationRequest) -> Exchange<'a> {
        exchange(self.client, request)
    }
}

/// A request on its way: the attempt loop, boxed.
pub type Exchange<'a> =
    std::pin::Pin<Box<dyn Future<Output = Result<crate::request::RawResponse, Error>> + Send + 'a>>;

/// Boxed here, in a function that is not generic, so that the attempt loop (retries,
/// timeouts, reading the body) is compiled once, in this crate, rather than again in
/// every generated crate that awaits it: a generated crate's build time is mostly code
/// generation for what it instantiates. One allocation per call, next to an HTTP exchange.
fn exchange(client: &Client, request: crate::request::OperationRequest) -> Exchange<'_> {
    Box::pin(client.execute(request))
}

impl<M> fmt::Debug for Handle<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.client, f)
    }
}
