#!/usr/bin/env bash
# Benchmark (not a test), issue 9 "Benchmark": can-i-deploy latency as the verification history
# grows. 100 applications, 200 versions each (20 000), each consuming 2 or 3 others (250
# integrations, 50 000 publications, 10 000 contents), deployments and releases across test,
# staging and production, and 10 000 / 100 000 / 1 000 000 verification results; on PostgreSQL
# and on SQLite. 1 000 sequential
#   GET /matrix?q[][pacticipant]=app-N&q[][version]=1.198.0&latestby=cvpv&environment=production
# (what `pact broker can-i-deploy --pacticipant app-N --version 1.198.0 --to-environment
# production` sends), cycling over the 100 applications, from a second process over one
# keep-alive connection; p50 and p99 per size, the ratio to the smallest size, the plans of the
# (representative) lookups.
#
#   bench/broker/can-i-deploy.sh     # about 5 minutes on 2 cores
#
# Goal (issue 9): p99 under 10 ms at 1 000 000, and 1 000 000 within 1.5x of 10 000.
# Knobs: BACKENDS ("postgres sqlite"), VERIFICATIONS ("10000 100000 1000000"), REQUESTS (1000),
# WARMUP (20), REFERENCE (1: also measure GET /pacticipants/app-1/versions/1.198.0, which main
# serves today, REFERENCE_REQUESTS (200) times; 0 skips it), BENCH_PG_URL, TREATY_BROKER_BIN,
# BROKER_LOG, BENCH_OUT. Exit code 1 when the broker answered non-2xx or a body without
# `matrix` (reported as FAILED, never as a latency), 2 when the benchmark could not run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BACKENDS=${BACKENDS:-"postgres sqlite"}
VERIFICATIONS=${VERIFICATIONS:-"10000 100000 1000000"}
REQUESTS=${REQUESTS:-1000}
WARMUP=${WARMUP:-20}
VERSION=1.198.0

PATHS_FILE=$OUT_DIR/can-i-deploy-paths.txt
for app in $(seq 1 100); do
    echo "/matrix?q[][pacticipant]=app-$app&q[][version]=$VERSION&latestby=cvpv&environment=production"
done >"$PATHS_FILE"

build_broker
RESULTS=$OUT_DIR/can-i-deploy.jsonl
PLANS=$OUT_DIR/can-i-deploy-plans.txt
: >"$RESULTS"
: >"$PLANS"
MACHINE_BEFORE=$(machine_line)
failed=0
for backend in $BACKENDS; do
    for count in $VERIFICATIONS; do
        new_database "$backend" "cid-$count"
        seed_database "$DB_URL" matrix --verifications "$count"
        facts=$(query "$DB_URL" "SELECT (SELECT COUNT(*) FROM versions) || ' versions, ' || (SELECT COUNT(*) FROM publications) || ' publications, ' || (SELECT COUNT(*) FROM verifications) || ' verifications, ' || (SELECT COUNT(*) FROM deployed_versions) || ' deployments, ' || (SELECT COUNT(*) FROM released_versions) || ' releases'")
        log "$backend, $count verifications: $facts"
        {
            echo "## $backend, $count verifications: $facts"
            # What the broker's first steps return for app-1 1.198.0, so that the batched queries'
            # plans are those of literal id lists, as the broker sends them.
            true=$([[ $backend == postgres ]] && echo TRUE || echo 1)
            ids() { local found; found=$(query "$DB_URL" "$1" | paste -sd, -); echo "${found:-0}"; }
            counterparts=$(ids "SELECT provider_id FROM publications WHERE consumer_version_id = 19801 UNION SELECT consumer_id FROM pact_heads WHERE provider_id = 1 AND scope = 'latest'")
            env_versions=$(ids "SELECT version_id FROM deployed_versions WHERE environment_id = 3 AND currently_deployed = $true AND pacticipant_id IN ($counterparts) UNION SELECT version_id FROM released_versions WHERE environment_id = 3 AND currently_supported = $true AND pacticipant_id IN ($counterparts)")
            contents=$(ids "SELECT DISTINCT content_id FROM publications WHERE consumer_version_id IN (19801, $env_versions) AND provider_id IN (1, $counterparts)")
            python3 "$BENCH_DIR/plans.py" matrix --backend "$backend" --counterparts "$counterparts" \
                --env-versions "$env_versions" --contents "$contents" | run_sql_plans "$DB_URL"
            echo
        } >>"$PLANS" 2>&1 || log "could not capture the plans"
        start_broker "$DB_URL"
        label="can-i-deploy $backend"
        if check_endpoint GET "$(head -n 1 "$PATHS_FILE")"; then
            log "$REQUESTS x GET /matrix ... ($backend, $count verifications)"
            python3 "$BENCH_DIR/measure.py" run --base-url "$BROKER_URL" --label "$label" \
                --paths-file "$PATHS_FILE" --requests "$REQUESTS" --warmup "$WARMUP" \
                --expect matrix --meta verifications "$count" --meta seed_s "$SEED_SECONDS" \
                --out "$RESULTS" || failed=1
        else
            printf '{"label": "%s", "verifications": "%s", "status": "FAILED", "error": "non-2xx answer, see the log above"}\n' \
                "$label" "$count" >>"$RESULTS"
            failed=1
        fi
        if [[ ${REFERENCE:-1} == 1 ]]; then
            # An endpoint main already serves, measured the same way: shows the machinery works
            # (and gives a figure) before the feature exists.
            if check_endpoint GET "/pacticipants/app-1/versions/1.198.0"; then
                python3 "$BENCH_DIR/measure.py" run --base-url "$BROKER_URL" \
                    --label "reference: GET /pacticipants/app-1/versions/1.198.0 ($backend)" --path "/pacticipants/app-1/versions/1.198.0" --requests "${REFERENCE_REQUESTS:-200}" \
                    --warmup 5 --expect any --meta verifications "$count" --out "$RESULTS" || failed=1
            fi
        fi
        stop_broker
        drop_database "$DB_URL"
    done
done

echo
echo "### can-i-deploy.sh: $REQUESTS sequential GET /matrix per size (goal: p99 < 10 ms at 1 000 000, and <= 1.5x the 10 000 figure)"
echo
echo "before: $MACHINE_BEFORE"
echo "after:  $(machine_line)"
[[ -z $SCHEMA_WARNING ]] || echo "WARNING: $SCHEMA_WARNING (extend seed.py)"
echo
python3 "$BENCH_DIR/measure.py" table "$RESULTS" --group-by verifications
echo
echo "Plans (representative SQL, see bench/broker/plans.py): $PLANS"
cat "$PLANS"
[[ $failed == 0 ]] || { log "the endpoint FAILED (non-2xx or wrong shape): no figures for it"; exit 1; }
