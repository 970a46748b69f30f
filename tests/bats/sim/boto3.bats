#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Simulator fidelity through boto3/botocore (Debian's /usr/bin/python3):
# the XML the sim sends is parsed back into exactly the fixture, and its wire
# shape matches responses captured from the real service model.

load ../../lib/common

DATA=$EC_REPO/tests/data/sim

setup_file() {
    sim_start --reboot-seconds 30
}

teardown_file() {
    sim_stop
}

setup() {
    sim_reset
}

fidelity() {
    /usr/bin/python3 "$BATS_TEST_DIRNAME/fidelity.py" "$@"
}

@test "round trip: every default-fixture cluster parses back to the fixture, member by member" {
    run fidelity roundtrip "$SIM_URL" "$EC_REPO/tests/sim/fixtures/default.json"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "round trip: the reference clusters (every CacheCluster member kind) parse back unchanged" {
    ref=$BATS_TEST_TMPDIR/ref.json
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); json.dump({"clusters": d["CacheClusters"]}, open(sys.argv[2], "w"))' \
        "$DATA/describe-cache-clusters.queryparser.json" "$ref"
    sim_ctl POST /_sim/seed "$(cat "$ref")"
    run fidelity roundtrip "$SIM_URL" "$ref"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "round trip: a cluster with every member of the model set (nested, lists of two) survives" {
    run fidelity fullmodel "$SIM_URL"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "wire: describe and reboot XML match the reference element by element" {
    run fidelity wire "$SIM_URL" "$DATA"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "wire: the error XML matches the reference ErrorResponse shape" {
    run fidelity error-shape "$SIM_URL" "$DATA"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "boto3 over HTTPS: describe, reboot and the modelled error classes" {
    run fidelity boto3 "$SIM_HTTPS_URL" "$SIM_CA"
    echo "$output"
    [ "$status" -eq 0 ]
}

@test "the round-trip check can fail: a changed fixture is reported" {
    bad=$BATS_TEST_TMPDIR/changed.json
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["clusters"][1]["CacheNodes"][0]["Endpoint"]["Port"] += 1; json.dump(d, open(sys.argv[2], "w"))' \
        "$EC_REPO/tests/sim/fixtures/default.json" "$bad"
    run fidelity roundtrip "$SIM_URL" "$bad"
    [ "$status" -eq 1 ]
    [[ $output == *"demo-redis/CacheNodes[0]/Endpoint/Port"* ]]
}
