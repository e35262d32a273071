//! Time-related hardening against hostile or failing servers on 127.0.0.1:
//! stalled-stream protection, the operation deadline, and the retry budget.
//!
//! Durations are small and configured; the tests assert on outcomes (error
//! kinds, attempts, requests the server received), never on how long a call
//! took. Every call is bounded by a generous timeout, so that a hang fails.

mod runtime_util;

use std::future::Future;
use std::time::Duration;

use codearts_runtime::{self as rt, RetryPolicy, TransportErrorKind};
use runtime_util::*;

/// How long any one call may take before the test fails as hung.
const HANG: Duration = Duration::from_secs(20);

const OK_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";

/// An answer of 503 that closes its connection, so that every attempt is a
/// new connection and a new request head at the server.
const UNAVAILABLE: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Awaits `future`, failing the test if it is not done within [`HANG`].
async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(HANG, future)
        .await
        .expect("the call hung instead of failing")
}

/// Waits (within 5 s) until `condition` holds; whether it did.
async fn eventually(condition: impl Fn() -> bool) -> bool {
    for _ in 0..500 {
        if condition() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    condition()
}

/// A server that reads the request and never answers.
async fn hanging() -> RawServer {
    RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await
}

/// A server that sends the head of a 100-byte body and its first byte, then
/// one byte a second.
async fn trickling() -> RawServer {
    RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            conn.write(format!("{OK_HEAD}Content-Length: 100\r\n\r\n{{").as_bytes())
                .await;
            for _ in 0..30 {
                tokio::time::sleep(Duration::from_secs(1)).await;
                conn.write(b" ").await;
            }
        }
    })
    .await
}

// ---------------------------------------------------------------------------
// Stalled-stream protection

#[tokio::test]
async fn a_trickled_body_fails_as_stalled_long_before_the_attempt_timeout() {
    let server = trickling().await;
    let client = builder(&server.url())
        .timeout(Duration::from_secs(120))
        .stalled_stream_grace_period(Duration::from_millis(100))
        .disable_retries()
        .build()
        .unwrap();
    let error = bounded(show_repository(&client, 1)).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::Stalled);
    assert_eq!(failure.attempts(), 1);
    assert!(error.is_retryable(), "a stall is transient: {error:?}");
    let text = renderings(&error);
    assert!(text.contains("stalled"), "{text}");
    assert_no_token(&text);
}

#[tokio::test]
async fn stalled_bodies_are_retried_like_timeouts() {
    let server = trickling().await;
    let client = builder(&server.url())
        .timeout(Duration::from_secs(120))
        .stalled_stream_grace_period(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = bounded(show_repository(&client, 1)).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::Stalled);
    assert_eq!(failure.attempts(), 3);
    assert!(eventually(|| server.heads().len() >= 3).await);
    assert_eq!(server.heads().len(), 3);
}

#[tokio::test]
async fn a_stalled_error_body_fails_as_stalled() {
    let server = RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            conn.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 50\r\n\r\n{")
                .await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    })
    .await;
    let client = builder(&server.url())
        .timeout(Duration::from_secs(120))
        .stalled_stream_grace_period(Duration::from_millis(100))
        .disable_retries()
        .build()
        .unwrap();
    let error = bounded(show_repository(&client, 1)).await.unwrap_err();
    assert_eq!(transport_of(&error).kind(), TransportErrorKind::Stalled);
}

#[tokio::test]
async fn a_steady_body_under_the_grace_period_is_not_stalled() {
    let server = RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            let body = b"{\"id\": 1, \"name\": \"slow\"}";
            conn.write(format!("{OK_HEAD}Content-Length: {}\r\n\r\n", body.len()).as_bytes())
                .await;
            for byte in body {
                tokio::time::sleep(Duration::from_millis(10)).await;
                conn.write(&[*byte]).await;
            }
        }
    })
    .await;
    let client = builder(&server.url())
        .stalled_stream_grace_period(Duration::from_secs(3))
        .build()
        .unwrap();
    let response = bounded(show_repository(&client, 1)).await.unwrap();
    assert_eq!(response.body.name, "slow");
}

#[tokio::test]
async fn stalled_stream_protection_can_be_turned_off() {
    let server = RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            conn.write(format!("{OK_HEAD}Content-Length: 3\r\n\r\n").as_bytes())
                .await;
            for byte in b"abc" {
                tokio::time::sleep(Duration::from_millis(150)).await;
                conn.write(&[*byte]).await;
            }
        }
    })
    .await;
    let client = builder(&server.url())
        .stalled_stream_grace_period(Duration::from_millis(10))
        .disable_stalled_stream_protection()
        .disable_retries()
        .build()
        .unwrap();
    let raw = bounded(client.execute(request("Slow", rt::Method::GET, "/slow")))
        .await
        .unwrap();
    assert_eq!(&raw.body[..], b"abc");
}

#[tokio::test]
async fn a_zero_grace_period_is_rejected() {
    let error = builder("http://127.0.0.1:9")
        .stalled_stream_grace_period(Duration::ZERO)
        .build()
        .unwrap_err();
    let invalid = error.invalid_input().expect("invalid input");
    assert_eq!(invalid.parameter(), "stalled_stream_grace_period");
}

// ---------------------------------------------------------------------------
// The operation deadline

