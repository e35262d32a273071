//! `cargo xtask contract`: the contract tests against Stoplight Prism.
//!
//! Runs `.ci/contract.sh` from the workspace root, which installs Prism locally if needed,
//! starts it on 127.0.0.1 (one per spec: ours and the real specs of `tests/corpus/`), runs
//! `tests/tests/contract.rs` and `tests/tests/corpus_contract.rs` against them and always stops them.

use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!(
            "`cargo xtask contract` takes no arguments, got `{arg}`"
        ));
    }
    let root = crate::workspace_root();
    let script = root.join(".ci/contract.sh");
    if !script.is_file() {
        return Err(format!("{} is missing", script.display()));
    }
    let status = Command::new("bash")
        .arg(".ci/contract.sh")
        .current_dir(&root)
        .status()
        .map_err(|error| format!("cannot run `bash .ci/contract.sh`: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(match status.code() {
            Some(code) => format!("`bash .ci/contract.sh` failed (exit status {code})"),
            None => "`bash .ci/contract.sh` was killed by a signal".to_owned(),
        })
    }
}
