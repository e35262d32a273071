//! The documentation examples in `spec/codearts-repo.yaml`, held against the generated client.
//!
//! * Every example response of the spec (every operation × every response status ×
//!   every `content.application/json.examples.*.value`, and `example`) is decoded into the
//!   generated type of its operation and status, and the typed value is snapshotted
//!   (`examples__decoded-<operationId>-<status>-<example>.snap`).
//! * Every example response round-trips: decoded, re-encoded with `serde_json::to_value`, it
//!   equals the example (null members and absent members count as the same).
//! * Every example request line of the spec (`x-example-requests` of an operation) is sent by
//!   the generated client to a wiremock server on 127.0.0.1; the request that arrives is
//!   snapshotted (`examples__request-<operationId>-<n>.snap`) and its method and path must be
//!   the example line's.
//!
//! The spec is walked generically, so an example added to the spec is covered without touching
//! this file, and an example for an (operation, status) pair that [`decoder`] does not know,
//! or an example request for an operation that [`call`] does not know, fails the tests: a new
//! endpoint makes the tables grow. Review changed snapshots with `cargo insta review`.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::time::Duration;

use codearts_repo::types::{
    ErrorResponseBody, ShowRepositoryResponseBody, ShowRepositoryStatisticsStatusResponseBody,
};
use codearts_repo::{Client, Error};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod support;
use support::{spec, without_nulls};

/// The token the request tests send; it must arrive, and must never reach a snapshot.
const TOKEN: &str = "example-token-0123456789";

/// HTTP methods an OpenAPI path item can hold.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

// ---------------------------------------------------------------------------------------------
// The tables: what the generated client makes of each operation
// ---------------------------------------------------------------------------------------------

/// A decoded example: the Rust type it became, its `Debug` text and its re-encoding.
struct Decoded {
    type_name: &'static str,
    debug: String,
    reencoded: Value,
}

type Decoder = fn(&Value) -> Result<Decoded, String>;

/// The generated type of the body of `status` of `operation_id`. Every (operation, status)
/// pair with an example in the spec must have a row here: a new endpoint or a newly
/// documented status fails `every_example_has_a_decoder` until its row is added.
fn decoder(operation_id: &str, status: &str) -> Option<Decoder> {
    Some(match (operation_id, status) {
        ("ShowRepository", "200") => decode_as::<ShowRepositoryResponseBody>,
        ("ShowRepositoryStatisticsStatus", "200") => {
            decode_as::<ShowRepositoryStatisticsStatusResponseBody>
        }
        ("ShowRepositoryStatisticsStatus", "401" | "403" | "404") => decode_as::<ErrorResponseBody>,
        _ => return None,
    })
}

/// Every pair [`decoder`] knows, to catch rows the spec no longer documents.
const DECODER_ROWS: &[(&str, &str)] = &[
    ("ShowRepository", "200"),
    ("ShowRepositoryStatisticsStatus", "200"),
    ("ShowRepositoryStatisticsStatus", "401"),
    ("ShowRepositoryStatisticsStatus", "403"),
    ("ShowRepositoryStatisticsStatus", "404"),
];

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Calls the generated method of `operation_id` with the path parameters of an example
/// request and returns the decoded body, re-encoded. `None` for an operation this table does
/// not know (an example request for it fails `example_requests_are_what_the_client_sends`).
fn call<'a>(
    client: &'a Client,
    operation_id: &str,
    params: &BTreeMap<String, String>,
) -> Option<Result<BoxFuture<'a, Result<Value, Error>>, String>> {
    let int = |name: &str| -> Result<i64, String> {
        let text = params
            .get(name)
            .ok_or_else(|| format!("the example request has no path parameter `{name}`"))?;
        text.parse::<i64>()
            .map_err(|e| format!("path parameter `{name}` = {text:?} is not an integer: {e}"))
    };
    Some(match operation_id {
        "ShowRepository" => int("repository_id").map(|id| -> BoxFuture<'a, _> {
            Box::pin(async move { Ok(to_json(&client.show_repository(id).await?.body)) })
        }),
        "ShowRepositoryStatisticsStatus" => int("repository_id").map(|id| -> BoxFuture<'a, _> {
            Box::pin(async move {
                Ok(to_json(
                    &client.show_repository_statistics_status(id).await?.body,
                ))
            })
        }),
        _ => return None,
    })
}

