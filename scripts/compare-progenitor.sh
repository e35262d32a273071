#!/usr/bin/env bash
# codearts-codegen against progenitor (Oxide's OpenAPI → Rust client generator,
# `cargo progenitor`) on the same spec. Not run in CI; figures go to BENCHMARKS.md.
#
#   1. installs hyperfine (Debian package; needs root) and cargo-progenitor
#      (`cargo install --locked`, into target/progenitor-cli/: about 5 minutes
#      on 2 cores, once);
#   2. checks that each generator accepts the spec; a rejection is recorded
#      verbatim (it is a finding), and progenitor is then tried on the spec
#      converted to JSON, in case only the input format was the problem;
#   3. times both generators whole process against whole process with
#      hyperfine (xtask built in release first and its binary called
#      directly; each run starts from an empty output directory);
#   4. compares the generated crates: crates in their normal dependency tree,
#      and a clean release build of each in its own target directory (ours
#      also without default features, that is without TLS, as progenitor's
#      crate comes).
#
# Usage: bash scripts/compare-progenitor.sh [SPEC]   (default spec/codearts-repo.yaml)
# Everything it writes is under target/compare-progenitor/; the summary is
# printed last and kept in target/compare-progenitor/summary.txt.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TERM_COLOR=never

spec=${1:-spec/codearts-repo.yaml}
out=target/compare-progenitor
cli_root=target/progenitor-cli
progenitor=$cli_root/bin/cargo-progenitor
xtask=target/release/xtask
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"

step() { printf '\n=== %s ===\n' "$*"; }
note() { printf '%s\n' "$*" | tee -a "$summary"; }
die() { note "error: $*"; exit 1; }
now_ns() { date +%s%N; }
seconds_since() { awk -v start="$1" -v end="$(now_ns)" 'BEGIN { printf "%.1f", (end - start) / 1e9 }'; }
count_crates() { cargo tree "$@" -e normal --prefix none | sed 's/ (\*)$//' | sort -u | grep -c .; }

note "date: $(date -u +%F)"
note "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
note "spec: $spec"

step "install"
if ! command -v hyperfine >/dev/null; then
    apt-get update -qq && apt-get install -y -qq hyperfine || die "cannot install hyperfine"
fi
if [[ ! -x $progenitor ]]; then
    start=$(now_ns)
    cargo install --locked --root "$cli_root" cargo-progenitor || die "cannot install cargo-progenitor"
    note "cargo-progenitor installed in $(seconds_since "$start") s"
fi
note "$(hyperfine --version)"
note "cargo-progenitor $(grep -o 'cargo-progenitor [0-9.]*' "$cli_root/.crates.toml" | head -1 | cut -d' ' -f2)"
cargo build --quiet --release -p xtask || die "cannot build xtask"

ours_dir=$out/ours
theirs_dir=$out/progenitor
ours_cmd="$xtask codegen --spec $spec --out $ours_dir --crate-name codearts-repo-ours"
theirs_cmd() { # input file
    echo "$progenitor progenitor --input $1 --output $theirs_dir --name codearts-repo-progenitor --version 0.1.0"
}

step "does each generator accept the spec?"
rm -rf "$ours_dir" "$theirs_dir"
$ours_cmd >"$out/ours.log" 2>&1 || die "codearts-codegen rejects $spec: $(cat "$out/ours.log")"
note "codearts-codegen: $(cat "$out/ours.log")"

theirs_input=""
if $(theirs_cmd "$spec") >"$out/progenitor.log" 2>&1; then
    theirs_input=$spec
else
    note "progenitor rejects $spec (YAML), exit status $?. Its output, verbatim:"
    sed 's/^/    /' "$out/progenitor.log" | tee -a "$summary"
    json=$out/$(basename "${spec%.*}").json
    python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=2)' \
        "$spec" "$json" || die "cannot convert $spec to JSON"
    rm -rf "$theirs_dir"
    if $(theirs_cmd "$json") >"$out/progenitor.log" 2>&1; then
        theirs_input=$json
        note "progenitor accepts the same spec as JSON ($json)."
    else
        note "progenitor rejects the JSON form too, exit status $?. Its output, verbatim:"
        sed 's/^/    /' "$out/progenitor.log" | tee -a "$summary"
    fi
fi
[[ -n $theirs_input ]] && note "progenitor: accepts $theirs_input ($(find "$theirs_dir" -type f | wc -l) files written)"

step "generation, whole process (hyperfine)"
if [[ -n $theirs_input ]]; then
    hyperfine --warmup 3 --min-runs 20 --export-markdown "$out/hyperfine.md" \
        --prepare "rm -rf $ours_dir $theirs_dir" \
        -n codearts-codegen "$ours_cmd" \
        -n progenitor "$(theirs_cmd "$theirs_input")" | tee "$out/hyperfine.txt"
else
    hyperfine --warmup 3 --min-runs 20 --export-markdown "$out/hyperfine.md" \
        --prepare "rm -rf $ours_dir" \
        -n codearts-codegen "$ours_cmd" | tee "$out/hyperfine.txt"
fi
note "$(cat "$out/hyperfine.md")"
grep -A2 'Summary' "$out/hyperfine.txt" | tee -a "$summary"

# Fresh output for the build comparison.
rm -rf "$ours_dir" "$theirs_dir"
$ours_cmd >/dev/null || die "codearts-codegen failed"
[[ -n $theirs_input ]] && { $(theirs_cmd "$theirs_input") >/dev/null 2>&1 || die "progenitor failed"; }

step "generated crates: dependencies and clean release builds"
# Progenitor's crate has no TLS backend (reqwest without default features), so
# ours is measured both as shipped (rustls) and without default features (no TLS).
build() { # label dir [cargo feature flags...]
    local label=$1 dir=$2
    shift 2
    local manifest=$dir/Cargo.toml target=$out/target-$label
    # A crate written below this workspace must declare its own workspace.
    grep -q '^\[workspace\]' "$manifest" || printf '\n[workspace]\n' >>"$manifest"
    cargo generate-lockfile --quiet --manifest-path "$manifest" || return 1
    cargo fetch --quiet --manifest-path "$manifest" || return 1
    note "$label: $(count_crates --manifest-path "$manifest" "$@") crates in the normal dependency tree"
    note "$label: $(cat $(find "$dir/src" -name '*.rs') | wc -l) lines of Rust in src/"
    rm -rf "$target"
    local start
    start=$(now_ns)
    if CARGO_TARGET_DIR=$target cargo build --release --manifest-path "$manifest" "$@" >"$out/build-$label.log" 2>&1; then
        note "$label: clean release build $(seconds_since "$start") s, $(grep -c '^warning' "$out/build-$label.log") warning lines"
    else
        note "$label: release build FAILED after $(seconds_since "$start") s; see $out/build-$label.log:"
        grep -m5 -A5 '^error' "$out/build-$label.log" | sed 's/^/    /' | tee -a "$summary"
    fi
}
build codearts-codegen "$ours_dir"
build codearts-codegen-no-tls "$ours_dir" --no-default-features
[[ -n $theirs_input ]] && build progenitor "$theirs_dir"

step "summary"
cat "$summary"
