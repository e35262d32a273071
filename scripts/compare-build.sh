#!/usr/bin/env bash
# How long the crate codearts-codegen generates for SPEC takes to compile, against the
# crate progenitor generates for the same spec, side by side on this machine. Not a test
# and not run in CI; figures go to BENCHMARKS.md.
#
#   1. generates both crates (ours with `--out`, the runtime vendored; progenitor's with
#      `cargo progenitor`, installed into target/progenitor-cli/ by
#      scripts/compare-progenitor.sh or `cargo install --locked --root
#      target/progenitor-cli cargo-progenitor`);
#   2. builds each once, so that every dependency is compiled (in a target directory of
#      each crate's own, `CARGO_INCREMENTAL=0`, dev profile);
#   3. RUNS times, alternating: `cargo clean -p CRATE` and `cargo build` of the generated
#      crate alone (its dependencies cached: progenitor-client for theirs, the runtime
#      for ours), and of ours with its runtime cleaned too;
#   4. prints the median of each and the ratios.
#
# Usage: bash scripts/compare-build.sh SPEC [RUNS]   (RUNS defaults to 5)
#
# Environment:
#   PROGENITOR_READY=1  rewrite SPEC first (JSON or YAML) so that progenitor 0.15 accepts it,
#                       and generate both crates from the rewritten copy: each operation
#                       keeps its first 2xx and its first other response (progenitor panics,
#                       `response_types.len() <= 1`, when the bodies of one class differ),
#                       as for the large spec:
#                       `cargo run -p codearts-codegen --example large_spec > target/large.yaml`
#   WITH_RUNTIME=0      skip the builds of ours with its runtime rebuilt (long for large specs)
#   FEATURES="..."      cargo arguments for our crate's timed build, e.g.
#                       `--no-default-features --features rustls,repository` (one tag)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TERM_COLOR=never CARGO_INCREMENTAL=0

spec=${1:?usage: compare-build.sh SPEC [RUNS]}
runs=${2:-5}
progenitor=target/progenitor-cli/bin/cargo-progenitor
[[ -x $progenitor ]] || { echo "cargo-progenitor is not installed in target/progenitor-cli" >&2; exit 1; }
out=target/compare-build
ours=$out/ours
theirs=$out/progenitor
rm -rf "$ours" "$theirs"
mkdir -p "$out"
with_runtime=${WITH_RUNTIME:-1}
read -r -a features <<<"${FEATURES:-}"

if [[ ${PROGENITOR_READY:-0} == 1 ]]; then
    python3 - "$spec" "$out/spec.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
try:
    spec = json.loads(text)
except ValueError:
    import yaml  # PyYAML, only for a YAML spec
    spec = yaml.safe_load(text)
methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
for item in spec.get("paths", {}).values():
    for method, operation in item.items():
        if method in methods:
            kept = {}
            for status, response in operation.get("responses", {}).items():
                kept.setdefault(status.startswith("2"), (status, response))
            operation["responses"] = dict(kept.values())
json.dump(spec, open(sys.argv[2], "w"))
PY
    spec=$out/spec.json
fi

cargo xtask codegen --spec "$spec" --out "$ours" --crate-name generated-ours
"$progenitor" progenitor --input "$spec" --output "$theirs" --name generated-progenitor \
    --version 0.1.0 >/dev/null
# A workspace of its own, as ours has: it is written below this workspace's target/.
printf '\n[workspace]\n' >>"$theirs/Cargo.toml"
# Each generated crate builds in its own target directory (DIR/target), whatever the caller's.
unset CARGO_TARGET_DIR

now_ns() { date +%s%N; }
# Seconds that `cargo build` of the crate in $1 (with the arguments in build_args) takes
# after `cargo clean -p` of $2...
build_args=()
timed_build() {
    local dir=$1
    shift
    (cd "$dir" && for package in "$@"; do cargo clean --quiet -p "$package"; done)
    local start
    start=$(now_ns)
    (cd "$dir" && cargo build --quiet ${build_args[@]+"${build_args[@]}"})
    awk -v start="$start" -v end="$(now_ns)" 'BEGIN { printf "%.2f\n", (end - start) / 1e9 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "building dependencies once"
(cd "$ours" && cargo build --quiet ${features[@]+"${features[@]}"})
(cd "$theirs" && cargo build --quiet)
warnings_ours=$(cd "$ours" && cargo clean --quiet -p generated-ours &&
    cargo build ${features[@]+"${features[@]}"} 2>&1 | grep -c '^warning' || true)
warnings_theirs=$(cd "$theirs" && cargo clean --quiet -p generated-progenitor && cargo build 2>&1 | grep -c '^warning' || true)

: >"$out/ours.txt"
: >"$out/ours-with-runtime.txt"
: >"$out/progenitor.txt"
for ((run = 1; run <= runs; run++)); do
    build_args=()
    timed_build "$theirs" generated-progenitor >>"$out/progenitor.txt"
    build_args=(${features[@]+"${features[@]}"})
    timed_build "$ours" generated-ours >>"$out/ours.txt"
    if [[ $with_runtime == 1 ]]; then
        timed_build "$ours" generated-ours codearts-runtime >>"$out/ours-with-runtime.txt"
    else
        echo 0 >>"$out/ours-with-runtime.txt"
    fi
    echo "run $run: progenitor $(tail -1 "$out/progenitor.txt") s, ours $(tail -1 "$out/ours.txt") s, ours with runtime $(tail -1 "$out/ours-with-runtime.txt") s"
done

m_theirs=$(median <"$out/progenitor.txt")
m_ours=$(median <"$out/ours.txt")
m_runtime=$(median <"$out/ours-with-runtime.txt")
lines_ours=$(find "$ours/src" -name '*.rs' -exec cat {} + | wc -l)
lines_theirs=$(find "$theirs/src" -name '*.rs' -exec cat {} + | wc -l)
echo
echo "spec: $spec ($runs runs each, medians; $(nproc) cores; ours built with: ${FEATURES:-default features})"
echo "progenitor:            ${m_theirs} s  ($lines_theirs lines, $warnings_theirs warnings)"
echo "ours:                  ${m_ours} s  ($lines_ours lines, $warnings_ours warnings)"
echo "ours with its runtime: ${m_runtime} s"
awk -v a="$m_ours" -v b="$m_theirs" -v c="$m_runtime" \
    'BEGIN { printf "ratio ours/progenitor: %.2f (with the runtime: %.2f)\n", a / b, c / b }'
