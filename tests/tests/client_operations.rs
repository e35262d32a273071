//! The generated operations (`Client::show_repository`, `Client::show_repository_statistics_status`)
//! against real HTTP servers on 127.0.0.1: wiremock, and tiny raw TCP servers for answers
//! wiremock cannot make (a body cut short, header bytes that are not UTF-8).
//!
//! Every test checks both sides: what the call returns, and what the server received (method,
//! path, `X-Auth-Token`, `Accept`), or that it received nothing. Bodies are the example
//! responses of `spec/codearts-repo.yaml`, read at run time, so the tests follow the spec.
//!
//! Design decision on integers: response fields declared `format: int32` are WIDENED to `i64`
//! in the models. The documented ids are already within 2% of `i32::MAX` (the example
//! repository id is 2111993598), so the server will hand out ids above it; such an id must
//! decode exactly instead of failing the whole answer. A number outside `i64` is still a
//! decode error naming its JSON path, never a wrapped value. Request parameters, in contrast,
//! are checked against the documented range 1..=2147483647 before anything is sent.
//!
//! Every error these tests produce goes through [`check_error`], which fails the test if the
//! token appears in its `Display`, `Debug` or source chain.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use codearts_repo::TransportErrorKind;
use codearts_repo::operation::show_repository::ShowRepositoryOutput;
use codearts_repo::operation::show_repository_statistics_status::{
    ShowRepositoryStatisticsStatusError, ShowRepositoryStatisticsStatusOutput,
};
use codearts_repo::types::{
    RepositoryIdentityDto, RepositorySimpleDtoDevelopMode, RepositoryUserBasicDtoState,
    ShowRepositoryResponseBody, ShowRepositoryResponseBodyDevelopMode,
    ShowRepositoryStatisticsStatusResponseBody, ShowRepositoryStatisticsStatusResponseBodyReason,
};
use codearts_repo::{Client, ClientBuilder, DocumentedError as _, Error};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod support;
use support::mock_server::{
    fast_retries, json_answer, received, server_answering, server_answering_in_turn,
};
use support::{example, operation, spec, without_nulls};

/// The token of every test client: distinctive, so that a leak cannot go unnoticed.
const TOKEN: &str = "SECRET-TOKEN-e3b0c442";

/// The documented upper bound of `repository_id` (both pages: "Value range: 1~2147483647").
const MAX_REPOSITORY_ID: i64 = 2_147_483_647;

// ---------------------------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------------------------

/// A schema with `$ref`s and one-element `allOf`s followed.
fn resolve(schema: &Value) -> &Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        return resolve(&spec()["components"]["schemas"][name]);
    }
    match schema["allOf"].as_array().map(Vec::as_slice) {
        Some([only]) => resolve(only),
        _ => schema,
    }
}

fn schema(name: &str) -> &'static Value {
    let schema = &spec()["components"]["schemas"][name];
    assert!(schema.is_object(), "schema {name} exists");
    schema
}

/// An object with every property of `schema` null; with `nested`, object properties are
/// objects with every property null in turn, and arrays of objects hold one such object.
fn all_null(schema: &Value, nested: bool) -> Value {
    let properties = resolve(schema)["properties"]
        .as_object()
        .expect("an object schema with properties");
    let mut object = serde_json::Map::new();
    for (name, property) in properties {
        let property = resolve(property);
        let value = if !nested {
            Value::Null
        } else if property["properties"].is_object() {
            all_null(property, true)
        } else if property["type"] == "array"
            && resolve(&property["items"])["properties"].is_object()
        {
            json!([all_null(&property["items"], true)])
        } else {
            Value::Null
        };
        object.insert(name.clone(), value);
    }
    Value::Object(object)
}

/// An object with a value for every property of `schema`, at every depth: the first enum
/// value, else one of the declared type (arrays hold two items).
fn all_set(schema: &Value) -> Value {
    let schema = resolve(schema);
    if let Some(first) = schema["enum"].as_array().and_then(|values| values.first()) {
        return first.clone();
    }
    match schema["type"].as_str() {
        Some("integer") => json!(2_111_993_598i64),
        Some("number") => json!(1024.5),
        Some("boolean") => json!(true),
        Some("string") => json!("text"),
        Some("array") => json!([all_set(&schema["items"]), all_set(&schema["items"])]),
        _ => {
            let properties = schema["properties"]
                .as_object()
                .expect("an object schema with properties");
            Value::Object(
                properties
                    .iter()
                    .map(|(name, property)| (name.clone(), all_set(property)))
                    .collect(),
            )
        }
    }
}

/// `value` with the member at the JSON pointer `pointer` set to `new` (created if missing).
fn with(mut value: Value, pointer: &str, new: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    let parent = value
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("{pointer}: parent exists"));
    match parent {
        Value::Object(map) => {
            map.insert(key.to_owned(), new);
        }
        Value::Array(items) => {
            let index: usize = key.parse().expect("an array index");
            items[index] = new;
        }
        _ => panic!("{pointer}: parent is a container"),
    }
    value
}

/// `value` with each of `changes` made by [`with`], in order.
fn with_all<'a>(value: Value, changes: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    changes
        .into_iter()
        .fold(value, |value, (pointer, new)| with(value, pointer, new))
}

// ---------------------------------------------------------------------------------------------
// The two operations, called the same way
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Show,
    Stats,
}

/// What a successful call returned, the body re-encoded.
struct Called {
    status: u16,
    request_id: Option<String>,
    body: Value,
}

impl Op {
    const ALL: [Op; 2] = [Op::Show, Op::Stats];

    fn name(self) -> &'static str {
        match self {
            Op::Show => "ShowRepository",
            Op::Stats => "ShowRepositoryStatisticsStatus",
        }
    }

    /// The repository id of the operation's documentation: the example body's `id` for
    /// ShowRepository, the example request's parameter for the statistics task.
    fn documented_id(self) -> i64 {
        match self {
            Op::Show => example(self.name(), "200")["id"]
                .as_i64()
                .expect("the example has an id"),
            Op::Stats => {
                let (_, op) = operation(self.name());
                op["parameters"][0]["example"]
                    .as_i64()
                    .expect("the repository_id parameter has an example")
            }
        }
    }

    /// The request path for `id`, from the spec's path template.
    fn path(self, id: i64) -> String {
        let (template, _) = operation(self.name());
        assert!(template.contains("{repository_id}"));
        template.replace("{repository_id}", &id.to_string())
    }

    fn example(self) -> Value {
        example(self.name(), "200")
    }

    async fn call(self, client: &Client, id: i64) -> Result<Called, Error> {
        Ok(match self {
            Op::Show => {
                let response = client.show_repository(id).await?;
                Called {
                    status: response.status.as_u16(),
                    request_id: response.request_id.clone(),
                    body: to_json(&response.body),
                }
            }
            Op::Stats => {
                let response = client.show_repository_statistics_status(id).await?;
                Called {
                    status: response.status.as_u16(),
                    request_id: response.request_id.clone(),
                    body: to_json(&response.body),
                }
            }
        })
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("the models serialise")
}

