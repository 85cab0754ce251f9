-- Strategize: staff ideas with votes from a per-person budget, comments and
-- themes; ideas shortlisted into strategy sessions; commitments with an
-- owner, a due date and status updates, shown at the next edition; and the
-- words an organiser adds to the hints that keep people human.

-- When a summit takes ideas and votes, and each person's vote budget. No
-- row: the summit takes no ideas yet.
CREATE TABLE idea_settings (
  summit_id BIGINT PRIMARY KEY REFERENCES summits(id) ON DELETE CASCADE,
  opens_at {{TIME}} NOT NULL,
  closes_at {{TIME}} NOT NULL,
  vote_budget INTEGER NOT NULL DEFAULT 5 CHECK (vote_budget BETWEEN 1 AND 50),
  updated_at {{TIME}} NOT NULL
);

-- author_id is kept for an anonymous idea too (moderation by admins, and so
-- its author can find it); no page, export, CSV or JSON ever shows it.
CREATE TABLE ideas (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  author_id BIGINT NOT NULL REFERENCES people(id),
  anonymous BOOLEAN NOT NULL DEFAULT FALSE,
  title TEXT NOT NULL,
  change TEXT NOT NULL,
  helps TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  themes TEXT NOT NULL DEFAULT '',
  hidden_reason TEXT NOT NULL DEFAULT '',
  hidden_at {{TIME}},
  merged_into_id BIGINT REFERENCES ideas(id) ON DELETE SET NULL,
  session_id BIGINT REFERENCES sessions(id) ON DELETE SET NULL,
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE INDEX ideas_summit ON ideas (summit_id, created_at);
CREATE INDEX ideas_session ON ideas (session_id) WHERE session_id IS NOT NULL;

-- One vote per person and idea; summit_id is the idea's, kept here so a
-- person's budget is counted from one index.
CREATE TABLE idea_votes (
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  created_at {{TIME}} NOT NULL,
  PRIMARY KEY (idea_id, person_id)
);
CREATE INDEX idea_votes_budget ON idea_votes (summit_id, person_id);

CREATE TABLE idea_comments (
  id {{PK}},
  idea_id BIGINT NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
  author_id BIGINT NOT NULL REFERENCES people(id),
  body TEXT NOT NULL,
  created_at {{TIME}} NOT NULL
);
CREATE INDEX idea_comments_idea ON idea_comments (idea_id, created_at);

-- Commitments: what the summit promised, an owner, a due date, how success
-- will be seen, and the last status (each change is a commitment_updates row
-- written in the same transaction). carried_from_id: the commitment of an
-- earlier edition this one continues.
CREATE TABLE commitments (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  idea_id BIGINT REFERENCES ideas(id) ON DELETE SET NULL,
  what TEXT NOT NULL,
  owner_id BIGINT NOT NULL REFERENCES people(id),
  due_date TEXT NOT NULL,
  success TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'on_track' CHECK (status IN ('on_track', 'at_risk', 'done', 'dropped')),
  status_note TEXT NOT NULL DEFAULT '',
  status_at {{TIME}},
  carried_from_id BIGINT REFERENCES commitments(id) ON DELETE SET NULL,
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE INDEX commitments_summit ON commitments (summit_id);
CREATE UNIQUE INDEX commitments_carried_once ON commitments (summit_id, carried_from_id) WHERE carried_from_id IS NOT NULL;

CREATE TABLE commitment_updates (
  id {{PK}},
  commitment_id BIGINT NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
  author_id BIGINT NOT NULL REFERENCES people(id),
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL
);
CREATE INDEX commitment_updates_commitment ON commitment_updates (commitment_id, created_at);

CREATE TABLE commitment_followers (
  commitment_id BIGINT NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at {{TIME}} NOT NULL,
  PRIMARY KEY (commitment_id, person_id)
);

-- Words an organiser adds to the hints of one summit (models/words.go holds
-- the list every summit shares).
CREATE TABLE hint_words (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  word TEXT NOT NULL,
  suggestion TEXT NOT NULL,
  created_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX hint_words_once ON hint_words (summit_id, lower(word));

-- Revisions (see 0013). Cached public pages show: the titles of the ideas
-- shortlisted into a session (its session page), and — on the next
-- editions' agenda and program — every commitment of an edition with its
-- owner's name and last status. So: an idea raises its summit's revision
-- while it is (or stops being) shortlisted; a commitment raises the
-- revision of every later summit; so does a summit's publication (or its
-- return to draft) and a change of its start (which edition is "the
-- previous one" may change), and a change of a
-- commitment owner's name.

-- dialect: sqlite
CREATE TRIGGER ideas_revision_insert AFTER INSERT ON ideas WHEN NEW.session_id IS NOT NULL BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
END;
CREATE TRIGGER ideas_revision_update AFTER UPDATE ON ideas
WHEN (OLD.session_id IS NOT NULL OR NEW.session_id IS NOT NULL) AND NOT (OLD.session_id IS NEW.session_id
  AND OLD.title IS NEW.title AND OLD.hidden_at IS NEW.hidden_at AND OLD.merged_into_id IS NEW.merged_into_id
  AND OLD.summit_id IS NEW.summit_id) BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (OLD.summit_id, NEW.summit_id);
END;
CREATE TRIGGER ideas_revision_delete AFTER DELETE ON ideas WHEN OLD.session_id IS NOT NULL BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
END;

CREATE TRIGGER commitments_revision_insert AFTER INSERT ON commitments BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT l.id FROM summits l, summits e
    WHERE e.id = NEW.summit_id AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)));
