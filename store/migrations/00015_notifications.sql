-- The bell asks on every page for the agreements ending soon
-- (store/notification.go); the reports it asks for have reports_status.
CREATE INDEX agreements_valid_to ON agreements (valid_to);
