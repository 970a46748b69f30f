#!/usr/bin/env bats
# The Icinga 2 CheckCommand/EventCommand and sample validate with the real
# `icinga2 daemon -C`, using a temporary main config (no /etc involved).

load helpers

teardown() {
    sim_stop
    stop_servers
}

setup() {
    command -v icinga2 >/dev/null || skip "icinga2 is not installed"
    D=$EC_TMP/icinga.$BATS_TEST_NUMBER
    rm -rf "$D"
    mkdir -p "$D/cache" "$D/lib" "$D/log" "$D/run"
}

validate() { # FILE...: include them after the ITL and validate
    {
        echo 'const PluginDir = "/usr/lib/nagios/plugins"'
        echo 'const ManubulonPluginDir = "/usr/lib/nagios/plugins"'
        echo 'const PluginContribDir = "/usr/lib/nagios/plugins"'
        echo 'const NodeName = "localhost"'
        echo 'const ZoneName = "localhost"'
        echo 'const TicketSalt = ""'
        echo 'include <itl>'
        echo 'include <plugins>'
        local f
        for f in "$@"; do echo "include \"$f\""; done
    } >"$D/icinga2.conf"
    # As root with explicit paths: icinga2 otherwise drops to its own user
    # (which cannot read EC_TMP) and writes under /var.
    run icinga2 daemon -C -c "$D/icinga2.conf" -DRunAsUser=root -DRunAsGroup=root \
        -DCacheDir="$D/cache" -DDataDir="$D/lib" -DLogDir="$D/log" \
        -DInitRunDir="$D/run" -DSpoolDir="$D/lib"
    echo "$output"
}

@test "icinga2 daemon -C accepts the commands and the sample" {
    validate "$EC_REPO/nagios/icinga2/elasticache.conf" "$EC_REPO/nagios/icinga2/sample.conf"
    [ "$status" -eq 0 ]
    # elasticache-reboot (-C) and elasticache-group-reboot (-G)
    [[ $output == *"Instantiated 2 EventCommands"* ]]
    [[ $output == *"Instantiated 4 Services"* ]]
    [[ $output == *"Finished validating the configuration"* ]]
}

@test "the validation can fail: the sample without the commands is rejected" {
    validate "$EC_REPO/nagios/icinga2/sample.conf"
    [ "$status" -ne 0 ]
    [[ $output == *"elasticache"* ]]
}

@test "every check_elasticache option the CheckCommand passes exists" {
    # Each "--long" key in the conf must be in the tools' --help.
    local opt help opts
    help=$("$CHECK" --help; "$HANDLER" --help)
    mapfile -t opts < <(grep -o '"--[a-z-]*"' "$EC_REPO/nagios/icinga2/elasticache.conf" | tr -d '"' | sort -u)
    # An empty list (the pattern no longer matching the conf) would pass vacuously.
    [ "${#opts[@]}" -ge 10 ]
    for opt in "${opts[@]}"; do
        echo "$opt"
        [[ $help == *"$opt"* ]]
    done
}

# The long options of a tool's --help, without the ones both commands
# reach by their short form or never need.
long_options() { # TOOL
    "$1" --help | grep -o -- '--[a-z][a-z-]*' | sort -u |
        grep -v -x -e --help -e --version -e --verbose -e --timeout -e --cluster-id \
            -e --replication-group -e --warning -e --critical
}

# The arguments of one object of the conf, "--x" keys, one per line.
conf_keys() { # OBJECT-NAME
    /usr/bin/python3 - "$EC_REPO/nagios/icinga2/elasticache.conf" "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
common = text.split("const ElasticacheCommonArguments", 1)[1].split("\nobject ", 1)[0]
# the handler's own arguments, shared by its two EventCommands
if sys.argv[2] != "elasticache":
    common += text.split("const ElasticacheHandlerArguments", 1)[1].split("\nobject ", 1)[0]
obj = text.split('"%s" {' % sys.argv[2], 1)[1].split("\nobject ", 1)[0]
for key in sorted(set(re.findall(r'"(--[a-z-]+)" = \{', common + obj))):
    print(key)
PY
}

