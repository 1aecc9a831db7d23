/**
 * Registers the service worker (`web/sw/service-worker.ts`), which keeps the build's files so that
 * the next visit opens and runs handlers with the network off.
 */

/** Where the build puts the service worker: at the root, so its scope is the whole app. */
const SERVICE_WORKER_URL = "/sw.js";

/**
 * Registers it once `after` settles (Python's files are in): it then caches the build's files,
 * revalidating those already in the HTTP cache, rather than competing with the first load.
 */
export function registerServiceWorker(after: Promise<unknown>): void {
  if (!("serviceWorker" in navigator)) return;
  void after
    .then(() => navigator.serviceWorker.register(SERVICE_WORKER_URL, { type: "module" }))
    .catch((error: unknown) => console.warn("No offline copy of fnpad:", error));
}
