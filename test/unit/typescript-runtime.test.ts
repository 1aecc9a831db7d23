/** The TypeScript runtime beyond the fixtures: the loop guard, logs, errors. */
import { describe, expect, it } from "vitest";
import { STOPPED_STATUS } from "../../workers/http.ts";
import { ERROR_SOURCE_HEADER } from "../../workers/protocol.ts";
import { importFromDataUrl } from "../../workers/typescript/importers.ts";
import { TypeScriptRuntime } from "../../workers/typescript/runtime.ts";
import { getRequest, responseJson, responseText } from "./request.ts";

const runtime = new TypeScriptRuntime(importFromDataUrl, { maxTicks: 1_000_000 });

describe("runaway code", () => {
  it("stops `while(true){}` with the loop guard, then runs normally", async () => {
    const stopped = await runtime.run(
      "export default () => {\n  while (true) {}\n};",
      getRequest(),
    );
    expect(stopped.response.status).toBe(STOPPED_STATUS);
    expect(new Headers(stopped.response.headers).get(ERROR_SOURCE_HEADER)).toBe("platform");
    expect(responseJson(stopped.response.body)).toMatchObject({
      error: { message: "stopped: work budget exceeded" },
    });

    const next = await runtime.run("export default () => 'alive';", getRequest());
    expect(responseText(next.response.body)).toBe("alive");
  });

  it("stops a loop whose body swallows the guard's error", async () => {
    const code = "export default () => {\n  for (;;) try { JSON.parse('{'); } catch {}\n};";
    const result = await runtime.run(code, getRequest());
    expect(result.response.status).toBe(STOPPED_STATUS);
  });

  it("stops a handler that catches the guard's error and returns", async () => {
    const code =
      "export default () => {\n  try { do {} while (true); } catch { return 'escaped'; }\n};";
    const result = await runtime.run(code, getRequest());
    expect(result.response.status).toBe(STOPPED_STATUS);
  });

  it("stops a loop at module level, without caching the module", async () => {
    const code = "let n = 0;\nwhile (true) n++;\nexport default () => n;";
    expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
    expect((await runtime.run(code, getRequest())).response.status).toBe(STOPPED_STATUS);
  });

  it("gives every run a fresh budget", async () => {
    const code =
      "export default () => {\n  let sum = 0;\n  for (let i = 0; i < 600_000; i++) sum += i;\n  return sum;\n};";
    for (let run = 0; run < 3; run++) {
      expect((await runtime.run(code, getRequest())).response.status).toBe(200);
    }
  });
});

describe("logs", () => {
  it("keeps console output in order, stderr apart, formatted like a console, and restores console", async () => {
    const original = console.log;
    const code = [
      "export default () => {",
      "  console.log('one', 2, { three: [3] });",
      "  console.error(new Map([['k', 1]]));",
      "  console.warn('careful');",
      "  console.debug(null, undefined, true);",
      "  return 'done';",
      "};",
    ].join("\n");
    const streamed: string[] = [];
    const result = await runtime.run(code, getRequest(), (entry) => streamed.push(entry.text));
    expect(result.logs.map(({ stream, text }) => `${stream}:${text}`)).toEqual([
      "stdout:one 2 { three: [ 3 ] }",
      "stderr:Map(1) { 'k' => 1 }",
      "stderr:careful",
      "stdout:null undefined true",
    ]);
    expect(streamed).toEqual(result.logs.map((entry) => entry.text));
    expect(console.log).toBe(original);
  });
});

describe("errors in the user's code", () => {
  it("reports a compile error with its line", async () => {
    const result = await runtime.run(
      "const a = 1;\nconst b = ;\nexport default () => a;",
      getRequest(),
    );
    expect(result.response.status).toBe(500);
    expect(new Headers(result.response.headers).get(ERROR_SOURCE_HEADER)).toBe("handler");
    expect(result.error).toMatchObject({ type: "SyntaxError", line: 2 });
  });

  it("reports a thrown non-Error value", async () => {
    const result = await runtime.run("export default () => { throw 'plain'; };", getRequest());
    expect(result.error).toMatchObject({ type: "Error", message: "uncaught plain" });
  });

  it("explains a module without a handler", async () => {
    const result = await runtime.run("export const x = 1;", getRequest());
    expect(result.error).toMatchObject({
      type: "TypeError",
      message: expect.stringContaining("export default"),
    });
  });

  it("maps a rejected async handler to its line", async () => {
    const code = "export default async () => {\n  await null;\n  throw new Error('late');\n};";
    const result = await runtime.run(code, getRequest());
    expect(result.error).toMatchObject({ type: "Error", message: "late", line: 3 });
  });
});
