//! The client crate's examples (`generated-client/examples/show_repository.rs` and
//! `show_repository_statistics_status.rs`) run as processes against wiremock servers on
//! 127.0.0.1, configured the documented way (`CODEARTS_ENDPOINT`, `CODEARTS_REGION`,
//! `CODEARTS_TOKEN`, else `HUAWEICLOUD_SDK_AK` / `HUAWEICLOUD_SDK_SK`).
//!
//! The examples are also binaries of this package (see its Cargo.toml), so `cargo test`
//! builds them before any test runs and hands their paths over as `CARGO_BIN_EXE_<name>`:
//! no test builds anything. Every process is waited for with a generous bound, only so that
//! a hung example fails its test instead of the whole run; it is killed when it passes it.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::MockServer;

mod support;
use support::mock_server::{json_answer, received, server_answering};
use support::{example, without_nulls};

const TOKEN: &str = "SECRET-TOKEN-e3b0c442";
/// Not a measure of speed: an example makes at most one request to a server on 127.0.0.1.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// Variables the examples (or the HTTP stack under them) read; every run starts without them.
const CLEARED_ENV: &[&str] = &[
    "CODEARTS_ENDPOINT",
    "CODEARTS_REGION",
    "CODEARTS_TOKEN",
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Example {
    Show,
    Stats,
}

impl Example {
    const ALL: [Example; 2] = [Example::Show, Example::Stats];

    fn name(self) -> &'static str {
        match self {
            Example::Show => "show_repository",
            Example::Stats => "show_repository_statistics_status",
        }
    }

    fn operation_id(self) -> &'static str {
        match self {
            Example::Show => "ShowRepository",
            Example::Stats => "ShowRepositoryStatisticsStatus",
        }
    }

    fn path(self, id: &str) -> String {
        match self {
            Example::Show => format!("/v4/repositories/{id}"),
            Example::Stats => format!("/v4/repositories/{id}/repository/statistics-status"),
        }
    }

    fn executable(self) -> &'static str {
        match self {
            Example::Show => env!("CARGO_BIN_EXE_show_repository"),
            Example::Stats => env!("CARGO_BIN_EXE_show_repository_statistics_status"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

struct Output {
    /// `None` when killed by a signal.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `command` to completion, or kills it after `timeout`.
fn run(mut command: Command, timeout: Duration) -> Result<Output, String> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    // Drained on threads, so that a full pipe never blocks the child.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let deadline = Instant::now() + timeout;
    // Bounded by the deadline.
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                // The reader threads are left behind: a grandchild may hold the pipes.
                return Err(format!("{command:?} did not finish within {timeout:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => {
                let _ = child.kill();
                return Err(format!("waiting for {command:?}: {e}"));
            }
        }
    };
    let stdout = stdout.join().map_err(|_| "stdout reader panicked")?;
    let stderr = stderr.join().map_err(|_| "stderr reader panicked")?;
    Ok(Output {
        code: status.code(),
        stdout,
        stderr,
    })
}

/// Runs `example` with `args` and only the variables `env` (of those it reads).
async fn run_example(example: Example, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(example.executable());
    command.args(args);
    for name in CLEARED_ENV {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || run(command, RUN_TIMEOUT))
        .await
        .expect("the runner does not panic")
        .unwrap_or_else(|e| panic!("{e}"));
    for (stream, text) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        assert!(
            !text.contains(TOKEN) && !text.contains("e3b0c442"),
            "{} {args:?}: the token is on {stream}: {text}",
            example.name()
        );
        assert!(
            !text.contains("panicked"),
            "{} {args:?} panicked: {text}",
            example.name()
        );
    }
    output
}

/// Runs `example` with `args`, configured for a token: `CODEARTS_ENDPOINT` is `endpoint`,
/// `CODEARTS_TOKEN` the test token.
async fn run_with_token(example: Example, args: &[&str], endpoint: &str) -> Output {
    let env = [("CODEARTS_ENDPOINT", endpoint), ("CODEARTS_TOKEN", TOKEN)];
    run_example(example, args, &env).await
}

