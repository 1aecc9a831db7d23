-- Snippets and their immutable versions. Timestamps are ISO-8601 UTC strings.
CREATE TABLE snippets (
  id TEXT PRIMARY KEY,
  language TEXT NOT NULL CHECK (language IN ('python', 'typescript')),
  title TEXT NOT NULL DEFAULT '',
  current_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  forked_from TEXT,
  -- SHA-256 (hex) of the edit token; the token itself is never stored.
  token_hash TEXT NOT NULL,
  -- Set when deleted: the row stays as a tombstone so the id answers 410 and is never reused.
  deleted_at TEXT
);

CREATE TABLE versions (
  snippet_id TEXT NOT NULL REFERENCES snippets (id),
  version INTEGER NOT NULL,
  code TEXT NOT NULL,
  -- TypeScript compiled to JavaScript at save time; NULL for Python.
  compiled TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (snippet_id, version)
);
