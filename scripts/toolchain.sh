#!/usr/bin/env bash
# Builds the Pulumi toolchain this project runs against, from Go modules fetched through the Go module proxy,
# into a cache outside the repo:
#
#   ${DEPLOY_GUARDRAILS_CACHE:-$HOME/.cache/deploy-guardrails}/toolchain/<key>/bin
#   ${DEPLOY_GUARDRAILS_CACHE:-$HOME/.cache/deploy-guardrails}/toolchain/current -> <key>
#
# Put "<cache>/toolchain/current/bin" on PATH. The last line printed is machine-readable:
#   TOOLCHAIN_BIN=<cache>/toolchain/current/bin
# and the line before it lists what could not be provided (empty when nothing is missing):
#   TOOLCHAIN_MISSING=pulumi-resource-vercel,...
# The same facts are in <cache>/toolchain/current/missing.txt (one "name: reason" per line) and
# <cache>/toolchain/current/manifest.txt (one "name<TAB>version<TAB>how" per line), and
# <cache>/toolchain/current/env.sh sets PATH, PULUMI_SKIP_UPDATE_CHECK and
# PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION for tests (source it).
#
# What it provides:
#   pulumi                  the CLI, from github.com/pulumi/pulumi/pkg/v3 (cmd/pulumi) built in the wrapper module
#                           scripts/toolchain/go.mod, at the @pulumi/pulumi version of package-lock.json if the
#                           proxy serves it, else at the version pinned in scripts/toolchain/go.mod (with a warning).
#                           A `pulumi` already on PATH at the lock-file version is used instead (symlinked).
#   pulumi-language-nodejs  our own small language host (scripts/toolchain/pulumi-language-nodejs), which runs
#                           programs and Node.js policy packs (the CLI runs policy packs through it: no
#                           pulumi-analyzer-policy needed).
#   actionlint              github.com/rhysd/actionlint/cmd/actionlint at $ACTIONLINT_VERSION.
#   pulumi-resource-<name>  one per Pulumi resource package in package-lock.json, at the same version, when it can
#                           be had: already on PATH, or its provider module is served by the proxy and we know how
#                           to build it. Otherwise it is reported as missing, with the reason.
#
# And, under their own cache key, in <cache>/toolchain/emulators-current/bin (NOT in bin/, never on PATH by default):
#   pulumi-resource-<name>  OFFLINE EMULATORS for every resource package in the lock file (one Go binary,
#                           scripts/toolchain/emulators, behind a small wrapper per package): stateful models of the
#                           remote objects (Vercel projects and variables, GitHub repository settings, generated
#                           secrets, local commands) kept as JSON files in $DEPLOY_GUARDRAILS_EMULATOR_STATE, with the
#                           services' rules listed in docs/emulator-rules.md. They never call Vercel or GitHub. Put
#                           that directory on PATH only on purpose, when the real plugins are missing, and say so.
#                           Their key hashes only their own sources, so an emulator edit rebuilds them in seconds and
#                           never the CLI.
#
# Exit status: 0 when at least `pulumi` and `pulumi-language-nodejs` are there (missing plugins are warnings);
# 1 otherwise. Idempotent: a second run with the same inputs takes a second or two.
# Options: --rebuild (or TOOLCHAIN_REBUILD=1) ignores a finished cache entry and builds it again.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
WRAPPER_DIR="$SCRIPT_DIR/toolchain"
EMULATOR_DIR="$WRAPPER_DIR/emulators"
LOCK_FILE="$REPO_ROOT/package-lock.json"
CACHE_BASE="${DEPLOY_GUARDRAILS_CACHE:-$HOME/.cache/deploy-guardrails}"
TOOLCHAIN_ROOT="$CACHE_BASE/toolchain"
ACTIONLINT_VERSION="v1.7.12"
# Bump when the layout or the build recipe changes, so old cache entries are not reused.
RECIPE_VERSION=4

REBUILD="${TOOLCHAIN_REBUILD:-}"
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=1 ;;
    -h|--help) sed -n '2,30p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "toolchain: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'toolchain: %s\n' "$*"; }
warn() { printf 'toolchain: WARNING: %s\n' "$*" >&2; }
now() { date +%s; }

# ----------------------------------------------------------------------------------------------------------------
# Inputs

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
if ! command -v node >/dev/null 2>&1; then
  echo "toolchain: node is not on PATH (needed to read package-lock.json and to run Pulumi programs)" >&2
  exit 1
