# LOCAL STAND-IN for temporalio/ui:2.42.1 — built by deploy/compose/standins/build.sh where no container registry is
# reachable. Not the UI server itself: a TCP forwarder (socat) from :8080 to the Web UI that the temporalio/auto-setup
# stand-in (temporal server start-dev) serves on port 8233 — the same UI version, 2.42.1. The upstream host is the host
# part of TEMPORAL_ADDRESS (temporal:7233 → temporal); TEMPORAL_UI_UPSTREAM_PORT picks the port. TEMPORAL_CODEC_ENDPOINT
# and TEMPORAL_DEFAULT_NAMESPACE are NOT applied here: the auto-setup stand-in sets the built-in UI's codec endpoint.
FROM node:22.22.0-bookworm-slim

LABEL woo-netsuite-sync.standin="true" \
      woo-netsuite-sync.standin.for="temporalio/ui:2.42.1" \
      org.opencontainers.image.title="temporalio/ui:2.42.1 local stand-in" \
      org.opencontainers.image.description="LOCAL STAND-IN, not the official image: socat forwarding :8080 to the dev server's built-in Web UI (deploy/compose/standins)"

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends socat \
 && rm -rf /var/lib/apt/lists/*

ENV TEMPORAL_ADDRESS=temporal:7233 \
    TEMPORAL_UI_UPSTREAM_PORT=8233
EXPOSE 8080
USER node
ENTRYPOINT ["/bin/sh", "-c", "upstream=\"${TEMPORAL_ADDRESS%:*}:$TEMPORAL_UI_UPSTREAM_PORT\"; echo \"stand-in temporalio/ui: forwarding :8080 to $upstream\"; exec socat TCP-LISTEN:8080,fork,reuseaddr \"TCP:$upstream\""]
