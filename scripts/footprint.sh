#!/usr/bin/env bash
# Footprint of the generated client (not run in CI; figures go to BENCHMARKS.md):
#
#   1. crates in codearts-repo's normal dependency tree (itself included);
#   2. a clean release build of codearts-repo, in its own target directory;
#   3. the large synthetic spec (codegen/examples/large_spec: 300 operations,
#      500 schemas) generated as a standalone crate with `cargo xtask codegen
#      --spec FILE --out DIR --crate-name large-client`, then built from clean
#      (debug, the default profile) and rebuilt alone (its dependencies
#      already built), counting rustc and clippy warnings: both must be zero.
#
# Usage: bash scripts/footprint.sh      (about 10 minutes on 2 cores)
# Everything it writes is under target/footprint/; the summary is printed last
# and kept in target/footprint/summary.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TERM_COLOR=never

out=target/footprint
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"

step() { printf '\n=== %s ===\n' "$*"; }
note() { printf '%s\n' "$*" | tee -a "$summary"; }
now_ns() { date +%s%N; }
seconds_since() { awk -v start="$1" -v end="$(now_ns)" 'BEGIN { printf "%.1f", (end - start) / 1e9 }'; }
# Crates in a package's normal dependency tree, the root included.
count_crates() { cargo tree "$@" -e normal --prefix none | sed 's/ (\*)$//' | sort -u | grep -c .; }
# Compiler messages of one level in a `--message-format json` log.
count_level() { grep '"reason":"compiler-message"' "$1" | grep -c "\"level\":\"$2\"" || true; }

note "date: $(date -u +%F)"
note "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
note "rustc: $(rustc --version)"

step "dependency tree of codearts-repo"
crates=$(count_crates -p codearts-repo)
note "codearts-repo: $crates crates in the normal dependency tree (itself included, default features)"

step "clean release build of codearts-repo"
cargo fetch --quiet
rm -rf "$out/target-client"
start=$(now_ns)
CARGO_TARGET_DIR=$out/target-client cargo build --quiet -p codearts-repo --release
note "codearts-repo: clean release build $(seconds_since "$start") s"

step "large spec → standalone crate"
cargo run --quiet --release -p codearts-codegen --example large_spec >"$out/large.yaml"
note "large spec: $(wc -l <"$out/large.yaml") lines, $(wc -c <"$out/large.yaml") bytes"
cargo build --quiet --release -p xtask
start=$(now_ns)
cargo xtask codegen --spec "$out/large.yaml" --out "$out/large-client" --crate-name large-client |
    tee -a "$summary"
note "large-client: generated in $(seconds_since "$start") s (cargo xtask, whole process)"
note "large-client: $(cat "$out"/large-client/src/generated/*.rs "$out"/large-client/src/generated/operation/*.rs | wc -l) lines of generated code"

step "large-client: clean build (debug)"
manifest=$out/large-client/Cargo.toml
export CARGO_TARGET_DIR=$out/target-large
rm -rf "$CARGO_TARGET_DIR"
# Lock and fetch first, so that the timings are compile time only.
cargo generate-lockfile --quiet --manifest-path "$manifest"
cargo fetch --quiet --manifest-path "$manifest"
note "large-client: $(count_crates --manifest-path "$manifest") crates in the normal dependency tree"
start=$(now_ns)
cargo build --manifest-path "$manifest" --message-format json >"$out/large-build.json"
note "large-client: clean debug build $(seconds_since "$start") s"
note "large-client: rustc warnings $(count_level "$out/large-build.json" warning), errors $(count_level "$out/large-build.json" error)"

step "large-client: rebuild of the crate alone (debug)"
touch "$out/large-client/src/lib.rs"
start=$(now_ns)
cargo build --quiet --manifest-path "$manifest"
note "large-client: crate-only debug rebuild $(seconds_since "$start") s"

step "large-client: clippy"
touch "$out/large-client/src/lib.rs"
cargo clippy --manifest-path "$manifest" --message-format json >"$out/large-clippy.json"
note "large-client: clippy warnings $(count_level "$out/large-clippy.json" warning), errors $(count_level "$out/large-clippy.json" error)"

step "summary"
cat "$summary"
