-- Accounts: failed sign-ins (brute-force limits every instance agrees on),
-- one-time tokens (password reset, first-run setup) and directory import
-- previews kept on the server between upload and commit.
CREATE TABLE sign_in_attempts (
  id {{PK}},
  at {{TIME}} NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, at);

CREATE TABLE account_tokens (
  id {{PK}},
  kind TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  person_id BIGINT REFERENCES people(id) ON DELETE CASCADE,
  created_by_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
  created_at {{TIME}} NOT NULL,
  expires_at {{TIME}} NOT NULL,
  used_at {{TIME}}
);
CREATE UNIQUE INDEX account_tokens_hash ON account_tokens (token_hash);
CREATE INDEX account_tokens_person ON account_tokens (person_id);

CREATE TABLE import_previews (
  id {{PK}},
  created_by_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
  created_at {{TIME}} NOT NULL,
  file_name TEXT NOT NULL DEFAULT '',
  rows_json TEXT NOT NULL DEFAULT '',
  problems_json TEXT NOT NULL DEFAULT '',
  committed_at {{TIME}}
);
