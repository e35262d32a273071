//! Transport failures (refused, slow, cut off, oversized, TLS) and retries,
//! against raw TCP servers and wiremock servers on 127.0.0.1.

mod runtime_util;

use std::time::{Duration, Instant, SystemTime};

use codearts_runtime::{self as rt, Error, RetryPolicy, TransportErrorKind};
use runtime_util::*;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Calls [`show_repository`] and measures how long it took, retries and
/// waits included.
async fn timed_show(client: &Client) -> (Result<rt::Response<Repository>, Error>, Duration) {
    let started = Instant::now();
    let result = show_repository(client, 1).await;
    (result, started.elapsed())
}

/// A client of `endpoint` that makes a single attempt of at most `timeout`:
/// a timeout test then sees that one timeout, not the retries after it.
fn one_attempt_client(endpoint: &str, timeout: Duration) -> Client {
    builder(endpoint)
        .timeout(timeout)
        .disable_retries()
        .build()
        .unwrap()
}

const OK_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

// ---------------------------------------------------------------------------
// Transport failures

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let client = client(&endpoint);
    let error = show_repository(&client, 1).await.unwrap_err();
    let failure = transport_of(&error);
    assert_eq!(failure.kind(), TransportErrorKind::Connect);
    assert_eq!(failure.attempts(), 3);
    assert!(error.is_retryable());
    assert!(!error.is_timeout());
    assert_eq!(
        error.to_string(),
        "ShowRepository: could not connect (3 attempts)"
    );
    assert!(
        std::error::Error::source(&error).is_some(),
        "the cause is kept"
    );
    assert_no_token(&renderings(&error));

    // Nothing was sent, so even a POST is retried after a connect failure.
    let error = client
        .execute(request("CreateThing", rt::Method::POST, "/v4/things"))
        .await
        .unwrap_err();
    assert_eq!(transport_of(&error).attempts(), 3);
}

#[tokio::test]
async fn server_slower_than_the_attempt_timeout() {
    let server = RawServer::start(|mut conn| async move {
        conn.read_head().await;
        tokio::time::sleep(Duration::from_secs(3)).await;
    })
    .await;
    let client = one_attempt_client(&server.url(), Duration::from_millis(300));
    let (result, elapsed) = timed_show(&client).await;
    let error = result.unwrap_err();
    let failure = transport_of(&error);
    assert_eq!(failure.kind(), TransportErrorKind::Timeout);
    assert!(error.is_timeout() && error.is_retryable());
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(
        error.to_string(),
        "ShowRepository: attempt timed out after 300ms (1 attempt)"
    );
    assert_eq!(server.connections(), 1);
    let heads = server.heads();
    assert!(
        heads[0].starts_with("GET /v4/repositories/1 HTTP/1.1\r\n"),
        "{}",
        heads[0]
    );
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains(&format!("x-auth-token: {}", TOKEN.to_ascii_lowercase()))
    );

    // Timeouts of idempotent requests are retried.
    let client = builder(&server.url())
        .timeout(Duration::from_millis(150))
        .retry_policy(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(transport_of(&error).attempts(), 2);
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn a_stalled_body_counts_against_the_attempt_timeout() {
    let server = RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            conn.write(format!("{OK_HEAD}Content-Length: 100\r\n\r\n{{\"id\": 1,").as_bytes())
                .await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
    })
    .await;
    let client = one_attempt_client(&server.url(), Duration::from_millis(300));
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(transport_of(&error).kind(), TransportErrorKind::Timeout);
}

#[tokio::test]
async fn connect_timeout_is_told_apart_from_attempt_timeout() {
    // A listener that never accepts, with its accept queue filled: the
    // kernel then drops new SYNs and connecting hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    let mut queue_full = false;
    for _ in 0..16 {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(stream)) => fillers.push(stream),
            Ok(Err(error)) => panic!("unexpected connect error: {error}"),
            Err(_) => {
                queue_full = true;
                break;
            }
        }
    }
    assert!(
        queue_full,
        "this kernel accepted 16 connections on a backlog of 0"
    );

    let client = builder(&format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_secs(5))
        .disable_retries()
        .build()
        .unwrap();
    let (result, elapsed) = timed_show(&client).await;
    let error = result.unwrap_err();
    assert_eq!(
        transport_of(&error).kind(),
        TransportErrorKind::ConnectTimeout,
        "{error:?}"
    );
    assert!(error.is_timeout() && error.is_retryable());
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(
        error.to_string(),
        "ShowRepository: timed out while connecting (1 attempt)"
    );
    drop(fillers);
}

