/**
 * Errors that teach: code written for another runtime (Deno, Express) or without a handler gets a
 * message that shows fnpad's form. Used by the harness, in the browser and at the edge alike.
 */

/** fnpad's own form, shown by the errors that teach it. */
const FNPAD_FORM = `export default async function handler(req: Request) {
  return new Response("hello");        // or a string, object, Uint8Array, …
}`;

/** The forms fnpad calls, named when a module has none of them. */
export const ACCEPTED_FORMS = `fnpad calls the module's default export, one of:
${FNPAD_FORM}
export default { async fetch(req: Request, env, ctx) { … } }`;

/** What to add to the message of an error that comes from code written for another runtime. */
export function hintFor(error: Error): string {
  if (error.name === "ReferenceError" && /\bDeno is not defined/.test(error.message)) {
    return `. fnpad is not Deno: instead of Deno.serve(handler), export the handler:\n${FNPAD_FORM}`;
  }
  return "";
}

/** What Express handlers call on `res`. */
const EXPRESS_METHODS = new Set([
  "send",
  "json",
  "status",
  "sendStatus",
  "end",
  "write",
  "writeHead",
  "set",
  "setHeader",
  "header",
  "type",
  "redirect",
  "render",
  "cookie",
  "sendFile",
]);

/**
 * The second argument of a default-function handler: the snippet's `env` (its names are upper
 * case), which also answers an Express `res.send(…)` (lower case) with fnpad's form.
 */
export function envWithExpressHint<T extends object>(env: T): T {
  return new Proxy(env, {
    get(target, name, receiver) {
      if (typeof name !== "string" || !EXPRESS_METHODS.has(name) || name in target) {
        return Reflect.get(target, name, receiver);
      }
      const error = new TypeError(
        `fnpad passes no response object (res.${name}): a handler takes the request and returns its response:\n${FNPAD_FORM}`,
      );
      // The stack starts at the handler's call: this frame, fnpad's own, is named after the bundle
      // it is in, which differs between the browser and the edge.
      (Error as { captureStackTrace?: StackCapture }).captureStackTrace?.(error, this.get);
      throw error;
    },
  });
}

type StackCapture = (error: object, below?: (...args: never[]) => unknown) => void;
