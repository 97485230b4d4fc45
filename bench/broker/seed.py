#!/usr/bin/env python3
"""Prints SQL that fills a freshly migrated treaty-broker database with a generated history.

Benchmark data, not test data: nothing here runs in CI. Usage:

    seed.py latest       --backend sqlite   [--versions N] [--branches B] [--contents K] [--tag-every T]
    seed.py verification --backend postgres [--scale S]  (50 consumers, 1 provider `P`)
    seed.py matrix       --backend sqlite   [--verifications N] (100 applications)
    seed.py known-columns --backend sqlite  (the table.column names it fills, one a line)

The SQL is set-based (INSERT ... SELECT over a temporary integer series), so a million rows take
seconds. Every id is explicit and follows creation order; timestamps are RFC 3339 text with
milliseconds ('2026-12-01T10:00:00.000Z'), increasing with id in every table, and end an hour
before now. Base rows come first; pact_heads and version_heads are then derived from them by
aggregate INSERT ... SELECT, with the semantics of the heads migration (2026-12-04-000000):
the newest consumer version with a pact per integration overall ('latest', ''), per consumer
branch ('branch', name) and per consumer tag ('tag', name), and its newest revision; the newest
version per pacticipant branch and tag. On PostgreSQL the id sequences are moved past the seeded
ids (so the broker can insert), and both backends are ANALYZEd on PostgreSQL only unless
--analyze (a fresh SQLite broker database has no statistics either).

Deterministic: the same arguments give the same rows (pseudo-random choices are multiplicative
hashes of the row number), except that the timestamps end an hour before the time of the run
(so that `includeWipPactsSince` "30 days ago" selects the recent part of the history).
"""

import argparse
import sys
import time

# Multiplicative hash constants (Knuth): h(i) = (i * K) % 2^32, distinct K per choice.
H1, H2, H3, H4 = 2654435761, 2246822519, 3266489917, 668265263
MOD = 4294967296


