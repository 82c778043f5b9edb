#!/usr/bin/env bash
# hftp over Tor, proven on a private Tor network that never leaves this
# machine. The whole run happens inside a fresh network namespace that
# has only loopback (`unshare -n`), where
#   1. five tor processes, each a directory authority and a relay with
#      keys made fresh by tor-gencert, form a test network
#      (TestingTorNetwork) on 127.0.0.1, and a client tor offers a SOCKS
#      port on it;
#   2. the lab's way: a tor with HiddenServiceDir/HiddenServicePort
#      forwards an onion service to a plain `hftp-server -a 127.0.0.1`,
#      and `torsocks hftp` lists and downloads from it byte-exact;
#   3. hftp's way: `hftp-server --onion --tor-config FILE` publishes
#      itself through a tor of its own pointed at the test network by
#      FILE, and `hftp --proxy socks5h://...` lists it, passes
#      `hftp check`, and downloads a random file byte-exact: raw, base64
#      and over 4 connections.
# It prints how long bootstrap, publication and each download took; a
# run takes 3 minutes or so, most of them the checker's cases over Tor.
#
# Installs tor, torsocks, iproute2 and procps with apt when absent (as
# root, or through sudo), and stops a system tor a package started.
# Builds the commands like .ci/check-own-server (PROFILE=release|debug,
# default debug; CARGO_TARGET_DIR is honoured) unless HFTP_BIN and
# HFTP_SERVER_BIN name them; fails at once if they lack --proxy or
# --onion. Needs root or unprivileged user namespaces.
# RECIPE_MIB sets the random file's size (default 8). Exits non-zero on
# the first failure, with the tail of the relevant logs. KEEP=1 keeps
# the work directory.
set -euo pipefail
# The C locale, and hftp's words in English: the recipe reads them.
export LC_ALL=C
unset HFTP_LANG

SELF=$(realpath "$0")
cd "$(dirname "$SELF")/../.."

phase() { printf '\n=== %s\n' "$*"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Runs a command as root: directly, or through sudo.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    else
        sudo "$@"
    fi
}

