#!/usr/bin/env bats
# Real end to end: Debian's nagios4 daemon runs check_elasticache as a
# service check and elasticache_event_handler as its event handler, against
# the simulator, whose cache nodes are real memcached processes on loopback
# (a reboot in the simulator restarts the node's process, see node_hook.sh).
# A SIGSTOPped node must be found, rebooted once, and the service recover.
# The daemon runs as monitoring servers do on EC2: no HOME in its
# environment and no keys anywhere, the instance role's credentials coming
# from the instance metadata service (the simulator's IMDSv2).

bats_require_minimum_version 1.5.0
load helpers

NAGIOS=${NAGIOS:-/usr/sbin/nagios4}
SERVICE="ElastiCache mc"

setup() {
    [ -x "$NAGIOS" ] || skip "nagios4 is not installed"
    D=$EC_TMP/nagios.$BATS_TEST_NUMBER
    rm -rf "$D"
    mkdir -p "$D/checkresults" "$D/state"
    NAGIOS_PID=
}

teardown() {
    if [[ -n ${NAGIOS_PID:-} ]]; then
        kill -TERM "$NAGIOS_PID" 2>/dev/null
        for ((i = 0; i < 50; i++)); do
            kill -0 "$NAGIOS_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$NAGIOS_PID" 2>/dev/null
        wait "$NAGIOS_PID" 2>/dev/null
    fi
    sim_stop # first: no hook may start a process after this
    local f pid
    for f in "$D"/state/memcached.*.pid "$D"/state/redis.pid; do
        [[ -s $f ]] || continue
        pid=$(cat "$f")
        kill -KILL "$pid" 2>/dev/null
        kill -CONT "$pid" 2>/dev/null
    done
    if [[ -n ${BATS_TEST_COMPLETED:-} ]]; then :; else
        echo "--- nagios.log"; cat "$D/nagios.log" 2>/dev/null
        echo "--- hook.log"; cat "$D/state/hook.log" 2>/dev/null
        echo "--- sim requests"; sim_ctl GET /_sim/requests 2>/dev/null | head -c 4000
    fi
}

start_node() { # PORT: memcached daemon whose pid file the hook knows
    memcached -d -l 127.0.0.1 -p "$1" -U 0 -u root -m 8 -P "$D/state/memcached.$1.pid" </dev/null >/dev/null 2>&1
    wait_port "$1"
}

