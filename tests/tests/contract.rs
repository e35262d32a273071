//! Contract tests: the generated client against Stoplight Prism mocking `spec/codearts-repo.yaml`.
//!
//! Run them with `cargo xtask contract` (or `bash .ci/contract.sh`): the script starts
//! `prism mock --errors` on 127.0.0.1 and sets `CODEARTS_PRISM_URL`. Prism answers from the
//! spec (its example for the status the `Prefer: code=NNN` request header asks for) and
//! validates every request against the spec: with `--errors`, a request that violates it is
//! answered with an error and an `sl-violations` header.
//!
//! * `contract_every_documented_response`: every operation × every documented status, through
//!   the generated client: 2xx gives the typed body equal to the spec's example and the typed
//!   documented headers equal to the raw ones; 4xx gives `Error::Api` with that status, the
//!   example's error code and message, and the generated `…Error::from_api_error` variant of
//!   that status; and Prism found no violation in any request the client sent.
//! * `contract_show_repository_typed_fields`, `contract_statistics_status_typed_fields`: typed
//!   fields of the default (200) answers, field by field, against the spec's examples.
//! * `contract_prism_rejects_*`: negative controls proving Prism's validation is on: a request
//!   without `X-Auth-Token` gets 401, a `repository_id` of 0 gets 422.
//!
//! Without `CODEARTS_PRISM_URL`, every test fails under `CI=true`; locally it prints
//! "SKIPPED: ..." and returns (so a skipped run shows one SKIPPED line per test).

use std::collections::BTreeMap;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use codearts_repo::operation::show_repository_statistics_status::ShowRepositoryStatisticsStatusError;
use codearts_repo::types::{
    RepositoryUserBasicDtoState, ShowRepositoryResponseBodyDevelopMode,
    ShowRepositoryStatisticsStatusResponseBodyReason,
};
use codearts_repo::{ApiError, Client, DocumentedError as _, Error, Response};
use serde::Serialize;
use serde_json::Value;

mod support;
use support::prism::{prefer_status, prism_url, violations};
use support::{spec, without_nulls};

const TOKEN: &str = "contract-test-token";
/// The limit of one call (one HTTP exchange with Prism on loopback).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

// ---------------------------------------------------------------------------------------------
// Prism, or a skip that does not look like a pass
// ---------------------------------------------------------------------------------------------

fn prism(test: &str) -> Option<String> {
    prism_url("CODEARTS_PRISM_URL", test)
}

macro_rules! prism_or_skip {
    ($test:literal) => {
        match prism($test) {
            Some(url) => url,
            None => return,
        }
    };
}

/// A client of Prism that sends `Prefer: code=<status>` when `status` is given (through a
/// caller-supplied reqwest client's default headers: the runtime has no extra-header setting).
fn client(base: &str, status: Option<u16>) -> Client {
    let headers = prefer_status(status);
    Client::builder()
        .endpoint(base)
        .auth_token(TOKEN)
        .no_env_credentials()
        .disable_retries()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .configure_http_client(move |http| http.default_headers(headers.clone()).no_proxy())
        .build()
        .expect("client")
}

/// A plain HTTP client, for requests the generated client would refuse to send.
fn plain_http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("reqwest client")
}

async fn bounded<T>(what: &str, future: impl IntoFuture<Output = T>) -> T {
    tokio::time::timeout(CALL_TIMEOUT, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within {CALL_TIMEOUT:?}"))
}

/// The answer to the call `future` of `operation_id`: a 200, to a request Prism found valid.
async fn default_answer<B, H, E: std::fmt::Display>(
    operation_id: &str,
    future: impl IntoFuture<Output = Result<Response<B, H>, E>>,
) -> Response<B, H> {
    let out = bounded(operation_id, future)
        .await
        .unwrap_or_else(|e| panic!("{operation_id} failed: {e}"));
    assert_eq!(out.status.as_u16(), 200);
    assert_eq!(violations(&out.raw_headers), None);
    out
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("generated types serialise to JSON")
}

// ---------------------------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------------------------

struct Operation {
    id: String,
    path: String,
    spec: Value,
}

fn operations(spec: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("the spec has `paths`") {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                out.push(Operation {
                    id: op["operationId"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
                        .to_owned(),
                    path: path.clone(),
                    spec: op.clone(),
                });
            }
        }
    }
    out
}

fn operation(spec: &Value, id: &str) -> Operation {
    operations(spec)
        .into_iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("the spec has no operation {id}"))
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {reference}")),
        None => value,
    }
}

