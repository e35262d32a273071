//! wiremock servers on 127.0.0.1 that answer whatever they are asked, for the tests of the
//! client and its examples (`client_operations.rs`, `examples_cli.rs`, `blocking_client.rs`):
//! the tests then check what the servers received.

use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with `answer`.
pub async fn server_answering(answer: ResponseTemplate) -> MockServer {
    server_answering_in_turn(vec![answer]).await
}

/// A server answering with `answers` in turn, the last one from then on: a retried request
/// gets the next answer.
pub async fn server_answering_in_turn(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let count = answers.len();
    for (index, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(any()).respond_with(answer);
        // Mocks that match alike answer in the order they were mounted.
        let mock = if index + 1 < count {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(&server).await;
    }
    server
}

/// `body` as pretty-printed JSON, `Content-Type: application/json`, with `status`.
pub fn json_answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        serde_json::to_vec_pretty(body).expect("JSON"),
        "application/json",
    )
}

/// The requests `server` received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("wiremock records requests")
}

/// The value of header `name` of a received request, if it has one.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header"))
}

/// The parameter the error names, if it is an invalid-input error (refused before sending).
pub fn invalid_parameter(error: &codearts_runtime::Error) -> Option<String> {
    match error {
        codearts_runtime::Error::InvalidInput(invalid) => Some(invalid.parameter().to_owned()),
        _ => None,
    }
}

/// Retries with millisecond backoffs, so that retry tests stay fast.
pub fn fast_retries() -> codearts_runtime::RetryPolicy {
    codearts_runtime::RetryPolicy::new()
        .max_attempts(3)
        .initial_backoff(std::time::Duration::from_millis(2))
        .max_backoff(std::time::Duration::from_millis(10))
        .max_retry_after(std::time::Duration::from_secs(5))
}
