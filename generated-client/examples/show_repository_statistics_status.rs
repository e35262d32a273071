//! Prints the status of the statistics task of a repository
//! (`ShowRepositoryStatisticsStatus`) as pretty JSON, and its `X-Total` header on stderr.
//!
//! ```text
//! CODEARTS_REGION=cn-north-4 CODEARTS_TOKEN=... \
//!     cargo run --example show_repository_statistics_status -- 2111915566
//! ```
//!
//! Configuration, from the environment:
//!
//! * `CODEARTS_ENDPOINT`: the base URL of the API (e.g. a proxy, or a test server on
//!   `http://127.0.0.1:PORT`); else `CODEARTS_REGION`: a region id such as `cn-north-4`.
//! * `CODEARTS_TOKEN`: an IAM token, sent as `X-Auth-Token`. When it is not set, the
//!   request is signed with the access key of the official SDKs' variables
//!   (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, and optionally
//!   `HUAWEICLOUD_SDK_SECURITY_TOKEN` and `HUAWEICLOUD_SDK_PROJECT_ID`).
//!
//! On success the decoded body goes to stdout as pretty JSON (values this client does not
//! know, such as a new `reason` code, print as received), `X-Total: <value>` goes to stderr
//! when the server sent that header, and the exit status is 0. Any
//! failure (a bad argument, missing configuration, an error answer of the server) is
//! printed on stderr, and the exit status is 1.

use std::io::Write as _;
use std::process::ExitCode;

use codearts_repo::{Client, Error, Region};

const USAGE: &str = "usage: show_repository_statistics_status <repository_id>";

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&format!("cannot start the Tokio runtime: {error}")),
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

async fn run() -> Result<(), String> {
    let repository_id = repository_id_argument()?;
    let client = client()?;
    let response = client
        .show_repository_statistics_status(repository_id)
        .await
        .map_err(|error| describe(&error))?;
    if let Some(total) = &response.headers.x_total {
        // A closed stderr does not make the answer on stdout wrong.
        let _ = writeln!(std::io::stderr().lock(), "X-Total: {total}");
    }
    let json = serde_json::to_string_pretty(&response.body)
        .map_err(|error| format!("cannot print the answer as JSON: {error}"))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{json}")
        .and_then(|()| stdout.flush())
        .map_err(|error| format!("cannot write to stdout: {error}"))
}

/// The one argument, as an integer (its range is checked by the client).
fn repository_id_argument() -> Result<i64, String> {
    let mut args = std::env::args_os().skip(1);
    let (Some(argument), None) = (args.next(), args.next()) else {
        return Err(USAGE.to_owned());
    };
    let Some(text) = argument.to_str() else {
        return Err(format!(
            "invalid repository id {argument:?}: expected an integer\n{USAGE}"
        ));
    };
    text.trim().parse::<i64>().map_err(|error| {
        format!("invalid repository id {text:?}: expected an integer ({error})\n{USAGE}")
    })
}

/// A client for `CODEARTS_ENDPOINT` (or `CODEARTS_REGION`) with the token of
/// `CODEARTS_TOKEN`, or else the access key of the environment.
fn client() -> Result<Client, String> {
    let mut builder = Client::builder();
    if let Some(endpoint) = env("CODEARTS_ENDPOINT")? {
        builder = builder.endpoint(endpoint);
    } else if let Some(region) = env("CODEARTS_REGION")? {
        let region = region
            .parse::<Region>()
            .map_err(|error| format!("CODEARTS_REGION: {error}"))?;
        builder = builder.region(region);
    } else {
        return Err(
            "no endpoint: set CODEARTS_ENDPOINT (a base URL) or CODEARTS_REGION \
                    (a region id such as cn-north-4)"
                .to_owned(),
        );
    }
    // Without a token, the builder reads HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK.
    if let Some(token) = env("CODEARTS_TOKEN")? {
        builder = builder.auth_token(token);
    }
    builder.build().map_err(|error| {
        let mut message = describe(&error);
        if error.invalid_input().map(|e| e.parameter()) == Some("credentials") {
            message.push_str("\nset CODEARTS_TOKEN, or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK");
        }
        message
    })
}

/// An environment variable; `None` when it is not set.
fn env(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
}

/// The error, its causes, and the excerpt of the body the server sent.
fn describe(error: &Error) -> String {
    let mut message = format!("error: {error}");
    let mut source = std::error::Error::source(error);
    // Bounded: error chains are short; 16 links is far more than any real one.
    for _ in 0..16 {
        let Some(cause) = source else { break };
        message.push_str(&format!("\ncaused by: {cause}"));
        source = cause.source();
    }
    if let Some(excerpt) = error.body_excerpt().filter(|e| !e.trim().is_empty()) {
        message.push_str(&format!("\nresponse body: {excerpt}"));
    }
    message
}

fn fail(message: &str) -> ExitCode {
    // Nothing more can be done when stderr is closed.
    let _ = writeln!(std::io::stderr().lock(), "{message}");
    ExitCode::FAILURE
}
