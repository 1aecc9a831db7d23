import type { Language } from "../../workers/runtime-protocol.ts";

/**
 * The compatibility date snippet isolates run with, independent of the parent's; the build-time
 * snapshot worker uses it too, so that the snapshot is made by the runtime that restores it.
 * (`wrangler.jsonc`, `edge/runner/wrangler.jsonc` and the bench's floor carry the same date; a
 * unit test keeps them in step.)
 */
export const ISOLATE_COMPATIBILITY_DATE = "2026-08-15";

/**
 * Flags per language: TypeScript's isolate tells overlapping calls apart with `AsyncLocalStorage`
 * (`isolate/typescript.ts`), which `nodejs_als` provides without the rest of Node's APIs.
 */
export const ISOLATE_COMPATIBILITY_FLAGS: Record<Language, string[]> = {
  typescript: ["nodejs_als"],
  python: [],
};
