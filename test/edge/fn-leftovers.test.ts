/**
 * What a call leaves behind ends with it at the edge: the behaviour the browser's workers match
 * (`workers/typescript/run-timers.ts`, the Python adapter's leftover tasks).
 */
import { expect, it } from "vitest";
import { createSnippet } from "./api-client.ts";
import { callsOnce } from "./calls-client.ts";
import { callEndpoint } from "./fn-client.ts";

it("a TypeScript handler's interval ends with its call; its module state lives on", async () => {
  const code = [
    "let ticks = 0;",
    "let calls = 0;",
    "export default () => {",
    "  calls += 1;",
    "  setInterval(() => ticks++, 5);",
    '  return [calls, ticks].join(" ");',
    "};",
    "",
  ].join("\n");
  const { id } = await createSnippet({ language: "typescript", code });
  expect(await (await callEndpoint(id)).text()).toBe("1 0");
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(await (await callEndpoint(id)).text()).toBe("2 0");
});

it("work a TypeScript handler leaves running after its response (waitUntil) stops at its next loop or call", async () => {
  // The attack: a loop kept alive by the platform's own `waitUntil`, which no deadline covers
  // once the call has answered; it spun a runner's cores for as long as the runner lived.
  const code = [
    'import { waitUntil } from "cloudflare:workers";',
    "let spins = 0;",
    "export default async (req: Request) => {",
    '  if (new URL(req.url).pathname === "/peek") return String(spins);',
    "  waitUntil((async () => { for (;;) { await scheduler.wait(2); spins++; } })());",
    '  return "started";',
    "};",
    "",
  ].join("\n");
  const { id } = await createSnippet({ language: "typescript", code });
  expect(await (await callEndpoint(id)).text()).toBe("started");
  await new Promise((resolve) => setTimeout(resolve, 100));
  const first = Number(await (await callEndpoint(id, "/peek")).text());
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(Number(await (await callEndpoint(id, "/peek")).text())).toBe(first);
  expect(first).toBeLessThan(3);
});

it("overlapping calls to one async Python handler each get their own answer", async () => {
  // Calls to one version share its isolate and its Python: side by side, the second call's
  // start cancelled the first's pending task (a `CancelledError` 500).
  const code = [
    "import asyncio",
    "async def handler(request):",
    '    name = request.query.get("name", "")',
    '    print("start", name)',
    "    await asyncio.sleep(0.2)",
    '    print("end", name)',
    '    return {"name": name}',
    "",
  ].join("\n");
  const { id } = await createSnippet({ language: "python", code });
  const first = callEndpoint(id, "/?name=a");
  await new Promise((resolve) => setTimeout(resolve, 50));
  const answers = await Promise.all([first, callEndpoint(id, "/?name=b")]);
  expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  expect(await Promise.all(answers.map((answer) => answer.json()))).toEqual([
    { name: "a" },
    { name: "b" },
  ]);
});

it("overlapping calls to one TypeScript handler each log their own lines, and the console is theirs again after", async () => {
  // Calls to one version share its isolate: each run swapped the global console for its own and
  // put back what it found, so the first call's last line went to the second's record, the
  // second's last line to nowhere, and the console was left writing into the first's for good.
  // The first call ends only once the second has begun, whatever the timing.
  const code = [
    // Polled, not a promise: workerd cancels a call that awaits what another call resolves.
    "let secondBegan = false;",
    "export default async (req: Request) => {",
    '  const name = new URL(req.url).searchParams.get("name") ?? "";',
    '  console.log("start", name);',
    '  if (name === "a") while (!secondBegan) await scheduler.wait(5);',
    '  if (name === "b") { secondBegan = true; await scheduler.wait(200); }',
    '  console.log("end", name);',
    "  return name;",
    "};",
    "",
  ].join("\n");
  const { id, token } = await createSnippet({ language: "typescript", code });
  const first = callEndpoint(id, "/?name=a");
  await new Promise((resolve) => setTimeout(resolve, 50));
  const answers = await Promise.all([first, callEndpoint(id, "/?name=b")]);
  expect(await Promise.all(answers.map((answer) => answer.text()))).toEqual(["a", "b"]);
  expect(await (await callEndpoint(id, "/?name=c")).text()).toBe("c");
  const calls = await callsOnce(id, token, 3);
  const linesOf = (query: string) =>
    calls.find((call) => call.query === query)?.logs.map((entry) => entry.text);
  expect(linesOf("name=a")).toEqual(["start a", "end a"]);
  expect(linesOf("name=b")).toEqual(["start b", "end b"]);
  expect(linesOf("name=c")).toEqual(["start c", "end c"]);
});

it("a call to a Python version that waited 10 s for its turn is answered 503 with Retry-After, and the next call runs", async () => {
  // Calls queued behind a run that held its turn waited on, without end, and ran long after
  // their callers had been answered.
  const code = [
    "import asyncio",
    "async def handler(request):",
    '    if request.path == "/slow":',
    "        await asyncio.sleep(12)",
    "    return request.path",
    "",
  ].join("\n");
  const { id } = await createSnippet({ language: "python", code });
  expect(await (await callEndpoint(id, "/warm")).text()).toBe("/warm");
  const slow = callEndpoint(id, "/slow");
  await new Promise((resolve) => setTimeout(resolve, 200));
  const queued = await callEndpoint(id, "/queued");
  expect(queued.status).toBe(503);
  expect(queued.headers.get("retry-after")).toBe("1");
  expect(((await queued.json()) as { error: { message: string } }).error.message).toMatch(
    /waited 10 s for its turn/,
  );
  expect(await (await slow).text()).toBe("/slow");
  expect(await (await callEndpoint(id, "/after")).text()).toBe("/after");
}, 60_000);
