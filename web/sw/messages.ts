/** The messages a page and the app's service workers send each other. */

/** A page asks its controlling worker which cache it serves the build's files from (a `MessagePort` gets the name). */
export const CACHE_NAME_QUERY = "fnpad:cache-name";
/** An old build's worker tells the new build's waiting one to take over (the only page is reloading). */
export const ACTIVATE = "fnpad:activate";
