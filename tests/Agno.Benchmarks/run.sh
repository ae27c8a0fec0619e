#!/usr/bin/env bash
# The benchmarks in one command: builds Release, runs the load runner (this client pinned to core 0, its replay
# server to core 1) and prints the table of ours vs the raw floor; --micro adds the BenchmarkDotNet micro-benchmarks.
#
#   bash tests/Agno.Benchmarks/run.sh                 # load runner, full (about 3 minutes)
#   bash tests/Agno.Benchmarks/run.sh --quick         # load runner, shorter counts (about 1 minute)
#   bash tests/Agno.Benchmarks/run.sh --micro         # load runner, then the micro-benchmarks
#   bash tests/Agno.Benchmarks/run.sh --micro-only --quick
#   bash tests/Agno.Benchmarks/run.sh --stores        # the host's session stores (memory, SQLite, PostgreSQL x1, x2)
#   bash tests/Agno.Benchmarks/run.sh --telemetry     # adds a column: ours with an ActivityListener and a MeterListener attached
#   bash tests/Agno.Benchmarks/run.sh --help          # this text
#   bash tests/Agno.Benchmarks/run.sh --tuned         # DOTNET_TC_CallCountingDelayMs=0 (see below); default: the runtime's defaults
#
# Other arguments go to the load runner (e.g. --only W2,W4 --reps 7). Results: artifacts/benchmarks/.
# Benchmarks are never part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=""
micro=false
load=true
stores=false
tuned=false
extra=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --quick) quick=--quick ;;
    --micro) micro=true ;;
    --micro-only) micro=true; load=false ;;
    --stores) stores=true; load=false ;;
    --tuned) tuned=true ;;
    *) extra+=("$arg") ;;
  esac
done

dotnet build tests/Agno.Benchmarks/Agno.Benchmarks.csproj -c Release -nologo -v quiet
if [ "$stores" = true ]; then
  # the host's session stores, PostgreSQL from a throw-away server (eng/postgres.sh) unless AGNO_TEST_POSTGRES is set
  if [ -z "${AGNO_TEST_POSTGRES:-}" ] && pg_env=$(bash eng/postgres.sh start); then
    eval "$pg_env"
    trap 'bash eng/postgres.sh stop' EXIT
  fi
  dotnet tests/Agno.Benchmarks/bin/Release/net10.0/Agno.Benchmarks.dll stores "${extra[@]}"
  exit 0
fi
out=artifacts/benchmarks
mkdir -p "$out"
dll=tests/Agno.Benchmarks/bin/Release/net10.0/Agno.Benchmarks.dll

# The runtime's default settings (workstation GC, tiered compilation with PGO). --tuned sets the one setting that
# changes what is measured: tiered compilation promotes hot methods in waves after a 100 ms quiet period, so a
# warm-up can end while instrumented (PGO) code still runs; DOTNET_TC_CallCountingDelayMs=0 reaches steady state
# sooner. docs/benchmarks.md shows both.
if [ "$tuned" = true ]; then
  export DOTNET_TC_CallCountingDelayMs=0
fi

pin=()
if command -v taskset >/dev/null 2>&1 && [ "$(nproc --all)" -ge 2 ]; then
  pin=(taskset -c 0)
else
  extra+=(--no-pin)
  echo "note: fewer than 2 cores or no taskset: client and replay server are not pinned"
fi

if $load; then
  # W7 is also measured from a copy of this program published with ReadyToRun code (PublishReadyToRun=true, the
  # .NET way to start faster): the table shows both, the build output (JIT) and the published copy.
  r2r=()
  rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
  if [[ " ${extra[*]} " == *" --only "* && " ${extra[*]^^} " != *W7* ]]; then
    rid=""  # W7 not asked for
  fi
  if [ -n "$rid" ] && dotnet publish tests/Agno.Benchmarks/Agno.Benchmarks.csproj -c Release -r "$rid" --self-contained false \
       -p:PublishReadyToRun=true -o "$out/r2r" -nologo -v quiet >"$out/r2r-publish.log" 2>&1; then
    r2r=(--r2r "$out/r2r")
  else
    [ -n "$rid" ] && echo "note: the ReadyToRun copy could not be published (see $out/r2r-publish.log): W7 is measured from the build output only"
  fi
  "${pin[@]}" dotnet "$dll" load $quick --out "$out/load.md" "${r2r[@]}" "${extra[@]}"
fi
if $micro; then
  "${pin[@]}" dotnet "$dll" micro $quick --artifacts "$out/micro"
fi
