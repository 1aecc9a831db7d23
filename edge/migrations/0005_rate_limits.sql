-- Burst protection on /fn: the owner's rate limits, in calls a minute. NULL: the default (RATE_LIMITS).
ALTER TABLE snippets ADD COLUMN client_limit INTEGER;
ALTER TABLE snippets ADD COLUMN snippet_limit INTEGER;
