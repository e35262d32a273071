//! Prints the status of the statistics task of a repository
//! (`ShowRepositoryStatisticsStatus`) as pretty JSON, and its `X-Total` header on stderr.
//!
//! ```text
//! CODEARTS_REGION=cn-north-4 CODEARTS_TOKEN=... \
//!     cargo run --features blocking --example show_repository_statistics_status -- 2111915566
//! ```
//!
//! It uses the blocking client (crate feature `blocking`), configured from the environment
//! ([`Client::from_env`](codearts_repo::blocking::Client::from_env)):
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

mod common;

fn main() -> ExitCode {
    common::main(
        "usage: show_repository_statistics_status <repository_id>",
        |client, repository_id| {
            let response = client
                .show_repository_statistics_status(repository_id)
                .send()?;
            if let Some(total) = &response.headers.x_total {
                // A closed stderr does not make the answer on stdout wrong.
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "X-Total: {}",
                    total.escape_debug()
                );
            }
            Ok(response.body)
        },
    )
}
