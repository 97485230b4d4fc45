#!/usr/bin/env bash
# Treaty benchmark: `treaty verify` against the real `pact verifier`, same contracts, same
# provider (nginx answering from memory), alternating runs; plus the provider's raw throughput
# with wrk. Prints a Markdown table and writes it to bench/out/results.md. See bench/README.md.
#
# Usage: bench/run.sh            (from anywhere; takes ~15-25 min on a 2-core machine)
# Knobs (environment):
#   ROUNDS=5            alternating treaty/pact rounds for the 1 000 and 10x100 workloads
#   LIN_ROUNDS=5        treaty rounds per size for the linearity/steady-state sizes
#   PACT_LIN_ROUNDS=1   pact rounds per size for the linearity sizes (0 = skip pact there)
#   PACT_LIN_MAX=2000   largest contract pact runs on in the linearity series (5000: +10 min)
#   CONCURRENCY=32      treaty's --concurrency, and wrk's connections for the limit
#   RUN_TIMEOUT=900     seconds before one verifier run is killed (the bench then fails)
#   WRK_DURATION=5s     length of each wrk run
#   BENCH_PACT_ONLY=1   skip treaty entirely (to check the pipeline before `treaty verify` exists)
#   BENCH_STEADY_ONLY=1 only the steady-state figure: treaty at 5 000 interactions and wrk (~1 min)
#   TREATY_BIN=PATH     benchmark this treaty binary instead of building target/release/treaty
#   TREATY_PACT_VENV    where the pact CLI venv lives (default target/pact-venv)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=$BENCH/out
DATA=$OUT/data
RUNS=$OUT/runs
ROUNDS=${ROUNDS:-5}
LIN_ROUNDS=${LIN_ROUNDS:-5}
PACT_LIN_ROUNDS=${PACT_LIN_ROUNDS:-1}
PACT_LIN_MAX=${PACT_LIN_MAX:-2000}
CONCURRENCY=${CONCURRENCY:-32}
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
WRK_DURATION=${WRK_DURATION:-5s}
BENCH_PACT_ONLY=${BENCH_PACT_ONLY:-0}
BENCH_STEADY_ONLY=${BENCH_STEADY_ONLY:-0}
LIN_SIZES=(250 500 2000 5000)
if [[ $BENCH_STEADY_ONLY == 1 ]]; then
    [[ $BENCH_PACT_ONLY == 1 ]] && { echo "BENCH_STEADY_ONLY and BENCH_PACT_ONLY exclude each other" >&2; exit 2; }
    ROUNDS=0
    LIN_SIZES=(5000)
fi
PACT_VERSION='1!0.10.9'
export PACT_DO_NOT_TRACK=true
PROVIDER=bench-provider
STATE_PATH=/_pact/provider-states

