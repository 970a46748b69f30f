#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check_symbols.sh LIB EXPECTED: defined dynamic symbols of LIB == EXPECTED.
# To accept a deliberate change: nm -D --defined-only LIB | awk ... > EXPECTED
set -eu
lib=$1 expected=$2
actual=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRBVW]$/ {print $3}' | sort -u)
if [ "$actual" = "$(sort -u "$expected")" ]; then
    echo "exported symbols match $(wc -l < "$expected") expected"
    exit 0
fi
echo "exported symbols differ from $expected (< expected, > actual):"
printf '%s\n' "$actual" | diff "$expected" - || true
exit 1
