#!/bin/sh
# Throw-away sshd instances for the ssh integration suite (root only, 127.0.0.0/8 only).
#
#   sshd_fixture.sh start DIR NAME ADDRESS PORT AUTHORIZED_KEYS   -> prints the sshd pid
#   sshd_fixture.sh tarpit DIR NAME ADDRESS PORT                  -> prints the listener pid
#   sshd_fixture.sh dropper DIR NAME ADDRESS PORT                 -> prints the listener pid
#   sshd_fixture.sh bastion DIR NAME ADDRESS PORT AUTHORIZED_KEYS HOSTS_FILE [CONFIG_LINE...]
#                                                                  -> prints the sshd pid
#   sshd_fixture.sh blackhole DIR NAME ADDRESS PORT               -> prints the listener pid
#   sshd_fixture.sh stop PID...
#
# Each sshd gets its own host keys (DIR/NAME/ssh_host_*), config, log (DIR/NAME/sshd.log,
# LogLevel DEBUG1 so the tests can tell whether authentication was attempted) and runs in a
# private mount namespace with an empty file over ~/.bashrc, so shell start-up files neither
# slow the commands down nor print into their output.
set -eu

wait_for_listener() { # ADDRESS PORT
  for _ in $(seq 1 100); do
    if python3 - "$1" "$2" <<'PY' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=0.2)
s.close()
PY
    sleep 0.05
  done
  echo "listener $1:$2 did not come up" >&2
  return 1
}

start() {
  start_sshd "$1" "$2" "$3" "$4" "$5" "" "MaxStartups 1000:30:2000"
}

# A bastion: OpenSSH's defaults for MaxStartups and MaxSessions, forwarding allowed, and its
# own /etc/hosts (HOSTS_FILE bound over it in the sshd's mount namespace), so the names of the
# hosts behind it resolve only there. Its log has one "Accepted publickey" line per login.
# CONFIG_LINEs come first: sshd takes the first value of a keyword.
bastion() {
  dir=$1 name=$2 address=$3 port=$4 authorized=$5 hosts=$6
  shift 6
  extra=""
  for line in "$@"; do
    extra="$extra$line
"
  done
  extra="${extra}AllowTcpForwarding yes"
  start_sshd "$dir" "$name" "$address" "$port" "$authorized" "$hosts" "$extra"
}

start_sshd() {
  dir=$1 name=$2 address=$3 port=$4 authorized=$5 hosts=$6 extra=$7
  home=$dir/$name
  mkdir -p "$home" /run/sshd
  chmod 0755 /run/sshd
  for type in ed25519 ecdsa; do
    [ -f "$home/ssh_host_${type}_key" ] ||
      ssh-keygen -q -t "$type" -N '' -C "$name" -f "$home/ssh_host_${type}_key"
  done
  : > "$home/empty_rc"
  cat > "$home/sshd_config" <<CFG
ListenAddress $address:$port
HostKey $home/ssh_host_ed25519_key
HostKey $home/ssh_host_ecdsa_key
PidFile none
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $authorized
MaxAuthTries 6
$extra
LogLevel DEBUG1
CFG
  /usr/sbin/sshd -t -f "$home/sshd_config"
  # -r: no re-exec per connection (much cheaper; fine for tests).
  bind_hosts=true
  if [ -n "$hosts" ]; then
    bind_hosts="mount --bind '$hosts' /etc/hosts"
  fi
  setsid unshare -m --propagation private sh -c \
    "mount --bind '$home/empty_rc' /root/.bashrc 2>/dev/null || true
     $bind_hosts
     exec /usr/sbin/sshd -D -r -f '$home/sshd_config' -E '$home/sshd.log'" \
    </dev/null >/dev/null 2>&1 &
  echo $! > "$home/pid"
  wait_for_listener "$address" "$port"
  cat "$home/pid"
}

tarpit() {
  dir=$1 name=$2 address=$3 port=$4
  mkdir -p "$dir/$name"
  setsid python3 - "$address" "$port" </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- <<'PY' &
# Accepts connections and never says a word: a stalled host.
import socket, sys, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(128)
held = []
while True:
    connection, _ = server.accept()
    held.append(connection)
PY
  echo $! > "$dir/$name/pid"
  wait_for_listener "$address" "$port"
  cat "$dir/$name/pid"
}

dropper() {
  dir=$1 name=$2 address=$3 port=$4
  mkdir -p "$dir/$name"
  setsid python3 - "$address" "$port" </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- <<'PY' &
# Accepts connections and closes them at once, before any banner: what sshd does to
# connections past MaxStartups.
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(128)
while True:
    connection, _ = server.accept()
    connection.close()
PY
  echo $! > "$dir/$name/pid"
  wait_for_listener "$address" "$port"
  cat "$dir/$name/pid"
}

blackhole() {
  dir=$1 name=$2 address=$3 port=$4
  mkdir -p "$dir/$name"
  setsid python3 - "$address" "$port" "$dir/$name/ready" </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- <<'PY' &
# A listener whose accept queue is full (backlog 0, one connection never accepted): the kernel
# drops every further SYN, so a connect() to it hangs like one to a blackholed address.
import socket, sys, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(0)
filler = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
open(sys.argv[3], "w").close()
while True:
    time.sleep(3600)
PY
  echo $! > "$dir/$name/pid"
  for _ in $(seq 1 100); do
    [ -e "$dir/$name/ready" ] && break
    sleep 0.05
  done
  cat "$dir/$name/pid"
}

stop() {
  for pid in "$@"; do
    kill "$pid" 2>/dev/null || true
  done
}

command=$1
shift
case $command in
  start) start "$@" ;;
  tarpit) tarpit "$@" ;;
  dropper) dropper "$@" ;;
  bastion) bastion "$@" ;;
  blackhole) blackhole "$@" ;;
  stop) stop "$@" ;;
  *) echo "usage: $0 start|tarpit|stop ..." >&2; exit 2 ;;
esac
