-- Sessions from a CSV file (issue 15, part 3).
--
-- sessions.import_key: the stable key a sessions file gives each line, so
-- importing the file again updates those sessions instead of adding copies.
-- Unique per summit when set; sessions made in the forms have none (the
-- export writes their uuid as the key, which the import matches too). Shown
-- to organisers only, never on a public page: no revision trigger needed.
ALTER TABLE sessions ADD COLUMN import_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX sessions_import_key ON sessions (summit_id, import_key) WHERE import_key <> '';

-- import_previews.summit_id: a sessions file is checked against one summit
-- (its rooms, tracks, days and agenda); directory and outcome previews have none.
ALTER TABLE import_previews ADD COLUMN summit_id BIGINT REFERENCES summits(id) ON DELETE CASCADE;