// ---------------------------------------------------------------------------------------------
// The spec, servers
// ---------------------------------------------------------------------------------------------

/// One request arrived: `GET path` with the token and JSON accepted.
async fn assert_one_token_request(server: &MockServer, path: &str) {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1, "one request");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), None);
    let token = request.headers.get("x-auth-token").map(|v| v.as_bytes());
    assert_eq!(token, Some(TOKEN.as_bytes()));
    let accept = request.headers.get("accept").map(|v| v.as_bytes());
    assert_eq!(accept, Some(&b"application/json"[..]));
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_str(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", output.stdout))
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn show_repository_prints_the_documented_body_as_json() {
    let doc = example("ShowRepository", "200");
    let id = doc["id"].to_string();
    let server = server_answering(json_answer(200, &doc)).await;

    let output = run_with_token(Example::Show, &[&id], &server.uri()).await;

    assert_eq!(output.code, Some(0), "stderr: {}", output.stderr);
    assert_one_token_request(&server, &Example::Show.path(&id)).await;
    assert_eq!(stdout_json(&output), without_nulls(&doc));
    assert!(
        output.stdout.contains("\n  \"id\": 2111993598"),
        "pretty-printed: {}",
        output.stdout
    );
    assert_eq!(output.stderr, "", "nothing on stderr");
}

#[tokio::test]
async fn statistics_status_prints_the_body_and_x_total() {
    let doc = example("ShowRepositoryStatisticsStatus", "200");
    let server = server_answering(json_answer(200, &doc).insert_header("X-Total", "5")).await;

    let output = run_with_token(Example::Stats, &["2111915566"], &server.uri()).await;

    assert_eq!(output.code, Some(0), "stderr: {}", output.stderr);
    assert_one_token_request(&server, &Example::Stats.path("2111915566")).await;
    assert_eq!(stdout_json(&output), without_nulls(&doc));
    assert_eq!(output.stderr.lines().collect::<Vec<_>>(), ["X-Total: 5"]);

    // Without the header, nothing is printed about it.
    let server = server_answering(json_answer(200, &doc)).await;
    let output = run_with_token(Example::Stats, &["7"], &server.uri()).await;
    assert_eq!(output.code, Some(0), "stderr: {}", output.stderr);
    assert_eq!(output.stderr, "");
}

#[tokio::test]
async fn unknown_enum_values_print_as_received() {
    let mut show = example("ShowRepository", "200");
    show["develop_mode"] = json!("trunk");
    show["creator"]["state"] = json!("frozen");
    let mut stats = example("ShowRepositoryStatisticsStatus", "200");
    stats["reason"] = json!(7);
    for (example, doc) in [(Example::Show, show), (Example::Stats, stats)] {
        let server = server_answering(json_answer(200, &doc)).await;
        let output = run_with_token(example, &["3"], &server.uri()).await;
        assert_eq!(output.code, Some(0), "stderr: {}", output.stderr);
        assert_eq!(stdout_json(&output), without_nulls(&doc), "{example:?}");
    }
}

#[tokio::test]
async fn an_error_answer_exits_1_with_code_and_message() {
    let doc = example("ShowRepositoryStatisticsStatus", "404");
    let code = doc["error_code"].as_str().expect("error_code");
    let message = doc["error_msg"].as_str().expect("error_msg");
    for example in Example::ALL {
        let server =
            server_answering(json_answer(404, &doc).insert_header("X-Request-Id", "req-cli-404"))
                .await;

        let output = run_with_token(example, &["404"], &server.uri()).await;

        assert_eq!(output.code, Some(1), "{example:?}");
        assert_eq!(output.stdout, "", "{example:?}: nothing on stdout");
        assert_one_token_request(&server, &example.path("404")).await;
        let first = output.stderr.lines().next().unwrap_or_default();
        assert!(first.contains(example.operation_id()), "{}", output.stderr);
        assert!(first.contains("404"), "{}", output.stderr);
        assert!(first.contains(code), "{}", output.stderr);
        assert!(first.contains(message), "{}", output.stderr);
        assert!(first.contains("req-cli-404"), "{}", output.stderr);
        // The body excerpt follows.
        assert!(
            output.stderr.lines().skip(1).any(|l| l.contains(code)),
            "{}",
            output.stderr
        );
    }
}

/// Text a hostile server sends to take over a terminal: colours (ESC and its 8-bit form,
/// CSI), a bell, a carriage return that overwrites the line, a backspace, DEL, a
/// right-to-left override that reorders it.
const TERMINAL_ATTACK: &str = "\u{1b}[31mred\u{1b}[0m \u{9b}2J \u{7}bell\rover\u{8}\u{7f} \u{202e}desrever\u{202c} \u{1b}]0;title\u{7}";

/// The characters of `text` that a terminal would act on rather than show, other than the
/// line feeds the examples print themselves.
fn raw_terminal_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            c != '\n'
                && (c.is_control()
                    || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        })
        .collect()
}