// ---------------------------------------------------------------------------------------------
// Clients, servers, and the checks on what they saw
// ---------------------------------------------------------------------------------------------

fn builder(endpoint: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(endpoint)
        .auth_token(TOKEN)
        .no_env_credentials()
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(10))
}

fn client(server: &MockServer) -> Client {
    let client = builder(&server.uri())
        .build()
        .expect("the test client builds");
    check_no_secret("client Debug", &format!("{client:?}"));
    client
}

/// The request is the documented one: `GET path`, no query, no body, the token in
/// `X-Auth-Token` (once), JSON accepted.
fn assert_sent(request: &Request, path: &str) {
    assert_eq!(request.method.as_str(), "GET", "method");
    assert_eq!(request.url.path(), path, "path");
    assert_eq!(request.url.query(), None, "query");
    assert!(request.body.is_empty(), "no body");
    let tokens: Vec<_> = request.headers.get_all("x-auth-token").iter().collect();
    assert_eq!(tokens.len(), 1, "one X-Auth-Token header");
    assert_eq!(tokens[0].as_bytes(), TOKEN.as_bytes(), "X-Auth-Token");
    let accept = request.headers.get("accept").map(|v| v.as_bytes());
    assert_eq!(accept, Some(&b"application/json"[..]), "Accept");
    assert!(
        request.headers.get("authorization").is_none(),
        "a token client does not sign"
    );
}

/// The server received exactly `count` requests, each the documented one for `path`.
async fn assert_received(server: &MockServer, count: usize, path: &str) {
    let requests = received(server).await;
    assert_eq!(requests.len(), count, "requests at the server");
    for request in &requests {
        assert_sent(request, path);
    }
}

/// Calls `op` for `id` against a server answering every request with `answer`; the server
/// received the documented request once (so an error was not retried).
async fn call_answered(op: Op, answer: ResponseTemplate, id: i64) -> Result<Called, Error> {
    let server = server_answering(answer).await;
    let result = op.call(&client(&server), id).await;
    assert_received(&server, 1, &op.path(id)).await;
    result
}

/// `ShowRepository` for `id` against a server answering every request with `answer`: the
/// typed response; the server received the documented request once.
async fn show_repository_answered(answer: ResponseTemplate, id: i64) -> ShowRepositoryOutput {
    let server = server_answering(answer).await;
    let response = client(&server)
        .show_repository(id)
        .await
        .unwrap_or_else(|e| panic!("ShowRepository: {e}"));
    assert_received(&server, 1, &Op::Show.path(id)).await;
    response
}

/// The same as [`show_repository_answered`], for `ShowRepositoryStatisticsStatus`.
async fn statistics_status_answered(
    answer: ResponseTemplate,
    id: i64,
) -> ShowRepositoryStatisticsStatusOutput {
    let server = server_answering(answer).await;
    let response = client(&server)
        .show_repository_statistics_status(id)
        .await
        .unwrap_or_else(|e| panic!("ShowRepositoryStatisticsStatus: {e}"));
    assert_received(&server, 1, &Op::Stats.path(id)).await;
    response
}

fn check_no_secret(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "{what} contains the token: {text}");
    assert!(
        !text.contains("e3b0c442"),
        "{what} contains part of the token: {text}"
    );
}

/// Fails if the token appears anywhere in `error`'s Display, Debug (plain and pretty), body
/// excerpt, or the Display and Debug of its sources.
fn check_error(error: &Error) {
    check_no_secret("error Display", &error.to_string());
    check_no_secret("error Debug", &format!("{error:?}"));
    check_no_secret("error pretty Debug", &format!("{error:#?}"));
    if let Some(excerpt) = error.body_excerpt() {
        check_no_secret("error body excerpt", excerpt);
    }
    let mut source = std::error::Error::source(error);
    for _ in 0..32 {
        let Some(cause) = source else { break };
        check_no_secret("error source Display", &cause.to_string());
        check_no_secret("error source Debug", &format!("{cause:?}"));
        source = cause.source();
    }
}

