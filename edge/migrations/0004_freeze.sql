-- Freeze: `/fn/:id` serves this version (not the latest) while the owner goes on saving. NULL: the latest.
ALTER TABLE snippets ADD COLUMN frozen_version INTEGER;
