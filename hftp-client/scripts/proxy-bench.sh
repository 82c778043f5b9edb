#!/usr/bin/env bash
# Download rate through a SOCKS5 proxy on loopback against the direct
# rate, measured in the same run: one hftp-server, one SOCKS5 server, and
# `hftp get FILE -o -` (raw bodies) timed straight and through the proxy
# in turns, ROUNDS times each. Prints each side's median rate and the
# median of the per-round ratios (proxied / direct).
#
# SOCKS=dante (default: Dante's danted, which relays in large buffers, so
# the figure is the client's own cost) or SOCKS=microsocks (which relays
# 1 KiB at a time and is itself the limit); ROUNDS (default 9), SIZE_MIB
# (default 512), BASE64=1 for base64 bodies; HFTP_BIN_DIR to use built
# binaries instead of a release build.
# Needs danted (apt-get install dante-server) or microsocks.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-9}
SIZE_MIB=${SIZE_MIB:-512}
SOCKS=${SOCKS:-dante}
case $SOCKS in
dante) SOCKS_BIN=danted ;;
microsocks) SOCKS_BIN=microsocks ;;
*) echo "SOCKS is dante or microsocks" >&2; exit 2 ;;
esac
command -v "$SOCKS_BIN" >/dev/null || { echo "$SOCKS_BIN is not installed" >&2; exit 1; }
if [[ -n ${HFTP_BIN_DIR:-} ]]; then
    BIN=$HFTP_BIN_DIR
else
    cargo build --quiet --release --locked -p hftp-server -p hftp-client --bins
    BIN=${CARGO_TARGET_DIR:-target}/release
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hftp-proxy-bench.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mkdir "$WORK/served"
head -c $((SIZE_MIB << 20)) /dev/urandom >"$WORK/served/big.bin"
"$BIN/hftp-server" -q -a 127.0.0.1 -p 0 -d "$WORK/served" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q ' on ' "$WORK/server.log" && break; sleep 0.1; done
SERVER=$(sed -n 's/.* on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$WORK/server.log")
[[ -n $SERVER ]] || { cat "$WORK/server.log" >&2; exit 1; }
SOCKS_PORT=$(free_port)
if [[ $SOCKS == dante ]]; then
    cat >"$WORK/danted.conf" <<CONF
logoutput: $WORK/danted.log
internal: 127.0.0.1 port = $SOCKS_PORT
external: 127.0.0.1
socksmethod: none
clientmethod: none
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
CONF
    danted -f "$WORK/danted.conf" -N 1 &
else
    microsocks -i 127.0.0.1 -p "$SOCKS_PORT" >/dev/null 2>&1 &
fi
PIDS+=($!)
sleep 0.5

form=()
[[ ${BASE64:-0} == 1 ]] && form=(--base64)
# Seconds one download takes, its bytes checked by count.
timed() {
    local start end bytes
    start=$(date +%s%N)
    bytes=$("$BIN/hftp" -q -s "$SERVER" "${form[@]}" "$@" get big.bin -o - | wc -c)
    end=$(date +%s%N)
    [[ $bytes -eq $((SIZE_MIB << 20)) ]] || { echo "short download: $bytes bytes" >&2; exit 1; }
    awk -v ns=$((end - start)) 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

timed >/dev/null # warm the page cache and both binaries
direct=() proxied=() ratios=()
for ((i = 0; i < ROUNDS; i++)); do
    d=$(timed)
    p=$(timed --proxy "socks5h://127.0.0.1:$SOCKS_PORT")
    direct+=("$d") proxied+=("$p")
    ratios+=("$(awk -v d="$d" -v p="$p" 'BEGIN { printf "%.4f\n", d / p }')")
done
md=$(printf '%s\n' "${direct[@]}" | median)
mp=$(printf '%s\n' "${proxied[@]}" | median)
mr=$(printf '%s\n' "${ratios[@]}" | median)
rate() { awk -v mib="$SIZE_MIB" -v s="$1" 'BEGIN { printf "%.0f\n", mib * 1048576 / s / 1e6 }'; }
echo "file: $SIZE_MIB MiB, ${form[*]:-raw} bodies, $ROUNDS rounds"
echo "direct:            median $md s ($(rate "$md") MB/s)"
echo "through $SOCKS_BIN: median $mp s ($(rate "$mp") MB/s)"
echo "rate through the proxy / direct, median of the rounds: $mr"
