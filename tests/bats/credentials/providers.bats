#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Each credential provider end to end, through the CLI against the
# simulator's credential services: the success path (the ElastiCache call
# signed with what the provider got) and its failure modes, each failing
# with the provider named, the reason, exit 253, and nothing sent to
# ElastiCache.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { creds_setup_file; }
teardown_file() { sim_stop; }
setup() { creds_reset; }
teardown() { stop_blackhole; }

# The ElastiCache call was made, signed with credentials the sim issued.
signed_with_issued() {
    local keys
    keys=$(access_keys DescribeCacheClusters)
    [[ -n $keys && $keys != *AKIDEXAMPLE* && $keys == ASIASIM* ]]
}

# --- env --------------------------------------------------------------------

@test "env: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY sign the call" {
    export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    describe --debug
    show
    [ "$ec_status" -eq 0 ]
    grep -q "credentials from env (AKIDEXAMPLE)" "$EC_TMP/ec.err"
    [ "$(access_keys DescribeCacheClusters)" = AKIDEXAMPLE ]
}

# --- IMDS -------------------------------------------------------------------

@test "iam-role: IMDSv2 token, role, credentials; the call is signed with them" {
    use_imds
    describe
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued
    [ "$(sim_count IMDS:token)" -eq 1 ]
    [ "$(sim_count IMDS:role)" -eq 1 ]
    [ "$(sim_count IMDS:credentials)" -eq 1 ]
    # every IMDS GET carried the token (the sim refuses v1 unless told)
    [ "$(request_field IMDS:credentials status)" = 200 ]
    run -0 sim_ctl GET '/_sim/requests?action=IMDS:role'
    [[ $output == *'"x-aws-ec2-metadata-token": "****"'* ]]
}

@test "iam-role: the region comes from IMDS when nothing else gives one" {
    use_imds
    unset AWS_REGION AWS_DEFAULT_REGION
    creds_config '{"imds_region": "ap-south-1"}'
    describe
    show
    # signed for the IMDS region, which this sim (us-east-1) refuses by name
    [ "$ec_status" -eq 254 ]
    grep -q "Credential should be scoped to a valid region, not 'ap-south-1'" "$EC_TMP/ec.err"
    [ "$(sim_count IMDS:region)" -eq 1 ]
    creds_config '{"imds_region": "us-east-1"}'
    describe
    [ "$ec_status" -eq 0 ]
    # a region from the environment wins: IMDS is not asked for one
    export AWS_REGION=us-east-1
    sim_ctl DELETE /_sim/requests >/dev/null
    describe
    [ "$ec_status" -eq 0 ]
    [ "$(sim_count IMDS:region)" -eq 0 ]
}

@test "iam-role: no region anywhere and IMDS disabled is the AWS CLI's region error" {
    unset AWS_REGION AWS_DEFAULT_REGION
    export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    describe
    [ "$ec_status" -eq 253 ]
    grep -q 'You must specify a region' "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "iam-role: IMDSv1 only where botocore falls back (token 403/404/405), never after a 400" {
    use_imds
    creds_config '{"imds_token_status": 403, "imds_v1": true}'
    describe
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued
    run -0 sim_ctl GET '/_sim/requests?action=IMDS:credentials'
    [[ $output != *x-aws-ec2-metadata-token* ]]
    # an IMDS that requires tokens but failed to give one: no credentials
    creds_config '{"imds_token_status": 404, "imds_v1": false}'
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "Unable to locate credentials" "$EC_TMP/ec.err"
    grep -q "iam-role (instance metadata service $SIM_URL: HTTP 401" "$EC_TMP/ec.err"
    # 400 to the token request: botocore gives up without asking further
    sim_ctl DELETE /_sim/requests >/dev/null
    creds_config '{"imds_token_status": 400, "imds_v1": true}'
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "refused the token request (HTTP 400)" "$EC_TMP/ec.err"
    [ "$(sim_count IMDS:role)" -eq 0 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 0 ]
}

