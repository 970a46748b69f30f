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
    make_fixture "$FIX" "memcached:mc:$MC1,$MC2" "redis:rd:$RD" "redis:rda:$RDA:auth"
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
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rda: AUTH required by 0001: the cluster has AuthTokenEnabled=true and no token was given: --auth-token-file or --auth-token-env"* ]]
    printf 'wrong-token\n' >"$EC_TMP/bad"
    check -C rda --auth-token-file "$EC_TMP/bad"
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rda: AUTH refused by 0001: the token given for the cluster is wrong"* ]]
    [[ $output == *"AUTH FAILED (AUTH refused: WRONGPASS"* ]]
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
    # a node that did not answer counts at the timeout, in its own item and
    # in slowest: an outage never graphs as fast (and no U, which Icinga 2
    # refuses)
    [[ ${lines[0]} == *" slowest=1s;;;0 "* ]]
    [[ ${lines[0]} == *"'node 0002'=1s;;;0"* ]]
    [[ ${lines[0]} != *"=U"* ]]
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
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - 3 clusters: 2 OK, 0 WARNING, 0 CRITICAL, 1 UNKNOWN; rda: AUTH required by 0001: "* ]]
    # AUTH only where the cluster says AuthTokenEnabled: rd (no password)
    # gets none, rda gets the token: the mixed fleet is OK
    check --all --auth-token-file "$EC_TMP/token"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - 3 clusters: 3 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN |"* ]]
    [[ $output != *s3cr3t* ]]
    kill -STOP "$MC2_PID"
    check --all --probe-timeout 1
    kill -CONT "$MC2_PID"
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - 3 clusters: 1 OK, 0 WARNING, 1 CRITICAL, 1 UNKNOWN; mc: node 0002 unresponsive; rda: AUTH required by 0001: "*" |"* ]]
    [[ ${lines[0]} == *"clusters=3;;;0 clusters_ok=1;;;0 clusters_warning=0;;;0 clusters_critical=1;;;0 clusters_unknown=1;;;0 nodes=4;;;0"* ]]
    [[ ${lines[0]} == *" slowest=1s;;;0 "* ]]
    [[ ${lines[1]} == "CRITICAL: mc: node 0002 unresponsive" ]]
    [[ ${lines[2]} == "UNKNOWN: rda: AUTH required by 0001: "* ]]
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
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rt: TLS certificate not verified for 0001: give the CA with --probe-ca-bundle (or --probe-no-verify) |"* ]]
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

# --- a probe misconfiguration is never a dead node (issue 8, item 2) -------

@test "--tls against a plain text Redis: UNKNOWN naming --tls, not CRITICAL unresponsive" {
    check -C rd --tls --probe-timeout 1
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rd: no TLS handshake from 0001: --tls, but the cluster has TransitEncryptionEnabled=false: drop --tls |"* ]]
    [[ ${lines[0]} == *"nodes_unresponsive=0;"* ]]
    [[ $output == *"rd node 0001 available 127.0.0.1:$RD: SETTING WRONG (no TLS handshake within 1s"* ]]
    assert_guideline_output
}

@test "--tls against plain text memcached (it answers ERROR): UNKNOWN naming --tls" {
    check -C mc --tls --probe-timeout 1
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - mc: plain text answer to TLS from 0001, 0002: the nodes do not speak TLS: drop --tls |"* ]]
    [[ ${lines[0]} == *"nodes_unresponsive=0;"* ]]
}

@test "--no-tls against a Redis that requires TLS (it resets): UNKNOWN naming --no-tls" {
    make_certs IP:127.0.0.1
    local p
    p=$(free_port)
    start_tls_redis "$p"
    make_fixture "$EC_TMP/tls.json" "redis:rt:$p:tls-required"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/tls.json")" >/dev/null
    check -C rt --no-tls --probe-timeout 1
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rt: no answer in plain text from 0001: --no-tls, but the cluster requires TLS (TransitEncryptionEnabled=true): drop --no-tls |"* ]]
    # the same node, from the API's TransitEncryptionEnabled: fine
    check -C rt --probe-ca-bundle "$TLS_DIR/ca.pem"
    [ "$status" -eq 0 ]
}

