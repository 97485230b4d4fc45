#!/usr/bin/env bash
# Benchmark (not a test): what publishing costs, and what webhooks add to it. Starts the
# treaty-broker binary BIN on a fresh SQLite database, optionally creates WEBHOOKS webhooks that
# listen to every contract event (the broker runs no delivery worker, so only queueing is
# measured), publishes PUBLICATIONS contracts one after the other over one keep-alive
# connection (each a new consumer version with new content; the provider has a main branch
# head, so each publication also records a required verification), prints publications per
# second and stops the broker.
#
#   bench/broker/publish.sh target/release/treaty-broker            # old or new binary
#   WEBHOOKS=5 bench/broker/publish.sh target/release/treaty-broker
#
# Compare two binaries as whole processes, paired and alternating (A B A B), for example with
# hyperfine or /usr/bin/time in a loop; figures from one run on a shared machine drift.
# Knobs: PUBLICATIONS (300), WEBHOOKS (0; needs a broker with webhooks).
set -euo pipefail
BIN=${1:?usage: publish.sh TREATY_BROKER_BIN}
PUBLICATIONS=${PUBLICATIONS:-300}
WEBHOOKS=${WEBHOOKS:-0}
WORK=$(mktemp -d)
trap 'kill "$BROKER" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
extra=()
if [ "$WEBHOOKS" -gt 0 ]; then
    extra=(--webhook-concurrency 0)
fi
TREATY_LOG_LEVEL=warn "$BIN" --database-url "sqlite:$WORK/b.db" --bind 127.0.0.1:0 "${extra[@]}" \
    >"$WORK/out" 2>"$WORK/err" &
BROKER=$!
for _ in $(seq 100); do
    grep -q listening "$WORK/out" 2>/dev/null && break
    sleep 0.05
done
ADDRESS=$(sed -n 's/.*listening on http:\/\/\([^ ]*\).*/\1/p' "$WORK/out" | head -1)
[ -n "$ADDRESS" ] || { cat "$WORK/err" >&2; echo "the broker did not start" >&2; exit 2; }
python3 - "$ADDRESS" "$PUBLICATIONS" "$WEBHOOKS" <<'EOF'
import base64, http.client, json, sys, time
address, publications, webhooks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
host, port = address.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))
def send(method, path, body):
    conn.request(method, path, json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {path}: {response.status} {data[:300]!r}")
send("POST", "/pacticipants", {"name": "P", "mainBranch": "main"})
send("PUT", "/pacticipants/P/branches/main/versions/1.0.0", {})
for n in range(webhooks):
    send("POST", "/webhooks", {
        "events": [{"name": e} for e in ["contract_published", "contract_content_changed",
                                         "contract_requiring_verification_published"]],
        "request": {"method": "POST", "url": f"https://hooks{n}.example.com/build?c=${{pactbroker.consumerName}}",
                    "body": {"pact": "${pactbroker.pactUrl}"}},
    })
start = time.monotonic()
for n in range(publications):
    pact = {"consumer": {"name": "C"}, "provider": {"name": "P"},
            "interactions": [{"description": f"interaction {n}", "request": {"method": "GET", "path": f"/items/{n}"},
                              "response": {"status": 200, "body": {"id": n}}}],
            "metadata": {"pactSpecification": {"version": "2.0.0"}}}
    send("POST", "/contracts/publish", {
        "pacticipantName": "C", "pacticipantVersionNumber": f"1.0.{n}", "branch": "main",
        "contracts": [{"consumerName": "C", "providerName": "P", "specification": "pact",
                       "contentType": "application/json",
                       "content": base64.b64encode(json.dumps(pact).encode()).decode()}]})
elapsed = time.monotonic() - start
print(f"{publications} publications with {webhooks} webhooks: {publications / elapsed:.0f}/s")
EOF
