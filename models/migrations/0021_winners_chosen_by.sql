-- award_winners.chosen_by points to the person who chose the winner (code
-- review 3.19: it was a bare number). People are deactivated, never
-- deleted, so ON DELETE SET NULL only matters for a delete by hand: the
-- winner stays, without its chooser. A chooser who is not in the directory
-- (none can be made by the app) is forgotten rather than refused, so the
-- upgrade keeps every winner.
--
-- Postgres adds the constraint in place. SQLite cannot add one to a table,
-- so the table is made again: its rows are kept aside, the table dropped
-- (with its index and the revision triggers of migration 0013) and created
-- with the reference, the rows put back with their ids, the index and the
-- triggers made again, and the AUTOINCREMENT counter kept, so an id of a
-- deleted winner is never given out again. No table refers to
-- award_winners, so this runs with foreign keys on, inside the migration's
-- transaction. Putting the rows back fires no trigger (they come after):
-- nothing public changed, no revision moves.

-- dialect: postgres
UPDATE award_winners SET chosen_by = NULL WHERE chosen_by IS NOT NULL AND chosen_by NOT IN (SELECT id FROM people);
ALTER TABLE award_winners ADD CONSTRAINT award_winners_chosen_by_fkey FOREIGN KEY (chosen_by) REFERENCES people(id) ON DELETE SET NULL;

-- dialect: sqlite
CREATE TABLE award_winners_kept (id INTEGER, category_id BIGINT, nominee_id BIGINT, place INTEGER, reason TEXT, chosen_by BIGINT, created_at {{TIME}});
INSERT INTO award_winners_kept SELECT id, category_id, nominee_id, place, reason, chosen_by, created_at FROM award_winners;
CREATE TABLE award_winners_counter (seq INTEGER);
INSERT INTO award_winners_counter SELECT seq FROM sqlite_sequence WHERE name = 'award_winners';
DROP TABLE award_winners;
CREATE TABLE award_winners (
  id {{PK}},
  category_id BIGINT NOT NULL REFERENCES award_categories(id) ON DELETE CASCADE,
  nominee_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  place INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  chosen_by BIGINT REFERENCES people(id) ON DELETE SET NULL,
  created_at {{TIME}} NOT NULL
);
INSERT INTO award_winners (id, category_id, nominee_id, place, reason, chosen_by, created_at)
  SELECT id, category_id, nominee_id, place, reason,
    CASE WHEN chosen_by IN (SELECT id FROM people) THEN chosen_by END, created_at
  FROM award_winners_kept ORDER BY id;
DROP TABLE award_winners_kept;
DELETE FROM sqlite_sequence WHERE name = 'award_winners';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'award_winners', n FROM (SELECT MAX(n) AS n FROM (SELECT seq AS n FROM award_winners_counter UNION ALL SELECT MAX(id) FROM award_winners))
  WHERE n IS NOT NULL;
DROP TABLE award_winners_counter;
CREATE UNIQUE INDEX award_winners_once ON award_winners (category_id, nominee_id);

CREATE TRIGGER award_winners_revision_insert AFTER INSERT ON award_winners BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = NEW.category_id);
END;
CREATE TRIGGER award_winners_revision_update AFTER UPDATE ON award_winners BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT summit_id FROM award_categories WHERE id IN (OLD.category_id, NEW.category_id));
END;
CREATE TRIGGER award_winners_revision_delete AFTER DELETE ON award_winners BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = OLD.category_id);
END;
-- dialect: all
