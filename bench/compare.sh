#!/usr/bin/env bash
# StateForge vs Ansible, side by side on the same lab hosts (issue 7).
#
# For each N (default 1 5 20 50) this starts a lab of N hosts (tests/lab/lab) and runs the same
# host work — bench/stateforge/registry-hosts.yml with stateforge, bench/ansible/registry-hosts.yml
# with Debian's ansible-playbook, pipelining on (its best) and off (its default) — in four cases:
#   check (fresh)   check on hosts as `lab up` made them
#   apply (fresh)   apply on such hosts (each run first resets the hosts: bench/reset-host.sh)
#   apply (no-op)   apply on hosts already converged
#   check (no-op)   check on hosts already converged
# The tools ALTERNATE within each case (run r starts with a different tool), RUNS runs each.
# Every run is timed with /usr/bin/time -v (wall clock, controller peak RSS: the largest
# process, ansible-playbook's forks and ssh included), and the lab sshds' logs (LogLevel VERBOSE)
# are read from the byte offset they had before the run: SSH connections = "Accepted publickey",
# remote commands = "Starting session: command", file transfers = "Starting session: subsystem 'sftp'";
# counted the same way for both tools, per host (mean over hosts).
# Same forks for both (-f/ANSIBLE_FORKS, default 20 = StateForge's default), host key checking on
# for both (the lab's known_hosts; ANSIBLE_HOST_KEY_CHECKING=True), Ansible's interpreter given
# (ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3: no discovery command) and a fresh ControlPersist
# directory per run (its masters are closed after the run, so no run reuses another's login).
# After `lab up`, one OpenSSH login per host builds its apt cache before any measured run.
#
# Usage: sudo bench/compare.sh [--runs R] [--forks F] [--tools LIST] [--out DIR] [--markdown FILE] [N ...]
#        sudo bench/compare.sh --table-only --out DIR [N ...]    (the table of samples already in DIR)
#        sudo bench/compare.sh --validate-only --out DIR [N ...] (measure `stateforge validate` again, then the table)
# --tools: comma-separated, default stateforge,ansible-pipelining,ansible-default.
# Prints a Markdown table; raw samples go to DIR/samples.tsv (default: a temp dir, kept), and a
# later run with the same --out adds to them (e.g. one N at a time).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
runs=3 forks=20 out="" markdown="" table_only="" validate_only=""
tool_list=stateforge,ansible-pipelining,ansible-default
sizes=()
while (($#)); do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --forks) forks=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --markdown) markdown=$2; shift 2 ;;
        --tools) tool_list=$2; shift 2 ;;
        --table-only) table_only=1; shift ;;
        --validate-only) validate_only=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) sizes+=("$1"); shift ;;
    esac
