# LOCAL STAND-IN for axllent/mailpit:v1.31.2 — built by deploy/compose/standins/build.sh where no container registry
# is reachable: the mailpit binary build.sh compiles from the Go module github.com/axllent/mailpit@v1.31.2 (with its web
# UI assets built by npm when that works; see build.sh), on Debian bookworm instead of Alpine. SMTP on 0.0.0.0:1025,
# web UI and API on 0.0.0.0:8025, POP3 port 1110 exposed as upstream, the upstream health check (`mailpit readyz`).
FROM node:22.22.0-bookworm-slim

LABEL woo-netsuite-sync.standin="true" \
      woo-netsuite-sync.standin.for="axllent/mailpit:v1.31.2" \
      org.opencontainers.image.title="axllent/mailpit:v1.31.2 local stand-in" \
      org.opencontainers.image.description="LOCAL STAND-IN, not the official image: mailpit v1.31.2 built from its Go module on Debian bookworm (deploy/compose/standins)"

COPY mailpit /mailpit
RUN /mailpit version --no-release-check

EXPOSE 1025/tcp 1110/tcp 8025/tcp
HEALTHCHECK --interval=15s --start-period=10s CMD ["/mailpit", "readyz"]
ENTRYPOINT ["/mailpit"]
