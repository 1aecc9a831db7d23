/**
 * The runner's code, handed to it as text. The runner's origin is opaque, and nothing an opaque
 * origin fetches comes from a cache (the app's service worker serves no opaque-origin client, and
 * Chromium keeps no HTTP cache for it). Its document is fetched by the page's navigation, though,
 * so the service worker serves that (offline too): the build writes the runner's module and the
 * language workers' modules into it (`tools/vite-runner-sources.ts`), and the runner runs them
 * from `blob:` URLs. In development (no bundle) there are none, and they load from their URLs.
 */

import { MODULE_SOURCES_ID } from "./module-sources-json.ts";

/** Module sources by the path each is served at (`/assets/…`). */
type ModuleSources = Record<string, string>;

/** The sources the build wrote into this document, or none. */
function readModuleSources(): ModuleSources {
  const text = document.getElementById(MODULE_SOURCES_ID)?.textContent;
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (!parsed || typeof parsed !== "object") return {};
  return Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

const sources = readModuleSources();

/** The built source of the module at `url` (absolute), if the document holds it. */
export function builtSource(url: string): string | undefined {
  return sources[new URL(url).pathname];
}
