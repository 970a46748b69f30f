#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The module under real ansible-playbook with no credentials in the play:
# the library's chain (one chain, the same for every tool) finds the
# instance role (IMDSv2) or the web identity (CI OIDC) in the environment
# the module inherits. With -vvv, no secret key, session token or web
# identity token appears in the output or the registered result.

bats_require_minimum_version 1.5.0
load ../../lib/common
load ../credentials/helpers

setup_file() {
    load ../../lib/common
    local src=$EC_BUILD/ansible/ansible_collections/elasticache_tools/elasticache
    compgen -G "$src/native/elasticache_reboot.*" >/dev/null || {
        echo "the collection is not built in $src (cmake --build ... --target ansible_collection)" >&2
        return 1
    }
    export ANSIBLE_COLLECTIONS_PATH=$BATS_FILE_TMPDIR/collections
    /usr/bin/ansible-galaxy collection build --output-path "$BATS_FILE_TMPDIR/dist" "$src" \
        >"$BATS_FILE_TMPDIR/galaxy.log" 2>&1 &&
        /usr/bin/ansible-galaxy collection install --offline -p "$ANSIBLE_COLLECTIONS_PATH" \
            "$BATS_FILE_TMPDIR"/dist/elasticache_tools-elasticache-*.tar.gz \
            >>"$BATS_FILE_TMPDIR/galaxy.log" 2>&1 || { cat "$BATS_FILE_TMPDIR/galaxy.log" >&2; return 1; }
    sim_start --reboot-seconds 1 >/dev/null
    export SIM_URL SIM_PID SIM_DIR
}

teardown_file() { sim_stop; }

setup() {
    export ANSIBLE_COLLECTIONS_PATH=$BATS_FILE_TMPDIR/collections
    export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
    export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
    export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=false
    : >"$BATS_FILE_TMPDIR/ansible.cfg"
    export ANSIBLE_CONFIG=$BATS_FILE_TMPDIR/ansible.cfg
    export ANSIBLE_HOME=$BATS_FILE_TMPDIR/ansible-home
    export ANSIBLE_LOCAL_TEMP=$BATS_FILE_TMPDIR/ansible-local
    export ANSIBLE_REMOTE_TEMP=$BATS_FILE_TMPDIR/ansible-remote
    creds_reset
    cd "$BATS_TEST_TMPDIR"
}

playbook() {
    run ansible-playbook -vvv "$BATS_TEST_DIRNAME/playbooks/credentials.yml"
    printf '%s\n' "$output" >"$T/ansible.out"
    echo "$output" | tail -30
    [ "$status" -eq 0 ]
    [[ $output == *"ok=3    changed=1"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    local keys
    keys=$(access_keys RebootCacheCluster)
    [[ $keys == ASIASIM* ]]
    # the registered result is in the -vvv output: no secret there either
    [[ $output == *'"rebooted_node_ids": ['* ]]
    assert_no_secrets "$T/ansible.out"
}

@test "ansible-playbook: instance-role credentials from IMDSv2, nothing in the play" {
    use_imds
    playbook
    [ "$(sim_count IMDS:credentials)" -eq 1 ]
}

@test "ansible-playbook: web identity credentials, nothing in the play" {
    use_web_identity
    playbook
    [ "$(sim_count AssumeRoleWithWebIdentity)" -ge 1 ]
}

@test "ansible-playbook: a failing provider is a failed task naming it, with no secret" {
    use_web_identity wrong-token
    run ansible-playbook -vvv "$BATS_TEST_DIRNAME/playbooks/credentials.yml"
    printf '%s\n' "$output" >"$T/ansible.out"
    [ "$status" -eq 2 ]
    [[ $output == *"assume-role-with-web-identity: An error occurred (InvalidIdentityToken)"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    grep -q wrong-token "$T/web-identity-token"
    run ! grep -qF wrong-token "$T/ansible.out"
    assert_no_secrets "$T/ansible.out"
}
