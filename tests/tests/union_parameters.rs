//! What generated operations send for `oneOf`/`anyOf` parameters, over real HTTP: the
//! `union_parameters` fixture (`fixtures/ok/union_parameters.yaml`) compiled with its own
//! runtime, calling wiremock on 127.0.0.1. Each value goes out as the variant it holds, in its
//! parameter's style: a path segment (`simple`), a query pair per item (`form`, exploded) or one
//! comma-joined pair (`explode: false`), a header (`simple`, a list joined with commas). A value
//! no style can write is refused before anything is sent.

use std::time::Duration;

use codearts_repo_tests::union_parameters::generated::client::Client;
use codearts_repo_tests::union_parameters::generated::types::{
    ListThingsId, ListThingsTag, ListThingsXLevels, ListWorkflowRunsStatus,
    ListWorkflowRunsStatusVariant1, ListWorkflowRunsWorkflowId, NameOrId, NameOrIdSortMode,
};
use codearts_runtime::{Error, OperationError};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

mod support;
use support::mock_server::{header, received, server_answering};

async fn server() -> MockServer {
    server_answering(ResponseTemplate::new(204)).await
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .endpoint(server.uri())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("the client builds")
}
/// The path and query of every request `server` received, in order.
async fn targets(server: &MockServer) -> Vec<(String, Option<String>)> {
    received(server)
        .await
        .iter()
        .map(|request| {
            (
                request.url.path().to_owned(),
                request.url.query().map(str::to_owned),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_path_union_is_the_segment_of_the_variant_it_holds() {
    let server = server().await;
    let client = client(&server);
    client
        .list_workflow_runs(ListWorkflowRunsWorkflowId::Integer(42))
        .await
        .expect("an integer id");
    client
        .list_workflow_runs(ListWorkflowRunsWorkflowId::String("ci build/1.yml".into()))
        .status(ListWorkflowRunsStatus::Integer(3))
        .await
        .expect("a file name");
    client
        .list_workflow_runs(ListWorkflowRunsWorkflowId::Unknown(json!("raw")))
        .status(ListWorkflowRunsStatus::ListWorkflowRunsStatusVariant1(
            ListWorkflowRunsStatusVariant1::Done,
        ))
        .await
        .expect("a value kept as received is sent as it is");
    client
        .show_project(NameOrId::String(
            "3f2c0d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f".into(),
        ))
        .sort_by(NameOrIdSortMode::NameDescending)
        .x_selector(NameOrId::Name("web-1".into()))
        .await
        .expect("a uuid");
    let requests = received(&server).await;
    assert_eq!(
        targets(&server).await,
        [
            ("/workflows/42/runs".to_owned(), None),
            (
                "/workflows/ci%20build%2F1.yml/runs".to_owned(),
                Some("status=3".to_owned())
            ),
            (
                "/workflows/raw/runs".to_owned(),
                Some("status=done".to_owned())
            ),
            (
                "/projects/3f2c0d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f".to_owned(),
                Some("sort_by=name_descending".to_owned())
            ),
        ]
    );
    assert_eq!(header(&requests[3], "X-Selector"), Some("web-1"));
    assert_eq!(header(&requests[0], "X-Selector"), None);
}

#[tokio::test]
async fn a_query_list_repeats_its_key_when_exploded_and_is_joined_when_not() {
    let server = server().await;
    let client = client(&server);
    client
        .list_things(ListThingsId::Array(vec!["a".into(), "b c&d".into()]))
        .tag(ListThingsTag::Array(vec!["x".into(), "y,z".into()]))
        .owners(vec![
            NameOrId::String("u-1".into()),
            NameOrId::Name("n".into()),
        ])
        .await
        .expect("lists");
    client
        .list_things(ListThingsId::String("one".into()))
        .tag(ListThingsTag::String("t".into()))
        .await
        .expect("scalars");
    // Empty lists: no pair when exploded, one empty pair when joined (as for plain arrays).
    client
        .list_things(ListThingsId::Array(Vec::new()))
        .tag(ListThingsTag::Array(Vec::new()))
        .owners(Vec::new())
        .await
        .expect("empty lists");
    assert_eq!(
        targets(&server).await,
        [
            (
                "/things".to_owned(),
                Some("id=a&id=b%20c%26d&tag=x%2Cy%2Cz&owners=u-1&owners=n".to_owned())
            ),
            ("/things".to_owned(), Some("id=one&tag=t".to_owned())),
            ("/things".to_owned(), Some("tag=".to_owned())),
        ]
    );
}

#[tokio::test]
async fn a_header_union_is_one_header_and_a_list_is_joined_with_commas() {
    let server = server().await;
    let client = client(&server);
    client
        .list_things(ListThingsId::String("a".into()))
        .x_levels(ListThingsXLevels::Array(vec![1, -2, 3]))
        .await
        .expect("a list");
    client
        .list_things(ListThingsId::String("a".into()))
        .x_levels(ListThingsXLevels::Integer(7))
        .await
        .expect("a scalar");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "X-Levels"), Some("1,-2,3"));
    assert_eq!(header(&requests[1], "X-Levels"), Some("7"));
    assert_eq!(requests[0].headers.get_all("X-Levels").iter().count(), 1);
}

#[tokio::test]
async fn a_union_value_no_style_can_write_is_refused_before_sending() {
    let server = server().await;
    let client = client(&server);
    let run = |id: ListWorkflowRunsWorkflowId| client.list_workflow_runs(id);
    let things = || client.list_things(ListThingsId::String("a".into()));
    let cases: Vec<(&str, &str, Result<(), Error>)> = vec![
        (
            "workflow_id",
            "must not be empty",
            unit(run(ListWorkflowRunsWorkflowId::String(String::new())).await),
        ),
        (
            "workflow_id",
            "must not be `.` or `..`",
            unit(run(ListWorkflowRunsWorkflowId::String("..".into())).await),
        ),
        (
            "workflow_id",
            "holds a list",
            unit(run(ListWorkflowRunsWorkflowId::Unknown(json!(["a", "b"]))).await),
        ),
        (
            "workflow_id",
            "holds an object",
            unit(run(ListWorkflowRunsWorkflowId::Unknown(json!({"a": 1}))).await),
        ),
        (
            "status",
            "holds null",
            unit(
                run(ListWorkflowRunsWorkflowId::Integer(1))
                    .status(ListWorkflowRunsStatus::Unknown(json!(null)))
                    .await,
            ),
        ),
        (
            "id",
            "nested list",
            unit(
                client
                    .list_things(ListThingsId::Unknown(json!([["a"]])))
                    .await,
            ),
        ),
        (
            "owners",
            "at most 3 items",
            unit(things().owners(vec![NameOrId::Name("n".into()); 4]).await),
        ),
        (
            "owners",
            "nested list",
            unit(things().owners(vec![NameOrId::Unknown(json!(["a"]))]).await),
        ),
        (
            "X-Selector",
            "a line break",
            unit(
                client
                    .show_project(NameOrId::Name("p".into()))
                    .x_selector(NameOrId::String("bad\r\nX-Injected: 1".into()))
                    .await,
            ),
        ),
        (
            "X-Levels",
            "holds an object",
            unit(
                things()
                    .x_levels(ListThingsXLevels::Unknown(json!({"a": 1})))
                    .await,
            ),
        ),
    ];
    for (parameter, reason, result) in cases {
        let error = result.expect_err(parameter);
        let Error::InvalidInput(invalid) = &error else {
            panic!("{parameter}: not an invalid-input error: {error}");
        };
        assert_eq!(invalid.parameter(), parameter, "{error}");
        assert!(error.to_string().contains(reason), "{parameter}: {error}");
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

/// A call's outcome with the operation's type erased, so that calls of several operations
/// fit one list.
fn unit<T, E>(result: Result<T, OperationError<E>>) -> Result<(), Error> {
    result.map(drop).map_err(Error::from)
}
