# SPDX-License-Identifier: Apache-2.0
# tests/bats/reboot/helpers.bash: drive ec_reboot (through the
# ec_reboot_drive test program) against the simulator and read its result.
#
#   drive ARGS...        run ec_reboot_drive; stdout JSON in $EC_TMP/out.json,
#                        progress in $EC_TMP/progress.txt, exit status in $drive_status
#   field PATH           a value of the last result, e.g. field changed,
#                        field error.code, field after.nodes.0001
#   reqs ACTION          "status error_code" per logged request of ACTION
#
# EC_DRIVE_WRAP (e.g. "valgrind --error-exitcode=99 --leak-check=full") runs
# the driver under a wrapper. Sanitizer and valgrind findings exit with 99,
# which fails the test whatever status it expected.

load ../../lib/common

DRIVE=$EC_BIN/ec_reboot_drive
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99
export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=99:print_stacktrace=1

reboot_setup() {
    [[ -x $DRIVE ]] || skip "ec_reboot_drive not built in $EC_BIN"
    OUT=$EC_TMP/out.json
    PROGRESS=$EC_TMP/progress.txt
}

drive() {
    # shellcheck disable=SC2086
    drive_status=0
    ${EC_DRIVE_WRAP:-} "$DRIVE" --endpoint-url "$SIM_URL" "$@" >"$OUT" 2>"$PROGRESS" ||
        drive_status=$?
    if [[ $drive_status -eq 99 ]]; then
        echo "ec_reboot_drive: sanitizer or valgrind finding:" >&2
        cat "$PROGRESS" >&2
        return 1
    fi
    return 0
}

field() {
    /usr/bin/python3 - "$OUT" "$1" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
if isinstance(v, bool):
    print("true" if v else "false")
elif isinstance(v, list):
    print(",".join(str(x) for x in v))
elif v is None:
    print("null")
else:
    print(v)
PY
}

reqs() {
    curl -sS --fail-with-body "$SIM_URL/_sim/requests" | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["action"] == sys.argv[1]:
        print(r["status"], r.get("error_code") or "-")
' "$1"
}

show() {
    echo "--- result (exit $drive_status)"
    cat "$OUT"
    echo "--- progress"
    cat "$PROGRESS"
    echo "--- requests"
    curl -sS "$SIM_URL/_sim/requests" | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["seq"], r["time"], r["action"], r["status"], r.get("error_code") or "")
'
}

# The CacheNodeIdsToReboot of each logged RebootCacheCluster, one line each.
reboot_nodes() {
    curl -sS --fail-with-body "$SIM_URL/_sim/requests" | /usr/bin/python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["action"] == "RebootCacheCluster":
        v = r["params"].get("CacheNodeIdsToReboot")
        print(",".join(v) if isinstance(v, list) else v)
'
}

# One simulator per file: start it in setup_file with reboot_setup_file,
# and give each test a clean one with sim_fresh [--reboot-seconds N]
# [--consistency-lag N] (fixture, faults, request log and options reset;
# starting a simulator costs seconds on a busy machine, a reset does not).
reboot_setup_file() {
    sim_start
}

reboot_teardown_file() {
    sim_stop
}

sim_fresh() {
    local reboot=2 lag=0
    while (($#)); do
        case $1 in
            --reboot-seconds) reboot=$2; shift 2 ;;
            --consistency-lag) lag=$2; shift 2 ;;
            *) echo "sim_fresh: unknown option $1" >&2; return 1 ;;
        esac
    done
    sim_reset
    sim_ctl POST /_sim/config "{\"reboot_seconds\":$reboot,\"consistency_lag\":$lag}" >/dev/null
}
