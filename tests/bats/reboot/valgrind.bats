#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# One full ec_reboot flow under valgrind: describe, a lost answer confirmed
# by describing, the reboot waiter, and an error path; no leak, no invalid
# access (valgrind exits 99 on any finding, and drive fails on 99).

load helpers

setup() {
    reboot_setup
    command -v valgrind >/dev/null || skip "valgrind not installed"
    # A sanitizer build cannot run under valgrind.
    if ldd "$DRIVE" | grep -q 'libasan'; then
        skip "ec_reboot_drive is built with AddressSanitizer"
    fi
    EC_DRIVE_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
}

teardown() {
    sim_stop
}

@test "valgrind: reboot with a lost answer and wait, then the error paths" {
    sim_start --reboot-seconds 1
    sim_ctl POST /_sim/fault '{"action":"RebootCacheCluster","kind":"reset","count":1,"after_processing":true}'
    drive --cluster demo-memcached --nodes 0001,0002 --wait --delay 0.3 --timeout 60
    show
    [ "$drive_status" -eq 0 ]
    [ "$(field changed)" = true ]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    drive --cluster demo-memcached --nodes 0009
    [ "$drive_status" -eq 1 ]
    drive --cluster cme-redis-0001-001
    [ "$drive_status" -eq 1 ]
    sim_ctl POST /_sim/clusters/demo-redis/state '{"status":"deleted"}'
    drive --wait-available --cluster demo-redis --delay 0.2
    [ "$drive_status" -eq 1 ]
    drive --wait-reboot --cluster demo-memcached --nodes 0003 --since 0s --delay 0.2 --timeout 0.5
    [ "$drive_status" -eq 1 ]
}