@test "iam-role: no role on the instance lists what was tried, in order" {
    use_imds
    creds_config '{"imds_role": ""}'
    describe
    show
    [ "$ec_status" -eq 253 ]
    grep -q 'Unable to locate credentials. You can configure credentials by running "aws configure". Tried, in order: explicit, env, assume-role, assume-role-with-web-identity, sso, shared-credentials-file, custom-process, config-file, ec2-credentials-file, boto-config, container-role, iam-role (instance metadata service' "$EC_TMP/ec.err"
    grep -q "HTTP 404 (empty) for $SIM_URL/latest/meta-data/iam/security-credentials/" "$EC_TMP/ec.err"
    [ "$(sim_count DescribeCacheClusters)" -eq 0 ]
}

@test "iam-role: EC2 could not assume the role (IMDS Code) is no credentials" {
    use_imds
    creds_config '{"imds_code": "AssumeRoleUnauthorizedAccess"}'
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "the instance metadata service said AssumeRoleUnauthorizedAccess" "$EC_TMP/ec.err"
}

@test "iam-role: an unreachable IMDS is bounded by its 1 s timeout, not the 60 s read timeout" {
    local port start
    start_blackhole
    port=$BLACKHOLE_PORT
    unset AWS_EC2_METADATA_DISABLED
    export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:$port/
    start=$(now)
    describe --cli-read-timeout 60
    show
    [ "$ec_status" -eq 253 ]
    grep -q "Unable to locate credentials" "$EC_TMP/ec.err"
    grep -q "instance metadata service http://127.0.0.1:$port/: no answer from" "$EC_TMP/ec.err"
    # token PUT (1 s) then the role GET (1 s): well under the read timeout
    elapsed_at_least "$start" 1
    elapsed_below "$start" 15
    [ "$(sim_count DescribeCacheClusters)" -eq 0 ]
}

