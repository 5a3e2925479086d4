#!/usr/bin/env bash
# End to end on this machine: docker-compose.yml's whole stack with the simulators profile — on the local stand-in images
# (deploy/compose/standins/build.sh) where no registry serves the third-party ones — then one WooCommerce order synced
# to NetSuite through it, then everything torn down again.
#
#   deploy/compose/standins/up-and-sync.sh
#
# 1. builds the missing stand-ins (and the docker compose plugin) with build.sh; needs woo-netsuite-sync:local and
#    woo-netsuite-sync:dev already in the engine (npm run image:build);
# 2. writes a throw-away settings file from deploy/compose.env.example (every change-me replaced, a payload key and a
#    codec token generated) and puts it at deploy/compose.env — compose requires exactly that path (env_file
#    `required: true`); refuses to run when a deploy/compose.env already exists, and deletes its own on exit;
# 3. `docker compose --profile simulators up -d`, then waits for every service to be healthy (or, without a health
#    check, running) and the one-shot jobs to have exited 0;
# 4. places an order at the WooCommerce simulator's checkout (control API, 127.0.0.1:4021): its order.created webhook goes
#    to the receiver, which starts the order's workflow; waits for the NetSuite simulator (control API, 127.0.0.1:4011) to
#    hold a sales order for it, and for `node dist/src/client.js status <orderId>` (docker compose run --rm) to say Synced;
# 5. always (success, failure, Ctrl-C): `docker compose --profile simulators down -v` and the settings file removed.
#
# Every wait is bounded (UP_TIMEOUT, HEALTH_TIMEOUT, SYNC_TIMEOUT seconds); any failure exits non-zero after printing
# the services' state and their last log lines. Refuses to start when the compose project already has containers.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$repo"
UP_TIMEOUT="${UP_TIMEOUT:-600}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-300}"
SYNC_TIMEOUT="${SYNC_TIMEOUT:-180}"
project=woo-netsuite-sync
woo_control=http://127.0.0.1:4021/control
netsuite_control=http://127.0.0.1:4011/control

