//! What an error keeps of a server's answer, against servers on 127.0.0.1: every
//! credential the client sent (the access key too) is redacted wherever the server echoed
//! it, a secret too short to tell from ordinary text does not garble the server's message,
//! and an error body is kept only up to a small bound, however long the server makes it.

mod runtime_util;

use std::sync::mpsc;
use std::time::Duration;

use codearts_runtime::huaweicloud::Credentials;
use codearts_runtime::{self as rt, Error};
use runtime_util::*;
use tokio::io::AsyncWriteExt;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// An access key as long as Huawei Cloud's (20 characters).
const AK: &str = "HPUAEXAMPLE7Q2ZK4W1M";
const SK: &str = "sk-0123456789abcdefghijklmnopqrstuvwxyzAB";
const SECURITY_TOKEN: &str = "gQpzLXNvdXRod2VzdC0yIlNlY3VyaXR5VG9rZW4iOiJleGFtcGxlIn0";

/// A server answering every request with what `respond` makes of it.
async fn responding(
    respond: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(respond)
        .mount(&server)
        .await;
    server
}

fn api(error: &Error) -> &rt::ApiError {
    error
        .api()
        .unwrap_or_else(|| panic!("expected an API error, got {error:?}"))
}

/// Everything an API error shows of the server's answer: `Display`, `Debug`, the fields,
/// the excerpt, the kept body and headers, and the body decoded as a typed error.
fn everything_shown(error: &Error) -> String {
    let api = api(error);
    let mut out = renderings(error);
    for field in [api.error_code(), api.error_msg(), api.request_id()] {
        out.push_str(&format!("{field:?}\n"));
    }
    out.push_str(api.body_excerpt());
    out.push('\n');
    out.push_str(&String::from_utf8_lossy(api.body()));
    out.push('\n');
    for (name, value) in api.headers() {
        out.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    let typed: Option<serde_json::Value> = rt::support::decode_error_body(api);
    out.push_str(&format!("{typed:?}\n"));
    let body: Option<ErrorBody> = rt::support::decode_error_body(api);
    out.push_str(&format!("{body:?}\n"));
    out
}

/// `text` with its last character written as a JSON escape: the same string once decoded.
fn last_char_escaped(text: &str) -> String {
    let (head, last) = text.split_at(text.len() - 1);
    format!("{head}\\u{:04x}", u32::from(last.chars().next().unwrap()))
}

// ---------------------------------------------------------------------------
// Short secrets do not garble messages; real ones are still redacted everywhere

const MESSAGE: &str = "The repository does not exist. Check and try again.";

fn not_found(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(404)
        .set_body_json(serde_json::json!({
            "error_code": "CH.00402000",
            "error_msg": message,
            "detail": {"hint": message},
        }))
        .insert_header("X-Request-Id", "req-exist-x")
}

#[tokio::test]
async fn a_short_secret_does_not_garble_the_message() {
    // One letter, a short word, and an 8-letter password that is part of longer words: none
    // of them is the server echoing a secret.
    for token in ["x", "e", "does", "reposito", "Check"] {
        let server = responding(|_: &Request| not_found(MESSAGE)).await;
        let client = builder(&server.uri())
            .auth_token(token)
            .build()
            .expect("client");
        let error = show_repository(&client, 42).await.unwrap_err();
        let api = api(&error);
        assert_eq!(
            error.to_string(),
            format!(
                "ShowRepository: HTTP 404 Not Found: CH.00402000: {MESSAGE} (request id req-exist-x)"
            ),
            "token {token:?}"
        );
        assert_eq!(api.error_msg(), Some(MESSAGE), "token {token:?}");
        assert_eq!(api.error_code(), Some("CH.00402000"));
        assert!(
            api.body_excerpt().contains(MESSAGE),
            "{}",
            api.body_excerpt()
        );
        let body: ErrorBody = rt::support::decode_error_body(api).expect("typed body");
        assert_eq!(body.error_msg.as_deref(), Some(MESSAGE));
        let value: serde_json::Value = rt::support::decode_error_body(api).expect("JSON");
        assert_eq!(value["detail"]["hint"], MESSAGE);
        assert_eq!(api.headers()["x-request-id"], "req-exist-x");
        assert!(!format!("{error:?}").contains("redacted"), "{error:?}");
    }
}

#[tokio::test]
async fn a_secret_of_eight_to_fifteen_bytes_is_redacted_as_a_whole_token() {
    let password = "hunter22";
    let message = format!("password {password} rejected; hunter22x and xhunter22 are not it");
    let server = {
        let message = message.clone();
        responding(move |_: &Request| {
            not_found(&message).insert_header("X-Echo", format!("pw={password}").as_str())
        })
        .await
    };
    let client = builder(&server.uri())
        .auth_token(password)
        .build()
        .expect("client");
    let error = show_repository(&client, 42).await.unwrap_err();
    let api = api(&error);
    let expected = "password <redacted> rejected; hunter22x and xhunter22 are not it";
    assert_eq!(api.error_msg(), Some(expected));
    assert!(error.to_string().contains(expected), "{error}");
    assert_eq!(api.headers()["x-echo"], "pw=<redacted>");
}

#[tokio::test]
async fn a_long_secret_is_redacted_wherever_it_is_echoed() {
    // In the message (glued to other letters too), the code, a nested and an escaped JSON
    // string, a header, and a plain-text excerpt.
    let json = |_: &Request| {
        let body = format!(
            r#"{{"error_code": "E{TOKEN}", "error_msg": "bad token x{TOKEN}y",
                "nested": {{"deeper": [{{"echo": "{escaped}"}}]}}}}"#,
            escaped = last_char_escaped(TOKEN),
        );
        ResponseTemplate::new(401)
            .set_body_raw(body, "application/json")
            .insert_header("X-Echo", format!("Bearer{TOKEN}").as_str())
    };
    let server = responding(json).await;
    let error = show_repository(&client(&server.uri()), 42)
        .await
        .unwrap_err();
    let shown = everything_shown(&error);
    assert_no_token(&shown);
    let api = api(&error);
    assert_eq!(api.error_code(), Some("E<redacted>"));
    assert_eq!(api.error_msg(), Some("bad token x<redacted>y"));
    assert_eq!(api.headers()["x-echo"], "Bearer<redacted>");
    let value: serde_json::Value = rt::support::decode_error_body(api).expect("JSON");
    assert_eq!(value["nested"]["deeper"][0]["echo"], "<redacted>");

    let text = |_: &Request| {
        ResponseTemplate::new(502).set_body_raw(format!("upstream said: {TOKEN}!"), "text/plain")
    };
    let server = responding(text).await;
    let client = builder(&server.uri())
        .disable_retries()
        .build()
        .expect("client");
    let error = show_repository(&client, 42).await.unwrap_err();
    assert_no_token(&everything_shown(&error));
    assert_eq!(api_excerpt(&error), "upstream said: <redacted>!");
}