#[tokio::test]
async fn the_operation_timeout_bounds_all_attempts_and_waits() {
    let server = canned(UNAVAILABLE).await;
    let client = builder(&server.url())
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(100_000)
                .initial_backoff(Duration::from_millis(2))
                .max_backoff(Duration::from_millis(5))
                .unlimited_retry_budget(),
        )
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = bounded(show_repository(&client, 1)).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::OperationTimeout);
    assert!(error.is_timeout());
    let attempts = failure.attempts();
    assert!(attempts >= 2, "{error:?}");
    // The last attempt may have been cut before its request reached the server.
    let heads = server.heads().len();
    assert!(
        heads == attempts as usize || heads + 1 == attempts as usize,
        "{heads} requests, {attempts} attempts"
    );
    // The last answer the server gave is the source.
    let source = std::error::Error::source(&error).expect("the last attempt's error");
    assert!(source.to_string().contains("503"), "{source}");
    let text = error.to_string();
    assert!(text.contains("deadline"), "{text}");
    assert!(text.contains(&format!("{attempts} attempts")), "{text}");
    assert_no_token(&renderings(&error));
}

#[tokio::test]
async fn the_operation_timeout_cuts_a_hanging_attempt() {
    let server = hanging().await;
    let client = builder(&server.url())
        .timeout(Duration::from_secs(120))
        .operation_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = bounded(show_repository(&client, 1)).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::OperationTimeout);
    assert_eq!(failure.attempts(), 1);
    assert!(error.is_timeout() && error.is_retryable());
    assert!(eventually(|| server.connections() >= 1).await);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_retry_whose_wait_would_pass_the_deadline_is_not_made() {
    let server = canned(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    let client = builder(&server.url())
        .operation_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let error = bounded(show_repository(&client, 1)).await.unwrap_err();
    let failure = transport_failure(&error, TransportErrorKind::OperationTimeout);
    assert_eq!(failure.attempts(), 1);
    assert_eq!(server.heads().len(), 1);
    let source = std::error::Error::source(&error).expect("the attempt's error");
    assert!(source.to_string().contains("503"), "{source}");
}

#[tokio::test]
async fn a_zero_operation_timeout_is_rejected() {
    let error = builder("http://127.0.0.1:9")
        .operation_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    let invalid = error.invalid_input().expect("invalid input");
    assert_eq!(invalid.parameter(), "operation_timeout");
}

// ---------------------------------------------------------------------------
// The retry budget

#[tokio::test]
async fn an_empty_retry_budget_fails_calls_with_their_last_error() {
    let server = canned(UNAVAILABLE).await;
    // 10 tokens: two retries of 5 each, then none.
    let client = builder(&server.url())
        .retry_policy(fast_retries().retry_budget(10))
        .build()
        .unwrap();
    let mut attempts = Vec::new();
    for _ in 0..20 {
        let error = bounded(show_repository(&client, 1)).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
        attempts.push(error.api().unwrap().attempts());
    }
    assert_eq!(attempts[0], 3);
    assert!(attempts[1..].iter().all(|&a| a == 1), "{attempts:?}");
    assert_eq!(server.heads().len(), 22);
}

#[tokio::test]
async fn clones_share_the_budget_and_timeouts_cost_more() {
    let server = hanging().await;
    // 20 tokens: two retries after a timeout (10 each).
    let client = builder(&server.url())
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries().retry_budget(20))
        .build()
        .unwrap();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { bounded(show_repository(&client, 1)).await })
        })
        .collect();
    let mut total = 0;
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        let failure = transport_failure(&error, TransportErrorKind::Timeout);
        total += failure.attempts();
    }
    assert_eq!(total, 5 + 2);
    assert!(server.heads().len() <= 7);
}

#[tokio::test]
async fn the_default_budget_bounds_retries_of_many_calls_to_a_hanging_server() {
    let server = hanging().await;
    let calls = 120;
    let client = builder(&server.url())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { bounded(show_repository(&client, 1)).await })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert!(error.is_timeout(), "{error:?}");
        total += transport_of(&error).attempts();
    }
    // The default budget of 500 tokens pays for 50 timeout retries, not 240.
    assert_eq!(total, calls + 50);
}

#[tokio::test]
async fn without_a_budget_every_call_retries() {
    let server = canned(UNAVAILABLE).await;
    let client = builder(&server.url())
        .retry_policy(fast_retries().retry_budget(10).unlimited_retry_budget())
        .build()
        .unwrap();
    for _ in 0..5 {
        let error = bounded(show_repository(&client, 1)).await.unwrap_err();
        assert_eq!(error.api().unwrap().attempts(), 3);
    }
    assert_eq!(server.heads().len(), 15);
}

#[tokio::test]
async fn successes_refill_the_budget() {
    // Every other request fails with 503: each call fails once, retries, and
    // succeeds; its retry's cost comes back, so the budget never runs dry.
    let server = RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            if conn.index % 2 == 0 {
                conn.write(UNAVAILABLE).await;
            } else {
                let body = serde_json::to_string(&repository_json()).unwrap();
                conn.write(
                    format!(
                        "{OK_HEAD}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
            }
        }
    })
    .await;
    // Room for one retry at a time.
    let client = builder(&server.url())
        .retry_policy(fast_retries().retry_budget(5))
        .build()
        .unwrap();
    for _ in 0..10 {
        bounded(show_repository(&client, 1)).await.unwrap();
    }
    assert_eq!(server.heads().len(), 20);
}