END;
CREATE TRIGGER commitments_revision_update AFTER UPDATE ON commitments BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT l.id FROM summits l, summits e
    WHERE e.id IN (OLD.summit_id, NEW.summit_id) AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)));
END;
CREATE TRIGGER commitments_revision_delete AFTER DELETE ON commitments BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT l.id FROM summits l, summits e
    WHERE e.id = OLD.summit_id AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)));
END;

CREATE TRIGGER summits_later_revision AFTER UPDATE OF status, start_date ON summits
WHEN (OLD.status = 'draft') IS NOT (NEW.status = 'draft') OR OLD.start_date IS NOT NEW.start_date BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id <> NEW.id
    AND (start_date > min(OLD.start_date, NEW.start_date) OR (start_date = min(OLD.start_date, NEW.start_date) AND id > NEW.id));
END;

CREATE TRIGGER people_commitments_revision_update AFTER UPDATE OF name ON people
WHEN OLD.name IS NOT NEW.name BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT l.id FROM summits l, summits e, commitments c
    WHERE c.owner_id = NEW.id AND e.id = c.summit_id AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)));
END;

-- dialect: postgres
CREATE FUNCTION ideas_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.session_id IS NULL AND NEW.session_id IS NULL THEN
      RETURN NULL;
    END IF;
    IF OLD.session_id IS NOT DISTINCT FROM NEW.session_id AND OLD.title IS NOT DISTINCT FROM NEW.title
      AND OLD.hidden_at IS NOT DISTINCT FROM NEW.hidden_at AND OLD.merged_into_id IS NOT DISTINCT FROM NEW.merged_into_id
      AND OLD.summit_id IS NOT DISTINCT FROM NEW.summit_id THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' AND (TG_OP = 'UPDATE' OR OLD.session_id IS NOT NULL) THEN
    UPDATE summits SET revision = revision + 1 WHERE id = OLD.summit_id;
  END IF;
  IF (TG_OP = 'INSERT' AND NEW.session_id IS NOT NULL) OR (TG_OP = 'UPDATE' AND NEW.summit_id IS DISTINCT FROM OLD.summit_id) THEN
    UPDATE summits SET revision = revision + 1 WHERE id = NEW.summit_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ideas_revision AFTER INSERT OR UPDATE OR DELETE ON ideas FOR EACH ROW EXECUTE FUNCTION ideas_revision_bump();

-- later_summits_bump raises every summit after the given one.
CREATE FUNCTION later_summits_bump(edition BIGINT) RETURNS void LANGUAGE sql AS $$
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT l.id FROM summits l, summits e
    WHERE e.id = edition AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)));
$$;

CREATE FUNCTION commitments_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM later_summits_bump(OLD.summit_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.summit_id IS DISTINCT FROM OLD.summit_id) THEN
    PERFORM later_summits_bump(NEW.summit_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER commitments_revision AFTER INSERT OR UPDATE OR DELETE ON commitments FOR EACH ROW EXECUTE FUNCTION commitments_revision_bump();

CREATE FUNCTION summits_later_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id <> NEW.id
    AND (start_date > LEAST(OLD.start_date, NEW.start_date) OR (start_date = LEAST(OLD.start_date, NEW.start_date) AND id > NEW.id));
  RETURN NULL;
END $$;
CREATE TRIGGER summits_later_revision AFTER UPDATE OF status, start_date ON summits FOR EACH ROW
  WHEN ((OLD.status = 'draft') IS DISTINCT FROM (NEW.status = 'draft') OR OLD.start_date IS DISTINCT FROM NEW.start_date) EXECUTE FUNCTION summits_later_revision_bump();

CREATE FUNCTION people_commitments_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE summits SET revision = revision + 1 WHERE id IN (SELECT l.id FROM summits l, summits e, commitments c
    WHERE c.owner_id = NEW.id AND e.id = c.summit_id AND (l.start_date > e.start_date OR (l.start_date = e.start_date AND l.id > e.id)));
  RETURN NULL;
END $$;
CREATE TRIGGER people_commitments_revision AFTER UPDATE OF name ON people FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION people_commitments_revision_bump();
-- dialect: all
