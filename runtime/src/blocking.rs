//! A blocking client, for scripts and command-line tools that do not run an
//! async runtime (crate feature `blocking`).
//!
//! A generated crate's `blocking::Client` wraps this one: it has the same
//! operations, request builders, types and errors as the async client, and the
//! same builder settings; only `send()` blocks instead of being awaited.
//!
//! Each client runs its calls on a single-threaded Tokio runtime of its own,
//! with timers (timeouts, retry waits) enabled. It must not be used from inside
//! an async runtime: there, a call fails with [`Error::InvalidInput`] instead
//! of blocking a worker thread; use the async client.

use std::fmt;
use std::sync::Arc;

use crate::client::Client as AsyncClient;
use crate::error::{Error, InvalidInput};
use crate::operation::{DocumentedError, Handle, OperationError};

/// A blocking client of the API: see the [module docs](self).
///
/// Cheap to clone (the configuration, the connection pool and the runtime are
/// shared), `Send` and `Sync`; calls from several threads at once are fine.
#[derive(Clone)]
pub struct Client {
    client: AsyncClient,
    runtime: Arc<Runtime>,
}

impl Client {
    /// A blocking client that sends with `client`'s configuration and
    /// connection pool, on a runtime of its own.
    pub fn new(client: AsyncClient) -> Result<Client, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| {
                InvalidInput::new(
                    "ClientBuilder",
                    "blocking",
                    format!("cannot start the blocking client's runtime: {error}"),
                )
            })?;
        Ok(Client {
            client,
            runtime: Arc::new(Runtime(Some(runtime))),
        })
    }

    /// The async client underneath.
    pub fn async_client(&self) -> &AsyncClient {
        &self.client
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.client)
            .finish()
    }
}

impl<'a> From<&'a Client> for Handle<'a, &'a Client> {
    fn from(client: &'a Client) -> Self {
        Handle::new(&client.client, client)
    }
}

impl<'a> Handle<'a, &'a Client> {
    /// Runs one call of the operation whose documented errors are `E` to its end.
    pub fn block_on<T, E: DocumentedError>(
        self,
        call: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, OperationError<E>> {
        if tokio::runtime::Handle::try_current().is_ok() {
            // Blocking here would stall (or, on a current-thread runtime, deadlock)
            // the async runtime the caller is on; Tokio would panic.
            return Err(OperationError::new(
                InvalidInput::new(
                    E::OPERATION,
                    "blocking::Client",
                    "the blocking client cannot be used inside an async runtime: \
                     use the async `Client` and `.await` the request",
                )
                .into(),
            ));
        }
        match &self.mode().runtime.0 {
            Some(runtime) => runtime.block_on(call).map_err(OperationError::new),
            // Only `Drop` takes the runtime, and nothing can borrow the client then.
            None => Err(OperationError::new(
                InvalidInput::new(E::OPERATION, "blocking::Client", "the runtime is shut down")
                    .into(),
            )),
        }
    }
}

/// The client's runtime, shut down without blocking when the last clone of the
/// client is dropped inside an async context (where a blocking shutdown panics).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            runtime.shutdown_background();
        }
    }
}
