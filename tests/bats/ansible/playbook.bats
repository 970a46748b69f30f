#!/usr/bin/env bats
# The collection under real ansible-playbook (Debian's ansible-core 2.14)
# against the simulator, implicit localhost: built with ansible-galaxy from
# the build tree, installed into a scratch collections path, documented by
# ansible-doc, run with --check, --diff, -vvv, register and module_defaults.

bats_require_minimum_version 1.5.0
load ../../lib/common

CANARY_ID=AKIDCANARY
CANARY_SECRET=CANARYSECRETxyz0123456789abcdef

ansible_env() {
    export ANSIBLE_COLLECTIONS_PATH=$BATS_FILE_TMPDIR/collections
    export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
    export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
    export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=false
    # An empty ansible.cfg: nothing from the machine or the working directory.
    : >"$BATS_FILE_TMPDIR/ansible.cfg"
    export ANSIBLE_CONFIG=$BATS_FILE_TMPDIR/ansible.cfg
    export ANSIBLE_HOME=$BATS_FILE_TMPDIR/ansible-home
    export ANSIBLE_LOCAL_TEMP=$BATS_FILE_TMPDIR/ansible-local
    export ANSIBLE_REMOTE_TEMP=$BATS_FILE_TMPDIR/ansible-remote
}

setup_file() {
    load ../../lib/common
    local src=$EC_BUILD/ansible/ansible_collections/elasticache_tools/elasticache
    PLATFORM=$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | tr '[:upper:]' '[:lower:]')
    export PLATFORM
    [[ -x $src/native/elasticache_reboot.$PLATFORM ]] || {
        echo "the collection is not built in $src (cmake --build ... --target ansible_collection)" >&2
        return 1
    }
    ansible_env
    mkdir -p "$BATS_FILE_TMPDIR/dist"
    /usr/bin/ansible-galaxy collection build --output-path "$BATS_FILE_TMPDIR/dist" "$src" \
        >"$BATS_FILE_TMPDIR/galaxy-build.log" 2>&1 || { cat "$BATS_FILE_TMPDIR/galaxy-build.log" >&2; return 1; }
    /usr/bin/ansible-galaxy collection install --offline -p "$ANSIBLE_COLLECTIONS_PATH" \
        "$BATS_FILE_TMPDIR"/dist/elasticache_tools-elasticache-*.tar.gz \
        >"$BATS_FILE_TMPDIR/galaxy-install.log" 2>&1 || { cat "$BATS_FILE_TMPDIR/galaxy-install.log" >&2; return 1; }
    sim_start --reboot-seconds 2 --identity "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" \
        --identity "$CANARY_ID:$CANARY_SECRET" >/dev/null
    export SIM_URL SIM_PID SIM_DIR
}

teardown_file() {
    sim_stop
}

setup() {
    ansible_env
    cd "$BATS_TEST_TMPDIR"
    PB=$BATS_TEST_DIRNAME/playbooks
}

@test "ansible-galaxy: the collection builds from the build tree and installs with the module program" {
    ls "$BATS_FILE_TMPDIR"/dist/elasticache_tools-elasticache-0.1.0.tar.gz
    local installed=$ANSIBLE_COLLECTIONS_PATH/ansible_collections/elasticache_tools/elasticache
    [ -x "$installed/native/elasticache_reboot.$PLATFORM" ]
    [ -f "$installed/plugins/modules/elasticache_reboot.yml" ]
    [ -f "$installed/plugins/modules/elasticache_reboot.py" ]
    [ -f "$installed/plugins/action/elasticache_reboot.py" ]
    [ -x "$installed/native/elasticache_info.$PLATFORM" ]
    [ -f "$installed/plugins/modules/elasticache_info.yml" ]
    [ -f "$installed/plugins/action/elasticache_info.py" ]
    [ -f "$installed/plugins/plugin_utils/native_module.py" ]
    # the collection's description names the platform the program is built for
    grep -q "Module program built for: $PLATFORM" "$installed/MANIFEST.json"
    # Self-contained: it may be copied to hosts without libelasticache.
    run -0 ldd "$installed/native/elasticache_reboot.$PLATFORM"
    [[ $output != *libelasticache* ]]
    run -0 ldd "$installed/native/elasticache_info.$PLATFORM"
    [[ $output != *libelasticache* ]]
    grep -q 'requires_ansible: ">=2.14.0"' "$installed/meta/runtime.yml"
    run -0 /usr/bin/ansible-galaxy collection list elasticache_tools.elasticache
    [[ $output == *"elasticache_tools.elasticache 0.1.0"* ]]
}