#[tokio::test]
async fn connection_closed_mid_body() {
    let server = RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            conn.write(format!("{OK_HEAD}Content-Length: 1000\r\n\r\n{{\"id\": 1,").as_bytes())
                .await;
            // Dropping the stream closes the connection after 10 of 1000 bytes.
        }
    })
    .await;
    let client = client(&server.url());
    let error = show_repository(&client, 1).await.unwrap_err();
    let failure = transport_of(&error);
    assert_eq!(failure.kind(), TransportErrorKind::BodyInterrupted);
    assert_eq!(failure.attempts(), 3);
    assert!(error.is_retryable());
    assert_eq!(server.connections(), 3);
    assert_eq!(
        error.to_string(),
        "ShowRepository: connection closed before the response body was complete (3 attempts)"
    );

    let client = builder(&server.url()).disable_retries().build().unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(transport_of(&error).attempts(), 1);
    assert_eq!(server.connections(), 4);
}

#[tokio::test]
async fn connection_closed_before_any_answer() {
    let server = RawServer::start(|mut conn| async move {
        conn.read_head().await;
    })
    .await;
    let client = builder(&server.url()).disable_retries().build().unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(transport_of(&error).kind(), TransportErrorKind::Other);
    assert!(error.is_retryable());
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn body_over_the_limit_by_content_length_is_rejected_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b' '; 2048], "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_response_body_bytes(1024)
        .build()
        .unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(
        transport_of(&error).kind(),
        TransportErrorKind::BodyTooLarge { limit: 1024 }
    );
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "ShowRepository: response body is larger than the limit of 1024 bytes (1 attempt)"
    );
    assert_eq!(received(&server).await, 1);
}

/// A server that streams a chunked body of `total` bytes in 16 KiB chunks.
async fn chunked_server(total: usize) -> RawServer {
    RawServer::start(move |mut conn| async move {
        if conn.read_head().await.is_none() {
            return;
        }
        conn.write(format!("{OK_HEAD}Transfer-Encoding: chunked\r\n\r\n").as_bytes())
            .await;
        let chunk = [b' '; 16 * 1024];
        let mut sent = 0;
        while sent < total {
            let size = chunk.len().min(total - sent);
            let mut frame = format!("{size:x}\r\n").into_bytes();
            frame.extend_from_slice(&chunk[..size]);
            frame.extend_from_slice(b"\r\n");
            if tokio::io::AsyncWriteExt::write_all(&mut conn.stream, &frame)
                .await
                .is_err()
            {
                return; // the client stopped reading
            }
            sent += size;
        }
        conn.write(b"0\r\n\r\n").await;
    })
    .await
}

#[tokio::test]
async fn chunked_body_over_the_limit_stops_at_the_limit() {
    // 256 MiB on offer; the client must stop after 100 KiB, quickly.
    let server = chunked_server(256 * 1024 * 1024).await;
    let client = builder(&server.url())
        .max_response_body_bytes(100 * 1024)
        .build()
        .unwrap();
    let (result, elapsed) = timed_show(&client).await;
    let error = result.unwrap_err();
    assert_eq!(
        transport_of(&error).kind(),
        TransportErrorKind::BodyTooLarge { limit: 100 * 1024 }
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(server.connections(), 1, "not retried");
}

#[tokio::test]
async fn body_exactly_at_the_limit_is_accepted() {
    let mut body = serde_json::to_vec(&repository_json()).unwrap();
    let limit = 40 * 1024;
    body.resize(limit, b' ');
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_response_body_bytes(limit as u64)
        .build()
        .unwrap();
    show_repository(&client, 1).await.unwrap();

    // The same through chunks, with a body of whitespace: a decode error, not a size error.
    let server = chunked_server(limit).await;
    let client = builder(&server.url())
        .max_response_body_bytes(limit as u64)
        .build()
        .unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert!(
        error.decode().is_some_and(|d| d.is_empty_body()),
        "{error:?}"
    );
}

#[tokio::test]
async fn tls_failure_is_reported_and_not_retried() {
    // Plain HTTP where the client expects TLS: the server reads the
    // ClientHello and answers with an HTTP error.
    let server = RawServer::start(|mut conn| async move {
        let mut hello = [0u8; 512];
        let read = tokio::io::AsyncReadExt::read(&mut conn.stream, &mut hello);
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(5), read).await {
            if n > 0 {
                conn.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    .await;
            }
        }
    })
    .await;
    let garbage = RawServer::start(|mut conn| async move {
        conn.write(b"this is not TLS at all\r\n\r\n").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    })
    .await;
    for addr in [server.addr, garbage.addr] {
        let https = client(&format!("https://{addr}"));
        let error = show_repository(&https, 1).await.unwrap_err();
        assert_eq!(
            transport_of(&error).kind(),
            TransportErrorKind::Tls,
            "{:?}",
            renderings(&error)
        );
        assert!(!error.is_retryable());
        assert_eq!(transport_of(&error).attempts(), 1);
        assert_eq!(
            error.to_string(),
            "ShowRepository: TLS handshake failed (1 attempt)"
        );
    }
    assert_eq!(server.connections(), 1);
    assert_eq!(garbage.connections(), 1);
}

