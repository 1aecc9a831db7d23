-- Which version of fnpad's TypeScript compiler made `compiled` (COMPILER_VERSION in
-- workers/typescript/compile.ts). NULL: compiled before it was recorded. A version compiled by
-- another compiler is compiled again before it runs, so no stored version keeps an older work guard.
ALTER TABLE versions ADD COLUMN compiler INTEGER;
