#!/usr/bin/env bash
# StateForge's own benchmark on lab hosts: `stateforge check` and a no-op `apply` of a ~15-task
# playbook at N = 1, 5, 20 hosts. Prints, per N and case, the median wall time over RUNS runs,
# remote commands per host (from the JSON report) and the controller's peak RSS (/usr/bin/time).
# Usage: sudo bench/bench.sh [RUNS] [N...]      (root: the lab's hosts are namespaces)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; shift || true
sizes=("${@:-1 5 20}"); read -r -a sizes <<<"${sizes[*]}"

bash tests/lab/install-deps.sh
out=$(mktemp -d)
trap 'tests/lab/lab down --dir "$out/lab" >/dev/null 2>&1 || true; rm -rf "$out"' EXIT
dotnet publish src/StateForge.Cli -c Release -o "$out/bin" --nologo -v q >/dev/null
sf="$out/bin/stateforge"
playbook=bench/stateforge/hosts-15.yml

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# One timed run: prints "wall_seconds max_rss_kb commands_per_host"
timed() {
  local json="$out/report.json"
  /usr/bin/time -f '%e %M' -o "$out/time" "$sf" "$@" -i "$out/lab/inventory.ini" --known-hosts "$out/lab/known_hosts" \
    --json "$json" >/dev/null 2>&1 || [ $? -eq 2 ]
  local cmds
  cmds=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["hosts"]; print(max(v["remote_commands"] for v in h.values()))' "$json")
  echo "$(cat "$out/time") $cmds"
}

printf '%-4s %-16s %10s %14s %12s\n' N case median_s cmds_per_host peak_rss_MB
for n in "${sizes[@]}"; do
  tests/lab/lab down --dir "$out/lab" >/dev/null 2>&1 || true
  tests/lab/lab up "$n" --dir "$out/lab" >/dev/null
  for case in "check (fresh)" "apply (fresh)" "apply (no-op)" "check (no-op)"; do
    : >"$out/samples"
    reps=$runs
    [ "$case" = "apply (fresh)" ] && reps=1
    for _ in $(seq "$reps"); do
      case "$case" in
        check*) timed check "$playbook" >>"$out/samples" ;;
        apply*) timed apply "$playbook" >>"$out/samples" ;;
      esac
    done
    wall=$(cut -d' ' -f1 "$out/samples" | median)
    rss=$(cut -d' ' -f2 "$out/samples" | sort -n | tail -1)
    cmds=$(cut -d' ' -f3 "$out/samples" | sort -n | tail -1)
    printf '%-4s %-16s %10.2f %14s %12.1f\n' "$n" "$case" "$wall" "$cmds" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
  done
done