fi
if [ ! -f "$LOCK_FILE" ]; then
  echo "toolchain: $LOCK_FILE not found" >&2
  exit 1
fi

# "<npm package> <version> <plugin name> <server>" for @pulumi/pulumi and every package.json-declared Pulumi
# resource package in the lock file (its package.json "pulumi" block names the plugin).
read_lock() {
  node - "$LOCK_FILE" "$REPO_ROOT" <<'EOF'
const fs = require("fs"), path = require("path");
const [lockFile, root] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"));
const pkgs = lock.packages || {};
const top = pkgs["node_modules/@pulumi/pulumi"];
if (!top) { console.error("no node_modules/@pulumi/pulumi in package-lock.json"); process.exit(1); }
console.log(`@pulumi/pulumi ${top.version} - -`);
for (const [key, meta] of Object.entries(pkgs)) {
  if (!key.startsWith("node_modules/") || key.includes("/node_modules/")) continue;  // top-level packages only
  const name = key.slice("node_modules/".length);
  let pj = null;
  try { pj = JSON.parse(fs.readFileSync(path.join(root, key, "package.json"), "utf8")); } catch (e) { pj = null; }
  let plugin = null, server = "-";
  if (pj && pj.pulumi && pj.pulumi.resource) {
    plugin = pj.pulumi.name || name.replace(/^@pulumi\//, "").replace(/^@/, "");
    server = pj.pulumi.server || "-";
  } else if (!pj && /^@pulumi(verse)?\//.test(name) && !["@pulumi/pulumi", "@pulumi/policy"].includes(name)) {
    // node_modules not installed yet: fall back to the package name.
    plugin = name.replace(/^@pulumi(verse)?\//, "");
  }
  if (plugin) console.log(`${name} ${meta.version} ${plugin} ${server}`);
}
EOF
}

LOCK_LINES=$(read_lock) || { echo "toolchain: could not read $LOCK_FILE" >&2; exit 1; }
WANT_PULUMI=$(awk '$1=="@pulumi/pulumi"{print $2}' <<<"$LOCK_LINES")
PROVIDERS=$(awk '$1!="@pulumi/pulumi"' <<<"$LOCK_LINES")   # npm-name version plugin server

# Upstream Go module of each provider plugin (a published module, built with our own wrapper), by plugin name.
provider_module() {
  case "$1" in
    command) echo "github.com/pulumi/pulumi-command/provider" ;;
    random) echo "github.com/pulumi/pulumi-random/provider/v4" ;;
    github) echo "github.com/pulumi/pulumi-github/provider/v6" ;;
    vercel) echo "github.com/pulumiverse/pulumi-vercel/provider/v5" ;;
    *) echo "" ;;
  esac
}

