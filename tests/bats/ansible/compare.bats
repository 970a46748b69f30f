#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# community.aws.elasticache (state: rebooted, Debian's ansible package, run
# by /usr/bin/python3 with its boto3/botocore) next to elasticache_reboot,
# against the same simulator: both reboot the same nodes; the simulator's
# request log shows where elasticache_reboot goes further (check mode,
# idempotent policies, node subsets, wait timeout).

bats_require_minimum_version 1.5.0
load ../../lib/common

setup() {
    local build_tree=$EC_BUILD/ansible
    [[ -f $build_tree/ansible_collections/elasticache_tools/elasticache/plugins/action/elasticache_reboot.py ]] || {
        echo "the collection is not built in $build_tree" >&2
        return 1
    }
    [[ -f /usr/lib/python3/dist-packages/ansible_collections/community/aws/plugins/modules/elasticache.py ]] || {
        echo "community.aws is missing: install Debian's ansible package" >&2
        return 1
    }
    # The build tree first; community.aws comes from Debian's ansible package.
    export ANSIBLE_COLLECTIONS_PATH=$build_tree
    export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
    export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=1
    : >"$BATS_TEST_TMPDIR/ansible.cfg"
    export ANSIBLE_CONFIG=$BATS_TEST_TMPDIR/ansible.cfg
    export ANSIBLE_HOME=$BATS_TEST_TMPDIR/ansible-home
    export ANSIBLE_LOCAL_TEMP=$BATS_TEST_TMPDIR/ansible-local ANSIBLE_REMOTE_TEMP=$BATS_TEST_TMPDIR/ansible-remote
    sim_start --reboot-seconds 2 >/dev/null
}

teardown() {
    sim_stop
}

@test "community.aws.elasticache state=rebooted vs elasticache_reboot on the same simulator" {
    run ansible-playbook "$BATS_TEST_DIRNAME/playbooks/compare.yml"
    echo "$output"
    [ "$status" -eq 0 ]
    run -0 sim_ctl GET /_sim/requests
    run -0 /usr/bin/python3 - "$output" <<'PY'
import json, sys
log = json.loads(sys.argv[1])
reboots = [(r["headers"].get("User-Agent", "").split("/")[0], r["params"]["CacheClusterId"],
            r["params"].get("CacheNodeIdsToReboot"), r["signature"])
           for r in log if r["action"] == "RebootCacheCluster"]
for r in reboots:
    print(*r)
PY
    echo "$output"
    # Exactly these RebootCacheCluster calls, in this order, all signed right:
    # community.aws (Boto3), elasticache_reboot, community.aws again (no
    # policy), elasticache_reboot's one-node subset, its timed-out reboot.
    # Check mode sent none; the idempotent rerun sent none.
    [ "${lines[0]}" = "Boto3 demo-memcached ['0001', '0002', '0003'] ok" ]
    [ "${lines[1]}" = "libelasticache demo-memcached ['0001', '0002', '0003'] ok" ]
    [ "${lines[2]}" = "Boto3 demo-memcached ['0001', '0002', '0003'] ok" ]
    [ "${lines[3]}" = "libelasticache demo-memcached ['0002'] ok" ]
    [ "${lines[4]}" = "libelasticache demo-redis ['0001'] ok" ]
    [ "${#lines[@]}" -eq 5 ]
}
