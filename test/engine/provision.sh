#!/usr/bin/env bash
# Provision everything Slipway's tests need on a Debian 12 machine (run as root):
#   1. apt packages: docker.io docker-compose chromium debootstrap, golang-1.23-go (backports)
#   2. a running Docker Engine on /var/run/docker.sock
#   3. offline stand-in images (slipway-test/*), built from Debian packages, since no image
#      registry is reachable
# Every step is skipped when already satisfied, so a second run takes seconds.
# To rebuild one image: `docker rmi TAG` and rerun. See test/engine/README.md.
set -Eeuo pipefail
trap 'printf "[provision] ERROR: line %s: %s (exit %s)\n" "$LINENO" "$BASH_COMMAND" "$?" >&2' ERR

export DEBIAN_FRONTEND=noninteractive
# The docker v28 client has no buildx plugin here; the classic builder works offline with both
# clients. (The product itself builds through the API with BuildKit; this is only provisioning.)
export DOCKER_BUILDKIT=0

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGES_DIR="$HERE/images"
DEBIAN_MIRROR="http://deb.debian.org/debian"
BACKPORTS_LINE="deb $DEBIAN_MIRROR bookworm-backports main"
APT_PACKAGES=(docker.io docker-compose chromium debootstrap golang-1.23-go)
DOCKER_SOCK=/var/run/docker.sock
DOCKER_PIDFILE=/var/run/docker.pid
DOCKERD_LOG=/var/log/dockerd.log

T0="$EPOCHREALTIME"
SUMMARY=()

log() { printf '[provision] %s\n' "$*" >&2; }
die() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }
note() { SUMMARY+=("$1"); }
since() { LC_ALL=C awk -v s="${1/,/.}" -v e="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f s", e - s }'; }
is_root() { [ "$(id -u)" = 0 ]; }

WORK_DIRS=()
cleanup() {
    local d
    for d in "${WORK_DIRS[@]}"; do
        [ -d "$d" ] || continue
        # debootstrap mounts proc/sys inside the target; never delete through a mount.
        { grep -o " $d/[^ ]*" /proc/self/mounts || true; } | sort -r | while read -r m; do
            umount -l "$m" 2>/dev/null || true
        done
        rm -rf --one-file-system "$d" || true
    done
}
trap cleanup EXIT

# Two test runs at once (or a test run and a manual provision) must not race.
exec 9>"${TMPDIR:-/tmp}/slipway-provision.lock"
if ! flock -n 9; then
    log "another provision.sh is running; waiting for it"
    flock 9
fi

# ---------------------------------------------------------------------------------------------
# 1. apt packages
# ---------------------------------------------------------------------------------------------
pkg_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }

