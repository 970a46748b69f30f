# SPDX-License-Identifier: Apache-2.0
# tests/lib/sim.bash: start, drive and stop the ElastiCache simulator
# (tests/sim/ecsim.py) from Bats tests and shell scripts.
#
#   sim_start [ecsim args...]   start it, wait until ready (SIM_START_TIMEOUT, 60 s), export
#                               SIM_URL SIM_HTTPS_URL SIM_CA SIM_PID SIM_DIR and the
#                               test AWS_* variables
#   sim_stop                    stop it (SIGTERM, then SIGKILL after 5 s)
#   sim_ctl METHOD PATH [JSON]  call the control API, print the response body;
#                               fails when the answer is not 2xx
#   sim_reset                   back to the state right after sim_start (fixture,
#                               options, no faults, empty request log): lets a
#                               file start one sim in setup_file
#   sim_count ACTION            number of logged API requests for ACTION ('*': all)
#   sim_aws ARGS...             /usr/bin/aws elasticache ARGS against SIM_URL
#   sim_cluster_status ID       the cluster's real (not lagged) CacheClusterStatus
#   sim_node_status ID NODE     a node's real CacheNodeStatus
#   sim_wait_cluster_status ID STATUS [SECONDS]
#                               wait until the cluster's real status is STATUS
#                               (30 s at most: generous, it returns as soon as it is)
#
# The simulator watches the shell that started it (--watch-pid) and exits when
# that shell is gone, so a test that forgets sim_stop cannot leak it.  Outside
# Bats, sim_start also installs an EXIT trap that stops it, unless the caller
# already has an EXIT trap (which is left alone).

SIM_PYTHON=${SIM_PYTHON:-/usr/bin/python3}

sim__repo() {
    if [[ -n ${EC_REPO:-} ]]; then
        printf '%s\n' "$EC_REPO"
    else
        (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    fi
}

sim_start() {
    local repo base dir i
    repo=$(sim__repo)
    base=${EC_TMP:-${TMPDIR:-/tmp}}
    mkdir -p "$base" || return 1
    dir=$(mktemp -d "$base/sim.XXXXXX") || return 1
    SIM_DIR=$dir
    # $BASHPID inside the backgrounded command would be the child itself.
    local me=$BASHPID
    # fd 3 is Bats' output channel: a background child holding it makes Bats hang.
    "$SIM_PYTHON" "$repo/tests/sim/ecsim.py" --ready-file "$dir/ready.json" \
        --log-file "$dir/sim.log" --watch-pid "$me" "$@" \
        </dev/null >"$dir/stdout" 2>"$dir/stderr" 3>&- &
    SIM_PID=$!
    # botocore's model takes seconds to load on a busy machine: the limit is
    # generous, the loop ends as soon as the ready file is there.
    local tries=$((${SIM_START_TIMEOUT:-60} * 10))
    for ((i = 0; i < tries; i++)); do
        [[ -s $dir/ready.json ]] && break
        if ! kill -0 "$SIM_PID" 2>/dev/null; then
            echo "sim_start: the simulator exited before it was ready:" >&2
            cat "$dir/stderr" >&2
            SIM_PID=
            return 1
        fi
        sleep 0.1
    done
    if [[ ! -s $dir/ready.json ]]; then
        echo "sim_start: the simulator was not ready after ${SIM_START_TIMEOUT:-60} s; stderr:" >&2
        cat "$dir/stderr" >&2
        kill -KILL "$SIM_PID" 2>/dev/null || true
        SIM_PID=
        return 1
    fi
    local vals
    vals=$("$SIM_PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["http"]); print(d["https"]); print(d["ca"])' "$dir/ready.json") || return 1
    {
        read -r SIM_URL
        read -r SIM_HTTPS_URL
        read -r SIM_CA
    } <<<"$vals"
    export SIM_URL SIM_HTTPS_URL SIM_CA SIM_PID SIM_DIR
    export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_PROFILE AWS_DEFAULT_PROFILE
    export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
    export AWS_EC2_METADATA_DISABLED=true
    # Outside Bats, stop it on exit unless the caller has its own EXIT trap
    # (never replace that; --watch-pid ends the sim when the shell is gone anyway).
    if [[ -z ${BATS_TEST_FILENAME:-} && -z $(trap -p EXIT) ]]; then
        trap 'sim_stop' EXIT
    fi
    return 0
}

sim_stop() {
    local pid=${SIM_PID:-} i
    [[ -n $pid ]] || return 0
    if kill -TERM "$pid" 2>/dev/null; then
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    SIM_PID=
    return 0
}

sim_ctl() {
    local method=$1 path=$2 json=${3-}
    local args=(-sS --fail-with-body -X "$method" -H 'Content-Type: application/json')
    if [[ $# -ge 3 ]]; then
        args+=(--data-binary "$json")
    fi
    curl "${args[@]}" "$SIM_URL$path"
}

sim_reset() {
    sim_ctl POST /_sim/reset >/dev/null
}

sim_count() {
    local action=${1:-*}
    curl -sS --fail-with-body -G --data-urlencode "action=$action" "$SIM_URL/_sim/count"
}

sim_aws() {
    /usr/bin/aws --endpoint-url "$SIM_URL" elasticache "$@"
}

sim__cluster_field() {
    curl -sS --fail-with-body "$SIM_URL/_sim/clusters/$1" |
        "$SIM_PYTHON" -c '
import json, sys
c = json.load(sys.stdin)
if len(sys.argv) == 1:
    print(c["CacheClusterStatus"])
else:
    print([n for n in c.get("CacheNodes", []) if n["CacheNodeId"] == sys.argv[1]][0]["CacheNodeStatus"])
' "${@:2}"
}

sim_cluster_status() { sim__cluster_field "$1"; }
sim_node_status() { sim__cluster_field "$1" "$2"; }

sim__cluster_status_is() { [[ $(sim_cluster_status "$1") == "$2" ]]; }

sim_wait_cluster_status() {
    wait_until "${3:-30}" "status '$2' of cluster $1" sim__cluster_status_is "$1" "$2" || {
        echo "cluster $1 is '$(sim_cluster_status "$1")'" >&2
        return 1
    }
}
