#!/usr/bin/env bash
# The one test command (`npm test`): provisions what is missing (Docker Engine, Chromium, Go,
# offline stand-in images) while lint, the typechecks and the build run beside it, then every
# vitest project.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Lint, typechecks and the build need only node_modules: they run while provisioning waits on
# downloads and the engine. Their output is printed once they are done.
checks_log="$(mktemp)"
(
    set -e
    echo "lint";        npx eslint --max-warnings 0 .
    echo "typecheck (shared, node, renderer)"; npm run -s typecheck
    echo "build (main, preload, renderer)";    npx electron-vite build --logLevel warn
) >"$checks_log" 2>&1 &
checks=$!
trap 'kill "$checks" 2>/dev/null || true; rm -f "$checks_log"' EXIT

step "Provision (skips what is already there)"
bash test/engine/provision.sh

step "Lint, typechecks, build (ran beside provisioning)"
if ! wait "$checks"; then
    cat "$checks_log"
    echo "Lint, a typecheck or the build failed (above)." >&2
    exit 1
fi
cat "$checks_log"

step "Tests: unit, integration (real engine), e2e (Chromium)"
# Every test's duration is kept in test-results/vitest.json (ignored by git): where the time goes.
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json

echo "All checks passed in $((SECONDS - start)) s."
