#!/usr/bin/env bash
# Lint the OpenAPI spec with Spectral (spectral:oas ruleset) and openapi-spec-validator.
#
# The two linters are installed on first use into a local, uncommitted tool folder
# (default: $HOME/.cache/codearts-tools; override with CODEARTS_TOOLS_DIR). Nothing is
# installed globally: only node/npm and python3 (with venv/pip) are needed.
#
# Exit status: non-zero if either linter reports an error (Spectral warnings are
# printed but do not fail; see spec/README.md for why each remaining warning is there).
set -euo pipefail

SPECTRAL_VERSION="6.16.3"
OSV_VERSION="0.9.0"

ci_name="lint-spec"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
venv_dir="$tools_dir/venv/openapi-spec-validator-$OSV_VERSION"
spectral="$(npm_cli spectral "$SPECTRAL_VERSION")"
osv="$venv_dir/bin/openapi-spec-validator"

ruleset=".spectral.yaml"

install_osv() {
    if [[ -x "$osv" ]] && "$venv_dir/bin/python" -c \
        "import importlib.metadata as m, sys; sys.exit(m.version('openapi-spec-validator') != '$OSV_VERSION')" \
        2>/dev/null; then
        return
    fi
    need python3
    echo "lint-spec: installing openapi-spec-validator==$OSV_VERSION into $venv_dir" >&2
    rm -rf "$venv_dir"
    mkdir -p "$(dirname "$venv_dir")"
    python3 -m venv "$venv_dir"
    "$venv_dir/bin/python" -m pip install --quiet --disable-pip-version-check \
        "openapi-spec-validator==$OSV_VERSION" >&2
    [[ -x "$osv" ]] || { echo "lint-spec: openapi-spec-validator was not installed" >&2; exit 2; }
}

install_npm_cli @stoplight/spectral-cli "$SPECTRAL_VERSION" "$spectral"
install_osv

status=0

echo "== spectral $("$spectral" --version) (ruleset $ruleset) =="
"$spectral" lint -r "$ruleset" "$spec" --fail-severity=error || status=1

echo "== openapi-spec-validator $OSV_VERSION =="
"$osv" "$spec" || status=1

if [[ $status -ne 0 ]]; then
    echo "lint-spec: FAILED" >&2
else
    echo "lint-spec: OK"
fi
exit "$status"
