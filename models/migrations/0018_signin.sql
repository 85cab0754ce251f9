-- Sign-in at company scale (issue 14): single sign-on with OpenID Connect,
-- and when people were invited and last signed in.
--
-- oidc_logins: one row per sign-in through the identity provider that has
-- started and not yet come back. The state is stored as a hash (the browser
-- holds it in a short-lived cookie too); the nonce and the PKCE verifier are
-- the server's. A row is taken (deleted) by the callback, so a state works
-- once; rows older than models.OIDCLoginTTL are refused and dropped.
CREATE TABLE oidc_logins (
  id {{PK}},
  state_hash TEXT NOT NULL,
  nonce TEXT NOT NULL,
  verifier TEXT NOT NULL,
  next TEXT NOT NULL DEFAULT '/',
  created_at {{TIME}} NOT NULL
);
CREATE UNIQUE INDEX oidc_logins_state ON oidc_logins (state_hash);

-- Shown to admins only (the people list), never on a public page: no
-- revision trigger needed (the people triggers watch name and department).
ALTER TABLE people ADD COLUMN invited_at {{TIME}};
ALTER TABLE people ADD COLUMN signed_in_at {{TIME}};