has_backports_source() {
    local files=()
    [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
    local f
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && files+=("$f")
    done
    [ "${#files[@]}" -gt 0 ] && grep -Eqs '^[^#]*\bbookworm-backports\b' "${files[@]}"
}

MISSING=()
for p in "${APT_PACKAGES[@]}"; do
    pkg_installed "$p" || MISSING+=("$p")
done

if ! has_backports_source; then
    is_root || die "bookworm-backports is not in the apt sources and this is not root"
    echo "$BACKPORTS_LINE" > /etc/apt/sources.list.d/bookworm-backports.list
    log "added $BACKPORTS_LINE to /etc/apt/sources.list.d/bookworm-backports.list"
fi

if [ "${#MISSING[@]}" -gt 0 ]; then
    is_root || die "missing packages (${MISSING[*]}) and this is not root"
    log "installing ${MISSING[*]} (apt-get update first)"
    t="$EPOCHREALTIME"
    apt-get update -q
    # golang-1.23-go (and its golang-1.23-src) exist only in bookworm-backports, so the plain
    # name selects them without pulling anything else from backports.
    apt-get install -y -q "${MISSING[@]}"
    for p in "${MISSING[@]}"; do
        pkg_installed "$p" || die "apt-get did not install $p"
    done
    log "apt packages installed in $(since "$t")"
fi
for p in "${APT_PACKAGES[@]}"; do
    state="present"
    for m in "${MISSING[@]}"; do [ "$m" = "$p" ] && state="installed"; done
    note "apt $p: $state $(pkg_version "$p")"
done

# ---------------------------------------------------------------------------------------------
# 2. Docker Engine
# ---------------------------------------------------------------------------------------------
command -v docker >/dev/null || die "no docker client on PATH"
command -v dockerd >/dev/null || PATH="$PATH:/usr/sbin:/sbin"

engine_up() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
dockerd_alive() { pgrep -x dockerd >/dev/null 2>&1; }

if engine_up; then
    note "docker: running $(docker version --format '{{.Server.Version}}') (already up)"
else
    is_root || die "the Docker Engine is not answering on $DOCKER_SOCK and this is not root"
    t="$EPOCHREALTIME"
    if dockerd_alive; then
        log "a dockerd process exists but $DOCKER_SOCK does not answer yet; waiting for it"
        how="was starting"
    else
        if [ -e "$DOCKER_PIDFILE" ]; then
            log "removing stale $DOCKER_PIDFILE (no dockerd process is alive)"
            rm -f "$DOCKER_PIDFILE"
        fi
        log "starting dockerd (log: $DOCKERD_LOG)"
        setsid dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
        how="started"
    fi
    up=0
    for i in $(seq 1 60); do
        if engine_up; then up=1; break; fi
        # Give the new process a moment to exec before treating "no dockerd" as a crash.
        if [ "$i" -gt 4 ] && ! dockerd_alive; then break; fi
        sleep 0.5
    done
    if [ "$up" != 1 ]; then
        log "dockerd did not come up; last lines of $DOCKERD_LOG:"
        tail -n 40 "$DOCKERD_LOG" >&2 || true
        exit 1
    fi
    note "docker: running $(docker version --format '{{.Server.Version}}') ($how, $(since "$t"))"
fi

# ---------------------------------------------------------------------------------------------
# 3. Offline stand-in images
# ---------------------------------------------------------------------------------------------
image_present() { docker image inspect "$1" >/dev/null 2>&1; }
image_size() {
    docker image inspect --format '{{.Size}}' "$1" | LC_ALL=C awk '{ printf "%.1f MB", $1 / 1e6 }'
}

# Runs "$@" with its output in a log file; prints the tail of it when the command fails.
run_logged() {
    local what="$1"; shift
    local out
    out="$(mktemp "${TMPDIR:-/tmp}/slipway-provision.XXXXXX.log")"
    if ! "$@" >"$out" 2>&1; then
        log "$what failed; last lines of its output:"
        tail -n 60 "$out" >&2
        rm -f "$out"
        exit 1
    fi
    rm -f "$out"
}

build_debian() {
    local tag="$1"
    local work rootfs
    work="$(mktemp -d /var/tmp/slipway-debootstrap.XXXXXX)"
    WORK_DIRS+=("$work")
    rootfs="$work/rootfs"
    run_logged "debootstrap" debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR"

    # Make it look like the official debian:bookworm image: deb822 sources with updates and
    # security, docker apt tweaks (no cached .debs, no translations), no host leftovers.
    rm -f "$rootfs/etc/apt/sources.list"
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Acquire::GzipIndexes "true";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
    # Services must not start while a Dockerfile RUNs apt-get install.
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
    chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
    rm -f "$rootfs/etc/hostname"
    : >"$rootfs/etc/resolv.conf"

    run_logged "docker import" sh -c 'tar -C "$1" --numeric-owner -c . | docker import \
        --change "LABEL org.slipway.test=1" \
        --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "CMD [\"bash\"]" \
        - "$2"' sh "$rootfs" "$tag"

    cleanup
    WORK_DIRS=()
}

build_dockerfile() {
    local tag="$1" dir="$2"
    run_logged "docker build $tag" docker build --label org.slipway.test=1 -t "$tag" "$dir"
    # The classic builder keeps the first stage of a multi-stage build as a dangling image.
    docker image prune -f --filter label=org.slipway.test.stage=build >/dev/null 2>&1 || true
}

build_debian_slim() {
    # Just a second tag on slipway-test/debian:bookworm: that image is debootstrap's minbase,
    # which is what the real bookworm-slim is (no ca-certificates either).
    docker tag slipway-test/debian:bookworm "$1"
}

# tag | how | approximate cold build time
IMAGES=(
    "slipway-test/debian:bookworm|debian|45 s"
    "slipway-test/debian-slim:bookworm|debian-slim|1 s"
    "slipway-test/golang:1.23|dockerfile:golang|75 s"
    "slipway-test/distroless-static:nonroot|dockerfile:distroless-static|20 s"
    "slipway-test/alpine:3.20|dockerfile:alpine|20 s"
    "slipway-test/postgres:15|dockerfile:postgres|45 s"
)

for entry in "${IMAGES[@]}"; do
    IFS='|' read -r tag how eta <<<"$entry"
    if image_present "$tag"; then
        note "image $tag: present (cached) $(image_size "$tag")"
        continue
    fi
    log "building $tag (about $eta)"
    t="$EPOCHREALTIME"
    case "$how" in
        debian) build_debian "$tag" ;;
        debian-slim) build_debian_slim "$tag" ;;
        dockerfile:*) build_dockerfile "$tag" "$IMAGES_DIR/${how#dockerfile:}" ;;
        *) die "unknown image recipe $how" ;;
    esac
    image_present "$tag" || die "$tag is still missing after its build"
    note "image $tag: built in $(since "$t") $(image_size "$tag")"
done

# ---------------------------------------------------------------------------------------------
# 4. Summary
# ---------------------------------------------------------------------------------------------
for line in "${SUMMARY[@]}"; do
    printf '[provision] %s\n' "$line"
done
printf '[provision] done in %s\n' "$(since "$T0")"
