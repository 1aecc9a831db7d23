/**
 * The app's service worker (`/sw.js`): after one visit the app, Monaco and Pyodide come from here,
 * so the page opens and runs handlers with the network off. It serves only the build's own files,
 * listed at build time (`tools/precache-manifest.ts`), from a cache named after the build's hash; it
 * never touches `/api/*`, `/fn/*` or any other request, so nothing a snippet sends or returns is
 * ever stored. A new build installs beside the old one and takes over once no page of the old
 * build is left (or on the reload of the only one), then deletes the old build's cache.
 */
import { ACTIVATE, CACHE_NAME_QUERY } from "./messages.ts";

declare const self: ServiceWorkerGlobalScope;

/** The build's files and its hash, set at build time (`tools/precache-manifest.ts`). */
const MANIFEST = (self as unknown as { FNPAD_PRECACHE: { version: string; urls: string[] } })
  .FNPAD_PRECACHE;
/** Every cache this worker owns starts with this; the rest of the name is the build's hash. */
const CACHE_PREFIX = "fnpad-build-";
const CACHE_NAME = `${CACHE_PREFIX}${MANIFEST.version}`;
const BUILD_FILES = new Set(MANIFEST.urls);
/** The build's gzipped files end so (Python's memory snapshot, Pyodide's wasm). */
const GZIP_SUFFIX = ".gz";
/** The type of each unzipped copy, by its name's ending; any other is served as bytes. */
const UNZIPPED_TYPES: Record<string, string> = { ".wasm": "application/wasm" };
/** The SPA's document: every navigation that is not a build file or the backend's gets it. */
const APP_DOCUMENT = "/";
/** What the server itself answers (never cached, never served from here). */
const BACKEND_PATHS = ["/api/", "/fn/"];

self.addEventListener("install", (event) => {
  // `no-cache`: revalidated with the server (a 304 when the HTTP cache already has the file), so
  // a file left in the HTTP cache by an older build is never stored under this build's name.
  event.waitUntil(
    caches.open(CACHE_NAME).then(async (cache) => {
      await cache.addAll(MANIFEST.urls.map((url) => new Request(url, { cache: "no-cache" })));
      await keepUnzipped(cache);
    }),
  );
});

/**
 * Keeps every gzipped build file (Python's memory snapshot, Pyodide's wasm) unzipped too, under
 * its name without `.gz`, for the page to read from here (`web/src/offline.ts`): on a later visit
 * Python then reads 31 MB instead of unzipping 5.7 MB on the same two cores as everything else,
 * and the wasm is compiled straight from its bytes. Only a shortcut: if it fails, the page
 * fetches and unzips as on a first visit.
 */
async function keepUnzipped(cache: Cache): Promise<void> {
  for (const url of MANIFEST.urls.filter((url) => url.endsWith(GZIP_SUFFIX))) {
    try {
      const gzipped = await cache.match(url);
      if (!gzipped?.body) continue;
      const unzipped = gzipped.body.pipeThrough(new DecompressionStream("gzip"));
      const name = url.slice(0, -GZIP_SUFFIX.length);
      const ending = /\.[^./]*$/.exec(name)?.[0] ?? "";
      const headers = { "Content-Type": UNZIPPED_TYPES[ending] ?? "application/octet-stream" };
      await cache.put(name, new Response(unzipped, { headers }));
    } catch (error) {
      console.warn(`fnpad's service worker kept no unzipped ${url}:`, error);
    }
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  // Only another of this app's workers (the old build's, below) asks this; a page cannot reach
  // a waiting worker's message port unless it is the app's own page.
  if (event.data === ACTIVATE) void self.skipWaiting();
  // The page then reads the build's big files from the cache itself (`web/src/offline.ts`).
  if (event.data === CACHE_NAME_QUERY) event.ports[0]?.postMessage(CACHE_NAME);
});

self.addEventListener("fetch", (event) => {
  const path = cachedPath(event.request);
  if (path !== null) event.respondWith(respond(event.request, path));
});

/** The build file that answers `request`, or `null` when the network must (not ours to serve). */
function cachedPath(request: Request): string | null {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (BACKEND_PATHS.some((prefix) => url.pathname.startsWith(prefix))) return null;
  const navigation = request.mode === "navigate";
  // A page's query is the app's own (`/s/:id?present`): the same document answers it. Any other
  // request with a query is not for a build file as it was cached: the network answers it.
  if (url.search !== "" && !navigation) return null;
  if (BUILD_FILES.has(url.pathname)) return url.pathname;
  // The unzipped copy of a gzipped build file, if kept (Pyodide loading its own wasm offline).
  if (BUILD_FILES.has(`${url.pathname}${GZIP_SUFFIX}`)) return url.pathname;
  return navigation ? APP_DOCUMENT : null;
}

async function respond(request: Request, path: string): Promise<Response> {
  if (request.mode === "navigate" && (await activateWaitingIfAlone())) return reloadPage();
  return (await fromBuildCaches(path)) ?? fetch(request);
}

/**
 * `path` from this build's cache, else from another build's still kept (after an update, the old
 * worker finishes the navigation it held with the new build's files). Never another cache of
 * the origin: only this worker writes the build caches.
 */
async function fromBuildCaches(path: string): Promise<Response | undefined> {
  const names = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX));
  names.sort((a, b) => Number(b === CACHE_NAME) - Number(a === CACHE_NAME));
  for (const name of names) {
    const hit = await (await caches.open(name)).match(path);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A reload of the only open page would keep the old build for ever (the page being replaced
 * still counts as a client of the old worker): the new build's waiting worker takes over first.
 * True when it did; the navigation is then answered with a reload, which the new worker serves.
 */
async function activateWaitingIfAlone(): Promise<boolean> {
  const waiting = self.registration.waiting;
  if (!waiting) return false;
  // Top-level pages only: a frame of one of the app's documents would count too.
  const windows = await self.clients.matchAll({ type: "window" });
  if (windows.filter((client) => client.frameType === "top-level").length > 1) return false;
  const activated = new Promise<void>((resolve) => {
    waiting.addEventListener("statechange", () => {
      if (waiting.state === "activated" || waiting.state === "redundant") resolve();
    });
    setTimeout(resolve, 3000);
  });
  waiting.postMessage(ACTIVATE);
  await activated;
  return true;
}

/** An empty page that loads itself again at once (from the worker now in charge). */
function reloadPage(): Response {
  return new Response("", {
    headers: {
      "Content-Type": "text/html",
      Refresh: "0",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Embedder-Policy": "require-corp",
    },
  });
}
