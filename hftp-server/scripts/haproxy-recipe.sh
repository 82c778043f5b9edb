#!/usr/bin/env bash
# The README's "More than one machine" recipe, proven on loopback: three
# hftp-servers serving one directory behind HAProxy (TCP mode, PROXY
# protocol v2, `help` health checks), then
#   1. health checks: every server is checked, and `help` through HAProxy
#      answers `0 OK`;
#   2. real addresses: clients bound to 127.0.0.2 and 127.0.0.3 fetch
#      through HAProxy, and the servers log those addresses, not
#      HAProxy's (whose connections come from 127.0.0.9); a connection
#      straight to a server from elsewhere is refused;
#   3. many clients: concurrent `hftp get` through HAProxy, byte-exact;
#   4. sizing: `hftp bench` through HAProxy and straight to a server
#      (set RECIPE_BENCH=0 to skip);
#   5. a server killed mid-run: downloads in flight on it still complete
#      byte-exact (the client retries through HAProxy, which sends it to
#      a live server).
# Needs haproxy, python3, sha256sum; installs nothing (.ci/run does).
# Exits non-zero on the first failure. KEEP=1 keeps the work directory.
set -euo pipefail
# The C locale, and hftp's words in English: the recipe reads them.
export LC_ALL=C
unset HFTP_LANG

cd "$(dirname "$0")/../.."
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hftp-haproxy.XXXXXX")
PIDS=()

cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [[ $status -ne 0 ]]; then
        echo "--- FAILED; the logs' last lines:" >&2
        for log in "$WORK"/*.log; do
            [[ -e $log ]] || continue
            echo "--- $log" >&2
            tail -n 15 "$log" >&2
        done
    fi
    if [[ ${KEEP:-0} == 1 ]]; then
        echo "kept $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

phase() { printf '\n=== %s\n' "$*"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Waits up to $1 tenths of a second for the command after it to succeed.
wait_until() {
    local tenths=$1
    shift
    for ((i = 0; i < tenths; i++)); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    return 1
}

for tool in haproxy python3 sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done

if [[ -n ${HFTP_BIN_DIR:-} ]]; then
    BIN=$HFTP_BIN_DIR
else
    cargo build --release --locked -p hftp-server -p hftp-client
    BIN=${CARGO_TARGET_DIR:-target}/release
fi
SERVER=$BIN/hftp-server
HFTP=$BIN/hftp
[[ -x $SERVER && -x $HFTP ]] || fail "no release binaries in $BIN"

# HAProxy's own address toward the servers: the one address the servers
# accept PROXY headers from.
PROXY_SOURCE=127.0.0.9

# A free port on 127.0.0.1, for HAProxy's frontend.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- the served directory
DIR=$WORK/served
mkdir -p "$DIR" "$WORK/out"
printf 'Que calor que hace hoy, pinocho!\n' >"$DIR/hola.txt"
head -c $((32 << 20)) /dev/urandom >"$DIR/medium.bin"
head -c $((${RECIPE_BIG_MIB:-512} << 20)) /dev/urandom >"$DIR/big.bin"
sum_of() { sha256sum "$1" | cut -d' ' -f1; }
MEDIUM_SUM=$(sum_of "$DIR/medium.bin")
BIG_SUM=$(sum_of "$DIR/big.bin")
HOLA_SUM=$(sum_of "$DIR/hola.txt")

# --- three servers behind the proxy, and one straight (for the bench)
# Starts a server on a free port with the given flags; sets STARTED_PID
# and STARTED_ADDR from its startup line.
start_server() {
    local name=$1
    shift
    "$SERVER" -d "$DIR" -a 127.0.0.1 -p 0 "$@" >"$WORK/$name.out" 2>"$WORK/$name.log" &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
    wait_until 100 grep -qs ' serving ' "$WORK/$name.out" || fail "$name did not start"
    STARTED_ADDR=$(awk '{print $NF}' "$WORK/$name.out")
}
declare -A SERVER_PID SERVER_ADDR
for name in s1 s2 s3; do
    start_server "$name" -v --proxy-protocol --proxy-from "$PROXY_SOURCE"
    SERVER_PID[$name]=$STARTED_PID
    SERVER_ADDR[$name]=$STARTED_ADDR
done
start_server direct
DIRECT=$STARTED_ADDR
echo "servers: s1 ${SERVER_ADDR[s1]}, s2 ${SERVER_ADDR[s2]}, s3 ${SERVER_ADDR[s3]}; straight: $DIRECT"

# --- HAProxy in front (the README's configuration, with loopback ports)
FRONT=127.0.0.1:$(free_port)
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 4096
    log stderr format short local0 info

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout check 2s
    # A connection to a server that just died is retried on another.
    retries 3
    option redispatch

frontend hftp
    bind $FRONT
    default_backend hftp_servers

backend hftp_servers
    # Transfers are long: send each client to the least busy server.
    balance leastconn
    option tcp-check
    tcp-check send "help\r\n"
    tcp-check expect string "0 OK"
    default-server check inter 500ms fall 2 rise 1 send-proxy-v2 source $PROXY_SOURCE
    server s1 ${SERVER_ADDR[s1]}
    server s2 ${SERVER_ADDR[s2]}
    server s3 ${SERVER_ADDR[s3]}
EOF
haproxy -c -q -f "$WORK/haproxy.cfg" || fail "HAProxy refuses the configuration"
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.out" 2>"$WORK/haproxy.log" &
PIDS+=("$!")
echo "HAProxy: $FRONT -> s1 s2 s3 (PROXY v2 from $PROXY_SOURCE)"

phase "1. health checks: 'help' expects '0 OK', PROXY v2 on"
checked() { grep -q "^[^ ]* INFO  $PROXY_SOURCE:[0-9]* help - 0 " "$WORK/$1.log"; }
for name in s1 s2 s3; do
    wait_until 100 checked "$name" || fail "$name saw no health check"
done
python3 - "$FRONT" <<'EOF' || fail "help through HAProxy"
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
with socket.create_connection((host, int(port)), timeout=10) as s:
    s.sendall(b"help\r\n")
    reply = b""
    while not reply.endswith(b"\r\n\r\n"):
        chunk = s.recv(4096)
        if not chunk:
            break
        reply += chunk
assert reply.startswith(b"0 OK\r\nget_file_listing\r\n"), reply
EOF
echo "every server checked; help through HAProxy: 0 OK"

phase "2. real client addresses in the servers' logs"
# A minimal client that binds its source address, then fetches NAME
# whole (raw) and prints its sha256.
fetch_from() {
    python3 - "$@" <<'EOF'
import hashlib, socket, sys
source, front, name = sys.argv[1], sys.argv[2], sys.argv[3]
host, port = front.rsplit(":", 1)
with socket.create_connection((host, int(port)), timeout=10, source_address=(source, 0)) as s:
    reply = s.makefile("rb")
    s.sendall(b"get_metadata %s\r\n" % name.encode())
    assert reply.readline() == b"0 OK\r\n"
    size = int(reply.readline())
    s.sendall(b"get_slice %s 0 %d raw\r\nquit\r\n" % (name.encode(), size))
    assert reply.readline() == b"0 OK\r\n"
    assert reply.readline() == b"Content-Length: %d\r\n" % size
    assert reply.readline() == b"\r\n"
    data = reply.read(size)
    assert len(data) == size
    print(hashlib.sha256(data).hexdigest())
EOF
}
for source in 127.0.0.2 127.0.0.3; do
    for _ in 1 2 3; do
        [[ $(fetch_from "$source" "$FRONT" hola.txt) == "$HOLA_SUM" ]] ||
            fail "hola.txt from $source through HAProxy"
    done
done
for source in 127.0.0.2 127.0.0.3; do
    grep -h " INFO  $source:[0-9]* get_slice \"hola.txt\" 0 " "$WORK"/s[123].log | head -n 2
    grep -q " INFO  $source:[0-9]* get_slice \"hola.txt\" 0 " "$WORK"/s[123].log ||
        fail "no server logged $source"
done
if grep -h " INFO  $PROXY_SOURCE:[0-9]* get_" "$WORK"/s[123].log; then
    fail "a request was logged under HAProxy's address"
fi
# Straight to a server, not from the proxy: refused and logged.
python3 - "${SERVER_ADDR[s1]}" <<'EOF'
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
with socket.create_connection((host, int(port)), timeout=10) as s:
    try:
        s.sendall(b"help\r\n")
        assert s.recv(4096) == b"", "answered"
    except ConnectionResetError:
        pass
EOF
wait_until 50 grep -q "not an address allowed to send a PROXY protocol header" "$WORK/s1.log" ||
    fail "s1 did not refuse a connection from outside --proxy-from"
grep -h "not an address allowed" "$WORK/s1.log" | head -n 1
echo "the servers logged 127.0.0.2 and 127.0.0.3, never $PROXY_SOURCE, for requests"

phase "3. many clients through HAProxy, byte-exact"
CLIENTS=${RECIPE_CLIENTS:-24}
pids=()
for ((i = 0; i < CLIENTS; i++)); do
    timeout 300 "$HFTP" -q -s "$FRONT" get medium.bin -o "$WORK/out/m$i.bin" \
        2>"$WORK/out/m$i.err" &
    pids+=("$!")
    PIDS+=("$!")
done
failed=0
for pid in "${pids[@]}"; do
    wait "$pid" || failed=$((failed + 1))
done
((failed == 0)) || fail "$failed of $CLIENTS downloads failed"
for ((i = 0; i < CLIENTS; i++)); do
    [[ $(sum_of "$WORK/out/m$i.bin") == "$MEDIUM_SUM" ]] || fail "m$i.bin differs"
done
rm -f "$WORK"/out/m*.bin
for name in s1 s2 s3; do
    echo "$name served $(grep -c 'get_slice "medium.bin" 0 ' "$WORK/$name.log" || true) slices of medium.bin"
done
echo "$CLIENTS downloads of 32 MiB through HAProxy: all byte-exact"

# One bench figure (MB/s or req/s) of `hftp -s $1 bench ${@:2}`.
bench_figure() {
    local line
    line=$("$HFTP" -s "$1" bench "${@:2}") || fail "bench ${*:2} on $1"
    echo "$line" >>"$WORK/bench.txt"
    echo "$line" | grep -o -E '(MB|req)/s=[0-9.]+' | cut -d= -f2
}

# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

if [[ ${RECIPE_BENCH:-1} == 1 ]]; then
    phase "4. sizing: hftp bench through HAProxy and straight, alternated"
    ROUNDS=${RECIPE_BENCH_ROUNDS:-5}
    declare -A BENCHES=(
        [slice-raw]="slice big.bin"
        [slice-base64]="slice big.bin --base64"
        [meta-c1-d1]="meta hola.txt --requests 10000"
        [meta-c8-d16]="meta hola.txt --conns 8 --depth 16 --requests 100000"
    )
    for what in slice-raw slice-base64 meta-c1-d1 meta-c8-d16; do
        read -r -a args <<<"${BENCHES[$what]}"
        via_proxy=() straight=() ratios=()
        for ((round = 0; round < ROUNDS; round++)); do
            # Alternate which goes first, so neither always finds a warm cache.
            if ((round % 2 == 0)); then
                p=$(bench_figure "$FRONT" "${args[@]}")
                d=$(bench_figure "$DIRECT" "${args[@]}")
            else
                d=$(bench_figure "$DIRECT" "${args[@]}")
                p=$(bench_figure "$FRONT" "${args[@]}")
            fi
            via_proxy+=("$p") straight+=("$d")
            ratios+=("$(awk -v p="$p" -v d="$d" 'BEGIN { printf "%.2f", p / d }')")
        done
        unit=$([[ $what == slice* ]] && echo MB/s || echo req/s)
        printf '%-13s %s: straight %s, through HAProxy %s (medians of %d); ratio %s (rounds: %s)\n' \
            "$what" "$unit" "$(median "${straight[@]}")" "$(median "${via_proxy[@]}")" \
            "$ROUNDS" "$(median "${ratios[@]}")" "${ratios[*]}"
    done
fi

phase "5. a server killed mid-run: every download still completes"
KILLERS=${RECIPE_KILL_CLIENTS:-9}
S2_SEEN=$(wc -l <"$WORK/s2.log")
pids=()
for ((i = 0; i < KILLERS; i++)); do
    # hftp retries a lost connection by itself, through HAProxy to
    # another server, resuming after the bytes it checked.
    timeout 300 "$HFTP" --no-progress -s "$FRONT" get big.bin -o "$WORK/out/b$i.bin" \
        --retry 10 2>"$WORK/out/b$i.err" &
    pids+=("$!")
    PIDS+=("$!")
done
# s2 must be sending when it dies: wait until it has sent a first slice
# of big.bin (hftp asks 32 MiB at a time), so more are on their way.
s2_since() { tail -n +$((S2_SEEN + 1)) "$WORK/s2.log"; }
s2_sending() { s2_since | grep -q 'get_slice "big.bin" 0 '; }
wait_until 600 s2_sending || fail "no download of big.bin went to s2"
kill -9 "${SERVER_PID[s2]}"
wait "${SERVER_PID[s2]}" 2>/dev/null || true
on_s2=$(s2_since | grep -c "127.0.0.1:[0-9]*: connected through $PROXY_SOURCE" || true)
echo "killed s2 (SIGKILL) while sending big.bin to $on_s2 clients"
failed=0
for ((i = 0; i < KILLERS; i++)); do
    if ! wait "${pids[$i]}"; then
        failed=$((failed + 1))
        echo "b$i: failed: $(tail -n 1 "$WORK/out/b$i.err")"
    elif [[ $(sum_of "$WORK/out/b$i.bin") != "$BIG_SUM" ]]; then
        failed=$((failed + 1))
        echo "b$i: complete but its bytes differ"
    else
        retries=$(grep -c retrying "$WORK/out/b$i.err" || true)
        echo "b$i: byte-exact after $retries retries $(grep -m 1 retrying "$WORK/out/b$i.err" || true)"
    fi
done
((failed == 0)) || fail "$failed of $KILLERS downloads did not survive the kill"
echo "s1 and s3 served $(cat "$WORK"/s[13].log | grep -c 'get_slice "big.bin"') big.bin slices after and before the kill"
echo "$KILLERS downloads of ${RECIPE_BIG_MIB:-512} MiB survived the kill of s2: all byte-exact"

phase "recipe passed"
