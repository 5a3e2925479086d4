#!/bin/bash
# `temporal` on PATH in the Temporal stand-ins: the real CLI (/usr/local/libexec/temporal/temporal) with every
# scheme-less server address (`--address host:port`, `--address=host:port`, $TEMPORAL_ADDRESS) given as
# `passthrough:///host:port`.
#
# Why: the CLI's gRPC client resolves `host:port` with grpc-go's dns resolver, which looks the host up and then, before
# dialling, also the TXT record `_grpc_config.<host>` (grpc-go v1.72.2 internal/resolver/dns: lookupHost, then
# lookupTXT). Docker's embedded DNS answers container names itself but forwards every other query — that TXT one too —
# to the host's nameservers, from inside the container's network namespace. On an engine started with
# --iptables=false (no NAT for container traffic) that forward never gets an answer: ~10 s (Go resolver: 5 s × 2
# attempts) per lookup, so `temporal … --address temporal:7233` fails with "failed reaching server: context deadline
# exceeded" and docker-compose.yml's health check (timeout 5 s) never passes. `passthrough:///` hands the address to the
# dialler unchanged (plain A/AAAA lookup, answered locally). On an engine with working DNS the result is the same.
set -euo pipefail
real=/usr/local/libexec/temporal/temporal

passthrough() {
  case "$1" in
    *://*|*:///*|'') printf '%s' "$1" ;;
    *) printf 'passthrough:///%s' "$1" ;;
  esac
}

if [ -n "${TEMPORAL_ADDRESS:-}" ]; then TEMPORAL_ADDRESS="$(passthrough "$TEMPORAL_ADDRESS")"; export TEMPORAL_ADDRESS; fi
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --address) args+=("$1"); shift; if [ $# -gt 0 ]; then args+=("$(passthrough "$1")"); shift; fi ;;
    --address=*) args+=("--address=$(passthrough "${1#--address=}")"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
exec "$real" "${args[@]}"
