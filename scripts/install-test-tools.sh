#!/usr/bin/env bash
# Installs the Debian packages the tests drive: Chromium (/usr/bin/chromium) for the browser test (test/browser/, with
# playwright-core; never a browser downloaded from anywhere else), HAProxy (/usr/sbin/haproxy), the TLS terminator
# that demands a client certificate in front of the dev server in the Temporal mTLS test (test/temporal-connection/),
# and for the image (scripts/image-build.sh, test/containers/): the Docker engine (docker.io) and debootstrap, which
# builds the Node base image locally where no registry serves it.
# (Not stunnel4: Debian's 5.68 cannot negotiate ALPN h2, which the worker's gRPC core requires.) Idempotent: installs
# only what is missing. Runs as root, or through sudo when it is present.
set -euo pipefail

declare -A WANTED=([chromium]=/usr/bin/chromium [haproxy]=/usr/sbin/haproxy [docker.io]=/usr/sbin/dockerd [debootstrap]=/usr/sbin/debootstrap)
missing=()
for package in "${!WANTED[@]}"; do
  if [ -x "${WANTED[$package]}" ]; then echo "$package already installed: ${WANTED[$package]}"; else missing+=("$package"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-test-tools: ${missing[*]} missing and this is neither root nor a user with sudo; run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi

"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"

for package in "${missing[@]}"; do
  if [ ! -x "${WANTED[$package]}" ]; then
    echo "install-test-tools: apt-get installed $package but ${WANTED[$package]} is still missing" >&2
    exit 1
  fi
  echo "installed $package: ${WANTED[$package]}"
done
