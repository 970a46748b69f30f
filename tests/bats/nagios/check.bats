#!/usr/bin/env bats
# check_elasticache on its own: every state, every threshold form, the
# guidelines' output grammar, timeouts, and probes of real memcached and
# redis-server processes on loopback behind the simulator.

bats_require_minimum_version 1.5.0
load helpers

setup() {
    MC1=$(free_port); MC2=$(free_port); RD=$(free_port); RDA=$(free_port)
    start_memcached "$MC1"; MC1_PID=$LAST_PID
    start_memcached "$MC2"; MC2_PID=$LAST_PID
    start_redis "$RD"
    start_redis "$RDA" --requirepass 's3cr3t-t0ken-value'
    FIX=$EC_TMP/fixture.$BATS_TEST_NUMBER.json
    make_fixture "$FIX" "memcached:mc:$MC1,$MC2" "redis:rd:$RD" "redis:rda:$RDA"
    sim_start --fixture "$FIX"
    printf 's3cr3t-t0ken-value\n' >"$EC_TMP/token"
    chmod 600 "$EC_TMP/token"
}

teardown() {
    sim_stop
    stop_servers
}

@test "--help, --version: exit 3 (UNKNOWN) as monitoring-plugins" {
    run "$CHECK" --help
    [ "$status" -eq 3 ]
    [[ $output == *"Usage: check_elasticache"* ]]
    [[ $output == *"--auth-token-file"* ]]
    run "$CHECK" -h
    [ "$status" -eq 3 ]
    run "$CHECK" --version
    [ "$status" -eq 3 ]
    [[ $output == "check_elasticache 1.0.0"* ]]
    run "$CHECK" -V
    [ "$status" -eq 3 ]
}

@test "bad arguments: UNKNOWN with a short usage, on stdout only" {
    local args
    for args in "" "-C" "--all -C mc" "-C mc extra" "-C mc --bogus" \
        "-C mc -w abc" "-C mc -c 20:10" "-C mc -t 0" "-C mc -t x" \
        "-C Bad--Id" "-C mc --pending-reboot-state maybe" \
        "-C mc --auth-token secret" "-C mc --probe-timeout -1"; do
        run --separate-stderr "$CHECK" $args
        echo "args: $args -> $status: $output"
        [ "$status" -eq 3 ]
        [[ ${lines[0]} == "ELASTICACHE UNKNOWN - "* ]]
        [[ $output == *"Usage: check_elasticache"* ]]
        [ -z "$stderr" ]
    done
}

@test "memcached cluster available, every node answers: OK with perfdata" {
    check -C mc
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - mc available, 2 of 2 nodes answer (slowest "* ]]
    [[ ${lines[0]} == *"| nodes=2;;;0 nodes_available=2;;;0;2 nodes_rebooting=0;;;0;2 nodes_unresponsive=0;;;0;2 nodes_pending_reboot=0;;;0;2 slowest="*"s;;;0 'node 0001'="*"s;;;0 'node 0002'="*"s;;;0 api_time="*"s;;;0" ]]
    [[ ${lines[1]} == "mc node 0001 available 127.0.0.1:$MC1: answers (VERSION "* ]]
    [[ ${lines[2]} == "mc node 0002 available 127.0.0.1:$MC2: answers (VERSION "* ]]
    assert_guideline_output
}

@test "redis cluster: PING answered with PONG: OK" {
    check -C rd
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - rd available, 1 of 1 nodes answer"* ]]
    [[ ${lines[1]} == *"answers (PONG, "* ]]
    assert_guideline_output
}

@test "redis with requirepass: AUTH token from a file or the environment, never shown" {
    check -C rda --auth-token-file "$EC_TMP/token" -vvv
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output != *s3cr3t* ]]
    export MY_TOKEN=s3cr3t-t0ken-value
    check -C rda --auth-token-env MY_TOKEN
    [ "$status" -eq 0 ]
    [[ $output != *s3cr3t* ]]
}