log() { printf '\033[1m[bench %s]\033[0m %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf '\033[1;31m[bench] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

cd "$ROOT"
mkdir -p "$OUT" "$RUNS"

# --- tools -------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    log "installing from Debian's packages: ${missing[*]} (apt-get update && apt-get install -y ${missing[*]})"
    [[ $(id -u) == 0 ]] || die "need root to apt-get install ${missing[*]}; install them and re-run"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v python3 >/dev/null || die "python3 is needed (stdlib only)"

# The reference: the `pact` CLI from PyPI (pact-python-cli), in its own venv.
PACT_VENV=${TREATY_PACT_VENV:-$ROOT/target/pact-venv}
if [[ -x $ROOT/tests/scripts/install-pact-cli.sh ]]; then
    TREATY_PACT_VENV=$PACT_VENV "$ROOT/tests/scripts/install-pact-cli.sh" >&2 \
        || die "tests/scripts/install-pact-cli.sh failed"
elif ! "$PACT_VENV/bin/pact" verifier --version >/dev/null 2>&1; then
    log "installing the pact CLI (pact-python-cli==$PACT_VERSION) into $PACT_VENV"
    python3 -m venv "$PACT_VENV"
    "$PACT_VENV/bin/pip" install -q "pact-python-cli==$PACT_VERSION"
fi
PACT=$PACT_VENV/bin/pact
"$PACT" verifier --version >/dev/null 2>&1 || die "no working pact CLI at $PACT"

# The subject: a release build of treaty.
TREATY=${TREATY_BIN:-$ROOT/target/release/treaty}
if [[ $BENCH_PACT_ONLY != 1 ]]; then
    if [[ -z ${TREATY_BIN:-} ]]; then
        log "cargo build --release -p treaty (waits if another build holds the target/ lock)"
        cargo build --release -p treaty >&2 || die "cargo build --release -p treaty failed"
    fi
    "$TREATY" verify --help >/dev/null 2>&1 \
        || die "'treaty verify' does not exist in this build yet; BENCH_PACT_ONLY=1 runs the pact side alone"
fi

# --- contracts ---------------------------------------------------------------------------
log "generating contracts under $DATA"
python3 "$BENCH/gen_contracts.py" --out "$DATA"

# --- provider ----------------------------------------------------------------------------
NGX_PREFIX=$(mktemp -d /tmp/treaty-bench-nginx.XXXXXX)
NGX_PID=
cleanup() {
    local rc=$?
    if [[ -n $NGX_PID ]] && kill -0 "$NGX_PID" 2>/dev/null; then
        kill -QUIT "$NGX_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$NGX_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$NGX_PID" 2>/dev/null || true
        wait "$NGX_PID" 2>/dev/null || true
    fi
    rm -rf "$NGX_PREFIX"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
sed -e "s#@PREFIX@#$NGX_PREFIX#g" -e "s#@PORT@#$PORT#g" -e "s#@LOCATIONS@#$DATA/nginx-locations.conf#g" \
    "$BENCH/nginx.conf.tmpl" >"$NGX_PREFIX/nginx.conf"
"$NGINX" -t -q -p "$NGX_PREFIX" -c "$NGX_PREFIX/nginx.conf" || die "nginx rejected the generated configuration"
"$NGINX" -p "$NGX_PREFIX" -c "$NGX_PREFIX/nginx.conf" -g 'daemon off;' &
NGX_PID=$!
for _ in $(seq 100); do curl -fsS "$BASE/_bench/status" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$BASE/_bench/status" >/dev/null || die "nginx did not come up on $BASE (see $NGX_PREFIX/error.log)"
log "provider: nginx on $BASE (pid $NGX_PID, prefix $NGX_PREFIX)"

# Requests served so far (the status request itself included).
served() { curl -fsS "$BASE/_bench/status" | awk 'NR == 3 { print $3 }'; }

# --- one measured run --------------------------------------------------------------------
: >"$OUT/runs.jsonl"
: >"$OUT/controls.jsonl"
manifest() { # manifest WORKLOAD interactions|files
    python3 -c 'import json, sys
w = json.load(open(sys.argv[1]))["workloads"][sys.argv[2]]
print(w["interactions"] if sys.argv[3] == "interactions" else "\n".join(w["files"]))' \
        "$DATA/manifest.json" "$1" "$2"
}
# verifier_cmd TOOL REPORT FILE...: sets cmd=(...), the command line of one verifier run.
verifier_cmd() {
    local tool=$1 report=$2 f fargs=()
    shift 2
    case $tool in
    treaty)
        cmd=("$TREATY" verify --provider-base-url "$BASE" --provider "$PROVIDER"
            --provider-states-setup-url "$BASE$STATE_PATH" --concurrency "$CONCURRENCY"
            --json "$report" --no-color "$@") ;;
    pact)
        for f in "$@"; do fargs+=(-f "$f"); done
        cmd=("$PACT" verifier "${fargs[@]}" --hostname 127.0.0.1 --port "$PORT"
            --state-change-url "$BASE$STATE_PATH" --provider-name "$PROVIDER" --no-colour -j "$report") ;;
    esac
}

# run_one TOOL WORKLOAD ROUND
run_one() {
    local tool=$1 workload=$2 round=$3
    local n files=() cmd=() tag=$RUNS/$tool-$workload-$round
    n=$(manifest "$workload" interactions)
    mapfile -t files < <(manifest "$workload" files)
    rm -f "$tag.json"
    verifier_cmd "$tool" "$tag.json" "${files[@]}"
    local before after m check rec
    before=$(served)
    m=$(python3 "$BENCH/measure.py" --timeout "$RUN_TIMEOUT" --log "$tag.log" -- "${cmd[@]}")
    after=$(served)
    check=$(python3 "$BENCH/report.py" check "$tool" "$tag.json" "$n" "$m")
    rec=$(python3 -c 'import json, sys
tool, workload, rnd, n, reqs, m, check = sys.argv[1:]
rec = {"tool": tool, "workload": workload, "round": int(rnd), "interactions": int(n), "requests": int(reqs)}
rec.update(json.loads(m)); rec.update(json.loads(check))
print(json.dumps(rec))' "$tool" "$workload" "$round" "$n" "$((after - before - 1))" "$m" "$check")
    echo "$rec" >>"$OUT/runs.jsonl"
    python3 -c 'import json,sys; r = json.loads(sys.argv[1]); sys.exit(0 if r["ok"] else 1)' "$rec" || {
        tail -n 30 "$tag.log" >&2
        die "$tool on $workload (round $round) did not pass every interaction: $rec (log: $tag.log)"
    }
    log "$(python3 -c 'import json,sys; r = json.loads(sys.argv[1]); print("%-6s %-8s #%d  wall %7.3fs  cpu %7.2fs  rss %6.1f MiB  %6d requests  load %.2f" % (r["tool"], r["workload"], r["round"], r["wall"], r["user"] + r["sys"], r["maxrss_kib"] / 1024, r["requests"], r["load1"]))' "$rec")"
}

# run_control TOOL: the negative control, a contract the provider does not satisfy. A verifier
# that passes it does not really match bodies and headers, and its timings are flagged.
run_control() {
    local tool=$1 n files=() cmd=() tag=$RUNS/$tool-control m rec
    n=$(manifest control interactions)
    mapfile -t files < <(manifest control files)
    rm -f "$tag.json"
    verifier_cmd "$tool" "$tag.json" "${files[@]}"
    m=$(python3 "$BENCH/measure.py" --timeout 120 --log "$tag.log" -- "${cmd[@]}")
    rec=$(python3 "$BENCH/report.py" control "$tool" "$tag.json" "$n" "$m")
    echo "$rec" >>"$OUT/controls.jsonl"
    if python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1])["ok"] else 1)' "$rec"; then
        log "negative control: $tool failed all $n broken interactions, as it must"
    elif [[ $tool == pact ]]; then
        die "negative control: pact verifier did not fail the broken contract ($rec): the bench contracts are wrong"
    else
        log "WARNING: negative control: $tool did not fail every broken interaction ($rec):" \
            "it does not fully match bodies/headers yet, and its timings are flagged in the results"
    fi
}

