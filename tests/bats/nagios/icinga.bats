#!/usr/bin/env bats
# The Icinga 2 CheckCommand/EventCommand and sample validate with the real
# `icinga2 daemon -C`, using a temporary main config (no /etc involved).

load helpers

setup() {
    command -v icinga2 >/dev/null || skip "icinga2 is not installed"
    D=$EC_TMP/icinga.$BATS_TEST_NUMBER
    rm -rf "$D"
    mkdir -p "$D/cache" "$D/lib" "$D/log" "$D/run"
}

validate() { # FILE...: include them after the ITL and validate
    {
        echo 'const PluginDir = "/usr/lib/nagios/plugins"'
        echo 'const ManubulonPluginDir = "/usr/lib/nagios/plugins"'
        echo 'const PluginContribDir = "/usr/lib/nagios/plugins"'
        echo 'const NodeName = "localhost"'
        echo 'const ZoneName = "localhost"'
        echo 'const TicketSalt = ""'
        echo 'include <itl>'
        echo 'include <plugins>'
        local f
        for f in "$@"; do echo "include \"$f\""; done
    } >"$D/icinga2.conf"
    # As root with explicit paths: icinga2 otherwise drops to its own user
    # (which cannot read EC_TMP) and writes under /var.
    run icinga2 daemon -C -c "$D/icinga2.conf" -DRunAsUser=root -DRunAsGroup=root \
        -DCacheDir="$D/cache" -DDataDir="$D/lib" -DLogDir="$D/log" \
        -DInitRunDir="$D/run" -DSpoolDir="$D/lib"
    echo "$output"
}

@test "icinga2 daemon -C accepts the commands and the sample" {
    validate "$EC_REPO/nagios/icinga2/elasticache.conf" "$EC_REPO/nagios/icinga2/sample.conf"
    [ "$status" -eq 0 ]
    [[ $output == *"Instantiated 1 EventCommand"* ]]
    [[ $output == *"Instantiated 3 Services"* ]]
    [[ $output == *"Finished validating the configuration"* ]]
}

@test "the validation can fail: the sample without the commands is rejected" {
    validate "$EC_REPO/nagios/icinga2/sample.conf"
    [ "$status" -ne 0 ]
    [[ $output == *"elasticache"* ]]
}

@test "every check_elasticache option the CheckCommand passes exists" {
    # Each "--long" key in the conf must be in the tools' --help.
    local opt help opts
    help=$("$CHECK" --help; "$HANDLER" --help)
    mapfile -t opts < <(grep -o '"--[a-z-]*"' "$EC_REPO/nagios/icinga2/elasticache.conf" | tr -d '"' | sort -u)
    # An empty list (the pattern no longer matching the conf) would pass vacuously.
    [ "${#opts[@]}" -ge 10 ]
    for opt in "${opts[@]}"; do
        echo "$opt"
        [[ $help == *"$opt"* ]]
    done
}