fn api_excerpt(error: &Error) -> &str {
    api(error).body_excerpt()
}

// ---------------------------------------------------------------------------
// The access key and the security token are secrets of an error too

#[track_caller]
fn assert_absent(text: &str, secret: &str, what: &str) {
    assert!(!text.contains(secret), "the {what} shows in: {text}");
}

#[tokio::test]
async fn an_echoed_access_key_and_security_token_are_redacted() {
    // The server echoes every credential it got, in every place an error shows.
    let server = responding(|request: &Request| {
        let authorization = request
            .headers
            .get("authorization")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let body = format!(
            r#"{{"error_code": "APIGW.0301-{AK}", "error_msg": "Incorrect access key {AK}x (token {SECURITY_TOKEN})",
                "details": {{"request": {{"authorization": "{authorization}", "ak": "{escaped}", "list": ["{AK}"]}}}}}}"#,
            escaped = last_char_escaped(AK),
        );
        ResponseTemplate::new(401)
            .set_body_raw(body, "application/json")
            .insert_header("X-Request-Id", format!("rid-{AK}").as_str())
            .insert_header("X-Echo-Authorization", authorization.as_str())
            .insert_header("X-Echo", format!("ak={AK}; st={SECURITY_TOKEN}").as_str())
    })
    .await;
    let credentials = Credentials::access_key(AK, SK)
        .and_then(|c| c.with_security_token(SECURITY_TOKEN))
        .expect("valid credentials");
    let client = builder(&server.uri())
        .credentials(credentials)
        .build()
        .expect("client");

    let error = show_repository(&client, 42).await.unwrap_err();

    let shown = everything_shown(&error);
    assert_absent(&shown, AK, "access key");
    assert_absent(&shown, SECURITY_TOKEN, "security token");
    assert_absent(&shown, SK, "secret key");
    assert_absent(&shown, "Signature=", "signature");
    let api = api(&error);
    assert_eq!(api.error_code(), Some("APIGW.0301-<redacted>"));
    assert_eq!(
        api.error_msg(),
        Some("Incorrect access key <redacted>x (token <redacted>)")
    );
    assert_eq!(api.request_id(), Some("rid-<redacted>"));
    // The whole `Authorization` value went, not only the access key inside it.
    assert_eq!(api.headers()["x-echo-authorization"], "<redacted>");
    assert_eq!(api.headers()["x-echo"], "ak=<redacted>; st=<redacted>");
    let body: serde_json::Value = rt::support::decode_error_body(api).expect("JSON body");
    assert_eq!(body["details"]["request"]["ak"], "<redacted>");
    assert_eq!(body["details"]["request"]["list"][0], "<redacted>");
    assert!(
        error
            .to_string()
            .contains("Incorrect access key <redacted>x"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------
// An error keeps a small bounded part of its body

/// A server answering `500` with a body of `declared` bytes, written 64 KiB at a time
/// until the client goes away; it reports how many bytes it wrote on `written`.
async fn long_error(declared: u64) -> (RawServer, mpsc::Receiver<u64>) {
    let (report, written) = mpsc::channel();
    let server = RawServer::start(move |mut conn| {
        let report = report.clone();
        async move {
            if conn.read_head().await.is_none() {
                return;
            }
            let head = format!(
                "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\ncontent-length: {declared}\r\n\r\n"
            );
            let chunk = vec![b'e'; 64 * 1024];
            let mut sent = 0u64;
            if conn.stream.write_all(head.as_bytes()).await.is_ok() {
                // Bounded: at most `declared` bytes, and it stops when the client closes.
                while sent < declared {
                    let n = chunk.len().min(usize::try_from(declared - sent).unwrap_or(usize::MAX));
                    if conn.stream.write_all(&chunk[..n]).await.is_err() {
                        break;
                    }
                    sent += n as u64;
                }
            }
            let _ = report.send(sent);
        }
    })
    .await;
    (server, written)
}

#[tokio::test]
async fn an_error_body_is_kept_only_up_to_a_small_bound() {
    assert_eq!(rt::ApiError::MAX_BODY_BYTES, 64 * 1024);
    // Far less than the 16 MiB limit of 2xx bodies, far more than the error bound.
    let declared = 4 * 1024 * 1024;
    let (server, _written) = long_error(declared).await;
    let client = builder(&server.url())
        .disable_retries()
        .build()
        .expect("client");

    let error = show_repository(&client, 42).await.unwrap_err();

    let api = api(&error);
    assert_eq!(api.status(), rt::StatusCode::INTERNAL_SERVER_ERROR);
    assert!(api.is_body_truncated());
    assert_eq!(api.body().len() as u64, rt::ApiError::MAX_BODY_BYTES);
    assert!(api.body().iter().all(|&b| b == b'e'));
    assert!(
        error
            .to_string()
            .starts_with("ShowRepository: HTTP 500 Internal Server Error: eee"),
        "{error}"
    );
    assert_no_token(&renderings(&error));
}

#[tokio::test]
async fn the_client_stops_reading_a_long_error_body() {
    // More than any socket buffers could hold: the server can only finish writing it if the
    // client reads it all.
    let declared = 1024 * 1024 * 1024;
    let (server, written) = long_error(declared).await;
    let client = builder(&server.url())
        .disable_retries()
        .build()
        .expect("client");
    let error = show_repository(&client, 42).await.unwrap_err();
    assert!(api(&error).is_body_truncated());
    // The connection was closed: the server's next writes fail and it reports how far it got.
    // (The bound only keeps a hung test from hanging the run.)
    let sent = tokio::task::spawn_blocking(move || written.recv_timeout(Duration::from_secs(120)))
        .await
        .expect("the receiver does not panic")
        .expect("the server stopped writing");
    assert!(
        sent < declared,
        "the client read the whole body ({sent} bytes)"
    );
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_smaller_client_limit_cuts_an_error_body_sooner() {
    let (server, _written) = long_error(1024 * 1024).await;
    let client = builder(&server.url())
        .disable_retries()
        .max_response_body_bytes(100)
        .build()
        .expect("client");
    let error = show_repository(&client, 42).await.unwrap_err();
    assert!(api(&error).is_body_truncated());
    assert_eq!(api(&error).body().len(), 100);
}

#[tokio::test]
async fn normal_error_bodies_and_large_successes_are_unchanged() {
    // An error body just under the bound is kept whole, and decodes as a typed body.
    let padding = "p".repeat(60 * 1024);
    let message = format!("The repository does not exist. {padding}");
    let server = {
        let message = message.clone();
        responding(move |_: &Request| {
            ResponseTemplate::new(404).set_body_json(serde_json::json!({
                "error_code": "CH.00402000",
                "error_msg": message,
            }))
        })
        .await
    };
    let error = show_repository(&client_for(&server), 42).await.unwrap_err();
    let api = api(&error);
    assert!(!api.is_body_truncated());
    let body: ErrorBody = rt::support::decode_error_body(api).expect("typed body");
    assert_eq!(body.error_msg.as_deref(), Some(message.as_str()));
    assert_eq!(api.error_msg(), Some(message.as_str()));

    // A 2xx body far over the error bound is still read whole (the success limit is 16 MiB).
    let mut document = repository_json();
    document["description"] = serde_json::json!("d".repeat(2 * 1024 * 1024));
    let server =
        responding(move |_: &Request| ResponseTemplate::new(200).set_body_json(document.clone()))
            .await;
    let repository = show_repository(&client_for(&server), 42)
        .await
        .expect("a 2xx decodes");
    assert_eq!(
        repository.body.description.map(|d| d.len()),
        Some(2 * 1024 * 1024)
    );
}

fn client_for(server: &MockServer) -> Client {
    client(&server.uri())
}
