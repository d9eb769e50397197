-- Report workflow: who drew a report up. Submission and approval already
-- have their columns in 00003; the creator is shown with the report and
-- kept on the row so a list needs no walk through the audit log.
ALTER TABLE reports ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
-- Approvers look for the reports waiting for them by status.
CREATE INDEX reports_status ON reports (status, unit_id);