@test "every option of both tools is reachable from Icinga 2, and the macros are wired" {
    local opt missing=0
    mapfile -t keys < <(conf_keys elasticache)
    [ "${#keys[@]}" -ge 20 ]
    for opt in $(long_options "$CHECK"); do
        if [[ " ${keys[*]} " != *" $opt "* ]]; then
            echo "CheckCommand lacks $opt"
            missing=$((missing + 1))
        fi
    done
    local cmd
    for cmd in elasticache-reboot elasticache-group-reboot; do
        mapfile -t keys < <(conf_keys "$cmd")
        for opt in $(long_options "$HANDLER"); do
            # --status-file is Nagios's: Icinga 2 passes the macros themselves
            [[ $opt == --status-file ]] && continue
            if [[ " ${keys[*]} " != *" $opt "* ]]; then
                echo "EventCommand $cmd lacks $opt"
                missing=$((missing + 1))
            fi
        done
    done
    # -C and -G, each in its own EventCommand
    grep -q 'value = "$elasticache_replication_group$"' "$EC_REPO/nagios/icinga2/elasticache.conf"
    [ "$missing" -eq 0 ]
    grep -q '"--downtime-depth" = {' "$EC_REPO/nagios/icinga2/elasticache.conf"
    grep -q 'value = "$service.downtime_depth$"' "$EC_REPO/nagios/icinga2/elasticache.conf"
    grep -q 'value = "$host.downtime_depth$"' "$EC_REPO/nagios/icinga2/elasticache.conf"
    grep -q 'value = "$service.acknowledgement$"' "$EC_REPO/nagios/icinga2/elasticache.conf"
    grep -q 'macro("$service.flapping$")' "$EC_REPO/nagios/icinga2/elasticache.conf"
}

@test "the Nagios 4 event handler commands pass the state, downtime and status file macros" {
    local cfg=$EC_REPO/nagios/nagios4/commands.cfg
    # elasticache_event_handler, _recorded and _group
    run grep -c -- "--downtime-depth '\$SERVICEDOWNTIME\$' --host-downtime-depth '\$HOSTDOWNTIME\$' --status-file '\$STATUSDATAFILE\$'" "$cfg"
    [ "$output" -eq 3 ]
    run grep -c -- "--host '\$HOSTNAME\$' --service '\$SERVICEDESC\$'" "$cfg"
    [ "$output" -eq 3 ]
    grep -q -- "--command-file '\$COMMANDFILE\$'" "$cfg"
    run grep -c -- '\$SERVICESTATE\$ \$SERVICESTATETYPE\$ \$SERVICEATTEMPT\$$' "$cfg"
    [ "$output" -eq 3 ]
}

# Every perfdata item of OUTPUT through Icinga 2's own parser
# (parse_performance_data, what it runs on a check result): prints the
# count, fails on the first item it refuses.
icinga_parses_perfdata() { # OUTPUT
    local expr
    expr=$(/usr/bin/python3 - "$1" <<'PY'
import sys
first = sys.argv[1].split("\n")[0]
perf = first.split("|", 1)[1].strip() if "|" in first else ""
items, cur, quoted = [], "", False
for ch in perf:
    if ch == "'":
        quoted = not quoted
    if ch == " " and not quoted:
        if cur:
            items.append(cur)
        cur = ""
        continue
    cur += ch
if cur:
    items.append(cur)
print("[" + ", ".join('parse_performance_data("%s")' % i.replace("\\", "\\\\").replace('"', '\\"') for i in items) + "].len()")
PY
    )
    echo "$expr"
    timeout 60 icinga2 console -e "$expr"
}

@test "Icinga 2 accepts every perfdata item the check prints: no U, a silent node at the timeout" {
    local mc1 mc2 rda mc2_pid
    mc1=$(free_port); mc2=$(free_port); rda=$(free_port)
    start_memcached "$mc1"
    start_memcached "$mc2"; mc2_pid=$LAST_PID
    start_redis "$rda" --requirepass icinga-perf-token
    make_fixture "$D/fix.json" "memcached:mc:$mc1,$mc2" "redis:rda:$rda:auth"
    sim_start --fixture "$D/fix.json"
    # the parser refuses what the guidelines call "U": the check must not
    # print it (this is what the test would catch)
    run icinga_parses_perfdata "ELASTICACHE OK - x | a=1 b=U;;;0"
    [ "$status" -ne 0 ]
    [[ $output == *"Can't convert 'U'"* ]]
    check -C mc
    [ "$status" -eq 0 ]
    run icinga_parses_perfdata "$output"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = 9 ]
    # a node that does not answer: its item is the timeout, not U
    kill -STOP "$mc2_pid"
    check -C mc --probe-timeout 1
    kill -CONT "$mc2_pid"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == *"'node 0002'=1s;;;0"* ]]
    run icinga_parses_perfdata "$output"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = 9 ]
    # nothing answered as expected (AUTH): no slowest at all, rather than U
    check -C rda
    [ "$status" -eq 3 ]
    [[ ${lines[0]} != *"slowest="* ]]
    run icinga_parses_perfdata "$output"
    [ "$status" -eq 0 ]
    check --all -w 0.5 -c 1:
    run icinga_parses_perfdata "$output"
    echo "$output"
    [ "$status" -eq 0 ]
    [ "${lines[-1]}" = 11 ]
}
