/**
 * Only the process that made an isolate may start runs in it. A snippet that reached its own
 * isolate's entrypoint (`ctx.exports`, which the Worker Loader hands it) could start runs that no
 * rate limit, call log or deadline saw, each adding a run's share to the work budget its own
 * loop counts against. The parent passes its key with every call; the isolate keeps the key of
 * its first call, which always comes from the parent: the snippet's code is loaded by that call
 * (a Python isolate's first call may only ask for its boot files), so none of it has run before.
 * Compared with `===` only, so no function a snippet may patch ever sees the key.
 */
let parentKey: string | undefined;

/** Throws unless `key` is the key of the process that made this isolate. */
export function checkParentKey(key: unknown): void {
  if (parentKey === undefined && typeof key === "string" && key.length >= 32) parentKey = key;
  if (parentKey === undefined || key !== parentKey) {
    throw new Error("runs are started by fnpad only, not by the snippet");
  }
}
