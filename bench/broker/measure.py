#!/usr/bin/env python3
"""The measuring side of the broker benchmarks (stdlib only; runs as its own process).

    measure.py run --base-url URL --label L --requests N [--warmup W] [--method POST]
                   [--body JSON] (--path P | --paths-file F) [--expect KIND] --out FILE.jsonl
        N sequential requests over one keep-alive connection (http.client), cycling through
        the paths; every answer must be 2xx and, with --expect, have the expected shape (checked
        after the clock stops). One JSON line (p50/p90/p99/max/mean in ms, what the answers
        contained: counts over all measured answers) is appended to
        --out. A non-2xx answer or a wrong shape stops the run: the line then has
        "status": "FAILED" and the reason, no latencies, and the exit code is 1.
    measure.py wrk --label L --out FILE.jsonl < wrk-output
        Reads `wrk --latency` output: req/s, p50, p99; any non-2xx/3xx answer or socket error
        marks the line FAILED (exit 1).
    measure.py table FILE.jsonl [--group-by KEY]
        Prints the lines as a Markdown table, with the ratio of p99 and req/s to the first
        (smallest) size of the same label; a FAILED row shows its reason and no figures.
"""

import argparse
import http.client
import json
import sys
import time
import urllib.parse


def percentile(sorted_values, q):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, int(round(q / 100.0 * len(sorted_values) + 0.4999999)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def check_shape(kind, body):
    """Whether the answer looks like what `kind` promises; returns (ok, facts, reason)."""
    try:
        doc = json.loads(body)
    except ValueError as error:
        return False, {}, f"body is not JSON: {error}"
    if kind == "for-verification":
        pacts = doc.get("_embedded", {}).get("pacts") if isinstance(doc, dict) else None
        if not isinstance(pacts, list):
            return False, {}, "no _embedded.pacts list"
        props = [p.get("verificationProperties", {}) or {} for p in pacts if isinstance(p, dict)]
        return True, {
            "pacts": len(pacts),
            "pending": sum(1 for p in props if p.get("pending")),
            "wip": sum(1 for p in props if p.get("wip")),
        }, ""
    if kind == "matrix":
        if not isinstance(doc, dict) or not isinstance(doc.get("matrix"), list):
            return False, {}, "no matrix list"
        summary = doc.get("summary") or {}
        return True, {"rows": len(doc["matrix"]), "deployable": summary.get("deployable")}, ""
    if kind == "pact":
        if not isinstance(doc, dict) or "interactions" not in doc:
            return False, {}, "no interactions (not a pact document)"
        return True, {}, ""
    return True, {}, ""


def summarise_facts(all_facts):
    """Folds per-answer facts into one description of what the answers contained."""
    if not all_facts:
        return {}
    out = {}
    keys = sorted({k for facts in all_facts for k in facts})
    for key in keys:
        values = [facts.get(key) for facts in all_facts]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            out[key] = {"min": min(values), "max": max(values)}
        else:
            counts = {}
            for value in values:
                counts[json.dumps(value)] = counts.get(json.dumps(value), 0) + 1
            out[key] = counts
    return out


def run(args):
    parsed = urllib.parse.urlsplit(args.base_url)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("measure.py: refusing to send traffic anywhere but 127.0.0.1")
    paths = [args.path] if args.path else [
        line.strip() for line in open(args.paths_file, encoding="utf-8") if line.strip()
    ]
    body = args.body.encode() if args.body is not None else None
    headers = {"Accept": "application/hal+json, application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    record = {"label": args.label, "method": args.method, "path": paths[0],
              "distinct_paths": len(paths), "requests": args.requests}
    for key, value in (args.meta or []):
        record[key] = value
    latencies, all_facts, total_bytes = [], [], 0
    failure = None
    for n in range(args.warmup + args.requests):
        path = paths[n % len(paths)]
        start = time.perf_counter_ns()
        try:
            conn.request(args.method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            failure = f"{args.method} {path}: {type(error).__name__}: {error}"
            break
        elapsed = time.perf_counter_ns() - start
        if not 200 <= response.status < 300:
            failure = (f"{args.method} {path} answered {response.status}: "
                       f"{data[:300].decode('utf-8', 'replace')}")
            break
        if args.expect:  # outside the timed part: the clock stopped when the body was read
            ok, facts, reason = check_shape(args.expect, data)
            if not ok:
                failure = f"{args.method} {path} answered {response.status} but {reason}: " \
                          f"{data[:300].decode('utf-8', 'replace')}"
                break
            if n >= args.warmup:
                all_facts.append(facts)
        if n >= args.warmup:
            latencies.append(elapsed / 1e6)
            total_bytes += len(data)
    conn.close()
    if failure:
        record.update({"status": "FAILED", "error": failure})
        print(f"FAILED {args.label}: {failure}", file=sys.stderr)
    else:
        latencies.sort()
        record.update({
            "status": "ok",
            "p50_ms": round(percentile(latencies, 50), 3),
            "p90_ms": round(percentile(latencies, 90), 3),
            "p99_ms": round(percentile(latencies, 99), 3),
            "max_ms": round(latencies[-1], 3),
            "mean_ms": round(sum(latencies) / len(latencies), 3),
            "mean_bytes": total_bytes // len(latencies),
            "answers": summarise_facts(all_facts),
        })
    with open(args.out, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    return 1 if failure else 0


def wrk_ms(text):
    """A wrk duration (`812.00us`, `1.20ms`, `2.01s`) in milliseconds."""
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def parse_wrk(args):
    text = sys.stdin.read()
    record = {"label": args.label}
    for key, value in (args.meta or []):
        record[key] = value
    problems = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] in ("50%", "90%", "99%") and len(words) == 2:
            record[f"p{words[0][:-1]}_ms"] = round(wrk_ms(words[1]), 3)
        elif line.startswith("Requests/sec:"):
            record["req_per_s"] = round(float(words[1]), 1)
        elif "requests in" in line:
            record["total_requests"] = int(words[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            problems.append(line.strip() + " of {total} requests")
        elif line.strip().startswith("Socket errors:"):
            problems.append(line.strip())
    if "req_per_s" not in record or "p99_ms" not in record:
        problems.append("could not read wrk's output: " + text[-300:])
    if record.get("total_requests", 0) == 0:
        problems.append("no request completed")
    if problems:
        record["status"] = "FAILED"
        record["error"] = "; ".join(problems).replace("{total}", str(record.get("total_requests", "?")))
        print(f"FAILED {args.label}: {record['error']}", file=sys.stderr)
    else:
        record["status"] = "ok"
    with open(args.out, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    return 1 if problems else 0


def table(args):
    rows = [json.loads(line) for line in open(args.file, encoding="utf-8") if line.strip()]
    if not rows:
        print("(no results)")
        return 0
    figures = [k for k in ("req_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms") if any(k in r for r in rows)]
    group = args.group_by
    first = {}
    header = ["what", group] if group else ["what"]
    header += figures + ["ratio p99 to first"]
    if any("req_per_s" in r for r in rows):
        header.append("ratio req/s to first")
    show_answers = any(r.get("answers") for r in rows)
    header += (["answers"] if show_answers else []) + ["status"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        cells = [r["label"]] + ([str(r.get(group, ""))] if group else [])
        # A failed row's figures (kept in the .jsonl) mix failures with answers: not shown.
        cells += [str(r.get(k, "–")) if r.get("status") == "ok" else "–" for k in figures]
        base = first.setdefault(r["label"], r) if r.get("status") == "ok" else None
        def ratio(key):
            if base is None or not base.get(key) or r.get(key) is None:
                return "–"
            return f"{r[key] / base[key]:.2f}"
        cells.append(ratio("p99_ms"))
        if "ratio req/s to first" in header:
            cells.append(ratio("req_per_s") if "req_per_s" in r else "–")
        if show_answers:
            answers = r.get("answers")
            cells.append(json.dumps(answers, separators=(",", ":")) if answers else "")
        cells.append(r.get("status", "?") if r.get("status") == "ok" else f"FAILED: {r.get('error', '')[:160]}")
        print("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run")
    p_run.add_argument("--base-url", required=True)
    p_run.add_argument("--label", required=True)
    p_run.add_argument("--method", default="GET")
    p_run.add_argument("--path")
    p_run.add_argument("--paths-file")
    p_run.add_argument("--body")
    p_run.add_argument("--requests", type=int, default=500)
    p_run.add_argument("--warmup", type=int, default=20)
    p_run.add_argument("--expect", choices=["for-verification", "matrix", "pact", "any"])
    p_run.add_argument("--meta", nargs=2, action="append", metavar=("KEY", "VALUE"))
    p_run.add_argument("--out", required=True)
    p_wrk = sub.add_parser("wrk")
    p_wrk.add_argument("--label", required=True)
    p_wrk.add_argument("--meta", nargs=2, action="append", metavar=("KEY", "VALUE"))
    p_wrk.add_argument("--out", required=True)
    p_table = sub.add_parser("table")
    p_table.add_argument("file")
    p_table.add_argument("--group-by")
    args = parser.parse_args()
    if args.command == "run":
        if not args.path and not args.paths_file:
            parser.error("run needs --path or --paths-file")
        return run(args)
    if args.command == "wrk":
        return parse_wrk(args)
    return table(args)


if __name__ == "__main__":
    sys.exit(main())
