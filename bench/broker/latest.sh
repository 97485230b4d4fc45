#!/usr/bin/env bash
# Benchmark (not a test), issue 8 "Every latest answer is flat as history grows": on SQLite,
# one consumer C and one provider P with 1 000 and with 100 000 consumer versions (each with a
# pact; 97 contents cycled; 100 branches; every 10th version tagged prod), wrk on the latest
# pact, the latest with tag prod, the latest on main and on the oldest feature branch,
# list-latest-pact-versions and /health. Prints req/s and p99 per endpoint and size, the ratio
# of the larger size to the smaller, and the plans of the (representative) lookups.
#
#   bench/broker/latest.sh        # about 3 minutes on 2 cores
#
# Knobs: SIZES ("1000 100000"), WRK_DURATION (10s), WRK_CONNECTIONS (32), WRK_THREADS (2),
# WRK_TIMEOUT (30s: a slower answer counts as a socket timeout, which fails the row),
# ENDPOINTS (labels to run, default all), TREATY_BROKER_BIN (skip the build), BROKER_LOG (warn),
# BENCH_OUT (bench/out/broker). Exit code 1 when any endpoint answered non-2xx (reported as
# FAILED, never as a latency), 2 when the benchmark could not run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SIZES=${SIZES:-"1000 100000"}
WRK_DURATION=${WRK_DURATION:-10s}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-30s}
ALL_ENDPOINTS="latest latest-tag branch-main branch-oldest list-latest health"
ENDPOINTS=${ENDPOINTS:-$ALL_ENDPOINTS}
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

endpoint_path() {
    case $1 in
        latest) echo /pacts/provider/P/consumer/C/latest ;;
        latest-tag) echo /pacts/provider/P/consumer/C/latest/prod ;;
        branch-main) echo /pacts/provider/P/consumer/C/branch/main/latest ;;
        branch-oldest) echo /pacts/provider/P/consumer/C/branch/feat-1/latest ;;
        list-latest) echo /pacts/latest ;;
        health) echo /health ;;
        *) die "unknown endpoint label $1 (known: $ALL_ENDPOINTS)" ;;
    esac
}

build_broker
RESULTS=$OUT_DIR/latest.jsonl
PLANS=$OUT_DIR/latest-plans.txt
: >"$RESULTS"
: >"$PLANS"
MACHINE_BEFORE=$(machine_line)
failed=0
for size in $SIZES; do
    new_database sqlite "latest-$size"
    seed_database "$DB_URL" latest --versions "$size"
    log "size $size: $(query "$DB_URL" "SELECT (SELECT COUNT(*) FROM versions) || ' versions, ' || (SELECT COUNT(*) FROM publications) || ' publications, ' || (SELECT COUNT(*) FROM contents) || ' contents, ' || (SELECT COUNT(*) FROM branches) || ' branches, ' || (SELECT COUNT(*) FROM tags) || ' tags, ' || (SELECT COUNT(*) FROM pact_heads) || ' pact heads'")"
    {
        echo "## SQLite, $size consumer versions"
        python3 "$BENCH_DIR/plans.py" latest --backend sqlite | run_sql_plans "$DB_URL"
        echo
    } >>"$PLANS" 2>&1 || log "could not capture the plans (sqlite3 missing?)"
    start_broker "$DB_URL"
    for label in $ENDPOINTS; do
        path=$(endpoint_path "$label")
        if ! check_endpoint GET "$path"; then
            printf '{"label": "%s", "versions": %s, "path": "%s", "status": "FAILED", "error": "%s"}\n' \
                "$label" "$size" "$path" "non-2xx answer, see the log above" >>"$RESULTS"
            failed=1
            continue
        fi
        log "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency $path ($size versions)"
        wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency --timeout "$WRK_TIMEOUT" \
            -H 'Accept: application/hal+json' \
            "$BROKER_URL$path" >"$OUT_DIR/wrk-$label-$size.txt" 2>&1 || true
        python3 "$BENCH_DIR/measure.py" wrk --label "$label" --meta versions "$size" --meta path "$path" \
            --out "$RESULTS" <"$OUT_DIR/wrk-$label-$size.txt" || failed=1
    done
    stop_broker
    drop_database "$DB_URL"
done

echo
echo "### latest.sh: SQLite, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION (goal: the larger size within 1.5x of the smaller)"
echo
echo "before: $MACHINE_BEFORE"
echo "after:  $(machine_line)"
[[ -z $SCHEMA_WARNING ]] || echo "WARNING: $SCHEMA_WARNING (extend seed.py)"
echo
python3 "$BENCH_DIR/measure.py" table "$RESULTS" --group-by versions
echo
echo "Plans (representative SQL, see bench/broker/plans.py): $PLANS"
cat "$PLANS"
[[ $failed == 0 ]] || { log "some endpoints FAILED (non-2xx or wrk errors): their rows carry no figures"; exit 1; }
