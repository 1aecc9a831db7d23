/**
 * The TypeScript work guard's budget when runs overlap or never end (`workers/typescript/loop-guard.ts`).
 * A file of its own: the guard is one per realm, and a run left hanging here would be counted by
 * every test after it.
 */
import { afterEach, expect, it, vi } from "vitest";
import { STOPPED_STATUS } from "../../workers/http.ts";
import { compiledWith, importFromDataUrl } from "../../workers/typescript/importers.ts";
import { RUN_LIFETIME_MS } from "../../workers/typescript/loop-guard.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { getRequest, responseText } from "./request.ts";

const MAX_TICKS = 1_000_000;
const runtime = new TypeScriptRuntime(compiledWith(importFromDataUrl), { maxTicks: MAX_TICKS });

const code = [
  "let spins = 0;",
  "export default async (req: Request) => {",
  "  const path = new URL(req.url).pathname;",
  '  if (path === "/hang") await new Promise(() => {});',
  '  if (path === "/spins") return String(spins);',
  '  if (path === "/spin") for (;;) spins++;',
  '  return "cheap";',
  "};",
].join("\n");

const call = async (path: string) => runtime.run(code, getRequest(path));
/** How many loop iterations a runaway call makes before the guard stops it. */
async function spinsOfARunaway(): Promise<number> {
  const before = Number(responseText((await call("/spins")).response.body));
  expect((await call("/spin")).response.status).toBe(STOPPED_STATUS);
  return Number(responseText((await call("/spins")).response.body)) - before;
}

afterEach(() => {
  vi.useRealTimers();
});

it("a run that never ends holds one share of the budget, not one more for every call after it", async () => {
  // Each run added its share as it started and none came back while the hung one was going:
  // five cheap calls later a runaway had seven shares (7,000,000 iterations here).
  void call("/hang");
  for (let cheap = 0; cheap < 5; cheap += 1) {
    expect(responseText((await call("/")).response.body)).toBe("cheap");
  }
  const spins = await spinsOfARunaway();
  expect(spins).toBeGreaterThan(MAX_TICKS);
  expect(spins).toBeLessThan(2 * MAX_TICKS + 1000);
});

it("a run that never ends stops counting once it has lived longer than any run may", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Date.now() + RUN_LIFETIME_MS + 1);
  const spins = await spinsOfARunaway();
  expect(spins).toBeGreaterThan(MAX_TICKS / 2);
  expect(spins).toBeLessThan(MAX_TICKS + 1000);
});
