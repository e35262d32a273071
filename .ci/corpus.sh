#!/usr/bin/env bash
# The generator on real public specs (the corpus beside the repository, see its SOURCES.md):
# every valid spec generates a crate with `--out`; each invalid one (SOURCES.md names two) is
# refused with a located error that says what is wrong; a representative few of the crates
# are built with warnings denied, sharing this workspace's runtime crate (`--runtime`), in
# one target directory. The large ones (nexus, GitHub) are generated here, built outside CI
# (figures in BENCHMARKS.md).
#
# Usage: bash .ci/corpus.sh [CORPUS_DIR]   (default ../shared/corpus/openapi)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

corpus=${1:-../shared/corpus/openapi}
out=target/ci/corpus
# What openapi-spec-validator rejects too, and the text our refusal must contain.
declare -A invalid=(
    [progenitor-param-overrides]='/paths/~1key/get/responses/200/type: unknown field `type`'
    [progenitor-buildomat]='/responses: an operation must document at least one response'
)
# Built with warnings denied (small and varied: JSON bodies, form bodies, callbacks, links,
# examples, the generic profile).
build=(
    OpenAPI-Specification-uspto
    OpenAPI-Specification-callback-example
    OpenAPI-Specification-api-with-examples
    progenitor-keeper
    progenitor-propolis-server
)

[[ -d $corpus ]] || { echo "corpus: no corpus at $corpus" >&2; exit 1; }
# The debug xtask the steps before built: generation takes seconds even unoptimised.
cargo build --quiet -p xtask
rm -rf "$out"
mkdir -p "$out"
failed=0
generated=0
for spec in "$corpus"/*.yaml "$corpus"/*.json; do
    name=$(basename "${spec%.*}")
    log=$out/$name.log
    crate=$(tr 'A-Z.' 'a-z-' <<<"corpus-$name")
    if target/debug/xtask codegen --spec "$spec" --out "$out/$name" --crate-name "$crate" \
        --runtime ../../../../runtime >"$log" 2>&1; then
        if [[ -n ${invalid[$name]:-} ]]; then
            echo "corpus: $name is invalid, but was generated" >&2
            failed=1
        else
            generated=$((generated + 1))
            echo "corpus: $name: $(tail -1 "$log")"
        fi
    elif [[ -n ${invalid[$name]:-} ]]; then
        # Located: `FILE:LINE: at POINTER: what`.
        if grep -qF -- "${invalid[$name]}" "$log" && grep -Eq "$(basename "$spec"):[0-9]+: at /" "$log"; then
            echo "corpus: $name refused, as it should be: $(grep -m1 -F -- "${invalid[$name]}" "$log" | sed 's/^ *//')"
        else
            echo "corpus: $name is refused, but not with the located error expected; its log:" >&2
            cat "$log" >&2
            failed=1
        fi
    else
        echo "corpus: $name is valid, but was refused; the log:" >&2
        cat "$log" >&2
        failed=1
    fi
done
[[ $failed == 0 ]] || exit 1

for name in "${build[@]}"; do
    log=$out/$name.build.log
    # Warnings denied for the generated crate only (RUSTFLAGS would rebuild every dependency).
    if ! (cd "$out/$name" && CARGO_TARGET_DIR=../../../standalone-target \
        cargo rustc --lib --quiet -- -D warnings) >"$log" 2>&1 || grep -q '^warning' "$log"; then
        cat "$log" >&2
        echo "corpus: the crate of $name does not build warning-free" >&2
        exit 1
    fi
    echo "corpus: $name builds"
done
echo "corpus: $generated specs generated, ${#build[@]} crates built"
