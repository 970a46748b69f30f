#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Icinga 2 live: two real `icinga2 daemon` processes in the foreground with
# temporary configs on loopback ports, a master and a satellite with their
# own zones and certificates (made with `icinga2 pki`), the shipped
# nagios/icinga2/elasticache.conf on both. The simulator is the API, real
# memcached and redis-server processes are the cache nodes (a reboot in the
# simulator restarts the node's process: node_hook.sh).
#
# - the CheckCommand runs the check on the master; the Redis AUTH token
#   goes through `env`, never the command line; `-v` repeats;
# - a SIGSTOPped node: CRITICAL, HARD, the EventCommand reboots exactly that
#   node, once, and the service is OK again;
# - the satellite runs a check for the master through command_endpoint and
#   the master holds the result.
# Everything waits on the REST API, never a fixed sleep.
#
# Both daemons run as root (-DRunAsUser=root): icinga2 otherwise drops to
# its own user (nagios on Debian), which cannot read the test's scratch
# directory, the build tree or the token. `icinga2 pki` drops privileges the
# same way and needs the same defines.

bats_require_minimum_version 1.5.0
load helpers

API_PASSWORD=e2e-api-password
TOKEN=e2e-icinga-redis-token

icinga_defines() { # NODE
    local d=$D/$1
    printf '%s\n' -DRunAsUser=root -DRunAsGroup=root "-DDataDir=$d/lib" "-DCacheDir=$d/cache" \
        "-DLogDir=$d/log" "-DInitRunDir=$d/run" "-DSpoolDir=$d/spool"
}

pki() { # NODE ARGS...: icinga2 pki with the node's (or the CA's) directories
    local node=$1
    shift
    mapfile -t defs < <(icinga_defines "$node")
    icinga2 pki "$@" "${defs[@]}"
}

make_node_cert() { # NODE: key and certificate signed by the CA, where ApiListener looks
    local certs=$D/$1/lib/certs
    mkdir -p "$certs"
    pki "$1" new-cert --cn "$1" --key "$certs/$1.key" --csr "$certs/$1.csr" >>"$D/pki.log" 2>&1
    pki ca sign-csr --csr "$certs/$1.csr" --cert "$certs/$1.crt" >>"$D/pki.log" 2>&1
    cp "$D/ca/lib/ca/ca.crt" "$certs/ca.crt"
}

# The parts of the main config both instances share.
common_config() { # NODE PLUGINDIR PORT
    cat <<CONF
const PluginDir = "$2"
const ManubulonPluginDir = "$2"
const PluginContribDir = "$2"
const NodeName = "$1"
const ZoneName = "$1"
const TicketSalt = ""
include <itl>
include <plugins>
include "$EC_REPO/nagios/icinga2/elasticache.conf"
object CheckerComponent "checker" { }
object ApiListener "api" {
  bind_host = "127.0.0.1"
  bind_port = $3
  accept_commands = true
  accept_config = false
}
// the master connects to the satellite
object Endpoint "master" { }
object Endpoint "sat" {
$([[ $1 == master ]] && printf '  host = "127.0.0.1"\n  port = %s\n' "$SAT_PORT")
}
object Zone "master" { endpoints = [ "master" ] }
object Zone "sat" { endpoints = [ "sat" ]; parent = "master" }
CONF
}

