//! Contract tests of generated clients of real public specs: each spec of `tests/corpus/`
//! (see its SOURCES.md) is generated and compiled by the test library (`build.rs`), and here
//! its client calls every operation of the spec against Stoplight Prism mocking the same spec.
//!
//! `.ci/contract.sh` (or `cargo xtask contract`) starts one Prism per corpus spec on 127.0.0.1
//! (`prism mock --errors`: a request that violates the spec gets an error and an
//! `sl-violations` header) and sets `CODEARTS_PRISM_URL_<STEM>`. For each operation the test
//! asserts that Prism found the request valid, that the status is the documented one, and that
//! the typed body holds what Prism sent (read again as plain JSON with a plain HTTP client).
//! Each test also checks that it called every operation the spec has, so a spec edit that adds
//! an operation fails here until the operation is called.
//!
//! Without Prism the tests print "SKIPPED" and return; under `CI=true` they fail.

use std::collections::BTreeSet;
use std::future::IntoFuture;
use std::time::Duration;

use codearts_repo_tests::corpus::{api_with_examples, link_example, petstore, petstore_expanded};
use codearts_runtime::{ApiClient, ClientBuilder, Response};
use serde_json::Value;

mod support;
use support::prism::{prefer_status, prism_url, violations};

/// The limit of one call (one HTTP exchange with Prism on loopback).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The base URL of the Prism that mocks `tests/corpus/<stem>.yaml`, or a skip.
macro_rules! prism_or_skip {
    ($stem:literal, $test:literal) => {
        match prism_url(
            &format!("CODEARTS_PRISM_URL_{}", $stem.to_ascii_uppercase()),
            $test,
        ) {
            Some(url) => url,
            None => return,
        }
    };
}

/// The operation ids of `tests/corpus/<stem>.yaml`.
fn spec_operations(stem: &str) -> BTreeSet<String> {
    let path = format!("{}/corpus/{stem}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut ids = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("the spec has paths") {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                let id = op["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// A client of type `C` for the Prism at `base`, sending `Prefer: code=<status>` when a status
/// is given (Prism then answers with that documented status).
fn client<C: ApiClient>(base: &str, status: Option<u16>) -> C {
    let headers = prefer_status(status);
    ClientBuilder::<C>::new()
        .endpoint(base)
        .no_env()
        .disable_retries()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .configure_http_client(move |http| http.default_headers(headers.clone()).no_proxy())
        .build()
        .expect("a client for Prism")
}

/// What Prism answers to a plain request (no generated code involved): the status and the
/// body as JSON (`Null` when empty). Prism's answers are generated statically from the spec,
/// so the same request gets the same answer.
async fn plain(method: reqwest::Method, url: &str, body: Option<Value>) -> (u16, Value) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("reqwest client");
    let mut request = http.request(method, url);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = tokio::time::timeout(CALL_TIMEOUT, request.send())
        .await
        .unwrap_or_else(|_| panic!("{url}: no answer within {CALL_TIMEOUT:?}"))
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let status = response.status().as_u16();
    assert_eq!(violations(response.headers()), None, "{url}");
    let bytes = response.bytes().await.expect("a body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{url}: not JSON: {e}"))
    };
    (status, body)
}

/// The operations a test called, checked against the spec's at the end.
struct Called {
    stem: &'static str,
    ids: BTreeSet<String>,
}

impl Called {
    fn new(stem: &'static str) -> Self {
        Called {
            stem,
            ids: BTreeSet::new(),
        }
    }

    /// Awaits the call of `operation_id`: it must succeed with `status`, to a request Prism
    /// found valid.
    async fn ok<B, H, E: std::fmt::Display>(
        &mut self,
        operation_id: &str,
        status: u16,
        call: impl IntoFuture<Output = Result<Response<B, H>, E>>,
    ) -> Response<B, H> {
        self.ids.insert(operation_id.to_owned());
        let out = tokio::time::timeout(CALL_TIMEOUT, call.into_future())
            .await
            .unwrap_or_else(|_| panic!("{operation_id}: no answer within {CALL_TIMEOUT:?}"))
            .unwrap_or_else(|e| panic!("{operation_id} failed: {e}"));
        assert_eq!(out.status.as_u16(), status, "{operation_id}");
        assert_eq!(violations(&out.raw_headers), None, "{operation_id}");
        out
    }