done
((${#sizes[@]})) || sizes=(1 5 20 50)
((EUID == 0)) || { echo "compare.sh: run as root (the lab's hosts are namespaces)" >&2; exit 1; }
IFS=, read -r -a tools <<<"$tool_list"

if [[ -z $table_only ]]; then
# --- what it needs --------------------------------------------------------------------------------
bash tests/lab/install-deps.sh
need=()
command -v ansible-playbook >/dev/null || need+=(ansible)
dpkg-query -W -f='${db:Status-Abbrev}' python3-apt 2>/dev/null | grep -q '^ii' || need+=(python3-apt)  # Ansible's apt module on the hosts
command -v exportfs >/dev/null || need+=(nfs-kernel-server)  # the exports module reads exportfs -v
command -v nft >/dev/null || need+=(nftables)                # bench/reset-host.sh drops the iptables tables
if ((${#need[@]})); then
    echo "compare.sh: installing ${need[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[[ -x /usr/bin/time ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null

[[ -n $out ]] || out=$(mktemp -d /tmp/sf-compare.XXXXXX)
mkdir -p "$out"
lab="$out/lab"
trap 'tests/lab/lab down --dir "$lab" >/dev/null 2>&1 || true' EXIT
echo "compare.sh: building stateforge (dotnet publish, ReadyToRun) into $out/bin" >&2
dotnet publish src/StateForge.Cli -c Release -o "$out/bin" --nologo -v q >/dev/null
sf="$out/bin/stateforge"
sf_book=bench/stateforge/registry-hosts.yml
ans_book=bench/ansible/registry-hosts.yml
samples="$out/samples.tsv"
[[ -s $samples ]] || printf 'n\tcase\ttool\trun\twall_s\trss_kb\tconns_per_host\tcmds_per_host\tsftp_per_host\tchanged\tfailed\tunreachable\tload1\n' >"$samples"
reset_script=$(cat bench/reset-host.sh)

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# --- the lab --------------------------------------------------------------------------------------
hosts=()
log_offsets=()
lab_up() {
    tests/lab/lab down --dir "$lab" >/dev/null 2>&1 || true
    tests/lab/lab up "$1" --dir "$lab" >/dev/null
    mapfile -t hosts < <(python3 -c 'import json,sys; [print(h["name"]) for h in json.load(open(sys.argv[1]))["hosts"]]' "$lab/hosts.json")
    # What a fresh host has for the two sysctl keys the playbooks set (the reset puts them back).
    fresh_sysctl=$(tests/lab/lab exec "${hosts[0]}" --dir "$lab" -- sh -c \
        'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/all/rp_filter' | tr '\n' ' ')
    # A new lab host has no apt binary cache (the machine's docker-clean deletes pkgcache.bin), so
    # the first apt look-up on it, by either tool, builds one: ~0.7 s of CPU per host (a check of
    # 50 hosts: 22.9 s instead of 4.2-4.6 s). Build it once per host beforehand, as any Debian
    # host has it; the resets keep it.
    printf '%s\n' "${hosts[@]}" | xargs -P 4 -I{} ssh -F "$lab/ssh_config" {} 'apt-cache policy >/dev/null 2>&1; true'
}

reset_hosts() {
    export lab reset_script fresh_sysctl repo
    printf '%s\n' "${hosts[@]}" | xargs -P 8 -I{} bash -c \
        'cd "$repo" && tests/lab/lab exec "$1" --dir "$lab" -- sh -c "$reset_script" reset $fresh_sysctl </etc/exports' _ {}
}

mark_logs() {
    log_offsets=()
    local h
    for h in "${hosts[@]}"; do log_offsets+=("$(stat -c %s "$lab/hosts/$h/sshd.log")"); done
}

# "connections commands sftp" per host (mean over hosts) since mark_logs.
count_logs() {
    local i c=0 m=0 s=0 new
    for i in "${!hosts[@]}"; do
        new=$(tail -c +"$((log_offsets[i] + 1))" "$lab/hosts/${hosts[$i]}/sshd.log")
        c=$((c + $(grep -c 'Accepted publickey' <<<"$new" || true)))
        m=$((m + $(grep -c 'Starting session: command' <<<"$new" || true)))
        s=$((s + $(grep -c "Starting session: subsystem 'sftp'" <<<"$new" || true)))
    done
    awk -v c=$c -v m=$m -v s=$s -v n=${#hosts[@]} 'BEGIN {printf "%.1f %.1f %.1f", c / n, m / n, s / n}'
}

# --- one timed run ----------------------------------------------------------------------------------
# run_tool TOOL MODE(check|apply) -> prints "wall rss_kb conns cmds sftp changed failed unreachable"
run_tool() {
    local tool=$1 mode=$2 tlog="$out/time.txt" olog="$out/last-$1-$2.log"
    local -a cmd env=()
    case $tool in
        stateforge)
            cmd=("$sf" "$mode" "$sf_book" -i "$lab/inventory.ini" --known-hosts "$lab/known_hosts" -f "$forks" --json "$out/report.json") ;;
        ansible-pipelining|ansible-default)
            local cp="$out/cp"
            rm -rf "$cp"; mkdir -p "$cp"
            env=(ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_FORKS="$forks" ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=False
                 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_SSH_CONTROL_PATH_DIR="$cp" ANSIBLE_LOCAL_TEMP="$out/ansible-tmp"
                 ANSIBLE_PIPELINING=$([[ $tool == ansible-pipelining ]] && echo True || echo False))
            cmd=(ansible-playbook -i "$lab/inventory.ini" "$ans_book")
            [[ $mode == check ]] && cmd+=(--check) ;;
    esac
    mark_logs
    local rc=0
    env "${env[@]}" /usr/bin/time -v -o "$tlog" timeout 3600 "${cmd[@]}" >"$olog" 2>&1 || rc=$?
    if [[ $tool == ansible-* ]]; then
        local s
        for s in "$out"/cp/*; do [[ -S $s ]] && ssh -o ControlPath="$s" -O exit dummy >/dev/null 2>&1 || true; done
    fi
    local counts wall rss changed failed unreachable
    counts=$(count_logs)
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$tlog")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tlog")
    if [[ $tool == stateforge ]]; then
        read -r changed failed unreachable < <(python3 -c 'import json,sys
h = json.load(open(sys.argv[1]))["hosts"].values()
print(sum(v["changed"] for v in h), sum(v["failed"] for v in h), sum(v["unreachable"] for v in h))' "$out/report.json")
        ((rc == 0 || rc == 2)) || echo "compare.sh: stateforge $mode exited $rc (see $olog)" >&2
    else
        read -r changed failed unreachable < <(awk '/ : ok=/ {for (i = 1; i <= NF; i++) {split($i, kv, "="); v[kv[1]] += kv[2]}}
            END {print v["changed"] + 0, v["failed"] + 0, v["unreachable"] + 0}' "$olog")
        ((rc == 0)) || echo "compare.sh: $tool $mode exited $rc (see $olog)" >&2
    fi
    ((failed + unreachable == 0)) || echo "compare.sh: $tool $mode: $failed failed, $unreachable unreachable (see $olog)" >&2
    echo "$wall $rss $counts $changed $failed $unreachable"
}

# --- start-up: validate -------------------------------------------------------------------------------
vbook=playbooks/registry.yml vinv=(-i inventory/example.yml)
[[ -f $vbook ]] || { vbook=playbooks/demo-local.yml; vinv=(); }
"$sf" validate "$vbook" "${vinv[@]}" >/dev/null 2>&1 || true # warm the file cache
for _ in $(seq 5); do
    /usr/bin/time -f '%e %U %S' -o "$out/time.txt" "$sf" validate "$vbook" "${vinv[@]}" >/dev/null 2>&1 || true
    cat "$out/time.txt"
done >"$out/validate.txt"
validate_wall=$(cut -d' ' -f1 "$out/validate.txt" | median)
validate_cpu=$(awk '{print $2 + $3}' "$out/validate.txt" | median)
echo "$validate_wall $validate_cpu $vbook $(load1)" >"$out/validate-median.txt"  # load: 1-min average after

# --- the runs ---------------------------------------------------------------------------------------
cases=("check (fresh)" "apply (fresh)" "apply (no-op)" "check (no-op)")
sizes_run=("${sizes[@]}")
[[ -z $validate_only ]] || sizes_run=()
for n in "${sizes_run[@]}"; do
    echo "compare.sh: N=$n: starting the lab" >&2
    lab_up "$n"
    for case in "${cases[@]}"; do
        mode=${case%% *}
        if [[ $case == "apply (no-op)" ]]; then
            # Converge once with Ansible (its saved-rules file and its empty rule from
            # chain_management are states StateForge's check accepts), then check both agree.
            run_tool ansible-pipelining apply >/dev/null
            read -r _ _ _ _ _ ch _ _ < <(run_tool stateforge check)
            ((ch == 0)) || echo "compare.sh: N=$n: after Ansible's apply, stateforge check still finds $ch change(s)" >&2
        fi
        for r in $(seq "$runs"); do
            for k in "${!tools[@]}"; do
                tool=${tools[$(((r - 1 + k) % ${#tools[@]}))]}
                [[ $case == *fresh* ]] && reset_hosts
                echo "compare.sh: N=$n $case run $r: $tool" >&2
                read -r wall rss conns cmds sftp changed failed unreachable < <(run_tool "$tool" "$mode")
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$case" "$tool" "$r" "$wall" "$rss" \
                    "$conns" "$cmds" "$sftp" "$changed" "$failed" "$unreachable" "$(load1)" >>"$samples"
            done
        done
    done
    tests/lab/lab down --dir "$lab" >/dev/null 2>&1 || true
done
fi

# --- the table -------------------------------------------------------------------------------------
table() {
    python3 - "$out/samples.tsv" "$out/validate-median.txt" "$forks" "${sizes[@]}" <<'EOF'
import csv, statistics, sys
path, vfile, forks, sizes = sys.argv[1], sys.argv[2], sys.argv[3], [int(s) for s in sys.argv[4:]]
vwall, vcpu, vbook, *vload = open(vfile).read().split()
rows = [r for r in csv.DictReader(open(path), delimiter="\t") if int(r["n"]) in sizes]
order = ["check (fresh)", "apply (fresh)", "apply (no-op)", "check (no-op)"]
tools = ["stateforge", "ansible-pipelining", "ansible-default"]
print("| N | case | tool | median wall s | ansible/stateforge | SSH conns/host | remote cmds/host | sftp/host | peak RSS MB | runs |")
print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|")
for n in sorted({int(r["n"]) for r in rows}):
    for case in order:
        med = {}
        for tool in tools:
            sel = [r for r in rows if int(r["n"]) == n and r["case"] == case and r["tool"] == tool]
            if sel:
                med[tool] = statistics.median(float(r["wall_s"]) for r in sel)
        for tool in tools:
            sel = [r for r in rows if int(r["n"]) == n and r["case"] == case and r["tool"] == tool]
            if not sel:
                continue
            m = lambda k: statistics.median(float(r[k]) for r in sel)
            ratio = "" if tool == "stateforge" or "stateforge" not in med else f"{med[tool] / med['stateforge']:.1f}x"
            rss = max(int(r["rss_kb"]) for r in sel) / 1024
            print(f"| {n} | {case} | {tool} | {med[tool]:.2f} | {ratio} | {m('conns_per_host'):.1f} | {m('cmds_per_host'):.1f} | {m('sftp_per_host'):.1f} | {rss:.0f} | {len(sel)} |")
loads = [float(r["load1"]) for r in rows]
print()
vload = f", load average {float(vload[0]):.1f} after them" if vload else ""
print(f"`stateforge validate {vbook}`: {float(vwall):.2f} s median wall, {float(vcpu):.2f} s CPU (5 runs{vload}). Forks: {forks} for both tools. "
      f"Machine load average (1 min) during the runs: {min(loads):.1f}-{max(loads):.1f}.")
EOF
}
table | tee "$out/table.md"
[[ -z $markdown ]] || cp "$out/table.md" "$markdown"
echo "compare.sh: samples in $out/samples.tsv" >&2
