-- Recognition awards: categories per summit, staff nominations, judging panels
-- with scores and recusals, and the winners chosen by organisers. All times UTC.
CREATE TABLE award_categories (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  trait TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  criteria TEXT NOT NULL DEFAULT '',
  winners INTEGER NOT NULL DEFAULT 1,
  opens_at {{TIME}} NOT NULL,
  closes_at {{TIME}} NOT NULL,
  announce_at {{TIME}} NOT NULL,
  judging_closes_at {{TIME}} NOT NULL,
  allow_self BOOLEAN NOT NULL DEFAULT FALSE,
  blind BOOLEAN NOT NULL DEFAULT TRUE,
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE INDEX award_categories_summit ON award_categories (summit_id);

CREATE TABLE award_nominations (
  id {{PK}},
  category_id BIGINT NOT NULL REFERENCES award_categories(id) ON DELETE CASCADE,
  nominee_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  nominator_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  story TEXT NOT NULL,
  served TEXT NOT NULL,
  quotable BOOLEAN NOT NULL DEFAULT FALSE,
  status TEXT NOT NULL DEFAULT 'active',
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL,
  withdrawn_at {{TIME}}
);
-- One live nomination per nominator, nominee and category, however many app
-- instances accept the form at once; withdrawn ones stay as history.
CREATE UNIQUE INDEX award_nominations_once ON award_nominations (category_id, nominator_id, nominee_id) WHERE status = 'active';
CREATE INDEX award_nominations_nominee ON award_nominations (nominee_id);
CREATE INDEX award_nominations_nominator ON award_nominations (nominator_id);

CREATE TABLE award_judges (
  id {{PK}},
  category_id BIGINT NOT NULL REFERENCES award_categories(id) ON DELETE CASCADE,
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX award_judges_once ON award_judges (category_id, person_id);
CREATE INDEX award_judges_person ON award_judges (person_id);

CREATE TABLE award_scores (
  id {{PK}},
  nomination_id BIGINT NOT NULL REFERENCES award_nominations(id) ON DELETE CASCADE,
  judge_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  points TEXT NOT NULL,
  total INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX award_scores_once ON award_scores (nomination_id, judge_id);

CREATE TABLE award_recusals (
  id {{PK}},
  nomination_id BIGINT NOT NULL REFERENCES award_nominations(id) ON DELETE CASCADE,
  judge_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  created_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX award_recusals_once ON award_recusals (nomination_id, judge_id);

CREATE TABLE award_winners (
  id {{PK}},
  category_id BIGINT NOT NULL REFERENCES award_categories(id) ON DELETE CASCADE,
  nominee_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  place INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  chosen_by BIGINT,
  created_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX award_winners_once ON award_winners (category_id, nominee_id);