@test "a wrong answer (a memcached port behind a Redis cluster) is UNKNOWN" {
    make_fixture "$EC_TMP/wrong.json" "redis:rw:$MC1"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/wrong.json")" >/dev/null
    check -C rw
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rw: wrong answer from 0001: is the endpoint a node of the cluster's engine? |"* ]]
}

# --- AUTH and TLS per cluster from the API, tokens per cluster (item 3) ----

@test "--all over a mixed fleet (plain, AUTH by token directory and map, TLS required and preferred, memcached) is OK" {
    make_certs IP:127.0.0.1
    local pt pp ra2
    pt=$(free_port); pp=$(free_port); ra2=$(free_port)
    start_tls_redis "$pt"
    start_redis "$ra2" --requirepass 'an0ther-t0ken'
    start_redis 0 --tls-port "$pp" --tls-cert-file "$TLS_DIR/srv.pem" \
        --tls-key-file "$TLS_DIR/srv.key" --tls-ca-cert-file "$TLS_DIR/ca.pem" \
        --tls-auth-clients no --requirepass 'tls-t0ken'
    wait_port "$pp"
    make_fixture "$EC_TMP/mixed.json" "memcached:mc:$MC1,$MC2" "redis:rd:$RD" \
        "redis:rda:$RDA:auth" "redis:rdb:$ra2:auth" "redis:rt:$pt:tls-required" \
        "redis:rp:$pp:tls-preferred,auth"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/mixed.json")" >/dev/null
    mkdir -p "$EC_TMP/tokens"
    printf 's3cr3t-t0ken-value\n' >"$EC_TMP/tokens/rda"
    printf 'tls-t0ken\n' >"$EC_TMP/tokens/rp"
    printf 'an0ther-t0ken\n' >"$EC_TMP/rdb.token"
    chmod 600 "$EC_TMP"/tokens/* "$EC_TMP/rdb.token"
    # a directory of token files named by cluster id, the rest from one
    # --auth-token-file (none is sent to clusters without AuthTokenEnabled)
    check --all --auth-token-dir "$EC_TMP/tokens" --auth-token-env RDB_TOKEN \
        --probe-ca-bundle "$TLS_DIR/ca.pem" -vv
    echo "$output"
    [ "$status" -eq 3 ] # RDB_TOKEN is not set
    [[ ${lines[0]} == *"environment variable RDB_TOKEN (--auth-token-env) is not set"* ]]
    RDB_TOKEN=an0ther-t0ken check --all --auth-token-dir "$EC_TMP/tokens" \
        --auth-token-env RDB_TOKEN --probe-ca-bundle "$TLS_DIR/ca.pem" -vv
    echo "$output"
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "ELASTICACHE OK - 6 clusters: 6 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN |"* ]]
    [[ $output == *"rp probe: TLS on (from the API; cluster: preferred), AUTH on (AuthTokenEnabled=true)"* ]]
    [[ $output == *"rd probe: TLS off (from the API; cluster: off), AUTH off (AuthTokenEnabled=false)"* ]]
    # a map file of cluster id to token file instead
    printf '# cluster token-file\nrda tokens/rda\nrp %s/tokens/rp\nrdb rdb.token\n' "$EC_TMP" >"$EC_TMP/map"
    check --all --auth-token-map "$EC_TMP/map" --probe-ca-bundle "$TLS_DIR/ca.pem"
    echo "$output"
    [ "$status" -eq 0 ]
    for t in s3cr3t-t0ken-value tls-t0ken an0ther-t0ken; do
        [[ $output != *"$t"* ]]
    done
    # a cluster with AuthTokenEnabled and no token in the directory: that
    # cluster is UNKNOWN naming the options, the others still judged
    rm "$EC_TMP/tokens/rp"
    check --all --auth-token-dir "$EC_TMP/tokens" --probe-ca-bundle "$TLS_DIR/ca.pem"
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - 6 clusters: 4 OK, 0 WARNING, 0 CRITICAL, 2 UNKNOWN; rdb: AUTH required by 0001: the cluster has AuthTokenEnabled=true and no token was given: "*"; rp: AUTH required by 0001: "* ]]
}

@test "--auth forces AUTH where the cluster has none; --no-auth where it has one: each named" {
    check -C rd --auth --auth-token-file "$EC_TMP/token"
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rd: AUTH refused by 0001: --auth, but the cluster has AuthTokenEnabled=false: drop --auth |"* ]]
    check -C rda --no-auth --auth-token-file "$EC_TMP/token"
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - rda: AUTH required by 0001: --no-auth, but the node wants AUTH: drop --no-auth |"* ]]
    [[ $output != *s3cr3t* ]]
}

@test "token files: a FIFO is refused at once (never blocks), bad map lines are named" {
    mkfifo "$EC_TMP/fifo.token"
    local t0 t1
    t0=$(now)
    run timeout 20 "$CHECK" --endpoint-url "$SIM_URL" -C rda --auth-token-file "$EC_TMP/fifo.token"
    t1=$(now)
    echo "$output"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - --auth-token-file $EC_TMP/fifo.token is not a regular file"* ]]
    awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 5) }'
    printf 'rda\n' >"$EC_TMP/badmap"
    check -C rda --auth-token-map "$EC_TMP/badmap"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == *"--auth-token-map $EC_TMP/badmap: line 1: want \"CLUSTER_ID TOKEN_FILE\""* ]]
    check -C rda --auth-token-map "$EC_TMP/badmap" --auth-token-dir "$EC_TMP"
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - give --auth-token-dir or --auth-token-map, not both" ]]
}

# --- a cut network path is not a broken cluster (item 4) ------------------

@test "no node answers a connection at all: CRITICAL saying the network path looks cut" {
    start_listeners cut:1 silent:1
    make_fixture "$EC_TMP/cut.json" "memcached:mcut:${CUT_PORTS[0]},${CUT_PORTS[0]}" \
        "redis:rcut:${CUT_PORTS[0]}" "memcached:mhung:${SILENT_PORTS[0]}"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/cut.json")" >/dev/null
    check -C mcut --probe-timeout 1
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - mcut: no connection to nodes 0001, 0002: the network path looks cut, not the nodes |"* ]]
    [[ $output == *"NO CONNECTION (no connection within 1s"* ]]
    # accepted, then silent: a hung node, named as such
    check -C mhung --probe-timeout 1
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - mhung: node 0001 unresponsive |"* ]]
    check --all --probe-timeout 1
    echo "$output"
    [[ ${lines[0]} == *"mcut: no connection to nodes 0001, 0002: the network path looks cut"* ]]
    [[ ${lines[0]} == *"rcut: no connection to node 0001: the network path looks cut, not the node"* ]]
    # every probed node of every cluster: the monitoring host's own path
    make_fixture "$EC_TMP/cut2.json" "memcached:mcut:${CUT_PORTS[0]},${CUT_PORTS[0]}" \
        "redis:rcut:${CUT_PORTS[0]}"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/cut2.json")" >/dev/null
    check --all --probe-timeout 1
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - 2 clusters: 0 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; no node of any cluster answered a connection: the network path looks cut, not the nodes; mcut: "* ]]
}

# --- one concurrent run within -t (item 7) --------------------------------

@test "--all: hung nodes of two engines and two TLS settings still give the fleet's result within -t" {
    start_listeners silent:4
    make_fixture "$EC_TMP/hung.json" "memcached:mc:$MC1,$MC2" \
        "memcached:hung-mc:${SILENT_PORTS[0]}" "redis:hung-rd:${SILENT_PORTS[1]}" \
        "redis:hung-tls:${SILENT_PORTS[2]}:tls" "memcached:hung-mtls:${SILENT_PORTS[3]}:tls"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/hung.json")" >/dev/null
    # Probed group after group, each with the full 3 s, four groups took
    # 12 s: past -t 6, UNKNOWN with no cluster's result.
    local t0 t1
    t0=$(now)
    check --all -t 6 --probe-timeout 3 --probe-no-verify
    t1=$(now)
    echo "$output"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - 5 clusters: 1 OK, 0 WARNING, 4 CRITICAL, 0 UNKNOWN; hung-mc: node 0001 unresponsive; hung-rd: node 0001 unresponsive; hung-tls: node 0001 unresponsive; hung-mtls: node 0001 unresponsive |"* ]]
    awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; print "took " d; exit !(d < 6) }'
    assert_guideline_output
}

# 10 clusters of 100 nodes: 2 answer (memcached), 8 hang. One run, one
# deadline: all judged within -t. The simulator restarts with them (too
# big for a command line): SIM_URL is new afterwards.
thousand_nodes() {
    start_listeners silent:80
    local specs=() i j ports
    for ((i = 1; i <= 2; i++)); do
        ports=()
        for ((j = 0; j < 100; j++)); do ports+=("$MC1"); done
        specs+=("memcached:fast-$i:$(join_ports "${ports[@]}")")
    done
    for ((i = 0; i < 8; i++)); do
        ports=()
        for ((j = 0; j < 100; j++)); do ports+=("${SILENT_PORTS[$((i * 10 + j % 10))]}"); done
        specs+=("redis:hung-$i:$(join_ports "${ports[@]}")")
    done
    make_fixture "$EC_TMP/thousand.json" "${specs[@]}"
    sim_stop
    sim_start --fixture "$EC_TMP/thousand.json"
}

@test "1,000 nodes probed concurrently within one -t: each hung cluster CRITICAL, the fleet result given" {
    thousand_nodes
    T0=$(now)
    check --all -t 10 --probe-timeout 3
    T1=$(now)
    echo "${lines[0]}"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - 10 clusters: 2 OK, 0 WARNING, 8 CRITICAL, 0 UNKNOWN; hung-0: nodes "*" (+90 more) unresponsive; "* ]]
    [[ ${lines[0]} == *"nodes=1000;;;0 nodes_rebooting=0;;;0;1000 nodes_unresponsive=800;;;0;1000"* ]]
    awk -v a="$T0" -v b="$T1" 'BEGIN { d = b - a; print "took " d; exit !(d < 10) }'
    [ "${#output}" -le 8191 ]
    assert_guideline_output
}

@test "1,000 nodes with a soft RLIMIT_NOFILE of 256: the check raises it, all are probed" {
    [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 1400 ] || skip "hard RLIMIT_NOFILE $(ulimit -Hn)"
    thousand_nodes
    run bash -c 'ulimit -Sn 256 && exec "$@"' _ "$CHECK" --endpoint-url "$SIM_URL" --all -t 10 --probe-timeout 3
    echo "${lines[0]}"
    [ "$status" -eq 2 ]
    [[ ${lines[0]} == "ELASTICACHE CRITICAL - 10 clusters: 2 OK, 0 WARNING, 8 CRITICAL, 0 UNKNOWN;"* ]]
    [[ ${lines[0]} == *"nodes_unresponsive=800;"* ]]
}

@test "1,000 nodes with a hard RLIMIT_NOFILE of 300: the budget adapts, nodes with no descriptor in time are UNKNOWN, never unresponsive" {
    thousand_nodes
    T0=$(now)
    run bash -c 'ulimit -n 300 && exec "$@"' _ "$CHECK" --endpoint-url "$SIM_URL" --all -t 6 --probe-timeout 3
    T1=$(now)
    echo "${lines[0]}"
    [ "$status" -eq 2 ]
    # about 270 probes at once: the fast ones cycle, the hung ones hold
    # their descriptors for the whole 3 s, and a second round of 3 s no
    # longer fits in -t 6; what cannot start in time is not probed, and
    # says so (with -t 10 three rounds fit and every node is judged)
    [[ ${lines[0]} == *"not probed in time"* ]]
    [[ ${lines[0]} == *"clusters: 2 OK, "* ]]
    local unresp
    unresp=$(grep -o 'nodes_unresponsive=[0-9]*' <<<"${lines[0]}" | cut -d= -f2)
    echo "unresponsive: $unresp"
    [ "$unresp" -gt 100 ]
    [ "$unresp" -lt 800 ]
    awk -v a="$T0" -v b="$T1" 'BEGIN { d = b - a; print "took " d; exit !(d < 6) }'
}

# --- thresholds on unresponsive nodes (issue 11) ----------------------------

@test "--unresponsive-warning/-critical: 1 of 6 down is WARNING, 2 CRITICAL; percentages too" {
    start_listeners closed:2
    make_fixture "$EC_TMP/six.json" \
        "memcached:six:$MC1,$MC2,$MC1,$MC2,$MC1,${CLOSED_PORTS[0]}" \
        "memcached:six2:$MC1,$MC2,$MC1,$MC2,${CLOSED_PORTS[0]},${CLOSED_PORTS[1]}"
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/six.json")" >/dev/null
    check -C six
    [ "$status" -eq 2 ] # without ranges, any unresponsive node
    check -C six --unresponsive-warning 0 --unresponsive-critical 1
    echo "$output"
    [ "$status" -eq 1 ]
    [[ ${lines[0]} == "ELASTICACHE WARNING - six: node 0006 unresponsive |"* ]]
    [[ ${lines[0]} == *"nodes_unresponsive=1;0;1;0;6"* ]]
    assert_guideline_output
    check -C six2 --unresponsive-warning 0 --unresponsive-critical 1
    [ "$status" -eq 2 ]
    check -C six --unresponsive-warning 10% --unresponsive-critical 34%
    [ "$status" -eq 1 ]
    check -C six2 --unresponsive-warning 10% --unresponsive-critical 34%
    [ "$status" -eq 1 ] # 33%
    check -C six2 --unresponsive-critical 20%
    [ "$status" -eq 2 ]
    check -C six --unresponsive-warning abc
    [ "$status" -eq 3 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - bad --unresponsive-warning range 'abc': "* ]]
}

# --- output limits (issue 11) and hostile API strings (item 14) -------------

@test "a large fleet: the first line keeps whole words with (+N more), the whole output stays under 8 KB" {
    start_listeners closed:1
    local specs=() i
    for ((i = 1; i <= 300; i++)); do
        specs+=("memcached:a-rather-long-cluster-name-$i:${CLOSED_PORTS[0]}")
    done
    make_fixture "$EC_TMP/many.json" "${specs[@]}"
    sim_stop
    sim_start --fixture "$EC_TMP/many.json"
    check --all -vv
    [ "$status" -eq 2 ]
    local first=${lines[0]%% | *}
    echo "${#first}: $first"
    [ "${#first}" -le 1024 ]
    [[ $first =~ \(\+([0-9]+)\ more\)$ ]]
    local more=${BASH_REMATCH[1]}
    # the shown clusters and the rest add up to 300, each shown one whole
    [ "$(grep -o 'a-rather-long-cluster-name-[0-9]*: node 0001 unresponsive' <<<"$first" | wc -l)" -eq $((300 - more)) ]
    echo "total ${#output}"
    [ "$(printf '%s\n' "$output" | wc -c)" -le 8191 ]
    [[ ${lines[-1]} =~ ^\.\.\.\ [0-9]+\ of\ [0-9]+\ lines\ left\ out ]]
    assert_guideline_output
}

@test "API strings cannot forge the output: '|', newlines and quotes from the simulator stay inside one line" {
    /usr/bin/python3 - "$FIX" "$EC_TMP/hostile.json" <<'PY'
import json, sys
fix = json.load(open(sys.argv[1]))
evil = fix["clusters"][0]
evil["CacheClusterId"] = "evil|x=1\nELASTICACHE OK - all good | fake=1"
evil["CacheClusterStatus"] = "weird|status\nELASTICACHE OK - forged"
evil["CacheNodes"][0]["CacheNodeId"] = "00'01|\nx"
evil["CacheNodes"][1]["CacheNodeStatus"] = "broken\r\nELASTICACHE OK - node"
json.dump(fix, open(sys.argv[2], "w"))
PY
    sim_ctl POST /_sim/seed "$(cat "$EC_TMP/hostile.json")" >/dev/null
    check --all -vv
    echo "$output"
    [ "$status" -eq 3 ]
    # one status line, one '|' (ours), no line of anyone else's
    [ "$(grep -c '^ELASTICACHE' <<<"$output")" -eq 1 ]
    [[ ${lines[0]} == "ELASTICACHE UNKNOWN - "* ]]
    [ "$(tr -cd '|' <<<"${lines[0]}" | wc -c)" -eq 1 ]
    [[ ${lines[0]} == *"evil?x=1?elasticache ok - all good ? fake=1: cluster weird?status?ELASTICACHE OK - forged"* ]]
    assert_guideline_output
}
