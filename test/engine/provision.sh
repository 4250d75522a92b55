#!/usr/bin/env bash
# Provision everything Slipway's tests need on a Debian 12 machine (run as root):
#   1. apt packages: docker.io docker-compose chromium, golang-1.23-go (backports), docker-registry + apache2-utils (a loopback registry for pull tests)
#   2. a running Docker Engine on /var/run/docker.sock
#   3. offline stand-in images (slipway-test/*), since no image registry is reachable: the
#      Debian-based ones made by Slipway's own bases feature (`slipway bases make`, from the
#      mirror's .debs), Postgres built FROM the made Debian root
#   4. Docker Compose v2 in a DOCKER_CONFIG folder of its own (the stack tests run v1 and v2)
# Every step is skipped when already satisfied, so a second run takes seconds.
# To rebuild one image: `docker rmi TAG` and rerun. See test/engine/README.md.
set -Eeuo pipefail
trap 'printf "[provision] ERROR: line %s: %s (exit %s)\n" "$LINENO" "$BASH_COMMAND" "$?" >&2' ERR

export DEBIAN_FRONTEND=noninteractive
export NEEDRESTART_SUSPEND=1   # docker.io recommends needrestart; keep apt quiet and quick
# The docker v28 client has no buildx plugin here; the classic builder works offline with both
# clients. (The product itself builds through the API with BuildKit; this is only provisioning.)
export DOCKER_BUILDKIT=0

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGES_DIR="$HERE/images"
# The Debian mirror comes from this machine's apt sources (see apt_mirror), never a fixed host,
# so provisioning works behind a company mirror too. Resolved only when something needs it.
APT_ETC="${APT_ETC:-/etc/apt}"
DEBIAN_MIRROR=""
APT_PACKAGES=(docker.io docker-compose chromium golang-1.23-go docker-registry apache2-utils)
# How the Debian-based stand-ins are made: `made` (Slipway's own bases feature: `slipway bases make`
# assembles them from the mirror's .debs — no debootstrap, no root needed for that part) or
# `debootstrap` (the old recipes: debootstrap on the host, then apt-get in containers; kept only to
# compare against, see bench/bases.bench.ts).
BASES_HOW="${SLIPWAY_TEST_BASES:-made}"
case "$BASES_HOW" in made | debootstrap) ;; *) printf '[provision] ERROR: SLIPWAY_TEST_BASES must be made or debootstrap, not %s\n' "$BASES_HOW" >&2; exit 1 ;; esac
[ "$BASES_HOW" = debootstrap ] && APT_PACKAGES+=(debootstrap)
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

# apt_mirror SUITE: the first URI of an enabled `deb` source for SUITE in the apt sources under
# $APT_ETC: deb822 stanzas (sources.list.d/*.sources: Types/URIs/Suites/Enabled) first, then
# one-line entries (sources.list, sources.list.d/*.list: `deb [opts] URI SUITE COMPONENTS`).
# Prints it without a trailing slash; fails when there is none. Only http(s):// and file:/ URIs
# count: debootstrap understands nothing else (apt's mirror+… and cdrom: schemes are apt's own).
apt_mirror() {
    local suite="$1" f files822=() files=()
    for f in "$APT_ETC"/sources.list.d/*.sources; do [ -f "$f" ] && files822+=("$f"); done
    [ -f "$APT_ETC/sources.list" ] && files+=("$APT_ETC/sources.list")
    for f in "$APT_ETC"/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
    {
        [ "${#files822[@]}" -eq 0 ] || LC_ALL=C awk -v suite="$suite" '
            function flush() {
                if ((" " types " ") ~ / deb / && (" " suites " ") ~ (" " suite " ") && tolower(enabled) != "no" && uris != "")
                    print uris
                types = ""; uris = ""; suites = ""; enabled = ""; field = ""
            }
            FNR == 1 { flush() }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]/ {
                # A continuation line adds to the field above it.
                v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v)
                if (field == "uris") uris = uris " " v
                else if (field == "suites") suites = suites " " v
                else if (field == "types") types = types " " v
                next
            }
            {
                i = index($0, ":"); if (i == 0) next
                field = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1); gsub(/^[ \t]+|[ \t]+$/, "", v)
                if (field == "types") types = v
                else if (field == "uris") uris = v
                else if (field == "suites") suites = v
                else if (field == "enabled") enabled = v
            }
            END { flush() }' "${files822[@]}"
        [ "${#files[@]}" -eq 0 ] || LC_ALL=C awk -v suite="$suite" '
            { sub(/#.*/, "") }
            $1 != "deb" { next }
            {
                n = 2
                if ($2 ~ /^\[/) { while (n <= NF && $n !~ /\]$/) n++; n++ }
                if ($(n + 1) == suite) print $n
            }' "${files[@]}"
    } | tr ' \t' '\n\n' | grep -E '^(https?://|file:/)' | sed 's:/*$::' \
        | awk 'NR == 1 { first = $0 } END { if (NR == 0) exit 1; print first }'
}

