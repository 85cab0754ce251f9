-- Foundation: the staff directory (with sign-in), summits, rooms, tracks,
-- agenda sessions and their speakers.
CREATE TABLE people (
  id {{PK}},
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  job_title TEXT NOT NULL DEFAULT '',
  manager_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
  role TEXT NOT NULL DEFAULT 'staff',
  active BOOLEAN NOT NULL DEFAULT TRUE,
  password_hash TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX people_email_lower ON people (lower(email));
CREATE INDEX people_department ON people (department);

CREATE TABLE summits (
  id {{PK}},
  year INTEGER NOT NULL,
  title TEXT NOT NULL,
  theme TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  venue TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'draft',
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX summits_year ON summits (year);

CREATE TABLE rooms (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  capacity INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX rooms_summit_name ON rooms (summit_id, lower(name));

CREATE TABLE tracks (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  pillar TEXT NOT NULL,
  color TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX tracks_summit_name ON tracks (summit_id, lower(name));

CREATE TABLE sessions (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  uuid TEXT NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  abstract TEXT NOT NULL DEFAULT '',
  room_id BIGINT REFERENCES rooms(id),
  track_id BIGINT REFERENCES tracks(id) ON DELETE SET NULL,
  starts_at {{TIME}} NOT NULL,
  ends_at {{TIME}} NOT NULL,
  capacity INTEGER,
  seats_taken INTEGER NOT NULL DEFAULT 0,
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX sessions_uuid ON sessions (uuid);
CREATE INDEX sessions_summit_start ON sessions (summit_id, starts_at);
CREATE INDEX sessions_room ON sessions (room_id);

CREATE TABLE speakers (
  id {{PK}},
  summit_id BIGINT NOT NULL REFERENCES summits(id) ON DELETE CASCADE,
  person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX speakers_summit_person ON speakers (summit_id, person_id) WHERE person_id IS NOT NULL;

CREATE TABLE session_speakers (
  session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  speaker_id BIGINT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, speaker_id)
);
CREATE INDEX session_speakers_speaker ON session_speakers (speaker_id);

CREATE TABLE auth_sessions (
  id {{PK}},
  token_hash TEXT NOT NULL,
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at {{TIME}} NOT NULL,
  last_seen_at {{TIME}} NOT NULL,
  expires_at {{TIME}} NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX auth_sessions_token ON auth_sessions (token_hash);
CREATE INDEX auth_sessions_person ON auth_sessions (person_id);
