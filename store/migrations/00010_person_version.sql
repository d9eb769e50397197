-- A person's record version: every edit of the person's details adds one,
-- and an edit made from an older version is refused (no record is silently
-- overwritten by someone who had not seen the last change).
ALTER TABLE persons ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
