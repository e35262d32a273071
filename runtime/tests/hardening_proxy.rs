//! A proxy from the environment never sees the credentials of a plain-`http`
//! loopback endpoint. The only test of its binary: it sets process-wide
//! environment variables.

mod runtime_util;

use std::time::Duration;

use runtime_util::*;

#[tokio::test]
async fn an_environment_proxy_is_not_used_for_a_plain_http_loopback_endpoint() {
    // A fake proxy that records what reaches it and answers like the server would.
    let proxy =
        canned(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            .await;
    let server = RawServer::start(|mut conn| async move {
        if conn.read_head().await.is_some() {
            let body = repository_json().to_string();
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            conn.write(response.as_bytes()).await;
        }
    })
    .await;
    // SAFETY: this binary's only test, and it sets the variables before starting
    // anything that reads the environment.
    unsafe {
        for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
            std::env::set_var(name, proxy.url());
        }
        for name in ["NO_PROXY", "no_proxy"] {
            std::env::remove_var(name);
        }
    }
    for endpoint in [
        server.url(),
        format!("http://localhost:{}", server.addr.port()),
    ] {
        let client = builder(&endpoint).build().unwrap();
        tokio::time::timeout(Duration::from_secs(20), show_repository(&client, 1))
            .await
            .expect("bounded")
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
    assert_eq!(proxy.connections(), 0, "{:?}", proxy.heads());
    assert_eq!(server.connections(), 2);
}