write_config() {
    cat >"$D/resource.cfg" <<CFG
\$USER1\$=$EC_BIN
CFG
    cat >"$D/objects.cfg" <<CFG
define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define command {
    command_name    notify-none
    command_line    /bin/true
}
define contact {
    contact_name                  e2e
    host_notifications_enabled    0
    service_notifications_enabled 0
    host_notification_period      24x7
    service_notification_period   24x7
    host_notification_options     n
    service_notification_options  n
    host_notification_commands    notify-none
    service_notification_commands notify-none
}
define contactgroup {
    contactgroup_name admins
    members           e2e
}
define host {
    host_name             e2e-region
    address               127.0.0.1
    max_check_attempts    1
    check_period          24x7
    contact_groups        admins
    notification_interval 0
    notification_period   24x7
}
define service {
    use                 elasticache-service
    host_name           e2e-region
    service_description $SERVICE
    _CLUSTER_ID         mc
    check_command       check_elasticache!--endpoint-url $SIM_URL --probe-timeout 1 -t 8
    event_handler       elasticache_event_handler_recorded!--endpoint-url $SIM_URL --probe-timeout 1 --no-syslog
    max_check_attempts  2
    check_interval      2
    retry_interval      1
}
define service {
    use                 elasticache-service
    host_name           e2e-region
    service_description ElastiCache dt
    _CLUSTER_ID         dt
    check_command       check_elasticache!--endpoint-url $SIM_URL --probe-timeout 1 -t 8
    event_handler       elasticache_event_handler_recorded!--endpoint-url $SIM_URL --probe-timeout 1 --no-syslog
    max_check_attempts  3
    check_interval      2
    retry_interval      4
}
define service {
    use                 elasticache-service
    host_name           e2e-region
    service_description ElastiCache rd
    _CLUSTER_ID         rd
    check_command       check_elasticache!--endpoint-url $SIM_URL --probe-timeout 1 -t 8 --auth-token-file $D/rd.token
    event_handler       elasticache_event_handler!--endpoint-url $SIM_URL --probe-timeout 1 --no-syslog --auth-token-file $D/rd.token
    max_check_attempts  2
    check_interval      2
    retry_interval      1
}
CFG
    cat >"$D/nagios.cfg" <<CFG
log_file=$D/nagios.log
cfg_file=$EC_REPO/nagios/nagios4/commands.cfg
cfg_file=$EC_REPO/nagios/nagios4/templates.cfg
cfg_file=$D/objects.cfg
resource_file=$D/resource.cfg
object_cache_file=$D/objects.cache
precached_object_file=$D/objects.precache
status_file=$D/status.dat
status_update_interval=1
temp_file=$D/nagios.tmp
temp_path=$D
lock_file=$D/nagios.lock
state_retention_file=$D/retention.dat
retain_state_information=0
use_retained_program_state=0
command_file=$D/nagios.cmd
check_external_commands=1
check_result_path=$D/checkresults
check_result_reaper_frequency=1
nagios_user=root
nagios_group=root
interval_length=1
execute_service_checks=1
execute_host_checks=0
enable_event_handlers=1
log_event_handlers=1
log_service_retries=1
query_socket=$D/nagios.qh
illegal_macro_output_chars=\`~\$&|'"<>
log_initial_states=1
enable_notifications=0
enable_flap_detection=0
check_service_freshness=0
check_for_orphaned_services=0
service_check_timeout=30
event_handler_timeout=30
max_service_check_spread=1
service_inter_check_delay_method=n
use_syslog=0
check_for_updates=0
CFG
}

# A field of our service's block in status.dat.
svc() { # FIELD [SERVICE]
    /usr/bin/python3 - "$D/status.dat" "${2:-$SERVICE}" "$1" <<'PY'
import sys
path, name, field = sys.argv[1:]
try:
    text = open(path).read()
except OSError:
    sys.exit(0)
for block in text.split("servicestatus {")[1:]:
    block = block.split("}")[0]
    kv = dict(l.strip().split("=", 1) for l in block.splitlines() if "=" in l)
    if kv.get("service_description") == name:
        print(kv.get(field, ""))
PY
}

wait_for() { # SECONDS DESCRIPTION COMMAND...: until COMMAND succeeds
    local limit=$1 what=$2 end
    shift 2
    end=$(($(date +%s) + limit))
    while (($(date +%s) < end)); do
        "$@" && return 0
        sleep 0.2
    done
    echo "timed out after ${limit}s waiting for: $what" >&2
    echo "status: state=$(svc current_state) type=$(svc state_type) output=$(svc plugin_output) downtime=$(svc scheduled_downtime_depth) ack=$(svc problem_has_been_acknowledged)" >&2
    return 1
}

state_is() { # STATE [TYPE]
    [[ $(svc has_been_checked) == 1 && $(svc current_state) == "$1" ]] &&
        { [[ -z ${2:-} ]] || [[ $(svc state_type) == "$2" ]]; }
}

field_is() { # FIELD VALUE: of our service, read anew at each call
    [[ $(svc "$1") == "$2" ]]
}

rd_ok() {
    [[ $(svc has_been_checked "ElastiCache rd") == 1 && $(svc current_state "ElastiCache rd") == 0 ]]
}

force_check() {
    printf '[%s] SCHEDULE_FORCED_SVC_CHECK;e2e-region;%s;%s\n' "$(date +%s)" "$SERVICE" "$(date +%s)" >"$D/nagios.cmd"
}

# Successful reboots, one "CLUSTER NODE,NODE" line each.
reboots() {
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

# A comment the handler left on a service (status.dat), by its text.
comment_has() { # TEXT [SERVICE]
    /usr/bin/python3 - "$D/status.dat" "${2:-$SERVICE}" "$1" <<'PY'
import sys
path, name, want = sys.argv[1:]
try:
    text = open(path).read()
except OSError:
    sys.exit(1)
for block in text.split("servicecomment {")[1:]:
    block = block.split("\n\t}")[0]
    kv = dict(l.strip().split("=", 1) for l in block.splitlines() if "=" in l)
    if kv.get("service_description") == name and kv.get("author") == "elasticache_event_handler" and want in kv.get("comment_data", ""):
        sys.exit(0)
sys.exit(1)
PY
}

send_command() { # COMMAND;ARGS...
    printf '[%s] %s\n' "$(date +%s)" "$1" >"$D/nagios.cmd"
}

# No event handler of this test's nagios is running (the command line
# names this test's simulator).
no_handler_running() {
    ! pgrep -f "elasticache_event_handler.*--endpoint-url $SIM_URL" >/dev/null
}

# The world both live tests share: memcached nodes for mc (two) and dt
# (one), a Redis with AUTH for rd, the simulator, the config, and nagios4
# running as on EC2 (no HOME, no keys: the instance role from IMDS).
boot_nagios() {
    P1=$(free_port); P2=$(free_port); PR=$(free_port); PD=$(free_port)
    start_node "$P1"
    start_node "$P2"
    start_node "$PD"
    # a Redis cluster with AUTH beside it, which must stay OK throughout
    printf 'e2e-redis-token\n' >"$D/rd.token"
    redis-server --port "$PR" --bind 127.0.0.1 --save '' --appendonly no \
        --requirepass e2e-redis-token --daemonize yes --pidfile "$D/state/redis.pid" \
        --dir "$D" >/dev/null
    wait_port "$PR"
    make_fixture "$D/fixture.json" "memcached:mc:$P1,$P2" "redis:rd:$PR:auth" "memcached:dt:$PD"
    sim_start --fixture "$D/fixture.json" --reboot-seconds 5 \
        --node-hook "$NAG_DIR/node_hook.sh $D/state"
    write_config

    run "$NAGIOS" -v "$D/nagios.cfg"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"Total Warnings: 0"* ]]
    [[ $output == *"Total Errors:   0"* ]]

    env -u HOME -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_EC2_METADATA_DISABLED \
        AWS_EC2_METADATA_SERVICE_ENDPOINT="$SIM_URL" \
        "$NAGIOS" "$D/nagios.cfg" </dev/null >"$D/nagios.stdout" 2>&1 3>&- &
    NAGIOS_PID=$!
    wait_for 15 "the command file" test -p "$D/nagios.cmd"
}

@test "nagios4: unresponsive node -> CRITICAL HARD -> handler reboots exactly it -> OK again" {
    boot_nagios
    force_check

    # 1. all OK
    printf '[%s] SCHEDULE_FORCED_SVC_CHECK;e2e-region;ElastiCache rd;%s\n' "$(date +%s)" "$(date +%s)" >"$D/nagios.cmd"
    wait_for 30 "service OK" state_is 0
    wait_for 30 "redis service OK" rd_ok
    [[ $(svc plugin_output "ElastiCache rd") == "ELASTICACHE OK - rd available, 1 of 1 nodes answer"* ]]
    [[ $(svc plugin_output) == "ELASTICACHE OK - mc available, 2 of 2 nodes answer"* ]]
    [[ $(svc performance_data) == *"nodes_unresponsive=0;;;0;2"* ]]

    # 2. node 0002's process stops answering
    STOPPED=$(cat "$D/state/memcached.$P2.pid")
    kill -STOP "$STOPPED"
    force_check

    # 3. CRITICAL naming that node, then HARD
    wait_for 30 "CRITICAL HARD" state_is 2 1
    [[ $(svc plugin_output) == "ELASTICACHE CRITICAL - mc: node 0002 unresponsive" ]]
    grep -q "SERVICE ALERT: e2e-region;$SERVICE;CRITICAL;SOFT;1;ELASTICACHE CRITICAL - mc: node 0002 unresponsive" "$D/nagios.log"
    grep -q "SERVICE ALERT: e2e-region;$SERVICE;CRITICAL;HARD;2;ELASTICACHE CRITICAL - mc: node 0002 unresponsive" "$D/nagios.log"

    # 4. the handler reboots exactly that node, once
    wait_for 30 "one RebootCacheCluster" reboot_count_is 1
    [ "$(reboots)" = "mc 0002" ]
    grep -q "SERVICE EVENT HANDLER: e2e-region;$SERVICE;CRITICAL;SOFT;1;elasticache_event_handler" "$D/nagios.log"
    grep -q "SERVICE EVENT HANDLER: e2e-region;$SERVICE;CRITICAL;HARD;2;elasticache_event_handler" "$D/nagios.log"

    # 5. the hook restarted the process; the check returns to OK
    wait_for 40 "service OK again" state_is 0
    NEWPID=$(cat "$D/state/memcached.$P2.pid")
    [ "$NEWPID" != "$STOPPED" ]
    grep -q "down mc 0002 127.0.0.1:$P2" "$D/state/hook.log"
    grep -q "up mc 0002 127.0.0.1:$P2" "$D/state/hook.log"
    [ "$(grep -c " mc 0001 " "$D/state/hook.log")" -eq 0 ]

    # 6. WARNING during the reboot ran the handler and did not reboot again
    grep -q "SERVICE ALERT: e2e-region;$SERVICE;WARNING;HARD;.*rebooting" "$D/nagios.log"
    grep -q "SERVICE EVENT HANDLER: e2e-region;$SERVICE;WARNING;HARD;" "$D/nagios.log"
    grep -q "SERVICE ALERT: e2e-region;$SERVICE;OK;HARD;" "$D/nagios.log"
    # Every handler nagios started has finished (the last one ran for the
    # recovery): only now can no more reboots come.
    wait_for 30 "the recovery's event handler" grep -q "SERVICE EVENT HANDLER: e2e-region;$SERVICE;OK;HARD;" "$D/nagios.log"
    wait_for 60 "event handlers to finish" no_handler_running
    [ "$(reboots)" = "mc 0002" ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # each decision of the handler is a comment on the service, through
    # Nagios's command file ($COMMANDFILE$): the reboot among them
    wait_for 30 "the reboot's comment" comment_has "rebooting unresponsive node(s) 0002 (request "
    grep -q "EXTERNAL COMMAND: ADD_SVC_COMMENT;e2e-region;$SERVICE;0;elasticache_event_handler;mc: rebooting unresponsive node(s) 0002" "$D/nagios.log"
    # the Redis service, AUTH token from a file, was OK all along
    rd_ok
    [ "$(grep -c "SERVICE ALERT: e2e-region;ElastiCache rd;" "$D/nagios.log")" -eq 0 ]
    refute_in_files e2e-redis-token "$D/nagios.log" "$D/status.dat"
    # 7. every API call was signed with the instance role's credentials
    run -0 sim_ctl GET /_sim/requests
    run -0 /usr/bin/python3 -c '
import json, sys
api = [r for r in json.loads(sys.argv[1]) if r["action"] in ("DescribeCacheClusters", "RebootCacheCluster", "DescribeEvents")]
keys = {r["access_key"] for r in api}
print(len(api), sorted(k[:7] for k in keys))
sys.exit(0 if api and all(k.startswith("ASIASIM") for k in keys) else 1)' "$output"
    [ "$(sim_count IMDS:credentials)" -ge 1 ]
    run -0 sim_ctl GET /_sim/creds/issued
    run -0 /usr/bin/python3 -c '
import json, sys
for c in json.loads(sys.argv[1]):
    print(c["SecretAccessKey"]); print(c["SessionToken"])' "$output"
    local secret leaks=0
    for secret in "${lines[@]}"; do
        if grep -qF -- "$secret" "$D/nagios.log" "$D/status.dat" "$D/nagios.stdout"; then
            leaks=$((leaks + 1))
        fi
    done
    [ "${#lines[@]}" -ge 2 ]
    [ "$leaks" -eq 0 ]
    BATS_TEST_COMPLETED=1
}

@test "nagios4: in downtime, then acknowledged, the handler does not reboot and says why in a comment" {
    boot_nagios
    SERVICE="ElastiCache dt" # the service the helpers look at from here
    force_check
    wait_for 30 "dt OK" state_is 0
    # 1. a fixed downtime from now, then the node stops answering
    send_command "SCHEDULE_SVC_DOWNTIME;e2e-region;$SERVICE;$(($(date +%s) - 1));$(($(date +%s) + 600));1;0;600;e2e;maintenance"
    wait_for 30 "the downtime" field_is scheduled_downtime_depth 1
    STOPPED=$(cat "$D/state/memcached.$PD.pid")
    kill -STOP "$STOPPED"
    force_check
    wait_for 40 "CRITICAL HARD in downtime" state_is 2 1
    # $SERVICEDOWNTIME$ reached the handler, which said so through
    # $COMMANDFILE$, and rebooted nothing
    wait_for 30 "the downtime comment" comment_has "dt: service in scheduled downtime (--downtime-depth 1): not rebooting"
    grep -q "SERVICE EVENT HANDLER: e2e-region;$SERVICE;CRITICAL;HARD;3;elasticache_event_handler_recorded" "$D/nagios.log"
    # 2. the downtime ends, the node answers: OK
    send_command "DEL_DOWNTIME_BY_HOST_NAME;e2e-region;$SERVICE"
    wait_for 30 "no downtime" field_is scheduled_downtime_depth 0
    kill -CONT "$STOPPED"
    force_check
    wait_for 40 "dt OK again" state_is 0
    # 3. it stops again: acknowledged while SOFT, the HARD handler reads
    # the acknowledgement from $STATUSDATAFILE$ (no macro has it)
    kill -STOP "$STOPPED"
    force_check
    wait_for 30 "CRITICAL SOFT" state_is 2 0
    send_command "ACKNOWLEDGE_SVC_PROBLEM;e2e-region;$SERVICE;2;0;0;e2e;looking at it"
    wait_for 30 "the acknowledgement in status.dat" field_is problem_has_been_acknowledged 1
    wait_for 40 "CRITICAL HARD" state_is 2 1
    wait_for 30 "the acknowledgement comment" comment_has "dt: problem acknowledged (status file problem_has_been_acknowledged 1): not rebooting"
    kill -CONT "$STOPPED"
    wait_for 60 "event handlers to finish" no_handler_running
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    BATS_TEST_COMPLETED=1
}

@test "nagios4 -v accepts the shipped commands, template and sample" {
    cat >"$D/base.cfg" <<CFG
define timeperiod {
    timeperiod_name 24x7
    alias           always
    monday          00:00-24:00
}
define command {
    command_name    notify-none
    command_line    /bin/true
}
define contact {
    contact_name                  e2e
    host_notification_period      24x7
    service_notification_period   24x7
    host_notification_options     n
    service_notification_options  n
    host_notification_commands    notify-none
    service_notification_commands notify-none
}
define contactgroup {
    contactgroup_name admins
    members           e2e
}
CFG
    cat >"$D/nagios.cfg" <<CFG
log_file=$D/nagios.log
cfg_file=$EC_REPO/nagios/nagios4/commands.cfg
cfg_file=$EC_REPO/nagios/nagios4/templates.cfg
cfg_file=$EC_REPO/nagios/nagios4/sample.cfg
cfg_file=$D/base.cfg
resource_file=$D/resource.cfg
status_file=$D/status.dat
temp_path=$D
lock_file=$D/nagios.lock
command_file=$D/nagios.cmd
query_socket=$D/nagios.qh
check_result_path=$D/checkresults
nagios_user=root
nagios_group=root
illegal_macro_output_chars=\`~\$&|'"<>
CFG
    echo '$USER1$=/usr/lib/nagios/plugins' >"$D/resource.cfg"
    run "$NAGIOS" -v "$D/nagios.cfg"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"Checked 4 services"* ]] # one is a replication group's
    [[ $output == *"Total Errors:   0"* ]]
    # and it fails when the commands are missing
    sed -i "\|nagios4/commands.cfg|d" "$D/nagios.cfg"
    run "$NAGIOS" -v "$D/nagios.cfg"
    [ "$status" -ne 0 ]
}
