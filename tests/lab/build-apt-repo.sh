#!/usr/bin/env bash
# Builds a tiny offline apt repository for the package and service lab tests:
#
#   sf-nfs-common 1.0-1          a dependency (one file under /usr/share)
#   sf-nfs-utils  1.0-1, 2.0-1   Depends: sf-nfs-common; ships the service sf-nfsd as an LSB init
#                                script (/etc/init.d/sf-nfsd) and a systemd unit; both run a
#                                harmless `sleep infinity`. Its maintainer scripts neither start
#                                nor enable the service, so the service module has work to do.
#   sf-tools      1.0-1          no dependencies, nothing to run
#
# Usage: build-apt-repo.sh OUTDIR     (idempotent: an existing, complete OUTDIR is kept)
# Needs dpkg-deb and dpkg-scanpackages (apt package dpkg-dev; installed when missing).
# A host uses it with `deb [trusted=yes] file:OUTDIR ./` (see AptRepository.cs).
set -euo pipefail

out=${1:?usage: build-apt-repo.sh OUTDIR}
stamp="$out/.stateforge-apt-repo-v1"
[[ -f "$stamp" ]] && exit 0

if ! command -v dpkg-scanpackages >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dpkg-dev >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
rm -f "$out"/*.deb "$out"/Packages "$out"/Packages.gz

control() { # dir name version depends description
    mkdir -p "$1/DEBIAN"
    {
        echo "Package: $2"
        echo "Version: $3"
        echo "Architecture: all"
        echo "Maintainer: StateForge lab <lab@stateforge.invalid>"
        [[ -n "$4" ]] && echo "Depends: $4"
        echo "Section: misc"
        echo "Priority: optional"
        echo "Description: $5"
        echo " A package built by StateForge's lab tests; it does nothing harmful."
    } >"$1/DEBIAN/control"
}

build() { # dir
    dpkg-deb --build --root-owner-group "$1" "$out" >/dev/null
}

# sf-nfs-common
d="$work/sf-nfs-common"
control "$d" sf-nfs-common 1.0-1 "" "StateForge lab: common files of sf-nfs-utils"
mkdir -p "$d/usr/share/sf-nfs-common"
echo "sf-nfs-common 1.0-1" >"$d/usr/share/sf-nfs-common/README"
build "$d"

# sf-nfs-utils, two versions (for version pins and state: latest)
for version in 1.0-1 2.0-1; do
    d="$work/sf-nfs-utils-$version"
    control "$d" sf-nfs-utils "$version" "sf-nfs-common" "StateForge lab: a fake NFS server daemon"
    mkdir -p "$d/etc/init.d" "$d/lib/systemd/system" "$d/usr/share/sf-nfs-utils"
    echo "sf-nfs-utils $version" >"$d/usr/share/sf-nfs-utils/VERSION"
    cat >"$d/etc/init.d/sf-nfsd" <<'INIT'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          sf-nfsd
# Required-Start:    $remote_fs
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: StateForge lab fake NFS daemon
### END INIT INFO
PIDFILE=/run/sf-nfsd.pid
case "$1" in
    start)
        start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$PIDFILE" \
            --startas /bin/sleep --name sleep --oknodo -- infinity
        ;;
    stop)
        start-stop-daemon --stop --quiet --pidfile "$PIDFILE" --remove-pidfile --oknodo
        ;;
    restart | force-reload | reload)
        "$0" stop && "$0" start
        ;;
    status)
        if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            echo "sf-nfsd is running"; exit 0
        fi
        echo "sf-nfsd is not running"; exit 3
        ;;
    *)
        echo "Usage: $0 {start|stop|restart|reload|force-reload|status}" >&2; exit 2
        ;;
esac
INIT
    chmod 755 "$d/etc/init.d/sf-nfsd"
    cat >"$d/lib/systemd/system/sf-nfsd.service" <<'UNIT'
[Unit]
Description=StateForge lab fake NFS daemon

[Service]
ExecStart=/bin/sleep infinity
ExecReload=/bin/true

[Install]
WantedBy=multi-user.target
UNIT
    build "$d"
done

# sf-tools
d="$work/sf-tools"
control "$d" sf-tools 1.0-1 "" "StateForge lab: a package with no dependencies"
mkdir -p "$d/usr/share/sf-tools"
echo "sf-tools 1.0-1" >"$d/usr/share/sf-tools/README"
build "$d"

(cd "$out" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages && gzip -9kf Packages)
chmod -R a+rX "$out"
touch "$stamp"
ls "$out"
