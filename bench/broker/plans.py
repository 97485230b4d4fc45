#!/usr/bin/env python3
"""Prints EXPLAIN statements for the main lookups of a benchmark, for SQLite or PostgreSQL.

    plans.py latest|verification|matrix --backend sqlite|postgres [--since RFC3339]

The SQL is REPRESENTATIVE: written here to mirror what the broker's loaders read (the heads
design of the 2026-12-04 migration, and for `latest` also what main's `find_pact` and
`list_latest_pacts` send today), not captured from the broker. Ids are those seed.py gives
(`latest`: C = 1, P = 2; `verification`: consumers 1..50, P = 51; `matrix`: app-N = N, and
version j of app a has id j * 100 + a). SQLite gets EXPLAIN QUERY PLAN; PostgreSQL gets
EXPLAIN (ANALYZE, BUFFERS), which runs the query and shows the real row counts and times.
"""

import argparse

PACT_COLUMNS = "p.id, p.revision, p.created_at, v.id, v.number, c.sha, c.content"

LATEST = [
    ("main today: find_pact(Latest), GET .../consumer/C/latest",
     "SELECT p.id, p.revision, v.id, v.number, c.sha, c.content FROM publications p "
     "JOIN versions v ON v.id = p.consumer_version_id JOIN contents c ON c.id = p.content_id "
     "WHERE v.pacticipant_id = 1 AND p.provider_id = 2 ORDER BY v.id DESC, p.revision DESC LIMIT 1"),
    ("main today: find_pact(LatestWithTag prod)",
     "SELECT p.id, v.id, c.sha FROM publications p JOIN versions v ON v.id = p.consumer_version_id "
     "JOIN contents c ON c.id = p.content_id WHERE v.pacticipant_id = 1 AND p.provider_id = 2 AND "
     "v.id IN (SELECT version_id FROM tags WHERE name = 'prod') ORDER BY v.id DESC, p.revision DESC LIMIT 1"),
    ("main today: find_pact(LatestOnBranch feat-1)",
     "SELECT p.id, v.id, c.sha FROM publications p JOIN versions v ON v.id = p.consumer_version_id "
     "JOIN contents c ON c.id = p.content_id WHERE v.pacticipant_id = 1 AND p.provider_id = 2 AND "
     "v.id IN (SELECT version_id FROM branch_versions WHERE branch_id = 2) ORDER BY v.id DESC, "
     "p.revision DESC LIMIT 1"),
    ("main today: list_latest_pacts (loads every publication, dedup in Rust)",
     "SELECT p.id, v.id, c.sha FROM publications p JOIN versions v ON v.id = p.consumer_version_id "
     "JOIN contents c ON c.id = p.content_id ORDER BY v.id DESC, p.revision DESC"),
    ("heads: latest pact of an integration",
     f"SELECT {PACT_COLUMNS} FROM pact_heads h JOIN publications p ON p.id = h.publication_id "
     "JOIN versions v ON v.id = h.consumer_version_id JOIN contents c ON c.id = h.content_id "
     "WHERE h.provider_id = 2 AND h.scope = 'latest' AND h.scope_name = '' AND h.consumer_id = 1"),
    ("heads: latest pact with tag prod",
     f"SELECT {PACT_COLUMNS} FROM pact_heads h JOIN publications p ON p.id = h.publication_id "
     "JOIN versions v ON v.id = h.consumer_version_id JOIN contents c ON c.id = h.content_id "
     "WHERE h.provider_id = 2 AND h.scope = 'tag' AND h.scope_name = 'prod' AND h.consumer_id = 1"),
    ("heads: latest pact on branch feat-1",
     f"SELECT {PACT_COLUMNS} FROM pact_heads h JOIN publications p ON p.id = h.publication_id "
     "JOIN versions v ON v.id = h.consumer_version_id JOIN contents c ON c.id = h.content_id "
     "WHERE h.provider_id = 2 AND h.scope = 'branch' AND h.scope_name = 'feat-1' AND h.consumer_id = 1"),
    ("heads: list-latest-pact-versions (every integration's head)",
     "SELECT h.provider_id, h.consumer_id, p.id, v.number, c.sha FROM pact_heads h "
     "JOIN publications p ON p.id = h.publication_id JOIN versions v ON v.id = h.consumer_version_id "
     "JOIN contents c ON c.id = h.content_id WHERE h.scope = 'latest' AND h.scope_name = ''"),
]


