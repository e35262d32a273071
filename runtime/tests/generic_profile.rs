//! The generic core alone: an API with no Huawei Cloud profile gets its endpoint
//! from the builder, the environment or its spec, and its credentials through its
//! security schemes, each sent where the scheme says. The only test of this
//! binary, as it changes the process environment.

#[path = "runtime_util/env.rs"]
mod env;

use codearts_runtime::{self as rt, Error};
use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::any};

static API: rt::Api = rt::Api::new("petstore-rust/1.0.0", "PETSTORE")
    .default_endpoint("https://petstore.example/v1")
    .security_schemes(&[
        rt::SecurityScheme {
            name: "header_key",
            kind: rt::SchemeKind::ApiKey {
                location: rt::ApiKeyLocation::Header,
                parameter: "X-Api-Key",
            },
        },
        rt::SecurityScheme {
            name: "query_key",
            kind: rt::SchemeKind::ApiKey {
                location: rt::ApiKeyLocation::Query,
                parameter: "api_key",
            },
        },
        rt::SecurityScheme {
            name: "cookie_key",
            kind: rt::SchemeKind::ApiKey {
                location: rt::ApiKeyLocation::Cookie,
                parameter: "session",
            },
        },
        rt::SecurityScheme {
            name: "oauth",
            kind: rt::SchemeKind::Bearer,
        },
        rt::SecurityScheme {
            name: "basic",
            kind: rt::SchemeKind::Basic,
        },
    ]);

/// What a generated crate for this API would define.
#[derive(Debug, Clone)]
struct Petstore(rt::Client);

impl rt::ApiClient for Petstore {
    const API: &'static rt::Api = &API;
    fn from_client(client: rt::Client) -> Result<Self, rt::Error> {
        Ok(Petstore(client))
    }
}

/// An API without security schemes or servers.
static BARE: rt::Api = rt::Api::new("bare-rust/0.1.0", "BARE");

