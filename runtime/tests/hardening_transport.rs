//! The transport against hostile or careless servers on 127.0.0.1: redirects
//! with a caller-configured HTTP client, malformed answers (not retried),
//! compressed answers and decompression bombs, proxies and loopback names.

mod runtime_util;

use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use codearts_runtime::{self as rt, Error, TransportErrorKind};
use runtime_util::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that reads a request head and answers `response` (then closes).
async fn answering(response: Vec<u8>) -> RawServer {
    let response = Arc::new(response);
    RawServer::start(move |mut conn| {
        let response = response.clone();
        async move {
            if conn.read_head().await.is_some() {
                conn.write(&response).await;
            }
        }
    })
    .await
}

/// A 200 answer with a JSON repository, for servers that should be reached.
fn ok_answer() -> Vec<u8> {
    let body = repository_json().to_string();
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Runs `ShowRepository` within 20 s (every test is bounded).
async fn show(client: &Client) -> Result<rt::Response<Repository>, Error> {
    tokio::time::timeout(Duration::from_secs(20), show_repository(client, 1))
        .await
        .expect("the operation finishes within 20 s")
}

// ---------------------------------------------------------------------------
// 1. A caller-configured HTTP client follows no redirect

#[tokio::test]
async fn a_configured_http_client_never_follows_a_redirect_to_another_host() {
    let target = answering(ok_answer()).await;
    let origin = answering(
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://localhost:{}/stolen\r\n\
             Content-Length: 0\r\n\r\n",
            target.addr.port()
        )
        .into_bytes(),
    )
    .await;
    // The caller asks for redirects to be followed: the runtime's policy wins.
    let client = builder(&origin.url())
        .configure_http_client(|http| http.redirect(reqwest::redirect::Policy::limited(5)))
        .build()
        .unwrap();
    let error = show(&client).await.unwrap_err();
    assert_eq!(
        error.api().map(|e| e.status().as_u16()),
        Some(307),
        "{error:?}"
    );
    assert_eq!(target.connections(), 0, "the redirect was followed");
    for head in target.heads() {
        assert_no_token(&head);
    }
    assert_no_token(&renderings(&error));
}

#[tokio::test]
async fn a_configured_http_client_keeps_the_callers_settings() {
    let server = answering(ok_answer()).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-caller",
        reqwest::header::HeaderValue::from_static("mine"),
    );
    let client = builder(&server.url())
        .configure_http_client(move |http| http.default_headers(headers.clone()))
        .build()
        .unwrap();
    show(&client).await.unwrap();
    let heads = server.heads();
    assert!(
        heads[0].to_ascii_lowercase().contains("x-caller: mine"),
        "{heads:?}"
    );
}

// ---------------------------------------------------------------------------
// 2. A malformed answer is not retried; a dropped connection is

/// Asserts that `response` fails the operation at once, as a protocol error.
async fn assert_protocol_error_not_retried(response: Vec<u8>) {
    let server = answering(response).await;
    let error = show(&client(&server.url())).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::Protocol);
    assert_eq!(failure.attempts(), 1, "{error}");
    assert!(!error.is_retryable());
    assert_eq!(server.connections(), 1);
    assert_no_token(&renderings(&error));
}

#[tokio::test]
async fn a_huge_response_header_is_not_retried() {
    let mut response = b"HTTP/1.1 200 OK\r\nX-Huge: ".to_vec();
    response.resize(response.len() + 10 * 1024 * 1024, b'a');
    response.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
    assert_protocol_error_not_retried(response).await;
}

#[tokio::test]
async fn a_hundred_thousand_headers_are_not_retried() {
    let mut response = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..100_000 {
        write!(response, "X-H{i}: v\r\n").unwrap();
    }
    response.extend_from_slice(b"Content-Length: 0\r\n\r\n");
    assert_protocol_error_not_retried(response).await;
}

#[tokio::test]
async fn invalid_chunk_framing_is_not_retried() {
    assert_protocol_error_not_retried(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n\
          zz\r\n{}\r\n0\r\n\r\n"
            .to_vec(),
    )
    .await;
}

