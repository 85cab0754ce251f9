-- Exports: each person's secret calendar feed. Only the SHA-256 of the token
-- is stored; resetting the feed replaces the row, so old URLs stop working.
CREATE TABLE calendar_feeds (
  id {{PK}},
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  created_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX calendar_feeds_person ON calendar_feeds (person_id);
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (token_hash);