# Installs the Debian packages holding the tools this recipe runs.
install_tools() {
    local missing=() tool package
    local -A package_of=([tor]=tor [tor-gencert]=tor [torsocks]=torsocks [ip]=iproute2
        [pgrep]=procps [unshare]=util-linux [sha256sum]=coreutils)
    for tool in "${!package_of[@]}"; do
        package=${package_of[$tool]}
        if ! command -v "$tool" >/dev/null && [[ " ${missing[*]} " != *" $package "* ]]; then
            missing+=("$package")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    echo "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

# Debian's tor service runs as debian-tor and would reach the real Tor
# network: stop it if installing the package started it. Other tor
# processes (someone's tests) are not ours to stop.
stop_system_tor() {
    system_tor() { pgrep -x -u debian-tor tor >/dev/null 2>&1; }
    if system_tor; then
        echo "a system tor runs (Debian's tor service): stopping it"
        as_root systemctl stop tor.service 2>/dev/null ||
            as_root service tor stop 2>/dev/null || true
        for _ in $(seq 100); do
            system_tor || break
            sleep 0.1
        done
        if system_tor; then
            fail "a system tor still runs ($(pgrep -d ' ' -x -u debian-tor tor)): stop it first"
        fi
    fi
    if pgrep -x tor >/dev/null; then
        echo "note: tor processes not of the system's service run ($(pgrep -d ' ' -x tor)); left alone"
    fi
    return 0
}

# --- outside the namespace: tools, binaries, then into the namespace
if [[ -z ${TOR_RECIPE_NAMESPACE:-} ]]; then
    install_tools
    stop_system_tor
    if [[ -z ${HFTP_BIN:-} || -z ${HFTP_SERVER_BIN:-} ]]; then
        profile=${PROFILE:-debug}
        flag=()
        [[ $profile == release ]] && flag=(--release)
        cargo build --quiet --locked "${flag[@]}" -p hftp-server -p hftp-client --bins
        target=${CARGO_TARGET_DIR:-target}/$profile
        HFTP_BIN=${HFTP_BIN:-$target/hftp}
        HFTP_SERVER_BIN=${HFTP_SERVER_BIN:-$target/hftp-server}
    fi
    for bin in "$HFTP_BIN" "$HFTP_SERVER_BIN"; do
        [[ -x $bin ]] || fail "no executable $bin"
    done
    HFTP_BIN=$(realpath "$HFTP_BIN")
    HFTP_SERVER_BIN=$(realpath "$HFTP_SERVER_BIN")
    echo "hftp: $HFTP_BIN; hftp-server: $HFTP_SERVER_BIN"
    # Fail now, not after the network's minute, if a flag is missing.
    [[ $("$HFTP_BIN" --help) == *"--proxy <URL>"* ]] || fail "$HFTP_BIN has no --proxy"
    [[ $("$HFTP_SERVER_BIN" --help) == *"--tor-config <FILE>"* ]] ||
        fail "$HFTP_SERVER_BIN has no --onion --tor-config"
    export HFTP_BIN HFTP_SERVER_BIN TOR_RECIPE_NAMESPACE=1
    # As root a network namespace; else a user namespace too, mapped to
    # root inside, so that `ip link set lo up` may run.
    unshare_flags=(-n)
    [[ $(id -u) -eq 0 ]] || unshare_flags=(-r -n)
    unshare "${unshare_flags[@]}" true 2>/dev/null ||
        fail "cannot make a network namespace (unshare ${unshare_flags[*]}): run as root"
    exec unshare "${unshare_flags[@]}" -- bash "$SELF" "$@"
fi

# --- inside the namespace: only loopback, nothing can leave the machine
ip link set lo up
# (A fresh namespace may hold tunnel devices, down and without address.)
others=$(ip -o addr show | awk '$2 != "lo" { print $2, $4 }')
[[ -z $others ]] || fail "the namespace has addresses besides loopback's: $others"

HFTP=$HFTP_BIN
SERVER=$HFTP_SERVER_BIN
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hftp-tor.XXXXXX")
chmod 700 "$WORK"
PIDS=()
# The logs worth showing if the current phase fails.
RELEVANT=()

cleanup() {
    local status=$?
    local pid left
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    # Whatever was started with a path in the work directory (the tors
    # hftp-server started itself among them) must be gone too.
    for _ in $(seq 50); do
        left=$(pgrep -d ' ' -f -- "$WORK" || true)
        [[ -z $left ]] && break
        sleep 0.1
    done
    if [[ -n $left ]]; then
        echo "FAIL: processes left behind: $left" >&2
        ps -o pid,args -p "${left// /,}" >&2 || true
        read -r -a stray <<<"$left"
        kill -9 "${stray[@]}" 2>/dev/null || true
        [[ $status -ne 0 ]] || status=1
    fi
    if [[ $status -ne 0 ]]; then
        echo "--- FAILED; the relevant logs' last lines:" >&2
        for log in "${RELEVANT[@]}"; do
            [[ -e $log ]] || continue
            echo "--- $log" >&2
            tail -n 20 "$log" >&2
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

# Waits up to $1 tenths of a second for the command after it to succeed.
wait_until() {
    local tenths=$1 i
    shift
    for ((i = 0; i < tenths; i++)); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# Seconds since $1 (an $EPOCHREALTIME), one decimal.
since() { awk -v start="$1" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.1f", now - start }'; }
# The timings printed again at the end: "what: seconds".
TIMINGS=()
timing() { TIMINGS+=("$(printf '%-52s %6.1f s' "$1:" "$2")"); }
sum_of() { sha256sum "$1" | cut -d' ' -f1; }

# The fresh namespace has no listener but ours: fixed ports cannot clash,
# and hftp-server's free ports (port 0) come from the ephemeral range.
AUTHORITIES=5
OR_BASE=5100
DIR_BASE=5200
SOCKS_PORT=5300
KIT_PORT=5400
ONION_PORT=19500

START=$EPOCHREALTIME

phase "1. a private Tor network on 127.0.0.1: $AUTHORITIES authorities that are also relays"
echo "namespace: $(ip -o -4 addr show | awk '{print $2, $4}' | paste -sd ' ')"
: >"$WORK/empty.torrc"
keys_started=$EPOCHREALTIME
gencerts=()
for ((i = 0; i < AUTHORITIES; i++)); do
    data=$WORK/auth$i
    mkdir -m 700 "$data" "$data/keys"
    (
        cd "$data/keys"
        echo "" | tor-gencert --create-identity-key -m 12 -a "127.0.0.1:$((DIR_BASE + i))" \
            --passphrase-fd 0 >gencert.log 2>&1
    ) &
    gencerts+=("$!")
done
for ((i = 0; i < AUTHORITIES; i++)); do
    wait "${gencerts[$i]}" || fail "tor-gencert failed: $(tail -n 3 "$WORK/auth$i/keys/gencert.log")"
done
# The lines every node of the network needs, and nothing else: they
# are also what hftp-server's own tor is given.
{
    echo "TestingTorNetwork 1"
    echo "UseDefaultFallbackDirs 0"
    for ((i = 0; i < AUTHORITIES; i++)); do
        data=$WORK/auth$i
        v3ident=$(awk '$1 == "fingerprint" { print $2 }' "$data/keys/authority_certificate")
        tor --list-fingerprint --quiet --ORPort 1 --DataDirectory "$data" \
            --defaults-torrc "$WORK/empty.torrc" -f "$WORK/empty.torrc" >/dev/null ||
            fail "tor --list-fingerprint failed for auth$i"
        relay=$(awk '{ print $2 }' "$data/fingerprint")
        echo "DirAuthority auth$i orport=$((OR_BASE + i)) no-v2 v3ident=$v3ident 127.0.0.1:$((DIR_BASE + i)) $relay"
    done
} >"$WORK/network.torrc"
echo "keys made in $(since "$keys_started") s"
timing "authority keys (tor-gencert, 5 at once)" "$(since "$keys_started")"

for ((i = 0; i < AUTHORITIES; i++)); do
    data=$WORK/auth$i
    cat >"$data/torrc" <<EOF
%include $WORK/network.torrc
Nickname auth$i
DataDirectory $data
Log notice file $data/notice.log
Address 127.0.0.1
ORPort 127.0.0.1:$((OR_BASE + i))
DirPort 127.0.0.1:$((DIR_BASE + i))
SocksPort 0
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
ContactInfo auth$i@hftp.invalid
ExitPolicy reject *:*
AssumeReachable 1
TestingV3AuthInitialVotingInterval 5
V3AuthVotingInterval 10
TestingV3AuthInitialVoteDelay 2
TestingV3AuthInitialDistDelay 2
V3AuthVoteDelay 2
V3AuthDistDelay 2
V3AuthNIntervalsValid 2
ShutdownWaitLength 0
__OwningControllerProcess $$
EOF
done
RELEVANT=("$WORK/auth0/notice.log")
for ((i = 0; i < AUTHORITIES; i++)); do
    tor --verify-config --quiet -f "$WORK/auth$i/torrc" --defaults-torrc "$WORK/empty.torrc" ||
        fail "tor refuses auth$i's configuration"
done
network_started=$EPOCHREALTIME
for ((i = 0; i < AUTHORITIES; i++)); do
    tor -f "$WORK/auth$i/torrc" --defaults-torrc "$WORK/empty.torrc" --quiet &
    PIDS+=("$!")
done

# How many relays the consensus served on authority 0's DirPort lists.
relays_in_consensus() {
    timeout 5 bash -c '
        exec 3<>/dev/tcp/127.0.0.1/'$DIR_BASE' || exit 0
        printf "GET /tor/status-vote/current/consensus HTTP/1.0\r\n\r\n" >&3
        cat <&3' 2>/dev/null | grep -c '^r ' || true
}
consensus_complete() { [[ $(relays_in_consensus) -ge $AUTHORITIES ]]; }
wait_until 1200 consensus_complete ||
    fail "no consensus listing $AUTHORITIES relays within 120 s (authority 0 serves $(relays_in_consensus))"
echo "bootstrap: a consensus listing all $AUTHORITIES relays $(since "$network_started") s after the authorities started"
timing "bootstrap: consensus listing every relay" "$(since "$network_started")"

# --- the client: a tor with a SOCKS port, as a student runs it
client=$WORK/client
mkdir -m 700 "$client"
cat >"$client/torrc" <<EOF
%include $WORK/network.torrc
DataDirectory $client
Log notice file $client/notice.log
SocksPort 127.0.0.1:$SOCKS_PORT ExtendedErrors
ShutdownWaitLength 0
__OwningControllerProcess $$
EOF
client_started=$EPOCHREALTIME
tor -f "$client/torrc" --defaults-torrc "$WORK/empty.torrc" --quiet &
PIDS+=("$!")
RELEVANT+=("$client/notice.log")
wait_until 1200 grep -qs 'Bootstrapped 100%' "$client/notice.log" ||
    fail "the client tor did not bootstrap within 120 s"
echo "bootstrap: the client tor (SOCKS 127.0.0.1:$SOCKS_PORT) reached 100% in $(since "$client_started") s"
timing "bootstrap: client tor at 100%" "$(since "$client_started")"

# --- the served files
SERVED=$WORK/served
mkdir -p "$SERVED" "$WORK/out"
MIB=${RECIPE_MIB:-8}
printf 'Que calor que hace hoy, pinocho!\n' >"$SERVED/hola.txt"
head -c $((MIB << 20)) /dev/urandom >"$SERVED/random.bin"
RANDOM_SUM=$(sum_of "$SERVED/random.bin")

# Runs a download command (after $1, a label, and $2, the file it
# writes) and checks the file byte-exact against random.bin; prints how
# long it took.
timed_get() {
    local label=$1 out=$2 started seconds
    shift 2
    rm -f "$out"
    started=$EPOCHREALTIME
    timeout 300 "$@" >"$WORK/get.err" 2>&1 || {
        cat "$WORK/get.err" >&2
        fail "$label: download failed: $*"
    }
    seconds=$(since "$started")
    [[ $(sum_of "$out") == "$RANDOM_SUM" ]] || fail "$label: $out differs from random.bin"
    printf '  %-28s %d MiB byte-exact in %5.1f s (%.2f MiB/s)\n' "$label:" "$MIB" "$seconds" \
        "$(awk -v m="$MIB" -v s="$seconds" 'BEGIN { print m / (s > 0 ? s : 0.1) }')"
    timing "download: $label, $MIB MiB" "$seconds"
}

# Retries the command after $1 once a second up to $1 times: an onion
# whose descriptor is not uploaded yet cannot be reached. Sets ATTEMPTS;
# the first failure's last line is in FIRST_ERROR.
first_contact() {
    local tries=$1
    shift
    FIRST_ERROR=
    for ((ATTEMPTS = 1; ATTEMPTS <= tries; ATTEMPTS++)); do
        if timeout 60 "$@" >"$WORK/first.out" 2>"$WORK/first.err"; then
            return 0
        fi
        [[ -n $FIRST_ERROR ]] || FIRST_ERROR=$(tail -n 1 "$WORK/first.err")
        sleep 1
    done
    cat "$WORK/first.err" >&2
    return 1
}

# Says how the first contact went.
report_contact() {
    echo "$1: answered after $ATTEMPTS attempt(s), $(since "$2") s after publication"
    [[ -z $FIRST_ERROR ]] || echo "  (the first attempt failed: $FIRST_ERROR)"
    sed 's/^/  /' "$WORK/first.out"
}

phase "2. the lab's way: a torrc onion service in front of a plain hftp-server, torsocks hftp"
RELEVANT=("$client/notice.log")
"$SERVER" -a 127.0.0.1 -p "$KIT_PORT" -d "$SERVED" >"$WORK/kit-server.out" 2>"$WORK/kit-server.log" &
PIDS+=("$!")
RELEVANT+=("$WORK/kit-server.log")
wait_until 100 grep -qs ' serving ' "$WORK/kit-server.out" || fail "the plain hftp-server did not start"
cat "$WORK/kit-server.out"
service=$WORK/service
mkdir -m 700 "$service"
cat >"$service/torrc" <<EOF
%include $WORK/network.torrc
DataDirectory $service
Log notice file $service/notice.log
Log info file $service/info.log
SocksPort 0
HiddenServiceDir $service/hftp_service
HiddenServicePort $ONION_PORT 127.0.0.1:$KIT_PORT
ShutdownWaitLength 0
__OwningControllerProcess $$
EOF
service_started=$EPOCHREALTIME
tor -f "$service/torrc" --defaults-torrc "$WORK/empty.torrc" --quiet &
PIDS+=("$!")
RELEVANT+=("$service/notice.log")
wait_until 300 test -s "$service/hftp_service/hostname" || fail "the service tor wrote no hostname"
KIT_ONION=$(cat "$service/hftp_service/hostname")
[[ $KIT_ONION =~ ^[a-z2-7]{56}\.onion$ ]] || fail "not an onion address: $KIT_ONION"
echo "service: $KIT_ONION:$ONION_PORT -> 127.0.0.1:$KIT_PORT (hostname: 56 characters + .onion)"
wait_until 1200 grep -qs 'Uploaded hidden service descriptor' "$service/info.log" ||
    fail "the service tor uploaded no descriptor within 120 s"
echo "publication: descriptor uploaded $(since "$service_started") s after the service tor started"
timing "publication (torrc service): descriptor uploaded" "$(since "$service_started")"
published=$EPOCHREALTIME

cat >"$WORK/torsocks.conf" <<EOF
TorAddress 127.0.0.1
TorPort $SOCKS_PORT
OnionAddrRange 127.42.42.0/24
EOF
export TORSOCKS_CONF_FILE=$WORK/torsocks.conf
first_contact 60 torsocks "$HFTP" -q -s "$KIT_ONION:$ONION_PORT" ls ||
    fail "torsocks hftp ls never reached $KIT_ONION"
report_contact "torsocks hftp ls" "$published"
timing "first answer (torrc service), from its tor's start" "$(since "$service_started")"
grep -qx 'random.bin' "$WORK/first.out" || fail "the listing lacks random.bin"
kit=(torsocks "$HFTP" -q -s "$KIT_ONION:$ONION_PORT")
timed_get "torsocks hftp get" "$WORK/out/kit.bin" "${kit[@]}" get random.bin -o "$WORK/out/kit.bin"
timed_get "torsocks hftp get --base64" "$WORK/out/kit64.bin" "${kit[@]}" --base64 get random.bin -o "$WORK/out/kit64.bin"
unset TORSOCKS_CONF_FILE

phase "3. hftp's way: hftp-server --onion on the private network, hftp --proxy socks5h://"
RELEVANT=("$client/notice.log")
ONION_DIR=$WORK/onion-served
mkdir -p "$ONION_DIR" "$WORK/tmp"
cp "$SERVED/hola.txt" "$SERVED/random.bin" "$ONION_DIR/"
# Its own tor gets the lines every node of the network has; its private
# data directory goes under $WORK/tmp, where the teardown looks for it.
onion_started=$EPOCHREALTIME
# No -a: with --onion it listens on loopback by itself.
TMPDIR=$WORK/tmp "$SERVER" --onion --tor-config "$WORK/network.torrc" -p 0 -d "$ONION_DIR" \
    >"$WORK/onion-server.out" 2>"$WORK/onion-server.log" &
ONION_SERVER=$!
PIDS+=("$ONION_SERVER")
RELEVANT+=("$WORK/onion-server.log")
started_or_gone() { grep -qs ' serving ' "$WORK/onion-server.out" || ! kill -0 "$ONION_SERVER" 2>/dev/null; }
wait_until 1200 started_or_gone || fail "hftp-server --onion printed no start-up line within 120 s"
kill -0 "$ONION_SERVER" 2>/dev/null || fail "hftp-server --onion exited: $(tail -n 1 "$WORK/onion-server.log")"
startup=$(head -n 1 "$WORK/onion-server.out")
echo "$startup"
[[ $startup =~ " on 127.0.0.1:"[0-9]+", published as "([a-z2-7]{56}\.onion):([0-9]+)$ ]] ||
    fail "no ' on 127.0.0.1:PORT, published as NAME.onion:PORT' in its start-up line"
ONION=${BASH_REMATCH[1]}:${BASH_REMATCH[2]}
[[ ${BASH_REMATCH[2]} == "$ONION_PORT" ]] || fail "published on port ${BASH_REMATCH[2]}, not $ONION_PORT"
echo "publication: hftp-server --onion printed its address $(since "$onion_started") s after it started"
timing "publication (--onion): address printed" "$(since "$onion_started")"
published=$EPOCHREALTIME

PROXY=socks5h://127.0.0.1:$SOCKS_PORT
via_tor=("$HFTP" -q --proxy "$PROXY" -s "$ONION")
first_contact 60 "${via_tor[@]}" ls ||
    fail "hftp --proxy $PROXY ls never reached $ONION"
report_contact "hftp --proxy $PROXY ls" "$published"
timing "first answer (--onion), from the server's start" "$(since "$onion_started")"
grep -qx 'random.bin' "$WORK/first.out" || fail "the listing lacks random.bin"
out=$WORK/out/onion.bin
timed_get "hftp get (raw)" "$out" "${via_tor[@]}" get random.bin -o "$out"
timed_get "hftp get --base64" "$out" "${via_tor[@]}" --base64 get random.bin -o "$out"
timed_get "hftp get --parallel 4" "$out" "${via_tor[@]}" get random.bin --parallel 4 -o "$out"
echo "hftp-server saw every client come from $(grep -o ' INFO  [0-9.:]*:[0-9]* ' "$WORK/onion-server.log" |
    awk '{ sub(/:[0-9]+$/, "", $2); print $2 }' | sort -u | paste -sd ' ') (tor's address)"

# The checker writes its fixtures into the served directory, which must
# be empty. Through a proxy its replies may keep silent 30 s, not 5 (the
# 17 MiB line of 9.line-past-limit crosses a circuit at a few MiB/s):
# its default, proven here.
rm -f "$ONION_DIR"/*
check_started=$EPOCHREALTIME
if ! timeout 900 "$HFTP" --proxy "$PROXY" -s "$ONION" check --dir "$ONION_DIR" \
    >"$WORK/check.txt" 2>&1; then
    grep -v -E '^  (pass|skip|info) ' "$WORK/check.txt" | cut -c1-400 | head -n 80 >&2
    fail "hftp check did not pass against $ONION"
fi
echo "hftp check through Tor: $(tail -n 1 "$WORK/check.txt") in $(since "$check_started") s"
timing "hftp check --dir, every case" "$(since "$check_started")"

# Stopped, the server removes its service and its tor; nothing of it is left.
kill -TERM "$ONION_SERVER"
stopped=0
wait "$ONION_SERVER" || stopped=$?
((stopped == 0)) || fail "hftp-server --onion exited $stopped on SIGTERM"
leftover() { pgrep -f -- "$WORK/tmp" >/dev/null || [[ -n $(ls -A "$WORK/tmp") ]]; }
wait_until 100 eval '! leftover' || fail "hftp-server's tor or its data directory outlived it"
echo "hftp-server --onion stopped on SIGTERM: exit 0, its tor and data directory gone"

timing "the whole run" "$(since "$START")"
phase "timings"
printf '%s\n' "${TIMINGS[@]}"
phase "recipe passed"
