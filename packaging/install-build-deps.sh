#!/usr/bin/env bash
# Installs the Debian 12 packages ruroco needs to build, test and package (as root), or says
# which are missing. Sourced-or-run by ./demo.sh and ./test.sh so a fresh machine needs nothing else.
set -euo pipefail
packages=(meson ninja-build pkg-config g++ libsodium-dev libb2-dev libinih-dev libcxxopts-dev
          catch2 nlohmann-json3-dev libseccomp-dev iproute2 procps python3 util-linux
          scdoc debhelper dpkg-dev fakeroot lintian man-db bash-completion systemd
          clang-14 libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install -y ${missing[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
