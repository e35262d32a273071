//! What generated operations send for every kind of parameter, over real HTTP: the
//! `operations` fixture (`fixtures/ok/operations.yaml`) compiled with its own runtime, calling
//! wiremock on 127.0.0.1. Required and optional query scalars, enums, numbers, exploded and
//! comma-joined arrays, scalar and array headers, path segments and JSON bodies; and the checks
//! that refuse a bad value before anything is sent.

use std::time::Duration;

use codearts_repo_tests::operations::generated::client::Client;
use codearts_repo_tests::operations::generated::types::{CreateBranchRequestBody, Sort};
use codearts_runtime::{Error, OperationError};
use wiremock::{MockServer, ResponseTemplate};

mod support;
use support::mock_server::{header, invalid_parameter, received, server_answering};

/// A server answering every request with 200 and an empty JSON list.
async fn server() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_raw("[]", "application/json")).await
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .endpoint(server.uri())
        .api_key("fixture-token")
        .no_env_credentials()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("the client builds")
}
#[tokio::test]
async fn optional_parameters_left_unset_send_nothing() {
    let server = server().await;
    client(&server)
        .list_branches(7)
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/v4/repositories/7/branches");
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(header(&requests[0], "X-Trace"), None);
}

#[tokio::test]
async fn every_optional_query_and_header_parameter_is_sent_as_documented() {
    let server = server().await;
    client(&server)
        .list_branches(7)
        .page(2)
        .per_page(50)
        .search("a b&c=d/é")
        .sort(Sort::Desc)
        .ids(vec![1, 2, 3])
        .names(vec!["x".into(), "y,z".into()])
        .x_trace("trace-1")
        .ratio(0.25)
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some(
            "page=2&per_page=50&search=a%20b%26c%3Dd%2F%C3%A9&sort=desc&ids=1&ids=2&ids=3\
             &names=x%2Cy%2Cz&ratio=0.25"
        )
    );
    assert_eq!(header(&requests[0], "X-Trace"), Some("trace-1"));
    // An enum value the spec does not list goes out as it was given.
    client(&server)
        .list_branches(7)
        .sort(Sort::Unknown("newest".into()))
        .names(Vec::new())
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(requests[1].url.query(), Some("sort=newest&names="));
}

#[tokio::test]
async fn required_arrays_and_headers_and_numbers_are_sent_as_documented() {
    let server = server().await;
    client(&server)
        .search_branches(
            9,
            "needle".into(),
            vec!["t1".into(), "t2".into()],
            vec![0, 9],
            3,
        )
        .x_flags(vec!["f1".into(), "f2".into()])
        .weight(0.75)
        .offset(12)
        .ranks(vec![-4, 5])
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(requests[0].url.path(), "/v4/repositories/9/branch-search");
    assert_eq!(
        requests[0].url.query(),
        Some("q=needle&tags=t1&tags=t2&levels=0%2C9&weight=0.75&offset=12&ranks=-4&ranks=5")
    );
    assert_eq!(header(&requests[0], "X-Flags"), Some("f1,f2"));
    assert_eq!(header(&requests[0], "X-Depth"), Some("3"));
}

#[tokio::test]
async fn path_segments_and_json_bodies_are_sent_as_documented() {
    // Both operations document an object (not the list `server()` answers with).
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw("{}", "application/json")).await;
    let client = client(&server);
    client
        .delete_branch(7, "feature/a b".into())
        .await
        .expect("deleted");
    client
        .create_branch(7, CreateBranchRequestBody::new("dev".into(), "main".into()))
        .await
        .expect("the call succeeds");
    let requests = received(&server).await;
    assert_eq!(requests[0].method.as_str(), "DELETE");
    assert_eq!(
        requests[0].url.path(),
        "/v4/repositories/7/branches/feature%2Fa%20b"
    );
    assert_eq!(requests[1].method.as_str(), "POST");
    let body: serde_json::Value = serde_json::from_slice(&requests[1].body).expect("JSON body");
    assert_eq!(
        body,
        serde_json::json!({"branch_name": "dev", "ref": "main"})
    );
    assert_eq!(
        header(&requests[1], "Content-Type"),
        Some("application/json")
    );
}

#[tokio::test]
async fn values_outside_the_documented_constraints_are_refused_before_sending() {
    let server = server().await;
    let client = client(&server);
    let search = |q: &str, tags: &[&str], levels: Vec<i64>, depth: i64| {
        let tags = tags.iter().map(|tag| tag.to_string()).collect();
        client.search_branches(1, q.to_owned(), tags, levels, depth)
    };
    // Valid required parameters, for the cases that set one bad optional parameter.
    let valid = || search("q", &["t"], vec![], 1);
    let cases: Vec<(&str, Result<(), Error>)> = vec![
        ("repository_id", unit(client.list_branches(0).await)),
        ("page", unit(client.list_branches(1).page(1001).await)),
        ("per_page", unit(client.list_branches(1).per_page(0).await)),
        ("search", unit(client.list_branches(1).search("").await)),
        (
            "ids",
            unit(client.list_branches(1).ids(vec![1, 2, 3, 4]).await),
        ),
        ("ratio", unit(client.list_branches(1).ratio(1.5).await)),
        ("q", unit(search("", &["t"], vec![], 1).await)),
        ("tags", unit(search("q", &[], vec![], 1).await)),
        ("tags", unit(search("q", &["123456789"], vec![], 1).await)),
        ("levels", unit(search("q", &["t"], vec![3, 10], 1).await)),
        ("X-Depth", unit(search("q", &["t"], vec![], 0).await)),
        ("weight", unit(valid().weight(0.25).await)),
        ("offset", unit(valid().offset(0).await)),
        ("ranks", unit(valid().ranks(vec![1, 2, 3]).await)),
        ("ranks", unit(valid().ranks(vec![6]).await)),
        (
            "ranks",
            unit(valid().ranks(vec![i64::from(i32::MIN) - 1]).await),
        ),
        (
            "X-Flags",
            unit(valid().x_flags(vec!["bad\nvalue".into()]).await),
        ),
        (
            "branch_name",
            unit(client.delete_branch(1, "x".repeat(201)).await),
        ),
    ];
    for (parameter, result) in cases {
        let error = result.expect_err(parameter);
        assert_eq!(
            invalid_parameter(&error).as_deref(),
            Some(parameter),
            "{error}"
        );
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

/// A call's outcome with the operation's type erased, so that calls of several operations
/// fit one list.
fn unit<T, E>(result: Result<T, OperationError<E>>) -> Result<(), Error> {
    result.map(drop).map_err(Error::from)
}
