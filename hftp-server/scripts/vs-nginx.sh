#!/usr/bin/env bash
# hftp-server beside nginx, on one file over loopback, in one run.
#
# Serves the same file (256 MiB from /dev/urandom by default, in the page
# cache) with hftp-server and with nginx (`sendfile on`), and downloads it
# whole, alternating, ROUNDS times each:
#   nginx: curl -o /dev/null http://127.0.0.1:PORT/FILE
#   raw:    hftp get FILE -o - > /dev/null     (the 2026 raw form)
#   base64: hftp get FILE -o - --base64 > /dev/null
# Prints each round's wall times, then the median of each and the ratio
# of each hftp rate to nginx's (above 1: faster than nginx+curl).
#
# Usage: hftp-server/scripts/vs-nginx.sh [ROUNDS] [SIZE_MIB]
# Needs nginx and curl (Debian: apt-get install nginx-light curl); builds
# release binaries first. Traffic stays on 127.0.0.1; everything it starts
# is stopped when it ends.
set -euo pipefail

rounds="${1:-9}"
size_mib="${2:-256}"
cd "$(dirname "$0")/../.."
for tool in nginx curl python3; do
    command -v "$tool" >/dev/null || { echo "vs-nginx: $tool is missing (apt-get install nginx-light curl)" >&2; exit 2; }
done
cargo build --quiet --release -p hftp-server -p hftp-client --bins
target="${CARGO_TARGET_DIR:-target}/release"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/served" "$work/nginx"
head -c "$((size_mib << 20))" /dev/urandom >"$work/served/big.bin"
cat "$work/served/big.bin" >/dev/null
# nginx's worker runs as an unprivileged user: let it read the file.
chmod 755 "$work" "$work/served"
chmod 644 "$work/served/big.bin"
sum="$(sha256sum <"$work/served/big.bin")"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

nginx_port="$(free_port)"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
error_log $work/nginx/error.log;
pid $work/nginx/nginx.pid;
events { worker_connections 64; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx;
    fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx;
    scgi_temp_path $work/nginx;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/served;
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)

"$target/hftp-server" -a 127.0.0.1 -p 0 -d "$work/served" -q >"$work/hftp.out" &
pids+=($!)
hftp_port=""
for _ in $(seq 1 100); do
    hftp_port="$(sed -n 's/.* on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/hftp.out")"
    [[ -n "$hftp_port" ]] && break
    sleep 0.05
done
for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/big.bin" && break
    sleep 0.05
done

# Every client is checked once, whole, before anything is timed.
hftp=("$target/hftp" -s "127.0.0.1:$hftp_port" get big.bin -o - -q)
for client in "curl -sf http://127.0.0.1:$nginx_port/big.bin" "${hftp[*]}" "${hftp[*]} --base64"; do
    if [[ "$($client | sha256sum)" != "$sum" ]]; then
        echo "vs-nginx: $client did not download the file exactly" >&2
        exit 1
    fi
done

# Seconds of wall time that "$@" takes, its output to /dev/null.
timed() {
    local start end
    start="$(date +%s.%N)"
    "$@" >/dev/null
    end="$(date +%s.%N)"
    python3 -c "print(f'{$end - $start:.4f}')"
}

declare -a t_nginx t_raw t_b64
echo "round nginx+curl_s hftp_raw_s hftp_base64_s"
for round in $(seq 1 "$rounds"); do
    t_nginx+=("$(timed curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/big.bin")")
    t_raw+=("$(timed "${hftp[@]}")")
    t_b64+=("$(timed "${hftp[@]}" --base64)")
    echo "$round ${t_nginx[-1]} ${t_raw[-1]} ${t_b64[-1]}"
done

python3 - "$size_mib" "${t_nginx[*]}" "${t_raw[*]}" "${t_b64[*]}" <<'PY'
import statistics, sys
mib = int(sys.argv[1])
nginx, raw, b64 = (list(map(float, arg.split())) for arg in sys.argv[2:5])
mb = mib * 1048576 / 1e6
med = {name: statistics.median(times) for name, times in
       (("nginx+curl", nginx), ("hftp raw", raw), ("hftp base64", b64))}
print(f"median over {len(nginx)} rounds of {mib} MiB:")
for name, secs in med.items():
    ratio = med["nginx+curl"] / secs
    print(f"  {name:12} {secs:.4f} s  {mb / secs:7.1f} MB/s  rate vs nginx+curl {ratio:.3f}")
PY
