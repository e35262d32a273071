//! The client's configuration, what it sends, and what it rejects before
//! sending: against wiremock servers on 127.0.0.1.

mod runtime_util;

use std::time::Duration;

use codearts_runtime::huaweicloud::{Credentials, Region};
use codearts_runtime::{self as rt, Error, RetryPolicy};
use runtime_util::*;
use wiremock::matchers::{body_json, header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn assert_invalid(error: &Error, operation: &str, parameter: &str) {
    let Error::InvalidInput(invalid) = error else {
        panic!("expected InvalidInput, got {error:?}");
    };
    assert_eq!(invalid.operation(), operation, "{error}");
    assert_eq!(invalid.parameter(), parameter, "{error}");
    assert!(!error.is_retryable());
    assert_eq!(error.status(), None);
}

#[test]
fn client_is_send_sync_clone_and_futures_are_send() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
    fn assert_send<T: Send>(_: &T) {}
    assert_send_sync::<Client>();
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
    let client = client("http://127.0.0.1:9");
    let future = client.execute(request("Op", rt::Method::GET, "/x"));
    assert_send(&future);
    let future = show_repository(&client, 1);
    assert_send(&future);
}

/// The request id comes from `X-Request-Id`, else the gateway headers in a fixed order;
/// empty and control-only values are skipped, control characters dropped.
#[tokio::test]
async fn request_id_prefers_x_request_id_then_gateway_headers() {
    type Headers = &'static [(&'static str, &'static str)];
    let cases: [(Headers, Option<&str>); 5] = [
        (
            &[
                ("X-Apig-Request-Id", "apig"),
                ("X-Openstack-Request-Id", "os"),
            ],
            Some("os"),
        ),
        (
            &[("X-Apig-Request-Id", "apig"), ("X-Request-Id", "main")],
            Some("main"),
        ),
        (
            &[("X-Request-Id", "  "), ("X-Compute-Request-Id", "compute")],
            Some("compute"),
        ),
        (&[("X-Apig-Request-Id", " a\tb ")], Some("ab")),
        (&[("X-Other-Request-Id", "other")], None),
    ];
    for (headers, expected) in cases {
        let mut answer = ResponseTemplate::new(200).set_body_json(repository_json());
        for (name, value) in headers {
            answer = answer.insert_header(*name, *value);
        }
        let server = answering(answer).await;
        let client = builder(&server.uri()).build().unwrap();
        let response = show_repository(&client, 1).await.unwrap();
        assert_eq!(response.request_id.as_deref(), expected, "{headers:?}");
    }
}

#[tokio::test]
async fn get_sends_token_user_agent_accept_and_surfaces_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v4/repositories/2111993598"))
        .and(header("x-auth-token", TOKEN))
        .and(header("accept", "application/json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(repository_json())
                .insert_header("X-Request-Id", "req-123"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = builder(&server.uri())
        .user_agent("my-tool/1.2")
        .build()
        .unwrap();
    let response = show_repository(&client, 2111993598).await.unwrap();

    assert_eq!(response.status, rt::StatusCode::OK);
    assert_eq!(response.request_id.as_deref(), Some("req-123"));
    assert_eq!(response.body.id, 2111993598);
    assert_eq!(response.body.name, "test_import");
    assert_eq!(response.body.description, None);
    assert_eq!(
        response.body.namespace.as_ref().map(|n| n.id),
        Some(2111853526)
    );
    assert_eq!(response.raw_headers.get("x-request-id").unwrap(), "req-123");

    let request = only_request(&server).await;
    let user_agent = header_text(&request, "user-agent");
    assert!(
        user_agent.starts_with("codearts-repo-rust/"),
        "{user_agent}"
    );
    assert!(user_agent.ends_with(" my-tool/1.2"), "{user_agent}");
    assert_eq!(request.headers.get("x-auth-token").unwrap(), TOKEN);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn typed_headers_are_lenient() {
    let server = answering(
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"can_statistics": true, "reason": 2, "event": null}))
            .insert_header("X-Total", "42")
            .insert_header("X-Count", "not-a-number"),
    )
    .await;
    let client = client(&server.uri());
    let response = show_statistics_status(&client, 7).await.unwrap();
    assert_eq!(
        response.body,
        StatisticsStatus {
            can_statistics: true,
            reason: 2
        }
    );
    assert_eq!(
        response.headers,
        StatisticsStatusHeaders {
            x_total: Some("42".into()),
            x_count: None
        }
    );
    assert_eq!(response.request_id, None);
    let (body, headers) = response.into_parts();
    assert!(body.can_statistics);
    assert_eq!(headers.x_total.as_deref(), Some("42"));
}