@test "redis with requirepass: no or a wrong token is UNKNOWN (the node answered), not CRITICAL" {
    check -C rda
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rda: AUTH failed on 0001"* ]]
    printf 'wrong-token\n' >"$EC_TMP/bad"
    check -C rda --auth-token-file "$EC_TMP/bad"
    echo "$output"
    [ "$status" -eq 3 ]
    [[ $output == *"AUTH refused"* ]]
    [[ $output != *wrong-token* ]]
    check -C rda --auth-token-file "$EC_TMP/missing"
    [ "$status" -eq 3 ]
    [[ $output == *"cannot read --auth-token-file"* ]]
    check -C rda --auth-token-env NO_SUCH_VARIABLE_HERE
    [ "$status" -eq 3 ]
}

@test "a SIGSTOPped node: CRITICAL naming that node, within the probe timeout" {
    kill -STOP "$MC2_PID"
    local t0 t1
    t0=$(now)
    check -C mc --probe-timeout 1
    t1=$(now)
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - mc: node 0002 unresponsive |"* ]]
    [[ ${lines[0]} == *"nodes_unresponsive=1;;;0;2"* ]]
    [[ ${lines[0]} == *"'node 0002'=U"* ]]
    [[ $output == *"mc node 0002 available 127.0.0.1:$MC2: UNRESPONSIVE (no answer within 1s"* ]]
    assert_guideline_output
    awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 5) }'
}

@test "a killed node (connection refused): CRITICAL naming it" {
    kill -KILL "$MC1_PID"
    wait "$MC1_PID" 2>/dev/null || true
    check -C mc
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - mc: node 0001 unresponsive"* ]]
    [[ $output == *"connect failed: Connection refused"* ]]
}

@test "cluster states from the API: transitional WARNING, failed CRITICAL, unknown UNKNOWN" {
    local s want
    while read -r want s; do
        sim_ctl POST /_sim/clusters/mc/state "{\"status\":\"$s\"}" >/dev/null
        check -C mc
        echo "$s -> $status: ${lines[0]}"
        [ "$status" -eq "$want" ]
        [[ ${lines[0]} == *"mc: cluster $s"* ]]
        assert_guideline_output
    done <<'LIST'
1 creating
1 modifying
1 snapshotting
1 rebooting cache cluster nodes
2 deleting
2 deleted
2 incompatible-network
2 restore-failed
3 something-new
LIST
}

@test "a node rebooting: WARNING, the rebooting node is not probed" {
    sim_ctl POST /_sim/clusters/mc/state '{"status":"rebooting cache cluster nodes","nodes":{"0002":"rebooting"}}' >/dev/null
    kill -STOP "$MC2_PID"
    check -C mc --probe-timeout 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 1 ]
    [[ ${lines[0]} == "ELASTICACHE WARNING - mc: cluster rebooting cache cluster nodes; 1 of 2 nodes rebooting |"* ]]
    [[ $output == *"mc node 0002 rebooting 127.0.0.1:$MC2: not probed (rebooting)"* ]]
}

@test "cluster not found: CRITICAL" {
    check -C no-such-cluster
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - cluster no-such-cluster not found (CacheClusterNotFound)" ]]
}

@test "pending reboot: WARNING by default, --pending-reboot-state ok|critical" {
    sim_ctl POST /_sim/clusters/mc/pending-reboot '{"nodes":["0002"]}' >/dev/null
    check -C mc
    echo "$output"
    [ "$status" -eq 1 ]
    [[ ${lines[0]} == "ELASTICACHE WARNING - mc: 1 node pending reboot |"* ]]
    [[ ${lines[0]} == *"nodes_pending_reboot=1;;;0;2"* ]]
    check -C mc --pending-reboot-state ok
    [ "$status" -eq 0 ]
    check -C mc --pending-reboot-state critical
    [ "$status" -eq 2 ]
    check -C mc --pending-reboot-state CRITICAL
    [ "$status" -eq 2 ]
}