#[derive(Debug)]
struct Bare(#[allow(dead_code)] rt::Client);

impl rt::ApiClient for Bare {
    const API: &'static rt::Api = &BARE;
    fn from_client(client: rt::Client) -> Result<Self, rt::Error> {
        Ok(Bare(client))
    }
}

const VARS: [&str; 7] = [
    "PETSTORE_ENDPOINT",
    "PETSTORE_TOKEN",
    "PETSTORE_API_KEY",
    "PETSTORE_USERNAME",
    "PETSTORE_PASSWORD",
    "BARE_ENDPOINT",
    "BARE_TOKEN",
];

fn set(vars: &[(&str, &str)]) {
    // SAFETY: this binary has one test, which sets variables only between calls that
    // read them, on its own thread; the runtime's worker threads read none.
    unsafe { env::replace_vars(&VARS, vars) }
}

fn builder() -> rt::ClientBuilder<Petstore> {
    rt::ClientBuilder::new()
}

/// The one request `client` sends to `server` (a fresh one for each call).
async fn sent(server: &MockServer, client: &Petstore) -> Request {
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(server)
        .await;
    let request = rt::OperationRequest::new("ListPets", rt::Method::GET, "/pets".to_owned());
    client.0.execute(request).await.expect("the call succeeds");
    let mut received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 1);
    received.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn invalid(error: &Error) -> &rt::InvalidInput {
    error.invalid_input().unwrap_or_else(|| panic!("{error:?}"))
}

#[test]
fn endpoint_and_credentials_follow_the_spec() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let server = runtime.block_on(MockServer::start());
    let uri = server.uri();

    // The endpoint: the spec's server when nothing else is given; the environment's
    // before it; the builder's before both.
    set(&[]);
    let client = builder().build().expect("builds");
    assert_eq!(client.0.endpoint(), "https://petstore.example/v1");
    set(&[("PETSTORE_ENDPOINT", "https://env.example/")]);
    assert_eq!(
        builder().build().expect("builds").0.endpoint(),
        "https://env.example"
    );
    assert_eq!(
        builder()
            .endpoint(&uri)
            .build()
            .expect("builds")
            .0
            .endpoint(),
        uri
    );
    assert_eq!(
        builder().no_env().build().expect("builds").0.endpoint(),
        "https://petstore.example/v1"
    );
    // An API with no server needs one, and says where to set it.
    set(&[]);
    let error = rt::ClientBuilder::<Bare>::new().build().unwrap_err();
    assert_eq!(invalid(&error).parameter(), "endpoint");
    assert!(error.to_string().contains("BARE_ENDPOINT"), "{error}");
    assert!(
        !error.to_string().contains("region"),
        "no Huawei Cloud advice: {error}"
    );

    // No credentials is allowed (operations may be public): nothing is sent.
    let client = builder().endpoint(&uri).build().expect("builds");
    let request = runtime.block_on(sent(&server, &client));
    for name in ["authorization", "x-api-key", "cookie"] {
        assert_eq!(header(&request, name), None, "{name}");
    }
    assert_eq!(request.url.query(), None);

    // Each scheme sends its credential where the spec says.
    let sent_header = |client: &Petstore, name: &str| -> Option<String> {
        header(&runtime.block_on(sent(&server, client)), name).map(str::to_owned)
    };
    let client = builder()
        .endpoint(&uri)
        .api_key_for("query_key", "qk&2")
        .build()
        .unwrap();
    let request = runtime.block_on(sent(&server, &client));
    assert_eq!(request.url.query(), Some("api_key=qk%262"));
    let in_headers = [
        (
            builder().api_key_for("header_key", "hk-1"),
            "x-api-key",
            "hk-1",
        ),
        (
            builder().api_key_for("cookie_key", "ck3"),
            "cookie",
            "session=ck3",
        ),
        (
            builder().bearer_token("bt-4"),
            "authorization",
            "Bearer bt-4",
        ),
        (
            builder().basic_auth("user", "pass"),
            "authorization",
            "Basic dXNlcjpwYXNz",
        ),
    ];
    for (with_credential, name, expected) in in_headers {
        let client = with_credential.endpoint(&uri).build().unwrap();
        assert_eq!(
            sent_header(&client, name).as_deref(),
            Some(expected),
            "{name}"
        );
    }
    let client = builder()
        .endpoint(&uri)
        .basic_auth("user", "pass")
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(
        debug.contains("basic") && !debug.contains("pass\""),
        "{debug}"
    );

    // Credentials the API has no scheme for, or that are ambiguous, are refused by
    // `build`, before anything is sent, naming the setting.
    let error = builder().endpoint(&uri).api_key("k").build().unwrap_err();
    assert_eq!(invalid(&error).parameter(), "api_key");
    assert!(error.to_string().contains("api_key_for"), "{error}");
    let error = builder()
        .endpoint(&uri)
        .api_key_for("nope", "k")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("\"nope\""), "{error}");
    let error = rt::ClientBuilder::<Bare>::new()
        .endpoint(&uri)
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert_eq!(invalid(&error).parameter(), "bearer_token");
    let error = builder()
        .endpoint(&uri)
        .bearer_token("two words")
        .build()
        .unwrap_err();
    assert!(!error.to_string().contains("two words"), "{error}");

    // From the environment: a token is the bearer token, else the key, user and password.
    set(&[("PETSTORE_TOKEN", "env-token")]);
    let client = builder().endpoint(&uri).build().unwrap();
    assert_eq!(
        sent_header(&client, "authorization").as_deref(),
        Some("Bearer env-token")
    );
    set(&[("PETSTORE_USERNAME", "u"), ("PETSTORE_PASSWORD", "p")]);
    let client = builder().endpoint(&uri).build().unwrap();
    assert_eq!(
        sent_header(&client, "authorization").as_deref(),
        Some("Basic dTpw")
    );
    set(&[("PETSTORE_USERNAME", "u")]);
    let error = builder().endpoint(&uri).build().unwrap_err();
    assert!(error.to_string().contains("PETSTORE_PASSWORD"), "{error}");
    // ... and not when told so.
    set(&[("PETSTORE_TOKEN", "env-token")]);
    let client = builder()
        .endpoint(&uri)
        .no_env_credentials()
        .build()
        .unwrap();
    assert_eq!(sent_header(&client, "authorization"), None);
    // An API without schemes cannot use a token from the environment, and says so.
    set(&[("BARE_TOKEN", "t")]);
    let error = rt::ClientBuilder::<Bare>::new()
        .endpoint(&uri)
        .build()
        .unwrap_err();
    assert_eq!(invalid(&error).parameter(), "BARE_TOKEN");
    set(&[]);

    // A key sent in the query never shows in a transport error (reqwest's carry the URL).
    let client = builder()
        .endpoint("http://127.0.0.1:1")
        .api_key_for("query_key", "qk-secret-value")
        .disable_retries()
        .build()
        .unwrap();
    let request = rt::OperationRequest::new("ListPets", rt::Method::GET, "/pets".to_owned());
    let error = runtime.block_on(client.0.execute(request)).unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(error.transport().is_some(), "{error:?}");
    assert!(!shown.contains("qk-secret-value"), "{shown}");
}