PINNED_PULUMI=$(awk '$1=="github.com/pulumi/pulumi/pkg/v3"{print $2; exit}' "$WRAPPER_DIR/go.mod")
PINNED_PULUMI=${PINNED_PULUMI#v}

hash_inputs() {
  {
    echo "recipe $RECIPE_VERSION"
    go version 2>/dev/null || echo "no go"
    echo "pulumi $WANT_PULUMI"
    echo "actionlint $ACTIONLINT_VERSION"
    echo "$PROVIDERS"
    cat "$WRAPPER_DIR/go.mod" "$WRAPPER_DIR/go.sum"
    find "$WRAPPER_DIR" -name '*.go' -not -path "$EMULATOR_DIR/*" -print0 | sort -z | xargs -0 cat
    # The script itself, less the emulator section: editing how emulators are built does not rebuild the CLI.
    sed '/^# >>> emulators/,/^# <<< emulators/d' "${BASH_SOURCE[0]}"
  } | sha256sum | cut -c1-12
}
KEY="pulumi-$WANT_PULUMI-$(hash_inputs)"
KEY_DIR="$TOOLCHAIN_ROOT/$KEY"
CURRENT="$TOOLCHAIN_ROOT/current"
mkdir -p "$TOOLCHAIN_ROOT"

print_summary() {
  local dir=$1
  say "binaries in $dir/bin (current -> $(readlink "$CURRENT" 2>/dev/null || echo '?'))"
  if [ -f "$dir/manifest.txt" ]; then
    while IFS=$'\t' read -r name ver how; do
      printf 'toolchain:   %-26s %-10s %s\n' "$name" "$ver" "$how"
    done <"$dir/manifest.txt"
  fi
  local missing=""
  if [ -s "$dir/missing.txt" ]; then
    while IFS= read -r line; do
      warn "missing $line"
      missing="${missing:+$missing,}${line%%:*}"
    done <"$dir/missing.txt"
  fi
  [ ! -d "$EMULATORS_CURRENT/bin" ] || say "offline emulator providers (opt-in, not on PATH): $EMULATORS_CURRENT/bin"
  echo "TOOLCHAIN_MISSING=$missing"
  echo "TOOLCHAIN_BIN=$CURRENT/bin"
}

point_current_at() {
  ln -sfn "$(basename "$1")" "$CURRENT.tmp.$$" && mv -Tf "$CURRENT.tmp.$$" "$CURRENT"
}

# One build at a time per cache (concurrent `npm run plan` and tests): wait for the lock.
exec 9>"$TOOLCHAIN_ROOT/.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

# >>> emulators
# The offline emulator providers: their own cache entry, keyed by their sources only (a build takes seconds).
EMULATORS_CURRENT="$TOOLCHAIN_ROOT/emulators-current"
emulator_key() {
  {
    echo "emulators recipe 1"
    go version 2>/dev/null || echo "no go"
    echo "$PROVIDERS"
    cat "$WRAPPER_DIR/go.mod" "$WRAPPER_DIR/go.sum"
    find "$EMULATOR_DIR" -name '*.go' -not -name '*_test.go' -print0 | sort -z | xargs -0 cat
    sed -n '/^# >>> emulators/,/^# <<< emulators/p' "${BASH_SOURCE[0]}"
  } | sha256sum | cut -c1-12
}
ensure_emulators() {
  if ! command -v go >/dev/null 2>&1; then
    warn "Go is not installed: no offline emulator providers"
    return 0
  fi
  local ekey edir estage t0
  ekey="emulators-$(emulator_key)"
  edir="$TOOLCHAIN_ROOT/$ekey"
  if [ -z "$REBUILD" ] && [ -f "$edir/.complete" ]; then
    ln -sfn "$ekey" "$EMULATORS_CURRENT.tmp.$$" && mv -Tf "$EMULATORS_CURRENT.tmp.$$" "$EMULATORS_CURRENT"
    return 0
  fi
  estage="$TOOLCHAIN_ROOT/.stage-$ekey-$$"
  rm -rf "$estage"
  mkdir -p "$estage/bin"
  t0=$(now)
  if ! (cd "$WRAPPER_DIR" && GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-} -buildvcs=false" go build -trimpath -ldflags "-s -w" \
    -o "$estage/bin/pulumi-resource-emulator" ./emulators); then
    warn "go build of scripts/toolchain/emulators failed: no offline emulator providers (see the output above)"
    rm -rf "$estage"
    return 0
  fi
  : >"$estage/manifest.txt"
  while read -r npm_name ver plugin server; do
    [ -n "${npm_name:-}" ] || continue
    printf '#!/bin/sh\n# Offline emulator of %s@%s (not the real provider): see scripts/toolchain.sh\nDEPLOY_GUARDRAILS_EMULATOR_PACKAGE=%s DEPLOY_GUARDRAILS_EMULATOR_VERSION=%s exec "$(dirname "$0")/pulumi-resource-emulator" "$@"\n' \
      "$npm_name" "$ver" "$plugin" "$ver" >"$estage/bin/pulumi-resource-$plugin"
    chmod +x "$estage/bin/pulumi-resource-$plugin"
    printf 'pulumi-resource-%s\tv%s\tOFFLINE EMULATOR (scripts/toolchain/emulators), not the real provider\n' "$plugin" "$ver" >>"$estage/manifest.txt"
  done <<<"$PROVIDERS"
  touch "$estage/.complete"
  rm -rf "$edir"
  mv "$estage" "$edir"
  ln -sfn "$ekey" "$EMULATORS_CURRENT.tmp.$$" && mv -Tf "$EMULATORS_CURRENT.tmp.$$" "$EMULATORS_CURRENT"
  say "built the offline emulator providers in $(( $(now) - t0 ))s ($ekey)"
  ls -dt "$TOOLCHAIN_ROOT"/emulators-* 2>/dev/null | grep -v -- "-current$" | tail -n +4 | while read -r old; do
    [ "$old" = "$edir" ] || rm -rf "$old"
  done
}
ensure_emulators
# <<< emulators

if [ -z "$REBUILD" ] && [ -f "$KEY_DIR/.complete" ]; then
  point_current_at "$KEY_DIR"
  say "up to date (cache key $KEY)"
  print_summary "$KEY_DIR"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "toolchain: Go is not installed (looked on PATH and in /usr/local/go/bin)" >&2
  exit 1
fi
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

STAGE="$TOOLCHAIN_ROOT/.stage-$KEY-$$"
rm -rf "$STAGE"
mkdir -p "$STAGE/bin"
trap 'rm -rf "$STAGE"' EXIT
: >"$STAGE/manifest.txt"
: >"$STAGE/missing.txt"
T_ALL=$(now)

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$STAGE/manifest.txt"; }
missing() { printf '%s: %s\n' "$1" "$2" >>"$STAGE/missing.txt"; warn "$1: $2"; }

# PATH without our own cache entries, to find tools installed some other way.
FOREIGN_PATH=$(tr ':' '\n' <<<"$PATH" | grep -v -F "$TOOLCHAIN_ROOT" | paste -sd: -)
foreign_tool() { PATH="$FOREIGN_PATH" command -v "$1" 2>/dev/null || true; }

# Why the proxy cannot give us module@version (empty when it can). Short, single-line.
module_unavailable() {
  local out
  # Ask the proxy only: a fall-back to "direct" (git) would just add a confusing network error.
  local proxy
  proxy=$(go env GOPROXY | sed 's/,direct$//; s/|direct$//')
  out=$(cd "$STAGE" && GOPROXY="$proxy" GOFLAGS=-mod=mod go mod download -json "$1@$2" 2>&1)
  if grep -q '"Error"' <<<"$out"; then
    sed -n 's/.*"Error": "\(.*\)",*$/\1/p' <<<"$out" | sed 's/\\n\\t/ /g; s/\\n/ /g' | head -c 400
  elif [ -z "$out" ]; then
    echo "go mod download printed nothing"
  fi
}

# ----------------------------------------------------------------------------------------------------------------
# pulumi + pulumi-language-nodejs

build_wrapper() {
  # $1 = pulumi version to build (without v), then the packages to build. pulumi and our language host are built
  # in one `go build`, so they share compiled packages.
  local ver=$1 src="$WRAPPER_DIR"
  shift
  local -a goflags=()
  if [ "$ver" != "$PINNED_PULUMI" ]; then
    src="$STAGE/src"
    mkdir -p "$src"
    cp -r "$WRAPPER_DIR/." "$src/"
    (cd "$src" && GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3@v$ver" "github.com/pulumi/pulumi/sdk/v3@v$ver") ||
      return 1
    goflags=(-mod=mod)
  fi
  (cd "$src" && go build "${goflags[@]}" -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$ver" \
    -o "$STAGE/bin/" "$@")
}

HAVE_CLI=""
existing=$(foreign_tool pulumi)
if [ -n "$existing" ] && [ "$("$existing" version 2>/dev/null)" = "v$WANT_PULUMI" ]; then
  ln -sf "$existing" "$STAGE/bin/pulumi"
  record pulumi "v$WANT_PULUMI" "already on PATH: $existing (symlinked)"
  say "pulumi v$WANT_PULUMI found on PATH at $existing: using it"
  HAVE_CLI=1
  # Its own language host, if it sits beside it.
  if [ -x "$(dirname "$existing")/pulumi-language-nodejs" ]; then
    ln -sf "$(dirname "$existing")/pulumi-language-nodejs" "$STAGE/bin/pulumi-language-nodejs"
    record pulumi-language-nodejs "v$WANT_PULUMI" "beside the pulumi on PATH (symlinked)"
  fi
fi

if [ -z "$HAVE_CLI" ] || [ ! -e "$STAGE/bin/pulumi-language-nodejs" ]; then
  BUILD_VER="$WANT_PULUMI"
  if [ "$WANT_PULUMI" != "$PINNED_PULUMI" ]; then
    why=$(module_unavailable github.com/pulumi/pulumi/pkg/v3 "v$WANT_PULUMI")
    if [ -n "$why" ]; then
      warn "package-lock.json wants pulumi v$WANT_PULUMI, but the Go module proxy does not serve it ($why);" \
        "building v$PINNED_PULUMI, the version pinned in scripts/toolchain/go.mod (the newest it serves)." \
        "The Node.js SDK v$WANT_PULUMI runs fine under this CLI."
      BUILD_VER="$PINNED_PULUMI"
    fi
  fi
  targets=(./pulumi-language-nodejs)
  what="pulumi-language-nodejs"
  if [ -z "$HAVE_CLI" ]; then
    targets=(github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "${targets[@]}")
    what="pulumi v$BUILD_VER, $what"
  fi
  say "building $what (wrapper module scripts/toolchain) ..."
  t0=$(now)
  if build_wrapper "$BUILD_VER" "${targets[@]}"; then
    secs=$(( $(now) - t0 ))
    say "built $what in ${secs}s"
    if [ -z "$HAVE_CLI" ]; then
      record pulumi "v$BUILD_VER" "built from github.com/pulumi/pulumi/pkg/v3@v$BUILD_VER in ${secs}s (wanted v$WANT_PULUMI)"
    fi
    record pulumi-language-nodejs "v$BUILD_VER" "built from scripts/toolchain/pulumi-language-nodejs (ours), SDK v$BUILD_VER"
  else
    for t in "${targets[@]}"; do
      [ -e "$STAGE/bin/$(basename "$t")" ] || missing "$(basename "$t")" "go build of $t (pulumi v$BUILD_VER) failed: see the output above"
    done
  fi
fi

# ----------------------------------------------------------------------------------------------------------------
# actionlint

existing=$(foreign_tool actionlint)
say "building actionlint $ACTIONLINT_VERSION ..."
t0=$(now)
if GOBIN="$STAGE/bin" go install -trimpath -ldflags "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" \
  "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"; then
  secs=$(( $(now) - t0 ))
  say "built actionlint in ${secs}s"
  record actionlint "$ACTIONLINT_VERSION" "built from github.com/rhysd/actionlint/cmd/actionlint in ${secs}s"
elif [ -n "$existing" ]; then
  ln -sf "$existing" "$STAGE/bin/actionlint"
  record actionlint "?" "build failed; using the one on PATH: $existing"
else
  missing actionlint "go install github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION failed (see above)"
fi

# ----------------------------------------------------------------------------------------------------------------
# Provider plugins

while read -r npm_name ver plugin server; do
  [ -n "${npm_name:-}" ] || continue
  bin="pulumi-resource-$plugin"
  existing=$(foreign_tool "$bin")
  if [ -n "$existing" ]; then
    ln -sf "$existing" "$STAGE/bin/$bin"
    record "$bin" "?" "already on PATH: $existing (symlinked; the engine does not check a PATH plugin's version, want v$ver)"
    continue
  fi
  mod=$(provider_module "$plugin")
  if [ -z "$mod" ]; then
    missing "$bin" "no known Go module for plugin '$plugin' (npm $npm_name@$ver)"
    continue
  fi
  why=$(module_unavailable "$mod" "v$ver")
  if [ -n "$why" ]; then
    missing "$bin" "v$ver not built: the Go module proxy does not serve $mod@v$ver ($why); npm $npm_name@$ver would download it from ${server/#-/get.pulumi.com} at run time, which this network cannot reach either"
  else
    missing "$bin" "v$ver not built: $mod@v$ver is served, but scripts/toolchain has no wrapper for it yet (its replace directives and generated schema need one)"
  fi
done <<<"$PROVIDERS"

# ----------------------------------------------------------------------------------------------------------------
# Publish

say "total ${SECONDS}s ($(( $(now) - T_ALL ))s building)"
if [ ! -e "$STAGE/bin/pulumi" ] || [ ! -e "$STAGE/bin/pulumi-language-nodejs" ]; then
  echo "toolchain: FAILED: pulumi and pulumi-language-nodejs are both required" >&2
  cp "$STAGE/manifest.txt" "$STAGE/missing.txt" "$TOOLCHAIN_ROOT/" 2>/dev/null || true
  print_summary "$STAGE"
  exit 1
fi
cat >"$STAGE/env.sh" <<EOF
# source this file to use the toolchain
export PATH="$CURRENT/bin:\$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
# No network to download missing plugins from: fail at once with "no resource plugin ... on your \$PATH" instead
# of five download retries per plugin.
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
EOF
touch "$STAGE/.complete"
rm -rf "$KEY_DIR"
mv "$STAGE" "$KEY_DIR"
trap - EXIT
point_current_at "$KEY_DIR"
# Keep the three most recent entries (other checkouts may use other keys); drop stages of killed runs.
ls -dt "$TOOLCHAIN_ROOT"/pulumi-* 2>/dev/null | tail -n +4 | while read -r old; do
  [ "$old" = "$KEY_DIR" ] || rm -rf "$old"
done
find "$TOOLCHAIN_ROOT" -maxdepth 1 -name '.stage-*' -mmin +180 -exec rm -rf {} + 2>/dev/null || true
print_summary "$KEY_DIR"
exit 0