#[track_caller]
fn assert_no_raw_controls(output: &Output, what: &str) {
    for (stream, text) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let raw = raw_terminal_controls(text);
        assert!(
            raw.is_empty(),
            "{what}: {stream} holds {raw:?} raw: {text:?}"
        );
    }
}

#[tokio::test]
async fn nothing_from_the_server_reaches_the_terminal_unescaped() {
    // A 2xx answer: its strings are printed as JSON, which stays the same JSON.
    let mut doc = example("ShowRepository", "200");
    doc["name"] = json!(TERMINAL_ATTACK);
    let server = server_answering(json_answer(200, &doc)).await;
    let output = run_with_token(Example::Show, &["11"], &server.uri()).await;
    assert_eq!(output.code, Some(0), "stderr: {}", output.stderr);
    assert_no_raw_controls(&output, "a 2xx answer");
    assert_eq!(stdout_json(&output), without_nulls(&doc));

    // Error answers: a documented JSON error, and a body that is not JSON at all.
    let json_error = json!({
        "error_code": format!("CH.{TERMINAL_ATTACK}"),
        "error_msg": format!("The repository {TERMINAL_ATTACK} does not exist"),
    });
    let answers = [
        json_answer(404, &json_error),
        wiremock::ResponseTemplate::new(500)
            .set_body_raw(format!("<html>{TERMINAL_ATTACK}</html>"), "text/html"),
    ];
    for answer in answers {
        for example in Example::ALL {
            let server = server_answering(answer.clone()).await;
            let output = run_with_token(example, &["12"], &server.uri()).await;
            assert_eq!(output.code, Some(1), "{example:?}: {}", output.stderr);
            assert_no_raw_controls(&output, example.name());
            assert!(
                output.stderr.contains("response body: "),
                "{example:?}: the excerpt is printed, escaped: {}",
                output.stderr
            );
            assert!(output.stderr.contains("[31mred"), "{}", output.stderr);
        }
    }
}

#[tokio::test]
async fn a_bad_argument_exits_1_and_nothing_is_sent() {
    let server = server_answering(json_answer(200, &json!({}))).await;
    let uri = server.uri();
    let cases: [(&[&str], &str); 8] = [
        (&["abc"], "abc"),
        (&["12abc"], "12abc"),
        (&[""], "repository id"),
        (&["1.5"], "1.5"),
        (&["99999999999999999999"], "99999999999999999999"),
        (&[], "usage"),
        (&["1", "2"], "usage"),
        // Numbers outside 1..=2147483647 are refused by the client itself.
        (&["0"], "repository_id"),
    ];
    for example in Example::ALL {
        for (args, mentioned) in cases {
            let output = run_with_token(example, args, &uri).await;
            assert_eq!(output.code, Some(1), "{example:?} {args:?}");
            assert_eq!(output.stdout, "");
            assert!(
                output.stderr.contains(mentioned),
                "{example:?} {args:?}: {}",
                output.stderr
            );
        }
        let output = run_with_token(example, &["2147483648"], &uri).await;
        assert_eq!(output.code, Some(1));
        assert!(output.stderr.contains("repository_id"), "{}", output.stderr);
        assert!(output.stderr.contains("2147483647"), "{}", output.stderr);
    }
    assert_eq!(received(&server).await.len(), 0, "nothing was sent");
}

