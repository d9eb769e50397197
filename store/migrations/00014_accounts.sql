-- Accounts in the UI: an account whose password an officer chose must
-- change it at first login; the session list shows when each session was
-- last used and from which browser or client.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_seen_at TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
