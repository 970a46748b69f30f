#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The README's Quick start: its first command, tools/demo.sh, runs the main
# job end to end on the simulator. It broke once without a test noticing
# (the default fixture gained replication groups whose member clusters the
# demo's one-cluster fixture left out), so it runs here as a newcomer runs it.

bats_require_minimum_version 1.5.0
load ../../lib/common

@test "README Quick start: tools/demo.sh reboots exactly the pending node and ends OK" {
    grep -q '^bash tools/demo.sh ' "$EC_REPO/README.md"
    cd "$EC_REPO"
    run bash tools/demo.sh
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"RebootCacheCluster calls: 1"* ]]
    # the last check after the reboot: every node back
    [ "$(grep -c 'ELASTICACHE OK - demo-memcached available, 3 of 3 nodes answer' <<<"$output")" -ge 1 ]
    # only node 0002 was rebooted, its process really restarted, and the
    # second run rebooted nothing
    [ "$(grep -Ec 'RebootedNodeIds +\["0002"\]$' <<<"$output")" -eq 1 ]
    [[ $output == *"memcached of node 0002 now runs as pid "*": it really restarted"* ]]
    [ "$(grep -Ec 'Decision +"nothing-pending"' <<<"$output")" -eq 1 ]
    # nothing left running
    run pgrep -f "memcached -l 127.0.0.1 -p 2181[123]"
    [ "$status" -eq 1 ]
}
