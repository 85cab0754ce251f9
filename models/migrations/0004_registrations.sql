-- Training registrations: a registration window per summit (stored in UTC,
-- entered in the summit's time zone) and people's seats and waitlist places.
ALTER TABLE summits ADD COLUMN registration_opens_at {{TIME}};
ALTER TABLE summits ADD COLUMN registration_closes_at {{TIME}};

CREATE TABLE registrations (
  id {{PK}},
  session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  created_at {{TIME}} NOT NULL,
  updated_at {{TIME}} NOT NULL,
  confirmed_at {{TIME}},
  cancelled_at {{TIME}},
  attended_at {{TIME}}
);
-- One active (confirmed or waitlisted) registration per person and session;
-- cancelled rows stay as history and do not block registering again.
CREATE UNIQUE INDEX registrations_active ON registrations (session_id, person_id) WHERE status <> 'cancelled';
CREATE INDEX registrations_session_status ON registrations (session_id, status, position);
CREATE INDEX registrations_person_status ON registrations (person_id, status);
