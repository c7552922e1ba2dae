#!/usr/bin/env bash
# Cross-checks for issue 7, on a lab of 3 fresh hosts:
#   1. ansible-playbook applies bench/ansible/registry-hosts.yml to host1; then
#      `stateforge check bench/stateforge/registry-hosts.yml` there must find nothing to change.
#   2. stateforge applies bench/stateforge/registry-hosts.yml to host2; then
#      `ansible-playbook --check bench/ansible/registry-hosts.yml` there: each task it would
#      change is listed (semantic differences between the tools, explained in bench/RESULTS.md).
#   3. The ANSIBLE file, unchanged, under stateforge: `stateforge validate`; then apply it to
#      host3, apply again (must change nothing), check.
# Usage: sudo bench/crosscheck.sh [--bin DIR-WITH-stateforge]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=""
[[ "${1:-}" == --bin ]] && bin=$2
out=$(mktemp -d /tmp/sf-crosscheck.XXXXXX)
lab="$out/lab"
trap 'tests/lab/lab down --dir "$lab" >/dev/null 2>&1 || true' EXIT
if [[ -z $bin ]]; then
    dotnet publish src/StateForge.Cli -c Release -o "$out/bin" --nologo -v q >/dev/null
    bin="$out/bin"
fi
sf=("$bin/stateforge")
tests/lab/lab up 3 --dir "$lab" >/dev/null
export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_PIPELINING=True ANSIBLE_NOCOLOR=1 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
    ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_SSH_CONTROL_PATH_DIR="$out/cp"
inv=(-i "$lab/inventory.ini")
sfopts=(-i "$lab/inventory.ini" --known-hosts "$lab/known_hosts")
status=0

changed_tasks() { # ansible-playbook output on stdin -> "TASK NAME (N)" for each task with changes
    awk '/^TASK \[|^RUNNING HANDLER \[/ {t = $0; sub(/^[^[]*\[/, "", t); sub(/\].*/, "", t)}
         /^changed: / {c[t]++} END {for (k in c) printf "  - %s (%d)\n", k, c[k]}'
}

echo "== 1. ansible-playbook apply (host1), then stateforge check (host1)"
ansible-playbook "${inv[@]}" bench/ansible/registry-hosts.yml -l host1 >"$out/1-ansible-apply.log" 2>&1 || { status=1; echo "ansible apply failed: $out/1-ansible-apply.log"; }
rc=0; "${sf[@]}" check bench/stateforge/registry-hosts.yml "${sfopts[@]}" -l host1 --diff >"$out/1-sf-check.log" 2>&1 || rc=$?
if ((rc == 0)); then echo "  stateforge check: nothing to change (exit 0)"; else status=1; echo "  stateforge check: exit $rc"; grep -E '^(would change|failed)|^  [-+~!]' "$out/1-sf-check.log" | head -40; fi

echo "== 2. stateforge apply (host2), then ansible-playbook --check (host2)"
"${sf[@]}" apply bench/stateforge/registry-hosts.yml "${sfopts[@]}" -l host2 >"$out/2-sf-apply.log" 2>&1 || { status=1; echo "stateforge apply failed: $out/2-sf-apply.log"; }
ansible-playbook "${inv[@]}" bench/ansible/registry-hosts.yml -l host2 --check >"$out/2-ansible-check.log" 2>&1 || status=1
grep -E '^host2 +:' "$out/2-ansible-check.log" | sed 's/^/  ansible check: /'
changed_tasks <"$out/2-ansible-check.log"

echo "== 3. the Ansible file, unchanged, under stateforge"
rc=0; "${sf[@]}" validate bench/ansible/registry-hosts.yml -i "$lab/inventory.ini" >"$out/3-validate.log" 2>&1 || rc=$?
echo "  stateforge validate bench/ansible/registry-hosts.yml: exit $rc"; sed 's/^/    /' "$out/3-validate.log"
((rc == 0)) || status=1
for step in apply apply check; do
    rc=0; "${sf[@]}" "$step" bench/ansible/registry-hosts.yml "${sfopts[@]}" -l host3 --json "$out/3-$step.json" >"$out/3-$step.log" 2>&1 || rc=$?
    ((rc == 0)) || status=1
    python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["hosts"]["host3"]; print("  stateforge %s (the Ansible file, unchanged): exit %s, changed %d, failed %d" % (sys.argv[2], sys.argv[3], h["changed"], h["failed"]))' \
        "$out/3-$step.json" "$step" "$rc"
done
echo "  then ansible-playbook --check of the whole Ansible file on host3:"
ansible-playbook "${inv[@]}" bench/ansible/registry-hosts.yml -l host3 --check >"$out/3-ansible-check.log" 2>&1 || status=1
grep -E '^host3 +:' "$out/3-ansible-check.log" | sed 's/^/    /'
changed_tasks <"$out/3-ansible-check.log"
echo "logs: $out"
exit $status
