//! Answers that are errors (non-2xx) or that do not match the documented
//! shape (2xx): what the client returns, and how it prints.

mod runtime_util;

use std::time::Duration;

use codearts_runtime::{self as rt, Error};
use runtime_util::*;
use wiremock::{MockServer, ResponseTemplate};

async fn show_error(server: &MockServer) -> Error {
    let client = client(&server.uri());
    show_repository(&client, 42).await.unwrap_err()
}

fn api(error: &Error) -> &rt::ApiError {
    error
        .api()
        .unwrap_or_else(|| panic!("expected an API error, got {error:?}"))
}

fn decode(error: &Error) -> &rt::DecodeError {
    error
        .decode()
        .unwrap_or_else(|| panic!("expected a decode error, got {error:?}"))
}

// ---------------------------------------------------------------------------
// API errors

#[tokio::test]
async fn not_found_with_huawei_error_body() {
    let server = answering(
        ResponseTemplate::new(404)
            .set_body_json(serde_json::json!({
                "error_code": "CH.00402000",
                "error_msg": "The repository does not exist. Check and try again.",
                "extra": {"nested": [1, 2]},
                "request_id": null,
            }))
            .insert_header("X-Request-Id", "abc"),
    )
    .await;
    let error = show_error(&server).await;
    assert_eq!(
        error.to_string(),
        "ShowRepository: HTTP 404 Not Found: CH.00402000: The repository does not exist. Check and try again. (request id abc)"
    );
    let api = api(&error);
    assert_eq!(api.operation(), "ShowRepository");
    assert_eq!(api.status(), rt::StatusCode::NOT_FOUND);
    assert_eq!(api.error_code(), Some("CH.00402000"));
    assert_eq!(
        api.error_msg(),
        Some("The repository does not exist. Check and try again.")
    );
    assert_eq!(api.request_id(), Some("abc"));
    assert_eq!(api.attempts(), 1);
    assert_eq!(api.retry_after(), None);
    assert!(!api.is_body_truncated());
    assert_eq!(api.headers().get("x-request-id").unwrap(), "abc");
    assert_eq!(error.status(), Some(rt::StatusCode::NOT_FOUND));
    assert_eq!(error.request_id(), Some("abc"));
    assert_eq!(error.operation(), "ShowRepository");
    assert!(!error.is_retryable());
    assert!(!error.is_timeout());
    assert!(error.body_excerpt().unwrap().contains("CH.00402000"));
    // The generated per-operation error enums decode the documented body.
    let body: ErrorBody = rt::support::decode_error_body(api).unwrap();
    assert_eq!(body.error_code.as_deref(), Some("CH.00402000"));
    // Not retried: one request.
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn nulls_numbers_and_other_error_shapes_are_tolerated() {
    let cases = [
        (
            serde_json::json!({"error_code": null, "error_msg": "only a message"}),
            None,
            Some("only a message"),
        ),
        (
            serde_json::json!({"error_code": 1234, "error_msg": null}),
            Some("1234"),
            None,
        ),
        (
            serde_json::json!({"code": "APIGW.0301", "message": "Incorrect IAM authentication information"}),
            Some("APIGW.0301"),
            Some("Incorrect IAM authentication information"),
        ),
        (
            serde_json::json!({"error": {"code": "IAM.0001", "message": "nested"}}),
            Some("IAM.0001"),
            Some("nested"),
        ),
        (
            serde_json::json!({"error_code": "", "error_msg": "   "}),
            None,
            None,
        ),
        (serde_json::json!(["not", "an", "object"]), None, None),
    ];
    for (body, code, message) in cases {
        let server = answering(ResponseTemplate::new(403).set_body_json(&body)).await;
        let error = show_error(&server).await;
        let api = api(&error);
        assert_eq!(api.error_code(), code, "{body}");
        assert_eq!(api.error_msg(), message, "{body}");
        assert!(
            error
                .to_string()
                .starts_with("ShowRepository: HTTP 403 Forbidden: "),
            "{error}"
        );
    }
}

#[tokio::test]
async fn request_id_from_error_body_when_no_header() {
    let server = answering(ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "error_code": "APIGW.0301",
        "error_msg": "Incorrect IAM authentication information",
        "request_id": "body-rid-9",
    })))
    .await;
    let error = show_error(&server).await;
    assert_eq!(error.request_id(), Some("body-rid-9"));
    assert!(
        error.to_string().ends_with("(request id body-rid-9)"),
        "{error}"
    );
}

