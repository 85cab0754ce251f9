-- Outcomes: session and summit feedback (private; shown only above a
-- threshold of answers), the company's outcome measures per edition,
-- Summit's own computed measures, and the staff "How we grew" page.

-- When a summit's feedback closes and how many answers a result needs
-- before anyone sees it (never fewer than 3). No row: the defaults (closes
-- 14 days after the summit, 3 answers).
CREATE TABLE feedback_settings (
  summit_id BIGINT PRIMARY KEY REFERENCES summits(id) ON DELETE CASCADE,
  closes_at {{TIME}} NOT NULL,
  min_answers INTEGER NOT NULL DEFAULT 3 CHECK (min_answers >= 3),
  updated_at {{TIME}} NOT NULL
);

-- One answer per person and session (session_id NULL: the whole summit).
-- person_id is kept only so a person can change their own answer; no page,
-- export or report ever shows it.
CREATE TABLE feedback (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  session_id BIGINT REFERENCES sessions(id) ON DELETE CASCADE,
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  useful INTEGER NOT NULL CHECK (useful BETWEEN 1 AND 5),
  recommend INTEGER NOT NULL CHECK (recommend BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX feedback_once_per_session ON feedback (session_id, person_id) WHERE session_id IS NOT NULL;
CREATE UNIQUE INDEX feedback_once_per_summit ON feedback (summit_id, person_id) WHERE session_id IS NULL;
CREATE INDEX feedback_summit ON feedback (summit_id, session_id);

-- Outcome measures: the company's (computed = '') with a value typed or
-- imported per edition, and Summit's own (computed names the figure Summit
-- works out per edition; they have no stored values).
CREATE TABLE outcome_measures (
  id {{PK}},
  computed TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  higher_is_better BOOLEAN NOT NULL DEFAULT TRUE,
  description TEXT NOT NULL DEFAULT '',
  on_growth_page BOOLEAN NOT NULL DEFAULT FALSE,
  position INTEGER NOT NULL DEFAULT 0,
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX outcome_measures_name ON outcome_measures (lower(name));
CREATE UNIQUE INDEX outcome_measures_computed ON outcome_measures (computed) WHERE computed <> '';

CREATE TABLE outcome_values (
  id {{PK}},
  measure_id BIGINT NOT NULL REFERENCES outcome_measures(id) ON DELETE CASCADE,
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  value DOUBLE PRECISION NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX outcome_values_once ON outcome_values (measure_id, summit_id);

INSERT INTO outcome_measures (computed, name, unit, higher_is_better, description, on_growth_page, position, created_at, updated_at) VALUES
  ('registered', 'People registered', 'people', TRUE, 'People with a confirmed seat in at least one session.', TRUE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('checked_in', 'People checked in', 'people', TRUE, 'People checked in at the door of at least one session.', TRUE, 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('departments', 'Departments represented', 'departments', TRUE, 'Departments of the people who took part: registered, checked in, spoke, judged or nominated.', TRUE, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('leaders', 'Leaders taking part', 'people', TRUE, 'People with reports in the directory who attended, spoke, judged or nominated. Everyone serves, executives too.', TRUE, 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('nominations', 'Nominations', 'nominations', TRUE, 'Active nominations in the summit''s award categories.', TRUE, 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('recognition_departments', 'Departments reached by recognition', 'departments', TRUE, 'Departments with at least one nominated person.', TRUE, 6, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('training_seats', 'Training seats filled', 'seats', TRUE, 'Confirmed seats in sessions that take registrations.', TRUE, 7, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('session_rating', 'Average session rating', 'of 5', TRUE, 'Mean of both feedback ratings over sessions with enough answers to show.', TRUE, 8, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
  ('commitments_kept', 'Commitments kept', '%', TRUE, 'Share of the edition''s commitments marked done.', TRUE, 9, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- The staff page "How we grew": one row, unpublished until an organiser
-- publishes it.
CREATE TABLE growth_page (
  id INTEGER PRIMARY KEY,
  published BOOLEAN NOT NULL DEFAULT FALSE,
  intro TEXT NOT NULL DEFAULT '',
  updated_at {{TIME}} NOT NULL
);
INSERT INTO growth_page (id, published, intro, updated_at) VALUES (1, FALSE, '', CURRENT_TIMESTAMP);

-- Outcome values come from CSV files through the same stored preview as the
-- directory import; kind tells the two apart.
ALTER TABLE import_previews ADD COLUMN kind TEXT NOT NULL DEFAULT 'directory';
