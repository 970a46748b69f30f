# SPDX-License-Identifier: Apache-2.0
# tests/bats/cli/helpers.bash: run the `elasticache` CLI and /usr/bin/aws
# against one simulator per .bats file, reset to the default fixture before
# every test.
#
#   cli_setup_file / cli_teardown_file   start / stop the file's simulator
#   cli_reset                            default fixture, no faults, empty log
#   ec ARGS...      $EC_BIN/elasticache --endpoint-url $SIM_URL ARGS
#                   (stdout in $EC_TMP/ec.out, stderr in $EC_TMP/ec.err,
#                   exit status in $ec_status; always returns 0)
#   awsc ARGS...    the same with /usr/bin/aws elasticache (aws.out, aws.err,
#                   $aws_status)
#   same_as_aws ARGS...  run both, fail unless stdout and status are equal
#   jget FILE PATH  a value from a JSON file ("a.b.0.c"; lists joined by ",")

load ../../lib/common

CLI=$EC_BIN/elasticache
FIXTURE=$EC_REPO/tests/sim/fixtures/default.json

cli_setup_file() {
    [[ -x $CLI ]] || skip "elasticache not built in $EC_BIN"
    sim_start --reboot-seconds 2 "$@"
}

cli_teardown_file() {
    sim_stop
}

cli_reset() {
    [[ -x $CLI ]] || skip "elasticache not built in $EC_BIN"
    [[ -n ${SIM_URL:-} ]] || skip "no simulator"
    sim_ctl POST /_sim/seed "$(cat "$FIXTURE")" >/dev/null
    sim_ctl DELETE /_sim/fault >/dev/null
    sim_ctl POST /_sim/config '{"reboot_seconds":2,"consistency_lag":0}' >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
}

ec() {
    ec_status=0
    "$CLI" --endpoint-url "$SIM_URL" "$@" >"$EC_TMP/ec.out" 2>"$EC_TMP/ec.err" </dev/null || ec_status=$?
    return 0
}

# The CLI with nothing added (for endpoint and option tests).
ec_raw() {
    ec_status=0
    "$CLI" "$@" >"$EC_TMP/ec.out" 2>"$EC_TMP/ec.err" </dev/null || ec_status=$?
    return 0
}

awsc() {
    aws_status=0
    /usr/bin/aws --endpoint-url "$SIM_URL" elasticache "$@" >"$EC_TMP/aws.out" 2>"$EC_TMP/aws.err" </dev/null || aws_status=$?
    return 0
}

show() {
    echo "--- elasticache (status ${ec_status:-}) stdout:"
    head -c 3000 "$EC_TMP/ec.out" 2>/dev/null
    echo "--- elasticache stderr:"
    cat "$EC_TMP/ec.err" 2>/dev/null
    if [[ -n ${aws_status:-} ]]; then
        echo "--- aws (status $aws_status) stderr:"
        cat "$EC_TMP/aws.err"
    fi
}

same_as_aws() {
    awsc "$@"
    ec "$@"
    show
    [ "$aws_status" -eq "$ec_status" ]
    diff -u "$EC_TMP/aws.out" "$EC_TMP/ec.out"
}

jget() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split(".") if sys.argv[2] else []:
    v = v[int(k)] if isinstance(v, list) else v[k]
if isinstance(v, list):
    print(",".join(str(x) for x in v))
elif isinstance(v, bool):
    print("true" if v else "false")
elif v is None:
    print("null")
else:
    print(v)
PY
}

# Number of items in a JSON list.
jlen() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(len(v))
PY
}
