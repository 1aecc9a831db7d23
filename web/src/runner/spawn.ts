/**
 * Starts a language worker from the runner document. Its origin is opaque, so it cannot start a
 * worker from the app's URLs, and Chromium refuses module workers from its `blob:` URLs: the
 * worker is a classic one from a `blob:` URL that imports the real (ES module) worker: from the
 * source the build wrote into the document (`module-sources.ts`), else across origins from its
 * URL, which the app's CORS headers on `/assets/` allow. The worker shares the document's opaque
 * origin and its cross-origin isolation.
 */
import { moduleBlobUrl } from "../../../workers/module-blob.ts";
import { builtSource } from "./module-sources.ts";

/** A worker that is starting, and when it can take Comlink calls. */
export interface SpawnedWorker {
  /** The worker itself. */
  worker: Worker;
  /** Resolves once the worker's module has run (its `expose` is listening); rejects if it failed. */
  ready: Promise<void>;
}

/** The messages the bootstrap posts, apart from the worker's own Comlink traffic. */
const READY = "fnpad:worker-ready";
const FAILED = "fnpad:worker-failed";

/** Starts the worker whose ES module is at `moduleUrl` (relative URLs resolve against the app's). */
export function spawnWorker(moduleUrl: string, name: string): SpawnedWorker {
  const served = new URL(moduleUrl, document.baseURI).href;
  const source = builtSource(served);
  // A `blob:` URL per worker, revoked once its module has run.
  const imported = source === undefined ? served : moduleBlobUrl(source, served);
  // `importScripts` is hidden so that the worker behaves as the module worker it would be
  // anywhere else (Pyodide refuses to start in what it detects as a classic worker).
  const bootstrap = `globalThis.importScripts = undefined;
import(${JSON.stringify(imported)}).then(
  () => postMessage(${JSON.stringify(READY)}),
  (error) => postMessage({ ${JSON.stringify(FAILED)}: String(error) }),
);`;
  const url = URL.createObjectURL(new Blob([bootstrap], { type: "text/javascript" }));
  const worker = new Worker(url, { name });
  const revoke = () => {
    URL.revokeObjectURL(url);
    if (imported !== served) URL.revokeObjectURL(imported);
  };
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (event: MessageEvent) => {
      if (event.data === READY) resolve();
      else if (event.data && typeof event.data === "object" && FAILED in event.data)
        reject(new Error(`The ${name} worker did not start: ${String(event.data[FAILED])}`));
      else return;
      worker.removeEventListener("message", onMessage);
      revoke();
    };
    worker.addEventListener("message", onMessage);
    worker.addEventListener("error", () => reject(new Error(`The ${name} worker did not start`)));
  });
  ready.catch(() => {});
  return { worker, ready };
}
