#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Temporary credentials refreshed inside one long process: a reboot's
# --wait and an NDJSON session outlive the credentials they started with
# (lifetimes of seconds here), and every request is signed with
# credentials that were valid when it was sent: the simulator refuses
# expired ones with ExpiredToken.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { creds_setup_file; }
teardown_file() { sim_stop; }
setup() {
    creds_reset
    sim_ctl POST /_sim/config '{"reboot_seconds": 5}' >/dev/null
}

# Fails unless some ElastiCache request was sent after the first issued
# credentials had expired, and every ElastiCache request was accepted.
outlived_first_credentials() {
    local issued reqs
    issued=$(sim_ctl GET /_sim/creds/issued)
    reqs=$(sim_ctl GET /_sim/requests)
    /usr/bin/python3 - "$issued" "$reqs" <<'PY'
import json, sys
issued, reqs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
api = [r for r in reqs if r["action"] in ("DescribeCacheClusters", "RebootCacheCluster", "DescribeEvents")]
bad = [(r["action"], r["status"], r["error_code"]) for r in api if r["status"] != 200]
first = min(c["Expiration"] for c in issued)
late = [r for r in api if r["time"][:19] > first.rstrip("Z")]
keys = {r["access_key"] for r in api}
print("api requests %d, refused %s, after %s: %d, keys %d, issued %d" % (len(api), bad, first, len(late), len(keys), len(issued)))
sys.exit(0 if api and not bad and late and len(keys) > 1 else 1)
PY
}

@test "reboot --wait outlives web-identity credentials: refreshed before each request, none refused" {
    use_web_identity
    creds_config '{"lifetime": 3}'
    ec reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 \
        --wait --wait-delay 1 --wait-timeout 120
    show
    [ "$ec_status" -eq 0 ]
    grep -q '"Changed": true' "$EC_TMP/ec.out"
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    [ "$(sim_count AssumeRoleWithWebIdentity)" -ge 3 ]
    outlived_first_credentials
}

@test "reboot --wait outlives assumed-role credentials: AssumeRole again with the source keys" {
    use_profiles '[profile ops]
role_arn = arn:aws:iam::123456789012:role/ops
source_profile = base
[profile base]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
    export AWS_ENDPOINT_URL_STS=$SIM_URL
    creds_config '{"lifetime": 3}'
    ec --profile ops reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0002 \
        --wait --wait-delay 1 --wait-timeout 120
    show
    [ "$ec_status" -eq 0 ]
    [ "$(sim_count AssumeRole)" -ge 3 ]
    [ "$(access_keys AssumeRole | sort -u)" = AKIDEXAMPLE ]
    outlived_first_credentials
}

@test "NDJSON session: one process, several waits; the rotated token file is read at each refresh" {
    local mod=$EC_BIN/elasticache_reboot r1 r2 r3
    use_web_identity token-before
    creds_config '{"lifetime": 3, "web_identity_token": "token-before"}'
    coproc NDJ { "$mod" 2>"$T/ndjson.err"; }
    # bash unsets NDJ_PID once it has reaped the coprocess: keep it now
    local ndj_pid=$NDJ_PID
    printf '{"cluster_id": "demo-memcached", "node_ids": ["0001"], "wait_delay": 1, "endpoint_url": "%s"}\n' \
        "$SIM_URL" >&"${NDJ[1]}"
    read -r -t 120 r1 <&"${NDJ[0]}"
    # The token rotates, as Kubernetes and CI runners rotate it.
    creds_config '{"web_identity_token": "token-after"}'
    printf 'token-after' >"$AWS_WEB_IDENTITY_TOKEN_FILE"
    printf '{"cluster_id": "demo-memcached", "node_ids": ["0002"], "wait_delay": 1, "endpoint_url": "%s"}\n' \
        "$SIM_URL" >&"${NDJ[1]}"
    read -r -t 120 r2 <&"${NDJ[0]}"
    printf '{"cluster_id": "demo-memcached", "node_ids": ["0003"], "wait_delay": 1, "endpoint_url": "%s"}\n' \
        "$SIM_URL" >&"${NDJ[1]}"
    read -r -t 120 r3 <&"${NDJ[0]}"
    exec {NDJ[1]}>&-
    wait "$ndj_pid"
    echo "$r1"; echo "$r2"; echo "$r3"; cat "$T/ndjson.err"
    for r in "$r1" "$r2" "$r3"; do
        [[ $r == *'"changed": true'* || $r == *'"changed":true'* ]]
        [[ $r != *'"failed": true'* && $r != *'"failed":true'* ]]
    done
    [ "$(sim_count RebootCacheCluster)" -eq 3 ]
    # token-before, then token-after: every exchange accepted
    [ "$(sim_count AssumeRoleWithWebIdentity)" -ge 4 ]
    [ "$(request_field AssumeRoleWithWebIdentity status | sort -u)" = 200 ]
    outlived_first_credentials
    # no secret in the results or the progress on stderr
    printf '%s\n%s\n%s\n' "$r1" "$r2" "$r3" >"$T/ndjson.out"
    [ -s "$T/ndjson.err" ]
    assert_no_secrets "$T/ndjson.out" "$T/ndjson.err"
}
