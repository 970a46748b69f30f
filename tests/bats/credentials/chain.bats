#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The chain's order end to end: with several providers configured at once,
# the first in botocore's order wins and the others are never contacted.
# (Every pairing is in the unit case folders, tests/unit/credentials/chain.)

bats_require_minimum_version 1.5.0
load helpers

setup_file() { creds_setup_file; }
teardown_file() { sim_stop; }
setup() {
    creds_reset
    # Everything at once: IMDS, a container endpoint, web identity, a
    # credential_process in the default profile.
    use_imds
    export AWS_CONTAINER_CREDENTIALS_FULL_URI=$SIM_URL/container/chain
    use_web_identity
    printf '#!/bin/sh\necho process >>"$0.ran"\nprintf "{\\"Version\\": 1, \\"AccessKeyId\\": \\"AKIDEXAMPLE\\", \\"SecretAccessKey\\": \\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\\"}"\n' >"$T/proc.sh"
    chmod +x "$T/proc.sh"
    use_profiles "[default]
credential_process = $T/proc.sh
[profile base]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
[profile role]
role_arn = arn:aws:iam::123456789012:role/ops
source_profile = base"
    export AWS_ENDPOINT_URL_STS=$SIM_URL
}

contacted() { # the credential services asked, in one line
    echo "web=$(sim_count AssumeRoleWithWebIdentity) role=$(sim_count AssumeRole)" \
        "container=$(sim_count ContainerCredentials) imds=$(sim_count IMDS:token)" \
        "process=$([[ -e $T/proc.sh.ran ]] && wc -l <"$T/proc.sh.ran" || echo 0)"
}

@test "env keys win over everything after them" {
    export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
    describe
    [ "$ec_status" -eq 0 ]
    [ "$(contacted)" = "web=0 role=0 container=0 imds=0 process=0" ]
}

@test "web identity wins over SSO, the files, credential_process, containers and IMDS" {
    describe
    show
    [ "$ec_status" -eq 0 ]
    [ "$(contacted)" = "web=1 role=0 container=0 imds=0 process=0" ]
}

@test "an explicit profile: no env variables, its assume-role wins" {
    export AWS_ACCESS_KEY_ID=AKIDNOTUSED AWS_SECRET_ACCESS_KEY=x
    describe --profile role
    show
    [ "$ec_status" -eq 0 ]
    # web identity's variables are ignored with a named profile as well
    [ "$(contacted)" = "web=0 role=1 container=0 imds=0 process=0" ]
}

@test "credential_process wins over containers and IMDS" {
    unset AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN
    describe
    [ "$ec_status" -eq 0 ]
    [ "$(contacted)" = "web=0 role=0 container=0 imds=0 process=1" ]
}

@test "container credentials win over IMDS" {
    unset AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN
    : >"$AWS_CONFIG_FILE"
    describe
    [ "$ec_status" -eq 0 ]
    [ "$(contacted)" = "web=0 role=0 container=1 imds=0 process=0" ]
}

@test "IMDS last" {
    unset AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_CONTAINER_CREDENTIALS_FULL_URI
    : >"$AWS_CONFIG_FILE"
    describe
    [ "$ec_status" -eq 0 ]
    [ "$(contacted)" = "web=0 role=0 container=0 imds=1 process=0" ]
}

@test "a provider that is configured and fails stops the chain: no fall-through to IMDS" {
    use_web_identity wrong-token
    describe
    [ "$ec_status" -eq 253 ]
    [ "$(contacted)" = "web=1 role=0 container=0 imds=0 process=0" ]
}