# Sets DEBIAN_MIRROR from the apt sources, or stops with what to do.
need_mirror() {
    [ -n "$DEBIAN_MIRROR" ] && return 0
    DEBIAN_MIRROR="$(apt_mirror bookworm)" \
        || die "no Debian mirror for bookworm in the apt sources under $APT_ETC (a sources.list.d/*.sources entry whose Suites include bookworm, with URIs:, or a 'deb URI bookworm main' line in sources.list); add the mirror this machine should use, then rerun"
    log "Debian mirror (from the apt sources): $DEBIAN_MIRROR"
}

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
# (fd 9 must not leak into dockerd, or the daemon would hold the lock forever: see below.)
LOCK_FILE="${TMPDIR:-/tmp}/slipway-test-provision.lock"
exec 9>"$LOCK_FILE"
if ! flock -n 9; then
    log "another provision.sh is running; waiting for it (lock: $LOCK_FILE)"
    flock -w 1200 9 || die "still locked after 20 min: $LOCK_FILE (held by pids: $(fuser "$LOCK_FILE" 2>/dev/null || true))"
fi

# ---------------------------------------------------------------------------------------------
# 1. apt packages
# ---------------------------------------------------------------------------------------------
pkg_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }

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
# One dpkg-query for all packages (unknown ones are simply absent from its output).
INSTALLED="$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)"
for p in "${APT_PACKAGES[@]}"; do
    grep -qx "$p installed" <<<"$INSTALLED" || MISSING+=("$p")
done

if ! has_backports_source; then
    is_root || die "bookworm-backports is not in the apt sources and this is not root"
    need_mirror
    BACKPORTS_LINE="deb $DEBIAN_MIRROR bookworm-backports main"
    echo "$BACKPORTS_LINE" > "$APT_ETC/sources.list.d/bookworm-backports.list"
    log "added $BACKPORTS_LINE to $APT_ETC/sources.list.d/bookworm-backports.list"
fi

if [ "${#MISSING[@]}" -gt 0 ]; then
    is_root || die "missing packages (${MISSING[*]}) and this is not root"
    log "installing ${MISSING[*]} (apt-get update first)"
    t="$EPOCHREALTIME"
    # 9>&-: the docker.io postinst may start dockerd, which must not inherit the lock.
    apt-get update -q 9>&-
    # golang-1.23-go (and its golang-1.23-src) exist only in bookworm-backports, so the plain
    # name selects them without pulling anything else from backports.
    apt-get install -y -q "${MISSING[@]}" 9>&-
    for p in "${MISSING[@]}"; do
        pkg_installed "$p" || die "apt-get did not install $p"
    done
    log "apt packages installed in $(since "$t")"