// ---------------------------------------------------------------------------
// Retries on status codes

/// A server that answers `first` `times` times, then 200 with a repository.
async fn failing_then_ok(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(repository_json()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn service_unavailable_then_ok_succeeds_after_two_requests() {
    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let client = client(&server.uri());
    let response = show_repository(&client, 1).await.unwrap();
    assert_eq!(response.body.id, 2111993598);
    assert_eq!(received(&server).await, 2);
    // Both attempts carried the credentials.
    for request in server.received_requests().await.unwrap() {
        assert_eq!(request.headers.get("x-auth-token").unwrap(), TOKEN);
    }
}

#[tokio::test]
async fn bad_gateway_and_gateway_timeout_are_retried() {
    for status in [502, 504, 429] {
        let server = failing_then_ok(ResponseTemplate::new(status), 2).await;
        let http = client(&server.uri());
        show_repository(&http, 1).await.unwrap();
        assert_eq!(received(&server).await, 3, "status {status}");
    }
}

#[tokio::test]
async fn internal_server_error_is_not_retried() {
    let server = failing_then_ok(ResponseTemplate::new(500), 1).await;
    let client = client(&server.uri());
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(error.status(), Some(rt::StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(error.api().unwrap().attempts(), 1);
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn non_idempotent_post_is_not_retried_unless_marked_idempotent() {
    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let http = client(&server.uri());
    let error = run_json(
        &http,
        request("CreateThing", rt::Method::POST, "/v4/things"),
    )
    .await
    .unwrap_err();
    assert_eq!(error.status(), Some(rt::StatusCode::SERVICE_UNAVAILABLE));
    assert!(
        error.is_retryable(),
        "retryable in itself, but not retried for a POST"
    );
    assert_eq!(received(&server).await, 1);

    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let http = client(&server.uri());
    let mut post = request("SearchThings", rt::Method::POST, "/v4/things/search");
    post.idempotent(true);
    post.json_body("SearchThings", &serde_json::json!({"q": "x"}))
        .unwrap();
    run_json(&http, post).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, br#"{"q":"x"}"#, "the body is sent again");

    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let http = client(&server.uri());
    run_json(
        &http,
        request("UpdateThing", rt::Method::PUT, "/v4/things/1"),
    )
    .await
    .unwrap();
    assert_eq!(received(&server).await, 2, "PUT is idempotent");
}

#[tokio::test]
async fn disabled_retries_make_one_request() {
    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let client = builder(&server.uri()).disable_retries().build().unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(error.status(), Some(rt::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(received(&server).await, 1);

    let client = builder(&server.uri())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    show_repository(&client, 1).await.unwrap();
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn max_attempts_is_respected() {
    let server = failing_then_ok(ResponseTemplate::new(503), 100).await;
    let client = builder(&server.uri())
        .retry_policy(fast_retries().max_attempts(4))
        .build()
        .unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(error.api().unwrap().attempts(), 4);
    assert_eq!(received(&server).await, 4);
}

/// A server that answers `status` with `Retry-After: value` once, then 200
/// with a repository.
async fn retry_after_once(status: u16, value: &str) -> MockServer {
    failing_then_ok(
        ResponseTemplate::new(status).insert_header("Retry-After", value),
        1,
    )
    .await
}

/// Checks that after a first `status` answer with `Retry-After: value` the
/// client takes at least `min` and less than `max` before its second,
/// successful request.
async fn assert_retry_after_waits(status: u16, value: &str, min: Duration, max: Duration) {
    let server = retry_after_once(status, value).await;
    let (result, elapsed) = timed_show(&client(&server.uri())).await;
    result.unwrap();
    assert!(elapsed >= min && elapsed < max, "{value}: {elapsed:?}");
    assert_eq!(received(&server).await, 2, "{value}");
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    assert_retry_after_waits(429, "1", Duration::from_millis(950), Duration::from_secs(3)).await;
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    // The date has a resolution of one second: the wait is between 1 and 2 s.
    let (min, max) = (Duration::from_millis(900), Duration::from_secs(4));
    assert_retry_after_waits(503, &date, min, max).await;
}

#[tokio::test]
async fn retry_after_beyond_the_cap_returns_at_once() {
    let server = retry_after_once(429, "3600").await;
    let (result, elapsed) = timed_show(&client(&server.uri())).await;
    let error = result.unwrap_err();
    assert!(elapsed < Duration::from_secs(1));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(error.status(), Some(rt::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(received(&server).await, 1);

    // A custom cap.
    let server = retry_after_once(503, "1").await;
    let client = builder(&server.uri())
        .retry_policy(fast_retries().max_retry_after(Duration::from_millis(500)))
        .build()
        .unwrap();
    let (result, elapsed) = timed_show(&client).await;
    let error = result.unwrap_err();
    assert!(elapsed < Duration::from_millis(900));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn retry_after_in_the_past_or_unparsable_falls_back_to_backoff() {
    for value in ["Wed, 21 Oct 2015 07:28:00 GMT", "soon", "-5"] {
        assert_retry_after_waits(503, value, Duration::ZERO, Duration::from_secs(1)).await;
    }
}

#[tokio::test]
async fn every_attempt_reauthorizes_with_a_fresh_signature_date() {
    let server = retry_after_once(503, "1").await;
    let credentials =
        rt::huaweicloud::Credentials::access_key("AKIDEXAMPLE0000", "SK-very-secret-value")
            .unwrap();
    let client = Client::builder()
        .endpoint(server.uri())
        .credentials(credentials)
        .no_env_credentials()
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    show_repository(&client, 1).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let date = |i: usize| header_text(&requests[i], "x-sdk-date");
    let signature = |i: usize| header_text(&requests[i], "authorization");
    assert_ne!(
        date(0),
        date(1),
        "the second attempt is signed anew, a second later"
    );
    assert_ne!(signature(0), signature(1));
}

#[tokio::test]
async fn post_without_body_declares_an_empty_body() {
    // Some gateways answer 411 to a POST without Content-Length.
    let server = canned(b"HTTP/1.1 204 No Content\r\n\r\n").await;
    let client = client(&server.url());
    let raw = client
        .execute(request(
            "MergeThing",
            rt::Method::POST,
            "/v4/things/1/merge",
        ))
        .await
        .unwrap();
    assert_eq!(raw.status, rt::StatusCode::NO_CONTENT);
    let head = server.heads()[0].to_ascii_lowercase();
    assert!(
        head.starts_with("post /v4/things/1/merge http/1.1\r\n"),
        "{head}"
    );
    assert!(head.contains("\r\ncontent-length: 0\r\n"), "{head}");
    assert!(!head.contains("content-type"), "{head}");
}

#[tokio::test]
async fn huge_durations_do_not_overflow() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let client = builder(&endpoint)
        .connect_timeout(Duration::MAX)
        .timeout(Duration::MAX)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(u32::MAX)
                .initial_backoff(Duration::MAX)
                .max_backoff(Duration::ZERO)
                .max_retry_after(Duration::MAX),
        )
        .build()
        .unwrap();
    // Bounded by the test: a zero backoff and a refused port fail fast; stop
    // after a moment.
    let result =
        tokio::time::timeout(Duration::from_millis(300), show_repository(&client, 1)).await;
    assert!(
        result.is_err(),
        "still retrying after 300 ms, as configured"
    );
    let client = builder(&endpoint)
        .connect_timeout(Duration::MAX)
        .timeout(Duration::MAX)
        .disable_retries()
        .build()
        .unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(transport_of(&error).kind(), TransportErrorKind::Connect);
    // Must not overflow (the shift, the multiplication, the nanoseconds).
    for retry in [0, 1, 31, 32, 64, u32::MAX] {
        let policy = RetryPolicy::new()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        let _ = policy.backoff(retry);
    }
}