class Dialect:
    """The few expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, backend, base_epoch):
        self.pg = backend == "postgres"
        self.base = base_epoch

    def ts(self, ms):
        """RFC 3339 UTC text, `ms` milliseconds after the base time."""
        if self.pg:
            return (
                f"to_char(to_timestamp({self.base} + ({ms}) / 1000.0) AT TIME ZONE 'UTC', "
                "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
            )
        return f"strftime('%Y-%m-%dT%H:%M:%fZ', {self.base} + ({ms}) / 1000.0, 'unixepoch')"

    def hex64(self, expr):
        """A 64-character lowercase hex text of an integer (a unique, sha-shaped text)."""
        if self.pg:
            return f"lpad(to_hex({expr}), 64, '0')"
        return f"printf('%064x', {expr})"

    def pad12(self, expr):
        """A 12-digit zero-padded decimal text."""
        if self.pg:
            return f"lpad(({expr})::text, 12, '0')"
        return f"printf('%012d', {expr})"

    def greatest(self, a, b):
        return f"GREATEST({a}, {b})" if self.pg else f"max({a}, {b})"

    def least(self, a, b):
        return f"LEAST({a}, {b})" if self.pg else f"min({a}, {b})"

    def boolean(self, value):
        return ("TRUE" if value else "FALSE") if self.pg else ("1" if value else "0")

    def bool_expr(self, expr):
        """A condition as a value of a BOOLEAN column."""
        return f"({expr})" if self.pg else f"(CASE WHEN {expr} THEN 1 ELSE 0 END)"

    def text(self, expr):
        return f"({expr})::text" if self.pg else f"CAST({expr} AS TEXT)"

    def prologue(self, max_series):
        out = []
        if self.pg:
            out.append("SET client_min_messages = warning;")
            # Seeded rows are consistent by construction: skip the per-row foreign key triggers
            # (superuser only; the local benchmark server runs as postgres).
            out.append("SET session_replication_role = replica;")
            out.append("BEGIN;")
            out.append(f"CREATE TEMP TABLE seq AS SELECT generate_series(1, {max_series})::bigint AS i;")
            out.append("CREATE UNIQUE INDEX ON seq (i);")
        else:
            out.append("PRAGMA synchronous = OFF;")
            out.append("PRAGMA temp_store = MEMORY;")
            out.append("PRAGMA cache_size = -262144;")
            out.append("BEGIN;")
            out.append("CREATE TEMP TABLE seq (i INTEGER PRIMARY KEY);")
            out.append(
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
                f"WHERE i < {max_series}) INSERT INTO seq SELECT i FROM s;"
            )
        return out

    def epilogue(self, analyze):
        out = ["COMMIT;"]
        if self.pg:
            for table in TABLES:
                out.append(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE(MAX(id), 0) + 1, false) FROM {table};"
                )
            out.append("ANALYZE;")
        elif analyze:
            out.append("ANALYZE;")
        return out


TABLES = [
    "pacticipants", "versions", "branches", "branch_versions", "tags", "contents",
    "publications", "pact_heads", "version_heads", "verifications", "environments",
    "deployed_versions", "released_versions",
]


# Every column seed.py fills, per table (the 2026-12-04-000000 schema). The scripts compare this
# with the migrated database and warn about any table or column the seeder does not know (a
# later migration's derived table would stay empty and the figures would be wrong).
KNOWN_COLUMNS = {
    "pacticipants": "id name display_name repository_url main_branch created_at updated_at",
    "versions": "id pacticipant_id number build_url created_at",
    "branches": "id pacticipant_id name created_at",
    "branch_versions": "id branch_id version_id created_at",
    "tags": "id version_id name created_at",
    "contents": "id sha content created_at",
    "publications": "id consumer_version_id provider_id content_id revision created_at",
    "pact_heads": "id provider_id consumer_id scope scope_name consumer_version_id publication_id "
                  "content_id updated_at",
    "version_heads": "id pacticipant_id scope scope_name version_id updated_at",
    "verifications": "id consumer_id provider_id content_id provider_version_id number success wip "
                     "build_url test_results verified_by created_at",
    "environments": "id uuid name display_name production contacts created_at updated_at",
    "deployed_versions": "id uuid pacticipant_id version_id environment_id application_instance "
                         "currently_deployed created_at undeployed_at",
    "released_versions": "id uuid pacticipant_id version_id environment_id currently_supported "
                         "created_at support_ended_at",
}


def pact_json(consumer, provider, n):
    """SQL text expression of a tiny V3 pact; `consumer`/`provider` are SQL text expressions."""
    return (
        "'{\"consumer\":{\"name\":\"' || " + consumer + " || '\"},\"provider\":{\"name\":\"' || "
        + provider + " || '\"},\"interactions\":[{\"description\":\"a request for item ' || "
        + n + " || '\",\"providerStates\":[{\"name\":\"item ' || " + n + " || ' exists\"}],\"request\":"
        "{\"method\":\"GET\",\"path\":\"/items/' || " + n + " || '\"},\"response\":{\"status\":200,"
        "\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"id\":' || " + n
        + " || ',\"name\":\"item\"}}}],\"metadata\":{\"pactSpecification\":{\"version\":\"3.0.0\"}}}'"
    )


def heads_sql():
    """pact_heads and version_heads derived from the base rows (both backends)."""
    head_cols = (
        "INSERT INTO pact_heads (provider_id, consumer_id, scope, scope_name, "
        "consumer_version_id, publication_id, content_id, updated_at)"
    )
    pick = "SELECT provider_id, consumer_id, {scope}, scope_name, consumer_version_id, id, content_id, created_at FROM ("
    base = (
        "SELECT p.provider_id, v.pacticipant_id AS consumer_id, {name} AS scope_name, "
        "p.consumer_version_id, p.id, p.content_id, p.created_at, ROW_NUMBER() OVER ("
        "PARTITION BY p.provider_id, v.pacticipant_id{part} "
        "ORDER BY p.consumer_version_id DESC, p.revision DESC) AS rn "
        "FROM publications p JOIN versions v ON v.id = p.consumer_version_id{join}"
    )
    out = []
    for scope, name, part, join in [
        ("'latest'", "''", "", ""),
        ("'branch'", "b.name", ", b.name",
         " JOIN branch_versions bv ON bv.version_id = p.consumer_version_id"
         " JOIN branches b ON b.id = bv.branch_id"),
        ("'tag'", "t.name", ", t.name", " JOIN tags t ON t.version_id = p.consumer_version_id"),
    ]:
        out.append(
            head_cols + " " + pick.format(scope=scope)
            + base.format(name=name, part=part, join=join) + ") x WHERE rn = 1 ORDER BY consumer_version_id;"
        )
    out.append(
        "INSERT INTO version_heads (pacticipant_id, scope, scope_name, version_id, updated_at) "
        "SELECT b.pacticipant_id, 'branch', b.name, m.version_id, v.created_at FROM "
        "(SELECT branch_id, MAX(version_id) AS version_id FROM branch_versions GROUP BY branch_id) m "
        "JOIN branches b ON b.id = m.branch_id JOIN versions v ON v.id = m.version_id ORDER BY m.version_id;"
    )
    out.append(
        "INSERT INTO version_heads (pacticipant_id, scope, scope_name, version_id, updated_at) "
        "SELECT m.pacticipant_id, 'tag', m.name, m.version_id, v.created_at FROM "
        "(SELECT v.pacticipant_id, t.name, MAX(t.version_id) AS version_id FROM tags t "
        "JOIN versions v ON v.id = t.version_id GROUP BY v.pacticipant_id, t.name) m "
        "JOIN versions v ON v.id = m.version_id ORDER BY m.version_id;"
    )
    return out


def branch_versions_and_branches(d, step):
    """branches and branch_versions from bench_v(id, pacticipant_id, branch) (one branch each)."""
    return [
        "CREATE TEMP TABLE bench_b AS SELECT ROW_NUMBER() OVER (ORDER BY first_id) AS id, "
        "pacticipant_id, branch, first_id FROM (SELECT pacticipant_id, branch, MIN(id) AS first_id "
        "FROM bench_v GROUP BY pacticipant_id, branch) g;",
        "CREATE UNIQUE INDEX bench_b_key ON bench_b (pacticipant_id, branch);",
        "INSERT INTO branches (id, pacticipant_id, name, created_at) SELECT id, pacticipant_id, "
        f"branch, {d.ts(f'first_id * {step}')} FROM bench_b ORDER BY id;",
        "INSERT INTO branch_versions (id, branch_id, version_id, created_at) SELECT v.id, b.id, v.id, "
        f"{d.ts(f'v.id * {step}')} FROM bench_v v JOIN bench_b b ON b.pacticipant_id = v.pacticipant_id "
        "AND b.branch = v.branch ORDER BY v.id;",
    ]


def deployments_sql(d, step, deps, releases):
    """deployed_versions from bench_dep(version_id, pacticipant_id, env_id) and released_versions
    from bench_rel(...): the newest per (pacticipant, environment) is current (deployments), the
    two newest are supported (releases); ended ones end at a later record's time."""
    hour = 3600000
    out = []
    if deps:
        out.append(
            "CREATE TEMP TABLE bench_dep2 AS SELECT ROW_NUMBER() OVER (ORDER BY version_id, env_id) AS id, "
            "version_id, pacticipant_id, env_id, ROW_NUMBER() OVER (PARTITION BY pacticipant_id, env_id "
            "ORDER BY version_id DESC) AS rn, LEAD(version_id) OVER (PARTITION BY pacticipant_id, env_id "
            "ORDER BY version_id) AS next_id FROM bench_dep;"
        )
        out.append(
            "INSERT INTO deployed_versions (id, uuid, pacticipant_id, version_id, environment_id, "
            "application_instance, currently_deployed, created_at, undeployed_at) SELECT id, "
            f"'00000000-0000-4000-8000-' || {d.pad12('id')}, pacticipant_id, version_id, env_id, NULL, "
            f"{d.bool_expr('rn = 1')}, {d.ts(f'version_id * {step} + {hour}')}, "
            f"CASE WHEN rn = 1 THEN NULL ELSE {d.ts(f'next_id * {step} + {hour}')} END "
            "FROM bench_dep2 ORDER BY id;"
        )
    if releases:
        out.append(
            "CREATE TEMP TABLE bench_rel2 AS SELECT ROW_NUMBER() OVER (ORDER BY version_id, env_id) AS id, "
            "version_id, pacticipant_id, env_id, ROW_NUMBER() OVER (PARTITION BY pacticipant_id, env_id "
            "ORDER BY version_id DESC) AS rn, LEAD(version_id, 2) OVER (PARTITION BY pacticipant_id, env_id "
            "ORDER BY version_id) AS end_id FROM bench_rel;"
        )
        out.append(
            "INSERT INTO released_versions (id, uuid, pacticipant_id, version_id, environment_id, "
            "currently_supported, created_at, support_ended_at) SELECT id, "
            f"'00000000-0000-4000-9000-' || {d.pad12('id')}, pacticipant_id, version_id, env_id, "
            f"{d.bool_expr('rn <= 2')}, {d.ts(f'version_id * {step} + {hour}')}, "
            f"CASE WHEN rn <= 2 THEN NULL ELSE {d.ts(f'end_id * {step} + {hour}')} END "
            "FROM bench_rel2 ORDER BY id;"
        )
    return out