    /// Every operation of the spec was called.
    fn all(self) {
        assert_eq!(
            self.ids,
            spec_operations(self.stem),
            "the operations called against tests/corpus/{}.yaml",
            self.stem
        );
    }
}

fn str_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

#[tokio::test]
async fn petstore_every_operation_against_prism() {
    use petstore::generated::{client::Client, operation::list_pets::ListPetsError, types};
    let base = prism_or_skip!("petstore", "petstore_every_operation_against_prism");
    let api: Client = client(&base, None);
    let mut called = Called::new("petstore");

    let pets = called.ok("listPets", 200, api.list_pets().limit(20)).await;
    let (_, raw) = plain(reqwest::Method::GET, &format!("{base}/pets?limit=20"), None).await;
    let raw = raw.as_array().expect("Prism answers an array of pets");
    assert_eq!(pets.body.len(), raw.len());
    assert!(!pets.body.is_empty(), "Prism's example list is not empty");
    for (pet, raw) in pets.body.iter().zip(raw) {
        assert_eq!(Some(pet.id), raw["id"].as_i64());
        assert_eq!(Some(pet.name.as_str()), str_of(raw, "name"));
        assert_eq!(pet.tag.as_deref(), str_of(raw, "tag"));
    }
    // The documented `x-next` header, typed.
    assert_eq!(
        pets.headers.x_next.as_deref(),
        pets.raw_headers.get("x-next").and_then(|v| v.to_str().ok())
    );
    assert!(
        pets.headers.x_next.is_some(),
        "Prism sends the documented x-next"
    );

    let pet = types::Pet::new(7, "Rex".to_owned());
    called.ok("createPets", 201, api.create_pets(pet)).await;

    let shown = called
        .ok("showPetById", 200, api.show_pet_by_id("7".to_owned()))
        .await;
    let (_, raw) = plain(reqwest::Method::GET, &format!("{base}/pets/7"), None).await;
    assert_eq!(Some(shown.body.id), raw["id"].as_i64());
    assert_eq!(Some(shown.body.name.as_str()), str_of(&raw, "name"));

    // The `default` response is the documented error: decoded into the spec's `Error`.
    let failing: Client = client(&base, Some(500));
    let error = tokio::time::timeout(CALL_TIMEOUT, failing.list_pets().into_future())
        .await
        .expect("an answer")
        .expect_err("Prism answers 500 when asked");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    match error.documented() {
        Some(ListPetsError::Default(body)) => {
            assert!(!body.message.is_empty(), "the error's message: {body:?}");
        }
        other => panic!("the default response is documented: {other:?}"),
    }

    called.all();
}

#[tokio::test]
async fn petstore_expanded_every_operation_against_prism() {
    use petstore_expanded::generated::{client::Client, types};
    let base = prism_or_skip!(
        "petstore_expanded",
        "petstore_expanded_every_operation_against_prism"
    );
    let api: Client = client(&base, None);
    let mut called = Called::new("petstore_expanded");

    // `tags` is an exploded array: Prism validates the query it receives.
    let found = called
        .ok(
            "findPets",
            200,
            api.find_pets()
                .tags(vec!["dog".to_owned(), "cat".to_owned()])
                .limit(5),
        )
        .await;
    let (_, raw) = plain(
        reqwest::Method::GET,
        &format!("{base}/pets?tags=dog&tags=cat&limit=5"),
        None,
    )
    .await;
    let raw = raw.as_array().expect("an array of pets");
    assert_eq!(found.body.len(), raw.len());
    for (pet, raw) in found.body.iter().zip(raw) {
        assert_eq!(Some(pet.id), raw["id"].as_i64());
        assert_eq!(Some(pet.name.as_str()), str_of(raw, "name"));
    }

    let mut new_pet = types::NewPet::new("Rex".to_owned());
    new_pet.tag = Some("dog".to_owned());
    let added = called.ok("addPet", 200, api.add_pet(new_pet)).await;
    let (_, raw) = plain(
        reqwest::Method::POST,
        &format!("{base}/pets"),
        Some(serde_json::json!({"name": "Rex", "tag": "dog"})),
    )
    .await;
    assert_eq!(Some(added.body.id), raw["id"].as_i64());
    assert_eq!(Some(added.body.name.as_str()), str_of(&raw, "name"));

    let one = called
        .ok("find pet by id", 200, api.find_pet_by_id(3))
        .await;
    let (_, raw) = plain(reqwest::Method::GET, &format!("{base}/pets/3"), None).await;
    assert_eq!(Some(one.body.id), raw["id"].as_i64());

    called.ok("deletePet", 204, api.delete_pet(3)).await;

    called.all();
}