fi
VERSIONS="$(dpkg-query -W -f='${Package} ${Version}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)"
for p in "${APT_PACKAGES[@]}"; do
    state="present"
    for m in "${MISSING[@]}"; do [ "$m" = "$p" ] && state="installed"; done
    note "apt $p: $state $(awk -v p="$p" '$1 == p { print $2 }' <<<"$VERSIONS")"
done

# ---------------------------------------------------------------------------------------------
# 2. Docker Engine
# ---------------------------------------------------------------------------------------------
command -v docker >/dev/null || die "no docker client on PATH"
command -v dockerd >/dev/null || PATH="$PATH:/usr/sbin:/sbin"

# Prints the engine's version when /var/run/docker.sock answers (any client: API 1.41 is fine).
engine_version() { timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null; }
engine_up() { ENGINE_VERSION="$(engine_version)" && [ -n "$ENGINE_VERSION" ]; }
dockerd_alive() { pgrep -x dockerd >/dev/null 2>&1; }

if engine_up; then
    note "docker: running $ENGINE_VERSION (already up)"
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
        setsid dockerd >"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
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
    note "docker: running $ENGINE_VERSION ($how, $(since "$t"))"
fi

# Seen on this machine: docker0 vanished under a running dockerd (cause unknown), and every
# container on the default bridge then fails with "could not find bridge docker0". Recreating
# the interface with its old address repairs it without restarting the engine (dockerd's
# iptables rules refer to it by name).
if [ ! -e /sys/class/net/docker0 ] && command -v ip >/dev/null \
    && bridge_info="$(docker network inspect bridge --format \
        '{{index .Options "com.docker.network.bridge.name"}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' 2>/dev/null)"; then
    read -r br_name br_subnet br_gw <<<"$bridge_info"
    if [ "$br_name" = docker0 ] && [ -n "$br_subnet" ]; then
        is_root || die "the docker0 bridge is missing and this is not root"
        [ -n "${br_gw:-}" ] || br_gw="${br_subnet%.*/*}.1"
        log "docker0 is missing under a running dockerd; recreating it ($br_gw/${br_subnet#*/})"
        ip link add docker0 type bridge
        ip addr add "$br_gw/${br_subnet#*/}" dev docker0
        ip link set docker0 up
        note "docker: default bridge docker0 was missing; recreated with $br_gw/${br_subnet#*/}"
    fi
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
    need_mirror
    run_logged "debootstrap" debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR"

    # Make it look like the official debian:bookworm image: deb822 sources with updates and
    # security, docker apt tweaks (no cached .debs, no translations), no host leftovers. The
    # sources name this machine's mirrors, so apt-get in the image builds works where it does here.
    rm -f "$rootfs/etc/apt/sources.list"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$DEBIAN_MIRROR" >"$rootfs/etc/apt/sources.list.d/debian.sources"
    local security
    if security="$(apt_mirror bookworm-security)"; then
        printf '\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
            "$security" >>"$rootfs/etc/apt/sources.list.d/debian.sources"
    else
        log "no bookworm-security source in the apt sources: the image has none either"
    fi
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

    run_logged "docker import" bash -c 'set -o pipefail; tar -C "$1" --numeric-owner -c . | docker import \
        --change "LABEL org.slipway.test=1" \
        --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "CMD [\"bash\"]" \
        - "$2"' bash "$rootfs" "$tag"

    cleanup
    WORK_DIRS=()
}

# A short hash of a recipe directory (file names, modes and contents). Stored as a label on the
# image, so an edited Dockerfile or entrypoint rebuilds its image on the next run.
recipe_hash() {
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z \
        | xargs -0 stat -c '%n %a' && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
        | sha256sum | cut -c1-16
}

build_dockerfile() {
    local tag="$1" dir="$2" hash="$3"
    run_logged "docker build $tag" docker build --label org.slipway.test=1 \
        --label "org.slipway.test.recipe=$hash" --build-arg "DEBIAN_IMAGE=$PREFIX/debian:bookworm" -t "$tag" "$dir"
    # The classic builder keeps the first stage of a multi-stage build as a dangling image.
    docker image prune -f --filter label=org.slipway.test.stage=build >/dev/null 2>&1 || true
}

