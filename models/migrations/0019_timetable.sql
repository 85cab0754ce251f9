-- The editable timetable (issue 15).
--
-- version: raised by every change of a session (models.SaveSession and the
-- moves of the timetable editor, the organiser's promotion that adds a seat,
-- the sessions import). A change made on what an organiser saw at version N
-- is refused when the row is no longer at N, so two organisers editing at
-- once never overwrite each other silently.
--
-- unscheduled: TRUE for a session that has no place on the timetable yet (the
-- editor's side list). It then has no room; its start and end are kept only
-- as its length for when it is scheduled again. The public agenda, exports
-- and registration ignore unscheduled sessions.
ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN unscheduled BOOLEAN NOT NULL DEFAULT FALSE;

-- Both columns count for the public pages' revision: Postgres' trigger
-- (0013) already compares every column but the seat counts; SQLite's names
-- its columns, so it is written again with the two new ones.
-- dialect: sqlite
DROP TRIGGER sessions_revision_update;
CREATE TRIGGER sessions_revision_update AFTER UPDATE ON sessions
WHEN NOT (OLD.summit_id IS NEW.summit_id AND OLD.uuid IS NEW.uuid AND OLD.title IS NEW.title
  AND OLD.kind IS NEW.kind AND OLD.abstract IS NEW.abstract AND OLD.room_id IS NEW.room_id
  AND OLD.track_id IS NEW.track_id AND OLD.starts_at IS NEW.starts_at AND OLD.ends_at IS NEW.ends_at
  AND (OLD.capacity IS NULL) = (NEW.capacity IS NULL) AND OLD.id IS NEW.id AND OLD.created_at IS NEW.created_at
  AND OLD.version IS NEW.version AND OLD.unscheduled IS NEW.unscheduled) BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (OLD.summit_id, NEW.summit_id);
END;
-- dialect: all
