# LOCAL STAND-IN for temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0 — built by deploy/compose/standins/build.sh
# where no container registry is reachable. Only what docker-compose.yml's temporal-search-attributes job uses: /bin/sh
# and the Temporal CLI (`temporal`, the pinned v1.5.1 build, not 1.5.0) on PATH. No tctl, temporal-sql-tool,
# temporal-cassandra-tool or schema files.
FROM node:22.22.0-bookworm-slim

LABEL woo-netsuite-sync.standin="true" \
      woo-netsuite-sync.standin.for="temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0" \
      org.opencontainers.image.title="temporalio/admin-tools local stand-in" \
      org.opencontainers.image.description="LOCAL STAND-IN, not the official image: /bin/sh and the Temporal CLI v1.5.1 only (deploy/compose/standins)"

# The binary keeps its mode from the build context (no chmod layer: that would copy 250 MB again). `temporal` on PATH
# is temporal-passthrough.sh: the same CLI, server addresses given as passthrough:///host:port (see that file: this
# engine's embedded DNS cannot answer the gRPC TXT lookup).
COPY temporal /usr/local/libexec/temporal/temporal
COPY temporal-passthrough.sh /usr/local/bin/temporal
RUN temporal --version
# uid 1000 (the base image's node user), as the official image's temporal user.
USER node

ENTRYPOINT ["/bin/sh"]
