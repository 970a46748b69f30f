#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The man pages, generated at build time from docs/*.md by tools/md2man.py:
# they render without groff warnings, and every option a tool's --help
# names is in its page (and every exported function in libelasticache(3)).

bats_require_minimum_version 1.5.0
load ../../lib/common

MAN=$EC_BUILD/docs/man

# A page as plain ASCII text, no hyphenation, one long line per paragraph
# is not needed: options are never split (the pages say .nh).
render() { # PAGE
    groff -man -Tascii -P-cbou -rLL=200n "$MAN/$1" 2>&1 | col -bx
}

# Every option token in some --help text: --long-name and -x.
options_in() {
    grep -oE -- '(^|[^[:alnum:]_-])(--[a-z0-9][a-z0-9-]*|-[a-zA-Z])([^[:alnum:]_-]|$)' |
        grep -oE -- '--?[a-zA-Z0-9][a-z0-9-]*' | sort -u
}

# Fails listing each option of HELP that PAGE does not mention.
assert_options_documented() { # PAGE HELPTEXT
    local page=$1 help=$2 text opt missing=()
    text=$(render "$page")
    local n=0
    while read -r opt; do
        [[ -n $opt ]] || continue
        n=$((n + 1))
        grep -qE -- "(^|[^[:alnum:]_-])${opt}([^[:alnum:]_-]|$)" <<<"$text" || missing+=("$opt")
    done < <(options_in <<<"$help")
    echo "$page: $n options in --help"
    ((n > 0)) || { echo "no options found in the help text"; return 1; }
    if ((${#missing[@]})); then
        echo "$page does not mention: ${missing[*]}"
        return 1
    fi
}

@test "every man page is generated and renders without warnings" {
    local page n=0
    for page in elasticache.1 elasticache_reboot.1 elasticache_info.1 check_elasticache.1 elasticache_event_handler.1 libelasticache.3; do
        [ -s "$MAN/$page" ]
        [ -s "$MAN/$page.gz" ]
        run -0 bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z '$MAN/$page' 2>&1 >/dev/null"
        [ -z "$output" ] || { echo "$page: $output"; false; }
        # whatis reads the NAME line
        run -0 lexgrog "$MAN/$page"
        [[ $output == *": \"${page%.*} - "* ]]
        n=$((n + 1))
    done
    [ "$n" -eq 6 ]
}

@test "elasticache(1) documents every option of elasticache --help and each command's --help" {
    local help cmd
    help=$("$EC_BIN/elasticache" --help)
    for cmd in describe-cache-clusters describe-events describe-replication-groups reboot-cache-cluster reboot-replication-group "wait cache-cluster-available"; do
        # shellcheck disable=SC2086
        help+=$'\n'$("$EC_BIN/elasticache" $cmd --help)
    done
    assert_options_documented elasticache.1 "$help"
}

@test "check_elasticache(1) documents every option of check_elasticache --help" {
    run -3 "$EC_BIN/check_elasticache" --help
    assert_options_documented check_elasticache.1 "$output"
}

@test "elasticache_event_handler(1) documents every option of its --help" {
    run -0 "$EC_BIN/elasticache_event_handler" --help
    assert_options_documented elasticache_event_handler.1 "$output"
}

@test "elasticache_reboot(1) documents every option of its --help" {
    run -0 "$EC_BIN/elasticache_reboot" --help
    assert_options_documented elasticache_reboot.1 "$output"
}

@test "elasticache_info(1) documents every option of its --help" {
    run -0 "$EC_BIN/elasticache_info" --help
    assert_options_documented elasticache_info.1 "$output"
}

@test "the check can fail: an option missing from a page is reported" {
    run assert_options_documented elasticache_reboot.1 "  --no-such-option   not documented anywhere"
    [ "$status" -eq 1 ]
    [[ $output == *"does not mention: --no-such-option"* ]]
}

@test "libelasticache(3) names every exported function" {
    local text fn missing=()
    text=$(render libelasticache.3)
    while read -r fn; do
        [[ -n $fn ]] || continue
        grep -qw -- "$fn" <<<"$text" || missing+=("$fn")
    done <"$EC_REPO/tests/unit/symbols/exported.txt"
    [ "${#missing[@]}" -eq 0 ] || { echo "libelasticache.3 does not name: ${missing[*]}"; false; }
}

@test "libelasticache(3) names no function the library does not export" {
    local text fn stale=()
    text=$(render libelasticache.3)
    # every ec_name( or `ec_name` the page shows, minus macros and types
    while read -r fn; do
        grep -qx -- "$fn" "$EC_REPO/tests/unit/symbols/exported.txt" || stale+=("$fn")
    done < <(grep -oE '\bec_[a-z0-9_]+' <<<"$text" | sort -u |
        grep -vE '^ec_(config|error|client|time|opt_int|opt_bool|strlist|reboot_(options|policy|result|plan|decision)|wait_options|probe_(options|target|result|results)|cache_(cluster|node)|event|jmespath(_options|_diag)?|json_style|progress)$')
    [ "${#stale[@]}" -eq 0 ] || { echo "libelasticache.3 names what is not exported: ${stale[*]}"; false; }
}

@test "md2man.py refuses what it cannot render" {
    printf '# x(1)\n\n## NAME\n\nx - y\n\n```\nunclosed\n' >"$BATS_TEST_TMPDIR/bad.1.md"
    run /usr/bin/python3 "$EC_REPO/tools/md2man.py" "$BATS_TEST_TMPDIR/bad.1.md" "$BATS_TEST_TMPDIR/bad.1"
    [ "$status" -eq 1 ]
    [[ $output == *"unclosed"* ]]
    [ ! -e "$BATS_TEST_TMPDIR/bad.1" ]
}
