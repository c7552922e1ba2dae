#!/usr/bin/env bash
# Builds an offline apt repository of REAL Debian bookworm packages for the registry playbook's
# lab: the packages in packages.txt (next to this script) and every dependency that a lab host
# lacks, downloaded once with `apt-get download` from the machine's Debian mirror (lab hosts have
# no route to it) and indexed with dpkg-scanpackages.
#
# Usage: build-repo.sh [OUTDIR [LIST]]   (OUTDIR: default $STATEFORGE_LAB_CACHE/registry-repo or
#                                          /var/cache/stateforge-lab/registry-repo;
#                                          LIST: default packages.txt next to this script)
# Prints OUTDIR. Idempotent: a complete OUTDIR built from the same package list and the same
# systemd host root is kept (~10 ms); otherwise it is rebuilt (~10-20 s, ~15 MB).
#
# "What a lab host lacks" is computed twice with `apt-get install --print-uris
# --no-install-recommends` (the package module's default) against the machine's package lists:
#   - with the dpkg status of the systemd hosts' root (/var/cache/stateforge-lab/bookworm, which
#     `lab cache-systemd` builds; it is built here first when missing), and
#   - with the machine's own dpkg status (a light host sees the machine's packages through its
#     overlay root).
# The union is downloaded, so the repository serves both kinds of host.
#
# A host uses it with `deb [trusted=yes] file:DIR ./` as its only apt source (RegistryLab.cs).
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
cache=${STATEFORGE_LAB_CACHE:-/var/cache/stateforge-lab}
out=${1:-$cache/registry-repo}
root="$cache/bookworm"
list=$(readlink -f "${2:-$here/packages.txt}")
stamp="$out/.stateforge-registry-repo"

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')
((${#packages[@]})) || { echo "build-repo.sh: no packages in $list" >&2; exit 1; }

want_stamp() {
    echo "v2"
    printf '%s\n' "${packages[@]}" | sort
    sha256sum <"$root/var/lib/dpkg/status" | cut -d' ' -f1
}

if [[ -f "$stamp" && -f "$root/.stateforge-lab-ready" ]] && [[ "$(want_stamp)" == "$(head -n -1 "$stamp")" ]]; then
    echo "$out"
    exit 0
fi
((EUID == 0)) || { echo "build-repo.sh: needs root (apt-get, the lab cache)" >&2; exit 1; }

if [[ ! -f "$root/.stateforge-lab-ready" ]]; then
    bash "$here/../lab" cache-systemd
fi
if ! command -v dpkg-scanpackages >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
fi

mkdir -p "$(dirname "$out")"
exec 9>"$(dirname "$out")/.registry-repo.lock"
flock 9
if [[ -f "$stamp" ]] && [[ "$(want_stamp)" == "$(head -n -1 "$stamp")" ]]; then
    echo "$out"
    exit 0
fi

t0=$(date +%s%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# apt-get must not write its binary caches: the machine's stay as they are.
nocache=(-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
print_uris() { # extra apt options...
    apt-get "${nocache[@]}" "$@" install --print-uris -qq -y --no-install-recommends "${packages[@]}" |
        sed -n "s/^'[^']*' \([^ ]*\) .*/\1/p"
}
resolve_and_download() { # fills $work/debs; fails when a version is missing or unreachable
    rm -rf "$work/debs" && mkdir -p "$work/debs"
    {
        print_uris -o Dir::State::status="$root/var/lib/dpkg/status"
        print_uris
    } >"$work/files" || return 1
    # A file name is NAME_VERSION_ARCH.deb, the version URL-encoded (an epoch's ':' is %3a).
    sed -n 's/^\([^_]*\)_\([^_]*\)_[^_]*\.deb$/\1=\2/p' "$work/files" | sed 's/%3a/:/g' >"$work/wanted"
    # The listed packages themselves too, even those a host already has (a reinstall or an
    # upgrade to the same version must find them).
    local p
    for p in "${packages[@]}"; do
        grep -q "^$p=" "$work/wanted" || echo "$p=$(apt-cache "${nocache[@]}" policy "$p" | sed -n 's/^ *Candidate: //p')" >>"$work/wanted"
    done
    sort -u -o "$work/wanted" "$work/wanted"
    if grep -q '=(none)$\|=$' "$work/wanted"; then
        echo "build-repo.sh: no candidate version for: $(grep '=(none)$\|=$' "$work/wanted" | cut -d= -f1 | tr '\n' ' ')" >&2
        return 1
    fi
    (cd "$work/debs" && xargs -a "$work/wanted" apt-get "${nocache[@]}" -o APT::Sandbox::User=root download -qq)
}

# A stale index names versions the mirror no longer has: refresh it once and try again.
if ! resolve_and_download; then
    echo "build-repo.sh: retrying after apt-get update" >&2
    apt-get update -qq || true
    resolve_and_download || {
        echo "build-repo.sh: could not download the packages (is the Debian mirror reachable?)" >&2
        exit 1
    }
fi
(cd "$work/debs" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages && gzip -9kf Packages)
# A Release file naming the indexes: without it apt probes for Packages.xz, .bz2, … and
# reports each missing one as an "Err" line on every update. Unsigned: hosts use [trusted=yes].
{
    echo "Date: $(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
    echo "SHA256:"
    for f in Packages Packages.gz; do
        printf ' %s %s %s\n' "$(sha256sum <"$work/debs/$f" | cut -d' ' -f1)" "$(stat -c %s "$work/debs/$f")" "$f"
    done
} >"$work/debs/Release"

rm -rf --one-file-system "$out.tmp"
mv "$work/debs" "$out.tmp"
chmod -R a+rX "$out.tmp"
{
    want_stamp
    echo "built in $((($(date +%s%N) - t0) / 1000000)) ms: $(wc -l <"$work/wanted") packages, $(du -sh "$out.tmp" | cut -f1)"
} >"$out.tmp/.stateforge-registry-repo"
rm -rf --one-file-system "$out"
mv "$out.tmp" "$out"
echo "$out"