#[tokio::test]
async fn server_error_with_html_body_keeps_a_bounded_excerpt_and_is_not_retried() {
    let html = format!(
        "<html>\r\n<head><title>500 Internal Server Error</title></head>\n<body>{}</body></html>",
        "é".repeat(3000)
    );
    let server =
        answering(ResponseTemplate::new(500).set_body_raw(html.clone().into_bytes(), "text/html"))
            .await;
    let error = show_error(&server).await;
    let api = api(&error);
    assert_eq!(api.status(), rt::StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.error_code(), None);
    assert_eq!(api.body().as_ref(), html.as_bytes());
    let excerpt = api.body_excerpt();
    assert!(excerpt.len() <= 1024, "{}", excerpt.len());
    assert!(excerpt.len() >= 1020, "{}", excerpt.len());
    assert!(excerpt.starts_with("<html>\r\n<head>"), "{excerpt}");
    assert!(html.starts_with(excerpt));
    assert!(!excerpt.contains('\u{FFFD}'), "cut inside a character");
    let display = error.to_string();
    assert!(
        display.starts_with("ShowRepository: HTTP 500 Internal Server Error: <html> <head><title>500 Internal Server Error</title></head> <body>é"),
        "{display}"
    );
    assert!(display.chars().count() < 300, "{display}");
    assert!(!display.contains('\n') && !display.contains('\r'));
    assert!(!error.is_retryable());
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn empty_unauthorized_body() {
    let server = answering(ResponseTemplate::new(401)).await;
    let error = show_error(&server).await;
    assert_eq!(
        error.to_string(),
        "ShowRepository: HTTP 401 Unauthorized: empty body"
    );
    let api = api(&error);
    assert!(api.body().is_empty());
    assert_eq!(api.body_excerpt(), "");
    assert!(rt::support::decode_error_body::<ErrorBody>(api).is_none());
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn unknown_status_and_redirects_are_api_errors() {
    let server = answering(ResponseTemplate::new(599).set_body_string("odd")).await;
    let error = show_error(&server).await;
    assert_eq!(error.to_string(), "ShowRepository: HTTP 599: odd");

    // Redirects are not followed (the token must not go to another host).
    let server = answering(
        ResponseTemplate::new(302).insert_header("Location", "http://127.0.0.1:1/elsewhere"),
    )
    .await;
    let error = show_error(&server).await;
    assert_eq!(error.status(), Some(rt::StatusCode::FOUND));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn error_body_over_the_limit_is_truncated() {
    let server = answering(ResponseTemplate::new(502).set_body_string("x".repeat(100_000))).await;
    let client = builder(&server.uri())
        .max_response_body_bytes(4096)
        .disable_retries()
        .build()
        .unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    let api = api(&error);
    assert_eq!(api.status(), rt::StatusCode::BAD_GATEWAY);
    assert_eq!(api.body().len(), 4096);
    assert!(api.is_body_truncated());
    assert_eq!(api.body_excerpt().len(), 1024);
}

#[tokio::test]
async fn echoed_token_is_scrubbed_from_errors() {
    let server = answering(
        ResponseTemplate::new(401)
            .set_body_json(serde_json::json!({
                "error_code": format!("E-{TOKEN}"),
                "error_msg": format!("token {TOKEN} is expired"),
                "echo": TOKEN,
            }))
            .insert_header("X-Request-Id", TOKEN)
            .insert_header("X-Auth-Token", TOKEN),
    )
    .await;
    let error = show_error(&server).await;
    assert_no_token(&renderings(&error));
    let api = api(&error);
    assert_eq!(api.error_msg(), Some("token <redacted> is expired"));
    assert_no_token(api.body_excerpt());
    // Even the body and the headers kept for callers are scrubbed, so that neither they nor
    // a typed error body decoded from them can leak the token.
    let body = String::from_utf8_lossy(api.body());
    assert_no_token(&body);
    assert!(body.contains(r#""echo":"<redacted>""#), "{body}");
    for (name, value) in api.headers() {
        assert_no_token(&format!("{name}: {value:?}"));
    }
    assert_eq!(api.headers()["x-auth-token"], "<redacted>");

    // A 2xx whose decode error would quote the token.
    let server = answering(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "id": TOKEN, "name": "n"
    })))
    .await;
    let error = show_error(&server).await;
    decode(&error);
    assert_no_token(&renderings(&error));
    assert!(error.to_string().contains("<redacted>"), "{error}");
}

#[tokio::test]
async fn token_straddling_the_excerpt_cut_is_scrubbed() {
    let body = format!("{}{TOKEN}{}", "a".repeat(1024 - 10), "b".repeat(100));
    let server = answering(ResponseTemplate::new(400).set_body_string(body)).await;
    let error = show_error(&server).await;
    assert_no_token(&renderings(&error));
    assert!(
        !api(&error).body_excerpt().contains("tok-SECR"),
        "a prefix of the token survived"
    );
}

#[tokio::test]
async fn retry_after_is_exposed_on_the_error() {
    let server = answering(ResponseTemplate::new(429).insert_header("Retry-After", "3600")).await;
    let client = builder(&server.uri()).disable_retries().build().unwrap();
    let error = show_repository(&client, 1).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        "ShowRepository: HTTP 429 Too Many Requests: empty body"
    );
}

// ---------------------------------------------------------------------------
// Decode errors (2xx with a body that is not the documented shape)

async fn decode_failure(response: ResponseTemplate) -> Error {
    let server = answering(response).await;
    let error = show_error(&server).await;
    assert_eq!(received(&server).await, 1, "decode errors are not retried");
    assert!(!error.is_retryable());
    error
}

/// A 200 answer with `body` sent as it is, declared as `content_type`: the
/// bytes a misbehaving server writes, not a JSON value wiremock would encode.
fn ok_raw(body: &[u8], content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.to_vec(), content_type)
}

