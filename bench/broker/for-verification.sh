#!/usr/bin/env bash
# Benchmark (not a test), issue 8 "Benchmark": pacts for verification on PostgreSQL with 50
# consumers and one provider P; at full size 20 000 consumer versions over ~2 000 branches
# (400 days of history), 2 000 provider versions, 200 000 verification results, deployments
# and releases to test and production; at 1/10 the same rate over 40 days. 500 sequential
# POST /pacts/provider/P/for-verification (mainBranch + deployedOrReleased selectors, pending,
# WIP since 30 days ago) from a second process over one keep-alive connection; p50 and p99 per
# size, the ratio of full size to 1/10, and the plans of the (representative) lookups.
#
#   bench/broker/for-verification.sh     # about 3 minutes on 2 cores
#
# Goal (issue 8): p99 under 50 ms at full size, and no more than 2x the 1/10 figure.
# Knobs: SCALES ("0.1 1"), REQUESTS (500), WARMUP (20), BACKENDS (postgres; "postgres sqlite"
# adds SQLite), WIP_SINCE (30 days ago, yyyy-mm-dd as `pact verifier` sends it), REFERENCE (1:
# also measure GET /pacts/provider/P/latest, which main serves today, REFERENCE_REQUESTS (200)
# times; 0 skips it), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), TREATY_BROKER_BIN,
# BROKER_LOG, BENCH_OUT. Exit code 1 when the broker answered non-2xx or a body without
# `_embedded.pacts` (reported as FAILED, never as a latency), 2 when the benchmark could not run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCALES=${SCALES:-"0.1 1"}
REQUESTS=${REQUESTS:-500}
WARMUP=${WARMUP:-20}
BACKENDS=${BACKENDS:-postgres}
WIP_SINCE=${WIP_SINCE:-$(date -u -d '30 days ago' +%Y-%m-%d)}
PATH_FV=/pacts/provider/P/for-verification
BODY='{"consumerVersionSelectors":[{"mainBranch":true},{"deployedOrReleased":true}],"providerVersionBranch":"main","includePendingStatus":true,"includeWipPactsSince":"'$WIP_SINCE'"}'

build_broker
RESULTS=$OUT_DIR/for-verification.jsonl
PLANS=$OUT_DIR/for-verification-plans.txt
: >"$RESULTS"
: >"$PLANS"
MACHINE_BEFORE=$(machine_line)
failed=0
for backend in $BACKENDS; do
    for scale in $SCALES; do
        new_database "$backend" "fv-${scale//./}"
        seed_database "$DB_URL" verification --scale "$scale"
        facts=$(query "$DB_URL" "SELECT (SELECT COUNT(*) FROM versions) || ' versions, ' || (SELECT COUNT(*) FROM branches) || ' branches, ' || (SELECT COUNT(*) FROM contents) || ' contents, ' || (SELECT COUNT(*) FROM verifications) || ' verifications, ' || (SELECT COUNT(*) FROM deployed_versions) || ' deployments, ' || (SELECT COUNT(*) FROM publications WHERE created_at >= '${WIP_SINCE}') || ' publications since $WIP_SINCE'")
        log "$backend scale $scale: $facts"
        {
            echo "## $backend, scale $scale: $facts"
            python3 "$BENCH_DIR/plans.py" verification --backend "$backend" \
                --since "${WIP_SINCE}T00:00:00.000Z" | run_sql_plans "$DB_URL"
            echo
        } >>"$PLANS" 2>&1 || log "could not capture the plans"
        start_broker "$DB_URL"
        label="for-verification $backend"
        if check_endpoint POST "$PATH_FV" "$BODY"; then
            log "$REQUESTS x POST $PATH_FV ($backend, scale $scale)"
            python3 "$BENCH_DIR/measure.py" run --base-url "$BROKER_URL" --label "$label" \
                --method POST --path "$PATH_FV" --body "$BODY" --requests "$REQUESTS" \
                --warmup "$WARMUP" --expect for-verification --meta scale "$scale" \
                --meta seed_s "$SEED_SECONDS" --out "$RESULTS" || failed=1
        else
            printf '{"label": "%s", "scale": "%s", "path": "%s", "status": "FAILED", "error": "non-2xx answer, see the log above"}\n' \
                "$label" "$scale" "$PATH_FV" >>"$RESULTS"
            failed=1
        fi
        if [[ ${REFERENCE:-1} == 1 ]]; then
            # An endpoint main already serves, measured the same way: shows the machinery works
            # (and gives a figure) before the feature exists.
            if check_endpoint GET "/pacts/provider/P/latest"; then
                python3 "$BENCH_DIR/measure.py" run --base-url "$BROKER_URL" \
                    --label "reference: GET /pacts/provider/P/latest ($backend)" --path "/pacts/provider/P/latest" --requests "${REFERENCE_REQUESTS:-200}" \
                    --warmup 5 --expect any --meta scale "$scale" --out "$RESULTS" || failed=1
            fi
        fi
        stop_broker
        drop_database "$DB_URL"
    done
done

echo
echo "### for-verification.sh: $REQUESTS sequential requests per size, WIP since $WIP_SINCE (goal: p99 < 50 ms at scale 1, and <= 2x scale 0.1)"
echo
echo "before: $MACHINE_BEFORE"
echo "after:  $(machine_line)"
[[ -z $SCHEMA_WARNING ]] || echo "WARNING: $SCHEMA_WARNING (extend seed.py)"
echo
python3 "$BENCH_DIR/measure.py" table "$RESULTS" --group-by scale
echo
echo "Plans (representative SQL, see bench/broker/plans.py): $PLANS"
cat "$PLANS"
[[ $failed == 0 ]] || { log "the endpoint FAILED (non-2xx or wrong shape): no figures for it"; exit 1; }