@test "thresholds on the slowest node's time: every range form" {
    # Loopback answers take far less than 1 s and more than 0 s.
    local want range opt shown
    while read -r want opt range shown; do
        check -C mc "$opt" "$range"
        echo "$opt $range -> $status: ${lines[0]}"
        [ "$status" -eq "$want" ]
        assert_guideline_output
        if [ "$want" -ne 0 ]; then
            [[ ${lines[0]} == *"slowest node 000"?" answered in "* ]]
        fi
        # the range is echoed into the perfdata warn/crit field
        [[ ${lines[0]} == *"slowest="*"s;"*"${shown:-$range};"* ]]
    done <<'LIST'
0 -w 10
0 -c 10
1 -w 0.0000001
2 -c 0.0000001
1 -w 10:
2 -c 10:20
0 -w ~:10
1 -w ~:0
0 -w 0:10 10
1 -w @0:10
2 -c @~:10
0 -c @10:20
LIST
    check -C mc -w 10 -c 0.0000001
    [ "$status" -eq 2 ]
}

@test "API timeout: a delayed DescribeCacheClusters gives UNKNOWN within about -t seconds" {
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"delay","seconds":30,"count":10}' >/dev/null
    local t0 t1
    t0=$(now)
    check -C mc -t 2
    t1=$(now)
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - "*"DescribeCacheClusters"* ]]
    [[ ${lines[0]} == *"timed out"* ]]
    # generous: the bound is that it does not wait for the 30 s delay
    awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; print "took " d; exit !(d >= 1 && d < 6) }'
}

@test "throttling and service errors beyond retries: UNKNOWN with the AWS error code" {
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"throttle","count":50,"status":400,"code":"Throttling"}' >/dev/null
    AWS_MAX_ATTEMPTS=2 check -C mc
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - "*"(Throttling)"* ]]
    sim_ctl DELETE /_sim/fault >/dev/null
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"error","count":50,"status":500,"code":"InternalFailure"}' >/dev/null
    AWS_MAX_ATTEMPTS=1 check -C mc
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == *"(InternalFailure)"* ]]
}

@test "no credentials or no region: UNKNOWN before any request" {
    run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$CHECK" --endpoint-url "$SIM_URL" -C mc
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - cannot set up the API client: Unable to locate credentials"* ]]
    run env -u AWS_REGION -u AWS_DEFAULT_REGION "$CHECK" --endpoint-url "$SIM_URL" -C mc
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - cannot set up the API client: You must specify a region"* ]]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "bad credentials: UNKNOWN naming the signature error" {
    AWS_SECRET_ACCESS_KEY=not-the-secret check -C mc
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - "*"(SignatureDoesNotMatch)"* ]]
    [[ $output != *not-the-secret* ]]
}

@test "--no-probe: API state only" {
    kill -STOP "$MC2_PID"
    check -C mc --no-probe
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - mc available, 2 of 2 nodes available (not probed) |"* ]]
    [[ ${lines[0]} != *"node 0001"* ]]
    assert_guideline_output
}

@test "--all: worst state wins, counts in the summary, long output lists the clusters not OK" {
    check --all
    echo "$output"
    [ "$status" -eq 3 ] # rda without a token: UNKNOWN
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - 3 clusters: 2 OK, 0 WARNING, 0 CRITICAL, 1 UNKNOWN; rda: AUTH failed on 0001 |"* ]]
    check --all --auth-token-file "$EC_TMP/token"
    echo "$output"
    # rda is fine now; rd has no password, and Redis refuses an AUTH there
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - 3 clusters: 2 OK, 0 WARNING, 0 CRITICAL, 1 UNKNOWN; rd: AUTH failed on 0001 |"* ]]
    kill -STOP "$MC2_PID"
    check --all --probe-timeout 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - 3 clusters: 1 OK, 0 WARNING, 1 CRITICAL, 1 UNKNOWN; mc: node 0002 unresponsive; rda: AUTH failed on 0001 |"* ]]
    [[ ${lines[0]} == *"clusters=3;;;0 clusters_ok=1;;;0 clusters_warning=0;;;0 clusters_critical=1;;;0 clusters_unknown=1;;;0 nodes=4;;;0"* ]]
    [[ ${lines[1]} == "CRITICAL: mc: node 0002 unresponsive" ]]
    [[ ${lines[2]} == "UNKNOWN: rda: AUTH failed on 0001" ]]
    [ "${#lines[@]}" -eq 3 ]
    assert_guideline_output
}