#[tokio::test]
async fn missing_or_bad_configuration_exits_1_and_nothing_is_sent() {
    let server = server_answering(json_answer(200, &json!({}))).await;
    let uri = server.uri();
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[("CODEARTS_TOKEN", TOKEN)], "CODEARTS_ENDPOINT"),
        (
            &[
                ("CODEARTS_REGION", "xx-nowhere-9"),
                ("CODEARTS_TOKEN", TOKEN),
            ],
            "unknown region",
        ),
        (&[("CODEARTS_ENDPOINT", &uri)], "CODEARTS_TOKEN"),
        (
            &[("CODEARTS_ENDPOINT", &uri), ("CODEARTS_TOKEN", "")],
            "token",
        ),
        (
            &[
                ("CODEARTS_ENDPOINT", &uri),
                ("HUAWEICLOUD_SDK_AK", "AK0123456789ABCDEF"),
            ],
            "HUAWEICLOUD_SDK_SK",
        ),
        (
            &[
                ("CODEARTS_ENDPOINT", "ftp://127.0.0.1/"),
                ("CODEARTS_TOKEN", TOKEN),
            ],
            "endpoint",
        ),
    ];
    for example in Example::ALL {
        for (env, mentioned) in cases {
            let output = run_example(example, &["5"], env).await;
            assert_eq!(output.code, Some(1), "{example:?} {env:?}");
            assert_eq!(output.stdout, "");
            assert!(
                output.stderr.contains(mentioned),
                "{example:?} {env:?}: {}",
                output.stderr
            );
        }
    }
    assert_eq!(received(&server).await.len(), 0, "nothing was sent");
}

#[tokio::test]
async fn codearts_endpoint_takes_precedence_over_codearts_region() {
    let doc = example("ShowRepository", "200");
    let server = server_answering(json_answer(200, &doc)).await;
    let uri = server.uri();
    let output = run_example(
        Example::Show,
        &["8"],
        &[
            ("CODEARTS_ENDPOINT", &uri),
            ("CODEARTS_REGION", "cn-north-4"),
            ("CODEARTS_TOKEN", TOKEN),
        ],
    )
    .await;
    assert_eq!(output.code, Some(0), "stderr: {}", output.stderr);
    assert_one_token_request(&server, &Example::Show.path("8")).await;
}

#[tokio::test]
async fn without_codearts_token_the_access_key_signs_the_request() {
    let ak = "AKEXAMPLE0123456789";
    let sk = "SK-SECRET-e3b0c442-0123456789";
    let doc = example("ShowRepositoryStatisticsStatus", "200");
    let server = server_answering(json_answer(200, &doc)).await;
    let uri = server.uri();

    let output = run_example(
        Example::Stats,
        &["9"],
        &[
            ("CODEARTS_ENDPOINT", &uri),
            ("HUAWEICLOUD_SDK_AK", ak),
            ("HUAWEICLOUD_SDK_SK", sk),
            (
                "HUAWEICLOUD_SDK_PROJECT_ID",
                "0123456789abcdef0123456789abcdef",
            ),
        ],
    )
    .await;

    assert_eq!(output.code, Some(0), "stderr: {}", output.stderr);
    assert_eq!(stdout_json(&output), without_nulls(&doc));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.path(), Example::Stats.path("9"));
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    assert_eq!(header("x-auth-token"), None, "no token was configured");
    let authorization = header("authorization").expect("a signed request");
    assert!(
        authorization.starts_with(&format!("SDK-HMAC-SHA256 Access={ak},")),
        "{authorization}"
    );
    assert!(!authorization.contains(sk), "{authorization}");
    assert!(header("x-sdk-date").is_some());
    assert_eq!(
        header("x-project-id").as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
}

#[tokio::test]
async fn an_unreachable_endpoint_exits_1_with_the_cause() {
    // A port that was just free: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let output = run_with_token(Example::Show, &["10"], &endpoint).await;
    assert_eq!(output.code, Some(1));
    assert_eq!(output.stdout, "");
    assert!(
        output.stderr.contains("ShowRepository"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("connect"), "{}", output.stderr);
}
