-- The name indexes carry status, unit and id: a search counts its matches
-- (up to the cap, congdoan.MemberCountCap) and checks the scope from the
-- index alone, where it read a table row per match (on PostgreSQL, an
-- index-only scan once VACUUM has set the visibility map).
DROP INDEX persons_search;
CREATE INDEX persons_search ON persons (search_key, status, unit_id, id);
DROP INDEX persons_given;
CREATE INDEX persons_given ON persons (given_key, status, unit_id, id);