/// A valid value of every path parameter: its `example`, else its schema's `minimum`, else 1.
fn path_params(spec: &Value, op: &Operation) -> BTreeMap<String, i64> {
    let mut params = BTreeMap::new();
    for param in op.spec["parameters"].as_array().into_iter().flatten() {
        let param = resolve(spec, param);
        if param["in"] != "path" {
            continue;
        }
        let name = param["name"].as_str().expect("a parameter has a name");
        let value = param["example"]
            .as_i64()
            .or_else(|| param["schema"]["minimum"].as_i64())
            .unwrap_or(1);
        params.insert(name.to_owned(), value);
    }
    params
}

/// The URL path of `op` with `params` filled in.
fn fill_path(template: &str, params: &BTreeMap<String, i64>) -> String {
    params
        .iter()
        .fold(template.to_owned(), |path, (name, value)| {
            path.replace(&format!("{{{name}}}"), &value.to_string())
        })
}

/// The example of the 200 answer of `operation_id`, and the `repository_id` of its example
/// request.
fn default_example_and_repository_id(operation_id: &str) -> (Value, i64) {
    let spec = spec();
    let op = operation(spec, operation_id);
    let example = response_example(&op.spec["responses"]["200"])
        .unwrap_or_else(|| panic!("{operation_id} 200 has an example"))
        .clone();
    let id = param(&path_params(spec, &op), "repository_id");
    (example, id)
}

/// The first example (`example`, else the first of `examples`) of a response.
fn response_example(response: &Value) -> Option<&Value> {
    let media = &response["content"]["application/json"];
    media
        .get("example")
        .or_else(|| media["examples"].as_object()?.values().next()?.get("value"))
}

// ---------------------------------------------------------------------------------------------
// The generated client, per operation
// ---------------------------------------------------------------------------------------------

/// A 2xx answer, reduced to what the generic test compares.
struct Success {
    status: u16,
    body: Value,
    /// The documented headers as the generated typed headers hold them, by spec name.
    typed_headers: BTreeMap<&'static str, Option<String>>,
    raw_headers: http::HeaderMap,
}

