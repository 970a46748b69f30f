#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fixtures.sh REPO: prove the ABI check can fail. Tiny libraries are built
# here from one fixture header that uses the real type names (so the real
# lib/abi/suppressions.abignore applies to them), a baseline is made of the
# first with tools/abi-baseline.sh, and tools/abi-check.sh judges each
# variant. Every variant's verdict is asserted: appending to a growable
# struct or adding a function passes; anything else is flagged.
set -u
repo=$1
cc=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi-fixtures.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# v1 of the fixture API: a frozen value type (ec_time), a caller-filled
# struct (ec_config, rule 2), a library-filled one (ec_cache_node, rule 3).
cat >"$tmp/api.h" <<'EOF'
#include <stdbool.h>
#include <stdint.h>
typedef struct ec_time {
    bool set;
    int64_t sec;
} ec_time;
typedef struct ec_config {
    uint32_t struct_size;
    const char *region;
    int max_attempts;
} ec_config;
typedef struct ec_cache_node {
    char *cache_node_id;
    char *cache_node_status;
} ec_cache_node;
typedef enum ec_probe_status {
    EC_PROBE_OK,
    EC_PROBE_UNREACHABLE
} ec_probe_status;
#define API __attribute__((visibility("default")))
API int fix_new(const ec_config *config);
API ec_cache_node *fix_node(void);
API int64_t fix_when(ec_time t);
API int fix_gone(void);
API int fix_sig(int a);
API int fix_status(ec_probe_status s);
EOF
cat >"$tmp/lib.c" <<'EOF'
#include <stdlib.h>
#include <api.h> /* the variant's, from -I */
int fix_new(const ec_config *config) { return config->max_attempts; }
ec_cache_node *fix_node(void) { return calloc(1, sizeof(ec_cache_node)); }
int64_t fix_when(ec_time t) { return t.sec; }
int fix_status(ec_probe_status s) { return (int)s; }
#ifndef NO_GONE
int fix_gone(void) { return 1; }
#endif
#ifdef SIG2
int fix_sig(long a, int b) { return (int)a + b; }
#else
int fix_sig(int a) { return a; }
#endif
#ifdef ADDED
API int fix_added(void);
int fix_added(void) { return 2; }
#endif
EOF

# variant NAME SONAME CFLAGS SED...: a library from the header as SED edits it
variant() {
    name=$1 soname=$2 cflags=$3
    shift 3
    mkdir -p "$tmp/$name"
    cp "$tmp/api.h" "$tmp/$name/api.h"
    for e in "$@"; do
        sed -i "$e" "$tmp/$name/api.h"
        # An edit that matched nothing would make a variant that is the
        # base under another name, and its verdict would prove nothing.
        if cmp -s "$tmp/api.h" "$tmp/$name/api.h"; then
            echo "fixtures: the edit for $name changed nothing: $e"
            exit 2
        fi
    done
    # shellcheck disable=SC2086
    "$cc" -g -O2 -fPIC -shared -fvisibility=hidden $cflags -I"$tmp/$name" \
        -Wl,-soname,"$soname" -o "$tmp/$name/$soname" "$tmp/lib.c" ||
        { echo "fixtures: cannot build $name"; exit 2; }
}

variant base libfix.so.1 ""
variant node-appended libfix.so.1 "" \
    's/^    char \*cache_node_status;$/&\n    char *customer_outpost_arn;/'
variant config-appended libfix.so.1 "" \
    's/^    int max_attempts;$/&\n    double read_timeout;/'
variant function-added libfix.so.1 "-DADDED" \
    's/^API int fix_sig(int a);$/&\nAPI int fix_added(void);/'
variant node-inserted-middle libfix.so.1 "" \
    's/^    char \*cache_node_id;$/&\n    char *inserted;/'
variant node-member-retyped libfix.so.1 "" \
    's/^    char \*cache_node_status;$/    long cache_node_status;/'
variant config-member-retyped libfix.so.1 "" \
    's/^    int max_attempts;$/    long max_attempts;/'
variant frozen-changed libfix.so.1 "" \
    's/^    int64_t sec;$/&\n    int32_t usec;/'
variant function-removed libfix.so.1 "-DNO_GONE" 's/^API int fix_gone(void);$//'
variant signature-changed libfix.so.1 "-DSIG2" \
    's/^API int fix_sig(int a);$/API int fix_sig(long a, int b);/'
variant enum-appended libfix.so.1 "" \
    's/^    EC_PROBE_UNREACHABLE$/    EC_PROBE_UNREACHABLE,\n    EC_PROBE_AUTH_FAILED/'
variant enum-inserted libfix.so.1 "" \
    's/^    EC_PROBE_OK,$/&\n    EC_PROBE_AUTH_FAILED,/'
variant soname-bumped libfix.so.2 ""

mkdir -p "$tmp/abi"
cp "$repo/lib/abi/suppressions.abignore" "$tmp/abi/"
sh "$repo/tools/abi-baseline.sh" --lib "$tmp/base/libfix.so.1" \
    --headers "$tmp/base" --out-dir "$tmp/abi" >/dev/null ||
    { echo "fixtures: abi-baseline.sh failed"; exit 2; }

failures=0
# expect NAME SONAME VERDICT (0 passes, 1 flagged)
expect() {
    sh "$repo/tools/abi-check.sh" "$tmp/$1/$2" "$tmp/$1" "$tmp/abi" \
        >"$tmp/$1.log" 2>&1
    got=$?
    if [ "$got" -eq "$3" ]; then
        printf 'ok    %-24s %s\n' "$1" "$([ "$got" -eq 0 ] && echo passes || echo flagged)"
    else
        printf 'WRONG %-24s exit %s, expected %s:\n' "$1" "$got" "$3"
        sed 's/^/      /' "$tmp/$1.log"
        failures=$((failures + 1))
    fi
}
expect base libfix.so.1 0
expect node-appended libfix.so.1 0
expect config-appended libfix.so.1 0
expect function-added libfix.so.1 0
expect node-inserted-middle libfix.so.1 1
expect node-member-retyped libfix.so.1 1
expect config-member-retyped libfix.so.1 1
expect frozen-changed libfix.so.1 1
expect function-removed libfix.so.1 1
expect signature-changed libfix.so.1 1
expect enum-appended libfix.so.1 0
expect enum-inserted libfix.so.1 1
expect soname-bumped libfix.so.2 1
# A member retyped in a growable struct is suppressed by libabigail 2.2 as
# an "insertion at end": the second pass of abi-check.sh is what catches
# it. Keep that pass honest: it must be the one that spoke.
grep -q "other than members appended" "$tmp/node-member-retyped.log" ||
    { echo "WRONG node-member-retyped was not caught by the second pass"; failures=$((failures + 1)); }
grep -q "no ABI baseline for libfix.so.2" "$tmp/soname-bumped.log" ||
    { echo "WRONG soname-bumped did not name the missing baseline"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || { echo "$failures fixture verdict(s) wrong"; exit 1; }
echo "every fixture judged as the ABI rule says"