log() { printf '[up-and-sync %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }
compose() { docker compose -f "$repo/docker-compose.yml" --profile simulators "$@"; }
# JSON from stdin through a small node expression (`j` is the parsed value); prints what it returns.
json() { node -e "const j=JSON.parse(require('fs').readFileSync(0,'utf8')); const r=($1); if (r !== undefined) console.log(typeof r === 'string' ? r : JSON.stringify(r));"; }

started_stack=false
created_env=false
workdir="$(mktemp -d /tmp/woo-netsuite-sync-up-and-sync.XXXXXX)"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$started_stack" = true ]; then
    if [ "$rc" -ne 0 ]; then
      log "state of the stack at the failure:"
      compose ps -a --format 'table {{.Service}}\t{{.Status}}' || true
      compose logs --no-color --tail 25 || true
    fi
    log "tearing down: docker compose --profile simulators down -v"
    compose down -v --remove-orphans >"$workdir/down.log" 2>&1 || { cat "$workdir/down.log"; rc=1; }
  fi
  if [ "$created_env" = true ]; then rm -f "$repo/deploy/compose.env"; fi
  rm -rf "$workdir"
  if [ -e "$repo/deploy/compose.env" ] && [ "$created_env" = true ]; then log "deploy/compose.env could not be removed"; rc=1; fi
  if [ "$rc" -eq 0 ]; then log "OK (torn down, deploy/compose.env removed)"; else log "exit $rc"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t0=$SECONDS

# ── 1. images ────────────────────────────────────────────────────────────────────────────────────────────────────────
for image in woo-netsuite-sync:local woo-netsuite-sync:dev; do
  docker image inspect "$image" >/dev/null 2>&1 || fail "$image is not in the engine: build it first (npm run image:build)"
done
"$repo/deploy/compose/standins/build.sh"
if [ -n "$(docker ps -aq --filter "label=com.docker.compose.project=$project")" ]; then
  fail "compose project $project already has containers: not touching them (docker compose --profile simulators down -v first)"
fi

# ── 2. settings ──────────────────────────────────────────────────────────────────────────────────────────────────────
[ -e deploy/compose.env ] && fail "deploy/compose.env exists already: this script only runs with its own throw-away one"
password="standin-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
payload_key="k1:$(head -c 32 /dev/urandom | base64 -w0)"
codec_token="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
sed -E -e "/^[A-Z_]+=/ s/change-me/$password/g" \
  -e "s|^PAYLOAD_CODEC_KEYS=\$|PAYLOAD_CODEC_KEYS=$payload_key|" \
  -e "s|^CODEC_SERVER_TOKEN=\$|CODEC_SERVER_TOKEN=$codec_token|" \
  deploy/compose.env.example >"$workdir/compose.env"
if grep -qE '^[A-Z_]+=.*change-me' "$workdir/compose.env"; then fail "a change-me is left in the settings"; fi
created_env=true
install -m 0600 "$workdir/compose.env" deploy/compose.env
compose config --quiet || fail "docker compose config refuses the stack"

# ── 3. up ────────────────────────────────────────────────────────────────────────────────────────────────────────────
log "docker compose --profile simulators up -d (at most ${UP_TIMEOUT} s)"
started_stack=true
up_started=$SECONDS
if ! timeout "$UP_TIMEOUT" docker compose -f "$repo/docker-compose.yml" --profile simulators up -d >"$workdir/up.log" 2>&1; then
  tail -n 20 "$workdir/up.log"
  fail "docker compose up -d failed or timed out"
fi
log "up -d returned after $((SECONDS - up_started)) s; waiting for every service (at most ${HEALTH_TIMEOUT} s)"

one_shots=" temporal-search-attributes schedules-apply "
services="$(compose config --services | wc -l)"
deadline=$((SECONDS + HEALTH_TIMEOUT))
while :; do
  pending=()
  seen=0
  while IFS='|' read -r service state health exit_code; do
    seen=$((seen + 1))
    if [[ "$one_shots" == *" $service "* ]]; then
      if [ "$state" = exited ] && [ "$exit_code" != 0 ]; then fail "one-shot $service exited $exit_code"; fi
      [ "$state" = exited ] || pending+=("$service:$state")
    elif [ "$state" != running ]; then
      pending+=("$service:$state")
    elif [ -n "$health" ] && [ "$health" != healthy ]; then
      [ "$health" = unhealthy ] && fail "$service is unhealthy"
      pending+=("$service:$health")
    fi
  done < <(compose ps -a --format '{{.Service}}|{{.State}}|{{.Health}}|{{.ExitCode}}')
  [ "$seen" -ge "$services" ] || pending+=("only $seen of $services containers")
  [ "${#pending[@]}" -eq 0 ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "not ready after ${HEALTH_TIMEOUT} s: ${pending[*]}"
  sleep 3
done
ready_at=$SECONDS
log "stack ready $((ready_at - up_started)) s after up:"
compose ps -a --format 'table {{.Service}}\t{{.Image}}\t{{.Status}}'

# ── 4. one order ─────────────────────────────────────────────────────────────────────────────────────────────────────
sku="$(curl -fsS -m 10 "$woo_control/products" | json "j.find((p) => p.type === 'simple' && p.stock_status === 'instock' && (p.stock_quantity ?? 99) >= 2)?.sku" || true)"
[ -n "$sku" ] || fail "the WooCommerce simulator lists no simple product in stock"
email="compose.$(date +%s)@example.com"
order_json="$(curl -fsS -m 10 -X POST -H 'content-type: application/json' "$woo_control/orders" \
  -d "{\"customerEmail\":\"$email\",\"lines\":[{\"sku\":\"$sku\",\"quantity\":2}],\"shippingMethodId\":\"flat_rate\",\"paymentMethodId\":\"stripe\",\"status\":\"processing\"}")" \
  || fail "checkout at the WooCommerce simulator failed"
order_id="$(json 'j.id' <<<"$order_json")"
order_placed=$SECONDS
log "WooCommerce order $order_id placed ($(json '`${j.status}, 2 × '"$sku"', total ${j.total} ${j.currency}, ${j.billing.email}`' <<<"$order_json"))"

deadline=$((SECONDS + SYNC_TIMEOUT))
sales_order=""
while [ -z "$sales_order" ]; do
  sales_order="$(curl -fsS -m 10 "$netsuite_control/records/salesOrder" 2>/dev/null \
    | json "(() => { const so = j.find((r) => r.otherRefNum === '$order_id' || r.custbody_woo_order_number === '$order_id'); return so ? \`salesOrder id=\${so.id} tranId=\${so.tranId} externalId=\${so.externalId} otherRefNum=\${so.otherRefNum} status=\${so.status?.refName} customer=\${so.entity?.id} (\${so.entity?.refName}) lines=\${so.item?.items?.map((l) => l.item.refName + '×' + l.quantity).join(',')} total=\${so.total}\` : undefined; })()" || true)"
  [ -n "$sales_order" ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "no NetSuite sales order for order $order_id after ${SYNC_TIMEOUT} s"
  sleep 2
done
log "NetSuite simulator: $sales_order"

status_out=""
while :; do
  status_out="$(compose run --rm --no-deps -T worker node --env-file-if-exists=/run/simulators/stack.env dist/src/client.js status "$order_id" 2>"$workdir/run.err" || true)"
  grep -q '^  Synced: NetSuite sales order' <<<"$status_out" && break
  [ "$SECONDS" -lt "$deadline" ] || { printf '%s\n' "$status_out"; cat "$workdir/run.err"; fail "order $order_id is not Synced after ${SYNC_TIMEOUT} s"; }
  sleep 3
done
synced_at=$SECONDS
log "docker compose run --rm worker node dist/src/client.js status $order_id:"
printf '%s\n' "$status_out"
log "timings: up -d → ready $((ready_at - up_started)) s, order placed → Synced $((synced_at - order_placed)) s, up -d → Synced $((synced_at - up_started)) s, whole run $((SECONDS - t0)) s"
