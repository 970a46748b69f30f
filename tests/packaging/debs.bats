#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The Debian packages, end to end on this machine: built with CPack
# (packaging/build-debs.sh), their contents and metadata read back with
# dpkg-deb, lintian, installed with apt-get, each installed tool run,
# the installed check run against the simulator from /usr/lib/nagios/plugins,
# the installed Nagios/Icinga definitions loaded, then purged, leaving
# nothing behind.
#
# It installs into the system, so it needs root and is not under
# tests/bats/: tests/run runs it after the source-tree tests (not with
# --quick). The tests run in order and depend on each other.

bats_require_minimum_version 1.5.0
load ../lib/common

PACKAGES=(libelasticache-dev elasticache-tools monitoring-plugins-elasticache)

setup_file() {
    load ../lib/common
    [[ $(id -u) -eq 0 ]] || skip "installs packages: needs root"
    export DEB_BUILD=${EC_DEB_BUILD:-$EC_REPO/build-deb}
    bash "$EC_REPO/packaging/build-debs.sh" "$DEB_BUILD" >"$BATS_FILE_TMPDIR/build.log" 2>&1 ||
        { cat "$BATS_FILE_TMPDIR/build.log" >&2; return 1; }
    # The library package's name follows the SONAME.
    SOVERSION=$(objdump -p "$DEB_BUILD"/lib/libelasticache.so | sed -n 's/.*SONAME *libelasticache\.so\.//p')
    export SOVERSION LIBPKG=libelasticache$SOVERSION
    # A leftover from an earlier run would hide what this run installs.
    apt-get purge -y -qq "$LIBPKG" "${PACKAGES[@]}" >/dev/null 2>&1 || true
}

teardown_file() {
    # Never leave the packages installed, whatever failed.
    [[ $(id -u) -eq 0 ]] || return 0
    apt-get purge -y -qq "${LIBPKG:-libelasticache0}" "${PACKAGES[@]}" >/dev/null 2>&1 || true
}

deb() { ls "$DEB_BUILD"/debs/"$1"_*.deb; }
field() { dpkg-deb -f "$(deb "$1")" "$2"; }
contents() { dpkg-deb -c "$(deb "$1")" | awk '{print $6}' | sed 's|^\./|/|'; }

@test "cpack builds the four packages, the library's named after its SONAME" {
    [[ -n $SOVERSION ]]
    run -0 ls "$DEB_BUILD/debs"
    echo "$output"
    [ "$(ls "$DEB_BUILD"/debs/*.deb | wc -l)" -eq 4 ]
    local v
    v=$(sed -n 's/^project(elasticache VERSION \([0-9.]*\).*/\1/p' "$EC_REPO/CMakeLists.txt")
    [ -f "$DEB_BUILD/debs/${LIBPKG}_${v}-1_$(dpkg --print-architecture).deb" ]
    for p in "${PACKAGES[@]}"; do [ -f "$(deb "$p")" ]; done
}

