#!/usr/bin/env bash
# A self-contained demo of ruroco's main job on loopback, as root on Debian 12: build, make a
# key, start a privilege-separated server (its network child runs as 'nobody', chrooted) from
# a temporary config, knock once with the client, and show the command's output.
set -euo pipefail
cd "$(dirname "$0")"
packaging/install-build-deps.sh
if [ "$(id -u)" -ne 0 ]; then echo "demo.sh: run as root (the server drops privileges itself)" >&2; exit 2; fi
[ -d build ] || meson setup build -Dtests=false >/dev/null
ninja -C build >/dev/null
bin=$PWD/build

demo=$(mktemp -d /tmp/ruroco-demo.XXXXXX)
server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; rm -rf "$demo"; }
trap cleanup EXIT
port=$((35000 + RANDOM % 20000))
mkdir -m 0700 "$demo/keys" "$demo/client"

echo "== 1. a key for the client, a copy for the server"
"$bin/ruroco-client" gen -o "$demo/client/demo.key"
install -m 0600 "$demo/client/demo.key" "$demo/keys/demo.key"

echo "== 2. server config on 127.0.0.1:$port, one command"
cat > "$demo/server.ini" <<INI
[server]
listen = 127.0.0.1:$port
key_dir = $demo/keys
state_dir = $demo/state
chroot = $demo/empty
user = nobody
[commander]
commands = $demo/commands.ini
journal_dir = $demo/journal
INI
cat > "$demo/commands.ini" <<'INI'
[open_ssh]
start = echo "ruroco ran open_ssh for $RUROCO_IP as $(id -un)"
INI
chmod 0600 "$demo/commands.ini"
"$bin/ruroco-server" -c "$demo/server.ini" --check

echo "== 3. start the server (root parent = commander, network child = nobody)"
"$bin/ruroco-server" -c "$demo/server.ini" 2> "$demo/server.log" &
server_pid=$!
for _ in $(seq 100); do
  ss -Hlun "sport = :$port" | grep -q . && break
  sleep 0.05
done

echo "== 4. knock"
XDG_STATE_HOME=$demo/client "$bin/ruroco-client" send -a "127.0.0.1:$port" -k "$demo/client/demo.key" -c open_ssh

echo "== 5. the command's output, from the server log"
for _ in $(seq 100); do
  grep -q "ruroco ran open_ssh" "$demo/server.log" && break
  sleep 0.05
done
cat "$demo/server.log"
grep -q "ruroco ran open_ssh for 127.0.0.1 as root" "$demo/server.log" && echo "== demo ok"