#[tokio::test]
async fn truncated_json() {
    let body = br#"{"id": 1, "name": "abc", "names"#;
    let error = decode_failure(ok_raw(body, "application/json")).await;
    let decode = decode(&error);
    assert_eq!(decode.status(), rt::StatusCode::OK);
    assert!(decode.message().contains("EOF while parsing"), "{error}");
    assert_eq!(decode.content_type(), Some("application/json"));
    assert!(!decode.is_empty_body());
    assert!(
        error.to_string().starts_with(
            "ShowRepository: HTTP 200: response body does not match the documented shape"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn top_level_array_where_an_object_is_expected() {
    let error = decode_failure(
        ResponseTemplate::new(200).set_body_json(serde_json::json!([repository_json()])),
    )
    .await;
    let decode = decode(&error);
    // serde lets a struct be read from an array of its fields, so the
    // failure is at the first element.
    assert_eq!(decode.path(), Some(".[0]"));
    assert!(
        decode.message().contains("invalid type: map, expected i64"),
        "{error}"
    );
    assert_eq!(decode.body_excerpt().chars().next(), Some('['));
}

#[tokio::test]
async fn wrong_scalar_type_reports_the_path() {
    let mut body = repository_json();
    body["namespace"]["id"] = serde_json::json!("x");
    let error = decode_failure(
        ResponseTemplate::new(200)
            .set_body_json(body)
            .insert_header("X-Request-Id", "rid-7"),
    )
    .await;
    let decode = decode(&error);
    assert_eq!(decode.path(), Some(".namespace.id"));
    assert_eq!(decode.request_id(), Some("rid-7"));
    let display = error.to_string();
    assert!(
        display.starts_with(
            "ShowRepository: HTTP 200: response body does not match the documented shape at .namespace.id: \
             invalid type: string \"x\", expected i64 at line 1 column "
        ),
        "{display}"
    );
    assert!(
        display.ends_with(" (content-type application/json) (request id rid-7)"),
        "{display}"
    );
    assert_eq!(error.request_id(), Some("rid-7"));
}

#[tokio::test]
async fn html_login_page_with_200() {
    let page =
        "<!DOCTYPE html><html><head><title>Login</title></head><body><form>…</form></body></html>";
    let error = decode_failure(ok_raw(page.as_bytes(), "text/html;charset=utf-8")).await;
    let decode = decode(&error);
    assert_eq!(decode.content_type(), Some("text/html;charset=utf-8"));
    assert_eq!(decode.body_excerpt(), page);
    let display = error.to_string();
    assert!(
        display.contains("expected value at line 1 column 1"),
        "{display}"
    );
    assert!(
        display.ends_with("(content-type text/html;charset=utf-8)"),
        "{display}"
    );
}

#[tokio::test]
async fn xml_body() {
    let xml = r#"<?xml version="1.0"?><repository><id>1</id></repository>"#;
    let error = decode_failure(ok_raw(xml.as_bytes(), "application/xml")).await;
    assert_eq!(decode(&error).content_type(), Some("application/xml"));
    assert!(error.body_excerpt().unwrap().starts_with("<?xml"));
}

#[tokio::test]
async fn empty_200_body_is_not_a_success() {
    let error = decode_failure(
        ResponseTemplate::new(200).insert_header("Content-Type", "application/json"),
    )
    .await;
    let decode = decode(&error);
    assert!(decode.is_empty_body());
    assert_eq!(
        error.to_string(),
        "ShowRepository: HTTP 200: response body is empty: expected a JSON document (content-type application/json)"
    );
    let error = decode_failure(ResponseTemplate::new(204)).await;
    assert!(
        error
            .to_string()
            .contains("HTTP 204: response body is empty"),
        "{error}"
    );
    assert!(error.to_string().ends_with("(no content-type)"), "{error}");
}

#[tokio::test]
async fn trailing_data_after_the_document_is_rejected() {
    let body = br#"{"id": 1, "name": "a"} {"id": 2}"#;
    let error = decode_failure(ok_raw(body, "application/json")).await;
    assert!(
        decode(&error).message().contains("trailing characters"),
        "{error}"
    );
}

#[tokio::test]
async fn valid_json_with_another_content_type_is_accepted() {
    // Decision: the Content-Type is not checked; a body in the documented
    // shape is accepted whatever its declared type. A byte-order mark is dropped.
    for content_type in ["text/plain", "application/octet-stream", "text/html"] {
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend(serde_json::to_vec(&repository_json()).unwrap());
        let server = answering(ok_raw(&body, content_type)).await;
        let client = client(&server.uri());
        let response = show_repository(&client, 1).await.unwrap();
        assert_eq!(response.body.id, 2111993598);
    }
}

#[tokio::test]
async fn text_decoding_requires_utf8() {
    let server = answering(ok_raw(b"ok\xff\xfe", "text/plain")).await;
    let client = client(&server.uri());
    let raw = client
        .execute(request("GetText", rt::Method::GET, "/t"))
        .await
        .unwrap();
    let error = rt::support::decode_text("GetText", &raw).unwrap_err();
    assert!(
        error.to_string().contains("not valid UTF-8 (at byte 2)"),
        "{error}"
    );
    assert_eq!(
        rt::support::decode_bytes(&raw).as_ref(),
        &[b'o', b'k', 0xff, 0xfe]
    );
}

#[test]
fn support_checks() {
    use rt::support::*;
    assert!(check_number_range("Op", "ratio", [f64::NAN], None, None).is_err());
    assert!(check_number_range("Op", "ratio", [f64::INFINITY], None, None).is_err());
    assert!(check_number_range("Op", "ratio", [1.0], Some(1.0), Some(1024000.0)).is_ok());
    let error = check_number_range("Op", "ratio", [0.5], Some(1.0), None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Op: invalid input `ratio`: must be at least 1 (got 0.5)"
    );

    assert!(check_string_length("Op", "branch", ["ééé"], Some(1), Some(3)).is_ok());
    let error = check_string_length("Op", "branch", ["secret-value"], None, Some(3)).unwrap_err();
    assert!(!error.to_string().contains("secret"), "{error}");
    assert!(check_string_length("Op", "branch", [""], Some(1), None).is_err());

    assert!(check_item_count("Op", "ids", [0], Some(1), None).is_err());
    assert!(check_item_count("Op", "ids", [3], Some(1), Some(3)).is_ok());
    assert!(check_item_count("Op", "ids", [4], None, Some(3)).is_err());

    assert!(check_path_segment("Op", "name", [""]).is_err());
    assert!(check_path_segment("Op", "name", ["."]).is_err());
    assert!(check_path_segment("Op", "name", [".."]).is_err());
    assert!(check_path_segment("Op", "name", ["..."]).is_ok());

    // Each value of an array is checked, the first bad one named; an unset option is fine.
    let error = check_int_range("Op", "ids", vec![1, 2, 30, 40], None, Some(9)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Op: invalid input `ids`: must be at most 9 (got 30)"
    );
    assert!(check_int_range("Op", "page", None::<i64>, Some(1), None).is_ok());
    assert!(check_int_range("Op", "small", [-5i32], Some(0), None).is_err());
    assert!(check_number_range("Op", "ratio", Some(0.5f32), Some(1.0), None).is_err());
    assert!(check_string_length("Op", "tags", ["ok", "too long"], None, Some(3)).is_err());
    assert!(check_item_count("Op", "ids", None, Some(1), None).is_ok());

    assert_eq!(
        encode_path_segment("a/b c?d#e%f~g.h_i-j+k"),
        "a%2Fb%20c%3Fd%23e%25f~g.h_i-j%2Bk"
    );
    assert_eq!(encode_path_segment("中"), "%E4%B8%AD");

    let mut headers = rt::HeaderMap::new();
    headers.insert("x-total", rt::HeaderValue::from_static(" 12 "));
    assert_eq!(header_typed::<u64>(&headers, "X-Total"), Some(12));
    assert_eq!(header_typed::<bool>(&headers, "X-Total"), None);
    assert_eq!(header_typed::<String>(&headers, "X-Missing"), None);
    assert_eq!(header_typed::<String>(&headers, "bad header name"), None);
}
