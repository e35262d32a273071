//! What generated operations send for every kind of request body, over real HTTP: the
//! `body_*` fixtures (`fixtures/ok/body_*.yaml`) compiled with their runtime, calling
//! wiremock on 127.0.0.1. Forms (percent-escaping, arrays, unset fields), multipart (the
//! boundary, each part's headers and content), bytes (`application/octet-stream`, `*/*`
//! with a chosen type, streams), text with its charset, the media type chosen among
//! several; retries of byte bodies and none of streams; and the invalid bodies refused
//! before anything is sent.

use std::time::Duration;

use codearts_repo_tests::{body_binary, body_choice, body_form, body_multipart, body_text};
use codearts_runtime::{BinaryBody, FilePart, Multipart};
use wiremock::{MockServer, Request, ResponseTemplate};

mod support;
use support::mock_server::{
    fast_retries, header, invalid_parameter, received, server_answering, server_answering_in_turn,
};

/// A server answering every request with 200 and `{}`.
async fn server() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_raw("{}", "application/json")).await
}

macro_rules! client_of {
    ($fixture:ident, $server:expr) => {
        $fixture::generated::client::Client::builder()
            .endpoint($server.uri())
            .no_env_credentials()
            .retry_policy(fast_retries())
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the client builds")
    };
}
/// The one request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "exactly one request was sent");
    requests.remove(0)
}
// ---------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_form_sends_its_fields_percent_escaped_with_arrays_repeated_and_unset_fields_left_out() {
    use body_form::generated::types::{Order, SearchRecordsRequestBody};
    let server = server().await;
    let mut body = SearchRecordsRequestBody::new("a b&c=d/é+%".into());
    body.start = Some(0);
    body.tags = Some(vec!["x y".into(), "z".into()]);
    body.order = Some(Order::Desc);
    client_of!(body_form, server)
        .search_records()
        .body(body)
        .await
        .expect("the call succeeds");
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        std::str::from_utf8(&request.body).expect("ASCII"),
        "criteria=a+b%26c%3Dd%2F%C3%A9%2B%25&start=0&tags=x+y&tags=z&order=desc"
    );
}

#[tokio::test]
async fn a_required_form_of_a_component_schema_is_sent_with_numbers_as_json_writes_them() {
    use body_form::generated::types::TokenRequest;
    let server = server().await;
    let mut body = TokenRequest::new(
        "6f1e2a52-0000-4000-8000-000000000001".into(),
        "urn:ietf:params:oauth:grant-type:device_code".into(),
    );
    body.ratio = Some(0.5);
    client_of!(body_form, server)
        .device_token(body)
        .await
        .expect("the call succeeds");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/device/token");
    assert_eq!(
        std::str::from_utf8(&request.body).expect("ASCII"),
        "client_id=6f1e2a52-0000-4000-8000-000000000001\
         &grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&ratio=0.5"
    );
}

// ---------------------------------------------------------------------------------------------
// multipart/form-data
// ---------------------------------------------------------------------------------------------

/// The boundary of a `multipart/form-data` request, from its `Content-Type`.
fn boundary(request: &Request) -> String {
    let content_type = header(request, "content-type").expect("a Content-Type");
    content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart/form-data: {content_type}"))
        .to_owned()
}

