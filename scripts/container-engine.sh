#!/usr/bin/env bash
# Makes sure a container engine answers `docker info`. When none does and this is root on a machine with Debian's
# dockerd, starts one the way this kind of machine allows it (no iptables, no default bridge; containers use
# --network host or none), logging to $CACHE/dockerd.log, and records its PID in $CACHE/dockerd.pid so whoever
# started it can stop it (`scripts/container-engine.sh stop`). Exit 0: an engine answers. Exit 3: none can start here,
# with the reason on stderr (the container tests skip with that reason).
set -euo pipefail

CACHE="${WOO_NETSUITE_SYNC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/woo-netsuite-sync}/docker"
PIDFILE="$CACHE/dockerd.pid"

if [ "${1:-}" = "stop" ]; then
  if [ -f "$PIDFILE" ]; then
    pid=$(cat "$PIDFILE")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      echo "container-engine: stopped the dockerd this script started (pid $pid)"
    fi
    rm -f "$PIDFILE"
  fi
  exit 0
fi

if ! command -v docker >/dev/null 2>&1; then
  echo "container-engine: no docker client on PATH (Debian: apt-get install docker.io)" >&2
  exit 3
fi
if docker info >/dev/null 2>&1; then exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "container-engine: docker answers nothing and there is no dockerd to start (Debian: apt-get install docker.io)" >&2
  exit 3
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "container-engine: docker answers nothing and only root may start dockerd here; start your engine (e.g. sudo systemctl start docker)" >&2
  exit 3
fi

mkdir -p "$CACHE"
echo "container-engine: starting dockerd --iptables=false --bridge=none (log: $CACHE/dockerd.log)"
# setsid and no inherited descriptors: the daemon outlives this script without holding its caller's output open.
setsid dockerd --iptables=false --bridge=none </dev/null >"$CACHE/dockerd.log" 2>&1 &
echo $! >"$PIDFILE"
for _ in $(seq 1 150); do
  if docker info >/dev/null 2>&1; then echo "container-engine: dockerd is up"; exit 0; fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then break; fi
  sleep 0.2
done
echo "container-engine: dockerd did not come up; the end of its log:" >&2
tail -n 20 "$CACHE/dockerd.log" >&2 || true
rm -f "$PIDFILE"
exit 3
