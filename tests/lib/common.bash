# SPDX-License-Identifier: Apache-2.0
# tests/lib/common.bash: shared set-up for every Bats file.
#
#   load ../../lib/common        (from tests/bats/<area>/x.bats)
#
# Defaults the runner's variables so a single file runs on its own with
# `bats tests/bats/<area>/x.bats` after a build in ./build:
#   EC_REPO   repo root (from this file's location)
#   EC_BUILD  $EC_REPO/build
#   EC_BIN    $EC_BUILD/bin
#   EC_TMP    scratch dir (Bats' run dir, or mktemp -d)
# Isolates the AWS environment (test credentials, us-east-1, empty config and
# credentials files, no IMDS, no profile, no endpoint overrides, no other
# credential provider's variables) and loads sim.bash.
#
# Assertions and waits every file can use:
#   refute_in_files TEXT FILE...   fail if TEXT (a fixed string) is in a FILE
#   wait_until SECONDS WHAT CMD... run CMD until it succeeds, fail after SECONDS
#
# Every test must be able to fail: under Bats' `set -e` a `! cmd` on any
# line but a test's last is ignored, so write `run ! cmd`, or count
# (`[ "$(grep -c x f)" -eq 0 ]`, refute_in_files). tests/lint/bats_lint.py
# (run by tests/run) rejects the pattern.

# `run !` and `run -N` need Bats 1.5 (tools/demo.sh and bench/ source this
# file outside Bats).
if declare -F bats_require_minimum_version >/dev/null; then
    bats_require_minimum_version 1.5.0
fi

if [[ -z ${EC_REPO:-} ]]; then
    EC_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
EC_BUILD=${EC_BUILD:-$EC_REPO/build}
EC_BIN=${EC_BIN:-$EC_BUILD/bin}
if [[ -z ${EC_TMP:-} ]]; then
    if [[ -n ${BATS_RUN_TMPDIR:-} ]]; then
        EC_TMP=$BATS_RUN_TMPDIR/ec
        mkdir -p "$EC_TMP"
    else
        EC_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ec-tests.XXXXXX")
    fi
fi
export EC_REPO EC_BUILD EC_BIN EC_TMP

ec_isolate_aws_env() {
    local v
    for v in $(compgen -e); do
        case $v in
            AWS_ENDPOINT_URL*|AWS_PROFILE|AWS_DEFAULT_PROFILE|AWS_SESSION_TOKEN|AWS_SECURITY_TOKEN|\
            AWS_ROLE_ARN|AWS_ROLE_SESSION_NAME|AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CA_BUNDLE|\
            AWS_CONTAINER_*|AWS_USE_FIPS_ENDPOINT|AWS_USE_DUALSTACK_ENDPOINT|AWS_MAX_ATTEMPTS|AWS_RETRY_MODE|\
            AWS_CREDENTIAL_FILE|AWS_CREDENTIAL_EXPIRATION|AWS_STS_REGIONAL_ENDPOINTS|AWS_METADATA_SERVICE_*|\
            AWS_EC2_METADATA_*|AWS_IMDS_USE_IPV6|AWS_IGNORE_CONFIGURED_ENDPOINT_URLS|\
            AWS_ACCESS_KEY|AWS_SECRET_KEY|EC2_ACCESS_KEY|EC2_SECRET_KEY|EC2_SECURITY_TOKEN)
                unset "$v" ;;
        esac
    done
    # botocore's legacy boto config (/etc/boto.cfg, ~/.boto): none.
    export BOTO_CONFIG=$EC_TMP/no-boto-config
    export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
    export AWS_EC2_METADATA_DISABLED=true
    : >"$EC_TMP/aws-config" 2>/dev/null || true
    : >"$EC_TMP/aws-credentials" 2>/dev/null || true
    export AWS_CONFIG_FILE=$EC_TMP/aws-config
    export AWS_SHARED_CREDENTIALS_FILE=$EC_TMP/aws-credentials
    # The AWS CLI v2 pager would wait for a terminal.
    export AWS_PAGER=""
}
ec_isolate_aws_env

# refute_in_files TEXT FILE...: fail, saying where, if TEXT (a fixed
# string, not a pattern) occurs in any FILE. A FILE that does not exist
# fails too, so a wrong path cannot make the check pass. For secrets and
# anything else that must not appear.
refute_in_files() {
    local text=$1 f n bad=0
    shift
    [ "$#" -gt 0 ] || { echo "refute_in_files: no file given" >&2; return 2; }
    for f in "$@"; do
        if [ ! -f "$f" ] || [ ! -r "$f" ]; then
            echo "refute_in_files: cannot read $f" >&2
            return 2
        fi
        n=$(grep -cF -- "$text" "$f") || true
        if [ "$n" -ne 0 ]; then
            echo "refute_in_files: found $n time(s) in $f: $text" >&2
            bad=1
        fi
    done
    return "$bad"
}

# wait_until SECONDS WHAT CMD...: run CMD every 0.1 s until it succeeds;
# after SECONDS say what did not happen and fail. For conditions a test
# waits for: never a fixed sleep, which a busy machine outlasts.
wait_until() {
    local limit=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + limit))
    until "$@"; do
        if ((SECONDS >= deadline)); then
            echo "wait_until: no $what after ${limit} s" >&2
            return 1
        fi
        sleep 0.1
    done
}

# shellcheck source=tests/lib/sim.bash
source "$EC_REPO/tests/lib/sim.bash"
