#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the Debian packages with CPack, from a clean build directory
# configured for /usr with Debian's hardening flags.
#
#   bash packaging/build-debs.sh [BUILD_DIR]     (default: build-deb)
#
# Writes BUILD_DIR/debs/*.deb and prints their paths.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$repo/build-deb}

# The flags a Debian package build uses (dpkg-buildflags), hardening on.
# CMake reads CFLAGS and LDFLAGS; CPPFLAGS (_FORTIFY_SOURCE) go with CFLAGS.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS

# A fresh directory: CMake reads CFLAGS and LDFLAGS only when it first
# configures one. /etc, not /usr/etc: the Nagios definitions are conffiles.
rm -rf "$build"
mkdir -p "$build"
log=$build/build-debs
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_INSTALL_SYSCONFDIR=/etc \
    -DEC_BUILD_TESTS=OFF >"$log.configure.log" 2>&1 || { cat "$log.configure.log" >&2; exit 1; }
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >"$log.build.log" 2>&1 ||
    { tail -50 "$log.build.log" >&2; exit 1; }
rm -rf "$build/debs"
(cd "$build" && cpack -G DEB) >"$log.cpack.log" 2>&1 || { cat "$log.cpack.log" >&2; exit 1; }
ls "$build"/debs/*.deb
