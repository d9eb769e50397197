-- The report workflow's comments: the reason of the last return (by the
-- approver, to the unit) or reopening (of an approved report), who gave it
-- and when.
ALTER TABLE reports ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN reason_by TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN reason_at TEXT;
-- Approved reports lock their periods: every dated write looks them up.
CREATE INDEX reports_approved ON reports (status, as_of);