def environments_sql(d, names):
    rows = []
    for i, name in enumerate(names, start=1):
        production = d.boolean(name == "production")
        rows.append(
            f"({i}, '00000000-0000-4000-a000-{i:012d}', '{name}', '{name.capitalize()}', "
            f"{production}, NULL, {d.ts(0)}, {d.ts(0)})"
        )
    return [
        "INSERT INTO environments (id, uuid, name, display_name, production, contacts, created_at, "
        "updated_at) VALUES " + ", ".join(rows) + ";"
    ]


def scenario_latest(d, a):
    """One consumer C and one provider P; every consumer version publishes a pact for P."""
    n, branches, k, tag_every = a.versions, a.branches, a.contents, a.tag_every
    step = 60000  # one version a minute
    half = max(n // 2, 1)
    out = d.prologue(n)
    out.append(
        "INSERT INTO pacticipants (id, name, display_name, repository_url, main_branch, created_at, "
        f"updated_at) VALUES (1, 'C', NULL, NULL, 'main', {d.ts(0)}, {d.ts(0)}), "
        f"(2, 'P', NULL, NULL, 'main', {d.ts(1)}, {d.ts(1)});"
    )
    # Odd versions on main; even ones on feature branches feat-1..feat-(B-1), one after another.
    out.append(
        "CREATE TEMP TABLE bench_v AS SELECT i AS id, 1 AS pacticipant_id, CASE WHEN i % 2 = 1 "
        f"THEN 'main' ELSE 'feat-' || {d.text(f'1 + ((i / 2 - 1) * {branches - 1}) / {half}')} END AS branch, "
        f"((i - 1) % {k}) + 1 AS content_id FROM seq WHERE i <= {n};"
    )
    out.append(
        "INSERT INTO versions (id, pacticipant_id, number, build_url, created_at) SELECT id, 1, "
        f"'1.0.' || {d.text('id')}, NULL, {d.ts(f'id * {step}')} FROM bench_v ORDER BY id;"
    )
    out += branch_versions_and_branches(d, step)
    out.append(
        "INSERT INTO tags (id, version_id, name, created_at) SELECT i / "
        f"{tag_every}, i, 'prod', {d.ts(f'i * {step} + 1000')} FROM seq WHERE i <= {n} AND "
        f"i % {tag_every} = 0 ORDER BY i;"
    )
    out.append(
        "INSERT INTO contents (id, sha, content, created_at) SELECT i, "
        f"{d.hex64('i')}, {pact_json(chr(39) + 'C' + chr(39), chr(39) + 'P' + chr(39), d.text('i'))}, "
        f"{d.ts(f'i * {step}')} FROM seq WHERE i <= {min(k, n)} ORDER BY i;"
    )
    out.append(
        "INSERT INTO publications (id, consumer_version_id, provider_id, content_id, revision, "
        f"created_at) SELECT id, id, 2, content_id, 1, {d.ts(f'id * {step}')} FROM bench_v ORDER BY id;"
    )
    out += heads_sql()
    out += d.epilogue(a.analyze)
    return out


def scenario_verification(d, a):
    """50 consumers and provider P; at scale 1: 20 000 consumer versions (over ~2 000 branches,
    400 days), 2 000 provider versions, 200 000 verification results, deployments to test and
    production. A smaller scale is a shorter history at the same rate (1/10: 40 days)."""
    nc = 50
    v = int(20000 * a.scale)
    pv = max(int(2000 * a.scale), 1)
    ver = int(200000 * a.scale)
    days = 400 * a.scale
    r = v // pv  # consumer versions per provider version (10)
    total = v + pv
    step = int(days * 86400000 / total)
    fb = 5  # versions per consumer feature branch
    provider = nc + 1
    out = d.prologue(max(total, ver, nc + 1))
    out.append(
        "INSERT INTO pacticipants (id, name, display_name, repository_url, main_branch, created_at, "
        f"updated_at) SELECT i, 'consumer-' || {d.text('i')}, NULL, NULL, 'main', {d.ts('i')}, "
        f"{d.ts('i')} FROM seq WHERE i <= {nc} ORDER BY i;"
    )
    out.append(
        "INSERT INTO pacticipants (id, name, display_name, repository_url, main_branch, created_at, "
        f"updated_at) VALUES ({provider}, 'P', NULL, NULL, 'main', {d.ts(nc + 1)}, {d.ts(nc + 1)});"
    )
    # Every (r+1)-th id is a provider version; the others are consumer versions k = 1..v,
    # round-robin over the consumers (consumer c = (k-1) % nc + 1, its j-th version).
    kexpr = f"((i / {r + 1}) * {r} + (i % {r + 1}))"
    out.append(
        "CREATE TEMP TABLE bench_k AS SELECT i AS id, CASE WHEN i % "
        f"{r + 1} = 0 THEN 0 ELSE {kexpr} END AS k, CASE WHEN i % {r + 1} = 0 THEN i / {r + 1} ELSE 0 END AS p "
        f"FROM seq WHERE i <= {total};"
    )
    out.append(
        "CREATE TEMP TABLE bench_v AS SELECT id, CASE WHEN k = 0 THEN "
        f"{provider} ELSE (k - 1) % {nc} + 1 END AS pacticipant_id, CASE WHEN k = 0 THEN p - 1 ELSE "
        f"(k - 1) / {nc} END AS j, k FROM bench_k;"
    )
    out.append("ALTER TABLE bench_v ADD COLUMN branch TEXT;")
    out.append(
        f"UPDATE bench_v SET branch = CASE WHEN k = 0 THEN (CASE WHEN (j + 1) % 5 <> 0 THEN 'main' "
        f"ELSE 'feat-' || {d.text('(j + 1) / 5')} END) WHEN j % 2 = 0 THEN 'main' ELSE 'feat-' || "
        f"{d.text(f'((j - 1) / 2) / {fb}')} END;"
    )
    out.append("CREATE UNIQUE INDEX bench_v_id ON bench_v (id);")
    out.append(
        "INSERT INTO versions (id, pacticipant_id, number, build_url, created_at) SELECT id, "
        f"pacticipant_id, CASE WHEN k = 0 THEN '2.' ELSE '1.' END || {d.text('j')} || '.0', NULL, "
        f"{d.ts(f'id * {step}')} FROM bench_v ORDER BY id;"
    )
    out += branch_versions_and_branches(d, step)
    # Contents: main versions share one per 4 main versions; a feature branch has one.
    out.append(
        "CREATE TEMP TABLE bench_pub AS SELECT id AS version_id, pacticipant_id AS consumer_id, "
        "CASE WHEN j % 2 = 0 THEN 'm' || " + d.text("(j / 2) / 4") + " ELSE 'f' || "
        + d.text(f"((j - 1) / 2) / {fb}") + " END AS content_key FROM bench_v WHERE k > 0;"
    )
    out.append(
        "CREATE TEMP TABLE bench_c AS SELECT ROW_NUMBER() OVER (ORDER BY first_id) AS id, consumer_id, "
        "content_key, first_id FROM (SELECT consumer_id, content_key, MIN(version_id) AS first_id "
        "FROM bench_pub GROUP BY consumer_id, content_key) g;"
    )
    out.append("CREATE UNIQUE INDEX bench_c_key ON bench_c (consumer_id, content_key);")
    out.append(
        "INSERT INTO contents (id, sha, content, created_at) SELECT id, " + d.hex64("id") + ", "
        + pact_json("'consumer-' || " + d.text("consumer_id"), "'P'", d.text("id"))
        + f", {d.ts(f'first_id * {step}')} FROM bench_c ORDER BY id;"
    )
    out.append(
        "INSERT INTO publications (id, consumer_version_id, provider_id, content_id, revision, "
        f"created_at) SELECT p.version_id, p.version_id, {provider}, c.id, 1, "
        f"{d.ts(f'p.version_id * {step}')} FROM bench_pub p JOIN bench_c c ON c.consumer_id = "
        "p.consumer_id AND c.content_key = p.content_key ORDER BY p.version_id;"
    )
    # Verification i happens at id position i*total/ver: by the provider version current then,
    # of a consumer version among the ~200 before it. Main pacts pass 90 % of the time, feature
    # branch pacts 2 % (so that many recent branches stay unverified: WIP candidates).
    kpos = f"(1 + ((i - 1) * {v}) / {ver})"
    kpick = d.greatest("1", f"{kpos} - ((i * {H1}) % {MOD}) % 200")
    idof = "(((kp - 1) / {r}) * {r1} + ((kp - 1) % {r}) + 1)".format(r=r, r1=r + 1)
    out.append(
        f"CREATE TEMP TABLE bench_vr AS SELECT i, {kpick} AS kp, "
        + d.greatest("1", f"((i * {total}) / {ver}) / {r + 1}")
        + f" * {r + 1} AS pv_id FROM seq WHERE i <= {ver};"
    )
    out.append(f"ALTER TABLE bench_vr ADD COLUMN cv_id BIGINT;")
    out.append(f"UPDATE bench_vr SET cv_id = {idof};")
    out.append(
        "INSERT INTO verifications (id, consumer_id, provider_id, content_id, provider_version_id, "
        "number, success, wip, build_url, test_results, verified_by, created_at) SELECT r.i, "
        f"v.pacticipant_id, {provider}, pb.content_id, r.pv_id, ROW_NUMBER() OVER (PARTITION BY "
        "pb.content_id ORDER BY r.i), "
        + d.bool_expr(f"CASE WHEN v.j % 2 = 0 THEN (r.i * {H2}) % {MOD} % 10 <> 0 "
                      f"ELSE (r.i * {H2}) % {MOD} % 50 = 0 END")
        + f", {d.boolean(False)}, NULL, NULL, NULL, {d.ts(f'(r.i * {total} * {step}) / {ver}')} "
        "FROM bench_vr r JOIN bench_v v ON v.id = r.cv_id JOIN publications pb ON "
        "pb.consumer_version_id = r.cv_id ORDER BY r.i;"
    )
    # Deployments: every 20th consumer version on main to test, every 40th to production; the
    # provider's every 10th main version to test, every 20th to production. Every 10th consumer
    # also releases every 100th main version to production (two supported at a time).
    out += environments_sql(d, ["test", "production"])
    out.append(
        "CREATE TEMP TABLE bench_dep AS SELECT id AS version_id, pacticipant_id, 1 AS env_id FROM "
        "bench_v WHERE (k > 0 AND j % 20 = 0) OR (k = 0 AND branch = 'main' AND j % 10 = 0) "
        "UNION ALL SELECT id, pacticipant_id, 2 FROM bench_v WHERE (k > 0 AND j % 40 = 0) OR "
        "(k = 0 AND branch = 'main' AND j % 20 = 0);"
    )
    out.append(
        "CREATE TEMP TABLE bench_rel AS SELECT id AS version_id, pacticipant_id, 2 AS env_id FROM "
        "bench_v WHERE k > 0 AND pacticipant_id % 10 = 0 AND j % 100 = 0;"
    )
    out += deployments_sql(d, step, True, True)
    out += heads_sql()
    out += d.epilogue(a.analyze)
    return out


def scenario_matrix(d, a):
    """100 applications, 200 versions each (20 000), each consuming 2 or 3 others; deployments
    and releases across test, staging and production; a.verifications results."""
    apps, per = 100, 200
    v = apps * per
    step = 600000  # ten minutes per version: 20 000 versions over ~139 days
    out = d.prologue(max(v, a.verifications, apps))
    out.append(
        "INSERT INTO pacticipants (id, name, display_name, repository_url, main_branch, created_at, "
        f"updated_at) SELECT i, 'app-' || {d.text('i')}, NULL, NULL, 'main', {d.ts('i')}, {d.ts('i')} "
        f"FROM seq WHERE i <= {apps} ORDER BY i;"
    )
    # Version id = j * apps + a: the j-th version of application a.
    out.append(
        f"CREATE TEMP TABLE bench_v AS SELECT i AS id, (i - 1) % {apps} + 1 AS pacticipant_id, "
        f"(i - 1) / {apps} AS j FROM seq WHERE i <= {v};"
    )
    out.append("ALTER TABLE bench_v ADD COLUMN branch TEXT;")
    out.append(
        "UPDATE bench_v SET branch = CASE WHEN j % 2 = 0 THEN 'main' ELSE 'feat-' || "
        + d.text("((j - 1) / 2) / 5") + " END;"
    )
    out.append("CREATE UNIQUE INDEX bench_v_id ON bench_v (id);")
    out.append(
        "INSERT INTO versions (id, pacticipant_id, number, build_url, created_at) SELECT id, "
        f"pacticipant_id, '1.' || {d.text('j')} || '.0', NULL, {d.ts(f'id * {step}')} FROM bench_v ORDER BY id;"
    )
    out += branch_versions_and_branches(d, step)
    out.append(
        f"CREATE TEMP TABLE bench_int AS SELECT i AS consumer_id, i % {apps} + 1 AS provider_id FROM seq "
        f"WHERE i <= {apps} UNION ALL SELECT i, (i + 5) % {apps} + 1 FROM seq WHERE i <= {apps} "
        f"UNION ALL SELECT i, (i + 29) % {apps} + 1 FROM seq WHERE i <= {apps} AND i % 2 = 0;"
    )
    out.append(
        "CREATE TEMP TABLE bench_pub AS SELECT ROW_NUMBER() OVER (ORDER BY v.id, n.provider_id) AS id, "
        "v.id AS version_id, v.j, n.consumer_id, n.provider_id, v.j / 5 AS content_key FROM bench_v v "
        "JOIN bench_int n ON n.consumer_id = v.pacticipant_id;"
    )
    out.append(
        "CREATE TEMP TABLE bench_c AS SELECT ROW_NUMBER() OVER (ORDER BY first_id, provider_id) AS id, "
        "consumer_id, provider_id, content_key, first_id FROM (SELECT consumer_id, provider_id, "
        "content_key, MIN(version_id) AS first_id FROM bench_pub GROUP BY consumer_id, provider_id, "
        "content_key) g;"
    )
    out.append("CREATE UNIQUE INDEX bench_c_key ON bench_c (consumer_id, provider_id, content_key);")
    out.append(
        "INSERT INTO contents (id, sha, content, created_at) SELECT id, " + d.hex64("id") + ", "
        + pact_json("'app-' || " + d.text("consumer_id"), "'app-' || " + d.text("provider_id"), d.text("id"))
        + f", {d.ts(f'first_id * {step}')} FROM bench_c ORDER BY id;"
    )
    out.append("ALTER TABLE bench_pub ADD COLUMN content_id BIGINT;")
    out.append(
        "UPDATE bench_pub SET content_id = (SELECT c.id FROM bench_c c WHERE c.consumer_id = "
        "bench_pub.consumer_id AND c.provider_id = bench_pub.provider_id AND c.content_key = "
        "bench_pub.content_key);"
    )
    out.append("CREATE UNIQUE INDEX bench_pub_id ON bench_pub (id);")
    out.append("CREATE INDEX bench_pub_v ON bench_pub (version_id, provider_id);")
    out.append(
        "INSERT INTO publications (id, consumer_version_id, provider_id, content_id, revision, "
        f"created_at) SELECT id, version_id, provider_id, content_id, 1, {d.ts(f'version_id * {step}')} "
        "FROM bench_pub ORDER BY id;"
    )
    # Deployments: main versions every 4th to test, 8th to staging, 16th to production; every
    # 10th application also releases every 50th version to production.
    out += environments_sql(d, ["test", "staging", "production"])
    out.append(
        "CREATE TEMP TABLE bench_dep AS SELECT id AS version_id, pacticipant_id, 1 AS env_id FROM "
        "bench_v WHERE j % 4 = 0 UNION ALL SELECT id, pacticipant_id, 2 FROM bench_v WHERE j % 8 = 0 "
        "UNION ALL SELECT id, pacticipant_id, 3 FROM bench_v WHERE j % 16 = 0;"
    )
    out.append(
        "CREATE TEMP TABLE bench_rel AS SELECT id AS version_id, pacticipant_id, 3 AS env_id FROM "
        "bench_v WHERE pacticipant_id % 10 = 0 AND j % 50 = 0;"
    )
    out += deployments_sql(d, step, True, True)
    # Verifications. Targeted ones (present at every size): in each environment, the deployed or
    # supported consumer versions' pacts verified by the deployed or supported provider versions;
    # the newest main version (j = per - 2) of each application verified with what is deployed
    # or supported in production, both ways, except for integrations where (consumer +
    # provider) % 17 = 0 (left unknown). The rest are history: a random publication verified by
    # a provider version near it in time.
    latest_j = per - 2
    out.append(
        "CREATE TEMP TABLE bench_cur AS SELECT pacticipant_id, environment_id, version_id FROM "
        f"deployed_versions WHERE currently_deployed = {d.boolean(True)} UNION SELECT "
        "pacticipant_id, environment_id, version_id FROM released_versions WHERE "
        f"currently_supported = {d.boolean(True)};"
    )
    out.append(
        "CREATE TEMP TABLE bench_t AS "
        "SELECT pb.id AS pub_id, pcur.version_id AS pv_id, 1 AS ok FROM bench_int n "
        "JOIN bench_cur ccur ON ccur.pacticipant_id = n.consumer_id "
        "JOIN bench_cur pcur ON pcur.pacticipant_id = n.provider_id AND pcur.environment_id = ccur.environment_id "
        "JOIN bench_pub pb ON pb.version_id = ccur.version_id AND pb.provider_id = n.provider_id "
        "UNION ALL "
        f"SELECT pb.id, pcur.version_id, 1 FROM bench_int n "
        f"JOIN bench_cur pcur ON pcur.pacticipant_id = n.provider_id AND pcur.environment_id = 3 "
        f"JOIN bench_pub pb ON pb.version_id = {latest_j} * {apps} + n.consumer_id AND pb.provider_id = n.provider_id "
        "WHERE (n.consumer_id + n.provider_id) % 17 <> 0 "
        "UNION ALL "
        f"SELECT pb.id, {latest_j} * {apps} + n.provider_id, 1 FROM bench_int n "
        f"JOIN bench_cur ccur ON ccur.pacticipant_id = n.consumer_id AND ccur.environment_id = 3 "
        "JOIN bench_pub pb ON pb.version_id = ccur.version_id AND pb.provider_id = n.provider_id "
        "WHERE (n.consumer_id + n.provider_id) % 17 <> 0;"
    )
    # The random history fills up to a.verifications results in all (at least the targeted ones).
    jp = d.least(str(per - 1), d.greatest("0", f"pb.j + ((s.i * {H2}) % {MOD}) % 7 - 3"))
    out.append(
        "CREATE TEMP TABLE bench_vr AS SELECT pub_id, pv_id, ok, 0 AS i FROM bench_t UNION ALL "
        f"SELECT pb.id, {jp} * {apps} + pb.provider_id, "
        f"CASE WHEN ((s.i * {H3}) % {MOD}) % 10 <> 0 THEN 1 ELSE 0 END, s.i FROM seq s "
        f"JOIN bench_pub pb ON pb.id = 1 + ((s.i * {H1}) % {MOD}) % (SELECT COUNT(*) FROM bench_pub) "
        f"WHERE s.i <= {a.verifications} - (SELECT COUNT(*) FROM bench_t);"
    )
    tick = d.greatest("pb.version_id", "r.pv_id")
    out.append(
        "CREATE TEMP TABLE bench_vr2 AS SELECT r.pub_id, r.pv_id, r.ok, r.i, pb.consumer_id, "
        f"pb.provider_id, pb.content_id, {tick} * {step} + 60000 + (r.i % 500) * 1000 AS t "
        "FROM bench_vr r JOIN bench_pub pb ON pb.id = r.pub_id;"
    )
    out.append(
        "INSERT INTO verifications (id, consumer_id, provider_id, content_id, provider_version_id, "
        "number, success, wip, build_url, test_results, verified_by, created_at) SELECT "
        "ROW_NUMBER() OVER (ORDER BY t, i, pub_id), consumer_id, provider_id, content_id, pv_id, "
        "ROW_NUMBER() OVER (PARTITION BY consumer_id, provider_id, content_id ORDER BY t, i, pub_id), "
        f"{d.bool_expr('ok = 1')}, {d.boolean(False)}, NULL, NULL, NULL, {d.ts('t')} FROM bench_vr2 "
        "ORDER BY t, i, pub_id;"
    )
    out += heads_sql()
    out += d.epilogue(a.analyze)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["latest", "verification", "matrix", "known-columns"])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--versions", type=int, default=1000, help="latest: consumer versions")
    parser.add_argument("--branches", type=int, default=100, help="latest: branches (main + features)")
    parser.add_argument("--contents", type=int, default=97, help="latest: distinct contents, cycled")
    parser.add_argument("--tag-every", type=int, default=10, help="latest: every Nth version is tagged prod")
    parser.add_argument("--scale", type=float, default=1.0, help="verification: history size (1 or 0.1)")
    parser.add_argument("--verifications", type=int, default=10000, help="matrix: verification results")
    parser.add_argument("--analyze", action="store_true", help="also ANALYZE on SQLite")
    parser.add_argument("--end-epoch", type=int, default=int(time.time()) - 3600,
                        help="unix time of the newest row (default: an hour ago)")
    a = parser.parse_args()
    if a.scenario == "known-columns":
        for table, columns in KNOWN_COLUMNS.items():
            for column in columns.split():
                print(f"{table}.{column}")
        return
    spans = {
        "latest": a.versions * 60 + 60,
        "verification": 400 * 86400 * a.scale + 86400,
        "matrix": 100 * 200 * 600 + 86400,
    }
    d = Dialect(a.backend, int(a.end_epoch - spans[a.scenario]))
    build = {"latest": scenario_latest, "verification": scenario_verification, "matrix": scenario_matrix}
    sys.stdout.write("\n".join(build[a.scenario](d, a)) + "\n")


if __name__ == "__main__":
    main()
