#!/usr/bin/env bash
# Installs what the lab (tests/lab/lab) needs, with apt-get, only if something is missing.
# Usage: install-deps.sh [--systemd]   (--systemd adds debootstrap and systemd-container)
# Idempotent and quiet; when everything is installed it only runs dpkg-query (~50 ms).
set -euo pipefail

pkgs=(iproute2 openssh-server openssh-client iptables sudo procps util-linux coreutils)
if [[ "${1:-}" == "--systemd" ]]; then
    pkgs+=(debootstrap systemd-container)
fi

missing=()
for p in "${pkgs[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [[ "$status" == ii* ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

if ((EUID != 0)); then
    echo "install-deps.sh: missing packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
fi

# Installing openssh-server must not start an sshd on the machine itself. Debian's container
# images ship a policy-rc.d that forbids service starts; where there is none, add one for the
# duration of the install and remove it afterwards.
temp_policy=""
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    temp_policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$temp_policy"
    chmod 755 "$temp_policy"
    trap 'rm -f "$temp_policy"' EXIT
fi

echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "install-deps.sh: apt-get install ${missing[*]} failed" >&2
    exit 1
fi
rm -f "$log"