build_debian_slim() {
    # Just a second tag on the debian image: that image is debootstrap's minbase,
    # which is what the real bookworm-slim is (no ca-certificates either).
    docker tag "$PREFIX/debian:bookworm" "$1"
}

# The stand-ins' repository prefix: the tests read the same variable (test/support/stand-ins.ts),
# so a set made another way can be tried under its own names without retagging the shared ones.
PREFIX="${SLIPWAY_TEST_IMAGE_PREFIX:-slipway-test}"
# The data folder of those makes: its package and layer cache makes a second make quick.
BASES_DATA="${SLIPWAY_TEST_BASES_DATA:-/var/lib/slipway-test/bases}"
ROOT="$(cd "$HERE/../.." && pwd)"

# slipway ARGS…: the project's own command line on the provisioning data folder.
slipway() { SLIPWAY_DATA_DIR="$BASES_DATA" node "$ROOT/bin/slipway.mjs" "$@"; }

# made id | stand-in tags it is tagged as (under $PREFIX) | approximate cold make time
MADE_STAND_INS=(
    "debian|debian:bookworm debian-slim:bookworm|60 s"
    "golang|golang:1.23|150 s"
    "static|distroless-static:nonroot|10 s"
    "busybox|alpine:3.20|10 s"
)

# `id recipe imageId` per line for every base: the hash of the recipe this checkout makes (the
# label org.slipway.made.recipe of a current image) and the made image when it is current, else -.
made_bases() {
    slipway bases list --json | node -e '
        let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => {
            for (const b of JSON.parse(t)) console.log(b.id + " " + b.recipe + " " + (b.current && b.imageId ? b.imageId : "-"))
        })'
}

# Whether TAG names an image made as ID from RECIPE: its labels say so, and it is one layer with the
# fixed creation time (an image built FROM a made base carries its labels too; see madeBaseOf).
tag_is_current() {
    [ "$(docker image inspect --format '{{index .Config.Labels "org.slipway.made"}} {{index .Config.Labels "org.slipway.made.recipe"}} {{len .RootFS.Layers}} {{.Created}}' "$1" 2>/dev/null)" = "$2 $3 1 1970-01-01T00:00:00Z" ]
}

# Makes the Debian-based stand-ins with `slipway bases make` and tags them as the tests name them.
# A stand-in whose tags already name an image made from the current recipe is left alone (even when
# the slipway-made/* tag itself was removed, as the bases tests do); a current made image is only
# tagged; the rest are made in one run (the package and layer caches are shared).
make_stand_ins() {
    local bases todo=() entry id tags eta tag recipe want have t
    bases="$(made_bases)" || die "slipway bases list failed (see its message above)"
    for entry in "${MADE_STAND_INS[@]}"; do
        IFS='|' read -r id tags eta <<<"$entry"
        read -r recipe want <<<"$(awk -v id="$id" '$1 == id { print $2, $3 }' <<<"$bases")"
        [ -n "$recipe" ] || die "slipway bases list does not know the base $id"
        [ "$want" != - ] && continue
        for tag in $tags; do
            if ! tag_is_current "$PREFIX/$tag" "$id" "$recipe"; then
                todo+=("$id")
                log "making $id with slipway bases make (about $eta cold)"
                break
            fi
        done
    done
    if [ "${#todo[@]}" -gt 0 ]; then
        t="$EPOCHREALTIME"
        mkdir -p "$BASES_DATA"
        slipway bases make "${todo[@]}" >&2 || die "slipway bases make ${todo[*]} failed (its message is above)"
        note "bases: made ${todo[*]} in $(since "$t") (slipway bases make, data folder $BASES_DATA)"
        bases="$(made_bases)" || die "slipway bases list failed after the make"
    fi
    for entry in "${MADE_STAND_INS[@]}"; do
        IFS='|' read -r id tags eta <<<"$entry"
        read -r recipe want <<<"$(awk -v id="$id" '$1 == id { print $2, $3 }' <<<"$bases")"
        for tag in $tags; do
            if tag_is_current "$PREFIX/$tag" "$id" "$recipe"; then
                note "image $PREFIX/$tag: present (made $id) $(image_size "$PREFIX/$tag")"
                continue
            fi
            [ "$want" != - ] || die "slipway bases make did not leave a current $id image"
            have="$(docker image inspect --format '{{.Id}}' "$PREFIX/$tag" 2>/dev/null || true)"
            docker tag "$want" "$PREFIX/$tag"
            # The replaced image goes when nothing else names or uses it (rmi refuses otherwise).
            if [ -n "$have" ] && [ "$(docker image inspect --format '{{len .RepoTags}}' "$have" 2>/dev/null)" = 0 ]; then
                docker rmi "$have" >/dev/null 2>&1 || true
            fi
            note "image $PREFIX/$tag: tagged (made $id${have:+, replaced ${have:7:12}}) $(image_size "$PREFIX/$tag")"
        done
    done
}

