-- What a visitor, a fork and "Copy as curl" start from: the author's request (JSON, the request
-- builder's contents) and a short description of the snippet.
ALTER TABLE snippets ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE snippets ADD COLUMN request TEXT;
