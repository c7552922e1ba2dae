#!/bin/sh
# Puts a lab host back as `lab up` left it, as far as bench/*/registry-hosts.yml touch it, so an
# "apply on fresh hosts" can be measured again without restarting the lab. Runs INSIDE the host
# (tests/lab/lab exec HOST -- sh bench/reset-host.sh IP_FORWARD RP_FILTER < machine's /etc/exports).
# $1/$2: the fresh host's net.ipv4.ip_forward and net.ipv4.conf.all.rp_filter; stdin: /etc/exports.
set -e
# A fresh host has no iptables table at all (iptables-save prints nothing): drop them, not just flush.
if command -v nft >/dev/null; then nft flush ruleset; else iptables -F; iptables -X; iptables -P INPUT ACCEPT; fi
exportfs -ua 2>/dev/null || true
: >/var/lib/nfs/etab 2>/dev/null || true
touch -d '2024-12-11 00:00' /var/lib/nfs/etab 2>/dev/null || true
cat >/etc/exports
rm -rf /var/export /etc/iptables /etc/sysconfig /etc/sysctl.d/90-registry.conf /etc/registry-node.conf \
  /root/.ansible /run/lock/stateforge
sysctl -q -w net.ipv4.ip_forward="$1" net.ipv4.conf.all.rp_filter="$2"
