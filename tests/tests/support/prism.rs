//! Where the contract tests find Prism (started by `.ci/contract.sh`), or a skip that does
//! not look like a pass.

use std::io::Write as _;

/// Whether this is CI (`CI` set, and not `0` or `false`): there a missing Prism fails.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The base URL of the running Prism named by the environment variable `variable`, which
/// must be on loopback. `None` (after printing a SKIPPED line) when there is none and this is
/// not CI; under CI, a failure.
pub fn prism_url(variable: &str, test: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.trim().is_empty() => {
            let parsed = url::Url::parse(url.trim())
                .unwrap_or_else(|e| panic!("{variable}={url:?} is not a URL: {e}"));
            assert!(
                matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")),
                "{variable}={url:?}: the contract tests talk to loopback only"
            );
            Some(url.trim().trim_end_matches('/').to_owned())
        }
        _ if in_ci() => panic!(
            "{test}: {variable} is not set; the contract tests need Prism: run \
             `.ci/contract.sh` (or `cargo xtask contract`), which starts it and runs them"
        ),
        _ => {
            // Written to stderr directly, not with `eprintln!`, which the test harness captures
            // for passing tests: the skip shows in a plain `cargo test` run.
            let line = format!(
                "\n{test}: SKIPPED: contract tests need Prism; run `cargo xtask contract`\n"
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
            None
        }
    }
}

/// The violations Prism found in a request (its `sl-violations` response header), if any.
pub fn violations(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The default headers of a client of Prism: `Prefer: code=<status>` when a status is given
/// (Prism then answers with that documented status), none otherwise.
pub fn prefer_status(status: Option<u16>) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(status) = status {
        headers.insert(
            "prefer",
            reqwest::header::HeaderValue::from_str(&format!("code={status}"))
                .expect("a valid header value"),
        );
    }
    headers
}
