#!/usr/bin/env bash
# Builds LOCAL STAND-INS for the third-party images docker-compose.yml names, on a machine where no container registry
# is reachable, and tags each with exactly the name the compose file uses:
#
#   postgres:16.8                                          postgres.Dockerfile (+ postgres-entrypoint.sh)
#   temporalio/auto-setup:1.29.1                           temporal-auto-setup.Dockerfile (+ the CLI, temporal-passthrough.sh)
#   temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0    temporal-admin-tools.Dockerfile (+ the CLI, temporal-passthrough.sh)
#   temporalio/ui:2.42.1                                   temporal-ui.Dockerfile
#   axllent/mailpit:v1.31.2                                mailpit.Dockerfile (+ mailpit built from its Go module)
#
# Every stand-in is FROM node:22.22.0-bookworm-slim (the product's base image, already in the engine), carries the
# label woo-netsuite-sync.standin=true, and deviates from the real image as its Dockerfile says. It also installs the
# Docker Compose v2 CLI plugin (github.com/docker/compose/v5, built with Go) when `docker compose` is missing.
#
#   deploy/compose/standins/build.sh            # build what is missing (idempotent)
#   deploy/compose/standins/build.sh --force    # rebuild every stand-in image, no layer cache (binaries kept)
#
# Go binaries are cached under ${WOO_NETSUITE_SYNC_CACHE:-$XDG_CACHE_HOME/woo-netsuite-sync or ~/.cache/woo-netsuite-sync}.
# An image of one of these names that is NOT a stand-in (a real pulled image) is never replaced, even with --force.
# Needs: docker (builds with DOCKER_BUILDKIT=0 --network host: apt-get runs inside the builds), go, and npm for
# mailpit's web UI (without npm, mailpit is built without its web UI; the API and SMTP still work).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${WOO_NETSUITE_SYNC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/woo-netsuite-sync}"
base_image="node:22.22.0-bookworm-slim"
temporal_cli_version="v1.5.1"
temporal_cli="${TEMPORAL_CLI_PATH:-$cache/temporal-cli/$temporal_cli_version/temporal}"
mailpit_version="v1.31.2"
mailpit_bin="$cache/mailpit/$mailpit_version/mailpit"
compose_version="v5.6.0"
compose_bin="$cache/compose/$compose_version/docker-compose"
compose_plugin="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins/docker-compose"

force=false
for arg in "$@"; do
  case "$arg" in
    --force) force=true ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $arg (only --force)" >&2; exit 2 ;;
  esac
done