#[tokio::test]
async fn an_http2_only_server_is_not_retried() {
    // What a server that speaks only HTTP/2 sends an HTTP/1.1 client: its
    // SETTINGS frame, then GOAWAY with PROTOCOL_ERROR.
    let mut response = vec![0, 0, 0, 4, 0, 0, 0, 0, 0];
    response.extend_from_slice(&[0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_protocol_error_not_retried(response).await;
}

#[tokio::test]
async fn a_corrupt_compressed_body_is_not_retried() {
    let mut response = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
        Content-Encoding: gzip\r\nContent-Length: 64\r\n\r\n"
        .to_vec();
    response.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    response.extend_from_slice(&[0xee; 54]);
    assert_protocol_error_not_retried(response).await;
}

#[tokio::test]
async fn a_compressed_body_cut_short_is_still_retried() {
    let body = gzip(repository_json().to_string().as_bytes());
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body[..body.len() / 2]);
    let server = answering(response).await;
    let error = show(&client(&server.url())).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::BodyInterrupted);
    assert_eq!(failure.attempts(), 3);
}

#[tokio::test]
async fn a_connection_closed_before_the_answer_is_still_retried() {
    let server = RawServer::start(|mut conn| async move {
        conn.read_head().await;
    })
    .await;
    let error = show(&client(&server.url())).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::Other);
    assert_eq!(failure.attempts(), 3);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn a_body_cut_short_is_still_retried() {
    let server = answering(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":"
            .to_vec(),
    )
    .await;
    let error = show(&client(&server.url())).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::BodyInterrupted);
    assert_eq!(failure.attempts(), 3);
}

// ---------------------------------------------------------------------------
// 3. Compressed answers

/// A compressor of test bodies.
type Compress = fn(&[u8]) -> Vec<u8>;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    // HTTP's `deflate` is the zlib format.
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        encoder.write_all(data).unwrap();
    }
    out
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

#[tokio::test]
async fn accept_encoding_names_every_supported_compression() {
    let server = answering(ok_answer()).await;
    show(&client(&server.url())).await.unwrap();
    let head = server.heads()[0].to_ascii_lowercase();
    let accept = head
        .lines()
        .find_map(|line| line.strip_prefix("accept-encoding:"))
        .unwrap_or_else(|| panic!("no Accept-Encoding in {head}"));
    for encoding in ["gzip", "deflate", "br", "zstd"] {
        assert!(
            accept.split(',').any(|e| e.trim() == encoding),
            "{encoding} missing from {accept}"
        );
    }
}

