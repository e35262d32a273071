//! One ShowRepository round trip through the generated client, against the
//! same request made with reqwest and serde by hand, both to the same local
//! hyper server (127.0.0.1, HTTP/1.1 keep-alive) that answers the page's
//! example response.
//!
//! ```text
//! cargo bench -p codearts-repo-tests --bench client
//! ```
//!
//! Everything runs on one thread: a current-thread Tokio runtime drives the
//! client side (criterion's `to_async`) and the server's tasks alike, so a
//! request never waits for another core to wake up (on a 2-vCPU virtual
//! machine such cross-thread wake-ups made the figures jump between ~25 µs
//! and ~100 µs from run to run). The time per request is therefore client +
//! loopback TCP + server, on one core; the server's share is the same for
//! both sides. Both send the
//! same request line and headers (checked below: the hand-made request copies
//! the headers the client sent), reuse one pooled connection, read the whole
//! body, check the status and decode the body into the generated
//! `ShowRepositoryResponseBody`. The generated client does more around that,
//! which is what is measured: parameter validation, URL building, tracing
//! spans (no subscriber installed), the retry loop (one attempt), the
//! per-attempt timeout, the body limit and the request id.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use codearts_repo::Client;
use codearts_repo::types::ShowRepositoryResponseBody;
use codearts_runtime::{RawResponse, support};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http::header::{CONTENT_TYPE, HOST};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

#[path = "support/example.rs"]
mod example;

const REPOSITORY_ID: i64 = 2111993598;
const TOKEN: &str = "t";

/// Requests seen by the server while recording is on (setup only).
#[derive(Default)]
struct Recorder {
    on: AtomicBool,
    seen: Mutex<Vec<(String, HeaderMap)>>,
}

/// Serves `body` as `application/json` to every request on 127.0.0.1, from
/// tasks of `runtime`; answers 401 without the token.
fn start_server(
    runtime: &tokio::runtime::Runtime,
    body: Bytes,
    recorder: Arc<Recorder>,
) -> SocketAddr {
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("bound address");
    runtime.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            let recorder = recorder.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<Incoming>| {
                    let body = body.clone();
                    let recorder = recorder.clone();
                    async move {
                        if recorder.on.load(Ordering::Relaxed) {
                            recorder
                                .seen
                                .lock()
                                .expect("recorder lock")
                                .push((request.uri().to_string(), request.headers().clone()));
                        }
                        let authorized = request
                            .headers()
                            .get("x-auth-token")
                            .is_some_and(|token| token == TOKEN);
                        let response = if authorized {
                            Response::builder()
                                .header(CONTENT_TYPE, "application/json")
                                .body(Full::new(body))
                        } else {
                            Response::builder()
                                .status(StatusCode::UNAUTHORIZED)
                                .body(Full::new(Bytes::new()))
                        };
                        Ok::<_, Infallible>(response.expect("valid response"))
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    address
}

/// How the hand-written side decodes the body.
#[derive(Clone, Copy)]
enum Decode {
    /// `serde_json::from_slice`, as hand-written code would.
    Plain,
    /// The generated client's own decoding function (`serde_path_to_error`
    /// and the trailing-data check): isolates the share of the decode in the
    /// difference between the two sides.
    ClientPath,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The hand-written side: the same request with reqwest, decoded into the
/// same type.
async fn raw_show_repository(
    http: &reqwest::Client,
    base: &str,
    headers: &HeaderMap,
    id: i64,
    decode: Decode,
) -> Result<ShowRepositoryResponseBody, BoxError> {
    let response = http
        .get(format!("{base}/v4/repositories/{id}"))
        .headers(headers.clone())
        .send()
        .await?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("status {status}").into());
    }
    match decode {
        Decode::Plain => {
            let body = response.bytes().await?;
            Ok(serde_json::from_slice(&body)?)
        }
        Decode::ClientPath => {
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            let raw = RawResponse::new(status, headers, body);
            Ok(support::decode_json("ShowRepository", &raw)?)
        }
    }
}

/// Both sides, ready: the generated client and a reqwest client against one server, with
/// the headers the generated client sends (recorded from its first request and checked:
/// both sides send the same request and decode the same value).
struct Sides {
    client: Client,
    http: reqwest::Client,
    base: String,
    headers: HeaderMap,
}

fn sides(runtime: &tokio::runtime::Runtime) -> Sides {
    let body = Bytes::from(example::show_repository_example());
    let recorder = Arc::new(Recorder::default());
    let address = start_server(runtime, body, recorder.clone());
    let base = format!("http://{address}");

    let client = Client::builder()
        .endpoint(&base)
        .auth_token(TOKEN)
        .no_env_credentials()
        .build()
        .expect("client builds");
    // Configured as the generated client configures its own reqwest client.
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client builds");

    recorder.on.store(true, Ordering::Relaxed);
    let typed = runtime
        .block_on(async { client.show_repository(REPOSITORY_ID).await })
        .expect("the generated client gets the repository")
        .body;
    let (client_uri, mut headers) = recorder.seen.lock().expect("recorder lock").remove(0);
    headers.remove(HOST);
    let raw = runtime
        .block_on(raw_show_repository(
            &http,
            &base,
            &headers,
            REPOSITORY_ID,
            Decode::Plain,
        ))
        .expect("reqwest gets the repository");
    assert_eq!(typed, raw);
    let (raw_uri, raw_headers) = recorder.seen.lock().expect("recorder lock").remove(0);
    assert_eq!(client_uri, raw_uri);
    let mut raw_headers = raw_headers;
    raw_headers.remove(HOST);
    assert_eq!(headers, raw_headers, "both sides send the same headers");
    recorder.on.store(false, Ordering::Relaxed);
    Sides {
        client,
        http,
        base,
        headers,
    }
}

/// The current-thread runtime everything runs on, and both sides on it.
fn setup() -> (tokio::runtime::Runtime, Sides) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sides = sides(&runtime);
    (runtime, sides)
}