master_objects() {
    cat <<CONF
// the command pipe the event handler records its decisions through
object ExternalCommandListener "command" { command_path = "$D/master/run/icinga2.cmd" }
object ApiUser "e2e" { password = "$API_PASSWORD"; permissions = [ "*" ] }
object Host "aws-e2e" { check_command = "dummy"; enable_active_checks = false; zone = "master" }
template Service "elasticache-e2e" {
  host_name = "aws-e2e"
  zone = "master"
  check_command = "elasticache"
  max_check_attempts = 2
  check_interval = 3s
  retry_interval = 1s
  vars.elasticache_endpoint_url = "$SIM_URL"
  vars.elasticache_probe_timeout = 1
  vars.elasticache_timeout = 8
}
object Service "mc" {
  import "elasticache-e2e"
  event_command = "elasticache-reboot"
  enable_event_handler = true
  vars.elasticache_cluster_id = "mc"
  vars.elasticache_min_interval = "15m"
}
object Service "mcd" {
  import "elasticache-e2e"
  event_command = "elasticache-reboot"
  enable_event_handler = true
  max_check_attempts = 3
  retry_interval = 3s
  vars.elasticache_cluster_id = "mcd"
  vars.elasticache_command_file = "$D/master/run/icinga2.cmd"
  vars.elasticache_no_syslog = true
}
object Service "rd" {
  import "elasticache-e2e"
  vars.elasticache_cluster_id = "rd"
  vars.elasticache_auth_token = "$TOKEN"
  vars.elasticache_verbose = 2
}
object Service "rd-sat" {
  import "elasticache-e2e"
  command_endpoint = "sat"
  vars.elasticache_cluster_id = "rd"
  vars.elasticache_auth_token = "$TOKEN"
}
CONF
}

start_icinga() { # NODE
    mapfile -t defs < <(icinga_defines "$1")
    mkdir -p "$D/$1"/{cache,log,run,spool}
    icinga2 daemon -c "$D/$1/icinga2.conf" "${defs[@]}" </dev/null >"$D/$1/daemon.log" 2>&1 3>&- &
    echo $! >"$D/$1/daemon.pid"
}

