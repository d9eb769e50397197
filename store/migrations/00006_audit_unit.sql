-- The unit an audit event concerns, so that a province officer reads the
-- events of their own subtree only (several provinces share a database
-- since the 2025 mergers). tx.audit fills it when the event is written (see
-- store.Event in store/audit.go for the rule per entity); NULL — logins,
-- bulk loads, system events, accounts without a unit — is visible to
-- administrators only. It is not part of the event's hash: see auditRow.
-- No foreign key, like entity_id and user_id: the log only records.
ALTER TABLE audit_events ADD COLUMN unit_id BIGINT;
-- A province officer's page: their subtree's events, newest first.
CREATE INDEX audit_events_unit ON audit_events (unit_id, id);

-- Backfill of the events written before this migration, by the same rule
-- but with today's rows (a member's current union, not the one of the day
-- of the event). entity_id is text; the numeric ids are cast to look the
-- row up by its primary key.
UPDATE audit_events SET unit_id = (
    SELECT COALESCE(p.unit_id, (SELECT m.unit_id FROM memberships m WHERE m.person_id = p.id ORDER BY m.valid_from DESC LIMIT 1))
    FROM persons p WHERE p.id = CAST(audit_events.entity_id AS BIGINT))
WHERE entity = 'member';
UPDATE audit_events SET unit_id = (SELECT u.id FROM units u WHERE u.code = audit_events.entity_id)
WHERE entity = 'unit';
UPDATE audit_events SET unit_id = (SELECT e.unit_id FROM employers e WHERE e.id = CAST(audit_events.entity_id AS BIGINT))
WHERE entity = 'employer';
UPDATE audit_events SET unit_id = (SELECT a.unit_id FROM agreements a WHERE a.id = CAST(audit_events.entity_id AS BIGINT))
WHERE entity = 'agreement';
UPDATE audit_events SET unit_id = (SELECT us.unit_id FROM users us WHERE us.username = audit_events.entity_id)
WHERE entity = 'user';
UPDATE audit_events SET unit_id = (SELECT r.unit_id FROM reports r WHERE r.id = CAST(audit_events.entity_id AS BIGINT))
WHERE entity = 'report';
UPDATE audit_events SET unit_id = (SELECT t.unit_id FROM plan_targets t WHERE t.id = CAST(audit_events.entity_id AS BIGINT))
WHERE entity = 'target';
