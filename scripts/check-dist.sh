#!/usr/bin/env bash
# Fails when dist/ is not exactly what the build makes from the current sources (and when the
# command line's inputs, generated from action.yml, are stale).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsx scripts/cli-inputs.ts --check
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx tsx scripts/build-dist.ts "$out" >/dev/null
if ! diff -rq dist "$out" >/dev/null; then
  echo "dist/ is stale: it differs from what 'npm run build' makes from the sources:" >&2
  diff -rq dist "$out" >&2 || true
  echo "Run 'npm run build' and commit dist/." >&2
  exit 1
fi
echo "dist/ matches the sources."
