/**
 * Registers the service worker (`web/sw/service-worker.ts`), which keeps the build's files so that
 * the next visit opens and runs handlers with the network off; and reads big build files from
 * its cache directly.
 */
import type { FileSource } from "../../workers/python/browser-files.ts";

/** Where the build puts the service worker: at the root, so its scope is the whole app. */
const SERVICE_WORKER_URL = "/sw.js";
/**
 * What the page asks its service worker for the name of its cache: the worker's own constant
 * (`web/sw/messages.ts`), written out here because a module the page and the worker both imported
 * would become a chunk of its own, one more request before the page is usable (a unit test keeps
 * the two the same).
 */
export const CACHE_NAME_QUERY = "fnpad:cache-name";
/** How long the page waits for its service worker to name its cache before it just fetches. */
const CACHE_NAME_WAIT_MS = 500;

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

/**
 * The build's own files as the page gets them: when a service worker controls the page, read
 * from that worker's cache by the page itself, which is the answer the worker would give (it
 * serves its own cache first) without the bytes streaming through it (Python's 19 MB took 20–125
 * ms through the worker on a second visit, 2–9 ms from the cache); else, and for anything not
 * there, from `fetch`. `cached` also finds what the worker keeps beside the build's files.
 */
export function buildFiles(): FileSource {
  const cache = controllerCache().catch(() => null);
  const cached = async (url: string) => (await cache)?.match(url);
  return { cached, fetch: async (url) => (await cached(url)) ?? fetch(url) };
}

/** The cache the controlling service worker serves from, or `null` (none, no answer, gone). */
async function controllerCache(): Promise<Cache | null> {
  const controller = navigator.serviceWorker?.controller;
  if (!controller || !("caches" in globalThis)) return null;
  const channel = new MessageChannel();
  const name = await new Promise<unknown>((resolve) => {
    channel.port1.onmessage = (event) => resolve(event.data);
    setTimeout(() => resolve(null), CACHE_NAME_WAIT_MS);
    controller.postMessage(CACHE_NAME_QUERY, [channel.port2]);
  });
  channel.port1.close();
  if (typeof name !== "string" || !(await caches.has(name))) return null;
  return caches.open(name);
}
