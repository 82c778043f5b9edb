#!/usr/bin/env bash
# The system calls hftp-server makes per request, by kind, counted with
# strace on the connection's thread.
#
# One client sends each kind of request 1000 times, one at a time (every
# request is a batch of its own, the costliest case: the directory is
# looked up for each), and reads each reply whole. The calls of the
# connection's thread are counted by strace and divided by 1000.
#
# Usage: hftp-server/scripts/syscalls.sh   (needs strace: apt-get install strace)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v strace >/dev/null || { echo "syscalls: strace is missing (apt-get install strace)" >&2; exit 2; }
cargo build --quiet --release -p hftp-server
target="${CARGO_TARGET_DIR:-target}/release"

work="$(mktemp -d)"
trap 'pkill -P "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/served"
printf 'Que calor que hace hoy, pinocho!\n' >"$work/served/hola.txt"
ln -s hola.txt "$work/served/link"

strace -f -qq -o "$work/trace" "$target/hftp-server" -a 127.0.0.1 -p 0 -q -d "$work/served" >"$work/out" &
server=$!
port=""
for _ in $(seq 1 100); do
    port="$(sed -n 's/.* on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/out")"
    [[ -n "$port" ]] && break
    sleep 0.05
done

python3 - "$port" "$work/trace" <<'PY'
import collections, re, socket, sys, time

port, trace = int(sys.argv[1]), sys.argv[2]
ROUNDS = 1000
kinds = [
    ("get_metadata, a regular file", b"get_metadata hola.txt\r\n", b"0 OK\r\n33\r\n"),
    ("get_metadata, a missing name (202)", b"get_metadata nope\r\n", b"202 FILE NOT FOUND\r\n"),
    ("get_metadata, a link inside", b"get_metadata link\r\n", b"0 OK\r\n33\r\n"),
    ("get_slice, 14 bytes base64", b"get_slice hola.txt 4 14\r\n", b"0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\r\n"),
    ("get_slice, 14 bytes raw", b"get_slice hola.txt 4 14 raw\r\n",
     b"0 OK\r\nContent-Length: 14\r\n\r\ncalor que hace"),
    ("get_file_listing, 2 names", b"get_file_listing\r\n", b"0 OK\r\nhola.txt\r\nlink\r\n\r\n"),
    ("help", b"help\r\n", None),
]

def tids(path):
    return {int(line.split()[0]) for line in open(path) if line.strip()}

def calls(path, tid):
    """The calls of thread `tid`, by name; a call strace splits into
    "unfinished" and "resumed" lines counts once."""
    counts = collections.Counter()
    for line in open(path):
        parts = line.split(None, 1)
        if len(parts) == 2 and int(parts[0]) == tid and not parts[1].startswith("<..."):
            match = re.match(r"(\w+)\(", parts[1])
            if match:
                counts[match.group(1)] += 1
    return counts

print(f"{'request (one per batch)':40} {'calls':>6}  by name")
for title, request, expected in kinds:
    before = tids(trace)
    conn = socket.create_connection(("127.0.0.1", port))
    for _ in range(ROUNDS):
        conn.sendall(request)
        want = len(expected) if expected else None
        got = b""
        while (want is None and not got.endswith(b"\r\n\r\n")) or (want is not None and len(got) < want):
            got += conn.recv(65536)
        if expected is not None:
            assert got == expected, (title, got)
    conn.sendall(b"quit\r\n")
    conn.recv(64)
    conn.close()
    time.sleep(0.3)
    new = sorted(tids(trace) - before)
    tid = new[-1]
    counts = calls(trace, tid)
    # The connection's start and end (thread setup, quit, close) are spread
    # over the rounds; they are under one call per request.
    total = sum(counts.values()) / ROUNDS
    detail = ", ".join(f"{name} {count / ROUNDS:.2f}" for name, count in counts.most_common() if count >= ROUNDS / 2)
    print(f"{title:40} {total:6.2f}  {detail}")
PY
