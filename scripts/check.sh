#!/usr/bin/env bash
# npm run check: what must hold before a change lands (the first step of npm test). Each step names its fix.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
step() { echo "check: $1"; }
step "prettier (fix: npx prettier --write .)"
npx prettier --check --log-level warn .
step "eslint, zero warnings (typed rules, no-floating-promises)"
npx eslint --max-warnings=0 .
step "tsc: the program, scripts and tests"
npx tsc --noEmit -p .
step "tsc: the policy pack, its scripts and tests"
npx tsc --noEmit -p policy
step "gofmt and go vet: the emulators"
cd scripts/toolchain
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "check: not gofmt-formatted (fix: gofmt -w scripts/toolchain): $unformatted" >&2
  exit 1
fi
GOTOOLCHAIN=local go vet ./emulators/...
echo "check: clean"
