#!/usr/bin/env bash
# Brings every shipped package's PublicAPI.Unshipped.txt up to date with its code (Microsoft.CodeAnalysis.PublicApiAnalyzers):
# adds each public symbol the analyzer reports as missing (RS0016) and removes each entry it reports as gone (RS0017),
# using the exact text of the analyzer's diagnostics (nullability and default values included). Run it after a
# deliberate API change, or after merging branches that each added API, then review and commit the diff of
# src/*/PublicAPI.*.txt.
#
#   bash eng/update-public-api.sh
#
# How: one rebuild of the packages under src/ with RS0016/RS0017 reported as warnings (so every package compiles even
# while its dependencies' lists are stale), the diagnostics parsed from the build output, the files edited, and a final
# normal build that must report none. A package that cannot be restored here (Agno.SemanticKernel.Agents without the
# Semantic Kernel agent packages) is skipped with one line saying so.
set -uo pipefail
cd "$(dirname "$0")/.."

projects=()
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$file" ] || printf '#nullable enable\n' > "$dir/$file"
  done
  if dotnet restore "$project" --verbosity quiet > /dev/null 2>&1; then
    projects+=("$PWD/$project")
  else
    echo "$(basename "$project" .csproj): skipped (its dependencies cannot be restored here)"
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$(IFS=';'; echo "${projects[*]}")
cat > "$work/api.proj" <<PROJ
<Project>
  <Target Name="Api">
    <MSBuild Projects="$list" Targets="Rebuild" Properties="TreatWarningsAsErrors=false;WarningsAsErrors=" />
  </Target>
</Project>
PROJ

pass() {
  dotnet msbuild "$work/api.proj" -t:Api -nologo -v:m -nr:false -clp:NoSummary > "$work/build.log" 2>&1
  python3 - "$work/build.log" <<'PY'
import collections, re, sys
added = collections.defaultdict(set)
removed = collections.defaultdict(set)
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.search(r"warning RS0016: Symbol '(.*)' is not part of the declared public API.*\[(.+\.csproj)\]\s*$", line)
    if m:
        added[m.group(2)].add(m.group(1))
        continue
    m = re.match(r"\s*(.+PublicAPI\.(?:Shipped|Unshipped)\.txt)\(\d+,\d+\): warning RS0017: Symbol '(.*)' is part of the declared API, but is either not public or could not be found", line)
    if m:
        removed[m.group(1)].add(m.group(2))
for path, symbols in removed.items():
    lines = open(path, encoding="utf-8").read().splitlines()
    kept = [l for l in lines if l.strip() not in symbols]
    open(path, "w", encoding="utf-8").write("\n".join(kept) + "\n")
    print(f"{path}: {len(lines) - len(kept)} removed")
for project, symbols in added.items():
    path = project.rsplit("/", 1)[0] + "/PublicAPI.Unshipped.txt"
    lines = open(path, encoding="utf-8").read().splitlines()
    header = [l for l in lines if l.startswith("#")] or ["#nullable enable"]
    body = sorted(set(l for l in lines if l and not l.startswith("#")) | symbols, key=lambda s: (s.lstrip("~").replace("static ", "", 1).replace("const ", "", 1).replace("abstract ", "", 1).replace("virtual ", "", 1).replace("override ", "", 1).lower(), s))
    open(path, "w", encoding="utf-8").write("\n".join(header + body) + "\n")
    print(f"{path}: {len(symbols)} added")
PY
}

pass

status=0
for project in "${projects[@]}"; do
  if dotnet build "$project" --no-restore -nologo -v:q 2>&1 | grep -E "error RS001[67]" | head -5 | grep -q .; then
    echo "$(basename "$project" .csproj): RS0016/RS0017 still reported"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "PublicAPI files up to date."
exit "$status"
