-- Audit log: who did what to which record, when, from where.
CREATE TABLE audit_events (
  id {{PK}},
  at {{TIME}} NOT NULL,
  actor_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
  actor_name TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  record_type TEXT NOT NULL DEFAULT '',
  record_id TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  before_json TEXT NOT NULL DEFAULT '',
  after_json TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id);
CREATE INDEX audit_events_actor ON audit_events (actor_id);