@test "dpkg-deb -c: each package holds its files, and only those" {
    local arch lib
    arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
    lib=/usr/lib/$arch
    run -0 contents "$LIBPKG"
    echo "$output"
    [[ $output == *"$lib/libelasticache.so.$SOVERSION"* ]]
    [[ $output == *"/usr/share/doc/$LIBPKG/copyright"* ]]
    [[ $output == *"/usr/share/doc/$LIBPKG/changelog.Debian.gz"* ]]
    [[ $output != *include* && $output != *"libelasticache.so
"* && $output != *bin/* ]]
    run -0 contents libelasticache-dev
    echo "$output"
    for f in /usr/include/elasticache/elasticache.h "$lib/libelasticache.so" "$lib/pkgconfig/elasticache.pc" \
        "$lib/cmake/elasticache/elasticacheConfig.cmake" "$lib/cmake/elasticache/elasticacheTargets.cmake" \
        /usr/share/man/man3/libelasticache.3.gz /usr/share/doc/libelasticache-dev/copyright; do
        grep -qx "$f" <<<"$output" || { echo "missing $f"; false; }
    done
    run -0 contents elasticache-tools
    echo "$output"
    for f in /usr/bin/elasticache /usr/bin/elasticache_reboot /usr/bin/elasticache_info \
        /usr/share/man/man1/elasticache.1.gz /usr/share/man/man1/elasticache_reboot.1.gz \
        /usr/share/man/man1/elasticache_info.1.gz /usr/share/doc/elasticache-tools/copyright \
        /usr/share/doc/elasticache-tools/changelog.Debian.gz; do
        grep -qx "$f" <<<"$output" || { echo "missing $f"; false; }
    done
    run -0 contents monitoring-plugins-elasticache
    echo "$output"
    for f in /usr/lib/nagios/plugins/check_elasticache /usr/lib/nagios/plugins/elasticache_event_handler \
        /etc/nagios-plugins/config/elasticache.cfg /usr/share/icinga2/include/plugins-contrib.d/elasticache.conf \
        /usr/share/man/man1/check_elasticache.1.gz /usr/share/man/man1/elasticache_event_handler.1.gz \
        /usr/share/doc/monitoring-plugins-elasticache/copyright; do
        grep -qx "$f" <<<"$output" || { echo "missing $f"; false; }
    done
    # nothing outside /usr and the one conffile in /etc
    local all
    all=$(for d in "$DEB_BUILD"/debs/*.deb; do dpkg-deb -c "$d"; done | awk '{print $6}')
    [[ $all == *./usr/bin/elasticache* ]]
    run grep -v -e '^\./usr/' -e '^\./etc/nagios-plugins/' -e '^\./$' -e '^\./etc/$' <<<"$all"
    [ -z "$output" ] || { echo "unexpected: $output"; false; }
}

@test "dpkg-deb -I: names, sections and Depends from dpkg-shlibdeps" {
    local v
    v=$(field "$LIBPKG" Version)
    [[ $v == *-1 ]]
    run -0 field "$LIBPKG" Depends
    echo "lib: $output"
    for d in 'libc6 (>=' 'libcurl4 (>=' 'libssl3 (>=' 'libxml2 (>=' 'libjansson4 (>='; do
        [[ $output == *"$d"* ]] || { echo "missing $d"; false; }
    done
    [ "$(field "$LIBPKG" Section)" = libs ]
    run -0 dpkg-deb -I "$(deb "$LIBPKG")" shlibs
    [ "$output" = "libelasticache $SOVERSION $LIBPKG (>= $v)" ]
    run -0 dpkg-deb -I "$(deb "$LIBPKG")" triggers
    [ "$output" = "activate-noawait ldconfig" ]
    # the tools depend on our library through its shlibs, and on jansson
    # (whose json_t the header exposes) directly
    for p in elasticache-tools monitoring-plugins-elasticache; do
        run -0 field "$p" Depends
        echo "$p: $output"
        [[ $output == *"$LIBPKG (>= $v)"* ]]
        [[ $output == *"libc6 (>="* ]]
    done
    run -0 field libelasticache-dev Depends
    [[ $output == *"$LIBPKG (= $v)"* && $output == *libjansson-dev* ]]
    [ "$(field libelasticache-dev Section)" = libdevel ]
    [ "$(field monitoring-plugins-elasticache Section)" = net ]
    run -0 dpkg-deb -I "$(deb monitoring-plugins-elasticache)" conffiles
    [ "$output" = /etc/nagios-plugins/config/elasticache.cfg ]
    for p in "$LIBPKG" "${PACKAGES[@]}"; do
        [[ $(field "$p" Maintainer) == *"<"*"@"*">" ]]
        [ "$(field "$p" Architecture)" = "$(dpkg --print-architecture)" ]
        # a synopsis and an extended description
        [ "$(field "$p" Description | wc -l)" -ge 3 ]
    done
}

@test "lintian: no errors, and no warning that packaging/lintian-allowed.txt does not explain" {
    run lintian --fail-on error --tag-display-limit 0 "$DEB_BUILD"/debs/*.deb
    echo "$output"
    [ "$status" -eq 0 ]
    local allowed tag bad=()
    allowed=$(grep -v '^#' "$EC_REPO/packaging/lintian-allowed.txt" | awk 'NF {print $1}')
    while read -r tag; do
        grep -qx -- "$tag" <<<"$allowed" || bad+=("$tag")
    done < <(sed -n 's/^[WE]: [^:]*: \([a-z0-9-]*\).*/\1/p' <<<"$output" | sort -u)
    [ "${#bad[@]}" -eq 0 ] || { echo "unexplained: ${bad[*]}"; false; }
}

@test "apt-get install ./*.deb installs all four" {
    cd "$DEB_BUILD/debs"
    run -0 env DEBIAN_FRONTEND=nointeractive apt-get install -y -qq ./*.deb
    echo "$output"
    for p in "$LIBPKG" "${PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$p")" = "install ok installed" ]
    done
}

@test "each installed tool answers --version, linked to the installed library" {
    local v arch
    v=$(sed -n 's/^project(elasticache VERSION \([0-9.]*\).*/\1/p' "$EC_REPO/CMakeLists.txt")
    arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
    run -0 /usr/bin/elasticache --version
    [[ $output == "elasticache $v libelasticache/$v" ]]
    run -0 /usr/bin/elasticache_reboot --version
    [[ $output == "elasticache_reboot $v (libelasticache $v)" ]]
    run -0 /usr/bin/elasticache_info --version
    [[ $output == "elasticache_info $v (libelasticache $v)" ]]
    run -3 /usr/lib/nagios/plugins/check_elasticache --version
    [[ $output == "check_elasticache $v (libelasticache $v)" ]]
    run -0 /usr/lib/nagios/plugins/elasticache_event_handler --version
    [[ $output == "elasticache_event_handler $v (libelasticache $v)" ]]
    for t in /usr/bin/elasticache /usr/bin/elasticache_reboot /usr/bin/elasticache_info \
        /usr/lib/nagios/plugins/check_elasticache \
        /usr/lib/nagios/plugins/elasticache_event_handler; do
        run -0 ldd "$t"
        [[ $output == *"libelasticache.so.$SOVERSION => /usr/lib/$arch/libelasticache.so.$SOVERSION"* ]] ||
            [[ $output == *"libelasticache.so.$SOVERSION => /lib/$arch/libelasticache.so.$SOVERSION"* ]]
    done
    # man finds the installed pages
    for p in elasticache elasticache_reboot elasticache_info check_elasticache elasticache_event_handler; do
        run -0 man -w "$p"
        [ "$output" = "/usr/share/man/man1/$p.1.gz" ]
    done
    run -0 man -w 3 libelasticache
    [ "$output" = /usr/share/man/man3/libelasticache.3.gz ]
}

@test "the installed check, run from /usr/lib/nagios/plugins, checks a cluster of the simulator" {
    local port
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    memcached -l 127.0.0.1 -p "$port" -U 0 -u root -m 8 </dev/null >/dev/null 2>&1 3>&- &
    local mc=$!
    /usr/bin/python3 "$EC_REPO/tests/bats/nagios/make_fixture.py" "$BATS_TEST_TMPDIR/fixture.json" "memcached:pkg:$port"
    sim_start --fixture "$BATS_TEST_TMPDIR/fixture.json"
    run /usr/lib/nagios/plugins/check_elasticache --endpoint-url "$SIM_URL" -C pkg
    kill -STOP "$mc"
    run2_status=0
    /usr/lib/nagios/plugins/check_elasticache --endpoint-url "$SIM_URL" -C pkg --probe-timeout 1 >"$BATS_TEST_TMPDIR/crit" || run2_status=$?
    kill -CONT "$mc"; kill "$mc"; wait "$mc" 2>/dev/null || true
    sim_stop
    echo "$output"
    [ "$status" -eq 0 ]
    [[ $output == "ELASTICACHE OK - pkg available, 1 of 1 nodes answer"* ]]
    cat "$BATS_TEST_TMPDIR/crit"
    [ "$run2_status" -eq 2 ]
    [[ $(head -1 "$BATS_TEST_TMPDIR/crit") == "ELASTICACHE CRITICAL - pkg: node 0001 unresponsive"* ]]
}

@test "the installed Nagios 4 and Icinga 2 definitions load where the packages put them" {
    if [ -x /usr/sbin/nagios4 ]; then
        # Debian's stock nagios.cfg reads /etc/nagios-plugins/config
        run /usr/sbin/nagios4 -v /etc/nagios4/nagios.cfg
        echo "$output" | tail -5
        [ "$status" -eq 0 ]
        grep -q 'command_name *check_elasticache$' /etc/nagios-plugins/config/elasticache.cfg
    fi
    if command -v icinga2 >/dev/null; then
        local d=$BATS_TEST_TMPDIR/icinga
        mkdir -p "$d"/{cache,lib,log,run}
        cat >"$d/icinga2.conf" <<CONF
const PluginDir = "/usr/lib/nagios/plugins"
const ManubulonPluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
const NodeName = "localhost"
const ZoneName = "localhost"
const TicketSalt = ""
include <itl>
include <plugins>
include <plugins-contrib>
object Host "h" { check_command = "dummy" }
object Service "s" {
  host_name = "h"
  check_command = "elasticache"
  event_command = "elasticache-reboot"
  vars.elasticache_cluster_id = "x"
}
CONF
        run icinga2 daemon -C -c "$d/icinga2.conf" -DRunAsUser=root -DRunAsGroup=root \
            -DCacheDir="$d/cache" -DDataDir="$d/lib" -DLogDir="$d/log" -DInitRunDir="$d/run" -DSpoolDir="$d/lib"
        echo "$output" | tail -5
        [ "$status" -eq 0 ]
        [[ $output == *"Finished validating the configuration"* ]]
    fi
}

@test "libelasticache-dev: a consumer builds with pkg-config and find_package from /usr" {
    run -0 pkg-config --modversion elasticache
    local v=$output
    cc -std=c11 -Wall -Werror -o "$BATS_TEST_TMPDIR/consumer" "$EC_REPO/tests/bats/install/consumer.c" \
        $(pkg-config --cflags --libs elasticache)
    run -0 "$BATS_TEST_TMPDIR/consumer"
    [ "$output" = "$v my-cluster eu-west-1" ]
    local src=$BATS_TEST_TMPDIR/src
    mkdir -p "$src"
    cp "$EC_REPO/tests/bats/install/consumer.c" "$src/"
    cat >"$src/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(elasticache REQUIRED)
add_executable(consumer consumer.c)
target_link_libraries(consumer PRIVATE elasticache::elasticache)
CM
    cmake -S "$src" -B "$src/build" >/dev/null
    cmake --build "$src/build" >/dev/null
    run -0 "$src/build/consumer"
    [ "$output" = "$v my-cluster eu-west-1" ]
}

@test "apt-get purge removes them and leaves nothing behind" {
    local files
    files=$(for d in "$DEB_BUILD"/debs/*.deb; do dpkg-deb -c "$d"; done | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./|/|')
    run -0 env DEBIAN_FRONTEND=nointeractive apt-get purge -y -qq "$LIBPKG" "${PACKAGES[@]}"
    for p in "$LIBPKG" "${PACKAGES[@]}"; do
        run dpkg-query -W -f='${Status}' "$p"
        [[ $status -ne 0 || $output != *installed* ]] || { echo "$p: $output"; false; }
    done
    local f left=()
    while read -r f; do
        [[ -e $f || -L $f ]] && left+=("$f")
    done <<<"$files"
    [ "${#left[@]}" -eq 0 ] || { echo "left behind: ${left[*]}"; false; }
    [ ! -e /etc/nagios-plugins/config/elasticache.cfg ]
    for p in "$LIBPKG" "${PACKAGES[@]}"; do [ ! -e "/usr/share/doc/$p" ]; done
    [ ! -e /usr/include/elasticache ]
    [ ! -e "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/cmake/elasticache" ]
    run -0 ldconfig -p
    [[ $output != *libelasticache* ]]
}