stop_icinga() { # NODE
    local pid i
    pid=$(cat "$D/$1/daemon.pid" 2>/dev/null) || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    # icinga2 forks an umbrella and a worker process; take both down
    pkill -KILL -P "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

api() { # METHOD PATH [JSON]
    local args=(-sS --fail-with-body --cacert "$D/ca/lib/ca/ca.crt" -u "e2e:$API_PASSWORD"
        -H 'Accept: application/json' -X "$1")
    [[ $# -lt 3 ]] || args+=(-d "$3")
    # the certificate names the endpoint, "master": verify it by that name
    curl "${args[@]}" --resolve "master:$MASTER_PORT:127.0.0.1" "https://master:$MASTER_PORT$2"
}

# A service's attribute from the master's REST API (a.b.c for nested ones);
# empty when it has none yet.
svc() { # SERVICE ATTR
    api GET "/v1/objects/services/aws-e2e!$1" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)["results"][0]["attrs"]
    for k in sys.argv[1].split("."):
        v = v[k]
except Exception:
    sys.exit(0)
print(json.dumps(v) if isinstance(v, (list, dict)) else v)' "$2"
}

state_is() { # SERVICE STATE [STATE_TYPE]
    [[ $(svc "$1" last_check) != "" && $(svc "$1" last_check) != -1 ]] || return 1
    [[ $(svc "$1" state) == "$2" || $(svc "$1" state) == "$2.0" ]] || return 1
    [[ -z ${3:-} ]] || [[ $(svc "$1" state_type) == "$3" || $(svc "$1" state_type) == "$3.0" ]]
}

wait_for() { # SECONDS DESCRIPTION COMMAND...
    local limit=$1 what=$2 end
    shift 2
    end=$(($(date +%s) + limit))
    while (($(date +%s) < end)); do
        "$@" && return 0
        sleep 0.2
    done
    echo "timed out after ${limit}s waiting for: $what" >&2
    return 1
}

force_check() { # SERVICE
    api POST /v1/actions/reschedule-check \
        "{\"type\":\"Service\",\"filter\":\"service.name==\\\"$1\\\"\",\"force\":true}" >/dev/null
}

reboots() { # successful RebootCacheCluster calls, "CLUSTER NODE,NODE" each
    sim_ctl GET /_sim/requests | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["action"] == "RebootCacheCluster" and r["status"] == 200:
        p = r["params"]
        ids = p.get("CacheNodeIdsToReboot")
        if not isinstance(ids, list):
            ids = [v for k, v in sorted(p.items()) if k.startswith("CacheNodeIdsToReboot.")]
        print(p.get("CacheClusterId"), ",".join(ids))'
}
reboot_count_is() { [[ $(reboots | wc -l) -eq $1 ]]; }
checked_by_sat() { [[ $(svc rd-sat last_check_result.check_source) == sat ]]; }
api_up() { api GET /v1/status/ApiListener >/dev/null 2>&1; }
sat_connected() {
    api GET /v1/status/ApiListener 2>/dev/null | grep -q '"num_conn_endpoints":1'
}

setup_file() {
    load helpers
    command -v icinga2 >/dev/null || skip "icinga2 is not installed"
    export D=$BATS_FILE_TMPDIR/icinga
    mkdir -p "$D/ca/lib" "$D/ca/log" "$D/state"
    # a CA and a certificate per node, as `icinga2 pki` makes them
    pki ca new-ca >"$D/pki.log" 2>&1 || { cat "$D/pki.log" >&2; return 1; }
    make_node_cert master || { cat "$D/pki.log" >&2; return 1; }
    make_node_cert sat || { cat "$D/pki.log" >&2; return 1; }

    # cache nodes: two memcached (mc) and a redis with a password (rd)
    MC1=$(free_port) MC2=$(free_port) RD=$(free_port) MCD=$(free_port)
    export MC1 MC2 RD MCD
    local p
    for p in "$MC1" "$MC2" "$MCD"; do
        memcached -d -l 127.0.0.1 -p "$p" -U 0 -u root -m 8 -P "$D/state/memcached.$p.pid" </dev/null >/dev/null 2>&1
        wait_port "$p"
    done
    redis-server --port "$RD" --bind 127.0.0.1 --save '' --appendonly no --requirepass "$TOKEN" \
        --daemonize yes --pidfile "$D/state/redis.pid" --dir "$D" >/dev/null
    wait_port "$RD"
    make_fixture "$D/fixture.json" "memcached:mc:$MC1,$MC2" "redis:rd:$RD:auth" "memcached:mcd:$MCD"
    sim_start --fixture "$D/fixture.json" --reboot-seconds 4 --node-hook "$NAG_DIR/node_hook.sh $D/state"
    export SIM_URL SIM_PID SIM_DIR

    # the satellite runs the tools through a wrapper that records each run
    mkdir -p "$D/sat-plugins"
    local t
    for t in check_elasticache elasticache_event_handler; do
        printf '#!/bin/sh\necho "$(date +%%s) %s" >>"%s/sat-ran"\nexec "%s/%s" "$@"\n' \
            "$t" "$D" "$EC_BIN" "$t" >"$D/sat-plugins/$t"
        chmod +x "$D/sat-plugins/$t"
    done
    MASTER_PORT=$(free_port) SAT_PORT=$(free_port)
    export MASTER_PORT SAT_PORT
    mkdir -p "$D"/{master,sat}/{cache,log,run,spool}
    common_config sat "$D/sat-plugins" "$SAT_PORT" >"$D/sat/icinga2.conf"
    { common_config master "$EC_BIN" "$MASTER_PORT"; master_objects; } >"$D/master/icinga2.conf"

    local node
    for node in sat master; do
        mapfile -t defs < <(icinga_defines "$node")
        icinga2 daemon -C -c "$D/$node/icinga2.conf" "${defs[@]}" >"$D/$node/validate.log" 2>&1 ||
            { cat "$D/$node/validate.log" >&2; return 1; }
    done
    start_icinga sat
    start_icinga master
    wait_for 30 "the master's REST API" api_up || { cat "$D"/*/daemon.log >&2; return 1; }
    wait_for 30 "the master connected to the satellite" sat_connected || { cat "$D"/*/daemon.log >&2; return 1; }
}

teardown_file() {
    stop_icinga master
    stop_icinga sat
    sim_stop
    local f
    for f in "$D"/state/memcached.*.pid "$D"/state/redis.pid; do
        [[ -s $f ]] || continue
        kill -CONT "$(cat "$f")" 2>/dev/null
        kill -KILL "$(cat "$f")" 2>/dev/null
    done
    return 0
}

# A daemon's log without the REST API's per-request lines.
daemon_log() { grep -v -e HttpServerConnection -e 'ApiListener: New client connection from' -e WorkQueue "$D/$1/daemon.log"; }

teardown() {
    if [[ -z ${BATS_TEST_COMPLETED:-} ]]; then
        echo "--- master daemon.log"; daemon_log master | tail -40
        echo "--- sat daemon.log"; daemon_log sat | tail -20
        echo "--- reboots"; reboots
        echo "--- hook.log"; cat "$D/state/hook.log" 2>/dev/null
    fi
}

@test "icinga2 live: the CheckCommand checks the simulator's clusters and real nodes; the AUTH token goes through env; -v repeats" {
    force_check rd
    wait_for 30 "rd OK" state_is rd 0
    [[ $(svc rd last_check_result.output) == "ELASTICACHE OK - rd available, 1 of 1 nodes answer"* ]]
    # the command line Icinga ran: the token's variable name, never the token
    run -0 svc rd last_check_result.command
    echo "$output"
    [[ $output == *'"--auth-token-env", "ELASTICACHE_AUTH_TOKEN"'* ]]
    [[ $output != *"$TOKEN"* ]]
    # elasticache_verbose = 2: the key twice, no empty argument
    [ "$(grep -o '"-v"' <<<"$output" | wc -l)" -eq 2 ]
    [[ $output != *'""'* ]]
    # nor in either daemon's log
    run grep -c -- "$TOKEN" "$D/master/daemon.log" "$D/sat/daemon.log"
    [[ $output == *"daemon.log:0"*"daemon.log:0" ]]
    wait_for 30 "mc OK" state_is mc 0
    [[ $(svc mc last_check_result.output) == "ELASTICACHE OK - mc available, 2 of 2 nodes answer"* ]]
    run -0 svc mc last_check_result.command
    [[ $output != *'"-v"'* && $output != *--auth-token-env* ]]
    BATS_TEST_COMPLETED=1
}

@test "icinga2 live: an unresponsive node goes CRITICAL HARD, the EventCommand reboots exactly it once, the service recovers" {
    wait_for 30 "mc OK" state_is mc 0
    local stopped
    stopped=$(cat "$D/state/memcached.$MC2.pid")
    kill -STOP "$stopped"
    force_check mc
    wait_for 30 "mc CRITICAL HARD" state_is mc 2 1
    [[ $(svc mc last_check_result.output) == "ELASTICACHE CRITICAL - mc: node 0002 unresponsive"* ]]
    # the event command ran the handler, which rebooted node 0002 only
    wait_for 30 "one RebootCacheCluster" reboot_count_is 1
    [ "$(reboots)" = "mc 0002" ]
    # the simulator's reboot restarted the node's process; OK again
    wait_for 40 "mc OK again" state_is mc 0
    [ "$(cat "$D/state/memcached.$MC2.pid")" != "$stopped" ]
    grep -q "down mc 0002 127.0.0.1:$MC2" "$D/state/hook.log"
    grep -q "up mc 0002 127.0.0.1:$MC2" "$D/state/hook.log"
    run grep -c " mc 0001 " "$D/state/hook.log"
    [ "$output" = 0 ]
    # the state changes after it (WARNING while rebooting, then OK) ran the
    # handler again, and nothing rebooted again
    [ "$(reboots)" = "mc 0002" ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    BATS_TEST_COMPLETED=1
}

@test "icinga2 distributed: the satellite runs the check through command_endpoint, the master holds the result" {
    force_check rd-sat
    wait_for 30 "rd-sat checked by the satellite" checked_by_sat
    wait_for 30 "rd-sat OK" state_is rd-sat 0
    [ "$(svc rd-sat last_check_result.check_source)" = sat ]
    [[ $(svc rd-sat last_check_result.output) == "ELASTICACHE OK - rd available, 1 of 1 nodes answer"* ]]
    # it ran on the satellite (its plugin directory) with the token from env
    grep -q check_elasticache "$D/sat-ran"
    run -0 svc rd-sat last_check_result.command
    [[ $output == *"$D/sat-plugins/check_elasticache"* ]]
    [[ $output != *"$TOKEN"* ]]
    # and the master's own checks never went through the satellite's plugins
    run -0 svc rd last_check_result.command
    [[ $output == *"$EC_BIN/check_elasticache"* ]]
    BATS_TEST_COMPLETED=1
}

in_downtime() { # SERVICE: read anew at each call
    local d
    d=$(svc "$1" downtime_depth)
    [[ -n $d && $d != 0 && $d != 0.0 ]]
}

# The handler's comments on a service, one text per line.
comments_of() { # SERVICE
    api GET "/v1/objects/comments?filter=comment.service_name==%22$1%22" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
try:
    for r in json.load(sys.stdin)["results"]:
        a = r["attrs"]
        if a.get("author") == "elasticache_event_handler":
            print(a.get("text", ""))
except Exception:
    pass'
}
has_comment() { comments_of "$1" | grep -qF -- "$2"; }

@test "icinga2 live: in downtime, then acknowledged, the EventCommand does not reboot and records why through the command pipe" {
    wait_for 30 "mcd OK" state_is mcd 0
    local now stopped
    now=$(date +%s)
    # 1. a fixed downtime, then the node stops answering
    api POST /v1/actions/schedule-downtime \
        "{\"type\":\"Service\",\"filter\":\"service.name==\\\"mcd\\\"\",\"start_time\":$((now - 1)),\"end_time\":$((now + 600)),\"fixed\":true,\"author\":\"e2e\",\"comment\":\"maintenance\"}" >/dev/null
    wait_for 30 "the downtime" in_downtime mcd
    stopped=$(cat "$D/state/memcached.$MCD.pid")
    kill -STOP "$stopped"
    force_check mcd
    wait_for 40 "mcd CRITICAL HARD" state_is mcd 2 1
    # $service.downtime_depth$ reached the handler; its decision came back
    # as a comment through the command pipe
    wait_for 30 "the downtime comment" has_comment mcd "mcd: service in scheduled downtime (--downtime-depth 1): not rebooting"
    # 2. the downtime ends, the node answers again
    api POST /v1/actions/remove-downtime \
        "{\"type\":\"Service\",\"filter\":\"service.name==\\\"mcd\\\"\"}" >/dev/null
    kill -CONT "$stopped"
    force_check mcd
    wait_for 40 "mcd OK again" state_is mcd 0
    # 3. it stops again: acknowledged while SOFT, the HARD handler gets
    # $service.acknowledgement$ (2: sticky)
    kill -STOP "$stopped"
    force_check mcd
    wait_for 30 "mcd CRITICAL SOFT" state_is mcd 2 0
    api POST /v1/actions/acknowledge-problem \
        "{\"type\":\"Service\",\"filter\":\"service.name==\\\"mcd\\\"\",\"author\":\"e2e\",\"comment\":\"looking\",\"sticky\":true}" >/dev/null
    wait_for 40 "mcd CRITICAL HARD" state_is mcd 2 1
    wait_for 30 "the acknowledgement comment" has_comment mcd "mcd: problem acknowledged (--acknowledged 2): not rebooting"
    kill -CONT "$stopped"
    comments_of mcd
    run -0 reboots
    [[ $output != *mcd* ]]
    BATS_TEST_COMPLETED=1
}
