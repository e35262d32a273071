//! The public API of the client crate `codearts-repo`, as a committed snapshot.
//!
//! Why: the crate is generated, so a change to the generator, the spec or the runtime
//! can add, remove or change public items without anyone writing them by hand. The
//! snapshot `snapshots/public_api__codearts_repo.snap` lists every public item (paths,
//! kinds, signatures, trait impls including `Send`/`Sync`) one per line, so such a change
//! shows up in the pull request as a diff of that file, to be reviewed like any other.
//!
//! How: one nested `cargo rustdoc -p codearts-repo --lib --no-default-features --features
//! blocking,full` (every operation's tag feature; the TLS features change no API; leaving them out skips building rustls' and
//! OpenSSL's C code, and native-tls needs OpenSSL's headers) writes
//! rustdoc JSON into a target directory of its own under `CARGO_TARGET_TMPDIR`, so it
//! never waits for the lock of the build that runs this test; the `public-api` crate
//! turns that JSON into text. Rustdoc JSON is unstable: on the stable toolchain it needs
//! `RUSTC_BOOTSTRAP`, and `public-api` is pinned in `tests/Cargo.toml` to the version that
//! reads the JSON format of this toolchain's rustdoc (checked below, with a message that
//! says what to do when the toolchain moves).
//!
//! Updating: when the change is meant, accept the new snapshot with
//! `cargo insta review` (after `cargo test -p codearts-repo-tests --test public_api`), or
//! write it directly with
//! `INSTA_UPDATE=always cargo test -p codearts-repo-tests --test public_api`,
//! and commit `tests/tests/snapshots/public_api__codearts_repo.snap`. Under `CI=true`
//! insta never writes: a stale snapshot fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use public_api::rustdoc_types::FORMAT_VERSION;
use serde::Deserialize;

/// The workspace's root, where the nested cargo runs.
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

#[test]
fn public_api_of_codearts_repo() {
    let json = rustdoc_json();
    check_format_version(&json);
    let api = public_api::Builder::from_rustdoc_json(&json)
        // `impl<T> From<T> for T` and the like, on every type: noise, not this crate's API.
        .omit_blanket_impls(true)
        .build()
        .unwrap_or_else(|e| panic!("public-api could not read {}: {e}", json.display()));
    // `PublicApi`'s text is one item a line, sorted (by path, then kind).
    insta::assert_snapshot!("codearts_repo", api.to_string());
}

/// Runs `cargo rustdoc` for the crate's library and returns the path of its JSON.
///
/// No time limit: the first run checks every dependency (and builds their build
/// scripts) into an empty target directory, which takes a while on a slow machine.
/// `output()` waits for cargo, so no process outlives a failing test.
fn rustdoc_json() -> PathBuf {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("public-api");
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(WORKSPACE)
        .args(["rustdoc", "--quiet", "--locked"])
        .args(["-p", "codearts-repo", "--lib", "--no-default-features"])
        .args(["--features", "blocking,full"])
        .arg("--target-dir")
        .arg(&target_dir)
        // Unstable options of rustdoc on a stable toolchain, for this crate alone (the
        // dependencies, their build scripts and proc macros see a stable compiler).
        .env("RUSTC_BOOTSTRAP", "codearts_repo")
        .env("RUSTDOCFLAGS", "-Z unstable-options --output-format json");
    // Flags and settings from the caller's environment that would change what is built
    // or where: the encoded forms take precedence over `RUSTDOCFLAGS`, and a build target
    // would move the output to `<target-dir>/<triple>/doc`.
    for variable in [
        "CARGO_ENCODED_RUSTDOCFLAGS",
        "CARGO_BUILD_RUSTDOCFLAGS",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET_DIR",
    ] {
        command.env_remove(variable);
    }
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", env!("CARGO")));
    assert!(
        output.status.success(),
        "`cargo rustdoc -p codearts-repo` failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    let json = target_dir.join("doc").join("codearts_repo.json");
    assert!(
        json.is_file(),
        "cargo rustdoc succeeded but wrote no {}",
        json.display()
    );
    json
}

/// Fails, saying what to do, when rustdoc's JSON format is not the one `public-api`
/// reads. Without this check a mismatch shows up as a serde error, or not at all.
fn check_format_version(json: &Path) {
    #[derive(Deserialize)]
    struct Header {
        format_version: u32,
    }
    let text = std::fs::read_to_string(json)
        .unwrap_or_else(|e| panic!("could not read {}: {e}", json.display()));
    let header: Header = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} has no format_version: {e}", json.display()));
    assert_eq!(
        header.format_version, FORMAT_VERSION,
        "this toolchain's rustdoc writes JSON format {}, but the public-api crate pinned in \
         tests/Cargo.toml reads format {FORMAT_VERSION}. Pin the public-api version whose \
         rustdoc-types dependency is 0.{}.x (`cargo info public-api@VERSION` lists it; \
         rustdoc-types 0.N reads format N), then review the snapshot.",
        header.format_version, header.format_version,
    );
}