def verification(backend, since):
    true = "TRUE" if backend == "postgres" else "1"
    heads = ("SELECT h.consumer_id, h.consumer_version_id, h.publication_id, h.content_id FROM "
             "pact_heads h")
    return [
        ("mainBranch: the head pact of each consumer's main branch",
         f"{heads} JOIN pacticipants c ON c.id = h.consumer_id WHERE h.provider_id = 51 AND "
         "h.scope = 'branch' AND h.scope_name = c.main_branch"),
        ("deployedOrReleased: pacts of the consumers' currently deployed / supported versions",
         "SELECT d.environment_id, p.consumer_version_id, p.content_id FROM deployed_versions d "
         "JOIN publications p ON p.consumer_version_id = d.version_id AND p.provider_id = 51 "
         "WHERE d.pacticipant_id IN (SELECT consumer_id FROM pact_heads WHERE provider_id = 51 AND "
         f"scope = 'latest' AND scope_name = '') AND d.currently_deployed = {true} "
         "UNION ALL SELECT r.environment_id, p.consumer_version_id, p.content_id FROM released_versions r "
         "JOIN publications p ON p.consumer_version_id = r.version_id AND p.provider_id = 51 "
         "WHERE r.pacticipant_id IN (SELECT consumer_id FROM pact_heads WHERE provider_id = 51 AND "
         f"scope = 'latest' AND scope_name = '') AND r.currently_supported = {true}"),
        (f"WIP candidates: branch heads updated (published) since {since}",
         f"{heads} WHERE h.provider_id = 51 AND h.scope = 'branch' AND h.updated_at >= '{since}'"),
        ("pending/WIP, EXISTS form: PostgreSQL may hash it into a scan of every successful "
         "verification by the provider main branch (grows with history)",
         "SELECT h.content_id, EXISTS (SELECT 1 FROM verifications vr JOIN branch_versions bv ON "
         "bv.version_id = vr.provider_version_id WHERE vr.provider_id = 51 AND vr.content_id = "
         f"h.content_id AND vr.success = {true} AND bv.branch_id = (SELECT id FROM branches WHERE "
         "pacticipant_id = 51 AND name = 'main')) AS verified_by_main FROM pact_heads h WHERE "
         f"h.provider_id = 51 AND h.scope = 'branch' AND h.updated_at >= '{since}'"),
        ("pending/WIP, per-content form: per candidate content, its successful verifications "
         "(index verifications (provider_id, content_id)), the first whose provider version is on "
         "main (branch_versions (version_id))",
         "SELECT h.content_id, (SELECT vr.id FROM verifications vr WHERE vr.provider_id = 51 AND "
         f"vr.content_id = h.content_id AND vr.success = {true} AND EXISTS (SELECT 1 FROM "
         "branch_versions bv JOIN branches b ON b.id = bv.branch_id WHERE bv.version_id = "
         "vr.provider_version_id AND b.pacticipant_id = 51 AND b.name = 'main') LIMIT 1) AS "
         "verified_by_main FROM pact_heads h WHERE h.provider_id = 51 AND h.scope = 'branch' AND "
         f"h.updated_at >= '{since}'"),
    ]


