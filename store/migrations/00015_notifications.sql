-- The bell asks on every page for the agreements ending soon that no later
-- agreement renews (store/notification.go): by their last day, and by the
-- agreement a renewal names. The reports it asks for have reports_status.
CREATE INDEX agreements_valid_to ON agreements (valid_to);
CREATE INDEX agreements_renews ON agreements (renews_id);
