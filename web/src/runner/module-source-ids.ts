/** Where module sources are written as JSON (no DOM here: the build step imports these too). */

/** The id of the `<script type="application/json">` in the runner's document that holds them. */
export const MODULE_SOURCES_ID = "fnpad-module-sources";

/** The same in the runner host's document, as the build writes them, by the path each is served at. */
export const RUNNER_SOURCES_ID = "fnpad-runner-sources";
