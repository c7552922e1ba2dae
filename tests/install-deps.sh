#!/usr/bin/env bash
# Installs, when missing, what the tests use: the lab's packages (real hosts in namespaces,
# systemd hosts), kubectl for the API server's fidelity tests, and the lab's cached systemd root.
# Quiet and fast when everything is there.
set -euo pipefail
cd "$(dirname "$0")"

bash lab/install-deps.sh --systemd

if ! command -v kubectl >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: kubectl is missing; run as root or: sudo apt-get install kubernetes-client" >&2
    exit 1
  fi
  echo "install-deps: installing kubernetes-client (kubectl)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
fi

# exportfs (the exports module's live table) comes with nfs-kernel-server; no kernel nfsd is started.
if ! command -v exportfs >/dev/null 2>&1 && [ ! -x /usr/sbin/exportfs ]; then
  echo "install-deps: installing nfs-kernel-server (exportfs)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nfs-kernel-server >/dev/null
fi

# The systemd lab hosts boot a Debian root built once with debootstrap (~1 min, then cached).
bash lab/lab cache-systemd >/dev/null
