#!/usr/bin/env bash
# Builds, once, the two overlay layers that the registry lab's systemd hosts boot with
# (`lab up --systemd --layer APT --layer BASE`, topmost first), over the cached bookworm root:
#
#   BASE     base-packages.txt installed (python3, the SELinux policy store, libnfs-utils) and
#            /etc/selinux/config (SELINUX=disabled, SELINUXTYPE=default): the kernel has no
#            SELinux, but the policy store works, so `setsebool -P virt_use_nfs on` and
#            `semanage boolean -l` do (/work/shared/docs/lab.md). Includes the dpkg database,
#            so hosts know what is installed. ~100 s, mostly the policy build by
#            selinux-policy-default's postinst and python's byte-compilation.
#   APT      the offline repository of build-repo.sh at /opt/stateforge-registry-repo (hard
#            links into the cache: a lower layer is never written), as the hosts' only apt
#            source (/etc/apt/sources.list.d/stateforge-registry.list, `[trusted=yes]`), its
#            index already fetched (/var/lib/apt/lists), and the root's Debian source moved to
#            /etc/apt/sources.list.d.stateforge-off/ (a whiteout hides the original), no
#            translations fetched: apt in a host is offline and ready without `apt-get update`,
#            and `apt-get update` is clean (~0.2 s). ~1 s.
#
# Usage: build-layers.sh      Prints the two layer directories, APT first, one a line.
# Idempotent (~50 ms when both are current). A layer is rebuilt when what it was built from
# changed: the root's dpkg status and the package lists (stamps in each layer).
# The machine is never changed: apt and dpkg run in a chroot whose root is an overlay of the
# cached root, in a private mount namespace; only the upper directory is kept.
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
cache=${STATEFORGE_LAB_CACHE:-/var/cache/stateforge-lab}
root="$cache/bookworm"
layers="$cache/registry-layers"
repo_in_host=/opt/stateforge-registry-repo

((EUID == 0)) || { echo "build-layers.sh: needs root (mount namespaces, overlayfs, chroot)" >&2; exit 1; }
repo=$(bash "$here/build-repo.sh" "$cache/registry-repo" "$here/packages.txt")
base_debs=$(bash "$here/build-repo.sh" "$layers/base-debs" "$here/base-packages.txt")

mkdir -p "$layers"
exec 9>"$layers/.lock"
flock 9

stamp_of() { head -n -1 "$1/.stateforge-registry-repo" 2>/dev/null || true; }

# Runs the script on stdin in a chroot of overlay(LOWER dirs, UPPER), in a private mount
# namespace; BIND (a directory) is bound read-only at /mnt/sf-input inside.
# A layer whose build failed: say why, drop what was built, stop.
layer_failed() { # NAME LOG TMPDIR
    echo "build-layers.sh: building the $1 layer failed; last lines of $2:" >&2
    tail -n 20 "$2" >&2
    rm -rf --one-file-system "$3"
    exit 1
}

# A layer built in DIR.tmp replaces DIR, stamped with what it was built from.
keep_layer() { # NAME DIR STAMP
    tidy "$2.tmp"
    rm -rf --one-file-system "$2"
    mv "$2.tmp" "$2"
    echo "$3" >"$2.stamp"
    built+=("$1")
}

in_chroot() { # lowerdirs upper bind
    local build; build=$(mktemp -d "$layers/.build.XXXXXX")
    mkdir -p "$build/work" "$build/root"
    unshare -m --propagation private bash -euo pipefail -c '
        lower=$1 upper=$2 bind=$3 build=$4
        r="$build/root"
        mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$build/work" "$r"
        mount -t proc proc "$r/proc"
        mount --rbind /dev "$r/dev"
        mount -t sysfs -o ro sysfs "$r/sys"
        mount -t tmpfs tmpfs "$r/tmp"
        mount -t tmpfs tmpfs "$r/run"
        mkdir -p "$r/tmp/sf-input"
        mount --bind -o ro "$bind" "$r/tmp/sf-input"
        chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
            HOME=/root bash -euo pipefail -s
    ' in_chroot "$1" "$2" "$3" "$build"
    local rc=$?
    rm -rf --one-file-system "$build"
    return $rc
}

