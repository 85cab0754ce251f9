-- Notices: what a person should know (a seat, a move, a promotion, judging,
-- recognition), created in the same transaction as its cause; and the outbox,
-- the mail queue the workers of every `summit serve` deliver from (see
-- models/outbox.go and "Notices and the job queue" in docs/ARCHITECTURE.md).
--
-- Neither is shown on a public page, so neither raises summits.revision.

CREATE TABLE notices (
  id {{PK}},
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  summit_id BIGINT REFERENCES summits(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  -- once_key makes a notice once-only: "kind:person:subject". Periodic checks
  -- (judging closes soon, your agenda tomorrow, you were recognised) run on
  -- every instance; the unique index lets exactly one of them insert it.
  once_key TEXT,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL,
  read_at {{TIME}}
);
CREATE UNIQUE INDEX notices_once ON notices (once_key);
CREATE INDEX notices_person ON notices (person_id, read_at, id);

-- Which kinds of notice a person also wants by mail. No row: the kind's
-- default (models.NoticeKinds). In-app notices always arrive.
CREATE TABLE notice_settings (
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  mail BOOLEAN NOT NULL,
  PRIMARY KEY (person_id, kind)
);

-- The outbox: one row per mail. status is pending (waiting, or waiting for
-- its next attempt), sending (claimed by a worker until claimed_until), sent,
-- failed (gave up after models.OutboxMaxAttempts; last_error says why) or
-- unsent (no mail server configured; an admin may send it again later).
CREATE TABLE outbox (
  id {{PK}},
  person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
  summit_title TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  to_name TEXT NOT NULL DEFAULT '',
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  -- secret: the body holds a one-time link (password reset); it is blanked
  -- once the mail is sent or has failed.
  secret BOOLEAN NOT NULL DEFAULT FALSE,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at {{TIME}} NOT NULL,
  claimed_by TEXT NOT NULL DEFAULT '',
  claimed_until {{TIME}},
  last_error TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL,
  sent_at {{TIME}}
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
CREATE INDEX outbox_created ON outbox (created_at, id);
