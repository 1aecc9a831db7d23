/**
 * TypeScript runs that overlap, as calls to one version do in its edge isolate: each run's console
 * lines are its own (the edge tells runs apart with `AsyncLocalStorage`, as here).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { expect, it } from "vitest";
import type { LogEntry } from "../../workers/runtime-protocol.ts";
import { compiledWith, importFromDataUrl } from "../../workers/typescript/importers.ts";
import type { RunLog, RunScope } from "../../workers/typescript/run-console.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { getRequest } from "./request.ts";

const runs = new AsyncLocalStorage<RunLog>();
const scope: RunScope = {
  within: (log, work) => runs.run(log, work),
  current: () => runs.getStore(),
};
const runtime = new TypeScriptRuntime(compiledWith(importFromDataUrl), { scope });

const code = [
  "export default async (req: Request) => {",
  '  const name = new URL(req.url).searchParams.get("name");',
  '  console.log("start", name);',
  '  await new Promise((resolve) => setTimeout(resolve, name === "a" ? 30 : 120));',
  '  console.error("end", name);',
  "  let chunks = 0;",
  "  return new Response(new ReadableStream({",
  // Slower than a body read at once (20 ms), so the response streams.
  "    async pull(controller) {",
  "      await new Promise((resolve) => setTimeout(resolve, 40));",
  "      chunks += 1;",
  '      console.log("streamed", name, chunks);',
  "      controller.enqueue(new TextEncoder().encode(name));",
  "      if (chunks === 3) controller.close();",
  "    },",
  // No chunk made ahead: each pull is called by a read, the later ones by fnpad's, from outside.
  "  }, { highWaterMark: 0 }));",
  "};",
  "",
].join("\n");

const logsOf = async (name: string) =>
  (await runtime.run(code, getRequest("/", `name=${name}`))).logs;
const lines = (logs: LogEntry[]) => logs.map((entry) => `${entry.stream} ${entry.text}`);

it("overlapping runs each keep their own console lines, streamed ones too", async () => {
  // The first run ends first: its last lines went to the second's log, and the second's to nowhere.
  const first = logsOf("a");
  await new Promise((resolve) => setTimeout(resolve, 10));
  const both = await Promise.all([first, logsOf("b")]);
  expect(both.map(lines)).toEqual(
    ["a", "b"].map((name) => [
      `stdout start ${name}`,
      `stderr end ${name}`,
      `stdout streamed ${name} 1`,
      `stdout streamed ${name} 2`,
      `stdout streamed ${name} 3`,
    ]),
  );
  expect(lines(await logsOf("c"))).toEqual([
    "stdout start c",
    "stderr end c",
    "stdout streamed c 1",
    "stdout streamed c 2",
    "stdout streamed c 3",
  ]);
  // Once they had ended, the console was left writing into a finished run's log.
  console.log("outside any run");
  expect(both.flat().map((entry) => entry.text)).not.toContain("outside any run");
});