#[tokio::test]
async fn compressed_answers_are_decompressed() {
    let server = MockServer::start().await;
    let json = repository_json().to_string();
    let encodings: [(&str, Compress); 4] = [
        ("gzip", gzip),
        ("deflate", deflate),
        ("br", brotli),
        ("zstd", zstd),
    ];
    for (encoding, compress) in encodings {
        Mock::given(method("GET"))
            .and(path(format!("/{encoding}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-encoding", encoding)
                    .set_body_raw(compress(json.as_bytes()), "application/json"),
            )
            .mount(&server)
            .await;
    }
    let client = client(&server.uri());
    for (encoding, _) in encodings {
        let request = request("ShowRepository", rt::Method::GET, &format!("/{encoding}"));
        let repository = tokio::time::timeout(Duration::from_secs(20), run_json(&client, request))
            .await
            .expect("bounded")
            .unwrap_or_else(|e| panic!("{encoding}: {e}"));
        assert_eq!(repository.name, "test_import", "{encoding}");
    }
}

#[tokio::test]
async fn a_decompression_bomb_is_body_too_large() {
    // 8 MiB of zeros in a few KiB of gzip, against a 64 KiB limit.
    let bomb = gzip(&vec![0u8; 8 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024);
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n\
         Content-Length: {}\r\n\r\n",
        bomb.len()
    )
    .into_bytes();
    response.extend_from_slice(&bomb);
    let server = answering(response).await;
    let client = builder(&server.url())
        .max_response_body_bytes(64 * 1024)
        .build()
        .unwrap();
    let error = show(&client).await.unwrap_err();
    let failure = transport_of(&error);
    assert_eq!(
        failure.kind(),
        TransportErrorKind::BodyTooLarge { limit: 64 * 1024 },
        "{error:?}"
    );
    assert_eq!(failure.attempts(), 1);
}

#[tokio::test]
async fn a_compressed_body_without_content_encoding_says_so() {
    let server = MockServer::start().await;
    let json = repository_json().to_string();
    for (name, body) in [
        ("gzip", gzip(json.as_bytes())),
        ("zstd", zstd(json.as_bytes())),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/{name}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
    }
    let client = client(&server.uri());
    for name in ["gzip", "zstd"] {
        let request = request("ShowRepository", rt::Method::GET, &format!("/{name}"));
        let error = tokio::time::timeout(Duration::from_secs(20), run_json(&client, request))
            .await
            .expect("bounded")
            .unwrap_err();
        let decode = error
            .decode()
            .unwrap_or_else(|| panic!("expected a decode error, got {error:?}"));
        let message = decode.message();
        assert!(
            message.contains(&format!("looks {name}-compressed"))
                && message.contains("no Content-Encoding header"),
            "{message}"
        );
        assert!(error.to_string().contains("compressed"), "{error}");
    }
}

// ---------------------------------------------------------------------------
// 4. Loopback names and proxies

#[test]
fn localhost_subdomains_are_not_loopback() {
    for endpoint in [
        "http://app.localhost:1",
        "http://a.b.LOCALHOST:1/x",
        "http://localhost.:1",
    ] {
        let error = Client::builder()
            .endpoint(endpoint)
            .auth_token(TOKEN)
            .no_env()
            .build()
            .unwrap_err();
        let invalid = error
            .invalid_input()
            .unwrap_or_else(|| panic!("{endpoint}: {error:?}"));
        assert_eq!(invalid.parameter(), "endpoint", "{endpoint}");
        // https, or an explicit opt-in, is fine.
        Client::builder()
            .endpoint(endpoint)
            .allow_http(true)
            .auth_token(TOKEN)
            .no_env()
            .build()
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
}

/// A resolver that says every name is `127.0.0.2`.
struct LyingResolver;

impl reqwest::dns::Resolve for LyingResolver {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async {
            let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(SocketAddr::from((
                Ipv4Addr::new(127, 0, 0, 2),
                0,
            ))));
            Ok(addrs)
        })
    }
}

#[tokio::test]
async fn plain_http_localhost_is_always_the_loopback_address() {
    let server = answering(ok_answer()).await;
    let port = server.addr.port();
    // Another listener on the same port of 127.0.0.2, where the resolver points.
    let Ok(impostor) = tokio::net::TcpListener::bind((Ipv4Addr::new(127, 0, 0, 2), port)).await
    else {
        eprintln!("skipped: 127.0.0.2 cannot be bound on this system");
        return;
    };
    let client = builder(&format!("http://localhost:{port}"))
        .configure_http_client(|http| http.dns_resolver(LyingResolver))
        .disable_retries()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    // Reaching the impostor (which never answers) would fail the attempt.
    show(&client).await.unwrap();
    assert_eq!(server.connections(), 1);
    drop(impostor);
}

#[tokio::test]
async fn a_configured_proxy_is_not_used_for_a_plain_http_loopback_endpoint() {
    let server = answering(ok_answer()).await;
    let proxy = answering(ok_answer()).await;
    let proxy_url = proxy.url();
    let client = builder(&server.url())
        .configure_http_client(move |http| http.proxy(reqwest::Proxy::all(&proxy_url).unwrap()))
        .build()
        .unwrap();
    show(&client).await.unwrap();
    assert_eq!(proxy.connections(), 0, "{:?}", proxy.heads());
    assert_eq!(server.connections(), 1);
}