#[tokio::test]
async fn link_example_every_operation_against_prism() {
    use link_example::generated::{client::Client, types};
    let base = prism_or_skip!("link_example", "link_example_every_operation_against_prism");
    let api: Client = client(&base, None);
    let mut called = Called::new("link_example");

    let user = called
        .ok(
            "getUserByName",
            200,
            api.get_user_by_name("alice".to_owned()),
        )
        .await;
    let (_, raw) = plain(
        reqwest::Method::GET,
        &format!("{base}/2.0/users/alice"),
        None,
    )
    .await;
    assert_eq!(user.body.username.as_deref(), str_of(&raw, "username"));
    assert_eq!(user.body.uuid.as_deref(), str_of(&raw, "uuid"));
    assert!(user.body.username.is_some());

    let repositories = called
        .ok(
            "getRepositoriesByOwner",
            200,
            api.get_repositories_by_owner("alice".to_owned()),
        )
        .await;
    let (_, raw) = plain(
        reqwest::Method::GET,
        &format!("{base}/2.0/repositories/alice"),
        None,
    )
    .await;
    let raw = raw.as_array().expect("an array of repositories");
    assert_eq!(repositories.body.len(), raw.len());
    for (repository, raw) in repositories.body.iter().zip(raw) {
        assert_eq!(repository.slug.as_deref(), str_of(raw, "slug"));
        assert_eq!(
            repository
                .owner
                .as_ref()
                .and_then(|owner| owner.username.as_deref()),
            raw.get("owner").and_then(|owner| str_of(owner, "username"))
        );
    }

    let repository = called
        .ok(
            "getRepository",
            200,
            api.get_repository("alice".to_owned(), "tools".to_owned()),
        )
        .await;
    assert!(repository.body.slug.is_some());

    let pull_requests = called
        .ok(
            "getPullRequestsByRepository",
            200,
            api.get_pull_requests_by_repository("alice".to_owned(), "tools".to_owned())
                .state(types::GetPullRequestsByRepositoryState::Merged),
        )
        .await;
    let (_, raw) = plain(
        reqwest::Method::GET,
        &format!("{base}/2.0/repositories/alice/tools/pullrequests?state=merged"),
        None,
    )
    .await;
    let raw = raw.as_array().expect("an array of pull requests");
    assert_eq!(pull_requests.body.len(), raw.len());
    for (pull_request, raw) in pull_requests.body.iter().zip(raw) {
        assert_eq!(pull_request.id, raw["id"].as_i64());
        assert_eq!(pull_request.title.as_deref(), str_of(raw, "title"));
    }

    let pull_request = called
        .ok(
            "getPullRequestsById",
            200,
            api.get_pull_requests_by_id("alice".to_owned(), "tools".to_owned(), "12".to_owned()),
        )
        .await;
    assert!(pull_request.body.id.is_some());

    called
        .ok(
            "mergePullRequest",
            204,
            api.merge_pull_request("alice".to_owned(), "tools".to_owned(), "12".to_owned()),
        )
        .await;

    called.all();
}

#[tokio::test]
async fn api_with_examples_every_operation_against_prism() {
    use api_with_examples::generated::client::Client;
    let base = prism_or_skip!(
        "api_with_examples",
        "api_with_examples_every_operation_against_prism"
    );
    let api: Client = client(&base, None);
    let mut called = Called::new("api_with_examples");

    // The bodies are untyped in the spec (examples only): the client hands them over as
    // JSON, which must be exactly what Prism sent (the spec's examples).
    let versions = called
        .ok("listVersionsv2", 200, api.list_versionsv2())
        .await;
    let (_, raw) = plain(reqwest::Method::GET, &format!("{base}/"), None).await;
    assert_eq!(versions.body, raw);
    assert!(versions.body["versions"].is_array(), "{:?}", versions.body);

    let details = called
        .ok("getVersionDetailsv2", 200, api.get_version_detailsv2())
        .await;
    let (_, raw) = plain(reqwest::Method::GET, &format!("{base}/v2"), None).await;
    assert_eq!(details.body, raw);
    assert!(details.body["version"].is_object(), "{:?}", details.body);

    called.all();
}
