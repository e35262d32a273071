#!/usr/bin/env bash
# Contract tests: start Stoplight Prism on 127.0.0.1 mocking spec/codearts-repo.yaml, and one
# more Prism for each real public spec in tests/corpus/; run tests/tests/contract.rs and
# tests/tests/corpus_contract.rs against them, and stop every Prism whatever happens.
#
# Prism is installed on first use into the same local, uncommitted tool folder as the spec
# linters (default: $HOME/.cache/codearts-tools; override with CODEARTS_TOOLS_DIR). Nothing is
# installed globally: node/npm, python3 (to pick a free port) and curl are needed.
# Prism's logs go to target/contract/prism-<spec>.log.
#
# Usage: bash .ci/contract.sh [COMMAND...]
#   Without arguments, runs the contract tests. With a command, runs that instead while the
#   Prisms are up, with CODEARTS_PRISM_URL (and CODEARTS_PRISM_URL_<CORPUS STEM>) set: `bash .ci/contract.sh cargo test --workspace` runs every
#   test, the contract tests included (which fail under CI=true when Prism is not there).
#
# Exit status: that of the tests (or 2 when Prism cannot be installed or started).
set -euo pipefail

PRISM_VERSION="5.14.2"
READY_TIMEOUT_SECS=60

ci_name="contract"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prism="$(npm_cli prism "$PRISM_VERSION")"

log_dir="target/contract"

need node
need python3
need curl
need setsid
install_npm_cli @stoplight/prism-cli "$PRISM_VERSION" "$prism"

if [[ $# -gt 0 ]]; then
    run_cmd=("$@")
else
    # Build first, so that Prism is not left waiting for the compiler (and a build error needs
    # no Prism at all).
    cargo test -p codearts-repo-tests --test contract --test corpus_contract --no-run
    run_cmd=(cargo test -p codearts-repo-tests --test contract --test corpus_contract -- --test-threads=2)
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
mkdir -p "$log_dir"

# One Prism per spec: the CodeArts spec (CODEARTS_PRISM_URL), and each real public spec in
# tests/corpus/ (CODEARTS_PRISM_URL_<STEM>, for tests/tests/corpus_contract.rs).
prism_pids=()
stop_prism() {
    local pid
    for pid in "${prism_pids[@]}"; do
        # Each Prism runs in its own session and process group (setsid below): signal the
        # whole group, so that anything node spawned goes too; escalate to KILL after a
        # bounded wait.
        kill -TERM -- "-$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 -- "-$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    prism_pids=()
}
trap stop_prism EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# start_prism SPEC VARIABLE: starts Prism mocking SPEC on a free loopback port and exports
# VARIABLE=its base URL; wait_for_prisms then waits until every one answers (they start
# side by side: each takes seconds).
prism_urls=()
prism_logs=()
start_prism() {
    local spec_file="$1" variable="$2" port base log
    port="$(free_port)"
    base="http://127.0.0.1:$port"
    log="$log_dir/prism-$(basename "${spec_file%.*}").log"
    echo "contract: starting prism $PRISM_VERSION for $spec_file on $base (log: $log)"
    # `setsid` (without --fork: a background job is not a group leader, so it does not fork)
    # makes Prism's pid the id of a new process group that stop_prism can signal.
    setsid "$prism" mock --errors -h 127.0.0.1 -p "$port" "$spec_file" >"$log" 2>&1 </dev/null &
    prism_pids+=("$!")
    prism_urls+=("$base")
    prism_logs+=("$log")
    export "$variable=$base"
}

wait_for_prisms() {
    local i deadline
    deadline=$(( $(date +%s) + READY_TIMEOUT_SECS ))
    for i in "${!prism_pids[@]}"; do
        while true; do
            if ! kill -0 "${prism_pids[$i]}" 2>/dev/null; then
                echo "contract: prism exited before it was ready; its log:" >&2
                cat "${prism_logs[$i]}" >&2
                exit 2
            fi
            # Any HTTP answer (Prism says 401/404/... to this probe) means it is listening.
            if curl --silent --output /dev/null --max-time 2 "${prism_urls[$i]}/"; then
                break
            fi
            if (( $(date +%s) >= deadline )); then
                echo "contract: prism was not ready within ${READY_TIMEOUT_SECS} s; its log:" >&2
                cat "${prism_logs[$i]}" >&2
                exit 2
            fi
            sleep 0.25
        done
    done
}

started=$(date +%s)
start_prism "$spec" CODEARTS_PRISM_URL
for corpus_spec in tests/corpus/*.yaml tests/corpus/*.json; do
    [[ -e "$corpus_spec" ]] || continue
    stem="$(basename "${corpus_spec%.*}")"
    start_prism "$corpus_spec" "CODEARTS_PRISM_URL_${stem^^}"
done
wait_for_prisms
echo "contract: ${#prism_pids[@]} prisms ready after $(( $(date +%s) - started )) s"

status=0
echo "contract: running: ${run_cmd[*]}"
"${run_cmd[@]}" || status=$?

stop_prism
if [[ $status -ne 0 ]]; then
    echo "contract: FAILED (prism's logs: $log_dir)" >&2
else
    echo "contract: OK in $(( $(date +%s) - started )) s"
fi
exit "$status"
