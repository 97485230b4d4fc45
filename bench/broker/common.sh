# Shared by the broker benchmarks (sourced, not run): build, fresh databases, seeding, a broker
# on 127.0.0.1, and cleanup of everything they started, however the script exits.
# shellcheck shell=bash

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/../.." && pwd)
OUT_DIR=${BENCH_OUT:-$REPO/bench/out/broker}
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
RUN_TAG="tb$$"
BROKER_PID=""
BROKER_URL=""
CLEANUP_PG=()
CLEANUP_FILES=()
mkdir -p "$OUT_DIR"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

# Builds the release broker unless TREATY_BROKER_BIN names one.
build_broker() {
    if [[ -n "${TREATY_BROKER_BIN:-}" ]]; then
        BROKER=$TREATY_BROKER_BIN
        BROKER_COMMIT="binary $BROKER (TREATY_BROKER_BIN), scripts at"
    else
        log "cargo build --release -p treaty-broker"
        (cd "$REPO" && cargo build --release -p treaty-broker --quiet) || die "the build failed"
        BROKER=$REPO/target/release/treaty-broker
    fi
    [[ -x "$BROKER" ]] || die "no broker binary at $BROKER"
    local commit
    commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [[ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
        commit="$commit+dirty"
    fi
    BROKER_COMMIT="${BROKER_COMMIT:+$BROKER_COMMIT }$commit"
}

# Creates a fresh, migrated database (backend sqlite|postgres, a short name) and sets DB_URL
# (not in a subshell: the cleanup list must see it).
new_database() {
    local backend=$1 name=$2 url
    if [[ $backend == sqlite ]]; then
        local file=/tmp/${RUN_TAG}-${name}.db
        rm -f "$file" "$file-wal" "$file-shm"
        CLEANUP_FILES+=("$file" "$file-wal" "$file-shm")
        url=sqlite:$file
    else
        local db=${RUN_TAG}_${name//-/_}
        psql "$PG_URL/postgres" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null \
            || die "cannot create PostgreSQL database $db at $PG_URL"
        CLEANUP_PG+=("$db")
        url=$PG_URL/$db
    fi
    RUST_LOG=warn "$BROKER" migrate --database-url "$url" >/dev/null || die "migration of $url failed"
    DB_URL=$url
}

# Runs SQL from stdin against a database URL.
run_sql() {
    local url=$1
    if [[ $url == sqlite:* ]]; then
        if command -v sqlite3 >/dev/null; then
            sqlite3 -bail "${url#sqlite:}" >/dev/null
        else
            python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.executescript(sys.stdin.read())' "${url#sqlite:}"
        fi
    else
        psql "$url" -qAt -v ON_ERROR_STOP=1 >/dev/null
    fi
}

# Runs EXPLAIN statements from stdin (plans.py) and prints their output.
run_sql_plans() {
    local url=$1
    if [[ $url == sqlite:* ]]; then
        command -v sqlite3 >/dev/null || { echo "(sqlite3 CLI missing: no plans)"; return 0; }
        sqlite3 "${url#sqlite:}"
    else
        psql "$url" -q -v ON_ERROR_STOP=1
    fi
}

# Runs one query and prints its rows (for facts about the seeded data and for plans).
query() {
    local url=$1 sql=$2
    if [[ $url == sqlite:* ]]; then
        if command -v sqlite3 >/dev/null; then
            sqlite3 "${url#sqlite:}" "$sql"
        else
            python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(map(str, row)))' "${url#sqlite:}" "$sql"
        fi
    else
        psql "$url" -qAt -v ON_ERROR_STOP=1 -c "$sql"
    fi
}

# Warns when the migrated schema has a table or column seed.py does not fill (a later
# migration's derived table would stay empty: the figures would not mean what they say).
check_schema_known() {
    local url=$1 sql unknown
    if [[ $url == sqlite:* ]]; then
        sql="SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%' ORDER BY 1"
    else
        sql="SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%' ORDER BY 1"
    fi
    unknown=$(comm -23 <(query "$url" "$sql" | sort) \
        <(python3 "$BENCH_DIR/seed.py" known-columns --backend sqlite | sort) | tr '\n' ' ')
    if [[ -n $unknown ]]; then
        log "WARNING: the schema has columns seed.py does not fill: $unknown"
        log "WARNING: extend bench/broker/seed.py (KNOWN_COLUMNS and the scenarios) or the figures may not mean what they say"
        SCHEMA_WARNING="unseeded columns: $unknown"
    fi
}
SCHEMA_WARNING=""

# Seeds a database: seed_database URL SCENARIO [seed.py options...]
seed_database() {
    local url=$1 scenario=$2 backend=sqlite start
    shift 2
    [[ $url == postgres* ]] && backend=postgres
    check_schema_known "$url"
    start=$(date +%s.%N)
    python3 "$BENCH_DIR/seed.py" "$scenario" --backend "$backend" "$@" | run_sql "$url" \
        || die "seeding $url failed"
    SEED_SECONDS=$(python3 -c "import sys; print(round($(date +%s.%N) - $start, 1))")
    log "seeded $scenario $* in ${SEED_SECONDS} s"
}

# Starts the broker on 127.0.0.1 (a free port) on a database; sets BROKER_URL.
start_broker() {
    local url=$1 stdout=$OUT_DIR/broker.stdout stderr=$OUT_DIR/broker.stderr
    : >"$stdout"
    RUST_LOG=${BROKER_LOG:-warn} "$BROKER" serve --bind 127.0.0.1:0 --database-url "$url" \
        >"$stdout" 2>"$stderr" &
    BROKER_PID=$!
    for _ in $(seq 1 300); do
        if grep -q 'listening on' "$stdout" 2>/dev/null; then
            BROKER_URL=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$stdout" | head -n 1)
            [[ $BROKER_URL == http://127.0.0.1:* ]] || die "broker listens on unexpected $BROKER_URL"
            return 0
        fi
        kill -0 "$BROKER_PID" 2>/dev/null || { tail -n 20 "$stderr" >&2; die "the broker exited"; }
        sleep 0.1
    done
    die "the broker did not start within 30 s"
}

stop_broker() {
    if [[ -n $BROKER_PID ]]; then
        kill "$BROKER_PID" 2>/dev/null || true
        wait "$BROKER_PID" 2>/dev/null || true
        BROKER_PID=""
    fi
}

# Drops a database at once (after a measurement), or at exit.
drop_database() {
    local url=$1
    if [[ $url == sqlite:* ]]; then
        rm -f "${url#sqlite:}" "${url#sqlite:}-wal" "${url#sqlite:}-shm"
    else
        psql "$PG_URL/postgres" -qAt -c "DROP DATABASE IF EXISTS ${url##*/} WITH (FORCE)" >/dev/null 2>&1 || true
    fi
}

cleanup() {
    stop_broker
    local db
    for db in "${CLEANUP_PG[@]+"${CLEANUP_PG[@]}"}"; do
        psql "$PG_URL/postgres" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    [[ ${#CLEANUP_FILES[@]} -gt 0 ]] && rm -f "${CLEANUP_FILES[@]}"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Checks one request before measuring it: prints nothing and returns 0 on a 2xx; otherwise
# prints the status and the start of the body and returns 1.
check_endpoint() {
    local method=$1 path=$2 body=${3:-} code file=$OUT_DIR/check.body
    if [[ -n $body ]]; then
        code=$(curl -g -s --max-time 120 -o "$file" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
            -H 'Accept: application/hal+json' --data "$body" "$BROKER_URL$path" || echo 000)
    else
        code=$(curl -g -s --max-time 120 -o "$file" -w '%{http_code}' -X "$method" -H 'Accept: application/hal+json' \
            "$BROKER_URL$path" || echo 000)
    fi
    if [[ $code == 2* ]]; then
        return 0
    fi
    log "NOT MEASURED: $method $path answered $code: $(head -c 200 "$file" 2>/dev/null | tr '\n' ' ')"
    return 1
}

# One line describing the machine, for the report.
machine_line() {
    printf 'date %s, commit %s, %s cores, load %s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
        "${BROKER_COMMIT:-unknown}" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
