/**
 * The runner's code, handed to it as text. The runner's origin is opaque, and nothing an opaque
 * origin fetches comes from a cache (the app's service worker serves no opaque-origin client, and
 * Chromium keeps no HTTP cache for it): so the runner host, an ordinary document of the app, reads
 * the runner's module and the language workers' modules (through the service worker, so offline
 * too) and writes them into the runner's document, which runs them from `blob:` URLs.
 */

/** The id of the `<script type="application/json">` in the runner's document that holds them. */
export const MODULE_SOURCES_ID = "fnpad-module-sources";

/** Module sources by the absolute URL each was built to be served at. */
export type ModuleSources = Record<string, string>;

/** The sources written into this document, or none (the runner then loads modules from their URLs). */
export function readModuleSources(): ModuleSources {
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
