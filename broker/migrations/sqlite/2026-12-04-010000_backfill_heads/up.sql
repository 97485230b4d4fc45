-- Fills pact_heads and version_heads from the history written before they existed; from here on
-- the broker keeps them in the transaction of every publication, branch and tag change.
-- Mirrored by ../../postgres/2026-12-04-010000_backfill_heads/up.sql (the same statements).
-- updated_at is the time of the row the head points at.
--
-- Each head is the first row of its group by window functions (one sort per statement), not a
-- correlated MAX per row: on an upgraded database with 100 000 versions of one integration the
-- correlated form did not finish in 5 minutes, which would have hung the broker's start-up.

-- pact_heads, scope 'latest': per (provider, consumer) the newest consumer version with a
-- publication for the provider, and that version's newest revision.
INSERT INTO pact_heads (provider_id, consumer_id, scope, scope_name, consumer_version_id,
                        publication_id, content_id, updated_at)
SELECT provider_id, consumer_id, 'latest', '', consumer_version_id, id, content_id, created_at
FROM (
    SELECT newest.*,
           ROW_NUMBER() OVER (PARTITION BY newest.provider_id, newest.consumer_id
                              ORDER BY newest.consumer_version_id DESC) AS head_rank
    FROM (
        SELECT p.id, p.provider_id, p.consumer_version_id, p.content_id, p.created_at,
               v.pacticipant_id AS consumer_id,
               ROW_NUMBER() OVER (PARTITION BY p.consumer_version_id, p.provider_id
                                  ORDER BY p.revision DESC) AS revision_rank
        FROM publications p
        JOIN versions v ON v.id = p.consumer_version_id
    ) newest
    WHERE newest.revision_rank = 1
) ranked
WHERE ranked.head_rank = 1;

-- pact_heads, scope 'branch': the same restricted to the consumer versions on each branch.
INSERT INTO pact_heads (provider_id, consumer_id, scope, scope_name, consumer_version_id,
                        publication_id, content_id, updated_at)
SELECT provider_id, consumer_id, 'branch', branch_name, consumer_version_id, id, content_id,
       created_at
FROM (
    SELECT newest.*, b.name AS branch_name,
           ROW_NUMBER() OVER (PARTITION BY newest.provider_id, b.id
                              ORDER BY newest.consumer_version_id DESC) AS head_rank
    FROM (
        SELECT p.id, p.provider_id, p.consumer_version_id, p.content_id, p.created_at,
               v.pacticipant_id AS consumer_id,
               ROW_NUMBER() OVER (PARTITION BY p.consumer_version_id, p.provider_id
                                  ORDER BY p.revision DESC) AS revision_rank
        FROM publications p
        JOIN versions v ON v.id = p.consumer_version_id
    ) newest
    JOIN branch_versions bv ON bv.version_id = newest.consumer_version_id
    JOIN branches b ON b.id = bv.branch_id
    WHERE newest.revision_rank = 1
) ranked
WHERE ranked.head_rank = 1;

-- pact_heads, scope 'tag': the same restricted to the consumer versions carrying each tag.
INSERT INTO pact_heads (provider_id, consumer_id, scope, scope_name, consumer_version_id,
                        publication_id, content_id, updated_at)
SELECT provider_id, consumer_id, 'tag', tag_name, consumer_version_id, id, content_id,
       created_at
FROM (
    SELECT newest.*, t.name AS tag_name,
           ROW_NUMBER() OVER (PARTITION BY newest.provider_id, newest.consumer_id, t.name
                              ORDER BY newest.consumer_version_id DESC) AS head_rank
    FROM (
        SELECT p.id, p.provider_id, p.consumer_version_id, p.content_id, p.created_at,
               v.pacticipant_id AS consumer_id,
               ROW_NUMBER() OVER (PARTITION BY p.consumer_version_id, p.provider_id
                                  ORDER BY p.revision DESC) AS revision_rank
        FROM publications p
        JOIN versions v ON v.id = p.consumer_version_id
    ) newest
    JOIN tags t ON t.version_id = newest.consumer_version_id
    WHERE newest.revision_rank = 1
) ranked
WHERE ranked.head_rank = 1;

-- version_heads, scope 'branch': the newest version on each branch.
INSERT INTO version_heads (pacticipant_id, scope, scope_name, version_id, updated_at)
SELECT pacticipant_id, 'branch', name, version_id, created_at
FROM (
    SELECT b.pacticipant_id, b.name, bv.version_id, bv.created_at,
           ROW_NUMBER() OVER (PARTITION BY bv.branch_id ORDER BY bv.version_id DESC) AS head_rank
    FROM branches b
    JOIN branch_versions bv ON bv.branch_id = b.id
) ranked
WHERE ranked.head_rank = 1;

-- version_heads, scope 'tag': the newest version of each pacticipant carrying each tag.
INSERT INTO version_heads (pacticipant_id, scope, scope_name, version_id, updated_at)
SELECT pacticipant_id, 'tag', name, version_id, created_at
FROM (
    SELECT v.pacticipant_id, t.name, v.id AS version_id, t.created_at,
           ROW_NUMBER() OVER (PARTITION BY v.pacticipant_id, t.name ORDER BY v.id DESC) AS head_rank
    FROM tags t
    JOIN versions v ON v.id = t.version_id
) ranked
WHERE ranked.head_rank = 1;