#[tokio::test]
async fn endpoint_path_prefix_query_and_path_encoding() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/proxy/codearts/v4/repositories/a%2Fb%20c/files"))
        .and(query_param("ref", "feature/x y&z"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(repository_json()))
        .expect(1)
        .mount(&server)
        .await;
    // A trailing slash on the endpoint is not doubled.
    let client = client(&format!("{}/proxy/codearts/", server.uri()));
    assert_eq!(
        client.endpoint(),
        format!("{}/proxy/codearts", server.uri())
    );
    let segment = rt::support::encode_path_segment("a/b c");
    let mut request = request(
        "ListFiles",
        rt::Method::GET,
        &format!("/v4/repositories/{segment}/files"),
    );
    request.query("ref", "feature/x y&z".to_owned());
    request.query("page", 2.to_string());
    run_json(&client, request).await.unwrap();
    assert_eq!(
        only_request(&server).await.url.query(),
        Some("ref=feature%2Fx%20y%26z&page=2")
    );
}

#[tokio::test]
async fn repeated_query_parameters_and_custom_headers_are_sent() {
    let server = repository_server().await;
    let client = client(&server.uri());
    let mut request = request("ListThings", rt::Method::GET, "/v4/things");
    request.query("id", "1".into());
    request.query("id", "2".into());
    request.header(
        "X-Trace-Me",
        rt::support::header_value("ListThings", "x_trace_me", "yes please").unwrap(),
    );
    run_json(&client, request).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("id=1&id=2"));
    assert_eq!(requests[0].headers.get("x-trace-me").unwrap(), "yes please");
}

