#!/usr/bin/env bats
# Every error path of the `elasticache` CLI and its AWS CLI v2 exit status:
# 252 arguments, 253 configuration/credentials, 254 service, 255 the rest.
# Errors go to stderr only; stdout stays empty.

load helpers

# A second identity with a session token, for the --debug test.
TOKEN_AK=ASIAERRORSTESTKEY
TOKEN_SK=errorsTestSecretKeyThatMustNotLeak0123456
TOKEN=SessionTokenThatMustNotLeak123

setup_file() {
    cli_setup_file --identity "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" \
        --identity "$TOKEN_AK:$TOKEN_SK:$TOKEN"
}
teardown_file() { cli_teardown_file; }
setup() { cli_reset; }

# An argument error: 252, usage on stderr, nothing on stdout, no request.
usage_fails() {
    ec "$@"
    show
    [ "$ec_status" -eq 252 ]
    [ ! -s "$EC_TMP/ec.out" ]
    grep -q '^usage: elasticache' "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "252: a missing required --cache-cluster-id" {
    usage_fails reboot-cache-cluster --cache-node-ids-to-reboot 0001
    grep -qx 'elasticache: error: the following arguments are required: --cache-cluster-id' "$EC_TMP/ec.err"
}

@test "252: an option without its value, as aws" {
    usage_fails reboot-cache-cluster --cache-cluster-id
    grep -qx 'elasticache: error: argument --cache-cluster-id: expected one argument' "$EC_TMP/ec.err"
    awsc reboot-cache-cluster --cache-cluster-id
    [ "$aws_status" -eq 252 ]
    usage_fails describe-cache-clusters --cache-cluster-id --show-cache-node-info
    usage_fails reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot
    grep -q 'expected at least one argument' "$EC_TMP/ec.err"
}

@test "252: unknown options, as aws" {
    usage_fails describe-cache-clusters --bogus 1
    grep -qx 'Unknown options: --bogus, 1' "$EC_TMP/ec.err"
    awsc describe-cache-clusters --bogus 1
    [ "$aws_status" -eq 252 ]
    grep -qx 'Unknown options: --bogus, 1' "$EC_TMP/aws.err"
    usage_fails describe-cache-clusters stray
}

@test "252: an unknown command" {
    usage_fails reboot-everything
    grep -q "Invalid choice: 'reboot-everything'" "$EC_TMP/ec.err"
    usage_fails
}

@test "252: invalid cluster ids, before any call" {
    usage_fails reboot-cache-cluster --cache-cluster-id 1demo --cache-node-ids-to-reboot 0001
    grep -q 'argument --cache-cluster-id' "$EC_TMP/ec.err"
    usage_fails reboot-cache-cluster --cache-cluster-id demo--x --cache-node-ids-to-reboot 0001
    usage_fails reboot-cache-cluster --cache-cluster-id demo- --cache-node-ids-to-reboot 0001
    usage_fails reboot-cache-cluster --cache-cluster-id demo_x --cache-node-ids-to-reboot 0001
    usage_fails reboot-cache-cluster --cache-cluster-id "$(printf 'a%.0s' {1..51})"
}

@test "252: invalid node ids, before any call" {
    usage_fails reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 1
    grep -q 'argument --cache-node-ids-to-reboot' "$EC_TMP/ec.err"
    usage_fails reboot-cache-cluster --cache-cluster-id demo-memcached --cache-node-ids-to-reboot 0001 abcd
}

@test "252: bad numbers, as aws for the paging ones" {
    usage_fails describe-cache-clusters --page-size abc
    grep -qx "elasticache: error: argument --page-size: invalid int value: 'abc'" "$EC_TMP/ec.err"
    awsc describe-cache-clusters --page-size abc
    [ "$aws_status" -eq 252 ]
    usage_fails describe-cache-clusters --max-records 12x
    usage_fails describe-events --duration soon
    usage_fails --cli-read-timeout -1 describe-cache-clusters
    usage_fails reboot-cache-cluster --cache-cluster-id demo-memcached --wait --wait-timeout never
    usage_fails reboot-cache-cluster --cache-cluster-id demo-memcached --wait-delay 1
}

@test "252: an unknown --output, --color or skeleton kind, with argparse's choices, as aws" {
    usage_fails --output nonsense describe-cache-clusters
    awsc describe-cache-clusters --output nonsense
    [ "$aws_status" -eq 252 ]
    diff <(sed -n '/error: /,$p' "$EC_TMP/aws.err" | sed 's/^aws: error: //') \
        <(sed -n '/error: /,$p' "$EC_TMP/ec.err" | sed 's/^elasticache: error: //')
    grep -qx 'yaml-stream *' "$EC_TMP/ec.err"
    usage_fails describe-cache-clusters --output jsn
    grep -qx '  \* json' "$EC_TMP/ec.err"
    usage_fails describe-cache-clusters --color sometimes
    usage_fails describe-cache-clusters --generate-cli-skeleton inptu
    grep -qx '  \* input' "$EC_TMP/ec.err"
    ec --output json describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
}

