/**
 * The runner's code, handed to it as text. The runner's origin is opaque, and nothing an opaque
 * origin fetches comes from a cache (the app's service worker serves no opaque-origin client, and
 * Chromium keeps no HTTP cache for it): so the runner host, an ordinary document of the app (served
 * by the service worker, so offline too), has the runner's module and the language workers' modules
 * in its own document (the build writes them there; in development it fetches them) and writes them
 * into the runner's document, which runs them from `blob:` URLs.
 */

import { MODULE_SOURCES_ID } from "./module-sources-json.ts";

export { MODULE_SOURCES_ID, RUNNER_SOURCES_ID, sourcesJson } from "./module-sources-json.ts";

/** Module sources by the URL each was built to be served at (absolute; in the host's document, its path). */
export type ModuleSources = Record<string, string>;

/** The sources written into this document under `id`, or none (they are then loaded from their URLs). */
export function readModuleSources(id = MODULE_SOURCES_ID): ModuleSources {
  const text = document.getElementById(id)?.textContent;
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (!parsed || typeof parsed !== "object") return {};
  return Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}
