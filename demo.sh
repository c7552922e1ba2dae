#!/usr/bin/env bash
# The main job on a local stand-in: playbooks/registry.yml against a lab master, two nodes and a
# Kubernetes API test server, all started on this machine and removed at the end. Needs root
# (namespaces, systemd-nspawn, iptables) and, the first time, the Debian mirror for the lab's
# packages. Exits 0 when apply, check (0), check after a drift (2) and the repair all behaved.
set -euo pipefail
cd "$(dirname "$0")"

bash tests/install-deps.sh
exec dotnet run --project tests/StateForge.Lab -c Release -- registry-demo
