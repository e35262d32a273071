//! What the client writes to `tracing`: spans per operation and attempt,
//! retry events, and never a secret. Alone in its binary: tracing caches
//! per-callsite interest process-wide, which other tests running in parallel
//! threads without a subscriber would disturb.

mod runtime_util;

use std::io::Write;
use std::sync::{Arc, Mutex};

use runtime_util::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_has_operation_and_attempt_spans_and_never_a_secret() {
    let server = MockServer::start().await;
    // The server echoes the token back in an error body, then succeeds.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(serde_json::json!({"error_code": "X.1", "error_msg": format!("busy, token {TOKEN}")}))
                // An id that echoes the token: logged scrubbed.
                .insert_header("X-Request-Id", format!("rid-503-{TOKEN}")),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(repository_json())
                .insert_header("X-Request-Id", "rid-200"),
        )
        .mount(&server)
        .await;

    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = client(&server.uri());
    show_repository(&client, 3).await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert_no_token(&output);
    assert!(
        output.contains("operation{operation=\"ShowRepository\""),
        "{output}"
    );
    assert!(output.contains("attempt{attempt=1"), "{output}");
    assert!(output.contains("attempt{attempt=2"), "{output}");
    assert!(output.contains("status=503"), "{output}");
    assert!(
        output.contains("request_id=\"rid-503-<redacted>\""),
        "{output}"
    );
    assert!(output.contains("request_id=\"rid-200\""), "{output}");
    assert!(output.contains("retrying"), "{output}");
    assert!(output.contains("delay_ms="), "{output}");
    assert!(output.contains("<redacted>"), "{output}");
    assert_eq!(received(&server).await, 2);
}
