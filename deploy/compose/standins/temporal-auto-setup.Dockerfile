# LOCAL STAND-IN for temporalio/auto-setup:1.29.1 — built by deploy/compose/standins/build.sh where no container
# registry is reachable. It runs the pinned Temporal CLI's development server (`temporal server start-dev`: Temporal
# Server 1.29.1 and Web UI 2.42.1 in one process) on 0.0.0.0:7233 with the `default` namespace, persisting to a SQLite
# file in /var/lib/temporal (an anonymous volume). It does NOT use PostgreSQL: DB, DB_PORT, POSTGRES_SEEDS,
# POSTGRES_USER and POSTGRES_PWD are ignored (no schema setup; postgres is only waited for through compose's
# depends_on). The dev server's own Web UI listens on :8233 inside the container; the temporalio/ui stand-in forwards
# to it. `temporal` is on PATH for the health check.
FROM node:22.22.0-bookworm-slim

LABEL woo-netsuite-sync.standin="true" \
      woo-netsuite-sync.standin.for="temporalio/auto-setup:1.29.1" \
      org.opencontainers.image.title="temporalio/auto-setup:1.29.1 local stand-in" \
      org.opencontainers.image.description="LOCAL STAND-IN, not the official image: temporal server start-dev (CLI v1.5.1, Server 1.29.1) on SQLite, no PostgreSQL (deploy/compose/standins)"

# The binary keeps its mode from the build context (no chmod layer: that would copy 250 MB again). `temporal` on PATH
# is temporal-passthrough.sh: the same CLI, server addresses given as passthrough:///host:port (see that file: this
# engine's embedded DNS cannot answer the gRPC TXT lookup).
COPY temporal /usr/local/libexec/temporal/temporal
COPY temporal-passthrough.sh /usr/local/bin/temporal
RUN mkdir -p /var/lib/temporal && chown node:node /var/lib/temporal && temporal --version
# The SQLite file lives in an anonymous volume: it survives compose recreating the container, `down -v` removes it.
VOLUME /var/lib/temporal
# uid 1000 (the base image's node user), as the official image's temporal user.
USER node

# BIND_ON_IP and DEFAULT_NAMESPACE are the auto-setup variables docker-compose.yml sets; the rest only tune the stand-in.
# TEMPORAL_UI_CODEC_ENDPOINT: the codec endpoint of the built-in Web UI (the real temporalio/ui gets it from the
# temporal-ui service's TEMPORAL_CODEC_ENDPOINT; the forwarder stand-in cannot pass it on).
ENV BIND_ON_IP=0.0.0.0 \
    DEFAULT_NAMESPACE=default \
    TEMPORAL_DB_FILE=/var/lib/temporal/temporal.db \
    TEMPORAL_UI_CODEC_ENDPOINT=http://localhost:8888 \
    TEMPORAL_LOG_LEVEL=warn

EXPOSE 7233 8233
ENTRYPOINT ["/bin/sh", "-c", "exec /usr/local/libexec/temporal/temporal server start-dev --ip \"$BIND_ON_IP\" --port 7233 --ui-port 8233 --namespace \"$DEFAULT_NAMESPACE\" --db-filename \"$TEMPORAL_DB_FILE\" ${TEMPORAL_UI_CODEC_ENDPOINT:+--ui-codec-endpoint \"$TEMPORAL_UI_CODEC_ENDPOINT\"} --log-level \"$TEMPORAL_LOG_LEVEL\" \"$@\"", "temporal-start-dev"]
