-- 0010: open standards (issue 8). Requests may arrive through Open311 GeoReport v2, and outside
-- clients (Open311 apps, QGIS/GDAL on the OGC API) sign in with an API key that acts as one user.

ALTER TABLE requests DROP CONSTRAINT requests_channel_check;
ALTER TABLE requests ADD CONSTRAINT requests_channel_check
  CHECK (channel IN ('grid', 'door_knock', 'hotline_12345', 'petition', 'snapshot', 'visit', 'whistle', 'open311'));

CREATE TABLE api_keys (
  id           serial PRIMARY KEY,
  -- SHA-256 (hex) of the key; the key itself is shown once, when it is made
  key_hash     text NOT NULL UNIQUE,
  -- which client holds it, e.g. '12345 热线平台', 'QGIS 城管分局'
  name         text NOT NULL,
  -- the key acts as this user: created_by and event actor of what it submits, and what it may read
  user_id      int NOT NULL REFERENCES users(id),
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id);