@test "--all over the default fixture's 30 clusters: one describe request sequence, paginated" {
    sim_ctl POST /_sim/seed "$(cat "$EC_REPO/tests/sim/fixtures/default.json")" >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    check --all --no-probe
    echo "$output"
    [ "$status" -eq 1 ] # pending-memcached
    [[ ${lines[0]} == "ELASTICACHE WARNING - 30 clusters: 29 OK, 1 WARNING, 0 CRITICAL, 0 UNKNOWN; pending-memcached: 1 node pending reboot |"* ]]
    [ "$(sim_count DescribeCacheClusters)" -ge 1 ]
    assert_guideline_output
}

# A CA and a server certificate for 127.0.0.1 (or for SAN), in $EC_TMP/tls.
make_certs() {
    local dir=$EC_TMP/tls.$BATS_TEST_NUMBER san=$1
    mkdir -p "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" \
        -days 2 -subj "/CN=check_elasticache test CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout "$dir/srv.key" -out "$dir/srv.csr" \
        -subj "/CN=cache node" 2>/dev/null
    printf 'subjectAltName=%s\n' "$san" >"$dir/ext"
    openssl x509 -req -in "$dir/srv.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -CAcreateserial -out "$dir/srv.pem" -days 2 -extfile "$dir/ext" 2>/dev/null
    TLS_DIR=$dir
}

start_tls_redis() { # PORT
    start_redis 0 --tls-port "$1" --tls-cert-file "$TLS_DIR/srv.pem" \
        --tls-key-file "$TLS_DIR/srv.key" --tls-ca-cert-file "$TLS_DIR/ca.pem" \
        --tls-auth-clients no
    wait_port "$1"
}

@test "TLS redis (TransitEncryptionEnabled): verified against --probe-ca-bundle; failures are UNKNOWN" {
    make_certs IP:127.0.0.1
    local p
    p=$(free_port)
    start_tls_redis "$p"
    make_fixture "$EC_TMP/tls.json" "redis:rt:$p:tls"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/tls.json")" >/dev/null
    check -C rt --probe-ca-bundle "$TLS_DIR/ca.pem"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"answers (PONG, "* ]]
    # verification is on unless told: the system CAs do not know this one
    check -C rt
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rt: TLS failed on 0001 |"* ]]
    [[ $output == *"certificate verification failed"* ]]
    check -C rt --probe-no-verify
    [ "$status" -eq 0 ]
}

@test "TLS: a certificate for another address fails verification" {
    make_certs IP:10.9.8.7
    local p
    p=$(free_port)
    start_tls_redis "$p"
    make_fixture "$EC_TMP/tls.json" "redis:rt:$p:tls"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/tls.json")" >/dev/null
    check -C rt --probe-ca-bundle "$TLS_DIR/ca.pem"
    echo "$output"
    [ "$status" -eq 3 ]
    [[ $output == *"certificate verification failed"* ]]
    check -C rt --probe-ca-bundle "$EC_TMP/no-such-ca.pem"
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == *"cannot load CA bundle"* ]]
}

@test "--all pages through more than 100 clusters (MaxRecords 100: two pages)" {
    local specs=() i
    for ((i = 1; i <= 130; i++)); do specs+=("memcached:big-$i:$MC1"); done
    make_fixture "$EC_TMP/big.json" "${specs[@]}"
    # too big for a command-line argument: restart with it as the fixture
    sim_stop
    sim_start --fixture "$EC_TMP/big.json"
    check --all
    echo "${lines[0]}"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - 130 clusters: 130 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN |"* ]]
    [[ ${lines[0]} == *"nodes=130;;;0"* ]]
    [ "$(sim_count DescribeCacheClusters)" -eq 2 ]
    assert_guideline_output
}
