/**
 * The API client and the words for its failures, as one module: the page loads it on first use
 * (a saved snippet's env), after it has become usable.
 */
export * from "./api.ts";
export { envFailureMessage } from "./failure-message.ts";
