-- Editions: a summit can be copied from an earlier one (copied_from_id
-- remembers which), several editions may share a year (the one-summit-per-
-- year index goes; within a year each edition has its own title), and a
-- speaker is kept from year to year: a speaker row of a later edition points
-- to the row it was carried over or picked from (kept_from_id), so a guest
-- keeps their name, organisation and bio and a directory person stays the
-- directory person.
ALTER TABLE summits ADD COLUMN copied_from_id BIGINT REFERENCES summits(id) ON DELETE SET NULL;
DROP INDEX summits_year;
CREATE INDEX summits_year ON summits (year);
CREATE UNIQUE INDEX summits_year_title ON summits (year, lower(title));
ALTER TABLE speakers ADD COLUMN kept_from_id BIGINT REFERENCES speakers(id) ON DELETE SET NULL;
CREATE INDEX speakers_kept_from ON speakers (kept_from_id);
CREATE INDEX speakers_person ON speakers (person_id);

-- Directory speakers show their department on the agenda, session pages and
-- in the program, so a change of a speaker's name or department raises the
-- revision of every summit they speak at (as it already did for winners).
-- dialect: sqlite
DROP TRIGGER people_revision_update;
CREATE TRIGGER people_revision_update AFTER UPDATE OF name, department ON people
WHEN OLD.name IS NOT NEW.name OR OLD.department IS NOT NEW.department BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT c.summit_id FROM award_winners w
    JOIN award_categories c ON c.id = w.category_id WHERE w.nominee_id = NEW.id)
    OR id IN (SELECT summit_id FROM speakers WHERE person_id = NEW.id);
END;
-- dialect: postgres
CREATE OR REPLACE FUNCTION people_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT c.summit_id FROM award_winners w
    JOIN award_categories c ON c.id = w.category_id WHERE w.nominee_id = NEW.id)
    OR id IN (SELECT summit_id FROM speakers WHERE person_id = NEW.id);
  RETURN NULL;
END $$;
-- dialect: all