log() { printf '[standins %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v docker >/dev/null || die "docker is not on PATH"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (docker info); start it first"
docker image inspect "$base_image" >/dev/null 2>&1 || die "base image $base_image is not in the engine (and no registry serves it here)"

# ── Go binaries (cached) ─────────────────────────────────────────────────────────────────────────────────────────────

# go mod download, then the module's directory copied somewhere writable (the module cache is read-only).
module_source() { # module@version target-dir
  local dir
  dir="$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] && [ -d "$dir" ] || die "go mod download $1 gave no module directory"
  rm -rf "$2" && mkdir -p "$(dirname "$2")" && cp -r "$dir" "$2" && chmod -R u+w "$2"
}

ensure_temporal_cli() {
  if [ -x "$temporal_cli" ]; then log "Temporal CLI: $temporal_cli ($("$temporal_cli" --version))"; return; fi
  command -v go >/dev/null || die "no Temporal CLI at $temporal_cli and no go to build it"
  log "building Temporal CLI $temporal_cli_version with go install (several minutes)…"
  local gobin; gobin="$(mktemp -d "$cache/temporal-cli/.build.XXXXXX")"
  (cd /tmp && GOFLAGS=-mod=mod GOBIN="$gobin" go install "github.com/temporalio/cli/cmd/temporal@$temporal_cli_version")
  mkdir -p "$(dirname "$temporal_cli")" && mv "$gobin/temporal" "$temporal_cli" && rm -rf "$gobin"
}

ensure_mailpit() {
  if [ -x "$mailpit_bin" ]; then log "mailpit: $mailpit_bin"; return; fi
  command -v go >/dev/null || die "no mailpit at $mailpit_bin and no go to build it"
  local src="$cache/mailpit/src-$mailpit_version"
  log "building mailpit $mailpit_version from its Go module…"
  module_source "github.com/axllent/mailpit@$mailpit_version" "$src"
  # The module carries no built web UI (server/ui/dist); upstream's Dockerfile builds it with npm first.
  if command -v npm >/dev/null && (cd "$src" && npm ci --no-audit --no-fund --loglevel=error && npm run package) >"$cache/mailpit/npm-$mailpit_version.log" 2>&1; then
    log "mailpit web UI built with npm"
  else
    log "WARNING: mailpit web UI assets not built (see $cache/mailpit/npm-$mailpit_version.log): the API and SMTP work, the web page will not"
  fi
  mkdir -p "$(dirname "$mailpit_bin")"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$mailpit_version" -o "$mailpit_bin.tmp" .)
  mv "$mailpit_bin.tmp" "$mailpit_bin"
}

ensure_compose_plugin() {
  if docker compose version >/dev/null 2>&1; then log "docker compose: $(docker compose version)"; return; fi
  if [ ! -x "$compose_bin" ]; then
    command -v go >/dev/null || die "docker compose is missing and there is no go to build it"
    # `go install …/cmd@version` is refused (compose's go.mod has exclude directives): build inside the module instead.
    local src="$cache/compose/src-$compose_version"
    log "building Docker Compose $compose_version from github.com/docker/compose/v5 (a few minutes)…"
    module_source "github.com/docker/compose/v5@$compose_version" "$src"
    mkdir -p "$(dirname "$compose_bin")"
    (cd "$src" && GOFLAGS=-mod=mod go build -trimpath \
      -ldflags "-w -X github.com/docker/compose/v5/internal.Version=$compose_version" -o "$compose_bin.tmp" ./cmd)
    mv "$compose_bin.tmp" "$compose_bin"
  fi
  mkdir -p "$(dirname "$compose_plugin")"
  install -m 0755 "$compose_bin" "$compose_plugin"
  log "installed $compose_plugin: $(docker compose version)"
}

# ── images ───────────────────────────────────────────────────────────────────────────────────────────────────────────

# build_image <tag> <dockerfile> [file-for-the-context …]
build_image() {
  local tag="$1" dockerfile="$2"; shift 2
  if docker image inspect "$tag" >/dev/null 2>&1; then
    local standin; standin="$(docker image inspect --format '{{ index .Config.Labels "woo-netsuite-sync.standin" }}' "$tag" 2>/dev/null || true)"
    if [ "$standin" != true ]; then log "$tag: a real (non stand-in) image is present, kept"; return; fi
    if [ "$force" != true ]; then log "$tag: stand-in already built, skipped (--force rebuilds)"; return; fi
  fi
  local previous; previous="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
  local context; context="$(mktemp -d "$cache/standins/context.XXXXXX")"
  cp "$here/$dockerfile" "$context/Dockerfile"
  local file; for file in "$@"; do cp -L "$file" "$context/"; chmod a+rX "$context/$(basename "$file")"; done
  log "$tag: building from $dockerfile…"
  local started=$SECONDS
  local no_cache=(); if [ "$force" = true ]; then no_cache=(--no-cache); fi
  if ! DOCKER_BUILDKIT=0 docker build --network host --pull=false "${no_cache[@]}" -t "$tag" "$context" >"$cache/standins/build-${dockerfile%.Dockerfile}.log" 2>&1; then
    tail -n 30 "$cache/standins/build-${dockerfile%.Dockerfile}.log" >&2
    rm -rf "$context"
    die "$tag: docker build failed (log: $cache/standins/build-${dockerfile%.Dockerfile}.log)"
  fi
  rm -rf "$context"
  log "$tag: built in $((SECONDS - started)) s"
  # The stand-in this one replaced, now untagged: removed (only that image, and only when nothing else uses it).
  local now; now="$(docker image inspect --format '{{.Id}}' "$tag")"
  if [ -n "$previous" ] && [ "$previous" != "$now" ]; then docker image rm "$previous" >/dev/null 2>&1 || true; fi
}

mkdir -p "$cache/standins" "$cache/temporal-cli" "$cache/mailpit" "$cache/compose"
total_started=$SECONDS

ensure_compose_plugin
ensure_temporal_cli
ensure_mailpit

build_image postgres:16.8 postgres.Dockerfile "$here/postgres-entrypoint.sh"
build_image temporalio/auto-setup:1.29.1 temporal-auto-setup.Dockerfile "$temporal_cli" "$here/temporal-passthrough.sh"
build_image temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0 temporal-admin-tools.Dockerfile "$temporal_cli" "$here/temporal-passthrough.sh"
build_image temporalio/ui:2.42.1 temporal-ui.Dockerfile
build_image axllent/mailpit:v1.31.2 mailpit.Dockerfile "$mailpit_bin"

log "done in $((SECONDS - total_started)) s"
docker image ls --filter label=woo-netsuite-sync.standin=true --format '  {{.Repository}}:{{.Tag}}  {{.ID}}  {{.Size}}' >&2