# tag | how | approximate cold build time
if [ "$BASES_HOW" = made ]; then
    make_stand_ins
    IMAGES=("$PREFIX/postgres:15|dockerfile:postgres|150 s")
else
    IMAGES=(
        "$PREFIX/debian:bookworm|debian|45 s"
        "$PREFIX/debian-slim:bookworm|debian-slim|1 s"
        "$PREFIX/golang:1.23|dockerfile:golang|75 s"
        "$PREFIX/distroless-static:nonroot|dockerfile:distroless-static|20 s"
        "$PREFIX/alpine:3.20|dockerfile:alpine|20 s"
        "$PREFIX/postgres:15|dockerfile:postgres|45 s"
    )
fi

for entry in "${IMAGES[@]}"; do
    IFS='|' read -r tag how eta <<<"$entry"
    hash="" old_id="" why="missing"
    case "$how" in
        dockerfile:*)
            hash="$(recipe_hash "$IMAGES_DIR/${how#dockerfile:}")"
            # Made bases: also the Debian root it starts FROM, so a new root rebuilds it.
            [ "$BASES_HOW" = made ] && hash="$hash-$(docker image inspect --format '{{.Id}}' "$PREFIX/debian:bookworm" | cut -c8-19)"
            ;;
    esac
    # One inspect per image (each docker call costs ~0.1 s): id, recipe label, size.
    info="$(docker image inspect --format \
        '{{.Id}}|{{index .Config.Labels "org.slipway.test.recipe"}}|{{.Size}}' "$tag" 2>/dev/null || true)"
    if [ -n "$info" ]; then
        IFS='|' read -r id recipe size <<<"$info"
        # debian-slim is a second tag: it is current when it names the same image as debian.
        if [ "$how" = debian-slim ]; then
            recipe="$id"
            hash="$(docker image inspect --format '{{.Id}}' "$PREFIX/debian:bookworm")"
        fi
        if [ -z "$hash" ] || [ "$recipe" = "$hash" ]; then
            note "image $tag: present (cached) $(LC_ALL=C awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }')"
            continue
        fi
        why="recipe changed"
        [ "$how" = debian-slim ] && why="debian image changed"
        old_id="$id"
    fi
    log "building $tag ($why; about $eta)"
    t="$EPOCHREALTIME"
    case "$how" in
        debian) build_debian "$tag" ;;
        debian-slim) build_debian_slim "$tag" ;;
        dockerfile:*) build_dockerfile "$tag" "$IMAGES_DIR/${how#dockerfile:}" "$hash" ;;
        *) die "unknown image recipe $how" ;;
    esac
    image_present "$tag" || die "$tag is still missing after its build"
    # Drop the replaced image if it is now untagged and nothing uses it (rmi refuses otherwise).
    if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect --format '{{.Id}}' "$tag")" ] \
        && [ "$(docker image inspect --format '{{len .RepoTags}}' "$old_id" 2>/dev/null)" = 0 ]; then
        docker rmi "$old_id" >/dev/null 2>&1 || true
    fi
    note "image $tag: built in $(since "$t") ($why) $(image_size "$tag")"
