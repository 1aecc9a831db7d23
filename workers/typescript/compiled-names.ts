/** Names that compiled handler code and the code running it agree on (no compiler needed to read them). */

/** The global function the guard calls once per loop iteration and once per function call. */
export const LOOP_TICK = "__fnpadTick";

/** The `sourceURL` compiled handlers carry, so that stack frames name `handler.ts`. */
export const HANDLER_SOURCE_URL = "handler.ts";
