//! The credential chain's environment step. The only test of this binary, as
//! it changes the process environment.

mod runtime_util;

use codearts_runtime::Error;
use runtime_util::*;
use wiremock::ResponseTemplate;

const VARS: [&str; 7] = [
    "CODEARTS_ENDPOINT",
    "CODEARTS_REGION",
    "CODEARTS_TOKEN",
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
];

fn set(vars: &[(&str, &str)]) {
    // SAFETY: this binary has one test, run on the main test thread before
    // any other thread of it reads the environment (the runtime below is
    // created after, and wiremock reads no variables).
    unsafe { env::replace_vars(&VARS, vars) }
}

#[test]
fn credentials_come_from_the_environment_unless_disabled() {
    // Only one of AK and SK: a configuration error naming the variables.
    set(&[("HUAWEICLOUD_SDK_AK", "AKIDFROMENV00000")]);
    let error = Client::builder()
        .endpoint("http://127.0.0.1:1")
        .build()
        .unwrap_err();
    let Error::InvalidInput(invalid) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.parameter(), "environment");
    assert!(error.to_string().contains("HUAWEICLOUD_SDK_SK"), "{error}");

    // Nothing set: "no credentials".
    set(&[]);
    let error = Client::builder()
        .endpoint("http://127.0.0.1:1")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("no credentials"), "{error}");

    // AK, SK, security token: requests are signed and carry the token.
    set(&[
        ("HUAWEICLOUD_SDK_AK", "AKIDFROMENV00000"),
        ("HUAWEICLOUD_SDK_SK", "sk-from-env-very-secret"),
        (
            "HUAWEICLOUD_SDK_SECURITY_TOKEN",
            "sts-token-from-env-secret",
        ),
    ]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = repository_server().await;
        let client = Client::builder().endpoint(server.uri()).build().unwrap();
        let debug = format!("{client:?}");
        assert!(
            !debug.contains("sk-from-env") && !debug.contains("sts-token"),
            "{debug}"
        );
        show_repository(&client, 1).await.unwrap();
        let request = only_request(&server).await;
        let authorization = header_text(&request, "authorization");
        assert!(
            authorization.starts_with("SDK-HMAC-SHA256 Access=AKIDFROMENV00000,"),
            "{authorization}"
        );
        assert_eq!(
            request.headers.get("x-security-token").unwrap(),
            "sts-token-from-env-secret"
        );
        assert!(request.headers.get("x-auth-token").is_none());

        // Explicit credentials win over the environment.
        let client = builder(&server.uri()).build().unwrap();
        show_repository(&client, 1).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[1].headers.get("x-auth-token").unwrap(), TOKEN);
        assert!(requests[1].headers.get("authorization").is_none());

        // An echoed security token is scrubbed like an IAM token.
        let echo = answering(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "error_code": "IAM.0002",
            "error_msg": "bad security token sts-token-from-env-secret",
        })))
        .await;
        let client = Client::builder().endpoint(echo.uri()).build().unwrap();
        let error = show_repository(&client, 1).await.unwrap_err();
        let rendered = renderings(&error);
        assert!(
            !rendered.contains("sts-token-from-env-secret"),
            "{rendered}"
        );
        assert!(
            rendered.contains("bad security token <redacted>"),
            "{rendered}"
        );
    });

    // `no_env_credentials` ignores the environment.
    let error = Client::builder()
        .endpoint("http://127.0.0.1:1")
        .no_env_credentials()
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("no credentials"), "{error}");

    // `Client::from_env`: the endpoint and a token from CODEARTS_*, which wins over AK/SK.
    runtime.block_on(async {
        let server = repository_server().await;
        set(&[
            ("CODEARTS_ENDPOINT", server.uri().as_str()),
            ("CODEARTS_REGION", "cn-north-4"),
            ("CODEARTS_TOKEN", TOKEN),
            ("HUAWEICLOUD_SDK_AK", "AKIDFROMENV00000"),
            ("HUAWEICLOUD_SDK_SK", "sk-from-env-very-secret"),
        ]);
        let client = Client::from_env().unwrap();
        assert_eq!(client.endpoint(), server.uri());
        show_repository(&client, 1).await.unwrap();
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests[0].headers.get("x-auth-token").unwrap(), TOKEN);
        assert!(requests[0].headers.get("authorization").is_none());

        // Without CODEARTS_TOKEN, the access key signs.
        set(&[
            ("CODEARTS_ENDPOINT", server.uri().as_str()),
            ("HUAWEICLOUD_SDK_AK", "AKIDFROMENV00000"),
            ("HUAWEICLOUD_SDK_SK", "sk-from-env-very-secret"),
        ]);
        show_repository(&Client::from_env().unwrap(), 1)
            .await
            .unwrap();
        let requests = server.received_requests().await.unwrap();
        let authorization = requests[1].headers.get("authorization").unwrap();
        assert!(
            authorization
                .to_str()
                .unwrap()
                .starts_with("SDK-HMAC-SHA256 Access=AKIDFROMENV00000,"),
            "{authorization:?}"
        );
        assert!(requests[1].headers.get("x-auth-token").is_none());
    });

    // CODEARTS_REGION names the region's endpoint; a bad one is a located error.
    set(&[("CODEARTS_REGION", "cn-north-4"), ("CODEARTS_TOKEN", TOKEN)]);
    let client = Client::from_env().unwrap();
    assert_eq!(
        client.region(),
        Some(codearts_runtime::huaweicloud::Region::CnNorth4)
    );
    set(&[
        ("CODEARTS_REGION", "xx-nowhere-9"),
        ("CODEARTS_TOKEN", TOKEN),
    ]);
    let error = Client::from_env().unwrap_err();
    assert_eq!(
        error.invalid_input().unwrap().parameter(),
        "CODEARTS_REGION"
    );
    // An explicit endpoint wins; `no_env` reads nothing at all.
    let client = Client::builder()
        .endpoint("https://codehub.example")
        .build()
        .unwrap();
    assert_eq!(client.endpoint(), "https://codehub.example");
    let error = Client::builder().no_env().build().unwrap_err();
    assert!(error.to_string().contains("no endpoint"), "{error}");
    set(&[]);
}
