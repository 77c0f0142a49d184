-- 0002: sign-in. Passwords are scrypt hashes (salt:hash, hex); sessions keep only the SHA-256 of
-- their token, so a leaked table cannot be replayed.
ALTER TABLE users ADD COLUMN password_hash text;

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id    int NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
