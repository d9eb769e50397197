-- A keyed audit chain. Each event records the id of the HMAC key that
-- signed it (store/auditkey.go; the keys live in a file outside the
-- database). 0 marks the events hashed before this migration with plain
-- SHA-256: the first keyed event's hash covers their last hash, so they
-- cannot be rewritten unnoticed either once it exists.
ALTER TABLE audit_events ADD COLUMN key_id BIGINT NOT NULL DEFAULT 0;
-- The head (the newest event's id and hash) is signed too, so that
-- deleting the newest events and moving the head back is found.
ALTER TABLE audit_head ADD COLUMN head_key BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head ADD COLUMN head_mac TEXT NOT NULL DEFAULT '';
