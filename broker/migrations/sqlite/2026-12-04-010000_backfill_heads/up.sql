-- Fills pact_heads and version_heads from the history written before they existed; from here on
-- the broker keeps them in the transaction of every publication, branch and tag change.
-- Mirrored by ../../postgres/2026-12-04-010000_backfill_heads/up.sql (the same statements).
-- updated_at is the time of the row the head points at.

-- pact_heads, scope 'latest': per (provider, consumer) the newest consumer version with a
-- publication for the provider, and that version's newest revision.
INSERT INTO pact_heads (provider_id, consumer_id, scope, scope_name, consumer_version_id,
                        publication_id, content_id, updated_at)
SELECT p.provider_id, v.pacticipant_id, 'latest', '', p.consumer_version_id, p.id, p.content_id,
       p.created_at
FROM publications p
JOIN versions v ON v.id = p.consumer_version_id
WHERE p.revision = (SELECT MAX(r.revision) FROM publications r
                    WHERE r.consumer_version_id = p.consumer_version_id
                      AND r.provider_id = p.provider_id)
  AND p.consumer_version_id = (SELECT MAX(o.consumer_version_id) FROM publications o
                               JOIN versions ov ON ov.id = o.consumer_version_id
                               WHERE o.provider_id = p.provider_id
                                 AND ov.pacticipant_id = v.pacticipant_id);

-- pact_heads, scope 'branch': the same restricted to the consumer versions on each branch.
INSERT INTO pact_heads (provider_id, consumer_id, scope, scope_name, consumer_version_id,
                        publication_id, content_id, updated_at)
SELECT p.provider_id, v.pacticipant_id, 'branch', b.name, p.consumer_version_id, p.id,
       p.content_id, p.created_at
FROM publications p
JOIN versions v ON v.id = p.consumer_version_id
JOIN branch_versions bv ON bv.version_id = v.id
JOIN branches b ON b.id = bv.branch_id
WHERE p.revision = (SELECT MAX(r.revision) FROM publications r
                    WHERE r.consumer_version_id = p.consumer_version_id
                      AND r.provider_id = p.provider_id)
  AND p.consumer_version_id = (SELECT MAX(o.consumer_version_id) FROM publications o
                               JOIN branch_versions obv ON obv.version_id = o.consumer_version_id
                               WHERE o.provider_id = p.provider_id
                                 AND obv.branch_id = b.id);

-- pact_heads, scope 'tag': the same restricted to the consumer versions carrying each tag.
INSERT INTO pact_heads (provider_id, consumer_id, scope, scope_name, consumer_version_id,
                        publication_id, content_id, updated_at)
SELECT p.provider_id, v.pacticipant_id, 'tag', t.name, p.consumer_version_id, p.id,
       p.content_id, p.created_at
FROM publications p
JOIN versions v ON v.id = p.consumer_version_id
JOIN tags t ON t.version_id = v.id
WHERE p.revision = (SELECT MAX(r.revision) FROM publications r
                    WHERE r.consumer_version_id = p.consumer_version_id
                      AND r.provider_id = p.provider_id)
  AND p.consumer_version_id = (SELECT MAX(o.consumer_version_id) FROM publications o
                               JOIN versions ov ON ov.id = o.consumer_version_id
                               JOIN tags ot ON ot.version_id = ov.id
                               WHERE o.provider_id = p.provider_id
                                 AND ov.pacticipant_id = v.pacticipant_id
                                 AND ot.name = t.name);

-- version_heads, scope 'branch': the newest version on each branch.
INSERT INTO version_heads (pacticipant_id, scope, scope_name, version_id, updated_at)
SELECT b.pacticipant_id, 'branch', b.name, bv.version_id, bv.created_at
FROM branches b
JOIN branch_versions bv ON bv.branch_id = b.id
WHERE bv.version_id = (SELECT MAX(o.version_id) FROM branch_versions o
                       WHERE o.branch_id = b.id);

-- version_heads, scope 'tag': the newest version of each pacticipant carrying each tag.
INSERT INTO version_heads (pacticipant_id, scope, scope_name, version_id, updated_at)
SELECT v.pacticipant_id, 'tag', t.name, v.id, t.created_at
FROM tags t
JOIN versions v ON v.id = t.version_id
WHERE v.id = (SELECT MAX(ov.id) FROM tags ot
              JOIN versions ov ON ov.id = ot.version_id
              WHERE ov.pacticipant_id = v.pacticipant_id
                AND ot.name = t.name);
