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

# shellcheck source=tests/lib/sim.bash
source "$EC_REPO/tests/lib/sim.bash"
