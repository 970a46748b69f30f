#!/usr/bin/env bats
# The installed library is usable from outside the project: header,
# shared library, pkg-config file and CMake package, plus the tools.

load ../../lib/common

setup_file() {
    export PREFIX="$BATS_FILE_TMPDIR/prefix"
    cmake --install "$EC_BUILD" --prefix "$PREFIX" >"$BATS_FILE_TMPDIR/install.log" 2>&1
}

libdir() {
    find "$PREFIX" -name 'libelasticache.so.1' -printf '%h\n' | head -1
}

@test "install puts the library, header, pkg-config, CMake package and tools in place" {
    [ -f "$PREFIX/include/elasticache/elasticache.h" ]
    [ -n "$(libdir)" ]
    [ -L "$(libdir)/libelasticache.so" ]
    [ -f "$(libdir)/pkgconfig/elasticache.pc" ]
    [ -f "$(libdir)/cmake/elasticache/elasticacheConfig.cmake" ]
    [ -x "$PREFIX/bin/elasticache" ]
    [ -x "$PREFIX/bin/elasticache_reboot" ]
    [ -x "$PREFIX/bin/elasticache_info" ]
    [ -x "$(find "$PREFIX" -path "*/elasticache_tools/elasticache/native/elasticache_info.*" -print -quit)" ]
    find "$PREFIX" -name check_elasticache -perm -u+x | grep -q .
    find "$PREFIX" -name elasticache_event_handler -perm -u+x | grep -q .
}

@test "a consumer builds with pkg-config and runs against the installed library" {
    local pc
    pc="$(libdir)/pkgconfig"
    run env PKG_CONFIG_PATH="$pc" pkg-config --modversion elasticache
    [ "$status" -eq 0 ]
    [ "$output" = "1.0.0" ]
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Werror -o "$BATS_TEST_TMPDIR/consumer" "$BATS_TEST_DIRNAME/consumer.c" \
        $(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs elasticache)
    LD_LIBRARY_PATH="$(libdir)" run "$BATS_TEST_TMPDIR/consumer"
    [ "$status" -eq 0 ]
    [ "$output" = "1.0.0 my-cluster eu-west-1" ]
    # It really used the installed copy, not the build tree's.
    LD_LIBRARY_PATH="$(libdir)" run ldd "$BATS_TEST_TMPDIR/consumer"
    [[ "$output" == *"$PREFIX"*libelasticache.so.1* ]]
}

@test "a consumer builds with find_package(elasticache) and the elasticache::elasticache target" {
    local src="$BATS_TEST_TMPDIR/src"
    mkdir -p "$src"
    cp "$BATS_TEST_DIRNAME/consumer.c" "$src/"
    cat >"$src/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(elasticache 1.0 REQUIRED)
add_executable(consumer consumer.c)
target_link_libraries(consumer PRIVATE elasticache::elasticache)
CM
    cmake -S "$src" -B "$src/build" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
    cmake --build "$src/build" >/dev/null
    LD_LIBRARY_PATH="$(libdir)" run "$src/build/consumer"
    [ "$status" -eq 0 ]
    [ "$output" = "1.0.0 my-cluster eu-west-1" ]
}

@test "only the public API is exported: an internal function does not link" {
    cat >"$BATS_TEST_TMPDIR/internal.c" <<'C'
int ecp_form_encode(void *out, const char *s);
int main(void) { return ecp_form_encode(0, "x"); }
C
    # shellcheck disable=SC2046
    run cc -o "$BATS_TEST_TMPDIR/internal" "$BATS_TEST_TMPDIR/internal.c" \
        $(PKG_CONFIG_PATH="$(libdir)/pkgconfig" pkg-config --libs elasticache)
    [ "$status" -ne 0 ]
    [[ "$output" == *"undefined reference"*ecp_form_encode* ]]
}
