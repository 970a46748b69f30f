#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Ansible's own checks on the collection: `ansible-test sanity` (every test
# that runs offline, tools/ansible_sanity.py), and the changelog in
# antsibull-changelog's format.

bats_require_minimum_version 1.5.0
load ../../lib/common

setup() {
    COLLECTION=$EC_BUILD/ansible/ansible_collections/elasticache_tools/elasticache
    [[ -f $COLLECTION/galaxy.yml ]] || { echo "the collection is not built in $COLLECTION" >&2; return 1; }
}

@test "ansible-test sanity: every test that can run offline passes, validate-modules on the sidecar docs included" {
    run /usr/bin/python3 "$EC_REPO/tools/ansible_sanity.py" "$COLLECTION"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == *"ok    validate-modules"* ]]
    [[ $output == *"ok    ansible-doc"* && $output == *"ok    yamllint"* && $output == *"ok    pylint"* ]]
    [[ $output == *"29 sanity tests, 0 failed" ]]
    # every ignore entry says why
    run grep -cv ' # [a-z]' "$COLLECTION/tests/sanity/ignore-2.14.txt"
    [ "$output" = 0 ]
}

@test "ansible-test sanity can fail: validate-modules reports a broken sidecar" {
    local c=$BATS_TEST_TMPDIR/elasticache
    cp -a "$COLLECTION" "$c"
    sed -i 's/^      type: int$/      type: integer/' "$c/plugins/modules/elasticache_reboot.yml"
    run cmp -s "$c/plugins/modules/elasticache_reboot.yml" "$COLLECTION/plugins/modules/elasticache_reboot.yml"
    [ "$status" -eq 1 ]
    run /usr/bin/python3 "$EC_REPO/tools/ansible_sanity.py" "$c" validate-modules
    echo "$output"
    [ "$status" -eq 1 ]
    [[ $output == *"elasticache_reboot.yml"*"invalid-documentation"* ]]
}

@test "changelog: antsibull's changelog.yaml and fragments, CHANGELOG.rst up to date" {
    run -0 /usr/bin/python3 "$EC_REPO/tools/render_changelog.py" --check
    grep -q '^v0.1.0 (unreleased)$' "$EC_REPO/ansible/CHANGELOG.rst"
    grep -q '^- elasticache_reboot - Reboot Amazon ElastiCache cache nodes safely and idempotently$' "$EC_REPO/ansible/CHANGELOG.rst"
    grep -q '^- elasticache_info - Describe Amazon ElastiCache clusters, replication groups and recent events$' "$EC_REPO/ansible/CHANGELOG.rst"
    # the collection ships both
    [ -f "$COLLECTION/changelogs/changelog.yaml" ]
    [ -f "$COLLECTION/CHANGELOG.rst" ]
    # a fragment in an unknown section is refused; a release folds the
    # fragments into changelog.yaml and removes them
    local src=$BATS_TEST_TMPDIR/src
    cp -a "$EC_REPO/ansible" "$src"
    local fragments
    fragments=$(find "$src/changelogs/fragments" -name '*.yml' | wc -l)
    printf 'features:\n  - x\n' >"$src/changelogs/fragments/bad.yml"
    run /usr/bin/python3 "$EC_REPO/tools/render_changelog.py" --root "$src"
    [ "$status" -eq 1 ]
    [[ $output == *"bad.yml: unknown section 'features'"* ]]
    rm "$src/changelogs/fragments/bad.yml"
    run -0 /usr/bin/python3 "$EC_REPO/tools/render_changelog.py" --root "$src" --release 2025-12-01
    [ -z "$(ls "$src/changelogs/fragments")" ]
    run -0 /usr/bin/python3 -c 'import sys, yaml; r = yaml.safe_load(open(sys.argv[1]))["releases"]["0.1.0"]; print(r["release_date"], len(r["fragments"]), " ".join(m["name"] for m in r["modules"]))' "$src/changelogs/changelog.yaml"
    [ "$output" = "2025-12-01 $fragments elasticache_info elasticache_reboot" ]
    grep -q '^v0.1.0$' "$src/CHANGELOG.rst"
    run -0 /usr/bin/python3 "$EC_REPO/tools/render_changelog.py" --root "$src" --check
}
