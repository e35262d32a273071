//! Helpers shared by the runtime's integration tests: a client set up for
//! tests, operations written the way the generator writes them, and tiny raw
//! HTTP servers on 127.0.0.1 for misbehaving peers.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codearts_runtime::{self as rt, RetryPolicy};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub mod env;
mod test_client;
pub use test_client::{Client, ClientBuilder};

/// The token every test client sends; tests check it never leaks.
pub const TOKEN: &str = "tok-SECRET-0123456789abcdefXYZ";

/// A builder for `endpoint` with the test token, no environment lookup, and
/// millisecond backoffs so that retry tests stay fast.
pub fn builder(endpoint: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(endpoint)
        .auth_token(TOKEN)
        .no_env_credentials()
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(5))
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

pub fn client(endpoint: &str) -> Client {
    builder(endpoint).build().expect("test client builds")
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Namespace {
    pub id: i64,
    pub name: Option<String>,
}

/// A part of the documented `ShowRepository` answer.
#[derive(Debug, Deserialize, PartialEq)]
pub struct Repository {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub namespace: Option<Namespace>,
}

/// The documented error body.
#[derive(Debug, Deserialize, PartialEq)]
pub struct ErrorBody {
    pub error_code: Option<String>,
    pub error_msg: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct StatisticsStatus {
    pub can_statistics: bool,
    pub reason: i64,
}

#[derive(Debug, PartialEq)]
pub struct StatisticsStatusHeaders {
    pub x_total: Option<String>,
    pub x_count: Option<u32>,
}

/// `GET /v4/repositories/{repository_id}`, as the generator writes it.
pub async fn show_repository(
    client: &Client,
    repository_id: i64,
) -> Result<rt::Response<Repository>, rt::Error> {
    const OPERATION: &str = "ShowRepository";
    let raw = get_under_repository(client, OPERATION, repository_id, "").await?;
    let body = rt::support::decode_json::<Repository>(OPERATION, &raw)?;
    Ok(rt::Response::new(raw, body, ()))
}

/// `GET /v4/repositories/{repository_id}/repository/statistics-status`, with
/// its documented `X-Total` header.
pub async fn show_statistics_status(
    client: &Client,
    repository_id: i64,
) -> Result<rt::Response<StatisticsStatus, StatisticsStatusHeaders>, rt::Error> {
    const OPERATION: &str = "ShowRepositoryStatisticsStatus";
    let suffix = "/repository/statistics-status";
    let raw = get_under_repository(client, OPERATION, repository_id, suffix).await?;
    let body = rt::support::decode_json::<StatisticsStatus>(OPERATION, &raw)?;
    let headers = StatisticsStatusHeaders {
        x_total: rt::support::header_typed::<String>(&raw.headers, "X-Total"),
        x_count: rt::support::header_typed::<u32>(&raw.headers, "X-Count"),
    };
    Ok(rt::Response::new(raw, body, headers))
}

/// The start both operations above share: the generated range check of
/// `repository_id` (1 to 2^31-1), then a GET of
/// `/v4/repositories/{repository_id}{suffix}`, as the generator writes it in
/// each operation.
async fn get_under_repository(
    client: &Client,
    operation: &'static str,
    repository_id: i64,
    suffix: &str,
) -> Result<rt::RawResponse, rt::Error> {
    rt::support::check_int_range(
        operation,
        "repository_id",
        [repository_id],
        Some(1),
        Some(2147483647),
    )?;
    let path = format!(
        "/v4/repositories/{}{suffix}",
        rt::support::encode_path_segment(&repository_id.to_string())
    );
    let request = rt::OperationRequest::new(operation, rt::Method::GET, path);
    client.execute(request).await
}

/// A request of an operation named `op` with no parameters.
pub fn request(op: &'static str, method: rt::Method, path: &str) -> rt::OperationRequest {
    rt::OperationRequest::new(op, method, path.to_owned())
}

/// Runs `request` and decodes a `Repository`.
pub async fn run_json(
    client: &Client,
    request: rt::OperationRequest,
) -> Result<Repository, rt::Error> {
    let op = request.operation();
    let raw = client.execute(request).await?;
    rt::support::decode_json::<Repository>(op, &raw)
}

/// A JSON document of a repository.
pub fn repository_json() -> serde_json::Value {
    serde_json::json!({
        "id": 2111993598,
        "description": null,
        "name": "test_import",
        "namespace": {"id": 2111853526, "name": "g5", "full_name": null},
        "archived": false,
        "ancestor_ids": [2111851014, 2111853523]
    })
}

/// Fails the test when `text` holds the test token.
#[track_caller]
pub fn assert_no_token(text: &str) {
    assert!(!text.contains(TOKEN), "the token leaked into: {text}");
    assert!(
        !text.contains("SECRET-0123456789"),
        "part of the token leaked into: {text}"
    );
}

/// Every `Display` and `Debug` rendering of an error and its sources.
pub fn renderings(error: &rt::Error) -> String {
    let mut out = format!("{error}\n{error:?}\n");
    let mut source = std::error::Error::source(error);
    let mut depth = 0;
    while let (Some(current), true) = (source, depth < 16) {
        out.push_str(&format!("{current}\n{current:?}\n"));
        source = current.source();
        depth += 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Raw servers

/// A TCP server on 127.0.0.1 that hands every connection to a handler, and
/// counts connections and the request heads it read.
pub struct RawServer {
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    heads: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

/// What a handler gets: the connection's number (0-based) and the stream.
pub struct Conn {
    pub index: usize,
    pub stream: TcpStream,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Conn {
    /// Reads one request head (up to the blank line), within 5 s and 64 KiB,
    /// and records it. `None` when the peer closed first.
    pub async fn read_head(&mut self) -> Option<String> {
        let mut buffer = Vec::new();
        let mut byte = [0u8; 1];
        let read = async {
            while buffer.len() < 64 * 1024 {
                match self.stream.read(&mut byte).await {
                    Ok(1) => buffer.push(byte[0]),
                    _ => return false,
                }
                if buffer.ends_with(b"\r\n\r\n") {
                    return true;
                }
            }
            false
        };
        let complete = tokio::time::timeout(Duration::from_secs(5), read)
            .await
            .unwrap_or(false);
        if !complete {
            return None;
        }
        let head = String::from_utf8_lossy(&buffer).into_owned();
        self.heads.lock().unwrap().push(head.clone());
        Some(head)
    }

    /// Writes `bytes`, ignoring a peer that went away.
    pub async fn write(&mut self, bytes: &[u8]) {
        let _ = self.stream.write_all(bytes).await;
        let _ = self.stream.flush().await;
    }
}

impl RawServer {
    pub async fn start<F, Fut>(handler: F) -> RawServer
    where
        F: Fn(Conn) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let task = {
            let connections = connections.clone();
            let heads = heads.clone();
            tokio::spawn(async move {
                // Bounded by the test: the task is aborted when the server is dropped.
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let index = connections.fetch_add(1, Ordering::SeqCst);
                    let conn = Conn {
                        index,
                        stream,
                        heads: heads.clone(),
                    };
                    tokio::spawn(tokio::time::timeout(Duration::from_secs(30), handler(conn)));
                }
            })
        };
        RawServer {
            addr,
            connections,
            heads,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server that answers every request with the same raw bytes, then closes.
pub async fn canned(response: &'static [u8]) -> RawServer {
    RawServer::start(move |mut conn| async move {
        if conn.read_head().await.is_some() {
            conn.write(response).await;
        }
    })
    .await
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------
// Wiremock servers and what they received

/// A wiremock server answering every GET with `response`: most tests need no
/// more than one canned answer.
pub async fn answering(response: wiremock::ResponseTemplate) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A wiremock server answering every GET with [`repository_json`], which
/// [`show_repository`] decodes.
pub async fn repository_server() -> wiremock::MockServer {
    answering(wiremock::ResponseTemplate::new(200).set_body_json(repository_json())).await
}

/// The one request a wiremock server received; fails the test unless there
/// was exactly one.
pub async fn only_request(server: &wiremock::MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "requests received");
    requests.remove(0)
}

/// The text of header `name` of a request a wiremock server received; fails
/// the test when it is missing or not visible ASCII.
#[track_caller]
pub fn header_text<'r>(request: &'r wiremock::Request, name: &str) -> &'r str {
    let value = request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no header {name} in the request"));
    value
        .to_str()
        .unwrap_or_else(|_| panic!("header {name} is not text: {value:?}"))
}

/// The number of requests a wiremock server received.
pub async fn received(server: &wiremock::MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// The transport error `error` must be; panics with the whole error otherwise.
pub fn transport_of(error: &rt::Error) -> &rt::TransportError {
    error
        .transport()
        .unwrap_or_else(|| panic!("expected a transport error, got {error:?}"))
}

/// The transport error `error` must be, of `kind`; panics with the whole error otherwise.
pub fn transport_failure(error: &rt::Error, kind: rt::TransportErrorKind) -> &rt::TransportError {
    let failure = transport_of(error);
    assert_eq!(failure.kind(), kind, "{error:?}");
    failure
}
