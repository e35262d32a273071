//! The blocking client (`codearts_repo::blocking`, crate feature `blocking`) against wiremock
//! servers on 127.0.0.1, for both operations: the same checks as the async client's in
//! `client_operations.rs` (success, typed errors, retries, invalid input), plus what is
//! particular to blocking: use from several threads, and use from inside an async runtime
//! (an error, not a panic or a deadlock).
//!
//! The servers run on a Tokio runtime of the test's own; the blocking calls are made from
//! the test's thread, outside it, as a program without async code would.

use std::sync::OnceLock;
use std::time::Duration;

use codearts_repo::blocking::Client;
use codearts_repo::operation::show_repository_statistics_status::ShowRepositoryStatisticsStatusError;
use codearts_repo::{Error, RetryPolicy};
use serde_json::Value;
use wiremock::{MockServer, Request, ResponseTemplate};

mod support;
use support::{example, mock_server, without_nulls};

const TOKEN: &str = "SECRET-TOKEN-blocking-7f3a91c2";

/// The runtime the mock servers run on (never the one the blocking client uses).
fn servers() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("the servers' runtime starts")
    })
}

/// A server answering with `answers` in turn, the last one from then on.
fn serve(answers: Vec<ResponseTemplate>) -> MockServer {
    servers().block_on(mock_server::server_answering_in_turn(answers))
}

fn received(server: &MockServer) -> Vec<Request> {
    servers().block_on(mock_server::received(server))
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .endpoint(server.uri())
        .auth_token(TOKEN)
        .retry_policy(
            RetryPolicy::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(2))
                .max_backoff(Duration::from_millis(10)),
        )
        .build()
        .expect("the blocking client builds")
}

fn json(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(serde_json::to_vec(body).expect("JSON"), "application/json")
}

fn to_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("the body serialises")
}

#[test]
fn both_operations_succeed_with_the_documented_bodies() {
    let show = example("ShowRepository", "200");
    let server = serve(vec![json(200, &show)]);
    let response = client(&server)
        .show_repository(2111993598)
        .send()
        .expect("ShowRepository succeeds");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(to_json(&response.body), without_nulls(&show));
    let requests = received(&server);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/v4/repositories/2111993598");
    assert_eq!(
        requests[0]
            .headers
            .get("x-auth-token")
            .map(|v| v.as_bytes()),
        Some(TOKEN.as_bytes())
    );

    let stats = example("ShowRepositoryStatisticsStatus", "200");
    let server = serve(vec![json(200, &stats).insert_header("X-Total", "5")]);
    let response = client(&server)
        .show_repository_statistics_status(2111915566)
        .send()
        .expect("ShowRepositoryStatisticsStatus succeeds");
    assert_eq!(to_json(&response.body), without_nulls(&stats));
    assert_eq!(response.headers.x_total.as_deref(), Some("5"));
    assert_eq!(
        received(&server)[0].url.path(),
        "/v4/repositories/2111915566/repository/statistics-status"
    );
}

#[test]
fn documented_errors_are_typed_to_their_operation() {
    for (status, doc) in
        [401, 403, 404].map(|s| (s, example("ShowRepositoryStatisticsStatus", &s.to_string())))
    {
        let server = serve(vec![
            json(status, &doc).insert_header("X-Request-Id", "req-b"),
        ]);
        let error = client(&server)
            .show_repository_statistics_status(7)
            .send()
            .expect_err("an error status");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.request_id(), Some("req-b"));
        let body = match (status, error.documented()) {
            (401, Some(ShowRepositoryStatisticsStatusError::Unauthorized(body)))
            | (403, Some(ShowRepositoryStatisticsStatusError::Forbidden(body)))
            | (404, Some(ShowRepositoryStatisticsStatusError::NotFound(body))) => body,
            (_, other) => panic!("{status}: wrong documented error {other:?}"),
        };
        assert_eq!(body.error_code.as_deref(), doc["error_code"].as_str());
        assert!(!error.to_string().contains(TOKEN));

        // ShowRepository documents no error status: an API error, typed as nothing.
        let error = client(&server)
            .show_repository(7)
            .send()
            .expect_err("an error status");
        assert_eq!(error.api().map(|api| api.status().as_u16()), Some(status));
        assert!(error.documented().is_none());
        assert!(matches!(Error::from(error), Error::Api(_)));
    }
}

#[test]
fn transient_failures_are_retried() {
    let stats = example("ShowRepositoryStatisticsStatus", "200");
    let server = serve(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(502),
        json(200, &stats),
    ]);
    let response = client(&server)
        .show_repository_statistics_status(3)
        .send()
        .expect("the third attempt succeeds");
    assert_eq!(to_json(&response.body), without_nulls(&stats));
    assert_eq!(received(&server).len(), 3);

    // Retries end at the policy's attempts; what remains is the last answer.
    let server = serve(vec![ResponseTemplate::new(503)]);
    let error = client(&server)
        .show_repository(3)
        .send()
        .expect_err("503 three times");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.api().map(|api| api.attempts()), Some(3));
    assert_eq!(received(&server).len(), 3);
}

#[test]
fn invalid_input_is_refused_before_sending() {
    let server = serve(vec![json(200, &Value::Null)]);
    let client = client(&server);
    for id in [0, -1, 2_147_483_648] {
        let show = client.show_repository(id).send().expect_err("out of range");
        let stats = client
            .show_repository_statistics_status(id)
            .send()
            .expect_err("out of range");
        for (operation, invalid) in [
            ("ShowRepository", show.invalid_input()),
            ("ShowRepositoryStatisticsStatus", stats.invalid_input()),
        ] {
            let invalid = invalid.unwrap_or_else(|| panic!("{operation} {id}: InvalidInput"));
            assert_eq!(invalid.operation(), operation);
            assert_eq!(invalid.parameter(), "repository_id");
        }
    }
    assert!(received(&server).is_empty(), "nothing was sent");

    // A configuration error is the builder's, as with the async client.
    let error = Client::builder()
        .no_env()
        .endpoint("codehub.example")
        .auth_token(TOKEN)
        .build()
        .expect_err("no scheme");
    let invalid = error.invalid_input().expect("InvalidInput");
    assert_eq!(invalid.parameter(), "endpoint");
    assert!(invalid.reason().contains("https://"), "{error}");
}

#[test]
fn one_client_serves_several_threads_at_once() {
    let stats = example("ShowRepositoryStatisticsStatus", "200");
    let server = serve(vec![json(200, &stats)]);
    let client = client(&server);
    std::thread::scope(|scope| {
        let calls: Vec<_> = (1..=8)
            .map(|id| {
                let client = client.clone();
                scope.spawn(move || client.show_repository_statistics_status(id).send())
            })
            .collect();
        for call in calls {
            let response = call.join().expect("no panic").expect("success");
            assert_eq!(to_json(&response.body), without_nulls(&stats));
        }
    });
    assert_eq!(received(&server).len(), 8);
}

#[test]
fn inside_an_async_runtime_a_call_is_an_error_not_a_panic() {
    let server = serve(vec![json(200, &example("ShowRepository", "200"))]);
    let client = client(&server);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let error = client
            .show_repository(1)
            .send()
            .expect_err("refused inside a runtime");
        let invalid = error.invalid_input().expect("InvalidInput");
        assert_eq!(invalid.operation(), "ShowRepository");
        assert!(invalid.reason().contains("async"), "{error}");
        // Dropping the last clone here shuts its runtime down without blocking.
        drop(client);
    });
    assert!(received(&server).is_empty(), "nothing was sent");
}
