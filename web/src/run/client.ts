/**
 * What the page loads just after it has become usable (`runner-start.ts`): the runner's client,
 * and what reads a finished run's outcome for the panels.
 */
export { guardStopNote } from "./guard-stop.ts";
export { runner } from "./runner-frame.ts";
export { streamCut } from "./stream-cut.ts";
