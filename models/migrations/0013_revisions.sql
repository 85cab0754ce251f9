-- Revisions: every summit carries a number that the database raises, in the
-- same transaction, whenever something its public pages and exports show
-- changes. App instances key their page cache by it (see app/pagecache.go and
-- docs/PERFORMANCE.md), so every instance sees a change on its next request.
--
-- Triggers raise it, so every write path (web, CLI, seed, features to come)
-- raises it without Go code of its own. What raises it: the summit row itself
-- (dates, status, registration window …), rooms, tracks, speakers, sessions
-- and their speakers, award categories, winners, the nominations of winners
-- (quotes, withdrawals) and the names and departments of winners.
--
-- What does not: seat counts. A registration changes only sessions.seats_taken
-- (an organiser's promotion also capacity), and the pages read seat counts
-- with one small query per request instead; so a registration rush neither
-- empties the cache nor queues every registration behind the summit's row.
-- Only whether a session takes registrations at all (capacity set or not)
-- changes the cached page.
--
-- A new table or column that a public page shows needs a trigger here (or in
-- a later migration): models/revision_test.go lists the sessions columns.
ALTER TABLE summits ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;

-- dialect: sqlite
CREATE TRIGGER summits_revision AFTER UPDATE ON summits WHEN NEW.revision = OLD.revision BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = NEW.id;
END;

CREATE TRIGGER rooms_revision_insert AFTER INSERT ON rooms BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
END;
CREATE TRIGGER rooms_revision_update AFTER UPDATE ON rooms BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (OLD.summit_id, NEW.summit_id);
END;
CREATE TRIGGER rooms_revision_delete AFTER DELETE ON rooms BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
END;

CREATE TRIGGER tracks_revision_insert AFTER INSERT ON tracks BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
END;
CREATE TRIGGER tracks_revision_update AFTER UPDATE ON tracks BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (OLD.summit_id, NEW.summit_id);
END;
CREATE TRIGGER tracks_revision_delete AFTER DELETE ON tracks BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
END;

CREATE TRIGGER speakers_revision_insert AFTER INSERT ON speakers BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
END;
CREATE TRIGGER speakers_revision_update AFTER UPDATE ON speakers BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (OLD.summit_id, NEW.summit_id);
END;
CREATE TRIGGER speakers_revision_delete AFTER DELETE ON speakers BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
END;

CREATE TRIGGER sessions_revision_insert AFTER INSERT ON sessions BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
END;
-- Every column but the seat counts (and updated_at, which moves with them).
CREATE TRIGGER sessions_revision_update AFTER UPDATE ON sessions
WHEN NOT (OLD.summit_id IS NEW.summit_id AND OLD.uuid IS NEW.uuid AND OLD.title IS NEW.title
  AND OLD.kind IS NEW.kind AND OLD.abstract IS NEW.abstract AND OLD.room_id IS NEW.room_id
  AND OLD.track_id IS NEW.track_id AND OLD.starts_at IS NEW.starts_at AND OLD.ends_at IS NEW.ends_at
  AND (OLD.capacity IS NULL) = (NEW.capacity IS NULL) AND OLD.id IS NEW.id AND OLD.created_at IS NEW.created_at) BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (OLD.summit_id, NEW.summit_id);
END;
CREATE TRIGGER sessions_revision_delete AFTER DELETE ON sessions BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
END;

CREATE TRIGGER session_speakers_revision_insert AFTER INSERT ON session_speakers BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER session_speakers_revision_update AFTER UPDATE ON session_speakers BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT summit_id FROM sessions WHERE id IN (OLD.session_id, NEW.session_id));
END;
CREATE TRIGGER session_speakers_revision_delete AFTER DELETE ON session_speakers BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM sessions WHERE id = OLD.session_id);
END;

CREATE TRIGGER award_categories_revision_insert AFTER INSERT ON award_categories BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
END;
CREATE TRIGGER award_categories_revision_update AFTER UPDATE ON award_categories BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (OLD.summit_id, NEW.summit_id);
END;
CREATE TRIGGER award_categories_revision_delete AFTER DELETE ON award_categories BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
END;

CREATE TRIGGER award_winners_revision_insert AFTER INSERT ON award_winners BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = NEW.category_id);
END;
CREATE TRIGGER award_winners_revision_update AFTER UPDATE ON award_winners BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT summit_id FROM award_categories WHERE id IN (OLD.category_id, NEW.category_id));
END;
CREATE TRIGGER award_winners_revision_delete AFTER DELETE ON award_winners BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = OLD.category_id);
END;