/// The call failed; the error leaks nothing.
fn expect_err(result: Result<Called, Error>, what: &str) -> Error {
    match result {
        Ok(called) => panic!("{what}: expected an error, got {}", called.body),
        Err(error) => {
            check_error(&error);
            error
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The documented examples
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn show_repository_decodes_the_documented_example() {
    let doc = example("ShowRepository", "200");
    let id = Op::Show.documented_id();
    assert_eq!(Op::Show.path(id), format!("/v4/repositories/{id}"));

    let response = show_repository_answered(
        json_answer(200, &doc).insert_header("X-Request-Id", "req-show-200-0001"),
        id,
    )
    .await;

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id.as_deref(), Some("req-show-200-0001"));
    let body = &response.body;
    assert_eq!(body.id, doc["id"].as_i64());
    assert_eq!(body.id, Some(2111993598));
    assert_eq!(body.name.as_deref(), doc["name"].as_str());
    assert_eq!(body.description, None, "null in the example");
    assert_eq!(body.import_error, None, "null in the example");
    assert_eq!(body.repository_type, None, "null in the example");
    assert_eq!(
        body.develop_mode,
        Some(ShowRepositoryResponseBodyDevelopMode::Normal)
    );
    assert_eq!(body.archived, Some(false));
    assert_eq!(body.moderation_result, Some(true));
    assert_eq!(body.star_count, Some(0), "0 although the doc says 1~");
    assert_eq!(body.branch_count, doc["branch_count"].as_i64());
    assert_eq!(body.member_count, doc["member_count"].as_i64());
    assert_eq!(body.creator_id, doc["creator_id"].as_i64());

    let namespace = body.namespace.as_ref().expect("namespace");
    assert_eq!(namespace.id, doc["namespace"]["id"].as_i64());
    assert_eq!(namespace.id, Some(2111853526));
    assert_eq!(namespace.parent_id, doc["namespace"]["parent_id"].as_i64());
    assert_eq!(namespace.kind.as_deref(), Some("group"));
    assert_eq!(namespace.visibility_level, Some(0));
    assert_eq!(namespace.full_name, None);
    assert_eq!(namespace.enable_file_control, None);
    assert_eq!(namespace.owner_id, None);

    let creator = body.creator.as_ref().expect("creator");
    assert_eq!(creator.id, doc["creator"]["id"].as_i64());
    assert_eq!(creator.state, Some(RepositoryUserBasicDtoState::Active));
    assert_eq!(creator.service_license_status, None);
    assert_eq!(
        creator.nick_name.as_deref(),
        doc["creator"]["nick_name"].as_str()
    );
    assert_eq!(body.owner, Some(Default::default()), "owner is {{ }}");
    assert_eq!(
        body.statistics,
        Some(Default::default()),
        "statistics is {{ }}"
    );
    assert_eq!(body.fork_network_repositories, Some(vec![]));
    assert_eq!(body.forked_from_repository, None, "absent");

    let ancestor_ids: Vec<i64> = doc["ancestor_ids"]
        .as_array()
        .expect("ancestor_ids")
        .iter()
        .map(|v| v.as_i64().expect("integer"))
        .collect();
    assert_eq!(ancestor_ids.len(), 5);
    assert_eq!(body.ancestor_ids.as_ref(), Some(&ancestor_ids));
    assert_eq!(
        body.ancestor_names.as_deref(),
        Some(&["g111", "g22", "g3", "g4", "g5"].map(String::from)[..])
    );

    let permissions = body.permissions.as_ref().expect("permissions");
    for (name, access) in [
        ("repository_access", &permissions.repository_access),
        ("group_access", &permissions.group_access),
    ] {
        let access = access.as_ref().expect(name);
        assert_eq!(
            access.access_level,
            doc["permissions"][name]["access_level"].as_i64()
        );
        assert_eq!(access.access_level, Some(50));
        assert_eq!(access.notification_level, Some(3));
    }

    // Nothing is lost or invented: re-encoded, the body is the example (nulls aside).
    assert_eq!(to_json(body), without_nulls(&doc));
}

#[tokio::test]
async fn statistics_status_decodes_the_documented_example_and_x_total() {
    let doc = example("ShowRepositoryStatisticsStatus", "200");
    let id = Op::Stats.documented_id();
    assert_eq!(id, 2111915566, "the page's example request");
    assert_eq!(
        Op::Stats.path(id),
        format!("/v4/repositories/{id}/repository/statistics-status")
    );

    let response = statistics_status_answered(
        json_answer(200, &doc)
            .insert_header("X-Total", "5")
            .insert_header("X-Request-Id", "req-stats-200-0001"),
        id,
    )
    .await;

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id.as_deref(), Some("req-stats-200-0001"));
    assert_eq!(response.headers.x_total.as_deref(), Some("5"));
    assert_eq!(
        response.raw_headers.get("x-total").map(|v| v.as_bytes()),
        Some(&b"5"[..])
    );
    let body = &response.body;
    assert_eq!(body.can_statistics, Some(false));
    assert_eq!(
        body.reason,
        Some(ShowRepositoryStatisticsStatusResponseBodyReason::NoneUsedUp)
    );
    assert_eq!(body.reason.map(|r| r.as_i64()), doc["reason"].as_i64());
    let event = body.event.as_ref().expect("event");
    assert_eq!(event.branch.as_deref(), Some("branch_bb453f4359fc"));
    assert_eq!(event.branch.as_deref(), doc["event"]["branch"].as_str());
    assert_eq!(event.status.as_deref(), doc["event"]["status"].as_str());
    assert_eq!(event.stat_date.as_deref(), Some("20250604"));
    assert_eq!(
        event.created_at.as_deref(),
        doc["event"]["created_at"].as_str()
    );
    assert_eq!(
        (event.id, event.user_id, event.project_id),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(to_json(body), without_nulls(&doc));
}

#[tokio::test]
async fn a_missing_x_total_is_none_and_the_call_succeeds() {
    let doc = example("ShowRepositoryStatisticsStatus", "200");
    let response = statistics_status_answered(json_answer(200, &doc), 7).await;
    assert_eq!(response.headers.x_total, None);
    assert_eq!(response.request_id, None, "no X-Request-Id was sent");
}

#[tokio::test]
async fn json_declared_as_text_plain_is_accepted() {
    // Some gateways label JSON `text/plain`; the body, not the label, decides.
    for op in Op::ALL {
        let doc = op.example();
        let answer = ResponseTemplate::new(200)
            .set_body_raw(serde_json::to_vec(&doc).expect("JSON"), "text/plain");
        let called = call_answered(op, answer, 42).await.expect("decodes");
        assert_eq!(called.body, without_nulls(&doc), "{op:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Documented and undocumented error statuses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn statistics_status_documented_errors_are_typed() {
    for status in [401u16, 403, 404] {
        let doc = example("ShowRepositoryStatisticsStatus", &status.to_string());
        let request_id = format!("req-stats-{status}");
        let answer = json_answer(status, &doc).insert_header("X-Request-Id", request_id.as_str());
        let id = Op::Stats.documented_id();

        // Received once: 4xx is not retried.
        let error = expect_err(
            call_answered(Op::Stats, answer, id).await,
            "documented error",
        );

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.request_id(), Some(request_id.as_str()));
        assert!(!error.is_retryable());
        let Error::Api(api) = &error else {
            panic!("{status}: expected Error::Api, got {error:?}")
        };
        assert_eq!(api.operation(), "ShowRepositoryStatisticsStatus");
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.error_code(), doc["error_code"].as_str());
        assert_eq!(api.error_msg(), doc["error_msg"].as_str());
        assert_eq!(api.attempts(), 1);
        let code = doc["error_code"].as_str().expect("error_code");
        let message = doc["error_msg"].as_str().expect("error_msg");
        assert!(code.starts_with("CH."), "{code}");
        assert_eq!(
            error.to_string(),
            format!(
                "ShowRepositoryStatisticsStatus: HTTP {}: {code}: {message} (request id {request_id})",
                api.status()
            )
        );

        let typed = ShowRepositoryStatisticsStatusError::from_api_error(api)
            .unwrap_or_else(|| panic!("{status} is documented"));
        let body = match (status, &typed) {
            (401, ShowRepositoryStatisticsStatusError::Unauthorized(body))
            | (403, ShowRepositoryStatisticsStatusError::Forbidden(body))
            | (404, ShowRepositoryStatisticsStatusError::NotFound(body)) => body,
            _ => panic!("{status}: wrong variant {typed:?}"),
        };
        assert_eq!(body.error_code.as_deref(), Some(code));
        assert_eq!(body.error_msg.as_deref(), Some(message));
    }
}

#[tokio::test]
async fn statistics_status_undocumented_errors_are_not_typed() {
    let cases = [
        // An undocumented status with the documented body.
        (
            500u16,
            json_answer(500, &example("ShowRepositoryStatisticsStatus", "404")),
        ),
        // A documented status with a body that is not the documented shape.
        (
            404,
            ResponseTemplate::new(404).set_body_raw("<html>Not Found</html>", "text/html"),
        ),
    ];
    for (status, answer) in cases {
        let error = expect_err(call_answered(Op::Stats, answer, 9).await, "error status");
        let api = error.api().expect("an API error");
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(
            ShowRepositoryStatisticsStatusError::from_api_error(api),
            None,
            "{status}"
        );
    }
}

#[tokio::test]
async fn show_repository_404_is_an_api_error_with_code_and_message() {
    // ShowRepository documents no error status, but the service answers an unknown
    // repository with the same 404 body as the statistics page documents.
    let doc = example("ShowRepositoryStatisticsStatus", "404");
    let answer = json_answer(404, &doc).insert_header("X-Request-Id", "req-show-404");
    let id = Op::Show.documented_id();

    let error = expect_err(call_answered(Op::Show, answer, id).await, "404");

    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}")
    };
    assert_eq!(api.operation(), "ShowRepository");
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.error_code(), Some("CH.00402000"));
    assert_eq!(api.error_code(), doc["error_code"].as_str());
    assert_eq!(api.error_msg(), doc["error_msg"].as_str());
    assert_eq!(api.request_id(), Some("req-show-404"));
    assert_eq!(error.operation(), "ShowRepository");
    let display = error.to_string();
    assert!(
        display.starts_with("ShowRepository: HTTP 404 Not Found: CH.00402000: "),
        "{display}"
    );
    assert!(display.ends_with("(request id req-show-404)"), "{display}");

    // Another operation's documented errors are not this operation's: the same 404
    // body is not typed as the statistics page's `NotFound`.
    assert_eq!(
        ShowRepositoryStatisticsStatusError::from_api_error(api),
        None
    );
}