done

# ---------------------------------------------------------------------------------------------
# 4. Docker Compose v2, for the stack tests that drive `docker compose` (the app runs v2 when the
#    docker CLI has the plugin, else v1). Bookworm has only v1, so the plugin's binary comes from
#    the next Debian release's docker-compose package, fetched by apt itself (signature checked
#    against the machine's Debian keyring) into a private apt state: the machine's own sources,
#    lists and installed packages stay as they are. It lands in a DOCKER_CONFIG folder of its
#    own, so only a test that sets DOCKER_CONFIG to it sees v2; everything else keeps v1.
# ---------------------------------------------------------------------------------------------
COMPOSE_V2_CONFIG="${SLIPWAY_TEST_COMPOSE_V2:-/var/lib/slipway-test/compose-v2}"
COMPOSE_V2_SUITE="${SLIPWAY_TEST_COMPOSE_V2_SUITE:-trixie}"
compose_v2_version() { DOCKER_CONFIG="$COMPOSE_V2_CONFIG" timeout 20 docker compose version --short 2>/dev/null; }
if v="$(compose_v2_version)" && [ -n "$v" ]; then
    note "compose v2: present $v ($COMPOSE_V2_CONFIG)"
else
    is_root || die "Docker Compose v2 is missing in $COMPOSE_V2_CONFIG and this is not root"
    need_mirror
    t="$EPOCHREALTIME"
    work="$(mktemp -d)"
    WORK_DIRS+=("$work")
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [ -f "$keyring" ] || die "no Debian archive keyring at $keyring (apt-get install debian-archive-keyring)"
    echo "deb [signed-by=$keyring] $DEBIAN_MIRROR $COMPOSE_V2_SUITE main" > "$work/sources.list"
    APT_PRIVATE=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Get::List-Cleanup=0
        -o APT::Sandbox::User=root)
    log "fetching Docker Compose v2 from $DEBIAN_MIRROR $COMPOSE_V2_SUITE (a private apt state)"
    apt-get "${APT_PRIVATE[@]}" update -q 9>&- >&2 || die "apt-get update for $COMPOSE_V2_SUITE failed (does the mirror carry it? set SLIPWAY_TEST_COMPOSE_V2_SUITE)"
    (cd "$work" && apt-get "${APT_PRIVATE[@]}" download docker-compose 9>&- >&2) || die "apt-get download docker-compose from $COMPOSE_V2_SUITE failed"
    deb="$(ls "$work"/docker-compose_*.deb)"
    dpkg-deb -x "$deb" "$work/root"
    plugin="$work/root/usr/libexec/docker/cli-plugins/docker-compose"
    [ -x "$plugin" ] || die "$deb has no docker CLI plugin (is it Compose v2?)"
    mkdir -p "$COMPOSE_V2_CONFIG/cli-plugins"
    install -m 0755 "$plugin" "$COMPOSE_V2_CONFIG/cli-plugins/docker-compose"
    v="$(compose_v2_version)" || die "docker compose does not run from $COMPOSE_V2_CONFIG"
    note "compose v2: installed $v in $(since "$t") ($COMPOSE_V2_CONFIG)"
fi

# ---------------------------------------------------------------------------------------------
# 5. Summary
# ---------------------------------------------------------------------------------------------
for line in "${SUMMARY[@]}"; do
    printf '[provision] %s\n' "$line"
done
printf '[provision] done in %s\n' "$(since "$T0")"
