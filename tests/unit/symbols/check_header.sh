#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check_header.sh HEADER EXPECTED: the functions declared EC_EXPORT in the
# public header are exactly the expected exported symbols.
set -eu
header=$1 expected=$2
declared=$(tr '\n' ' ' < "$header" | grep -o 'EC_EXPORT[^;(]*(' |
    sed 's/($//; s/.*[ *]\([a-z_0-9]*\)$/\1/' | grep '^ec_' | sort -u)
if [ "$declared" = "$(sort -u "$expected")" ]; then
    echo "header declares the $(wc -l < "$expected") expected symbols"
    exit 0
fi
echo "EC_EXPORT declarations differ from $expected (< expected, > header):"
printf '%s\n' "$declared" | diff "$expected" - || true
exit 1