/// Decodes `value` as `T` the way the client decodes a body (from the JSON text, with the
/// JSON path of a failure).
fn decode_as<T: DeserializeOwned + Serialize + Debug>(value: &Value) -> Result<Decoded, String> {
    let text = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    let mut deserializer = serde_json::Deserializer::from_slice(&text);
    let typed: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        format!(
            "does not decode as {} at `{}`: {}",
            std::any::type_name::<T>(),
            e.path(),
            e.inner()
        )
    })?;
    Ok(Decoded {
        type_name: std::any::type_name::<T>(),
        debug: format!("{typed:#?}"),
        reencoded: to_json(&typed),
    })
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("generated types serialise to JSON")
}

// ---------------------------------------------------------------------------------------------
// The spec, walked generically
// ---------------------------------------------------------------------------------------------

struct Operation {
    id: String,
    method: String,
    path: String,
    /// The operation object.
    spec: Value,
}

fn operations(spec: &Value) -> Vec<Operation> {
    let paths = spec["paths"].as_object().expect("the spec has `paths`");
    let mut out = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                let id = op["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                out.push(Operation {
                    id: id.to_owned(),
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    spec: op.clone(),
                });
            }
        }
    }
    out
}

/// One example response of the spec.
struct Example {
    operation_id: String,
    status: String,
    name: String,
    value: Value,
}

impl Example {
    fn label(&self) -> String {
        format!("{}-{}-{}", self.operation_id, self.status, self.name)
    }
}