-- Nominations only matter once their nominee won (the honorees' quotes, and
-- a winner whose nominations are all withdrawn is no honoree).
CREATE TRIGGER award_nominations_revision_insert AFTER INSERT ON award_nominations
WHEN EXISTS (SELECT 1 FROM award_winners w WHERE w.category_id = NEW.category_id AND w.nominee_id = NEW.nominee_id) BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = NEW.category_id);
END;
CREATE TRIGGER award_nominations_revision_update AFTER UPDATE ON award_nominations
WHEN EXISTS (SELECT 1 FROM award_winners w WHERE (w.category_id = OLD.category_id AND w.nominee_id = OLD.nominee_id)
  OR (w.category_id = NEW.category_id AND w.nominee_id = NEW.nominee_id)) BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT summit_id FROM award_categories WHERE id IN (OLD.category_id, NEW.category_id));
END;
CREATE TRIGGER award_nominations_revision_delete AFTER DELETE ON award_nominations
WHEN EXISTS (SELECT 1 FROM award_winners w WHERE w.category_id = OLD.category_id AND w.nominee_id = OLD.nominee_id) BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = OLD.category_id);
END;

-- A winner's name and department are on the honorees page and in the program.
CREATE TRIGGER people_revision_update AFTER UPDATE OF name, department ON people
WHEN OLD.name IS NOT NEW.name OR OLD.department IS NOT NEW.department BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT c.summit_id FROM award_winners w
    JOIN award_categories c ON c.id = w.category_id WHERE w.nominee_id = NEW.id);
END;

-- dialect: postgres
-- The summit's own row: raised before the write, so it is one row version.
CREATE FUNCTION summit_revision_self() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.revision = OLD.revision THEN
    NEW.revision := OLD.revision + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER summits_revision BEFORE UPDATE ON summits FOR EACH ROW EXECUTE FUNCTION summit_revision_self();

-- Rows with a summit_id column. Sessions skip updates of the seat counts
-- alone (every other column, present or added later, counts).
CREATE FUNCTION summit_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'sessions' THEN
    IF (to_jsonb(NEW) - 'seats_taken' - 'capacity' - 'updated_at') = (to_jsonb(OLD) - 'seats_taken' - 'capacity' - 'updated_at')
      AND jsonb_typeof(to_jsonb(NEW) -> 'capacity') = jsonb_typeof(to_jsonb(OLD) -> 'capacity') THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.summit_id IS DISTINCT FROM OLD.summit_id) THEN
    UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER rooms_revision AFTER INSERT OR UPDATE OR DELETE ON rooms FOR EACH ROW EXECUTE FUNCTION summit_revision_bump();
CREATE TRIGGER tracks_revision AFTER INSERT OR UPDATE OR DELETE ON tracks FOR EACH ROW EXECUTE FUNCTION summit_revision_bump();
CREATE TRIGGER speakers_revision AFTER INSERT OR UPDATE OR DELETE ON speakers FOR EACH ROW EXECUTE FUNCTION summit_revision_bump();
CREATE TRIGGER sessions_revision AFTER INSERT OR UPDATE OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION summit_revision_bump();
CREATE TRIGGER award_categories_revision AFTER INSERT OR UPDATE OR DELETE ON award_categories FOR EACH ROW EXECUTE FUNCTION summit_revision_bump();

CREATE FUNCTION session_speakers_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM sessions WHERE id = OLD.session_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.session_id IS DISTINCT FROM OLD.session_id) THEN
    UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM sessions WHERE id = NEW.session_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER session_speakers_revision AFTER INSERT OR UPDATE OR DELETE ON session_speakers FOR EACH ROW EXECUTE FUNCTION session_speakers_revision_bump();

-- Winners, and the nominations of winners (by category).
CREATE FUNCTION award_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND (TG_TABLE_NAME = 'award_winners' OR EXISTS (SELECT 1 FROM award_winners w
      WHERE w.category_id = OLD.category_id AND w.nominee_id = OLD.nominee_id)) THEN
    UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = OLD.category_id);
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_TABLE_NAME = 'award_winners' OR EXISTS (SELECT 1 FROM award_winners w
      WHERE w.category_id = NEW.category_id AND w.nominee_id = NEW.nominee_id)) THEN
    UPDATE summits SET revision = revision + 1 WHERE id = (SELECT summit_id FROM award_categories WHERE id = NEW.category_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER award_winners_revision AFTER INSERT OR UPDATE OR DELETE ON award_winners FOR EACH ROW EXECUTE FUNCTION award_revision_bump();
CREATE TRIGGER award_nominations_revision AFTER INSERT OR UPDATE OR DELETE ON award_nominations FOR EACH ROW EXECUTE FUNCTION award_revision_bump();

CREATE FUNCTION people_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT c.summit_id FROM award_winners w
    JOIN award_categories c ON c.id = w.category_id WHERE w.nominee_id = NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER people_revision AFTER UPDATE OF name, department ON people FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.department IS DISTINCT FROM NEW.department) EXECUTE FUNCTION people_revision_bump();
-- dialect: all
