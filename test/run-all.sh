#!/usr/bin/env bash
# The one test command (`npm test`): provisions what is missing (Docker Engine, Chromium, Go,
# offline stand-in images), then lint, typechecks, the build, and every vitest project.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Provision (skips what is already there)"
bash test/engine/provision.sh

step "Lint"
npx eslint --max-warnings 0 .

step "Typecheck (shared, node, renderer)"
npm run -s typecheck

step "Build (main, preload, renderer)"
npx electron-vite build --logLevel warn

step "Tests: unit, integration (real engine), e2e (Chromium)"
npx vitest run

echo "All checks passed in $((SECONDS - start)) s."
