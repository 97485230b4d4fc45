#!/usr/bin/env python3
"""Generate the benchmark's Pact V3 contracts, the nginx locations that satisfy them and the
wrk request mix.

Stdlib only. Deterministic: interaction N always has the same request and the same response
body, whichever workload it belongs to, so one nginx configuration serves every workload.

Layout written under OUT (default bench/out/data):

    contracts/n250/bench-consumer-bench-provider.json        250 interactions
    contracts/n500/...                                       500
    contracts/n1000/...                                      1 000
    contracts/n2000/...                                      2 000
    contracts/n5000/...                                      5 000
    contracts/c10x100/bench-consumer-00-bench-provider.json  10 files x 100 interactions
    contracts/control/...                                    4 interactions that must FAIL
    nginx-locations.conf   one `location = /path { return STATUS 'JSON'; }` per request path
    wrk-mix.lua            the request mix: state-change POST + interaction request, 1 000 each
    manifest.json          what was generated (sizes, paths, bytes)

Each interaction: a description, one provider state with params, a request (GET /items/N with
an Accept header, every 5th with a query string, every 10th a POST /items/N/orders with a JSON
body), a response (200 or 201, Content-Type header, a 14-field JSON body with nested objects and
arrays) and matching rules (type, regex, integer, decimal, min on arrays) on about half of the
fields, so the contract's example values differ from what the provider sends wherever a rule
allows it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

PROVIDER = "bench-provider"
STATE_PATH = "/_pact/provider-states"
SIZES = (250, 500, 1000, 2000, 5000)
CONSUMERS = 10
PER_CONSUMER = 100
WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa")
COLORS = ("red", "green", "blue", "black", "white")
SIZES_TXT = ("S", "M", "L", "XL")


def dumps(value) -> str:
    """Compact JSON, the same bytes every time (insertion order is kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def is_post(i: int) -> bool:
    return i % 10 == 9


def request_path(i: int) -> str:
    return f"/items/{i}/orders" if is_post(i) else f"/items/{i}"


def actual_body(i: int) -> dict:
    """What the provider (nginx) answers for interaction i."""
    if is_post(i):
        return {
            "orderId": 100000 + i,
            "itemId": i,
            "status": "accepted",
            "quantity": 1 + i % 7,
            "total": round(10 + (i % 500) + 0.75, 2),
            "currency": "EUR",
            "reference": f"ORD-{i:08d}",
            "customer": {
                "id": 7000 + i % 300,
                "name": f"Customer {i % 300}",
                "email": f"customer{i % 300}@example.com",
                "address": {"street": f"{1 + i % 99} Main Street", "city": "Lyon", "zip": "69001"},
            },
            "lines": [
                {"sku": f"SKU-{i:06d}", "quantity": 1 + i % 7, "unitPrice": round(9 + (i % 90) + 0.5, 2)},
                {"sku": f"SKU-{i + 1:06d}", "quantity": 2, "unitPrice": 4.25},
            ],
            "notes": ["leave at the door", "fragile"],
            "createdAt": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00Z",
            "links": {"self": f"/orders/{100000 + i}", "item": f"/items/{i}"},
        }
    return {
        "id": i,
        "sku": f"SKU-{i:06d}",
        "name": f"Item number {i}",
        "description": "A benchmark item with a fixed description that must match exactly.",
        "price": round(1 + (i % 1000) + 0.25, 2),
        "currency": "EUR",
        "inStock": i % 3 != 0,
        "quantity": i % 250,
        "tags": [WORDS[(i + k) % len(WORDS)] for k in range(3)],
        "dimensions": {"width": 10 + i % 5, "height": 20, "depth": 30, "unit": "cm"},
        "owner": {
            "id": 5000 + i % 100,
            "name": f"Owner {i % 100}",
            "email": f"owner{i % 100}@example.com",
            "roles": ["seller", "admin"],
        },
        "variants": [
            {
                "sku": f"SKU-{i:06d}-{k}",
                "price": round(2 + (i % 100) + k + 0.5, 2),
                "attributes": {"color": COLORS[(i + k) % len(COLORS)], "size": SIZES_TXT[k % 4]},
            }
            for k in range(2)
        ],
        "createdAt": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T08:{i % 60:02d}:00Z",
        "links": {"self": f"/items/{i}", "owner": f"/owners/{5000 + i % 100}"},
    }


def m(*matchers: dict) -> dict:
    return {"combine": "AND", "matchers": list(matchers)}


def expected_body_and_rules(i: int) -> tuple[dict, dict]:
    """The contract's example body for interaction i and its body matching rules.

    Fields that carry a rule get an example value that differs from the provider's; fields
    without one must match exactly, so they are copied.
    """
    actual = actual_body(i)
    ts = m({"match": "regex", "regex": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"})
    if is_post(i):
        body = json.loads(dumps(actual))
        body["orderId"] = 1
        body["quantity"] = 3
        body["total"] = 12.5
        body["reference"] = "ORD-00000001"
        body["customer"]["id"] = 1
        body["customer"]["name"] = "Jane Doe"
        body["customer"]["email"] = "jane@example.com"
        body["lines"] = [{"sku": "SKU-000001", "quantity": 1, "unitPrice": 1.5}]
        body["createdAt"] = "2020-01-01T00:00:00Z"
        rules = {
            "$.orderId": m({"match": "integer"}),
            "$.quantity": m({"match": "integer"}),
            "$.total": m({"match": "decimal"}),
            "$.reference": m({"match": "regex", "regex": r"^ORD-\d{8}$"}),
            "$.customer.id": m({"match": "integer"}),
            "$.customer.name": m({"match": "type"}),
            "$.customer.email": m({"match": "regex", "regex": r"^[a-z0-9.]+@example\.com$"}),
            "$.lines": m({"match": "type", "min": 1}),
            "$.lines[*].sku": m({"match": "regex", "regex": r"^SKU-\d{6}$"}),
            "$.lines[*].quantity": m({"match": "integer"}),
            "$.lines[*].unitPrice": m({"match": "decimal"}),
            "$.createdAt": ts,
        }
        return body, rules
    body = json.loads(dumps(actual))
    body["id"] = 1
    body["sku"] = "SKU-000001"
    body["name"] = "An item"
    body["price"] = 9.99
    body["quantity"] = 42
    body["tags"] = ["example"]
    body["owner"]["id"] = 1
    body["owner"]["name"] = "Jane Doe"
    body["owner"]["email"] = "jane@example.com"
    body["variants"] = [{"sku": "SKU-000001-0", "price": 3.5, "attributes": {"color": "red", "size": "S"}}]
    body["createdAt"] = "2020-01-01T00:00:00Z"
    rules = {
        "$.id": m({"match": "integer"}),
        "$.sku": m({"match": "regex", "regex": r"^SKU-\d{6}$"}),
        "$.name": m({"match": "type"}),
        "$.price": m({"match": "decimal"}),
        "$.quantity": m({"match": "integer"}),
        "$.tags": m({"match": "type", "min": 1}),
        "$.tags[*]": m({"match": "type"}),
        "$.owner.id": m({"match": "integer"}),
        "$.owner.name": m({"match": "type"}),
        "$.owner.email": m({"match": "regex", "regex": r"^[a-z0-9.]+@example\.com$"}),
        "$.variants": m({"match": "type", "min": 1}),
        "$.variants[*].sku": m({"match": "regex", "regex": r"^SKU-\d{6}-\d$"}),
        "$.variants[*].price": m({"match": "decimal"}),
        "$.variants[*].attributes.color": m({"match": "type"}),
        "$.variants[*].attributes.size": m({"match": "regex", "regex": r"^(S|M|L|XL)$"}),
        "$.createdAt": ts,
    }
    return body, rules


def interaction(i: int) -> dict:
    body, body_rules = expected_body_and_rules(i)
    state = {"name": f"item {i} exists", "params": {"id": i, "owner": f"owner{i % 100}"}}
    if is_post(i):
        request = {
            "method": "POST",
            "path": request_path(i),
            "headers": {"Content-Type": "application/json", "Accept": "application/json"},
            "body": {"quantity": 1 + i % 7, "customerId": 7000 + i % 300, "note": "bench order"},
        }
        status = 201
        description = f"a request to order item {i}"
    else:
        request = {"method": "GET", "path": request_path(i), "headers": {"Accept": "application/json"}}
        if i % 5 == 0:
            request["query"] = {"fields": ["all"], "lang": ["en"]}
        status = 200
        description = f"a request for item {i}"
    return {
        "description": description,
        "providerStates": [state],
        "request": request,
        "response": {
            "status": status,
            "headers": {"Content-Type": "application/json"},
            "body": body,
            "matchingRules": {
                "body": body_rules,
                "header": {"Content-Type": m({"match": "regex", "regex": r"^application/json(;.*)?$"})},
            },
        },
    }


def pact(consumer: str, indices: range) -> dict:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": PROVIDER},
        "interactions": [interaction(i) for i in indices],
        "metadata": {"pactSpecification": {"version": "3.0.0"}, "generator": "treaty bench/gen_contracts.py"},
    }


def nginx_quote(text: str) -> str:
    """A single-quoted nginx string. `$` would start a variable: the generator never emits one."""
    if "$" in text:
        raise ValueError("a body contains '$', which nginx would read as a variable")
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def write_json(path: str, value) -> int:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = json.dumps(value, indent=1) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(data)
    return len(data)


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "out", "data"))
    args = parser.parse_args()
    out = args.out
    manifest: dict = {"provider": PROVIDER, "statePath": STATE_PATH, "workloads": {}}

    max_i = max(max(SIZES), CONSUMERS * PER_CONSUMER)
    for n in SIZES:
        path = os.path.join(out, "contracts", f"n{n}", f"bench-consumer-{PROVIDER}.json")
        size = write_json(path, pact("bench-consumer", range(n)))
        manifest["workloads"][f"n{n}"] = {"interactions": n, "files": [path], "bytes": size}
    files = []
    total = 0
    for c in range(CONSUMERS):
        path = os.path.join(out, "contracts", f"c{CONSUMERS}x{PER_CONSUMER}", f"bench-consumer-{c:02d}-{PROVIDER}.json")
        total += write_json(path, pact(f"bench-consumer-{c:02d}", range(c * PER_CONSUMER, (c + 1) * PER_CONSUMER)))
        files.append(path)
    manifest["workloads"][f"c{CONSUMERS}x{PER_CONSUMER}"] = {
        "interactions": CONSUMERS * PER_CONSUMER, "files": files, "bytes": total}

    # Negative control: four interactions the provider does NOT satisfy, each in one way that
    # only a real matching engine notices (the status is right every time). Both verifiers must
    # fail all four, or their timings on the real workloads are not comparable.
    broken = []
    bad = interaction(1)
    bad["description"] = "control: exact body field differs (currency)"
    bad["response"]["body"]["currency"] = "USD"
    broken.append(bad)
    bad = interaction(2)
    bad["description"] = "control: header differs (Content-Type, no rule)"
    bad["response"]["headers"]["Content-Type"] = "text/html"
    del bad["response"]["matchingRules"]["header"]
    broken.append(bad)
    bad = interaction(3)
    bad["description"] = "control: regex rule not satisfied (sku)"
    bad["response"]["matchingRules"]["body"]["$.sku"] = m({"match": "regex", "regex": r"^XYZ-\d+$"})
    broken.append(bad)
    bad = interaction(4)
    bad["description"] = "control: array shorter than its min (tags)"
    bad["response"]["matchingRules"]["body"]["$.tags"] = m({"match": "type", "min": 5})
    broken.append(bad)
    path = os.path.join(out, "contracts", "control", f"bench-consumer-control-{PROVIDER}.json")
    doc = pact("bench-consumer-control", range(0))
    doc["interactions"] = broken
    size = write_json(path, doc)
    manifest["workloads"]["control"] = {"interactions": len(broken), "files": [path], "bytes": size,
                                        "expectFailures": len(broken)}

    # nginx: one exact location per request path, answering from memory.
    lines = [
        "# Generated by bench/gen_contracts.py: one exact location per interaction.",
        f"location = {STATE_PATH} {{ return 200 '{{}}'; }}",
    ]
    for i in range(max_i):
        status = 201 if is_post(i) else 200
        lines.append(f"location = {request_path(i)} {{ return {status} {nginx_quote(dumps(actual_body(i)))}; }}")
    with open(os.path.join(out, "nginx-locations.conf"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

    # wrk: the verifiers' request mix for the first 1 000 interactions: per interaction one
    # state-change POST, then the interaction's own request (with its query and body).
    reqs = []
    for i in range(1000):
        setup = dumps({"action": "setup", "params": {"id": i, "owner": f"owner{i % 100}"}, "state": f"item {i} exists"})
        reqs.append(("POST", STATE_PATH, setup))
        it = interaction(i)["request"]
        path = it["path"]
        if "query" in it:
            path += "?" + "&".join(f"{k}={v}" for k, vs in it["query"].items() for v in vs)
        reqs.append((it["method"], path, dumps(it["body"]) if "body" in it else None))
    lua = [
        "-- Generated by bench/gen_contracts.py: the verifiers' request mix (state setup + request).",
        "local list = {",
    ]
    for method, path, body in reqs:
        lua.append(f"  {{{lua_string(method)}, {lua_string(path)}, {lua_string(body) if body else 'nil'}}},")
    lua += [
        "}",
        "local formatted = {}",
        "local idx = 0",
        "function init(args)",
        "  for i, r in ipairs(list) do",
        '    local headers = {["Accept"] = "application/json"}',
        '    if r[3] then headers["Content-Type"] = "application/json" end',
        "    formatted[i] = wrk.format(r[1], r[2], headers, r[3])",
        "  end",
        "  idx = math.random(#formatted) - 1",
        "end",
        "function request()",
        "  idx = idx % #formatted + 1",
        "  return formatted[idx]",
        "end",
    ]
    with open(os.path.join(out, "wrk-mix.lua"), "w", encoding="utf-8") as f:
        f.write("\n".join(lua) + "\n")

    write_json(os.path.join(out, "manifest.json"), manifest)
    print(f"generated {', '.join(manifest['workloads'])} under {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