fn round_trip(c: &mut Criterion) {
    let (runtime, sides) = setup();
    let Sides {
        client,
        http,
        base,
        headers,
    } = &sides;

    let mut group = c.benchmark_group("round_trip/show_repository");
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated_client", |b| {
        b.to_async(&runtime).iter(|| async {
            client
                .show_repository(REPOSITORY_ID)
                .await
                .expect("generated client round trip")
                .body
        })
    });
    for (name, decode) in [
        ("raw_reqwest", Decode::Plain),
        ("raw_reqwest_client_decode", Decode::ClientPath),
    ] {
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| async {
                raw_show_repository(http, base, headers, REPOSITORY_ID, decode)
                    .await
                    .expect("reqwest round trip")
            })
        });
    }
    group.finish();
}

/// The ratio generated / raw measured in alternating blocks, in one window: on a shared
/// machine the speed drifts by ±20% between criterion's sequential measurements, more than
/// the difference sought, but a drift slower than a block affects both sides of a pair
/// alike. Prints the median ratio of `ROUNDS` pairs and its spread (run it alone with
/// `cargo bench -p codearts-repo-tests --bench client -- paired`).
fn paired_ratio(c: &mut Criterion) {
    const ROUNDS: usize = 41;
    const BLOCK: u32 = 400;
    if !selected("round_trip/show_repository/paired") {
        return;
    }
    let (runtime, sides) = setup();
    let Sides {
        client,
        http,
        base,
        headers,
    } = &sides;

    let generated_block = || async {
        let started = std::time::Instant::now();
        for _ in 0..BLOCK {
            let output = client.show_repository(REPOSITORY_ID).await;
            std::hint::black_box(output.expect("generated client round trip"));
        }
        started.elapsed()
    };
    let raw_block = || async {
        let started = std::time::Instant::now();
        for _ in 0..BLOCK {
            let output =
                raw_show_repository(http, base, headers, REPOSITORY_ID, Decode::Plain).await;
            std::hint::black_box(output.expect("reqwest round trip"));
        }
        started.elapsed()
    };
    let mut ratios = Vec::with_capacity(ROUNDS);
    let (mut generated_total, mut raw_total) = (Duration::ZERO, Duration::ZERO);
    runtime.block_on(async {
        // Warm up both sides (connections, allocator).
        generated_block().await;
        raw_block().await;
        for round in 0..ROUNDS {
            // Alternate which side goes first, so neither always follows the other.
            let (generated, raw) = if round % 2 == 0 {
                let generated = generated_block().await;
                (generated, raw_block().await)
            } else {
                let raw = raw_block().await;
                (generated_block().await, raw)
            };
            generated_total += generated;
            raw_total += raw;
            ratios.push(generated.as_secs_f64() / raw.as_secs_f64());
        }
    });
    ratios.sort_by(f64::total_cmp);
    let per_request = |total: Duration| total / (BLOCK * ROUNDS as u32);
    println!(
        "round_trip/show_repository/paired: generated / raw = {:.3} (median of {ROUNDS} pairs of \
         {BLOCK} requests; quartiles {:.3}..{:.3}); generated {:.2?}/request, raw {:.2?}/request",
        ratios[ROUNDS / 2],
        ratios[ROUNDS / 4],
        ratios[3 * ROUNDS / 4],
        per_request(generated_total),
        per_request(raw_total),
    );
    // Registered as a (trivial) benchmark so that criterion's filter selects or skips it.
    c.bench_function("round_trip/show_repository/paired", |b| b.iter(|| ()));
}

/// Whether criterion's command line selects the benchmark `id`: no filter, or a filter
/// that is a substring of it (option values, which are numbers, are not filters).
fn selected(id: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-') && arg.parse::<f64>().is_err())
        .collect();
    filters.is_empty() || filters.iter().any(|filter| id.contains(filter.as_str()))
}

criterion_group!(benches, round_trip);
criterion_group!(paired, paired_ratio);
criterion_main!(benches, paired);