/// Every example response: `examples.<name>.value` (named `<name>`) and `example` (named
/// `example`) of every media type of every response. Examples in a media type other than
/// `application/json` make the test fail (this file decodes JSON only).
fn examples(spec: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    for op in operations(spec) {
        let Some(responses) = op.spec["responses"].as_object() else {
            continue;
        };
        for (status, response) in responses {
            let Some(content) = response["content"].as_object() else {
                continue;
            };
            for (media_type, media) in content {
                let has_examples =
                    media.get("example").is_some() || media.get("examples").is_some();
                assert!(
                    media_type == "application/json" || !has_examples,
                    "{} {status}: examples of media type {media_type} are not checked by tests/tests/examples.rs",
                    op.id
                );
                if let Some(value) = media.get("example") {
                    out.push(Example {
                        operation_id: op.id.clone(),
                        status: status.clone(),
                        name: "example".into(),
                        value: value.clone(),
                    });
                }
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    let value = example.get("value").unwrap_or_else(|| {
                        panic!(
                            "{} {status} example {name} has no `value` (an externalValue or \
                             $ref is not supported here)",
                            op.id
                        )
                    });
                    out.push(Example {
                        operation_id: op.id.clone(),
                        status: status.clone(),
                        name: name.clone(),
                        value: value.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Runs `check` for every item, even after one fails, then fails naming every failure: one
/// run shows (and, locally, writes as `.snap.new`) every changed snapshot at once.
fn check_each<T>(items: &[T], label: impl Fn(&T) -> String, check: impl Fn(&T)) {
    let mut failures = Vec::new();
    for item in items {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(item))) {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{}: {}", label(item), message));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        items.len(),
        failures.join("\n")
    );
}

/// Runs `check` on every example response of the spec and its value decoded by the
/// [`decoder`] of its operation and status, as [`check_each`] does.
fn check_each_decoded(check: impl Fn(&Example, Decoded)) {
    let examples = examples(&spec().clone());
    assert!(!examples.is_empty(), "the spec has no example responses");
    check_each(&examples, Example::label, |example| {
        let decode = decoder(&example.operation_id, &example.status)
            .unwrap_or_else(|| panic!("no decoder (see every_example_has_a_decoder)"));
        let decoded = decode(&example.value).unwrap_or_else(|e| panic!("{e}"));
        check(example, decoded);
    });
}

// ---------------------------------------------------------------------------------------------
// Example responses
// ---------------------------------------------------------------------------------------------

/// The list of examples the spec holds; a new (or removed) example shows here too.
#[test]
fn example_index() {
    let index: Vec<String> = examples(&spec().clone())
        .iter()
        .map(Example::label)
        .collect();
    assert!(!index.is_empty(), "the spec has no example responses");
    insta::with_settings!({ omit_expression => true }, {
        insta::assert_yaml_snapshot!("index", index);
    });
}

#[test]
fn every_example_has_a_decoder() {
    let spec = spec().clone();
    let missing: Vec<String> = examples(&spec)
        .iter()
        .filter(|e| decoder(&e.operation_id, &e.status).is_none())
        .map(Example::label)
        .collect();
    assert!(
        missing.is_empty(),
        "examples for (operation, status) pairs that `decoder` in tests/tests/examples.rs does \
         not know (add a row naming the generated type): {missing:?}"
    );
    // And no row for a response the spec does not document.
    let documented: Vec<(String, String)> = operations(&spec)
        .iter()
        .flat_map(|op| {
            op.spec["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, _)| (op.id.clone(), status.clone()))
        })
        .collect();
    for (op, status) in DECODER_ROWS {
        assert!(
            decoder(op, status).is_some(),
            "DECODER_ROWS lists ({op}, {status}) but `decoder` has no arm for it"
        );
        assert!(
            documented.iter().any(|(o, s)| o == op && s == status),
            "`decoder` has a row for ({op}, {status}), which the spec does not document"
        );
    }
}

/// The typed value of every example, as `Debug`.
///
/// `Debug` rather than YAML of the re-encoded value: the snapshot must show what a caller of
/// the client gets, and serialising would hide it (an enum value prints as the wire string or
/// number either way, so a value the spec does not list, decoded as `Unknown(..)`, would be
/// indistinguishable from a known variant; `Option`s would lose their `Some`).
#[test]
fn examples_decode_into_the_generated_types() {
    check_each_decoded(|example, decoded| {
        let description = format!(
            "{} {}, example {}, decoded as {}",
            example.operation_id,
            example.status,
            example.name,
            decoded.type_name.replace("::generated::", "::")
        );
        insta::with_settings!({ description => description, omit_expression => true }, {
            insta::assert_snapshot!(format!("decoded-{}", example.label()), decoded.debug);
        });
    });
}

/// Decoding then re-encoding gives the example back, which shows a field missing from the
/// spec (dropped by the typed value) or typed differently (`0` becoming `0.0`, a string
/// becoming a number).
///
/// Null and absent are treated alike: object members whose value is `null` are removed,
/// recursively, from both sides before comparing. The generated types keep a `null` as `None`,
/// which they do not serialise, and a server may send either for "no value".
#[test]
fn examples_round_trip() {
    check_each_decoded(|example, decoded| {
        let expected = without_nulls(&example.value);
        let actual = without_nulls(&decoded.reencoded);
        let mut differences = Vec::new();
        json_diff(&expected, &actual, "", &mut differences);
        assert!(
            differences.is_empty(),
            "re-encoding the decoded {} does not give the example back:\n  {}",
            decoded.type_name,
            differences.join("\n  ")
        );
    });
}

/// The differences between `expected` and `actual`, one line each, by JSON pointer.
fn json_diff(expected: &Value, actual: &Value, pointer: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let here = format!("{pointer}/{key}");
                match a.get(key) {
                    Some(av) => json_diff(ev, av, &here, out),
                    None => out.push(format!(
                        "{here}: in the example ({ev}), missing after the round trip"
                    )),
                }
            }
            for (key, av) in a {
                if !e.contains_key(key) {
                    out.push(format!(
                        "{pointer}/{key}: not in the example, {av} after the round trip"
                    ));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                json_diff(ev, av, &format!("{pointer}/{i}"), out);
            }
        }
        _ if expected == actual => {}
        _ => out.push(format!(
            "{}: example {expected}, after the round trip {actual}",
            if pointer.is_empty() { "/" } else { pointer }
        )),
    }
}

#[test]
fn without_nulls_and_json_diff_work() {
    let example = serde_json::json!({"a": null, "b": {"c": null, "d": [null, 1]}, "e": 0});
    assert_eq!(
        without_nulls(&example),
        serde_json::json!({"b": {"d": [null, 1]}, "e": 0})
    );
    let mut out = Vec::new();
    json_diff(
        &serde_json::json!({"e": 0, "f": "x"}),
        &serde_json::json!({"e": 0.0, "g": 1}),
        "",
        &mut out,
    );
    assert_eq!(
        out,
        [
            "/e: example 0, after the round trip 0.0",
            "/f: in the example (\"x\"), missing after the round trip",
            "/g: not in the example, 1 after the round trip",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Example requests
// ---------------------------------------------------------------------------------------------

/// One `x-example-requests` line, parsed.
struct ExampleRequest {
    operation_id: String,
    index: usize,
    line: String,
    method: String,
    /// The path (and query, if any), without scheme and host.
    target: String,
    params: BTreeMap<String, String>,
    /// The body the mock answers with: the operation's first 2xx example, else `{}`.
    response: Value,
}

fn example_requests(spec: &Value) -> Vec<ExampleRequest> {
    let examples = examples(spec);
    let mut out = Vec::new();
    for op in operations(spec) {
        let Some(lines) = op.spec.get("x-example-requests") else {
            continue;
        };
        let lines = lines
            .as_array()
            .unwrap_or_else(|| panic!("{}: x-example-requests is not a list", op.id));
        for (index, line) in lines.iter().enumerate() {
            let line = line
                .as_str()
                .unwrap_or_else(|| panic!("{}: x-example-requests[{index}] is not text", op.id));
            let (method, url) = line
                .trim()
                .split_once(' ')
                .unwrap_or_else(|| panic!("{}: {line:?} is not `METHOD URL`", op.id));
            assert_eq!(
                method, op.method,
                "{}: example request {line:?} has the method of another operation",
                op.id
            );
            // `https://{endpoint}/v4/...`: everything from the first `/` after the authority.
            let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
            let target = after_scheme
                .find('/')
                .map_or("/", |at| &after_scheme[at..])
                .to_owned();
            let path = target.split('?').next().unwrap_or_default();
            let params = match_template(&op.path, path).unwrap_or_else(|| {
                panic!(
                    "{}: the path of example request {line:?} does not match {}",
                    op.id, op.path
                )
            });
            let response = examples
                .iter()
                .find(|e| e.operation_id == op.id && e.status.starts_with('2'))
                .map_or_else(|| serde_json::json!({}), |e| e.value.clone());
            out.push(ExampleRequest {
                operation_id: op.id.clone(),
                index,
                line: line.to_owned(),
                method: method.to_owned(),
                target,
                params,
                response,
            });
        }
    }
    out
}

/// The path parameters of `path` under `template` (`/a/{id}/b`), or `None` when it does not
/// match. Values stay percent-encoded.
fn match_template(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (t, p) in t.iter().zip(&p) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(name) if !p.is_empty() => {
                params.insert(name.to_owned(), (*p).to_owned());
            }
            Some(_) => return None,
            None if t == p => {}
            None => return None,
        }
    }
    Some(params)
}

#[test]
fn match_template_works() {
    let params = match_template("/v4/repositories/{id}/x", "/v4/repositories/42/x").unwrap();
    assert_eq!(params.get("id").map(String::as_str), Some("42"));
    assert!(match_template("/v4/repositories/{id}/x", "/v4/repositories/42/y").is_none());
    assert!(match_template("/v4/repositories/{id}", "/v4/repositories/42/x").is_none());
    assert!(match_template("/v4/repositories/{id}", "/v4/repositories/").is_none());
}

/// The request the generated client sends for each example request line of the spec.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_requests_are_what_the_client_sends() {
    let requests = example_requests(&spec().clone());
    assert!(
        !requests.is_empty(),
        "the spec has no x-example-requests (it had one for ShowRepositoryStatisticsStatus)"
    );
    let mut failures = Vec::new();
    for request in &requests {
        let label = format!("{} {:?}", request.operation_id, request.line);
        let outcome = tokio::time::timeout(Duration::from_secs(30), check_request(request)).await;
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(message)) => failures.push(format!("{label}: {message}")),
            Err(_) => failures.push(format!("{label}: timed out after 30 s")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} example requests failed:\n{}",
        failures.len(),
        requests.len(),
        failures.join("\n")
    );
}

async fn check_request(example: &ExampleRequest) -> Result<(), String> {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    // wiremock listens on 127.0.0.1, on a free port.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&example.response))
        .mount(&server)
        .await;
    assert!(
        server.uri().starts_with("http://127.0.0.1:"),
        "the mock server is not on 127.0.0.1: {}",
        server.uri()
    );
    let client = Client::builder()
        .endpoint(server.uri())
        .auth_token(TOKEN)
        .no_env_credentials()
        .disable_retries()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("client: {e}"))?;

    let future = call(&client, &example.operation_id, &example.params).ok_or_else(|| {
        format!(
            "`call` in tests/tests/examples.rs does not know operation {} (add an arm calling \
             its generated method)",
            example.operation_id
        )
    })??;
    let body = future.await.map_err(|e| format!("the call failed: {e}"))?;
    // The client decoded the mock's answer (the operation's example) faithfully.
    let mut differences = Vec::new();
    json_diff(
        &without_nulls(&example.response),
        &without_nulls(&body),
        "",
        &mut differences,
    );
    if !differences.is_empty() {
        return Err(format!(
            "the body the client returned differs from the one sent:\n  {}",
            differences.join("\n  ")
        ));
    }

    let received = server
        .received_requests()
        .await
        .ok_or("wiremock did not record requests")?;
    let [request] = received.as_slice() else {
        return Err(format!(
            "expected exactly one request, the server received {}",
            received.len()
        ));
    };
    let target = match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    if request.method.as_str() != example.method || target != example.target {
        return Err(format!(
            "the client sent `{} {target}`, the example request is `{} {}`",
            request.method, example.method, example.target
        ));
    }

    let header = |name: &str| -> Option<String> {
        request
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    if header("x-auth-token").as_deref() != Some(TOKEN) {
        return Err("X-Auth-Token is not the client's token".into());
    }
    let user_agent = header("user-agent").unwrap_or_default();
    let Some(version) = user_agent.strip_prefix("codearts-repo-rust/") else {
        return Err(format!(
            "User-Agent {user_agent:?} does not start with codearts-repo-rust/"
        ));
    };

    // Every header, with the values that change from run to run (or are secret) replaced.
    let mut headers = BTreeMap::new();
    for name in request.headers.keys() {
        let value = match name.as_str() {
            "x-auth-token" => format!("[redacted, {} bytes]", TOKEN.len()),
            "host" => "127.0.0.1:[port]".to_owned(),
            "user-agent" => user_agent.replace(version, "[version]"),
            _ => request
                .headers
                .get_all(name)
                .iter()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
        };
        headers.insert(name.as_str().to_owned(), value);
    }
    let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    query.sort();
    let snapshot = RequestSnapshot {
        example: example.line.clone(),
        method: request.method.to_string(),
        path: request.url.path().to_owned(),
        query,
        headers,
        body_len: request.body.len(),
    };
    let name = format!("request-{}-{}", example.operation_id, example.index);
    // The assertion panics on a difference; report it like the other failures.
    catch_unwind(AssertUnwindSafe(|| {
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_yaml_snapshot!(name, snapshot);
        });
    }))
    .map_err(|_| "the request snapshot differs (see above; `cargo insta review`)".to_owned())
}

#[derive(Serialize)]
struct RequestSnapshot {
    /// The spec's example request line.
    example: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: BTreeMap<String, String>,
    body_len: usize,
}
