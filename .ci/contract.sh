#!/usr/bin/env bash
# Contract tests: start Stoplight Prism mocking spec/codearts-repo.yaml on 127.0.0.1, run
# tests/tests/contract.rs against it, and stop Prism whatever happens.
#
# Prism is installed on first use into the same local, uncommitted tool folder as the spec
# linters (default: $HOME/.cache/codearts-tools; override with CODEARTS_TOOLS_DIR). Nothing is
# installed globally: node/npm, python3 (to pick a free port) and curl are needed.
# Prism's log goes to target/contract/prism.log.
#
# Usage: bash .ci/contract.sh [COMMAND...]
#   Without arguments, runs the contract tests. With a command, runs that instead while Prism
#   is up, with CODEARTS_PRISM_URL set: `bash .ci/contract.sh cargo test --workspace` runs every
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
log="$log_dir/prism.log"

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
    cargo test -p codearts-repo-tests --test contract --no-run
    run_cmd=(cargo test -p codearts-repo-tests --test contract -- --test-threads=2)
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
mkdir -p "$log_dir"

prism_pid=""
stop_prism() {
    [[ -n "$prism_pid" ]] || return 0
    # Prism runs in its own session and process group (setsid below): signal the whole group,
    # so that anything node spawned goes too; escalate to KILL after a bounded wait.
    kill -TERM -- "-$prism_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 -- "-$prism_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
    prism_pid=""
}
trap stop_prism EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

echo "contract: starting prism $PRISM_VERSION on $base (log: $log)"
started=$(date +%s)
# `setsid` (without --fork: a background job is not a group leader, so it does not fork)
# makes Prism's pid the id of a new process group that stop_prism can signal.
setsid "$prism" mock --errors -h 127.0.0.1 -p "$port" "$spec" >"$log" 2>&1 </dev/null &
prism_pid=$!

ready=""
deadline=$(( $(date +%s) + READY_TIMEOUT_SECS ))
while (( $(date +%s) < deadline )); do
    if ! kill -0 "$prism_pid" 2>/dev/null; then
        echo "contract: prism exited before it was ready; its log:" >&2
        cat "$log" >&2
        exit 2
    fi
    # Any HTTP answer (Prism says 401/404/... to this probe) means it is listening.
    if curl --silent --output /dev/null --max-time 2 "$base/"; then
        ready=1
        break
    fi
    sleep 0.25
done
if [[ -z "$ready" ]]; then
    echo "contract: prism was not ready within ${READY_TIMEOUT_SECS} s; its log:" >&2
    cat "$log" >&2
    exit 2
fi
echo "contract: prism ready after $(( $(date +%s) - started )) s"

status=0
echo "contract: running: ${run_cmd[*]}"
CODEARTS_PRISM_URL="$base" "${run_cmd[@]}" || status=$?

stop_prism
if [[ $status -ne 0 ]]; then
    echo "contract: FAILED (prism's log: $log)" >&2
else
    echo "contract: OK in $(( $(date +%s) - started )) s"
fi
exit "$status"
