//! A generated client of a generic API (fixtures/ok/security_schemes.yaml): its
//! builder applies the spec's security schemes, and the server receives each
//! credential where the scheme says.

use codearts_repo_tests::security_schemes::generated::client::Client;
use wiremock::{MockServer, ResponseTemplate};

mod support;
use support::mock_server::{received, server_answering};

async fn pets_server() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_raw("[\"rex\"]", "application/json")).await
}

#[tokio::test]
async fn each_scheme_sends_its_credential() {
    let server = pets_server().await;
    let builder = || Client::builder().endpoint(server.uri()).no_env();
    let clients = [
        builder()
            .api_key_for("key_in_header", "h1")
            .build()
            .unwrap(),
        builder().api_key_for("key_in_query", "q2").build().unwrap(),
        builder()
            .api_key_for("key_in_cookie", "c3")
            .build()
            .unwrap(),
        builder().bearer_token("b4").build().unwrap(),
        builder().basic_auth("me", "pw").build().unwrap(),
    ];
    for client in &clients {
        let pets = client
            .list_pets()
            .limit(2)
            .await
            .expect("the call succeeds");
        assert_eq!(pets.body, ["rex"]);
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 5);
    let header = |i: usize, name: &str| {
        requests[i]
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header(0, "x-api-key").as_deref(), Some("h1"));
    assert_eq!(requests[1].url.query(), Some("limit=2&api_key=q2"));
    assert_eq!(header(2, "cookie").as_deref(), Some("session=c3"));
    assert_eq!(header(3, "authorization").as_deref(), Some("Bearer b4"));
    assert_eq!(
        header(4, "authorization").as_deref(),
        Some("Basic bWU6cHc=")
    );
    for i in [1, 2, 3, 4] {
        assert_eq!(header(i, "x-api-key"), None, "request {i}");
    }
}

#[test]
fn the_spec_gives_the_default_endpoint_and_an_ambiguous_key_is_refused() {
    let client = Client::builder().no_env().build().expect("builds");
    assert_eq!(client.endpoint(), "https://pets.example/v1");
    // Two API-key schemes: which one must be said.
    let error = Client::builder().no_env().api_key("k").build().unwrap_err();
    assert!(error.to_string().contains("api_key_for"), "{error}");
}
