#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# abi-baseline.sh [BUILD_DIR]
#
# Write the ABI baseline of the library built in BUILD_DIR (default: build,
# a RelWithDebInfo build: it needs debug info) to lib/abi/<SONAME>.abi, the
# file tools/abi-check.sh and ctest abi.compat compare every build with.
#
# Run it deliberately, and only when the ABI may change: when SOVERSION is
# bumped (a function removed or changed, a frozen type changed: see
# docs/ABI.md), commit the new baseline with the bump. For members appended
# to a growable struct or new functions nothing needs regenerating; doing
# it anyway records the new layout as the one later changes are held to.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
headers=$repo/lib/include/elasticache
out_dir=$repo/lib/abi
# --lib/--headers/--out-dir: the same baseline for another library (the
# ABI check's own tests use it on fixture libraries).
lib=
while [ $# -gt 0 ]; do
    case $1 in
    --lib) lib=$2; shift 2 ;;
    --headers) headers=$2; shift 2 ;;
    --out-dir) out_dir=$2; shift 2 ;;
    -*) echo "usage: $0 [BUILD_DIR] | --lib LIB --headers DIR --out-dir DIR" >&2; exit 2 ;;
    *) lib=$(readlink -f "$1/lib/libelasticache.so" 2>/dev/null || true); shift ;;
    esac
done
[ -n "$lib" ] || lib=$(readlink -f "$repo/build/lib/libelasticache.so" 2>/dev/null || true)
command -v abidw >/dev/null 2>&1 || {
    echo "abi-baseline: abidw not found (Debian: apt-get install abigail-tools)" >&2
    exit 2
}
[ -n "$lib" ] && [ -f "$lib" ] || {
    echo "abi-baseline: no library found: build first (cmake --build build)" >&2
    exit 2
}
readelf -S "$lib" | grep -q '\.debug_info' || {
    echo "abi-baseline: $lib has no debug info: build with RelWithDebInfo" >&2
    exit 2
}
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ -n "$soname" ] || { echo "abi-baseline: $lib has no SONAME" >&2; exit 2; }
out=$out_dir/$soname.abi
# Only what the public header defines; no paths of this machine.
abidw --headers-dir "$headers" --drop-private-types --no-corpus-path \
    --short-locs --no-comp-dir-path --type-id-style hash \
    --out-file "$out" "$lib"
echo "abi-baseline: wrote $out from $lib"
