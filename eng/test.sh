#!/usr/bin/env bash
# Builds and runs every test project of the repository, then prints "N passed, N failed".
# Agno.SemanticKernel and its tests need only Microsoft.SemanticKernel.Core and always run. The projects marked
# <AgnoNeedsSemanticKernelAgents>true</AgnoNeedsSemanticKernelAgents> (Agno.SemanticKernel.Agents' tests, the SK agents
# sample's test) need the Microsoft.SemanticKernel.Agents packages: where they cannot be restored (see README,
# "Semantic Kernel packages"), those projects are skipped with one line saying so.
set -uo pipefail
cd "$(dirname "$0")/.."

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

agents_marker="<AgnoNeedsSemanticKernelAgents>true</AgnoNeedsSemanticKernelAgents>"
sk_agents_available=true
sk_agents_probe=tests/Agno.SemanticKernel.Agents.Tests/Agno.SemanticKernel.Agents.Tests.csproj
if [ -f "$sk_agents_probe" ]; then
  if ! dotnet restore "$sk_agents_probe" --verbosity quiet >"$results/sk-agents-restore.log" 2>&1; then
    sk_agents_available=false
    reason=$(grep -oE "NU1101[^\[]*|NU1102[^\[]*|NU1301[^\[]*" "$results/sk-agents-restore.log" | head -n 1)
    skipped_projects=$(grep -l "$agents_marker" tests/*/*.Tests.csproj | xargs -n 1 basename | sed 's/\.csproj$//' | paste -sd, - | sed 's/,/, /g')
    echo "Semantic Kernel agent projects skipped ($skipped_projects): the Microsoft.SemanticKernel.Agents 1.80 packages cannot be restored here (${reason:-restore failed}). Set AGNO_SK_FEED to a folder feed of them to build and test them."
  fi
fi

# PostgreSQL for the store tests: a throw-away server (eng/postgres.sh), unless AGNO_TEST_POSTGRES names one
if [ -z "${AGNO_TEST_POSTGRES:-}" ]; then
  if pg_env=$(bash eng/postgres.sh start 2>"$results/postgres.log"); then
    eval "$pg_env"
    trap 'bash eng/postgres.sh stop' EXIT
  else
    echo "PostgreSQL tests skipped: no server could be started here ($(head -n 1 "$results/postgres.log")). Install Debian's postgresql, or set AGNO_TEST_POSTGRES to a connection string."
  fi
fi
# The browser tests (Agno.AgentOS.Hosting.Browser.Tests) drive the system's headless Chromium through Playwright,
# no browser download. Install Debian's chromium when it is missing (as root or with passwordless sudo); where it
# cannot be had, those tests are skipped with one line saying so.
if [ -z "${AGNO_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "Installing chromium for the browser tests (apt-get)..."
    { DEBIAN_FRONTEND=noninteractive timeout 900 $sudo apt-get install -y --no-install-recommends chromium \
      || { timeout 300 $sudo apt-get update && DEBIAN_FRONTEND=noninteractive timeout 900 $sudo apt-get install -y --no-install-recommends chromium; }; \
    } >"$results/chromium-install.log" 2>&1 || echo "chromium could not be installed (see $results/chromium-install.log)."
  fi
fi
if [ -z "${AGNO_CHROMIUM:-}" ] && command -v chromium >/dev/null 2>&1; then
  # named explicitly: a browser that is there but cannot start then fails the browser tests instead of skipping them
  export AGNO_CHROMIUM="$(command -v chromium)"
fi

status=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  if [ "$sk_agents_available" = false ] && grep -q "$agents_marker" "$project"; then
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
