# SPDX-License-Identifier: Apache-2.0
# tests/bats/credentials/helpers.bash: the credential providers against the
# simulator's credential services (tests/sim/credsim.py).
#
#   creds_setup_file [ecsim args]   start one sim for the file
#   creds_reset                     fresh sim state, no credentials anywhere
#                                   (no keys, empty files, IMDS disabled)
#   use_imds                        IMDS at the sim (AWS_EC2_METADATA_* )
#   use_web_identity [TOKEN]        token file + role + STS at the sim
#   use_profiles TEXT               the config file's text
#   creds_config JSON               POST /_sim/creds (lifetime, tokens, ...)
#   ec ARGS...                      the CLI against the sim; stdout/stderr in
#                                   $EC_TMP/ec.out/.err, status in $ec_status
#   describe                        ec describe-cache-clusters demo-redis
#   access_keys ACTION              access keys that signed ACTION requests
#   secrets_issued                  every secret the sim issued or checks
#                                   (secret keys, session tokens, web
#                                   identity / SSO / container tokens)
#   assert_no_secrets FILE...       fail naming a file that holds one

load ../../lib/common

CLI=$EC_BIN/elasticache
ROLE_ARN=arn:aws:iam::123456789012:role/ecsim-ci

creds_setup_file() {
    [[ -x $CLI ]] || skip "elasticache not built in $EC_BIN"
    sim_start --reboot-seconds 1 "$@"
}

creds_reset() {
    [[ -n ${SIM_URL:-} ]] || skip "no simulator"
    sim_reset
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
    unset AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_ROLE_SESSION_NAME
    unset AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
    unset AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
    unset AWS_ENDPOINT_URL_STS AWS_ENDPOINT_URL_SSO AWS_ENDPOINT_URL
    unset AWS_EC2_METADATA_SERVICE_ENDPOINT AWS_METADATA_SERVICE_TIMEOUT AWS_METADATA_SERVICE_NUM_ATTEMPTS
    export AWS_EC2_METADATA_DISABLED=true
    : >"$AWS_CONFIG_FILE"
    : >"$AWS_SHARED_CREDENTIALS_FILE"
    T=$BATS_TEST_TMPDIR
}

use_imds() {
    unset AWS_EC2_METADATA_DISABLED
    export AWS_EC2_METADATA_SERVICE_ENDPOINT=$SIM_URL
}

use_web_identity() {
    printf '%s' "${1:-ecsim-web-identity-token}" >"$T/web-identity-token"
    export AWS_WEB_IDENTITY_TOKEN_FILE=$T/web-identity-token
    export AWS_ROLE_ARN=$ROLE_ARN
    export AWS_ENDPOINT_URL_STS=$SIM_URL
}

use_profiles() {
    printf '%s\n' "$1" >"$AWS_CONFIG_FILE"
}

creds_config() {
    sim_ctl POST /_sim/creds "$1" >/dev/null
}

ec() {
    ec_status=0
    "$CLI" --endpoint-url "$SIM_URL" "$@" >"$EC_TMP/ec.out" 2>"$EC_TMP/ec.err" </dev/null || ec_status=$?
    return 0
}

describe() {
    ec "$@" describe-cache-clusters --cache-cluster-id demo-redis
}

show() {
    echo "--- status ${ec_status:-}; stdout:"
    head -c 2000 "$EC_TMP/ec.out" 2>/dev/null
    echo "--- stderr:"
    head -c 4000 "$EC_TMP/ec.err" 2>/dev/null
}

# Access keys that signed the requests of ACTION, in order, one a line.
access_keys() {
    sim_ctl GET "/_sim/requests?action=$1" |
        /usr/bin/python3 -c 'import json,sys; [print(r["access_key"] or "-") for r in json.load(sys.stdin)]'
}

# A field of the logged requests of ACTION, one a line ("status", ...).
request_field() {
    sim_ctl GET "/_sim/requests?action=$1" |
        /usr/bin/python3 -c 'import json,sys; [print(r[sys.argv[1]]) for r in json.load(sys.stdin)]' "$2"
}

secrets_issued() {
    sim_ctl GET /_sim/creds | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for c in d["issued"]:
    print(c["SecretAccessKey"])
    print(c["SessionToken"])
cfg = d["config"]
for k in ("web_identity_token", "sso_token", "container_token"):
    if cfg.get(k):
        print(cfg[k])
'
    echo "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
}

# Fails, naming the file and the secret's first characters, when any of
# FILE... holds a secret the sim issued or checks. Needs at least one.
assert_no_secrets() {
    local secrets s f n=0 found=0
    secrets=$(secrets_issued)
    [[ -n $secrets ]] || { echo "assert_no_secrets: no secrets to look for" >&2; return 1; }
    while IFS= read -r s; do
        [[ -n $s ]] || continue
        n=$((n + 1))
        for f in "$@"; do
            if grep -qF -- "$s" "$f" 2>/dev/null; then
                echo "secret ${s:0:12}... found in $f" >&2
                found=1
            fi
        done
    done <<<"$secrets"
    [[ $n -gt 0 && $found -eq 0 ]]
}

# A TCP listener on 127.0.0.1 that accepts and never answers (an IMDS that
# hangs). Sets BLACKHOLE_PORT and BLACKHOLE_PID. Not to be called in $(...):
# the pid would be set in a subshell and stop_blackhole could not stop it.
start_blackhole() {
    local portfile=$T/blackhole.port
    /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
' "$portfile" </dev/null >/dev/null 2>&1 3>&- &
    BLACKHOLE_PID=$!
    wait_until 60 "blackhole port in $portfile" test -s "$portfile"
    BLACKHOLE_PORT=$(cat "$portfile")
}

stop_blackhole() {
    [[ -n ${BLACKHOLE_PID:-} ]] || return 0
    kill "$BLACKHOLE_PID" 2>/dev/null || true
    wait "$BLACKHOLE_PID" 2>/dev/null || true
    BLACKHOLE_PID=
}

# Seconds since the epoch, with fractions.
now() { date +%s.%N; }
elapsed_below() { # START LIMIT
    /usr/bin/python3 -c 'import sys,time; sys.exit(0 if time.time() - float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$1" "$2"
}
elapsed_at_least() { # START LIMIT
    /usr/bin/python3 -c 'import sys,time; sys.exit(0 if time.time() - float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$1" "$2"
}