@test "the CMake tarball target names the platform and holds the program; ansible/ alone does not build" {
    local out=$EC_BUILD/ansible
    run -0 cmake --build "$EC_BUILD" --target ansible_collection_tarball
    echo "$output"
    [ -f "$out/elasticache_tools-elasticache-0.1.0-$PLATFORM.tar.gz" ]
    run -0 tar -tzf "$out/elasticache_tools-elasticache-0.1.0-$PLATFORM.tar.gz"
    [[ $output == *"native/elasticache_reboot.$PLATFORM"* ]]
    [[ $output == *"native/elasticache_info.$PLATFORM"* ]]
    # the platform-named tarball installs like any other
    run -0 /usr/bin/ansible-galaxy collection install --offline -p "$BATS_TEST_TMPDIR/c" \
        "$out/elasticache_tools-elasticache-0.1.0-$PLATFORM.tar.gz"
    [ -x "$BATS_TEST_TMPDIR/c/ansible_collections/elasticache_tools/elasticache/native/elasticache_reboot.$PLATFORM" ]
    # the source folder is no collection to build: it would have no module
    mkdir -p "$BATS_TEST_TMPDIR/src-dist"
    run /usr/bin/ansible-galaxy collection build --output-path "$BATS_TEST_TMPDIR/src-dist" "$EC_REPO/ansible"
    echo "$output"
    [ "$status" -ne 0 ]
    [[ $output == *"galaxy.yml"* ]]
    [ -z "$(ls "$BATS_TEST_TMPDIR/src-dist")" ]
}

@test "ansible-doc renders the module's sidecar documentation" {
    run -0 /usr/bin/ansible-doc elasticache_tools.elasticache.elasticache_reboot
    [[ $output == *"ELASTICACHE_TOOLS.ELASTICACHE.ELASTICACHE_REBOOT"* ]]
    # Neither target is required alone: one of them is (required_one_of).
    [[ $output == *"- cluster_id"* && $output == *"- replication_group_id"* ]]
    [[ $output == *"- batch_size"* && $output == *"- allow_primary_reboot"* ]]
    [[ $output == *"aliases: [name, cache_cluster_id]"* ]]
    [[ $output == *"check_mode:"*"support: full"* ]]
    [[ $output == *"EXAMPLES:"* && $output == *"RETURN VALUES:"* ]]
    [[ $output == *"- run_on"* && $output == *"- aws_config"* ]]
    # -l lists it with its short description, and no warning (ansible-core
    # 2.14 cannot read a binary in plugins/modules and skips it with one)
    run -0 --separate-stderr /usr/bin/ansible-doc -l elasticache_tools.elasticache
    echo "stdout: $output"
    echo "stderr: $stderr"
    [ -z "$stderr" ]
    [[ ${lines[0]} == "elasticache_tools.elasticache.elasticache_info "*"Describe Amazon ElastiCach"* ]]
    [[ ${lines[1]} == "elasticache_tools.elasticache.elasticache_reboot Reboot Amazon ElastiCache"* ]]
    [ "${#lines[@]}" -eq 2 ]
}

@test "playbook: reboot with wait, register shape, idempotent second run, module_defaults group" {
    sim_ctl DELETE /_sim/requests >/dev/null
    run ansible-playbook "$PB/flow.yml"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"localhost                  : ok=8    changed=3    unreachable=0    failed=0"* ]]
    # The first task and the async one rebooted; the check-mode task sent nothing.
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
    [ "$(sim_node_status pending-memcached 0002)" = available ]
}

