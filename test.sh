#!/usr/bin/env bash
# Runs every StateForge test, after installing what the tests need (the lab's real hosts need
# root, iproute2, openssh-server, iptables, sudo; the cluster tests need kubectl).
# Ends with one line "N passed, M failed" and exits non-zero on any failure, skip, or no tests.
set -euo pipefail
cd "$(dirname "$0")"

bash tests/install-deps.sh

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet test StateForge.sln --configuration Release --logger trx --results-directory "$results" "$@" || status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done

for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/FAILED: \1/p' >&2 || true
done
if [ "$skipped" -gt 0 ]; then
  echo "$skipped test(s) were skipped: a skipped test hides a failure" >&2
fi
echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ] || [ "$skipped" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$status" -ne 0 ]; then
  exit 1
fi
