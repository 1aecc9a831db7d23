/**
 * The compatibility date snippet isolates run with, independent of the parent's; the build-time
 * snapshot worker uses it too, so that the snapshot is made by the runtime that restores it.
 * (`wrangler.jsonc`, `edge/runner/wrangler.jsonc` and the bench's floor carry the same date; a
 * unit test keeps them in step.)
 */
export const ISOLATE_COMPATIBILITY_DATE = "2026-08-15";
