//! `cargo xtask codegen`: regenerate the client from the spec (see README.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

mod codegen;
mod contract;

/// Generation is allocation-bound (see `mimalloc` in Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage:
  cargo xtask codegen                 regenerate generated-client/ from spec/codearts-repo.yaml
  cargo xtask codegen --check         write nothing; fail listing stale, missing or extra files
  cargo xtask codegen --spec FILE --out DIR [--crate-name NAME] [--allow-existing]
                    [--runtime PATH]
                                      write a standalone client crate for any spec, with the
                                      runtime crate vendored in DIR/codearts-runtime (or, with
                                      --runtime, a path dependency on an existing copy, PATH
                                      relative to DIR, so that several clients share one); a
                                      rerun rewrites only the files it wrote (listed in
                                      DIR/.codearts-codegen). A non-empty DIR it did not write
                                      is refused unless --allow-existing
  cargo xtask contract                start Prism on 127.0.0.1, run the contract tests, stop it";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&args[1..]),
        Some("contract") => contract::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or(manifest_dir)
}

/// Milliseconds since `start`, for the summary line.
fn elapsed_ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}
