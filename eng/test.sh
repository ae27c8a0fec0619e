#!/usr/bin/env bash
# Builds and runs every test project of the repository, then prints "N passed, N failed".
# The Semantic Kernel projects need the Microsoft.SemanticKernel 1.80 packages: where they cannot be
# restored (see README, "Semantic Kernel packages"), they are skipped with a line saying so.
set -uo pipefail
cd "$(dirname "$0")/.."

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

sk_available=true
if [ -f src/Agno.SemanticKernel/Agno.SemanticKernel.csproj ]; then
  if ! dotnet restore src/Agno.SemanticKernel/Agno.SemanticKernel.csproj --verbosity quiet >"$results/sk-restore.log" 2>&1; then
    sk_available=false
    reason=$(grep -oE "NU1101[^\[]*|NU1102[^\[]*|NU1301[^\[]*" "$results/sk-restore.log" | head -n 1)
    echo "Semantic Kernel projects skipped: the Microsoft.SemanticKernel 1.80 packages cannot be restored here (${reason:-restore failed}). Set AGNO_SK_FEED to a folder feed of them to build and test them."
  fi
fi

status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  if [ "$sk_available" = false ] && grep -q "SemanticKernel" "$project"; then
    continue
  fi
  echo "=== $name"
  dotnet test "$project" \
    --logger "trx;LogFileName=$name.trx" \
    --logger "console;verbosity=normal" \
    --results-directory "$results" || status=1
done

passed=0
failed=0
skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  t=$(echo "$counters" | sed -n 's/.* total="\([0-9]*\)".*/\1/p')
  e=$(echo "$counters" | sed -n 's/.* executed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # a build or a test host failed: count it so the summary cannot read as green
  failed=1
fi

echo
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