@test "--check --diff: reports what would change, sends no RebootCacheCluster" {
    sim_ctl DELETE /_sim/requests >/dev/null
    run env AWS_URL="$SIM_URL" ansible-playbook --check --diff "$EC_REPO/ansible/playbooks/reboot.yml" \
        -e cluster_id=demo-memcached -e node_ids=0002
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"--- before"*"+++ after"* ]]
    [[ $output == *'-            "rebooted": false'*'+            "rebooted": true'* ]]
    [[ $output == *"changed: [localhost]"* ]]
    [[ $output == *"would reboot"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 0 ]
    [ "$(sim_count DescribeCacheClusters)" -ge 1 ]
}

@test "failure: an unknown cluster fails the task with the AWS error" {
    run env AWS_URL="$SIM_URL" ansible-playbook "$EC_REPO/ansible/playbooks/reboot.yml" -e cluster_id=no-such-cluster
    echo "$output"
    [ "$status" -eq 2 ]
    [[ $output == *'fatal: [localhost]: FAILED!'* ]]
    [[ $output == *'"msg": "Failed to reboot cache cluster: An error occurred (CacheClusterNotFound) when calling the DescribeCacheClusters operation: CacheCluster not found: no-such-cluster"'* ]]
    [[ $output == *'"code": "CacheClusterNotFound"'* ]]
}

@test "no_log: the secret appears neither in -vvv output nor in registered results" {
    sim_ctl DELETE /_sim/requests >/dev/null
    run env CANARY_SECRET="$CANARY_SECRET" ansible-playbook -vvv "$PB/secrets.yml"
    echo "$output" | grep -v "$CANARY_SECRET" | tail -40
    [ "$status" -eq 0 ]
    [[ $output == *VALUE_SPECIFIED_IN_NO_LOG_PARAMETER* ]]
    [[ $output != *"$CANARY_SECRET"* ]]
    # The reboot really was signed with the canary identity.
    run -0 sim_ctl GET /_sim/requests
    run -0 /usr/bin/python3 -c 'import json,sys; print(sorted({r["access_key"] for r in json.loads(sys.argv[1]) if r["action"] == "RebootCacheCluster"}))' "$output"
    [ "$output" = "['AKIDCANARY']" ]
}

