//! Types the generator makes from schema shapes real specs use, over real HTTP: the
//! `wrappers` fixture (`fixtures/ok/wrappers.yaml`) compiled with its own runtime, calling
//! wiremock on 127.0.0.1. An enum made of `oneOf` alternatives is a scalar, so it is a query
//! parameter, sent as its exact value; a response of wrapper schemas decodes.

use std::time::Duration;

use codearts_repo_tests::wrappers::generated::client::Client;
use codearts_repo_tests::wrappers::generated::types::{DigestType, NameOrIdSortMode};
use serde_json::json;

mod support;
use support::mock_server::{json_answer, received, server_answering};

#[tokio::test]
async fn an_enum_of_alternatives_is_sent_as_its_value_and_wrappers_decode() {
    let server = server_answering(json_answer(
        200,
        &json!({
            "digest": {"type": "sha256", "value": "ab"},
            "previous": {"type": "sha256", "value": "cd"},
            "size": {"bytes": 12}
        }),
    ))
    .await;
    let client = Client::builder()
        .endpoint(server.uri())
        .no_env_credentials()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("the client builds");
    let project = client
        .list_projects()
        .sort_by(NameOrIdSortMode::NameDescending)
        .await
        .expect("the call succeeds")
        .body;
    assert_eq!(project.digest.r#type, DigestType::Sha256);
    assert_eq!(
        project.previous.map(|digest| digest.value).as_deref(),
        Some("cd")
    );
    assert_eq!(project.size.and_then(|size| size.bytes), Some(12));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/projects");
    assert_eq!(requests[0].url.query(), Some("sort_by=name_descending"));
}