#[tokio::test]
async fn multipart_sends_each_part_with_its_name_file_name_and_content_type() {
    let server = server().await;
    let form = Multipart::new()
        .file(
            "image",
            FilePart::new(vec![0x89, b'P', b'N', b'G', 0, 0xff]).file_name("me \"1\".png"),
        )
        .text("caption", "Zoë & me")
        .text("metadata", r#"{"size":6}"#)
        .file(
            "attachments",
            FilePart::new(&b"first"[..])
                .file_name("a.txt")
                .content_type("text/plain"),
        )
        .file("attachments", FilePart::new(&b"second"[..]));
    client_of!(body_multipart, server)
        .upload_avatar("u1".to_owned(), form)
        .await
        .expect("the call succeeds");
    let request = only_request(&server).await;
    let boundary = boundary(&request);
    assert!(
        boundary.len() >= 16
            && boundary
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "a boundary of token characters: {boundary}"
    );
    // The spec's `encoding` gives `image` image/png and `metadata` application/json; a
    // file without a type of its own or from the spec is application/octet-stream; a text
    // part has none (text/plain by RFC 7578).
    let mut expected: Vec<u8> = Vec::new();
    let mut part = |headers: &str, content: &[u8]| {
        expected.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        expected.extend_from_slice(content);
        expected.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"image\"; filename=\"me \\\"1\\\".png\"\r\nContent-Type: image/png",
        &[0x89, b'P', b'N', b'G', 0, 0xff],
    );
    part(
        "Content-Disposition: form-data; name=\"caption\"",
        "Zoë & me".as_bytes(),
    );
    part(
        "Content-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json",
        br#"{"size":6}"#,
    );
    part(
        "Content-Disposition: form-data; name=\"attachments\"; filename=\"a.txt\"\r\nContent-Type: text/plain",
        b"first",
    );
    part(
        "Content-Disposition: form-data; name=\"attachments\"\r\nContent-Type: application/octet-stream",
        b"second",
    );
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(request.body, expected);
}

#[tokio::test]
async fn a_file_name_with_a_line_break_is_refused_before_anything_is_sent() {
    let server = server().await;
    let form = Multipart::new().file(
        "image",
        FilePart::new(vec![1]).file_name("a.png\r\nContent-Type: text/html"),
    );
    let error = client_of!(body_multipart, server)
        .upload_avatar("u1".to_owned(), form)
        .await
        .expect_err("the file name is refused");
    assert_eq!(
        invalid_parameter(error.error()).as_deref(),
        Some("part image")
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_optional_multipart_body_of_a_component_schema_is_sent_when_set() {
    let server = server().await;
    client_of!(body_multipart, server)
        .put_note()
        .body(Multipart::new().text("text", "hello"))
        .await
        .expect("the call succeeds");
    let request = only_request(&server).await;
    let boundary = boundary(&request);
    assert_eq!(
        request.body,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello\r\n--{boundary}--\r\n"
        )
        .into_bytes()
    );
}

// ---------------------------------------------------------------------------------------------
// Bytes: application/octet-stream, */*, image/png
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn octet_stream_sends_every_byte_as_it_is() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(r#"{"id":"c1"}"#, "application/json"),
    )
    .await;
    let bytes: Vec<u8> = (0..=255).collect();
    let answer = client_of!(body_binary, server)
        .upload_chunk("t1".to_owned(), bytes.clone())
        .await
        .expect("the call succeeds");
    assert_eq!(answer.body.id.as_deref(), Some("c1"));
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(header(&request, "content-length"), Some("256"));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn any_media_type_is_sent_as_octet_stream_unless_the_caller_chooses() {
    let server = server().await;
    let client = client_of!(body_binary, server);
    client
        .upload_asset("a.bin".to_owned())
        .body(&b"raw"[..])
        .await
        .expect("the call succeeds");
    client
        .upload_asset("a.jpg".to_owned())
        .body(BinaryBody::from(vec![0xff, 0xd8]).content_type("image/jpeg"))
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(requests[0].body, b"raw");
    assert_eq!(requests[1].url.query(), Some("name=a.jpg"));
    assert_eq!(header(&requests[1], "content-type"), Some("image/jpeg"));
    assert_eq!(requests[1].body, [0xff, 0xd8]);
}

#[tokio::test]
async fn an_invalid_content_type_is_refused_before_anything_is_sent() {
    let server = server().await;
    for bad in ["image/jpeg\r\nX-Injected: 1", "jpeg", ""] {
        let error = client_of!(body_binary, server)
            .upload_asset("a".to_owned())
            .body(BinaryBody::from(vec![1]).content_type(bad))
            .await
            .expect_err("the content type is refused");
        assert_eq!(
            invalid_parameter(error.error()).as_deref(),
            Some("body content type"),
            "{bad:?}"
        );
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_concrete_binary_media_type_is_the_default_content_type() {
    let server = server().await;
    client_of!(body_binary, server)
        .put_image(vec![0x89, b'P'])
        .await
        .expect("the call succeeds");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "content-type"), Some("image/png"));
    assert_eq!(request.body, [0x89, b'P']);
}

#[tokio::test]
async fn a_stream_is_sent_once_and_a_failed_attempt_is_not_retried() {
    // 503 is retryable and PUT idempotent: a byte body would be sent again.
    let server =
        server_answering_in_turn(vec![ResponseTemplate::new(503), ResponseTemplate::new(204)])
            .await;
    let client = client_of!(body_binary, server);
    let stream = BinaryBody::from(reqwest::Body::wrap(String::from("streamed")));
    assert!(!stream.is_retryable());
    let request = client.put_image(stream);
    let copy = request.clone();
    let error = request.await.expect_err("the one attempt gets 503");
    assert_eq!(error.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "not retried");
    assert_eq!(requests[0].body, b"streamed");
    // A clone of the request shares the stream, which was sent: refused, not sent empty.
    let error = copy.await.expect_err("the stream was taken");
    assert_eq!(invalid_parameter(error.error()).as_deref(), Some("body"));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_byte_body_is_sent_again_when_an_attempt_is_retried() {
    let server =
        server_answering_in_turn(vec![ResponseTemplate::new(503), ResponseTemplate::new(204)])
            .await;
    client_of!(body_binary, server)
        .put_image(reqwest::Body::from(vec![7u8, 8, 9]))
        .await
        .expect("the retry succeeds");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.body, [7, 8, 9]);
        assert_eq!(header(request, "content-type"), Some("image/png"));
    }
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn text_is_sent_as_utf_8_and_says_so() {
    let server = server().await;
    let client = client_of!(body_text, server);
    client.set_name("Zoë ✓").await.expect("the call succeeds");
    client
        .post_report()
        .body(String::from("a,b\n1,2\n"))
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(requests[0].body, "Zoë ✓".as_bytes());
    // The spec's own parameters are kept as written.
    assert_eq!(
        header(&requests[1], "content-type"),
        Some("text/csv; charset=UTF-8")
    );
    assert_eq!(requests[1].body, b"a,b\n1,2\n");
}

// ---------------------------------------------------------------------------------------------
// Several media types
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn of_two_text_types_the_first_is_the_default_and_the_other_can_be_chosen() {
    use body_choice::generated::operation::render_raw::RenderRawBody;
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw("<p>x</p>", "text/html")).await;
    let client = client_of!(body_choice, server);
    client
        .render_raw()
        .body(String::from("# plain"))
        .await
        .expect("the call succeeds");
    client
        .render_raw()
        .body(RenderRawBody::TextXMarkdown("# markdown".into()))
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(requests[0].body, b"# plain");
    assert_eq!(
        header(&requests[1], "content-type"),
        Some("text/x-markdown; charset=utf-8")
    );
    assert_eq!(requests[1].body, b"# markdown");
}

#[tokio::test]
async fn json_is_the_default_and_a_form_or_multipart_can_be_chosen() {
    use body_choice::generated::operation::add_pet::AddPetBody;
    use body_choice::generated::types::Pet;
    let server = server().await;
    let client = client_of!(body_choice, server);
    let pet = || {
        let mut pet = Pet::new("Rex & co".into());
        pet.age = Some(3);
        pet
    };
    client.add_pet(pet()).await.expect("the call succeeds");
    client
        .add_pet(AddPetBody::Form(pet()))
        .await
        .expect("the call succeeds");
    client
        .add_pet(AddPetBody::Multipart(Multipart::new().text("name", "Rex")))
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/json")
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[0].body).expect("JSON"),
        serde_json::json!({"name": "Rex & co", "age": 3})
    );
    assert_eq!(
        header(&requests[1], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[1].body, b"name=Rex+%26+co&age=3");
    let boundary = boundary(&requests[2]);
    assert_eq!(
        requests[2].body,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nRex\r\n--{boundary}--\r\n"
        )
        .into_bytes()
    );
}

#[tokio::test]
async fn bytes_can_be_chosen_over_an_inline_json_schema() {
    use body_choice::generated::operation::put_file::PutFileBody;
    let server = server().await;
    client_of!(body_choice, server)
        .put_file(PutFileBody::Binary(BinaryBody::from(vec![1, 2, 3])))
        .await
        .expect("the call succeeds");
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.body, [1, 2, 3]);
}