def matrix(backend, counterparts_ids=None, env_version_ids=None, content_ids=None):
    """The queries `can-i-deploy --pacticipant app-1 --version 1.198.0 --to-environment
    production` sends since the loader reads all integrations together (commit 1cc3695): one per
    step whatever the number of integrations. With the id lists (what the earlier steps return,
    read from the seeded database by can-i-deploy.sh), the batched queries get literal lists as
    the broker sends them; without, subqueries stand in for them."""
    true = "TRUE" if backend == "postgres" else "1"
    v_id = 198 * 100 + 1  # app-1's newest main version, 1.198.0
    counterparts = ("SELECT provider_id FROM publications WHERE consumer_version_id = "
                    f"{v_id} UNION SELECT consumer_id FROM pact_heads WHERE provider_id = 1 AND "
                    "scope = 'latest'")
    in_list = counterparts_ids or counterparts
    in_env = ("SELECT version_id FROM deployed_versions WHERE environment_id = 3 AND "
              f"currently_deployed = {true} AND pacticipant_id IN ({in_list}) UNION SELECT "
              f"version_id FROM released_versions WHERE environment_id = 3 AND currently_supported = "
              f"{true} AND pacticipant_id IN ({in_list})")
    versions = f"{v_id}, {env_version_ids}" if env_version_ids else f"SELECT {v_id} UNION {in_env}"
    providers = f"1, {counterparts_ids}" if counterparts_ids else f"SELECT 1 UNION {counterparts}"
    contents = content_ids or ("SELECT content_id FROM publications WHERE consumer_version_id IN "
                               f"({versions})")
    return [
        ("the version asked about (app-1 1.198.0)",
         "SELECT id FROM versions WHERE pacticipant_id = 1 AND number = '1.198.0'"),
        ("its integrations: providers of the version, consumers of app-1", counterparts),
        ("the counterparts' versions deployed in production (released: the same on released_versions)",
         "SELECT d.id, v.id, v.number, d.application_instance FROM deployed_versions d JOIN versions v "
         f"ON v.id = d.version_id WHERE d.environment_id = 3 AND d.currently_deployed = {true} AND "
         f"d.pacticipant_id IN ({in_list}) ORDER BY d.id"),
        ("the pacts of every integration (consumer versions x providers, newest revision)",
         "SELECT p.consumer_version_id, p.provider_id, p.revision, p.content_id, c.sha FROM "
         "publications p JOIN contents c ON c.id = p.content_id WHERE p.consumer_version_id IN "
         f"({versions}) AND p.provider_id IN ({providers}) "
         "ORDER BY p.consumer_version_id, p.provider_id, p.revision DESC"),
        ("the latest verifications of those contents by the selected provider versions",
         "SELECT id, consumer_id, content_id, provider_version_id, success, number FROM "
         f"verifications WHERE content_id IN ({contents}) AND provider_version_id IN "
         f"({versions}) ORDER BY id DESC"),
        ("the rows' versions: branches (tags and environments are read the same way)",
         "SELECT bv.version_id, b.name FROM branch_versions bv JOIN branches b ON b.id = bv.branch_id "
         f"WHERE bv.version_id IN ({versions}) ORDER BY b.id"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["latest", "verification", "matrix"])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--since", default="2026-11-04T00:00:00.000Z")
    parser.add_argument("--counterparts", help="matrix: comma-separated pacticipant ids")
    parser.add_argument("--env-versions", help="matrix: comma-separated version ids")
    parser.add_argument("--contents", help="matrix: comma-separated content ids")
    a = parser.parse_args()
    queries = {
        "latest": LATEST,
        "verification": verification(a.backend, a.since),
        "matrix": matrix(a.backend, a.counterparts, a.env_versions, a.contents),
    }[a.scenario]
    for title, sql in queries:
        if a.backend == "postgres":
            print(f"\\echo '-- (representative) {title.replace(chr(39), '')}'")
            print(f"EXPLAIN (ANALYZE, BUFFERS) {sql};")
        else:
            print(f".print '-- (representative) {title.replace(chr(39), '')}'")
            print(f"EXPLAIN QUERY PLAN {sql};")


if __name__ == "__main__":
    main()
