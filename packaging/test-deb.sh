#!/usr/bin/env bash
# Builds the .deb, installs it with apt-get on this machine, checks what it installed, runs a
# knock round trip against the installed files (the server started as ruroco.service's
# ExecStart would, without systemd as PID 1), checks man pages, completion and the units'
# hardening, then purges it and checks nothing is left. Root only; it changes this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then echo "test-deb.sh: skipped: needs root to install a package" >&2; exit 0; fi

fail() { echo "test-deb.sh: FAIL: $*" >&2; exit 1; }
check() { local what=$1; shift; "$@" || fail "$what"; echo "ok - $what"; }
mode_owner() { stat -c '%a %U:%G' "$1"; }

deb=$(packaging/build-deb.sh | tail -n 1)
[ -f "$deb" ] || fail "no package built"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "./$deb" >/dev/null

check "binary installed" test -x /usr/bin/ruroco
for role in client server commander; do
  check "ruroco-$role links to ruroco" test "$(readlink /usr/bin/ruroco-$role)" = ruroco
done
check "ruroco --list shows the roles" test "$(ruroco --list | tr '\n' ' ')" = "ruroco-client ruroco-server ruroco-commander "
check "system user ruroco" test "$(getent passwd ruroco | cut -d: -f7)" = /usr/sbin/nologin
check "ruroco is a system uid" test "$(id -u ruroco)" -lt 1000
check "/etc/ruroco/commands.ini root 0600" test "$(mode_owner /etc/ruroco/commands.ini)" = "600 root:root"
check "/etc/ruroco/server.ini root 0644" test "$(mode_owner /etc/ruroco/server.ini)" = "644 root:root"
check "/etc/ruroco/keys root 0700" test "$(mode_owner /etc/ruroco/keys)" = "700 root:root"
check "/var/lib/ruroco 0700" test "$(stat -c %a /var/lib/ruroco)" = 700
check "/var/lib/ruroco-commander root 0700" test "$(mode_owner /var/lib/ruroco-commander)" = "700 root:root"
check "conffiles" test "$(dpkg-query -W -f='${Conffiles}' ruroco | awk '{print $1}' | tr '\n' ' ')" = "/etc/ruroco/commands.ini /etc/ruroco/server.ini "
check "man ruroco" sh -c 'man -w ruroco >/dev/null'
check "man ruroco.ini" sh -c 'man -w ruroco.ini >/dev/null'
check "man ruroco-client" sh -c 'man -w ruroco-client >/dev/null'
check "man page renders" sh -c 'man ruroco.ini 2>/dev/null | grep -q max_clock_skew'
for unit in ruroco.service ruroco.socket ruroco-commander.service ruroco-netserver.service ruroco-netserver.socket; do
  check "unit $unit installed" test -f /lib/systemd/system/$unit
done
for unit in ruroco.service ruroco-commander.service ruroco-netserver.service; do
  score=$(systemd-analyze security --offline=true /lib/systemd/system/$unit 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  echo "   $unit exposure: $score"
  check "$unit exposure below 5 (medium)" awk -v s="$score" 'BEGIN { exit !(s != "" && s < 5.0) }'
done

# Completion: roles, subcommands, options and profile names from client.ini.
complete_words() {
  HOME=$work XDG_CONFIG_HOME=$work/config bash -c '
    source /usr/share/bash-completion/bash_completion
    source /usr/share/bash-completion/completions/ruroco
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _ruroco; printf "%s\n" "${COMPREPLY[@]}"' _ "$@" | sort | tr '\n' ' '
}
work=$(mktemp -d)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/config/ruroco"
printf '[web1]\naddress = 127.0.0.1\n[db2]\naddress = 127.0.0.2\n' > "$work/config/ruroco/client.ini"
check "completion: roles" test "$(complete_words ruroco "")" = "--help --list --version client commander server "
check "completion: subcommands" test "$(complete_words ruroco-client s)" = "send "
check "completion: profiles" test "$(complete_words ruroco-client send "")" = "db2 web1 "
check "completion: options" test "$(complete_words ruroco-server --p)" = "--pending "

# The round trip, with the configuration in /etc/ruroco.
port=$((35000 + RANDOM % 20000))
ruroco-client gen -o "$work/client.key" >/dev/null
install -m 0600 "$work/client.key" /etc/ruroco/keys/ci.key
sed -i "s|^;listen = .*|listen = 127.0.0.1:$port|" /etc/ruroco/server.ini
cat >> /etc/ruroco/commands.ini <<INI
[ci_knock]
start = echo "knocked from \$RUROCO_IP" > $work/ran
INI
check "installed config passes --check" sh -c 'ruroco-server -c /etc/ruroco/server.ini --check >/dev/null'
mkdir -p /run/ruroco   # systemd's RuntimeDirectory=ruroco
/usr/bin/ruroco-server -c /etc/ruroco/server.ini 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 100); do ss -Hlun "sport = :$port" | grep -q . && break; sleep 0.05; done
XDG_STATE_HOME=$work/state ruroco-client send -q -a "127.0.0.1:$port" -k "$work/client.key" -c ci_knock
for _ in $(seq 100); do [ -s "$work/ran" ] && break; sleep 0.05; done
check "installed server ran the knocked command" grep -q "knocked from 127.0.0.1" "$work/ran"
check "network child ran as ruroco" grep -q "running as ruroco in chroot /run/ruroco/empty" "$work/server.log"
kill "$server_pid"; wait "$server_pid" || true; server_pid=

apt-get purge -y -qq ruroco >/dev/null
check "purged: binary gone" test ! -e /usr/bin/ruroco
check "purged: /etc/ruroco gone" test ! -e /etc/ruroco
check "purged: state gone" test ! -e /var/lib/ruroco -a ! -e /var/lib/ruroco-commander
check "purged: units gone" test ! -e /lib/systemd/system/ruroco.service
echo "test-deb.sh: all package checks passed"