#[tokio::test]
async fn the_documented_error_is_typed_from_the_result_of_the_call() {
    let doc = example("ShowRepositoryStatisticsStatus", "404");
    let server = server_answering(json_answer(404, &doc)).await;
    let client = client(&server);

    let error = client
        .show_repository_statistics_status(5)
        .await
        .expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.operation(), "ShowRepositoryStatisticsStatus");
    match error.documented() {
        Some(ShowRepositoryStatisticsStatusError::NotFound(body)) => {
            assert_eq!(body.error_code.as_deref(), doc["error_code"].as_str());
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    // `?` turns it into the crate's `Error`, with the same answer.
    let untyped: Error = error.into();
    assert_eq!(untyped.api().map(|api| api.status().as_u16()), Some(404));

    // ShowRepository documents no error: its enum has no variant, so nothing is typed.
    let error = client.show_repository(5).await.expect_err("404");
    assert!(error.api().is_some(), "{error:?}");
    assert!(error.documented().is_none());
    assert_eq!(received(&server).await.len(), 2, "one request each");
}

#[tokio::test]
async fn a_token_echoed_by_the_server_is_not_repeated_by_the_error() {
    let cases = [
        ResponseTemplate::new(401)
            .set_body_raw(
                format!(
                    r#"{{"error_code":"CH.00000001","error_msg":"token {TOKEN} is not valid"}}"#
                ),
                "application/json",
            )
            .insert_header("X-Echo", TOKEN)
            .insert_header("X-Request-Id", format!("req-{TOKEN}").as_str()),
        ResponseTemplate::new(200)
            .set_body_raw(format!("<html><p>token {TOKEN}</p></html>"), "text/html")
            .insert_header("X-Request-Id", format!("req-{TOKEN}").as_str()),
    ];
    for answer in cases {
        for op in Op::ALL {
            // `expect_err` runs `check_error` on Display, Debug and the excerpt.
            let error = expect_err(call_answered(op, answer.clone(), 3).await, "echo");
            assert!(error.status().is_some(), "{error}");
            if let Some(id) = error.request_id() {
                check_no_secret("request id", id);
            }
            // The echoed text did reach the error, minus the token.
            if let Some(api) = error.api() {
                let message = api.error_msg().expect("error_msg");
                check_no_secret("error_msg", message);
                assert!(message.starts_with("token ") && message.ends_with(" is not valid"));
                assert_eq!(api.error_code(), Some("CH.00000001"));
            } else {
                let excerpt = error.body_excerpt().expect("an excerpt");
                assert!(excerpt.starts_with("<html><p>token "), "{excerpt}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What the server may send that the pages do not say
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn undocumented_fields_are_ignored_at_every_level() {
    let extra = json!({"nested": [1, {"deep": null}], "flag": true});
    let show = with_all(
        Op::Show.example(),
        [
            "/x_undocumented",
            "/namespace/x_undocumented",
            "/creator/x_undocumented",
            "/owner/x_undocumented",
            "/statistics/x_undocumented",
            "/permissions/x_undocumented",
            "/permissions/repository_access/x_undocumented",
        ]
        .map(|pointer| (pointer, extra.clone())),
    );
    let show = with(
        show,
        "/fork_network_repositories",
        json!([
            {"id": 17, "path_with_namespace": "a/b", "x_undocumented": extra},
            {"id": 18, "x_undocumented": "text"},
        ]),
    );
    let show = with(
        show,
        "/forked_from_repository",
        json!({"id": 19, "develop_mode": "CR", "x_undocumented": [extra]}),
    );
    let stats = with_all(
        Op::Stats.example(),
        ["/x_undocumented", "/event/x_undocumented"].map(|pointer| (pointer, extra.clone())),
    );

    for (op, doc) in [(Op::Show, show), (Op::Stats, stats)] {
        let called = call_answered(op, json_answer(200, &doc), 11)
            .await
            .unwrap_or_else(|e| panic!("{op:?}: {e}"));
        assert_eq!(called.status, 200);
        // The documented part of the answer, and nothing else, comes back.
        let mut documented = without_nulls(&doc);
        strip_key(&mut documented, "x_undocumented");
        assert_eq!(called.body, documented, "{op:?}");
    }
}

fn strip_key(value: &mut Value, key: &str) {
    match value {
        Value::Object(map) => {
            map.remove(key);
            map.values_mut().for_each(|v| strip_key(v, key));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip_key(v, key)),
        _ => {}
    }
}

#[tokio::test]
async fn every_field_null_decodes_to_none() {
    let show_schema = schema("ShowRepositoryResponseBody");
    let flat = all_null(show_schema, false);
    let names = flat.as_object().expect("object");
    assert!(
        names.len() >= 50,
        "the spec lists every field: {}",
        names.len()
    );
    assert!(names.contains_key("id") && names.contains_key("namespace"));

    // Every field of the top level null.
    let response = show_repository_answered(json_answer(200, &flat), 5).await;
    assert_eq!(response.body, ShowRepositoryResponseBody::default());
    assert_eq!(to_json(&response.body), json!({}));

    // Objects present with every field null, at every depth; arrays of objects likewise.
    let nested = all_null(show_schema, true);
    let response = show_repository_answered(json_answer(200, &nested), 5).await;
    let body = &response.body;
    assert_eq!(to_json(body), without_nulls(&nested));
    assert_eq!(body.id, None);
    assert_eq!(body.develop_mode, None);
    assert_eq!(body.ancestor_ids, None);
    let namespace = body.namespace.as_ref().expect("namespace present");
    assert_eq!((namespace.id, namespace.owner_id), (None, None));
    let creator = body.creator.as_ref().expect("creator present");
    assert_eq!((creator.id, creator.state.as_ref()), (None, None));
    let permissions = body.permissions.as_ref().expect("permissions present");
    assert_eq!(permissions.group_access, Some(Default::default()));
    assert_eq!(
        body.fork_network_repositories,
        Some(vec![RepositoryIdentityDto::default()])
    );
    assert_eq!(body.forked_from_repository, Some(Default::default()));

    // The statistics task, the same way.
    let stats_schema = schema("ShowRepositoryStatisticsStatusResponseBody");
    for nested in [false, true] {
        let doc = all_null(stats_schema, nested);
        let response = statistics_status_answered(json_answer(200, &doc), 5).await;
        assert_eq!(to_json(&response.body), without_nulls(&doc));
        assert_eq!(response.body.reason, None);
        assert_eq!(response.body.can_statistics, None);
        if nested {
            assert_eq!(response.body.event, Some(Default::default()));
        } else {
            assert_eq!(
                response.body,
                ShowRepositoryStatisticsStatusResponseBody::default()
            );
        }
    }
}

#[tokio::test]
async fn every_documented_field_is_decoded_and_reencoded() {
    // Every property of the spec, at every depth, with a value: nothing is dropped, so the
    // models have every documented field, with its documented type.
    for (op, name) in [
        (Op::Show, "ShowRepositoryResponseBody"),
        (Op::Stats, "ShowRepositoryStatisticsStatusResponseBody"),
    ] {
        let doc = all_set(schema(name));
        let called = call_answered(op, json_answer(200, &doc), 1)
            .await
            .unwrap_or_else(|e| panic!("{op:?}: {e}"));
        assert_eq!(called.body, doc, "{op:?}");
    }
}

#[tokio::test]
async fn zero_and_negative_values_are_decoded_as_given() {
    // The tables say "Value range: 1~2147483647"; the examples already send 0. The range is
    // documentation, not a reason to reject an answer.
    let show = with_all(
        Op::Show.example(),
        [
            ("/id", json!(0)),
            ("/star_count", json!(-1)),
            ("/creator_id", json!(-2147483648i64)),
            ("/namespace/id", json!(-7)),
            ("/namespace/visibility_level", json!(0)),
            ("/ancestor_ids", json!([0, -1, 1])),
            ("/creator/service_license_status", json!(0)),
            ("/permissions/group_access/access_level", json!(-50)),
            (
                "/statistics",
                json!({"commit_count": 0, "storage_size": -1.5, "tenant_repo_size_limit": -1}),
            ),
            ("/fork_network_repositories", json!([{"id": 0}, {"id": -3}])),
        ],
    );
    let stats = with_all(
        Op::Stats.example(),
        [
            ("/event/id", json!(-1)),
            ("/event/user_id", json!(0)),
            ("/event/project_id", json!(-2147483649i64)),
        ],
    );

    for (op, doc) in [(Op::Show, show), (Op::Stats, stats)] {
        let called = call_answered(op, json_answer(200, &doc), 1)
            .await
            .expect("decodes");
        assert_eq!(called.body, without_nulls(&doc), "{op:?}");
    }

    // And typed, for a few of them.
    let doc = with(Op::Show.example(), "/namespace/id", json!(-7));
    let body = show_repository_answered(json_answer(200, &doc), 1)
        .await
        .body;
    assert_eq!(body.namespace.and_then(|n| n.id), Some(-7));
    assert_eq!(body.star_count, Some(0));
}

#[tokio::test]
async fn unknown_enum_values_are_preserved_and_reencoded_raw() {
    let doc = with_all(
        Op::Show.example(),
        [
            ("/develop_mode", json!("trunk")),
            ("/creator/state", json!("frozen")),
            ("/owner/state", json!("Active")),
            (
                "/forked_from_repository",
                json!({"id": 1, "develop_mode": "trunk-based"}),
            ),
        ],
    );
    let body = show_repository_answered(json_answer(200, &doc), 1)
        .await
        .body;

    assert_eq!(
        body.develop_mode,
        Some(ShowRepositoryResponseBodyDevelopMode::Unknown(
            "trunk".into()
        ))
    );
    assert!(body.develop_mode.as_ref().is_some_and(|m| m.is_unknown()));
    let creator_state = body.creator.as_ref().and_then(|c| c.state.clone());
    assert_eq!(
        creator_state,
        Some(RepositoryUserBasicDtoState::Unknown("frozen".into()))
    );
    // Case matters: "Active" is not the documented "active".
    let owner_state = body.owner.as_ref().and_then(|c| c.state.clone());
    assert_eq!(
        owner_state,
        Some(RepositoryUserBasicDtoState::Unknown("Active".into()))
    );
    let forked_mode = body
        .forked_from_repository
        .as_ref()
        .and_then(|f| f.develop_mode.clone());
    assert_eq!(
        forked_mode,
        Some(RepositorySimpleDtoDevelopMode::Unknown(
            "trunk-based".into()
        ))
    );
    let reencoded = to_json(&body);
    assert_eq!(reencoded["develop_mode"], "trunk");
    assert_eq!(reencoded["creator"]["state"], "frozen");
    assert_eq!(reencoded["owner"]["state"], "Active");
    assert_eq!(
        reencoded["forked_from_repository"]["develop_mode"],
        "trunk-based"
    );
    assert_eq!(reencoded, without_nulls(&doc));

    for reason in [7i64, -1, 4, i64::MAX] {
        let doc = with(Op::Stats.example(), "/reason", json!(reason));
        let body = statistics_status_answered(json_answer(200, &doc), 1)
            .await
            .body;
        assert_eq!(
            body.reason,
            Some(ShowRepositoryStatisticsStatusResponseBodyReason::Unknown(
                reason
            ))
        );
        assert_eq!(to_json(&body)["reason"], json!(reason));
        assert_eq!(to_json(&body), without_nulls(&doc));
    }
    // The documented codes stay known.
    for (code, known) in [
        (
            1,
            ShowRepositoryStatisticsStatusResponseBodyReason::RepositoryTriggersUsedUp,
        ),
        (
            3,
            ShowRepositoryStatisticsStatusResponseBodyReason::AllUsedUp,
        ),
    ] {
        let doc = with(Op::Stats.example(), "/reason", json!(code));
        let body = statistics_status_answered(json_answer(200, &doc), 1)
            .await
            .body;
        assert_eq!(body.reason, Some(known));
    }
}

#[tokio::test]
async fn ids_above_i32_decode_exactly() {
    // int32 response fields are widened to i64 (see the comment at the top of this file).
    let above = 3_000_000_000i64;
    let show = with_all(
        Op::Show.example(),
        [
            ("/id", json!(above)),
            ("/creator_id", json!(4_294_967_296i64)),
            ("/namespace/id", json!(i64::MAX)),
            ("/namespace/parent_id", json!(2_147_483_648i64)),
            ("/creator/id", json!(above)),
            ("/ancestor_ids", json!([2_147_483_648i64, i64::MAX, above])),
            ("/fork_network_repositories", json!([{"id": i64::MAX}])),
            ("/permissions/repository_access/access_level", json!(above)),
            ("/statistics/commit_count", json!(above)),
            ("/statistics/tenant_repo_size_limit", json!(i64::MAX)),
        ],
    );
    let body = show_repository_answered(json_answer(200, &show), 1)
        .await
        .body;
    assert_eq!(body.id, Some(above));
    assert_eq!(body.creator_id, Some(4_294_967_296));
    assert_eq!(body.namespace.as_ref().and_then(|n| n.id), Some(i64::MAX));
    assert_eq!(
        body.namespace.as_ref().and_then(|n| n.parent_id),
        Some(2_147_483_648)
    );
    assert_eq!(body.creator.as_ref().and_then(|c| c.id), Some(above));
    assert_eq!(
        body.ancestor_ids,
        Some(vec![2_147_483_648, i64::MAX, above])
    );
    assert_eq!(
        body.fork_network_repositories.as_ref().map(|f| f[0].id),
        Some(Some(i64::MAX))
    );
    assert_eq!(to_json(&body), without_nulls(&show));

    let stats = with_all(
        Op::Stats.example(),
        [
            ("/event/id", json!(above)),
            ("/event/user_id", json!(i64::MAX)),
            ("/event/project_id", json!(2_147_483_648i64)),
        ],
    );
    let body = statistics_status_answered(json_answer(200, &stats), 1)
        .await
        .body;
    let event = body.event.as_ref().expect("event");
    assert_eq!(
        (event.id, event.user_id, event.project_id),
        (Some(above), Some(i64::MAX), Some(2_147_483_648))
    );
}

#[tokio::test]
async fn numbers_beyond_i64_are_a_decode_error_naming_the_path() {
    // (operation, JSON pointer, number as sent, the path the error must name)
    let cases = [
        (Op::Show, "/id", "18446744073709551616", ".id"),
        (Op::Show, "/id", "9223372036854775808", ".id"),
        (Op::Show, "/id", "-9223372036854775809", ".id"),
        (
            Op::Show,
            "/creator_id",
            "18446744073709551615",
            ".creator_id",
        ),
        (Op::Show, "/namespace/id", "1e20", ".namespace.id"),
        (
            Op::Show,
            "/ancestor_ids/1",
            "9223372036854775808",
            ".ancestor_ids[1]",
        ),
        (
            Op::Show,
            "/statistics/tenant_repo_size_limit",
            "1e20",
            ".statistics.tenant_repo_size_limit",
        ),
        (Op::Stats, "/event/id", "1e20", ".event.id"),
        (
            Op::Stats,
            "/event/user_id",
            "18446744073709551616",
            ".event.user_id",
        ),
        (Op::Stats, "/reason", "18446744073709551616", ".reason"),
    ];
    for (op, pointer, number, path) in cases {
        let placeholder = "@@NUMBER@@";
        let doc = with(op.example(), pointer, json!(placeholder));
        let text = serde_json::to_string_pretty(&doc)
            .expect("JSON")
            .replace(&format!("\"{placeholder}\""), number);
        assert!(text.contains(number));
        let answer = ResponseTemplate::new(200)
            .set_body_raw(text, "application/json")
            .insert_header("X-Request-Id", "req-big");
        let what = format!("{op:?} {pointer} = {number}");

        // Received once: a decode error is not retried.
        let error = expect_err(call_answered(op, answer, 1).await, &what);

        let Error::Decode(decode) = &error else {
            panic!("{what}: expected Error::Decode, got {error:?}")
        };
        assert_eq!(decode.path(), Some(path), "{what}: {error}");
        assert_eq!(decode.status().as_u16(), 200);
        assert_eq!(decode.operation(), op.name());
        assert_eq!(decode.request_id(), Some("req-big"));
        assert!(!decode.is_empty_body());
        assert!(!decode.message().is_empty());
        let display = error.to_string();
        assert!(display.contains(path), "{what}: {display}");
        assert!(display.starts_with(op.name()), "{what}: {display}");
    }
}

/// A documented object comes only as a JSON object: an array in its place (which serde's
/// derived structs read into the fields by position) is a decode error naming the path,
/// at the top and nested.
#[tokio::test]
async fn an_array_where_an_object_is_documented_is_a_decode_error() {
    let namespace = with(Op::Show.example(), "/namespace", json!([1, "group", "n"]));
    let cases: Vec<(Op, Value, &str)> = vec![
        (Op::Show, json!([]), "."),
        (Op::Show, json!([true, 1, {"id": 1}]), "."),
        (Op::Stats, json!([]), "."),
        (Op::Show, namespace, ".namespace"),
    ];
    for (op, body, path) in cases {
        let what = format!("{op:?} {body}");
        let error = expect_err(call_answered(op, json_answer(200, &body), 1).await, &what);
        let Error::Decode(decode) = &error else {
            panic!("{what}: expected Error::Decode, got {error:?}")
        };
        assert_eq!(decode.path(), Some(path), "{what}: {error}");
        assert!(
            decode.message().contains("a JSON object"),
            "{what}: {error}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Invalid input: nothing is sent
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn out_of_range_repository_ids_are_rejected_before_sending() {
    let server = server_answering(json_answer(200, &json!({}))).await;
    let client = client(&server);
    for op in Op::ALL {
        for id in [0, -1, MAX_REPOSITORY_ID + 1, i64::MIN, i64::MAX] {
            let error = expect_err(op.call(&client, id).await, "out of range");
            let Error::InvalidInput(invalid) = &error else {
                panic!("{op:?} {id}: expected Error::InvalidInput, got {error:?}")
            };
            assert_eq!(invalid.operation(), op.name());
            assert_eq!(invalid.parameter(), "repository_id");
            let display = error.to_string();
            assert!(display.contains("repository_id"), "{display}");
            assert!(display.contains(&id.to_string()), "{display}");
            assert!(display.starts_with(op.name()), "{display}");
            assert_eq!(error.status(), None);
        }
    }
    assert_eq!(received(&server).await.len(), 0, "nothing was sent");

    // The bounds themselves are valid, and sent as given.
    for op in Op::ALL {
        for id in [1, MAX_REPOSITORY_ID] {
            op.call(&client, id).await.expect("in range");
        }
    }
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let expected: Vec<String> = Op::ALL
        .iter()
        .flat_map(|op| [op.path(1), op.path(MAX_REPOSITORY_ID)])
        .collect();
    assert_eq!(paths, expected);
    assert!(expected[1].ends_with("/2147483647"));
}

#[tokio::test]
async fn invalid_tokens_fail_the_build_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let too_long = format!("{TOKEN}{}", "x".repeat(100_001 - TOKEN.len()));
    assert_eq!(too_long.chars().count(), 100_001);
    let tokens = [
        String::new(),
        format!("{TOKEN}\r\nX-Injected: yes"),
        format!("{TOKEN}\r\n"),
        format!("{TOKEN}\n"),
        too_long,
        format!("{TOKEN} with a space"),
        format!("{TOKEN}\u{e9}"),
    ];
    for token in &tokens {
        let builder = Client::builder()
            .endpoint(server.uri())
            .auth_token(token.as_str())
            .no_env_credentials();
        check_no_secret("builder Debug", &format!("{builder:?}"));
        let error = match builder.build() {
            Ok(client) => panic!("token of {} chars accepted: {client:?}", token.len()),
            Err(error) => error,
        };
        check_error(&error);
        let Error::InvalidInput(invalid) = &error else {
            panic!("expected Error::InvalidInput, got {error:?}")
        };
        assert_eq!(invalid.operation(), "ClientBuilder");
        assert_eq!(invalid.parameter(), "auth_token");
        assert!(error.to_string().contains("token"), "{error}");
    }
    assert_eq!(received(&server).await.len(), 0, "nothing was sent");

    // The longest documented token (100,000 characters) is accepted and sent intact.
    let longest = format!("{TOKEN}{}", "y".repeat(100_000 - TOKEN.len()));
    let answer = json_answer(200, &Op::Show.example());
    Mock::given(any()).respond_with(answer).mount(&server).await;
    let client = Client::builder()
        .endpoint(server.uri())
        .auth_token(longest.as_str())
        .no_env_credentials()
        .build()
        .expect("a 100,000-character token is valid");
    check_no_secret("client Debug", &format!("{client:#?}"));
    client.show_repository(1).await.expect("sent");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let sent = requests[0]
        .headers
        .get("x-auth-token")
        .map(|v| v.as_bytes());
    assert_eq!(sent, Some(longest.as_bytes()));
}

#[tokio::test]
async fn the_token_is_not_in_the_client_debug_output() {
    let server = MockServer::start().await;
    let client = client(&server);
    for text in [format!("{client:?}"), format!("{client:#?}")] {
        check_no_secret("client Debug", &text);
        assert!(
            text.contains(&server.uri()),
            "the Debug output is useful: {text}"
        );
    }
    let builder = builder(&server.uri());
    check_no_secret("builder Debug", &format!("{builder:#?}"));
}

// ---------------------------------------------------------------------------------------------
// Retries and bodies that are not the documented shape, at the operation level
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_503_then_200_succeeds_after_one_retry() {
    for op in Op::ALL {
        let server = server_answering_in_turn(vec![
            json_answer(
                503,
                &json!({"error_code": "CH.00000503", "error_msg": "busy"}),
            ),
            json_answer(200, &op.example()).insert_header("X-Request-Id", "req-ok"),
        ])
        .await;

        let called = op
            .call(&client(&server), 12)
            .await
            .expect("the retry succeeds");

        assert_received(&server, 2, &op.path(12)).await;
        assert_eq!(called.status, 200);
        assert_eq!(called.request_id.as_deref(), Some("req-ok"));
        assert_eq!(called.body, without_nulls(&op.example()));
    }
}

#[tokio::test]
async fn a_503_that_persists_is_returned_after_the_last_attempt() {
    let server = server_answering(json_answer(
        503,
        &json!({"error_code": "CH.00000503", "error_msg": "busy"}),
    ))
    .await;
    let error = expect_err(Op::Show.call(&client(&server), 12).await, "503");
    assert_received(&server, 3, &Op::Show.path(12)).await;
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 503);
    assert_eq!(api.attempts(), 3);
    assert_eq!(api.error_code(), Some("CH.00000503"));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_for_then_retried() {
    let doc = Op::Stats.example();
    let server = server_answering_in_turn(vec![
        json_answer(
            429,
            &json!({"error_code": "CH.00000429", "error_msg": "slow down"}),
        )
        .insert_header("Retry-After", "1"),
        json_answer(200, &doc).insert_header("X-Total", "1"),
    ])
    .await;
    let client = client(&server);

    let started = tokio::time::Instant::now();
    let response = client
        .show_repository_statistics_status(13)
        .await
        .expect("the retry succeeds");
    let waited = started.elapsed();

    assert_received(&server, 2, &Op::Stats.path(13)).await;
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 was honoured (waited {waited:?})"
    );
    assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    assert_eq!(response.headers.x_total.as_deref(), Some("1"));
    assert_eq!(to_json(&response.body), without_nulls(&doc));
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_status_content_type_and_excerpt() {
    for op in Op::ALL {
        let text = serde_json::to_string_pretty(&op.example()).expect("JSON");
        let cut = text
            .find("branch_bb")
            .or_else(|| text.find("test_import"))
            .expect("a string");
        let truncated = &text[..cut + 4];
        let answer = ResponseTemplate::new(200)
            .set_body_raw(truncated.to_owned(), "application/json; charset=utf-8")
            .insert_header("X-Request-Id", "req-cut");

        let error = expect_err(call_answered(op, answer, 14).await, "truncated");

        let decode = error.decode().expect("a decode error");
        assert_eq!(decode.status().as_u16(), 200);
        assert_eq!(
            decode.content_type(),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(decode.body_excerpt(), truncated, "the whole (short) body");
        assert_eq!(decode.request_id(), Some("req-cut"));
        assert!(decode.message().contains("EOF"), "{}", decode.message());
        assert!(!decode.is_empty_body());
        assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
        let display = error.to_string();
        assert!(display.starts_with(op.name()), "{display}");
        assert!(display.contains("application/json"), "{display}");
    }
}

#[tokio::test]
async fn an_html_login_page_with_200_is_a_decode_error() {
    let page = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\
                <body><form action=\"/login\" method=\"post\"><input name=\"user\"></form>\
                </body></html>";
    for op in Op::ALL {
        let answer = ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8");

        let error = expect_err(call_answered(op, answer, 15).await, "HTML");

        let decode = error.decode().expect("a decode error");
        assert_eq!(decode.status().as_u16(), 200);
        assert_eq!(decode.content_type(), Some("text/html; charset=utf-8"));
        assert!(decode.body_excerpt().contains("<title>Sign in</title>"));
        assert!(!decode.is_empty_body());
        assert!(error.to_string().contains("text/html"), "{error}");
    }
}

#[tokio::test]
async fn an_empty_200_body_is_a_decode_error() {
    for op in Op::ALL {
        let answer = ResponseTemplate::new(200).set_body_raw(Vec::<u8>::new(), "application/json");

        let error = expect_err(call_answered(op, answer, 16).await, "empty");

        let decode = error.decode().expect("a decode error");
        assert!(decode.is_empty_body());
        assert_eq!(decode.status().as_u16(), 200);
        assert_eq!(decode.path(), None);
        assert_eq!(decode.body_excerpt(), "");
        assert!(error.to_string().contains("empty"), "{error}");
    }
}

// ---------------------------------------------------------------------------------------------
// Raw servers: what wiremock cannot send
// ---------------------------------------------------------------------------------------------

/// A server on 127.0.0.1 that answers each of at most `connections` connections with
/// `answer` (raw bytes) and closes it; the request heads it read are recorded.
async fn raw_server(answer: Vec<u8>, connections: usize) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    tokio::spawn(async move {
        for _ in 0..connections {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut head = Vec::new();
            let mut buffer = [0u8; 4096];
            // Bounded: at most 64 KiB of request head, within 5 s.
            let read = tokio::time::timeout(Duration::from_secs(5), async {
                while head.len() < 65_536 && !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
            })
            .await;
            if read.is_err() {
                continue;
            }
            seen.lock()
                .expect("lock")
                .push(String::from_utf8_lossy(&head).into_owned());
            let _ = stream.write_all(&answer).await;
            let _ = stream.shutdown().await;
        }
    });
    (address, heads)
}

fn assert_raw_head(head: &str, path: &str) {
    let first = head.lines().next().unwrap_or_default();
    assert_eq!(first, format!("GET {path} HTTP/1.1"));
    let lower = head.to_ascii_lowercase();
    assert!(
        lower.contains(&format!(
            "\r\nx-auth-token: {}\r\n",
            TOKEN.to_ascii_lowercase()
        )),
        "{head}"
    );
    assert!(lower.contains("\r\naccept: application/json\r\n"), "{head}");
}

#[tokio::test]
async fn a_body_cut_off_by_the_server_is_retried_then_a_transport_error() {
    let text = serde_json::to_vec(&Op::Show.example()).expect("JSON");
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        text.len()
    )
    .into_bytes();
    answer.extend_from_slice(&text[..text.len() / 2]);
    let (address, heads) = raw_server(answer, 3).await;
    let client = builder(&format!("http://{address}"))
        .build()
        .expect("client");

    let error = expect_err(Op::Show.call(&client, 17).await, "cut body");

    let heads = heads.lock().expect("lock").clone();
    assert_eq!(heads.len(), 3, "three attempts");
    for head in &heads {
        assert_raw_head(head, &Op::Show.path(17));
    }
    let transport = error.transport().expect("a transport error");
    assert_eq!(transport.kind(), TransportErrorKind::BodyInterrupted);
    assert_eq!(transport.attempts(), 3);
    assert_eq!(transport.operation(), "ShowRepository");
}

#[tokio::test]
async fn an_x_total_that_is_not_utf8_is_none_and_the_call_succeeds() {
    let doc = Op::Stats.example();
    let text = serde_json::to_vec(&doc).expect("JSON");
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         X-Request-Id: req-raw\r\nX-Total: ",
        text.len()
    )
    .into_bytes();
    answer.extend_from_slice(b"\xff\xfe5\r\n\r\n");
    answer.extend_from_slice(&text);
    let (address, heads) = raw_server(answer, 1).await;
    let client = builder(&format!("http://{address}"))
        .build()
        .expect("client");

    let response = client
        .show_repository_statistics_status(18)
        .await
        .expect("an unreadable documented header does not fail the call");

    let heads = heads.lock().expect("lock").clone();
    assert_eq!(heads.len(), 1);
    assert_raw_head(&heads[0], &Op::Stats.path(18));
    assert_eq!(response.headers.x_total, None);
    assert_eq!(
        response.raw_headers.get("x-total").map(|v| v.as_bytes()),
        Some(&b"\xff\xfe5"[..])
    );
    assert_eq!(response.request_id.as_deref(), Some("req-raw"));
    assert_eq!(to_json(&response.body), without_nulls(&doc));
}
