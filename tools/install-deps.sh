#!/usr/bin/env bash
# Install what building, the demo and the tests need on Debian 12.
# Idempotent: installs only what is missing, so a second run is quick.
# Recommended packages come too: that is how the suite has been proven on
# a fresh machine, and a few tools (curl, openssl) arrive that way.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format libyaml-dev
  libcurl4-openssl-dev libssl-dev libxml2-dev libjansson-dev
  bats valgrind clang libclang-rt-14-dev abigail-tools
  python3 python3-botocore python3-boto3 awscli
  python3-jmespath python3-ruamel.yaml python3-ruamel.yaml.clib
  ansible-core ansible
  nagios4-core icinga2-bin icinga2-common
  redis-server redis-tools memcached
  openssl procps curl
  man-db groff-base bsdextrautils dpkg-dev fakeroot file lintian
  python3-voluptuous yamllint pycodestyle pylint shellcheck
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Debian starts these daemons on install; the tests run their own on
# loopback ports, so stop the system ones where a service manager exists.
for svc in redis-server memcached nagios4 icinga2; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done