@test "252: a bad --query, before any other check and any request, as aws" {
    for args in "describe-cache-clusters" "reboot-cache-cluster" \
        "describe-cache-clusters --bogus" "wait bogus-waiter"; do
        # shellcheck disable=SC2086
        same_as_aws --query 'CacheClusters[?' $args
        [ "$ec_status" -eq 252 ]
        diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    done
    [ "$(sed -n 2p "$EC_TMP/ec.err")" = 'Bad value for --query CacheClusters[?: Invalid jmespath expression: Incomplete expression:' ]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "252: a flag given a value" {
    usage_fails describe-cache-clusters --show-cache-node-info=yes
}

@test "253: no region, as aws" {
    unset AWS_REGION AWS_DEFAULT_REGION
    same_as_aws describe-cache-clusters
    [ "$ec_status" -eq 253 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "253: no credentials, as aws, then what was tried in order" {
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    same_as_aws describe-cache-clusters
    [ "$ec_status" -eq 253 ]
    # aws's text, then (on purpose) each provider tried and why it had
    # nothing
    local aws_text
    aws_text=$(sed -n 2p "$EC_TMP/aws.err")
    [ -n "$aws_text" ]
    [[ $(sed -n 2p "$EC_TMP/ec.err") == "$aws_text Tried, in order: explicit, env, "*", iam-role (AWS_EC2_METADATA_DISABLED is true)." ]]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "253: a profile that does not exist (aws 2.9.19 says the same, with 255)" {
    ec --profile nope describe-cache-clusters
    show
    [ "$ec_status" -eq 253 ]
    awsc --profile nope describe-cache-clusters
    [ "$aws_status" -eq 255 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "credentials and region from a profile in the shared files" {
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION AWS_DEFAULT_REGION
    printf '[profile ops]\nregion = us-east-1\n' >"$AWS_CONFIG_FILE"
    printf '[ops]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' >"$AWS_SHARED_CREDENTIALS_FILE"
    same_as_aws --profile ops describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
    AWS_PROFILE=ops same_as_aws describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
    : >"$AWS_CONFIG_FILE"
    : >"$AWS_SHARED_CREDENTIALS_FILE"
}

@test "254: a bad signature (wrong secret key), as aws" {
    export AWS_SECRET_ACCESS_KEY=not-the-right-secret
    same_as_aws describe-cache-clusters
    [ "$ec_status" -eq 254 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
    grep -q '(SignatureDoesNotMatch)' "$EC_TMP/ec.err"
    refute_in_files not-the-right-secret "$EC_TMP/ec.err" "$EC_TMP/ec.out"
}

@test "254: an unknown access key, as aws" {
    export AWS_ACCESS_KEY_ID=AKIDUNKNOWN
    same_as_aws describe-cache-clusters
    [ "$ec_status" -eq 254 ]
    diff "$EC_TMP/aws.err" "$EC_TMP/ec.err"
}

@test "254: throttled until the retries run out" {
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"throttle","count":10}' >/dev/null
    ec describe-cache-clusters
    show
    [ "$ec_status" -eq 254 ]
    [ ! -s "$EC_TMP/ec.out" ]
    grep -q 'An error occurred (Throttling) when calling the DescribeCacheClusters operation (reached max retries: 2)' "$EC_TMP/ec.err"
    [ "$(sim_count DescribeCacheClusters)" -eq 3 ]
}

@test "255: connection refused" {
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    ec_raw --endpoint-url "http://127.0.0.1:$port" describe-cache-clusters
    show
    [ "$ec_status" -eq 255 ]
    [ ! -s "$EC_TMP/ec.out" ]
    grep -q "Could not connect to the endpoint URL: \"http://127.0.0.1:$port/\"" "$EC_TMP/ec.err"
}

@test "255: read timeout" {
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"delay","seconds":3,"count":10}' >/dev/null
    AWS_MAX_ATTEMPTS=1 ec --cli-read-timeout 1 describe-cache-clusters
    show
    [ "$ec_status" -eq 255 ]
    grep -q 'Read timeout on endpoint URL' "$EC_TMP/ec.err"
}

@test "255: TLS to a server whose CA is not trusted; fine with --ca-bundle or --no-verify-ssl" {
    ec_raw --endpoint-url "$SIM_HTTPS_URL" describe-cache-clusters --cache-cluster-id demo-redis
    show
    [ "$ec_status" -eq 255 ]
    grep -qi 'SSL' "$EC_TMP/ec.err"
    ec_raw --endpoint-url "$SIM_HTTPS_URL" --ca-bundle "$SIM_CA" describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
    AWS_CA_BUNDLE=$SIM_CA ec_raw --endpoint-url "$SIM_HTTPS_URL" describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
    ec_raw --endpoint-url "$SIM_HTTPS_URL" --no-verify-ssl describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
}

@test "255: a malformed response body" {
    sim_ctl POST /_sim/fault '{"action":"DescribeCacheClusters","kind":"malformed","count":10}' >/dev/null
    ec describe-cache-clusters
    show
    [ "$ec_status" -eq 255 ]
    [ ! -s "$EC_TMP/ec.out" ]
}

@test "--debug: canonical request and string to sign on stderr, never the secret" {
    ec --debug describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
    grep -q 'CanonicalRequest' "$EC_TMP/ec.err"
    grep -q 'StringToSign' "$EC_TMP/ec.err"
    grep -q 'AWS4-HMAC-SHA256' "$EC_TMP/ec.err"
    refute_in_files "$AWS_SECRET_ACCESS_KEY" "$EC_TMP/ec.err" "$EC_TMP/ec.out"
    # stdout is still only the JSON.
    [ "$(jget "$EC_TMP/ec.out" CacheClusters.0.CacheClusterId)" = demo-redis ]
}

@test "--debug with a session token never shows the token" {
    export AWS_ACCESS_KEY_ID=$TOKEN_AK AWS_SECRET_ACCESS_KEY=$TOKEN_SK AWS_SESSION_TOKEN=$TOKEN
    ec --debug describe-cache-clusters --cache-cluster-id demo-redis
    show
    # Accepted: the token was signed and sent, and the sim knows it.
    [ "$ec_status" -eq 0 ]
    grep -q '^debug:   x-amz-security-token:\*\*\*\*$' "$EC_TMP/ec.err"
    refute_in_files "$TOKEN" "$EC_TMP/ec.err" "$EC_TMP/ec.out"
    refute_in_files "$TOKEN_SK" "$EC_TMP/ec.err" "$EC_TMP/ec.out"
    [ "$(jget "$EC_TMP/ec.out" CacheClusters.0.CacheClusterId)" = demo-redis ]
}

@test "an error answer with a session token never shows the token" {
    # A token the sim does not know for these keys: InvalidClientTokenId.
    export AWS_SESSION_TOKEN=$TOKEN
    ec --debug describe-cache-clusters --cache-cluster-id demo-redis
    show
    [ "$ec_status" -eq 254 ]
    grep -q '(InvalidClientTokenId)' "$EC_TMP/ec.err"
    refute_in_files "$TOKEN" "$EC_TMP/ec.err" "$EC_TMP/ec.out"
}

@test "255: a session token with a line break is refused before any request, as aws refuses it" {
    # Issue 8, item 12: a CR/LF in a header value would start a header of
    # its own. The AWS CLI refuses it with 255 (and prints the token); this
    # refuses it with 255 and never prints it. A tab, any control
    # character, is refused too.
    local bad
    for bad in $'Token\r\nX-Injected: 1' $'Token\nX-Injected: 1' $'To\tken'; do
        cli_reset
        AWS_SESSION_TOKEN=$bad ec describe-cache-clusters --cache-cluster-id demo-redis
        show
        [ "$ec_status" -eq 255 ]
        [ ! -s "$EC_TMP/ec.out" ]
        grep -q 'session token has a control character' "$EC_TMP/ec.err"
        refute_in_files "X-Injected" "$EC_TMP/ec.err"
        [ "$(sim_count '*')" -eq 0 ]
    done
    # The AWS CLI's own status for the same token.
    AWS_SESSION_TOKEN=$'Token\r\nX-Injected: 1' awsc describe-cache-clusters --cache-cluster-id demo-redis
    [ "$aws_status" -eq 255 ]
    # The safe reboot sends nothing either.
    cli_reset
    AWS_SESSION_TOKEN=$'Token\r\nX-Injected: 1' ec reboot-cache-cluster --cache-cluster-id demo-memcached --wait
    [ "$ec_status" -eq 255 ]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "a FIFO named as the config or credentials file never blocks: skipped, as aws skips it" {
    # Issue 8, item 13. Nothing ever writes to these FIFOs: a read would
    # block until the timeout kills the CLI (124).
    local fifo_config=$EC_TMP/config.fifo fifo_creds=$EC_TMP/credentials.fifo
    rm -f "$fifo_config" "$fifo_creds"
    mkfifo "$fifo_config" "$fifo_creds"
    ec_status=0
    AWS_CONFIG_FILE=$fifo_config AWS_SHARED_CREDENTIALS_FILE=$fifo_creds \
        timeout 30 "$CLI" --endpoint-url "$SIM_URL" describe-cache-clusters --cache-cluster-id demo-redis \
        >"$EC_TMP/ec.out" 2>"$EC_TMP/ec.err" </dev/null || ec_status=$?
    show
    [ "$ec_status" -eq 0 ]
    [ "$(jget "$EC_TMP/ec.out" CacheClusters.0.CacheClusterId)" = demo-redis ]
    # With no credentials elsewhere, the error says why the files were not
    # read, at once.
    ec_status=0
    env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
        AWS_CONFIG_FILE=$fifo_config AWS_SHARED_CREDENTIALS_FILE=$fifo_creds \
        timeout 30 "$CLI" --endpoint-url "$SIM_URL" describe-cache-clusters --cache-cluster-id demo-redis \
        >"$EC_TMP/ec.out" 2>"$EC_TMP/ec.err" </dev/null || ec_status=$?
    show
    [ "$ec_status" -eq 253 ]
    grep -q "$fifo_creds: not a regular file, skipped" "$EC_TMP/ec.err"
    grep -q "$fifo_config: not a regular file, skipped" "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 1 ]
    rm -f "$fifo_config" "$fifo_creds"
}
