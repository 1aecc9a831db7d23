/**
 * A snippet cannot call its own isolate: through `exports.default.run` (`ctx.exports`) it once
 * started runs that no rate limit, call log or deadline saw, each adding a run's share to the
 * work budget its own loop counted against, so a loop of 1e9 iterations ran to its end.
 */
import { expect, it } from "vitest";
import { callEndpoint, saveSnippet } from "./fn-client.ts";

const SELF_CALLER = `import * as workers from "cloudflare:workers";
const state = { done: false };
export default async (req: Request) => {
  const url = new URL(req.url);
  if (url.pathname === "/hold") {
    while (!state.done) await new Promise((resolve) => setTimeout(resolve, 20));
    return "held";
  }
  state.done = false;
  const wire = { method: "GET", url: "https://x/hold", path: "/hold", query: "", headers: [], body: new Uint8Array() };
  const pending: Promise<unknown>[] = [];
  let refused = "";
  try {
    for (let i = 0; i < 5; i++) pending.push((workers as any).exports.default.run(wire, {}));
  } catch (error) {
    refused = String(error);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  let n = 0;
  try {
    for (let i = 0; i < 1_000_000_000; i++) n++; // five times one run's budget
  } finally {
    state.done = true;
  }
  await Promise.allSettled(pending);
  return refused ? "refused: " + refused : String(n);
};
`;

it("a handler cannot start runs of its own isolate to lift its work budget", async () => {
  const id = await saveSnippet("typescript", SELF_CALLER);
  const response = await callEndpoint(id);
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(503);
  expect(text).toMatch(/work budget/);
});
