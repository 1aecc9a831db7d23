-- Per-snippet environment variables and secrets, handed to every run of every version.
CREATE TABLE snippet_env (
  snippet_id TEXT NOT NULL REFERENCES snippets (id),
  -- ^[A-Z_][A-Z0-9_]*$, checked by the API.
  name TEXT NOT NULL,
  -- 1: a secret, stored only encrypted and never returned by the listing; 0: a plain variable.
  secret INTEGER NOT NULL CHECK (secret IN (0, 1)),
  -- A variable's value; NULL for a secret.
  value TEXT,
  -- A secret's value: AES-GCM ciphertext and its 12-byte IV (base64), bound to snippet_id and
  -- name; both NULL for a variable and for an empty secret (a fork's).
  value_cipher TEXT,
  iv TEXT,
  -- The value's size in UTF-8 bytes, for the per-snippet total (a ciphertext shows it anyway).
  size INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (snippet_id, name),
  CHECK ((secret = 1 AND value IS NULL) OR (secret = 0 AND value_cipher IS NULL AND iv IS NULL))
);