@test "example playbook: rolling parameter-group apply is idempotent" {
    sim_ctl POST /_sim/clusters/demo-memcached/pending-reboot '{"nodes":["0001","0003"]}' >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    run env AWS_URL="$SIM_URL" ansible-playbook "$EC_REPO/ansible/playbooks/apply-parameter-group.yml" \
        -e cluster_id=demo-memcached -e wait_delay=0.5
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
    run -0 env AWS_URL="$SIM_URL" ansible-playbook "$EC_REPO/ansible/playbooks/apply-parameter-group.yml" \
        -e cluster_id=demo-memcached -e wait_delay=0.5
    [[ $output == *"changed=0"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 2 ]
}

# An inventory with a host nothing can reach (SSH to a closed loopback
# port) and one on a local connection.
run_on_inventory() {
    cat >"$BATS_TEST_TMPDIR/hosts" <<INV
far ansible_host=127.0.0.1 ansible_port=9 ansible_connection=ssh ansible_user=nobody ansible_ssh_common_args='-o ConnectTimeout=2 -o BatchMode=yes -o StrictHostKeyChecking=no'
near ansible_connection=local ansible_python_interpreter=/usr/bin/python3
INV
}

run_on_play() { # HOST ARGS_YAML [TASK_KEYWORDS_YAML]
    cat >"$BATS_TEST_TMPDIR/play.yml" <<PLAY
- hosts: $1
  gather_facts: false
  tasks:
    - elasticache_tools.elasticache.elasticache_reboot:
        cluster_id: demo-memcached
        endpoint_url: "{{ lookup('env', 'SIM_URL') }}"
        wait_delay: 0.5
$2
${3:-}
      register: r
    - ansible.builtin.debug:
        var: r.rebooted_node_ids
PLAY
}

@test "run_on=controller (the default): runs on the controller even for a host it cannot reach" {
    run_on_inventory
    sim_ctl DELETE /_sim/requests >/dev/null
    run_on_play far "        node_ids: ['0001']"
    run ansible-playbook -i "$BATS_TEST_TMPDIR/hosts" "$BATS_TEST_TMPDIR/play.yml"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"far                        : ok=2    changed=1    unreachable=0    failed=0"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    # the same task on that host's side cannot run: it is unreachable
    run_on_play far "        node_ids: ['0001']
        run_on: target"
    run ansible-playbook -i "$BATS_TEST_TMPDIR/hosts" "$BATS_TEST_TMPDIR/play.yml"
    echo "$output"
    [ "$status" -ne 0 ]
    [[ $output == *"UNREACHABLE"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
}

@test "run_on=target copies the program to the host and runs it there; controller mode copies nothing" {
    run_on_inventory
    sim_ctl DELETE /_sim/requests >/dev/null
    run_on_play near "        node_ids: ['0002']
        run_on: target"
    run ansible-playbook -vvv -i "$BATS_TEST_TMPDIR/hosts" "$BATS_TEST_TMPDIR/play.yml"
    echo "$output" | grep -E 'PUT|EXEC|changed' | tail -20
    [ "$status" -eq 0 ]
    [[ $output == *"PUT "*" TO "*"/AnsiballZ_elasticache_reboot.$PLATFORM"* ]]
    [[ $output == *"near                       : ok=2    changed=1"* ]]
    [ "$(sim_count RebootCacheCluster)" -eq 1 ]
    run_on_play near "        node_ids: ['0002']
        only_if_pending: true"
    run ansible-playbook -vvv -i "$BATS_TEST_TMPDIR/hosts" "$BATS_TEST_TMPDIR/play.yml"
    [ "$status" -eq 0 ]
    [[ $output != *"AnsiballZ_elasticache_reboot"* ]]
    [[ $output != *"PUT "* ]]
    [[ $output == *"near                       : ok=2    changed=0"* ]]
}

@test "run_on: a bad value, async on an unreachable host's controller side, and a missing platform fail clearly" {
    run_on_inventory
    run_on_play near "        run_on: elsewhere"
    run ansible-playbook -i "$BATS_TEST_TMPDIR/hosts" "$BATS_TEST_TMPDIR/play.yml"
    [ "$status" -ne 0 ]
    [[ $output == *"value of run_on must be one of: controller, target, got: elsewhere"* ]]
    run_on_play far "" "      async: 60
      poll: 1"
    run ansible-playbook -i "$BATS_TEST_TMPDIR/hosts" "$BATS_TEST_TMPDIR/play.yml"
    echo "$output"
    [ "$status" -ne 0 ]
    [[ $output == *"async with run_on=controller needs the task to run on the controller"* ]]
    # a collection without a program for this platform names what it has
    local c=$BATS_TEST_TMPDIR/other
    mkdir -p "$c"
    cp -a "$ANSIBLE_COLLECTIONS_PATH/ansible_collections" "$c/"
    mv "$c/ansible_collections/elasticache_tools/elasticache/native/elasticache_reboot.$PLATFORM" \
        "$c/ansible_collections/elasticache_tools/elasticache/native/elasticache_reboot.linux-sparc64"
    sim_ctl DELETE /_sim/requests >/dev/null
    run_on_play near ""
    run env ANSIBLE_COLLECTIONS_PATH="$c" ansible-playbook -i "$BATS_TEST_TMPDIR/hosts" "$BATS_TEST_TMPDIR/play.yml"
    echo "$output"
    [ "$status" -ne 0 ]
    [[ $output == *"no module binary for the controller platform $PLATFORM (it has one for: linux-sparc64)"* ]]
    [ "$(sim_count '*')" -eq 0 ]
}

@test "playbook: replication_group_id in check mode plans the steps, then reboots each member once; a primary as cluster_id is refused" {
    sim_ctl POST /_sim/seed "$(cat "$EC_REPO/tests/sim/fixtures/replication-groups.json")" >/dev/null
    sim_ctl POST /_sim/config '{"reboot_seconds": 0.5, "modify_seconds": 0.5}' >/dev/null
    sim_ctl DELETE /_sim/requests >/dev/null
    run ansible-playbook --diff "$PB/rolling.yml"
    echo "$output"
    sim_ctl POST /_sim/reset >/dev/null
    [ "$status" -eq 0 ]
    [[ $output == *"changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=1"* ]]
    [[ $output == *'-            "current_role": "primary"'*'+            "current_role": "replica"'* ]]
}