@test "iam-role: AWS_METADATA_SERVICE_TIMEOUT and _NUM_ATTEMPTS are honoured" {
    local port start
    start_blackhole
    port=$BLACKHOLE_PORT
    unset AWS_EC2_METADATA_DISABLED
    export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:$port
    export AWS_METADATA_SERVICE_TIMEOUT=0.5 AWS_METADATA_SERVICE_NUM_ATTEMPTS=2
    start=$(now)
    describe --debug
    [ "$ec_status" -eq 253 ]
    grep -q "credentials from iam-role (http://127.0.0.1:$port, timeout 0.5 s, 2 attempts)" "$EC_TMP/ec.err"
    # the token request's read timeout falls back to v1 at once; the role
    # GET is tried twice
    [ "$(grep -c "^debug: iam-role: .*no answer from http://127.0.0.1:$port" "$EC_TMP/ec.err")" -eq 3 ]
    elapsed_below "$start" 15
}

@test "iam-role: AWS_EC2_METADATA_DISABLED=true: never contacted" {
    export AWS_EC2_METADATA_SERVICE_ENDPOINT=$SIM_URL
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "iam-role (AWS_EC2_METADATA_DISABLED is true)" "$EC_TMP/ec.err"
    [ "$(sim_count IMDS:token)" -eq 0 ]
    [ "$(sim_count IMDS:credentials)" -eq 0 ]
}

@test "iam-role: expired credentials are extended as botocore does; ElastiCache then says ExpiredToken" {
    use_imds
    creds_config '{"lifetime": -30}'
    describe --debug
    show
    [ "$ec_status" -eq 254 ]
    grep -q "Attempting credential expiration extension" "$EC_TMP/ec.err"
    grep -q "An error occurred (ExpiredToken) when calling the DescribeCacheClusters operation" "$EC_TMP/ec.err"
}

# --- container ----------------------------------------------------------------

@test "container-role: FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN" {
    creds_config '{"container_token": "ecsim-container-token"}'
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=$SIM_URL/container/v2/credentials/task
    export AWS_CONTAINER_AUTHORIZATION_TOKEN=ecsim-container-token
    describe --debug
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued
    grep -q "credentials from container-role ($SIM_URL/container/v2/credentials/task)" "$EC_TMP/ec.err"
    [ "$(sim_count ContainerCredentials)" -eq 1 ]
}

@test "container-role: the token file (EKS Pod Identity) is read again at each refresh" {
    creds_config '{"container_token": "token-one", "lifetime": 5}'
    printf 'token-one' >"$T/pod-token"
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=$SIM_URL/container/v1/credentials
    export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$T/pod-token
    export AWS_CONTAINER_AUTHORIZATION_TOKEN=ignored-when-a-file-is-set
    describe
    show
    [ "$ec_status" -eq 0 ]
    # the token rotates: the next fetch sends the new one
    creds_config '{"container_token": "token-two"}'
    printf 'token-two' >"$T/pod-token"
    describe
    [ "$ec_status" -eq 0 ]
    [ "$(request_field ContainerCredentials status | tr '\n' ' ')" = "200 200 " ]
}

@test "container-role: a missing authorization token file is a clear error, nothing sent" {
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=$SIM_URL/container/x
    export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$T/no-such-token
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "container-role: the authorization token file $T/no-such-token does not exist" "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "container-role: a wrong token fails after botocore's 3 attempts, naming the provider" {
    creds_config '{"container_token": "right"}'
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=$SIM_URL/container/x
    export AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong
    describe
    show
    [ "$ec_status" -eq 253 ]
    grep -q "container-role: Error retrieving credentials from the container credentials endpoint: Received non 200 response (401) from $SIM_URL/container/x" "$EC_TMP/ec.err"
    [ "$(sim_count ContainerCredentials)" -eq 3 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 0 ]
}

@test "container-role: a FULL_URI host botocore does not allow is refused before any request" {
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.169.254.nip.io/creds
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "container-role: Unsupported host '169.254.169.254.nip.io'" "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "container-role: a token with a line break never reaches a header" {
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=$SIM_URL/container/x
    printf 'tok\nX-Injected: 1' >"$T/pod-token"
    export AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$T/pod-token
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "container authorization token has a control character" "$EC_TMP/ec.err"
    [ "$(sim_count ContainerCredentials)" -eq 0 ]
}

@test "container-role: credentials that are already expired are refused as botocore does" {
    creds_config '{"lifetime": -60}'
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=$SIM_URL/container/x
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "container-role: Credentials were refreshed, but the refreshed credentials are still expired." "$EC_TMP/ec.err"
    [ "$(sim_count DescribeCacheClusters)" -eq 0 ]
}

# --- web identity --------------------------------------------------------------

@test "web identity: AssumeRoleWithWebIdentity, unsigned, with the token file's content" {
    use_web_identity
    export AWS_ROLE_SESSION_NAME=ci-job-42
    describe --debug
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued
    [ "$(sim_count AssumeRoleWithWebIdentity)" -eq 1 ]
    [ "$(request_field AssumeRoleWithWebIdentity signature)" = unsigned ]
    run -0 sim_ctl GET '/_sim/requests?action=AssumeRoleWithWebIdentity'
    [[ $output != *'"Authorization"'* ]]
    [[ $output == *'"RoleSessionName": "ci-job-42"'* ]]
    [[ $output == *"\"RoleArn\": \"$ROLE_ARN\""* ]]
    [[ $output == *'"WebIdentityToken": "****"'* ]]
}

@test "web identity: a wrong token is STS's InvalidIdentityToken, named" {
    use_web_identity not-the-token
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "assume-role-with-web-identity: An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation" "$EC_TMP/ec.err"
    [ "$(sim_count DescribeCacheClusters)" -eq 0 ]
}

@test "web identity: a missing or empty token file is a clear error" {
    use_web_identity
    rm "$T/web-identity-token"
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "assume-role-with-web-identity: the web identity token file $T/web-identity-token does not exist" "$EC_TMP/ec.err"
    : >"$T/web-identity-token"
    describe
    grep -q "is empty" "$EC_TMP/ec.err"
    [ "$(sim_count AssumeRoleWithWebIdentity)" -eq 0 ]
}

@test "web identity: a token path that is a FIFO or a directory never blocks, clear error" {
    use_web_identity
    rm "$T/web-identity-token"
    mkfifo "$T/web-identity-token"
    run -253 timeout 20 "$CLI" --endpoint-url "$SIM_URL" describe-cache-clusters --cache-cluster-id demo-redis
    [[ $output == *"the web identity token file $T/web-identity-token is not a regular file"* ]]
    export AWS_WEB_IDENTITY_TOKEN_FILE=$T
    run -253 "$CLI" --endpoint-url "$SIM_URL" describe-cache-clusters --cache-cluster-id demo-redis
    [[ $output == *"the web identity token file $T is not a regular file"* ]]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "web identity: without AWS_ROLE_ARN or role_arn, botocore's configuration error" {
    use_web_identity
    unset AWS_ROLE_ARN
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "configured to assume role with web identity but has no role ARN configured" "$EC_TMP/ec.err"
}

@test "web identity: profile keys, STS endpoint from the profile's services section" {
    printf 'ecsim-web-identity-token' >"$T/token"
    use_profiles "[profile ci]
web_identity_token_file = $T/token
role_arn = $ROLE_ARN
role_session_name = from-profile
services = local-sts
[services local-sts]
sts =
  endpoint_url = $SIM_URL"
    describe --profile ci
    show
    [ "$ec_status" -eq 0 ]
    run -0 sim_ctl GET '/_sim/requests?action=AssumeRoleWithWebIdentity'
    [[ $output == *'"RoleSessionName": "from-profile"'* ]]
}

# --- assume role -------------------------------------------------------------------

PROFILES='[profile base]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = base
role_session_name = nightly-reboot
external_id = ext-4242
duration_seconds = 1800
[profile outer]
role_arn = arn:aws:iam::210987654321:role/ops
source_profile = deploy
[profile loop-a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = loop-a
[profile with-mfa]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/ops
[profile from-env]
role_arn = arn:aws:iam::123456789012:role/deploy
credential_source = Environment'

@test "assume-role: source_profile; AssumeRole SigV4-verified by the sim with the source keys" {
    use_profiles "$PROFILES"
    export AWS_ENDPOINT_URL_STS=$SIM_URL
    describe --profile deploy
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued
    [ "$(access_keys AssumeRole)" = AKIDEXAMPLE ]
    [ "$(request_field AssumeRole signature)" = ok ]
    run -0 sim_ctl GET '/_sim/requests?action=AssumeRole'
    [[ $output == *'"RoleSessionName": "nightly-reboot"'* ]]
    [[ $output == *'"ExternalId": "ext-4242"'* ]]
    [[ $output == *'"DurationSeconds": "1800"'* ]]
}

@test "assume-role: a chain of roles, each AssumeRole signed with the previous role's session" {
    use_profiles "$PROFILES"
    export AWS_ENDPOINT_URL_STS=$SIM_URL
    describe --profile outer
    show
    [ "$ec_status" -eq 0 ]
    run -0 access_keys AssumeRole
    [ "${#lines[@]}" -eq 2 ]
    [ "${lines[0]}" = AKIDEXAMPLE ]
    [[ ${lines[1]} == ASIASIM* ]]
    # the second AssumeRole carried the first one's session token (checked)
    [ "$(request_field AssumeRole signature | tr '\n' ' ')" = "ok ok " ]
}

@test "assume-role: a loop in source profiles is a clear error, nothing sent" {
    use_profiles "$PROFILES"
    export AWS_ENDPOINT_URL_STS=$SIM_URL
    describe --profile loop-a
    [ "$ec_status" -eq 253 ]
    grep -q "Infinite loop in credential configuration detected. Attempting to load from profile loop-a which has already been visited. Visited profiles: \['loop-a', 'loop-b'\]" "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "assume-role: mfa_serial is refused: these tools cannot prompt" {
    use_profiles "$PROFILES"
    describe --profile with-mfa
    [ "$ec_status" -eq 253 ]
    grep -q 'assume-role: profile "with-mfa" sets mfa_serial' "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "assume-role: credential_source Environment; a wrong session token is STS's InvalidClientTokenId" {
    use_profiles "$PROFILES"
    export AWS_ENDPOINT_URL_STS=$SIM_URL
    export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    describe --profile from-env
    [ "$ec_status" -eq 0 ]
    export AWS_SESSION_TOKEN=a-token-the-sim-never-issued
    describe --profile from-env
    show
    [ "$ec_status" -eq 253 ]
    grep -q "assume-role: An error occurred (InvalidClientTokenId) when calling the AssumeRole operation: The security token included in the request is invalid." "$EC_TMP/ec.err"
}

@test "assume-role: AccessDenied from STS names the provider and the role" {
    use_profiles "$PROFILES"
    export AWS_ENDPOINT_URL_STS=$SIM_URL
    creds_config '{"deny_roles": ["arn:aws:iam::123456789012:role/deploy"]}'
    describe --profile deploy
    [ "$ec_status" -eq 253 ]
    grep -q "assume-role: An error occurred (AccessDenied) when calling the AssumeRole operation: User is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/deploy" "$EC_TMP/ec.err"
    # an error answer is not retried
    [ "$(sim_count AssumeRole)" -eq 1 ]
}

@test "assume-role: STS through AWS_ENDPOINT_URL (the global override) and the profile's endpoint_url" {
    use_profiles "$PROFILES"
    export AWS_ENDPOINT_URL=$SIM_URL
    "$CLI" --profile deploy describe-cache-clusters --cache-cluster-id demo-redis >/dev/null
    [ "$(sim_count AssumeRole)" -eq 1 ]
    unset AWS_ENDPOINT_URL
    use_profiles "$PROFILES
[profile via-profile]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = base
endpoint_url = $SIM_URL"
    "$CLI" --profile via-profile describe-cache-clusters --cache-cluster-id demo-redis >/dev/null
    [ "$(sim_count AssumeRole)" -eq 2 ]
}

# --- SSO ----------------------------------------------------------------------------

sso_profiles() {
    use_profiles "[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = EcsimSsoRole
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = EcsimSsoRole"
    export HOME=$T/home AWS_ENDPOINT_URL_SSO=$SIM_URL
    mkdir -p "$HOME/.aws/sso/cache"
}

sso_token() { # NAME-OR-URL EXPIRES [TOKEN]
    local f
    f=$(printf '%s' "$1" | sha1sum | cut -c1-40)
    printf '{"startUrl": "x", "region": "us-east-1", "accessToken": "%s", "expiresAt": "%s"}' \
        "${3:-ecsim-sso-access-token}" "$2" >"$HOME/.aws/sso/cache/$f.json"
}

@test "sso: sso_session profile, the AWS CLI v2's cached token, GetRoleCredentials" {
    sso_profiles
    sso_token corp 2099-01-01T00:00:00Z
    describe --profile dev
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued
    [ "$(sim_count GetRoleCredentials)" -eq 1 ]
    run -0 sim_ctl GET '/_sim/requests?action=GetRoleCredentials'
    [[ $output == *'"x-amz-sso_bearer_token": "****"'* ]]
}

@test "sso: the legacy sso_start_url form (token cached by start URL)" {
    sso_profiles
    sso_token https://legacy.awsapps.com/start 2099-01-01T00:00:00Z
    describe --profile legacy
    show
    [ "$ec_status" -eq 0 ]
    signed_with_issued
}

@test "sso: an expired or missing token says to run aws sso login, nothing sent" {
    sso_profiles
    sso_token corp 2020-01-01T00:00:00Z
    describe --profile dev
    [ "$ec_status" -eq 253 ]
    grep -q 'sso: The SSO session associated with this profile has expired. To refresh this SSO session run "aws sso login --profile dev".' "$EC_TMP/ec.err"
    rm "$HOME"/.aws/sso/cache/*.json
    describe --profile dev
    [ "$ec_status" -eq 253 ]
    grep -q 'Token for corp does not exist' "$EC_TMP/ec.err"
    grep -q 'aws sso login --profile dev' "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "sso: a token the portal rejects (401) says to log in again" {
    sso_profiles
    sso_token corp 2099-01-01T00:00:00Z revoked-token
    describe --profile dev
    [ "$ec_status" -eq 253 ]
    grep -q 'sso: The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run "aws sso login --profile dev".' "$EC_TMP/ec.err"
    [ "$(sim_count GetRoleCredentials)" -eq 1 ]
    [ "$(sim_count DescribeCacheClusters)" -eq 0 ]
}

# --- credential_process ----------------------------------------------------------------

helper() { # NAME BODY: an executable helper script in $T
    printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
    chmod +x "$T/$1"
}

@test "custom-process: Version 1 JSON; argv split as botocore, no shell; its stderr passed through" {
    helper creds.sh 'printf "%s\n" "$@" >"$0.args"
echo "helper: fetching from the vault" >&2
printf "{\"Version\": 1, \"AccessKeyId\": \"AKIDEXAMPLE\", \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"}"'
    use_profiles "[default]
credential_process = $T/creds.sh --role 'ops team' \"\$(touch $T/pwned)\" ';' x"
    describe
    show
    [ "$ec_status" -eq 0 ]
    [ "$(access_keys DescribeCacheClusters)" = AKIDEXAMPLE ]
    grep -q "helper: fetching from the vault" "$EC_TMP/ec.err"
    [ ! -e "$T/pwned" ]
    run -0 cat "$T/creds.sh.args"
    [ "${lines[0]}" = --role ]
    [ "${lines[1]}" = "ops team" ]
    [ "${lines[2]}" = "\$(touch $T/pwned)" ]
    [ "${lines[3]}" = ";" ]
}

@test "custom-process: bad JSON, a wrong Version, a non-zero exit: clear errors" {
    helper bad.sh 'echo "not json"'
    use_profiles "[default]
credential_process = $T/bad.sh"
    describe
    [ "$ec_status" -eq 253 ]
    grep -q "custom-process: the credential_process output is not a JSON object" "$EC_TMP/ec.err"
    helper v2.sh 'echo "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}"'
    use_profiles "[default]
credential_process = $T/v2.sh"
    describe
    grep -q "custom-process: Unsupported version '2' for credential process provider, supported versions: 1" "$EC_TMP/ec.err"
    helper fails.sh 'echo "vault sealed" >&2; exit 3'
    use_profiles "[default]
credential_process = $T/fails.sh"
    describe
    [ "$ec_status" -eq 253 ]
    grep -q 'custom-process: Error when retrieving credentials from custom-process: credential_process "'"$T"'/fails.sh" exited with status 3' "$EC_TMP/ec.err"
    grep -q "vault sealed" "$EC_TMP/ec.err"
    use_profiles "[default]
credential_process = $T/no-such-helper"
    describe
    grep -q "cannot run credential_process \"$T/no-such-helper\": No such file or directory" "$EC_TMP/ec.err"
    [ "$(sim_count '*')" -eq 0 ]
}

@test "custom-process: a helper that hangs is killed at the timeout" {
    helper hang.sh 'sleep 600 &
echo $! >"$0.child"
wait'
    use_profiles "[default]
credential_process = $T/hang.sh"
    local start
    start=$(now)
    run "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" --credential-process-timeout 1 \
        describe-cache-clusters --cache-cluster-id demo-redis
    echo "$output"
    [ "$status" -eq 4 ] # EC_ERR_CREDENTIALS
    [[ $output == *'custom-process: credential_process "'"$T"'/hang.sh" did not finish within 1 s; it was killed'* ]]
    elapsed_below "$start" 20
    # its whole process group is gone, the helper's own child too
    [ -s "$T/hang.sh.child" ]
    local child i
    child=$(cat "$T/hang.sh.child")
    for ((i = 0; i < 100; i++)); do # a zombie waiting for its reaper is gone too
        [[ ! -e /proc/$child || $(awk '{print $3}' "/proc/$child/stat" 2>/dev/null) == Z ]] && break
        sleep 0.1
    done
    [[ ! -e /proc/$child || $(awk '{print $3}' "/proc/$child/stat" 2>/dev/null) == Z ]]
    run ! pgrep -f "$T/hang.sh"
}

@test "custom-process: an Expiration makes it run again when due" {
    helper exp.sh 'n=$(cat "$0.n" 2>/dev/null || echo 0); echo $((n + 1)) >"$0.n"
printf "{\"Version\": 1, \"AccessKeyId\": \"AKIDEXAMPLE\", \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\", \"Expiration\": \"%s\"}" "$(date -u -d "+5 minutes" +%Y-%m-%dT%H:%M:%SZ)"'
    use_profiles "[default]
credential_process = $T/exp.sh"
    run -0 "$EC_BIN/ec_call" --endpoint-url "$SIM_URL" --repeat 3 --summary \
        describe-cache-clusters --cache-cluster-id demo-redis
    # 5 minutes left is inside the mandatory window: fetched for each call
    [ "$(cat "$T/exp.sh.n")" -eq 3 ]
}

# --- files that are not files -------------------------------------------------------------

@test "ec2-credentials-file and boto config: read as botocore does; a FIFO is skipped" {
    printf 'AWSAccessKeyId=AKIDEXAMPLE\nAWSSecretKey=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' >"$T/ec2"
    AWS_CREDENTIAL_FILE=$T/ec2 ec --debug describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
    grep -q "credentials from ec2-credentials-file (AKIDEXAMPLE)" "$EC_TMP/ec.err"
    printf '[Credentials]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' >"$T/boto"
    BOTO_CONFIG=$T/boto ec --debug describe-cache-clusters --cache-cluster-id demo-redis
    [ "$ec_status" -eq 0 ]
    grep -q "credentials from boto-config (AKIDEXAMPLE)" "$EC_TMP/ec.err"
    mkfifo "$T/ec2-fifo"
    run -253 timeout 20 env AWS_CREDENTIAL_FILE="$T/ec2-fifo" "$CLI" --endpoint-url "$SIM_URL" \
        describe-cache-clusters --cache-cluster-id demo-redis
    [[ $output == *"ec2-credentials-file ($T/ec2-fifo: not a regular file, skipped)"* ]]
}

@test "shared files: a FIFO named as config or credentials file never blocks" {
    mkfifo "$T/config-fifo" "$T/creds-fifo"
    export AWS_CONFIG_FILE=$T/config-fifo AWS_SHARED_CREDENTIALS_FILE=$T/creds-fifo
    export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    run -0 timeout 20 "$CLI" --endpoint-url "$SIM_URL" describe-cache-clusters --cache-cluster-id demo-redis
    unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    run -253 timeout 20 "$CLI" --endpoint-url "$SIM_URL" describe-cache-clusters --cache-cluster-id demo-redis
    [[ $output == *"shared-credentials-file ($T/creds-fifo: not a regular file, skipped)"* ]]
    [[ $output == *"config-file ($T/config-fifo: not a regular file, skipped)"* ]]
}
