# LOCAL STAND-IN for postgres:16.8 — built by deploy/compose/standins/build.sh where no container registry is reachable.
# Debian bookworm's PostgreSQL **15** (bookworm ships no 16), not the official image's 16.8. The entrypoint honours what
# docker-compose.yml uses from the official image: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB (default: the user),
# initdb on first start into /var/lib/postgresql/data (PGDATA), /docker-entrypoint-initdb.d/*.sql and *.sh, listening
# on 0.0.0.0:5432 with scram-sha-256 password auth for TCP (trust on the local socket, as the official image), and
# pg_isready on PATH. Everything else of the official entrypoint (POSTGRES_INITDB_ARGS, *.sql.gz, secrets *_FILE, …) is
# not implemented.
FROM node:22.22.0-bookworm-slim

LABEL woo-netsuite-sync.standin="true" \
      woo-netsuite-sync.standin.for="postgres:16.8" \
      org.opencontainers.image.title="postgres:16.8 local stand-in" \
      org.opencontainers.image.description="LOCAL STAND-IN, not the official postgres image: Debian bookworm PostgreSQL 15 with a minimal docker-entrypoint (deploy/compose/standins)"

# postgresql-common would create a "main" cluster on install; the entrypoint creates the only cluster, in PGDATA.
RUN mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 0700 /var/lib/postgresql/data

ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh

VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
