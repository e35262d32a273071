# Shared by the .ci scripts that install their own tools; sourced, not run:
#
#     ci_name="lint-spec"                       # the prefix of the script's messages
#     source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It moves to the repository's root (sets `repo_root`), sets `tools_dir` and `spec`, and
# defines `need`, `npm_cli` and `install_npm_cli`, so that each script keeps only what is its
# own.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# The tools are installed into a local, uncommitted folder, never globally.
if [[ -n "${CODEARTS_TOOLS_DIR:-}" ]]; then
    tools_dir="$CODEARTS_TOOLS_DIR"
elif [[ -n "${HOME:-}" ]]; then
    tools_dir="$HOME/.cache/codearts-tools"
else
    tools_dir="$repo_root/target/codearts-tools"
fi

# The spec the scripts check.
spec="spec/codearts-repo.yaml"

# need COMMAND: exit 2 unless COMMAND is on PATH.
need() {
    command -v "$1" >/dev/null 2>&1 || { echo "$ci_name: '$1' is required but not on PATH" >&2; exit 2; }
}

# npm_cli NAME VERSION: where install_npm_cli puts the executable NAME of an npm package at
# VERSION, in a folder of its own under the tool folder.
npm_cli() {
    echo "$tools_dir/npm/$1-$2/node_modules/.bin/$1"
}

# install_npm_cli PACKAGE VERSION EXECUTABLE: npm-installs PACKAGE@VERSION where EXECUTABLE
# (from npm_cli) is, unless it is there and says (`--version`) it is VERSION; exit 2 if the
# install does not leave EXECUTABLE behind.
install_npm_cli() {
    local package="$1" version="$2" executable="$3"
    local prefix="${executable%/node_modules/.bin/*}"
    if [[ -x "$executable" ]] && [[ "$("$executable" --version 2>/dev/null)" == "$version" ]]; then
        return
    fi
    need npm
    echo "$ci_name: installing $package@$version into $prefix" >&2
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
        "$package@$version" >&2
    [[ -x "$executable" ]] || { echo "$ci_name: $(basename "$executable") was not installed" >&2; exit 2; }
}
