#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# abi-check.sh LIB HEADERS_DIR ABI_DIR
#
# Compare a built shared library with the ABI baseline committed for its
# SONAME (ABI_DIR/<SONAME>.abi, made by tools/abi-baseline.sh), under the
# rule of docs/ABI.md. Exit 0 when it keeps the ABI, 1 when it breaks it (or
# no baseline exists for its SONAME), 2 on a usage or tool error, 77 when
# the library has no debug info to compare (a build without -g).
#
# Two passes, because libabigail 2.2's `has_data_member_inserted_at = end`
# suppression hides more than appended members (measured: a member whose
# type changed, with or without an append, is suppressed too; see
# docs/ABI.md):
# 1. abidiff with ABI_DIR/suppressions.abignore must report nothing: no
#    removed or changed function, no layout change of anything but the
#    growable structs the suppressions name. Added functions are fine.
# 2. abidiff's leaf report without suppressions: each growable struct that
#    changed may only have grown, by members inserted at or past its old
#    size; any other change to it fails.
set -u

usage() {
    echo "usage: $0 LIB HEADERS_DIR ABI_DIR" >&2
    exit 2
}
[ $# -eq 3 ] || usage
lib=$1 headers=$2 abidir=$3
supp=$abidir/suppressions.abignore
for tool in abidiff readelf awk; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "abi-check: $tool not found (Debian: abigail-tools, binutils)" >&2
        exit 2
    }
done
[ -f "$lib" ] || { echo "abi-check: no library $lib" >&2; exit 2; }
[ -d "$headers" ] || { echo "abi-check: no headers dir $headers" >&2; exit 2; }
[ -f "$supp" ] || { echo "abi-check: no $supp" >&2; exit 2; }

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ -n "$soname" ] || { echo "abi-check: $lib has no SONAME" >&2; exit 2; }
baseline=$abidir/$soname.abi
if [ ! -f "$baseline" ]; then
    echo "abi-check: no ABI baseline for $soname ($baseline)."
    echo "A SOVERSION bump comes with its baseline in the same commit:"
    echo "  tools/abi-baseline.sh BUILD_DIR && git add $baseline"
    exit 1
fi
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
    echo "abi-check: $lib has no debug info; build with -g (RelWithDebInfo)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
common="--no-default-suppression --drop-private-types --no-added-syms"

# Pass 1: everything the suppressions do not allow.
# shellcheck disable=SC2086
abidiff $common --suppressions "$supp" --headers-dir2 "$headers" \
    "$baseline" "$lib" >"$tmp/pass1" 2>&1
rc=$?
if [ $((rc & 3)) -ne 0 ]; then
    cat "$tmp/pass1"
    echo "abi-check: abidiff failed (exit $rc)"
    exit 2
fi
if [ "$rc" -ne 0 ]; then
    cat "$tmp/pass1"
    echo "abi-check: $lib breaks the ABI of $soname (abidiff exit $rc," \
        "with $supp)"
    exit 1
fi

# Pass 2: what the suppressions let through must be growth at the end.
# The growable types are the ones the suppressions name.
awk '/^\[/ { sect = $0 } sect == "[suppress_type]" && $1 == "name" && $2 == "=" { print $3 }' \
    "$supp" | sort -u >"$tmp/growable"
# shellcheck disable=SC2086
abidiff $common -l --headers-dir2 "$headers" "$baseline" "$lib" \
    >"$tmp/pass2" 2>&1
rc=$?
if [ $((rc & 3)) -ne 0 ]; then
    cat "$tmp/pass2"
    echo "abi-check: abidiff failed (exit $rc)"
    exit 2
fi
awk -v growable="$tmp/growable" -v q="'" '
    BEGIN { while ((getline t < growable) > 0) ok[t] = 1 }
    function bad(why) { print "abi-check: " why; failed = 1 }
    # A changed type: QUOTE struct NAME at FILE:LINE:COL QUOTE changed:
    $0 ~ ("^" q ".* at [^ ]*" q " changed:$") {
        name = substr($0, 2)
        sub(" at [^ ]*" q " changed:$", "", name)
        kind = name; sub(/ .*/, "", kind); sub(/^[^ ]* /, "", name)
        block = (kind == "struct" && (name in ok)) ? name : ""
        old = -1
        if (block == "")
            bad("the layout of " kind " " name " changed, and it may not grow")
        next
    }
    block == "" { next }
    /^  type size changed from [0-9]+ to [0-9]+ \(in bits\)$/ {
        old = $5 + 0
        if ($7 + 0 <= old) bad(block " did not grow: " $0)
        next
    }
    /^  [0-9]+ data member insertions?:$/ { next }
    /^    .*, at offset [0-9]+ \(in bits\)/ {
        off = $0; sub(/.*, at offset /, "", off); sub(/ .*/, "", off)
        if (old < 0 || off + 0 < old)
            bad("a member of " block " was inserted before its end: " $0)
        next
    }
    /^$/ { block = ""; next }
    { bad("a change to " block " other than members appended: " $0) }
    END { exit failed }
' "$tmp/pass2"
if [ $? -ne 0 ]; then
    cat "$tmp/pass2"
    echo "abi-check: $lib breaks the ABI of $soname (a growable struct" \
        "changed other than by appending)"
    exit 1
fi
echo "abi-check: $lib keeps the ABI of $soname ($baseline)"
exit 0