/// `out` reduced to a [`Success`]; `typed_headers` lists its typed documented headers.
fn success<B: Serialize, H>(
    out: Response<B, H>,
    typed_headers: impl FnOnce(&H) -> BTreeMap<&'static str, Option<String>>,
) -> Success {
    Success {
        status: out.status.as_u16(),
        body: to_json(&out.body),
        typed_headers: typed_headers(&out.headers),
        raw_headers: out.raw_headers,
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Calls an operation's generated method with the given path parameters.
type Call = for<'a> fn(&'a Client, &BTreeMap<String, i64>) -> BoxFuture<'a, Result<Success, Error>>;

struct Row {
    call: Call,
    /// The generated `…Error::from_api_error`, as (the status its variant stands for, body).
    documented_error: fn(&ApiError) -> Option<(u16, Value)>,
}

fn param(params: &BTreeMap<String, i64>, name: &str) -> i64 {
    *params
        .get(name)
        .unwrap_or_else(|| panic!("no path parameter {name}"))
}

/// Every operation of the spec must have a row: a new endpoint fails
/// `contract_every_documented_response` until it is added.
fn row(operation_id: &str) -> Option<Row> {
    Some(match operation_id {
        "ShowRepository" => Row {
            call: |client, params| {
                let id = param(params, "repository_id");
                Box::pin(async move {
                    let out = client.show_repository(id).await?;
                    Ok(success(out, |_| BTreeMap::new()))
                })
            },
            // ShowRepository documents no error response, so it has no error type.
            documented_error: |_| None,
        },
        "ShowRepositoryStatisticsStatus" => Row {
            call: |client, params| {
                let id = param(params, "repository_id");
                Box::pin(async move {
                    let out = client.show_repository_statistics_status(id).await?;
                    Ok(success(out, |headers| {
                        BTreeMap::from([("X-Total", headers.x_total.clone())])
                    }))
                })
            },
            documented_error: |api| {
                use ShowRepositoryStatisticsStatusError as E;
                E::from_api_error(api).map(|error| match error {
                    E::Unauthorized(body) => (401, to_json(&body)),
                    E::Forbidden(body) => (403, to_json(&body)),
                    E::NotFound(body) => (404, to_json(&body)),
                    other => (0, Value::String(format!("unexpected variant {other:?}"))),
                })
            },
        },
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn contract_every_documented_response() {
    let base = prism_or_skip!("contract_every_documented_response");
    let spec = spec().clone();
    let mut checked = 0;
    let mut failures = Vec::new();
    for op in operations(&spec) {
        let Some(row) = row(&op.id) else {
            failures.push(format!(
                "{}: no row in `row` of tests/tests/contract.rs (add one calling its generated \
                 method)",
                op.id
            ));
            continue;
        };
        let params = path_params(&spec, &op);
        for (status, response) in op.spec["responses"].as_object().into_iter().flatten() {
            let label = format!("{} {status}", op.id);
            let Ok(code) = status.parse::<u16>() else {
                failures.push(format!("{label}: only numeric statuses are supported"));
                continue;
            };
            let client = client(&base, Some(code));
            let result = bounded(&label, (row.call)(&client, &params)).await;
            checked += 1;
            if let Err(problem) = check_response(response, code, &row, result) {
                failures.push(format!("{label}: {problem}"));
            }
        }
    }
    eprintln!("checked {checked} documented responses against Prism at {base}");
    assert!(checked > 0, "the spec documents no responses");
    assert!(
        failures.is_empty(),
        "{} of {checked} documented responses failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What the client made of Prism's answer for one documented response.
fn check_response(
    response: &Value,
    code: u16,
    row: &Row,
    result: Result<Success, Error>,
) -> Result<(), String> {
    let example = response_example(response);
    if (200..300).contains(&code) {
        let out = result.map_err(|e| format!("expected success, got {e}"))?;
        if let Some(v) = violations(&out.raw_headers) {
            return Err(format!("Prism found the request invalid: {v}"));
        }
        if out.status != code {
            return Err(format!("status {}, expected {code}", out.status));
        }
        if let Some(example) = example
            && without_nulls(&out.body) != without_nulls(example)
        {
            return Err(format!(
                "the typed body is not the spec's example:\n  got      {}\n  expected {}",
                out.body, example
            ));
        }
        for name in response["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|h| h.0)
        {
            let name = name.as_str();
            let Some(typed) = out.typed_headers.get(name) else {
                return Err(format!(
                    "documented header {name} is not in the row's typed headers"
                ));
            };
            let raw = out
                .raw_headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            if *typed != raw {
                return Err(format!(
                    "typed header {name} is {typed:?}, Prism sent {raw:?}"
                ));
            }
        }
        return Ok(());
    }
    let error = match result {
        Ok(out) => return Err(format!("expected HTTP {code}, got success {}", out.status)),
        Err(error) => error,
    };
    let Some(api) = error.api() else {
        return Err(format!("expected Error::Api, got {error:?}"));
    };
    if let Some(v) = violations(api.headers()) {
        return Err(format!("Prism found the request invalid: {v}"));
    }
    if api.status().as_u16() != code {
        return Err(format!("status {}, expected {code}", api.status()));
    }
    if let Some(example) = example {
        let field = |name: &str| example.get(name).and_then(Value::as_str);
        if api.error_code() != field("error_code") || api.error_msg() != field("error_msg") {
            return Err(format!(
                "error code/message {:?}/{:?}, the example's are {:?}/{:?}",
                api.error_code(),
                api.error_msg(),
                field("error_code"),
                field("error_msg")
            ));
        }
    }
    match (row.documented_error)(api) {
        Some((variant, body)) if variant == code => {
            if let Some(example) = example
                && without_nulls(&body) != without_nulls(example)
            {
                return Err(format!(
                    "the typed error body {body} is not the example {example}"
                ));
            }
            Ok(())
        }
        Some((variant, body)) => Err(format!(
            "from_api_error gave the variant of {variant} ({body}) for HTTP {code}"
        )),
        None => Err(format!(
            "from_api_error gave no documented error for HTTP {code}"
        )),
    }
}

#[tokio::test]
async fn contract_show_repository_typed_fields() {
    let base = prism_or_skip!("contract_show_repository_typed_fields");
    let (example, id) = default_example_and_repository_id("ShowRepository");
    let client = client(&base, None);
    let out = default_answer("ShowRepository", client.show_repository(id)).await;
    let body = &out.body;
    let s = |v: &Value| v.as_str().map(str::to_owned);
    assert_eq!(body.id, example["id"].as_i64());
    assert_eq!(body.name, s(&example["name"]));
    assert_eq!(body.path_with_namespace, s(&example["path_with_namespace"]));
    assert_eq!(body.description, None, "null in the example");
    assert_eq!(body.archived, example["archived"].as_bool());
    assert_eq!(
        body.develop_mode,
        Some(ShowRepositoryResponseBodyDevelopMode::Normal)
    );
    assert_eq!(example["develop_mode"], "normal");
    assert_eq!(body.star_count, example["star_count"].as_i64());
    assert_eq!(body.branch_count, example["branch_count"].as_i64());
    let namespace = body.namespace.as_ref().expect("namespace");
    assert_eq!(namespace.id, example["namespace"]["id"].as_i64());
    assert_eq!(namespace.full_path, s(&example["namespace"]["full_path"]));
    assert_eq!(namespace.owner_id, None, "null in the example");
    let creator = body.creator.as_ref().expect("creator");
    assert_eq!(creator.id, example["creator"]["id"].as_i64());
    assert_eq!(creator.state, Some(RepositoryUserBasicDtoState::Active));
    assert_eq!(example["creator"]["state"], "active");
    assert_eq!(
        to_json(body.owner.as_ref().expect("owner")),
        example["owner"]
    );
    let access = body
        .permissions
        .as_ref()
        .and_then(|p| p.repository_access.as_ref())
        .expect("permissions.repository_access");
    assert_eq!(
        access.access_level,
        example["permissions"]["repository_access"]["access_level"].as_i64()
    );
    let ids: Vec<i64> = example["ancestor_ids"]
        .as_array()
        .expect("ancestor_ids")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert_eq!(body.ancestor_ids.as_deref(), Some(ids.as_slice()));
    assert_eq!(
        body.fork_network_repositories.as_deref().map(<[_]>::len),
        Some(0)
    );
}

#[tokio::test]
async fn contract_statistics_status_typed_fields() {
    let base = prism_or_skip!("contract_statistics_status_typed_fields");
    let (example, id) = default_example_and_repository_id("ShowRepositoryStatisticsStatus");
    assert_eq!(id, 2111915566, "the page's example request's repository id");
    let client = client(&base, None);
    let out = default_answer(
        "ShowRepositoryStatisticsStatus",
        client.show_repository_statistics_status(id),
    )
    .await;
    let body = &out.body;
    assert_eq!(body.can_statistics, example["can_statistics"].as_bool());
    let reason = example["reason"].as_i64().expect("reason is an integer");
    let expected = ShowRepositoryStatisticsStatusResponseBodyReason::from(reason);
    assert!(
        !expected.is_unknown(),
        "the example's reason is a documented value"
    );
    assert_eq!(body.reason, Some(expected));
    let event = body.event.as_ref().expect("event");
    let e = &example["event"];
    assert_eq!(event.id, e["id"].as_i64());
    assert_eq!(event.project_id, e["project_id"].as_i64());
    assert_eq!(event.branch.as_deref(), e["branch"].as_str());
    assert_eq!(event.status.as_deref(), e["status"].as_str());
    assert_eq!(event.stat_date.as_deref(), e["stat_date"].as_str());
    assert_eq!(event.created_at.as_deref(), e["created_at"].as_str());
    // X-Total is declared (without an example): Prism sends a value generated from its schema.
    let raw = out
        .raw_headers
        .get("x-total")
        .map(|v| v.to_str().expect("ASCII").to_owned());
    assert!(raw.is_some(), "Prism sends the declared X-Total header");
    assert_eq!(out.headers.x_total, raw);
}

/// The negative control: Prism really validates requests. Without `X-Auth-Token` (which the
/// spec requires through its security scheme) the same request is refused with 401 and a
/// violation; with it, it passes.
#[tokio::test]
async fn contract_prism_rejects_a_request_without_token() {
    let base = prism_or_skip!("contract_prism_rejects_a_request_without_token");
    let spec = spec().clone();
    let op = operation(&spec, "ShowRepositoryStatisticsStatus");
    let url = format!("{base}{}", fill_path(&op.path, &path_params(&spec, &op)));
    let http = plain_http();

    let refused = bounded("without token", http.get(&url).send())
        .await
        .expect("Prism answers");
    assert_eq!(refused.status().as_u16(), 401, "no X-Auth-Token");
    let v = violations(refused.headers()).expect("Prism reports the violation");
    assert!(v.contains("security"), "the violation names security: {v}");

    let accepted = bounded(
        "with token",
        http.get(&url).header("X-Auth-Token", TOKEN).send(),
    )
    .await
    .expect("Prism answers");
    assert_eq!(accepted.status().as_u16(), 200, "with X-Auth-Token");
    assert_eq!(violations(accepted.headers()), None);
}

/// The negative control for parameters: `repository_id` 0 is below the spec's minimum, so Prism
/// answers 422 naming the parameter; the client refuses to send it at all.
#[tokio::test]
async fn contract_prism_rejects_an_out_of_range_repository_id() {
    let base = prism_or_skip!("contract_prism_rejects_an_out_of_range_repository_id");
    let spec = spec().clone();
    let op = operation(&spec, "ShowRepositoryStatisticsStatus");
    let url = format!(
        "{base}{}",
        fill_path(&op.path, &BTreeMap::from([("repository_id".to_owned(), 0)]))
    );
    let http = plain_http();
    let refused = bounded(
        "repository_id 0",
        http.get(&url).header("X-Auth-Token", TOKEN).send(),
    )
    .await
    .expect("Prism answers");
    assert_eq!(refused.status().as_u16(), 422);
    let body = bounded("body", refused.text()).await.expect("a body");
    assert!(
        body.contains("repository_id"),
        "Prism names the parameter: {body}"
    );

    let client = client(&base, None);
    let error = bounded("client", client.show_repository_statistics_status(0))
        .await
        .expect_err("the client rejects repository_id 0");
    let invalid = error.invalid_input().expect("InvalidInput, nothing sent");
    assert_eq!(invalid.parameter(), "repository_id");
}
