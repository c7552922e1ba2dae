#!/usr/bin/env bash
# Builds, once, a filesystem layer with an SELinux policy store for the seboolean lab tests:
# Debian's selinux-policy-default and policycoreutils-python-utils (setsebool, getsebool,
# semanage), installed with --no-install-recommends over the machine's own root, plus
# /etc/selinux/config (SELINUX=disabled, SELINUXTYPE=default). The kernel has no SELinux, so
# getsebool says "SELinux is disabled", but `setsebool -P` and `semanage boolean -l` work on the
# store (/work/shared/docs/lab.md).
#
# Usage: selinux-layer.sh [CACHE]     (default $STATEFORGE_LAB_CACHE/selinux or
#                                      /var/cache/stateforge-lab/selinux; idempotent)
# Prints the layer's directory: CACHE/layer. It holds only what the packages added (no dpkg
# database, apt caches or logs), so it can be copied over a light host's root (`cp -a LAYER/. /`
# inside the host, ~0.3 s) or used as an extra lower overlay layer above the machine's /.
#
# The build never changes the machine: apt runs in a chroot whose root is an overlay of the
# machine's / with its upper layer in CACHE, inside a private mount namespace. It needs the
# Debian mirror (~45 s, mostly the policy build by the package's postinst).
set -euo pipefail

cache=${1:-${STATEFORGE_LAB_CACHE:-/var/cache/stateforge-lab}/selinux}
layer="$cache/layer"
stamp="$layer/.stateforge-selinux-layer-v2"
packages=(selinux-policy-default policycoreutils-python-utils)

if [[ -f "$stamp" ]]; then
    echo "$layer"
    exit 0
fi
((EUID == 0)) || { echo "selinux-layer.sh: needs root (mount namespaces, overlayfs, chroot)" >&2; exit 1; }

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ -f "$stamp" ]]; then
    echo "$layer"
    exit 0
fi

build="$cache/build"
rm -rf --one-file-system "$build" "$layer.tmp"
mkdir -p "$build/upper" "$build/work" "$build/root"
log="$cache/build.log"
t0=$(date +%s)

# Everything below runs in a private mount namespace: its mounts vanish when it exits.
unshare -m --propagation private bash -euo pipefail -s "$build" "${packages[@]}" >"$log" 2>&1 <<'BUILD' || {
build=$1; shift
r="$build/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$build/upper,workdir=$build/work" "$r"
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
mount -t sysfs -o ro sysfs "$r/sys"
mount -t tmpfs tmpfs "$r/tmp"
mount -t tmpfs tmpfs "$r/run"
mkdir -p "$r/etc/selinux"
printf 'SELINUX=disabled\nSELINUXTYPE=default\n' >"$r/etc/selinux/config"
chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=120 "$@"
# The store must answer before the layer is kept.
chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 semanage boolean -l -n >/dev/null
BUILD
    echo "selinux-layer.sh: building the layer failed; last lines of $log:" >&2
    tail -n 20 "$log" >&2
    rm -rf --one-file-system "$build"
    exit 1
}

# Keep what the packages added; leave out package-manager state and caches (they would shadow
# the machine's own, which keeps changing) and overlay whiteouts (char devices 0/0).
mkdir -p "$layer.tmp"
tar -C "$build/upper" -cf - \
    --exclude=./var/lib/dpkg --exclude=./var/lib/apt --exclude=./var/cache --exclude=./var/log \
    --exclude=./etc/ld.so.cache --exclude=./tmp --exclude=./run --exclude=./root . |
    tar -C "$layer.tmp" -xf -
find "$layer.tmp" -type c -delete
rm -rf --one-file-system "$build" "$layer"
mv "$layer.tmp" "$layer"
echo "built in $(($(date +%s) - t0)) s: ${packages[*]}" >"$stamp"
echo "$layer"
