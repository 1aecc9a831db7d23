/** Where and how module sources are written into a document as JSON (no DOM here: the build imports this too). */

/** The id of the `<script type="application/json">` in the runner's document that holds them, by the path each is served at. */
export const MODULE_SOURCES_ID = "fnpad-module-sources";

/** `sources` as the text of a `<script type="application/json">`: `<` escaped, so that no source can end the element early. */
export function sourcesJson(sources: Record<string, string>): string {
  return JSON.stringify(sources).replaceAll("<", "\\u003c");
}