TOOLS=(treaty pact)
[[ $BENCH_PACT_ONLY == 1 ]] && TOOLS=(pact)
[[ $BENCH_STEADY_ONLY == 1 ]] && TOOLS=(treaty)

# --- the provider's limit ----------------------------------------------------------------
: >"$OUT/wrk.jsonl"
run_wrk() {
    local conns=$1 threads=$2 out rps non2xx
    out=$(timeout 120 wrk -t"$threads" -c"$conns" -d"$WRK_DURATION" -s "$DATA/wrk-mix.lua" "$BASE/" 2>&1) \
        || die "wrk failed: $out"
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")
    [[ -z $non2xx ]] || die "wrk saw $non2xx error responses: $out"
    printf '{"connections": %d, "threads": %d, "rps": %s, "load1": %s}\n' "$conns" "$threads" "$rps" \
        "$(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/wrk.jsonl"
    log "wrk -t$threads -c$conns -d$WRK_DURATION: $rps requests/s"
}
log "warm-up and provider limit (wrk, the verifiers' request mix)"
timeout 60 wrk -t1 -c1 -d1s -s "$DATA/wrk-mix.lua" "$BASE/" >/dev/null
run_wrk 1 1
run_wrk "$CONCURRENCY" 2

# --- negative control --------------------------------------------------------------------
for tool in "${TOOLS[@]}"; do run_control "$tool"; done

# --- head to head: 1 000 interactions in one file, 10 consumers x 100 --------------------
for round in $(seq "$ROUNDS"); do
    for workload in n1000 c10x100; do
        for tool in "${TOOLS[@]}"; do run_one "$tool" "$workload" "$round"; done
    done
done

# --- linearity and steady state ----------------------------------------------------------
for round in $(seq "$LIN_ROUNDS"); do
    for n in "${LIN_SIZES[@]}"; do
        [[ $BENCH_PACT_ONLY == 1 ]] || run_one treaty "n$n" "$round"
        if [[ $BENCH_STEADY_ONLY != 1 ]] && ((round <= PACT_LIN_ROUNDS && n <= PACT_LIN_MAX)); then
            run_one pact "n$n" "$round"
        fi
    done
done
# The limit again at the end, to see whether the machine's load changed meanwhile.
run_wrk "$CONCURRENCY" 2

# --- report ------------------------------------------------------------------------------
versions=$(
    printf 'treaty: %s, %s (work tree at git %s%s)\n' \
        "$([[ $BENCH_PACT_ONLY == 1 ]] && echo 'not run' || "$TREATY" --version 2>&1 | head -n1)" "${TREATY#"$ROOT"/}" \
        "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || echo ', with uncommitted changes')"
    printf 'pact: %s (pact-python-cli %s)\n' "$("$PACT" verifier --version 2>&1 | head -n1)" "$PACT_VERSION"
    printf 'nginx: %s\n' "$("$NGINX" -v 2>&1)"
    printf 'wrk: %s\n' "$(wrk -v 2>&1 | head -n1)"
    printf 'machine: %s CPUs (nproc), %s, %s\n' "$(nproc)" \
        "$(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)" "$(uname -sr)"
)
python3 "$BENCH/report.py" table "$OUT/runs.jsonl" "$OUT/wrk.jsonl" --controls "$OUT/controls.jsonl" \
    --versions "$versions" --concurrency "$CONCURRENCY" --rounds "$ROUNDS" --lin-rounds "$LIN_ROUNDS" \
    >"$OUT/results.md"
cat "$OUT/results.md"
log "written to $OUT/results.md (raw runs: $OUT/runs.jsonl, logs and reports: $RUNS/)"