#[tokio::test]
async fn post_sends_json_body_with_content_type_and_accept_override() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v4/repositories"))
        .and(header("content-type", "application/json"))
        .and(header("accept", "text/plain"))
        .and(body_json(
            serde_json::json!({"name": "r1", "visibility": 20}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_string("created ✓"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut request = request("CreateRepository", rt::Method::POST, "/v4/repositories");
    request
        .json_body(
            "CreateRepository",
            &serde_json::json!({"name": "r1", "visibility": 20}),
        )
        .unwrap();
    request.accept("text/plain");
    let raw = client.execute(request).await.unwrap();
    assert_eq!(raw.status, rt::StatusCode::CREATED);
    assert_eq!(
        rt::support::decode_text("CreateRepository", &raw).unwrap(),
        "created ✓"
    );
    assert_eq!(
        rt::support::decode_bytes(&raw),
        rt::Bytes::from("created ✓")
    );
}

#[tokio::test]
async fn access_key_credentials_sign_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header_exists("authorization"))
        .and(header_exists("x-sdk-date"))
        .and(header("x-project-id", "proj-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(repository_json()))
        .expect(1)
        .mount(&server)
        .await;
    let credentials = Credentials::access_key("AKIDEXAMPLE0000", "SK-very-secret-value")
        .unwrap()
        .with_project_id("proj-1")
        .unwrap();
    let client = Client::builder()
        .endpoint(server.uri())
        .credentials(credentials)
        .no_env_credentials()
        .build()
        .unwrap();
    show_repository(&client, 5).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let authorization = header_text(&requests[0], "authorization");
    assert!(
        authorization.starts_with("SDK-HMAC-SHA256 Access=AKIDEXAMPLE0000, SignedHeaders="),
        "{authorization}"
    );
    assert!(!authorization.contains("SK-very-secret-value"));
    assert!(requests[0].headers.get("x-auth-token").is_none());
    assert!(!format!("{client:?}").contains("SK-very-secret-value"));
}

// ---------------------------------------------------------------------------
// Configuration errors

#[tokio::test]
async fn invalid_tokens_are_rejected_at_build_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let long = "a".repeat(100_001);
    let cases: [(&str, &str); 5] = [
        ("", "empty"),
        (&long, "longer"),
        ("abc\r\nX-Evil: 1", "characters"),
        ("abc def", "characters"),
        ("tök", "characters"),
    ];
    for (token, reason) in cases {
        let error = Client::builder()
            .endpoint(server.uri())
            .auth_token(token)
            .no_env_credentials()
            .build()
            .unwrap_err();
        assert_invalid(&error, "ClientBuilder", "auth_token");
        assert!(error.to_string().contains(reason), "{error}");
        assert!(
            error
                .to_string()
                .starts_with("ClientBuilder: invalid input `auth_token`: "),
            "{error}"
        );
        if !token.is_empty() {
            let rendered = format!("{error} {error:?}");
            assert!(!rendered.contains(token), "{rendered}");
            assert!(!rendered.contains("X-Evil"), "{rendered}");
        }
    }
    // A token of exactly 100 000 characters is fine.
    Client::builder()
        .endpoint(server.uri())
        .auth_token("a".repeat(100_000))
        .no_env_credentials()
        .build()
        .unwrap();
    assert_eq!(received(&server).await, 0);
}

#[tokio::test]
async fn invalid_endpoints_are_rejected() {
    let server = MockServer::start().await;
    for endpoint in [
        "not a url",
        "ftp://127.0.0.1/",
        "https://example.com/?q=1",
        "https://example.com/#frag",
        "http://example.com",
        "https://user:pass@example.com",
        "mailto:someone@example.com",
        "",
    ] {
        let error = Client::builder()
            .endpoint(endpoint)
            .auth_token(TOKEN)
            .no_env_credentials()
            .build()
            .unwrap_err();
        assert_invalid(&error, "ClientBuilder", "endpoint");
        assert!(!error.to_string().contains("pass"), "{error}");
    }
    // Loopback http, https anywhere, and http with the explicit opt-in are fine.
    for (endpoint, allow_http) in [
        ("http://127.0.0.1:1", false),
        ("http://localhost:1/prefix", false),
        ("http://[::1]:1", false),
        ("https://example.com/base/", false),
        ("http://example.com", true),
    ] {
        Client::builder()
            .endpoint(endpoint)
            .allow_http(allow_http)
            .auth_token(TOKEN)
            .no_env_credentials()
            .build()
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    }
    assert_eq!(received(&server).await, 0);
}

#[test]
fn missing_endpoint_credentials_and_bad_settings_are_rejected() {
    let error = Client::builder()
        .auth_token(TOKEN)
        .no_env_credentials()
        .build()
        .unwrap_err();
    assert_invalid(&error, "ClientBuilder", "endpoint");

    let error = Client::builder()
        .region(Region::CnNorth4)
        .no_env_credentials()
        .build()
        .unwrap_err();
    assert_invalid(&error, "ClientBuilder", "credentials");
    assert!(error.to_string().contains("no credentials"), "{error}");

    let error = builder("http://127.0.0.1:1")
        .timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_invalid(&error, "ClientBuilder", "timeout");
    let error = builder("http://127.0.0.1:1")
        .connect_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_invalid(&error, "ClientBuilder", "connect_timeout");
    let error = builder("http://127.0.0.1:1")
        .user_agent("bad\r\nagent")
        .build()
        .unwrap_err();
    assert_invalid(&error, "ClientBuilder", "user_agent");
    let error = builder("http://127.0.0.1:1")
        .user_agent("x".repeat(2000))
        .build()
        .unwrap_err();
    assert_invalid(&error, "ClientBuilder", "user_agent");
}

#[test]
fn region_sets_the_endpoint_and_endpoint_wins() {
    let client = Client::builder()
        .region(Region::LaSouth2)
        .auth_token(TOKEN)
        .no_env_credentials()
        .build()
        .unwrap();
    assert_eq!(
        client.endpoint(),
        "https://codeartsrepo-ext.la-south-2.myhuaweicloud.com"
    );
    assert_eq!(client.region(), Some(Region::LaSouth2));

    let client = Client::builder()
        .region(Region::CnNorth4)
        .endpoint("https://proxy.example/repo")
        .auth_token(TOKEN)
        .no_env_credentials()
        .build()
        .unwrap();
    assert_eq!(client.endpoint(), "https://proxy.example/repo");
    assert_eq!(client.region(), Some(Region::CnNorth4));
}

#[test]
fn debug_output_never_shows_the_token() {
    let builder = builder("http://127.0.0.1:1");
    assert_no_token(&format!("{builder:?}"));
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert_no_token(&debug);
    assert!(debug.contains("http://127.0.0.1:1"), "{debug}");
    assert!(debug.contains("timeout"), "{debug}");
    assert!(debug.contains("retry"), "{debug}");
    assert!(debug.contains("token"), "{debug}"); // the kind of credentials
    assert_eq!(client.retry_policy(), fast_retries());

    let invalid = Client::builder()
        .auth_token(format!("{TOKEN}\n"))
        .no_env_credentials();
    assert_no_token(&format!("{invalid:?}"));
    assert_no_token(&format!("{:?}", invalid.build().unwrap_err()));
}

// ---------------------------------------------------------------------------
// Invalid input of an operation: rejected before anything is sent

#[tokio::test]
async fn out_of_range_integer_is_rejected_before_sending() {
    let server = repository_server().await;
    let client = client(&server.uri());
    for id in [0, -1, 2147483648, i64::MIN, i64::MAX] {
        let error = show_repository(&client, id).await.unwrap_err();
        assert_invalid(&error, "ShowRepository", "repository_id");
        assert_eq!(error.operation(), "ShowRepository");
        assert!(
            error
                .to_string()
                .starts_with("ShowRepository: invalid input `repository_id`: must be at"),
            "{error}"
        );
    }
    assert_eq!(received(&server).await, 0);
    // The bounds themselves are accepted.
    show_repository(&client, 1).await.unwrap();
    show_repository(&client, 2147483647).await.unwrap();
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn bad_header_value_is_rejected_before_sending() {
    let server = repository_server().await;
    let client = client(&server.uri());
    async fn with_header(client: &Client, value: &str) -> Result<Repository, Error> {
        const OPERATION: &str = "GetWithHeader";
        let mut request = request(OPERATION, rt::Method::GET, "/v4/x");
        request.header(
            "X-Foo",
            rt::support::header_value(OPERATION, "x_foo", value)?,
        );
        run_json(client, request).await
    }
    for value in [
        "evil\r\nX-Injected: 1",
        "nul\0byte",
        "bell\u{7}",
        "del\u{7f}",
        "naïve",
    ] {
        let error = with_header(&client, value).await.unwrap_err();
        assert_invalid(&error, "GetWithHeader", "x_foo");
        let rendered = format!("{error} {error:?}");
        assert!(
            !rendered.contains("evil")
                && !rendered.contains("Injected")
                && !rendered.contains("naïve"),
            "{rendered}"
        );
    }
    assert_eq!(received(&server).await, 0);
    with_header(&client, "plain value\twith tab").await.unwrap();
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn malformed_requests_from_generated_code_are_rejected_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server.uri());
    let error = client
        .execute(request("NoSlash", rt::Method::GET, "v4/x"))
        .await
        .unwrap_err();
    assert_invalid(&error, "NoSlash", "path");

    let mut bad_name = request("BadName", rt::Method::GET, "/v4/x");
    bad_name.header("Bad Name", rt::HeaderValue::from_static("v"));
    let error = client.execute(bad_name).await.unwrap_err();
    assert_invalid(&error, "BadName", "header Bad Name");

    let mut bad_accept = request("BadAccept", rt::Method::GET, "/v4/x");
    bad_accept.accept("text/\nplain");
    let error = client.execute(bad_accept).await.unwrap_err();
    assert_invalid(&error, "BadAccept", "accept");

    // A body that cannot be JSON: a map with non-string keys.
    let mut map = std::collections::BTreeMap::new();
    map.insert(vec![1u8], 1);
    let mut bad_body = request("BadBody", rt::Method::POST, "/v4/x");
    let error = bad_body.json_body("BadBody", &map).unwrap_err();
    assert_invalid(&error, "BadBody", "body");

    assert_eq!(received(&server).await, 0);
}

#[test]
fn retry_policy_builder_and_backoff_bounds() {
    let policy = RetryPolicy::new()
        .max_attempts(0)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(250));
    assert_eq!(policy.attempts(), 1);
    assert_eq!(RetryPolicy::disabled().attempts(), 1);
    assert_eq!(RetryPolicy::default().attempts(), 3);
    assert_eq!(
        RetryPolicy::default().retry_after_cap(),
        Duration::from_secs(20)
    );
    // Full jitter: within [0, min(max, initial * 2^(n-1))], and not constant.
    let mut seen = std::collections::BTreeSet::new();
    for retry in 1..=40 {
        for _ in 0..50 {
            let delay = policy.backoff(retry);
            let cap = Duration::from_millis(100 * (1u64 << (retry - 1).min(20)))
                .min(Duration::from_millis(250));
            assert!(delay <= cap, "retry {retry}: {delay:?} > {cap:?}");
            seen.insert(delay);
        }
    }
    assert!(
        seen.len() > 100,
        "backoff is not random: {} distinct values",
        seen.len()
    );
    assert_eq!(
        RetryPolicy::new().max_backoff(Duration::ZERO).backoff(3),
        Duration::ZERO
    );
}

#[test]
fn regions_round_trip() {
    assert_eq!(Region::ALL.len(), 16);
    for region in Region::ALL {
        assert_eq!(region.id().parse::<Region>().unwrap(), *region);
        assert_eq!(region.to_string(), region.id());
        let host = region.endpoint().strip_prefix("https://").unwrap();
        assert!(
            host.ends_with(&format!(".{}.myhuaweicloud.com", region.id())),
            "{host}"
        );
    }
    assert_eq!(
        Region::CnNorth4.endpoint(),
        "https://codehub-ext.cn-north-4.myhuaweicloud.com"
    );
    assert_eq!(
        Region::EuWest101.endpoint(),
        "https://codeartsrepo-ext.eu-west-101.myhuaweicloud.com"
    );
    assert_eq!(
        Region::AfNorth1.endpoint(),
        "https://repo.af-north-1.myhuaweicloud.com"
    );
    assert_eq!(" CN-North-4 ".parse::<Region>().unwrap(), Region::CnNorth4);
    let error = "mars-1".parse::<Region>().unwrap_err();
    assert!(
        error.to_string().contains("mars-1") && error.to_string().contains("cn-north-4"),
        "{error}"
    );
}