# Leaves out what a layer must not carry: logs and apt's binary caches (the host rebuilds them).
tidy() { # upper
    rm -rf --one-file-system "$1/var/log" "$1/var/cache/apt" "$1/var/cache/debconf/"*-old \
        "$1/var/lib/dpkg/"*-old "$1/root/.bash_history" "$1/tmp" "$1/run"
}

t0=$(date +%s)
built=()

# --- BASE -----------------------------------------------------------------------------------
base="$layers/base"
base_want="v1 $(stamp_of "$base_debs" | tr '\n' ' ')"
if [[ ! -d "$base" || "$(cat "$base.stamp" 2>/dev/null)" != "$base_want" ]]; then
    rm -rf --one-file-system "$base.tmp"
    mkdir -p "$base.tmp/etc/selinux"
    printf 'SELINUX=disabled\nSELINUXTYPE=default\n' >"$base.tmp/etc/selinux/config"
    mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$here/base-packages.txt" | grep -v '^$')
    log="$layers/base-build.log"
    # apt's lists and caches for this install live in the chroot's /tmp (a tmpfs): not in the layer.
    if ! in_chroot "$root" "$base.tmp" "$base_debs" >"$log" 2>&1 <<EOF; then
apt_opts=(-o Dir::Etc::sourcelist=/tmp/sf.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=/tmp/lists
          -o Dir::Cache=/tmp/apt-cache)
mkdir -p /tmp/lists/partial /tmp/apt-cache/archives/partial
echo 'deb [trusted=yes] file:/tmp/sf-input ./' >/tmp/sf.list
apt-get "\${apt_opts[@]}" update -q
apt-get "\${apt_opts[@]}" install -y -q --no-install-recommends ${pkgs[*]}
# The store must answer before the layer is kept.
semanage boolean -l -n | grep -q '^virt_use_nfs '
command -v nfs-ls >/dev/null
EOF
        layer_failed base "$log" "$base.tmp"
    fi
    keep_layer base "$base" "$base_want"
fi

# --- APT ------------------------------------------------------------------------------------
apt="$layers/apt"
apt_want="v2 $(stamp_of "$repo" | tr '\n' ' ') / $(cat "$base.stamp")"
if [[ ! -d "$apt" || "$(cat "$apt.stamp" 2>/dev/null)" != "$apt_want" ]]; then
    rm -rf --one-file-system "$apt.tmp"
    mkdir -p "$apt.tmp$(dirname "$repo_in_host")"
    cp -al "$repo" "$apt.tmp$repo_in_host"
    log="$layers/apt-build.log"
    if ! in_chroot "$base:$root" "$apt.tmp" "$repo" >"$log" 2>&1 <<EOF; then
mkdir -p /etc/apt/sources.list.d.stateforge-off
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
    if [ -e "\$f" ]; then mv "\$f" /etc/apt/sources.list.d.stateforge-off/; fi
done
echo 'deb [trusted=yes] file:$repo_in_host ./' >/etc/apt/sources.list.d/stateforge-registry.list
# The repository has no translations: without this, every update reports three "Err" lines.
echo 'Acquire::Languages "none";' >/etc/apt/apt.conf.d/99stateforge-registry
apt-get update -q
if apt-get update -q 2>&1 | grep -E '^(Err|W:|E:)'; then exit 1; fi
apt-cache show nfs-ganesha >/dev/null
EOF
        layer_failed apt "$log" "$apt.tmp"
    fi
    keep_layer apt "$apt" "$apt_want"
fi

((${#built[@]} == 0)) || echo "build-layers.sh: built ${built[*]} in $(($(date +%s) - t0)) s" >&2
echo "$apt"
echo "$base"
